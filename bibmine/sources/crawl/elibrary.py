"""eLIBRARY.RU: an organization's or an author's publications from the public pages,
and pages analysts saved to disk by hand.

Live crawl: list pages (``org_items.asp?orgsid=ID&pagenum=N`` or
``author_items.asp?authorid=ID&pagenum=N``), then the ``item.asp?id=`` page of each
listed publication (``--list-only`` keeps the short list records and skips item
pages: 20 times fewer requests).  One request per step, slow by default (one page per
10 s), robots.txt honoured.  A captcha, block or unrecognised page stops the crawl at
once with a clear message; the job keeps its place (list page and item queue), so the
same command resumes it later.  Nothing is retried into a ban.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from bibmine.sources.crawl.config import SourceConfig
from bibmine.sources.crawl.elibrary_parse import block_reason, page_type, parse_item, parse_list
from bibmine.sources.crawl.engine import Page, Reject
from bibmine.sources.http import BadBodyError, BlockedError, HttpError, PoliteClient, describe, redact

PAGE_SIZE = 20  # rows per eLIBRARY list page


def _results_form(html: str) -> str:
    """The page's content form (the record), without the login panel's IP and session."""
    start = html.find('name="results"')
    if start < 0:
        return html
    open_at = html.rfind("<", 0, start)
    end = html.lower().find("</form>", start)
    return html[open_at:end + len("</form>")] if end > 0 else html[open_at:]


class ElibraryCrawler:
    source = "elibrary"

    def __init__(self, client: PoliteClient, config: SourceConfig, *, org: str | None = None,
                 author: str | None = None, list_only: bool = False):
        if bool(org) == bool(author):
            raise ValueError("give exactly one of --org ID or --author ID")
        self.client = client
        self.config = config
        self.base = config.base_url.rstrip("/")
        self.org, self.author, self.list_only = org, author, list_only
        if config.delay_s > 0:  # at most one request per delay_s to the site
            host = urlsplit(self.base).netloc
            client.config.rates[host] = min(client.config.rates.get(host, 1e9), 1.0 / config.delay_s)

    def params(self) -> dict[str, Any]:
        return {"org": self.org, "author": self.author, "list_only": self.list_only or None, "base_url": self.base}

    def start(self) -> dict[str, Any]:
        return {"page": 1, "queue": [], "list_done": False}

    def _list_request(self, page: int) -> tuple[str, dict[str, Any]]:
        if self.org:
            return f"{self.base}/org_items.asp", {"orgsid": self.org, "pagenum": page}
        return f"{self.base}/author_items.asp", {"authorid": self.author, "pagenum": page}

    def plan(self) -> list[str]:
        url, params = self._list_request(1)
        lines = [describe("GET", url, params), "# then pagenum=2, 3, ... while the page says more rows follow"]
        if not self.list_only:
            lines.append(describe("GET", f"{self.base}/item.asp", {"id": "ID"})
                         + "  # once per listed publication")
        return lines

    def fetch(self, cursor: dict[str, Any]) -> Page:
        if cursor["queue"]:
            return self._item_page(cursor)
        return self._list_page(cursor)

    def _get(self, url: str, params: dict[str, Any], expect: str) -> str:
        shown = redact(url, params)

        def check(response: requests.Response, text: str) -> None:
            if not text.strip():
                raise BadBodyError("empty page")
            marker = block_reason(text)
            if marker:
                raise BlockedError(f"eLIBRARY answered {shown} with a captcha or block page (it says {marker!r})")
            if page_type(text) != expect:
                raise BlockedError(f"eLIBRARY answered {shown} with a page that is not a publication "
                                   f"{expect} (a block, login or maintenance page?)")

        try:
            text = self.client.get_text(url, params, robots=True, check=check)
        except HttpError as exc:
            if exc.status in (401, 403):
                raise BlockedError(f"eLIBRARY refused {shown} (HTTP {exc.status}): access blocked", url=shown,
                                   status=exc.status) from None
            raise
        assert text is not None
        return text

    def _list_page(self, cursor: dict[str, Any]) -> Page:
        n = cursor["page"]
        url, params = self._list_request(n)
        shown = redact(url, params)
        parsed = parse_list(self._get(url, params, "list"))
        rejects = [Reject(f"list page {n} {loc}", reason, raw) for loc, reason, raw in parsed.rejects]
        more = parsed.has_next(PAGE_SIZE) and bool(parsed.rows)
        if self.list_only:
            records = [row.record for row in parsed.rows]
            for row in parsed.rows:
                row.record.raw = row.raw
            return Page(cursor={"page": n + 1, "queue": [], "list_done": not more}, records=records,
                        rejects=rejects, done=not more, total=parsed.total, url=shown, note=f"list page {n}")
        queue = [row.elibrary_id for row in parsed.rows]
        done = not more and not queue
        return Page(cursor={"page": n + 1, "queue": queue, "list_done": not more}, rejects=rejects, done=done,
                    total=parsed.total, url=shown, note=f"list page {n}: {len(queue)} items queued")

    def _item_page(self, cursor: dict[str, Any]) -> Page:
        eid, rest = cursor["queue"][0], cursor["queue"][1:]
        url, params = f"{self.base}/item.asp", {"id": eid}
        shown = redact(url, params)
        html = self._get(url, params, "item")
        records, rejects = [], []
        try:
            rec = parse_item(html, url=f"https://www.elibrary.ru/item.asp?id={eid}")
            rec.raw = _results_form(html)
            records.append(rec)
        except ValueError as exc:
            rejects.append(Reject(f"item.asp?id={eid}", str(exc), _results_form(html)))
        done = cursor["list_done"] and not rest
        return Page(cursor={**cursor, "queue": rest}, records=records, rejects=rejects, done=done, url=shown,
                    note=f"item {eid} ({len(rest)} left on this list page)")


class ElibrarySavedCrawler:
    """Pages saved by hand: item pages and publication lists, one file per step."""

    source = "elibrary_saved"

    def __init__(self, paths: list[Path]):
        files: list[Path] = []
        for p in paths:
            p = Path(p)
            if p.is_dir():
                files.extend(sorted(x for x in p.rglob("*") if x.suffix.lower() in (".htm", ".html")))
            else:
                files.append(p)
        if not files:
            raise ValueError("no saved pages found (give .html files or folders holding them)")
        self.files = files

    def params(self) -> dict[str, Any]:
        digest = hashlib.sha256()
        for f in self.files:
            digest.update(str(f).encode() + b"\0" + f.read_bytes())
        return {"files": [str(f) for f in self.files], "sha256": digest.hexdigest()[:16]}

    def start(self) -> dict[str, Any]:
        return {"index": 0}

    def plan(self) -> list[str]:
        return [f"# read {f}" for f in self.files]

    def fetch(self, cursor: dict[str, Any]) -> Page:
        i = cursor["index"]
        path = self.files[i]
        nxt = {"index": i + 1}
        done = i + 1 >= len(self.files)
        html = _read_saved(path)
        marker = block_reason(html)
        kind = page_type(html)
        if kind is None:
            why = f"a captcha or block page (it says {marker!r})" if marker else "neither an item page nor a list"
            return Page(cursor=nxt, rejects=[Reject(str(path), f"saved page is {why}", None)], done=done,
                        url=str(path))
        if kind == "item":
            try:
                rec = parse_item(html)
            except ValueError as exc:
                return Page(cursor=nxt, rejects=[Reject(str(path), str(exc), None)], done=done, url=str(path))
            rec.raw = _results_form(html)
            rec.source = "elibrary_html"
            return Page(cursor=nxt, records=[rec], done=done, url=str(path), note=path.name)
        parsed = parse_list(html)
        records = []
        for row in parsed.rows:
            row.record.raw = row.raw
            records.append(row.record)
        rejects = [Reject(f"{path.name} {loc}", reason, raw) for loc, reason, raw in parsed.rejects]
        if not records and not rejects:
            rejects.append(Reject(str(path), "saved list page has no publication rows", None))
        return Page(cursor=nxt, records=records, rejects=rejects, done=done, url=str(path), note=path.name)


def _read_saved(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
