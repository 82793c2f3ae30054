"""Rospatent search platform (searchplatform.rospatent.gov.ru): Russian inventions and
utility models through the ``/patsearch/v0.2/search`` API.

Needs a token (``ROSPATENT_TOKEN`` or ``[rospatent] token``); without one the crawler
refuses to start and says where to get it.  Paging is by ``offset`` (stored in the job),
sorted by publication date so that pages stay stable while a crawl runs.  Each hit's
``common`` block gives the number, kind code (C1/C2 invention, U1 utility model) and
dates; ``biblio.ru``/``biblio.en`` give titles, inventors and patent holders
(``Name (RU)``); holders and the address for correspondence become affiliations so
that the regions stage can place them.
"""

from __future__ import annotations

import re
from typing import Any

from bibmine.record import Affiliation, Identifiers, PatentNumber, Record, Text, guess_lang
from bibmine.sources.crawl._api import TokenSearch
from bibmine.sources.crawl.config import CrawlConfig
from bibmine.sources.crawl.regions import Region
from bibmine.sources.http import PoliteClient
from bibmine.sources.patent_map import applicant_affiliation, class_rubrics, inventor, patent_kind
from bibmine.sources.readers.base import raw_json
from bibmine.sources.textutil import strip_markup

MAX_OFFSET = 10_000  # the platform does not page past this; split the query by years
_COUNTRY = re.compile(r"^(.*?)\s*\(([A-Z]{2})\)\s*$")


def _date(value: str | None) -> str | None:
    """ISO date from Rospatent's ``2019.11.12``."""
    if not value:
        return None
    parts = re.split(r"[.\-/]", value.strip())
    return "-".join(parts[:3]) if len(parts) >= 3 and parts[0].isdigit() else value


def _name_country(value: str) -> tuple[str, str | None]:
    """``Иванов Иван Иванович (RU)`` -> (name, "RU")."""
    value = " ".join(value.split())
    m = _COUNTRY.match(value)
    return (m.group(1), m.group(2)) if m else (value, None)


def hit_to_record(hit: dict) -> Record:
    """One search hit -> Record; ValueError without a document number."""
    if not isinstance(hit, dict):
        raise TypeError(f"expected a hit object, got {type(hit).__name__}")
    common = hit.get("common") or {}
    office = common.get("publishing_office")
    number = common.get("document_number")
    code = common.get("kind")
    if not (office and number):
        raise ValueError("hit has no common.publishing_office + common.document_number")
    number = number.lstrip("0") or number
    rec = Record(kind=patent_kind(office, code), source="rospatent", raw=raw_json(hit),
                 ids=Identifiers(patent=PatentNumber(office=office, number=number, kind_code=code)),
                 url=f"https://searchplatform.rospatent.gov.ru/doc/{hit['id']}" if hit.get("id") else None)
    rec.date = _date(common.get("publication_date"))
    rec.year = int(rec.date[:4]) if rec.date and rec.date[:4].isdigit() else None
    application = common.get("application") or {}
    if application.get("filing_date"):
        rec.extra["filing_date"] = _date(application["filing_date"])
    if application.get("number"):
        rec.extra["application_number"] = application["number"]
    if code:
        rec.extra["kind_code"] = code
    if hit.get("dataset"):
        rec.extra["dataset"] = hit["dataset"]

    biblio = hit.get("biblio") or {}
    snippet = hit.get("snippet") or {}
    for lang in ("ru", "en"):
        title = (biblio.get(lang) or {}).get("title")
        if title:
            rec.titles.append(Text(" ".join(title.split()), lang))
    if not rec.titles and snippet.get("title"):
        title = strip_markup(snippet["title"])
        rec.titles.append(Text(title, guess_lang(title)))
    abstract = hit.get("abstract") or {}
    for lang, text in (abstract.items() if isinstance(abstract, dict) else ()):
        clean = strip_markup(text, paragraphs=True)
        if clean:
            rec.abstracts.append(Text(clean, lang))
    if not rec.abstracts and snippet.get("description"):
        clean = strip_markup(snippet["description"])
        if clean:
            rec.abstracts.append(Text(clean, snippet.get("lang") or guess_lang(clean)))
            rec.extra["abstract_from"] = "snippet"

    main = biblio.get("ru") or biblio.get("en") or {}
    for person in main.get("inventor") or ():
        name, _ = _name_country(person.get("name") or "")
        if name:
            rec.authors.append(inventor(name))
    holders = (main.get("patentee") or []) + (main.get("applicant") or [])
    seen: set[str] = set()
    for party in holders:
        name, country = _name_country(party.get("name") or "")
        if name and name not in seen:
            seen.add(name)
            aff = applicant_affiliation(name, country)
            if party.get("address"):
                aff.raw = f"{name}, {' '.join(party['address'].split())}"
            rec.affiliations.append(aff)
    address = main.get("contact_data") or main.get("correspondence_address")
    if address:
        rec.affiliations.append(Affiliation(raw=" ".join(address.split()), country="RU" if office == "RU" else None))
        rec.extra["address_kind"] = "correspondence (98)"
    classes = (common.get("classification") or {})
    rec.rubrics = class_rubrics((c.get("fullname") for c in classes.get("ipc") or ()), "ipc", "rospatent") + \
        class_rubrics((c.get("fullname") for c in classes.get("cpc") or ()), "cpc", "rospatent")
    return rec


class RospatentCrawler(TokenSearch):
    source, label, setting = "rospatent", "Rospatent", "ROSPATENT_TOKEN or [rospatent] token"
    path, items_key, offset_name, max_offset = "/patsearch/v0.2/search", "hits", "offset", MAX_OFFSET
    _record = staticmethod(hit_to_record)

    def __init__(self, client: PoliteClient, config: CrawlConfig, *, region: Region | None = None,
                 query: str | None = None, year_from: int | None = None, year_to: int | None = None,
                 datasets: tuple[str, ...] = ("ru_since_1994",), dry_run: bool = False):
        super().__init__(client, config, region=region, query=query, year_from=year_from, year_to=year_to,
                         dry_run=dry_run)
        self.datasets = list(datasets)

    def params(self) -> dict[str, Any]:
        return {"region": self.region.iso if self.region else None, "query": self.query, "from": self.year_from,
                "to": self.year_to, "datasets": self.datasets, "base_url": self.base}

    def start(self) -> dict[str, Any]:
        return {"offset": 0}

    def _q(self) -> str:
        if self.query:
            return self.query
        assert self.region is not None
        return " OR ".join(f'"{c}"' for c in self.region.cities_ru)

    def _body(self, offset: int) -> dict[str, Any]:
        body: dict[str, Any] = {"q": self._q(), "limit": self.source_config.per_page, "offset": offset,
                                "sort": "publication_date:asc", "datasets": self.datasets}
        if self.year_from or self.year_to:
            rng = {}
            if self.year_from:
                rng["gte"] = f"{self.year_from}0101"
            if self.year_to:
                rng["lte"] = f"{self.year_to}1231"
            body["filter"] = {"date_published": {"range": rng}}
        return body

