"""OpenAlex: a region's institutions, then their works, with cursor paging.

Phase ``institutions`` (only with ``--region``): for each of the region's towns,
``/institutions?filter=country_code:RU&search=TOWN``, keeping institutions whose
``geo.city`` is one of the region's towns (OpenAlex cannot filter on the city, so the
search is by name and the city is checked here).  Phase ``works``:
``/works?filter=authorships.institutions.id:I1|I2|...`` (50 ids per chunk) plus year,
type and any raw ``--filter``, paged with ``cursor=*`` until ``next_cursor`` is null.
Works are mapped by :func:`bibmine.sources.openalex_map.work_to_record`.
"""

from __future__ import annotations

from typing import Any

from bibmine.record import Record
from bibmine.sources.crawl._api import map_items, require_list
from bibmine.sources.crawl.config import SourceConfig
from bibmine.sources.crawl.engine import Page
from bibmine.sources.crawl.regions import Region
from bibmine.sources.http import HttpError, PoliteClient, describe, redact
from bibmine.sources.openalex_map import short_id, work_to_record
from bibmine.sources.readers.base import raw_json

CHUNK = 50  # institution ids per works filter (OpenAlex allows up to 100 OR-ed values)


def _fold(text: str | None) -> str:
    return (text or "").casefold().replace("ё", "е").replace("-", " ").strip()


class OpenAlexCrawler:
    source = "openalex"

    def __init__(self, client: PoliteClient, config: SourceConfig, *, region: Region | None = None,
                 institutions: list[str] | tuple[str, ...] = (), rors: list[str] | tuple[str, ...] = (),
                 raw_filter: str | None = None, year_from: int | None = None, year_to: int | None = None,
                 types: list[str] | tuple[str, ...] = (), mailto: str | None = None):
        if not (region or institutions or rors or raw_filter):
            raise ValueError("give --region, --institution, --ror or --filter: bibmine never crawls all of OpenAlex")
        self.client = client
        self.config = config
        self.base = config.base_url.rstrip("/")
        self.region = region
        self.institutions = sorted({short_id(i) for i in institutions if short_id(i)})
        self.rors = sorted({r.rstrip("/").rsplit("/", 1)[-1] for r in rors if r})
        self.raw_filter = raw_filter
        self.year_from, self.year_to = year_from, year_to
        self.types = sorted(types)
        self.mailto = mailto

    # ------------------------------------------------------------ job identity
    def params(self) -> dict[str, Any]:
        return {"region": self.region.iso if self.region else None, "institutions": self.institutions,
                "ror": self.rors, "filter": self.raw_filter, "from": self.year_from, "to": self.year_to,
                "types": self.types, "base_url": self.base}

    def start(self) -> dict[str, Any]:
        if self.region is not None:
            return {"phase": "institutions", "city": 0, "cursor": "*", "institutions": {}}
        return {"phase": "works", "chunk": 0, "cursor": "*", "institutions": self.institutions}

    def plan(self) -> list[str]:
        lines = []
        if self.region is not None:
            for city in self.region.cities_en:
                lines.append(describe("GET", f"{self.base}/institutions", self._common(
                    {"filter": "country_code:RU", "search": city, "cursor": "*"})))
            lines.append(f"# then keep institutions whose geo.city is one of {', '.join(self.region.cities_en)}")
            ids = ["I..."]
        else:
            ids = self.institutions
        chunks = self._chunks(ids) or [[]]
        lines.append(describe("GET", f"{self.base}/works", self._common(
            {"filter": self._works_filter(chunks[0]), "cursor": "*"})))
        lines.append("# then the same with cursor=meta.next_cursor until it is null"
                     + (f", for each of {len(chunks)} chunks of institution ids" if len(chunks) > 1 else ""))
        return lines

    # ------------------------------------------------------------ paging
    def fetch(self, cursor: dict[str, Any]) -> Page:
        if cursor["phase"] == "institutions":
            return self._institutions_page(cursor)
        return self._works_page(cursor)

    def _common(self, params: dict[str, Any]) -> dict[str, Any]:
        params = {**params, "per_page": self.config.per_page}
        if self.mailto:
            params["mailto"] = self.mailto
        if self.config.api_key:
            params["api_key"] = self.config.api_key
        return params

    def _get(self, path: str, params: dict[str, Any]) -> tuple[dict, str]:
        url = f"{self.base}/{path}"
        params = self._common(params)
        shown = redact(url, params)
        try:
            body = self.client.get_json(url, params)
        except HttpError as exc:
            if exc.status in (401, 403):
                raise HttpError(f"OpenAlex refused {shown} (HTTP {exc.status}): it may want an API key -- set "
                                "OPENALEX_API_KEY or [openalex] api_key", url=shown, status=exc.status) from None
            raise
        require_list(body, "results", f"GET {shown}", "OpenAlex")
        return body, shown

    def _institutions_page(self, cursor: dict[str, Any]) -> Page:
        region = self.region
        assert region is not None
        cities = region.cities_en
        city = cities[cursor["city"]]
        body, shown = self._get("institutions", {"filter": "country_code:RU", "search": city,
                                                 "cursor": cursor["cursor"]})
        wanted = {_fold(c) for c in cities}
        found = dict(cursor["institutions"])
        for inst in body["results"]:
            geo = inst.get("geo") or {}
            if (inst.get("country_code") or geo.get("country_code")) != "RU":
                continue
            if _fold(geo.get("city")) in wanted or _fold(geo.get("region")) in (_fold(region.name_en),):
                iid = short_id(inst.get("id"))
                if iid:
                    found[iid] = {"name": inst.get("display_name"), "ror": inst.get("ror")}
        nxt = (body.get("meta") or {}).get("next_cursor")
        if nxt and body["results"]:
            new = {**cursor, "cursor": nxt, "institutions": found}
        elif cursor["city"] + 1 < len(cities):
            new = {"phase": "institutions", "city": cursor["city"] + 1, "cursor": "*", "institutions": found}
        else:
            ids = sorted(found)
            if not ids and not (self.institutions or self.rors):
                return Page(cursor={"phase": "works", "institutions": [], "found": found}, done=True, url=shown,
                            note=f"no OpenAlex institution found in {', '.join(cities)}")
            new = {"phase": "works", "chunk": 0, "cursor": "*", "institutions": sorted({*ids, *self.institutions}),
                   "found": found}
        return Page(cursor=new, url=shown, note=f"institutions: {city} ({len(found)} found)")

    def _chunks(self, ids: list[str]) -> list[list[str]]:
        return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]

    def _works_filter(self, chunk: list[str]) -> str:
        parts = []
        if chunk:
            parts.append("authorships.institutions.id:" + "|".join(chunk))
        if self.rors:
            parts.append("authorships.institutions.ror:" + "|".join(self.rors))
        if self.year_from:
            parts.append(f"from_publication_date:{self.year_from}-01-01")
        if self.year_to:
            parts.append(f"to_publication_date:{self.year_to}-12-31")
        if self.types:
            parts.append("type:" + "|".join(self.types))
        if self.raw_filter:
            parts.append(self.raw_filter)
        return ",".join(parts)

    @staticmethod
    def _record(work: dict) -> Record:
        return work_to_record(work, source="openalex", raw=raw_json(work))

    def _works_page(self, cursor: dict[str, Any]) -> Page:
        chunks = self._chunks(cursor["institutions"]) or [[]]
        k = cursor.get("chunk", 0)
        body, shown = self._get("works", {"filter": self._works_filter(chunks[k]), "cursor": cursor["cursor"]})
        n_page = cursor.get("page", 0) + 1
        records, rejects = map_items(body["results"], self._record, f"works chunk {k + 1} page {n_page} result")
        counts = dict(cursor.get("counts", {}))
        count = (body.get("meta") or {}).get("count")
        if isinstance(count, int):
            counts[str(k)] = count
        nxt = (body.get("meta") or {}).get("next_cursor")
        done = False
        if nxt and body["results"]:
            new = {**cursor, "cursor": nxt, "page": n_page, "counts": counts}
        elif k + 1 < len(chunks):
            new = {**cursor, "chunk": k + 1, "cursor": "*", "page": 0, "counts": counts}
        else:
            new = {**cursor, "cursor": None, "page": n_page, "counts": counts}
            done = True
        total = sum(counts.values()) if counts else None
        return Page(cursor=new, records=records, rejects=rejects, done=done, total=total, url=shown,
                    note=f"works chunk {k + 1}/{len(chunks)}")
