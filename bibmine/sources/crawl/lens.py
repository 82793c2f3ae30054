"""Lens.org patent API: the non-Russian patent source (any office: WO, EP, US, CN, ...).

``POST /patent/search`` with a Bearer token (``LENS_TOKEN`` or ``[lens] token``), a
Lucene ``query_string`` and ``from``/``size`` paging sorted by publication date.
``--region`` searches applicant and inventor addresses for the region's towns.
Records are mapped by :func:`bibmine.sources.patent_map.lens_patent_to_record`; the
addresses Lens extracted for applicants and inventors are added as affiliations so the
regions stage can place them.
"""

from __future__ import annotations

from typing import Any

from bibmine.record import Affiliation, Record
from bibmine.sources.crawl._api import TokenSearch
from bibmine.sources.patent_map import lens_patent_to_record
from bibmine.sources.readers.base import raw_json

MAX_OFFSET = 10_000  # from + size paging stops here (Lens offers scroll for more)


def _address(party: dict) -> str | None:
    value = party.get("extracted_address") or party.get("address")
    if isinstance(value, dict):
        value = value.get("value") or value.get("text")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _party_name(p: dict) -> str | None:
    name = (p.get("extracted_name") or {}).get("value") or p.get("name")
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else None


def with_addresses(rec: Record, doc: dict) -> Record:
    """Put applicant and inventor addresses into the record's affiliations."""
    parties = (doc.get("biblio") or {}).get("parties") or {}
    by_org = {a.organization: a for a in rec.affiliations}
    for party in parties.get("applicants") or ():
        address = _address(party)
        aff = by_org.get(_party_name(party))
        if address and aff is not None:
            aff.raw = f"{aff.organization}, {address}"
    people = sorted(parties.get("inventors") or (), key=lambda p: p.get("sequence") or 0)
    named = [p for p in people if _party_name(p)]
    for person, author in zip(named, rec.authors, strict=False):
        address = _address(person)
        if address:
            author.affiliations.append(len(rec.affiliations))
            rec.affiliations.append(Affiliation(raw=address, country=(person.get("residence") or None)))
    return rec


class LensCrawler(TokenSearch):
    source, label, setting = "lens", "Lens", "LENS_TOKEN or [lens] token"
    path, items_key, offset_name, max_offset = "/patent/search", "data", "from", MAX_OFFSET

    def params(self) -> dict[str, Any]:
        return {"region": self.region.iso if self.region else None, "query": self.query, "from": self.year_from,
                "to": self.year_to, "base_url": self.base}

    def start(self) -> dict[str, Any]:
        return {"offset": 0}

    def lucene(self) -> str:
        if self.query:
            q = f"({self.query})"
        else:
            assert self.region is not None
            towns = " OR ".join(f'"{c}"' for c in self.region.cities_en)
            q = f"(applicant.address:({towns}) OR inventor.address:({towns}))"
        if self.year_from or self.year_to:
            q += f" AND year_published:[{self.year_from or '*'} TO {self.year_to or '*'}]"
        return q

    def _body(self, offset: int) -> dict[str, Any]:
        return {"query": {"query_string": {"query": self.lucene()}}, "size": self.source_config.per_page,
                "from": offset, "sort": [{"date_published": "asc"}]}

    @staticmethod
    def _record(doc: dict) -> Record:
        return with_addresses(lens_patent_to_record(doc, source="lens", raw=raw_json(doc)), doc)
