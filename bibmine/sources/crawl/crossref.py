"""Crossref: works by a DOI list, or by query and filter with cursor paging.

DOI lists go in batches of :data:`DOI_BATCH` as one ``/works?filter=doi:A,doi:B,...``
request each (far politer than one request per DOI); DOIs that Crossref does not
return are quarantined with their line number, and so are lines that are not DOIs.
Queries use ``query``, ``query.affiliation`` and ``filter`` (``from-pub-date``,
``until-pub-date`` and any raw filter) with ``cursor=*`` deep paging.  Works are
mapped by :func:`bibmine.sources.crossref_map.work_to_record` (JATS abstracts come
out as plain text).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bibmine.record import normalize_doi
from bibmine.sources.crawl._api import map_items, require_list
from bibmine.sources.crawl.config import SourceConfig
from bibmine.sources.crawl.engine import Page, Reject
from bibmine.sources.crossref_map import work_to_record
from bibmine.sources.http import PoliteClient, describe, redact
from bibmine.sources.readers.base import raw_json

DOI_BATCH = 20


def read_doi_file(path: Path) -> tuple[list[tuple[int, str]], list[Reject]]:
    """(line, DOI) pairs from a text file (one per line; blank lines and # comments skipped)."""
    dois: list[tuple[int, str]] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    text = Path(path).read_text("utf-8-sig")
    for n, line in enumerate(text.splitlines(), 1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        doi = normalize_doi(value.split()[0])
        if doi is None:
            rejects.append(Reject(f"{Path(path).name} line {n}", f"not a DOI: {value[:80]!r}", value))
        elif doi not in seen:
            seen.add(doi)
            dois.append((n, doi))
    return dois, rejects


class CrossrefCrawler:
    source = "crossref"

    def __init__(self, client: PoliteClient, config: SourceConfig, *, doi_file: Path | None = None,
                 query: str | None = None, affiliation: str | None = None, raw_filter: str | None = None,
                 year_from: int | None = None, year_to: int | None = None, mailto: str | None = None):
        if not (doi_file or query or affiliation or raw_filter):
            raise ValueError("give --dois FILE, --query, --affiliation or --filter")
        self.client = client
        self.config = config
        self.base = config.base_url.rstrip("/")
        self.doi_file = Path(doi_file) if doi_file else None
        self.query, self.affiliation, self.raw_filter = query, affiliation, raw_filter
        self.year_from, self.year_to = year_from, year_to
        self.mailto = mailto
        self.dois: list[tuple[int, str]] = []
        self.bad_lines: list[Reject] = []
        if self.doi_file is not None:
            self.dois, self.bad_lines = read_doi_file(self.doi_file)

    def params(self) -> dict[str, Any]:
        if self.doi_file is not None:
            digest = hashlib.sha256(self.doi_file.read_bytes()).hexdigest()[:16]
            return {"dois": str(self.doi_file), "dois_sha256": digest, "base_url": self.base}
        return {"query": self.query, "affiliation": self.affiliation, "filter": self.raw_filter,
                "from": self.year_from, "to": self.year_to, "base_url": self.base}

    def start(self) -> dict[str, Any]:
        if self.doi_file is not None:
            return {"mode": "dois", "index": 0}
        return {"mode": "query", "cursor": "*", "page": 0}

    def plan(self) -> list[str]:
        if self.doi_file is not None:
            first = [d for _, d in self.dois[:DOI_BATCH]]
            n = (len(self.dois) + DOI_BATCH - 1) // DOI_BATCH
            return [describe("GET", f"{self.base}/works", self._doi_params(first)),
                    f"# {len(self.dois)} DOIs in {n} requests of up to {DOI_BATCH}; "
                    f"{len(self.bad_lines)} lines are not DOIs and go to quarantine"]
        return [describe("GET", f"{self.base}/works", self._query_params("*")),
                "# then the same with cursor=message.next-cursor until a page comes back short or empty"]

    def fetch(self, cursor: dict[str, Any]) -> Page:
        if cursor["mode"] == "dois":
            return self._doi_page(cursor)
        return self._query_page(cursor)

    # ------------------------------------------------------------ requests
    def _polite(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.mailto:
            params["mailto"] = self.mailto
        return params

    def _doi_params(self, dois: list[str]) -> dict[str, Any]:
        return self._polite({"filter": ",".join(f"doi:{d}" for d in dois), "rows": len(dois) or 1})

    def _query_params(self, cursor: str) -> dict[str, Any]:
        filters = []
        if self.year_from:
            filters.append(f"from-pub-date:{self.year_from}-01-01")
        if self.year_to:
            filters.append(f"until-pub-date:{self.year_to}-12-31")
        if self.raw_filter:
            filters.append(self.raw_filter)
        params: dict[str, Any] = {"query": self.query, "query.affiliation": self.affiliation,
                                  "filter": ",".join(filters) or None, "rows": self.config.per_page,
                                  "cursor": cursor}
        return self._polite({k: v for k, v in params.items() if v is not None})

    def _items(self, params: dict[str, Any]) -> tuple[dict, list, str]:
        url = f"{self.base}/works"
        body = self.client.get_json(url, params)
        shown = redact(url, params)
        items = require_list(body, "message.items", f"GET {shown}", "Crossref")
        return body["message"], items, shown

    def _map(self, items: list, where: str) -> tuple[list, list[Reject]]:
        return map_items(items, lambda w: work_to_record(w, source="crossref", raw=raw_json(w)), f"{where} item")

    def _doi_page(self, cursor: dict[str, Any]) -> Page:
        index = cursor["index"]
        batch = self.dois[index:index + DOI_BATCH]
        rejects = list(self.bad_lines) if index == 0 else []
        if not batch:
            return Page(cursor={"mode": "dois", "index": index}, rejects=rejects, done=True,
                        url=str(self.doi_file))
        message, items, shown = self._items(self._doi_params([d for _, d in batch]))
        records, bad = self._map(items, f"DOIs {index + 1}-{index + len(batch)}")
        got = {r.ids.doi for r in records}
        for line, doi in batch:
            if doi not in got:
                rejects.append(Reject(f"{self.doi_file.name} line {line}", f"DOI {doi} not found in Crossref", doi))
        nxt = index + len(batch)
        return Page(cursor={"mode": "dois", "index": nxt}, records=records, rejects=rejects + bad,
                    done=nxt >= len(self.dois), total=len(self.dois), url=shown,
                    note=f"DOIs {nxt}/{len(self.dois)}")

    def _query_page(self, cursor: dict[str, Any]) -> Page:
        message, items, shown = self._items(self._query_params(cursor["cursor"]))
        n_page = cursor["page"] + 1
        records, rejects = self._map(items, f"page {n_page}")
        nxt = message.get("next-cursor")
        done = not items or not nxt or len(items) < self.config.per_page
        total = message.get("total-results") if isinstance(message.get("total-results"), int) else None
        return Page(cursor={"mode": "query", "cursor": None if done else nxt, "page": n_page}, records=records,
                    rejects=rejects, done=done, total=total, url=shown, note=f"page {n_page}")
