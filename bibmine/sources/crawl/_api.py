"""Helpers the API crawlers share: token-authorized POSTs, response-shape checks, item mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bibmine.record import Record
from bibmine.sources.crawl.engine import Page, Reject
from bibmine.sources.http import HttpError, PoliteClient, describe
from bibmine.sources.readers.base import raw_json

if TYPE_CHECKING:
    from bibmine.sources.crawl.config import CrawlConfig
    from bibmine.sources.crawl.regions import Region


class TokenSearch:
    """What the token-authorized search crawlers (Lens, Rospatent) share: a region or a query, a year range,
    the source's settings and its API token (none in a dry run); offset-paged POSTs of :meth:`_body` to
    ``path``, whose ``items_key`` list each becomes a Record through :meth:`_record`."""

    source = ""
    label = ""  # the service's name in messages
    path = ""  # of the search endpoint, after the base URL
    items_key = ""  # the list of found items in a response
    offset_name = ""  # the paging parameter
    setting = ""  # where the token is set, for a refused token
    max_offset = 10_000  # offset paging stops here

    def __init__(self, client: PoliteClient, config: CrawlConfig, *, region: Region | None = None,
                 query: str | None = None, year_from: int | None = None, year_to: int | None = None,
                 dry_run: bool = False):
        if not (region or query):
            raise ValueError(f"give --region or --query for {self.label}")
        self.client = client
        self.source_config = config.source(self.source)
        self.token = None if dry_run else config.token(self.source)  # ConfigError when missing
        self.base = self.source_config.base_url.rstrip("/")
        self.region, self.query = region, query
        self.year_from, self.year_to = year_from, year_to

    def _body(self, offset: int) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def _record(item: Any) -> Record:
        raise NotImplementedError

    def plan(self) -> list[str]:
        return [describe("POST", f"{self.base}{self.path}", None, self._body(0)) + "  # Authorization: Bearer ***",
                f"# then {self.offset_name} += {self.source_config.per_page} until the {self.items_key} run out "
                f"(at most {self.max_offset})"]

    def fetch(self, cursor: dict[str, Any]) -> Page:
        offset = cursor["offset"]
        url = f"{self.base}{self.path}"
        body = post_with_token(self.client, url, self._body(offset), self.token, service=self.label,
                               setting=self.setting)
        items = require_list(body, self.items_key, f"POST {url}", self.label)
        return offset_page(body, items, offset, self._record, where=self.offset_name, url=f"POST {url}",
                           max_offset=self.max_offset)


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
