"""Helpers the API crawlers share: token-authorized POSTs, response-shape checks, item mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bibmine.record import Record
from bibmine.sources.crawl.engine import Page, Reject
from bibmine.sources.http import HttpError, PoliteClient
from bibmine.sources.readers.base import raw_json


class SchemaError(HttpError):
    """A response without the fields the documented schema promises (an API change)."""


def require_list(body: Any, key: str, where: str, service: str) -> list:
    """``body[key]`` when it is a list, else a :class:`SchemaError` naming what came instead.

    ``key`` may be dotted (``message.items``).
    """
    node, parent = body, body
    for part in key.split("."):
        if not isinstance(node, dict):
            node = None
            break
        parent, node = node, node.get(part)
    if isinstance(node, list):
        return node
    keys = ", ".join(sorted(parent)) if isinstance(parent, dict) else type(parent).__name__
    raise SchemaError(f"{where}: the response has no {key!r} list (it has: {keys}); the {service} API may have "
                      "changed -- the job is saved, update bibmine and resume", url=where)


def post_with_token(client: PoliteClient, url: str, body: Any, token: str | None, *, service: str,
                    setting: str) -> Any:
    """POST with ``Authorization: Bearer``; a 401/403 says which setting holds the token."""
    try:
        return client.post_json(url, body, headers={"Authorization": f"Bearer {token}"})
    except HttpError as exc:
        if exc.status in (401, 403):
            raise HttpError(f"{service} rejected the API token (HTTP {exc.status}): check {setting}",
                            url=exc.url, status=exc.status) from None
        raise


def map_items(items: list, mapper: Callable[[Any], Record], where: str) -> tuple[list[Record], list[Reject]]:
    """Map each item; one that cannot be mapped becomes a Reject at ``"{where} {n}"`` with its JSON."""
    records: list[Record] = []
    rejects: list[Reject] = []
    for n, item in enumerate(items, 1):
        try:
            records.append(mapper(item))
        except (TypeError, ValueError) as exc:
            rejects.append(Reject(f"{where} {n}", str(exc), raw_json(item)))
    return records, rejects


def offset_page(body: dict, items: list, offset: int, mapper: Callable[[Any], Record], *, where: str, url: str,
                max_offset: int) -> Page:
    """One page of an offset-paged search (Rospatent, Lens): stop when the items run out,
    at the reported total, or at the service's paging ceiling."""
    records, rejects = map_items(items, mapper, f"{where} {offset} item")
    total = body.get("total") if isinstance(body.get("total"), int) else None
    nxt = offset + len(items)
    done = not items or (total is not None and nxt >= total) or nxt >= max_offset
    note = f"{where} {nxt}" + (f" (paging stops at {max_offset:,}: split the years)" if nxt >= max_offset else "")
    return Page(cursor={"offset": nxt}, records=records, rejects=rejects, done=done, total=total,
                url=f"{url} {where}={offset}", note=note)
