"""The flat view of a work that the indicators read: :class:`Doc`, made from a corpus :class:`Record`.

The indicators never read the corpus directly, so every one of them can be tested on a handful of
hand-made :class:`Doc` values.  A work's citation count is the largest count any source reported
(None when no source reported one: an unknown count is not 0); its rubrics are GRNTI level 1, manual
assignments first, automatic ones when there is no manual one; its keywords are the author keywords, or the
source's indexed keywords (OpenAlex, Keywords Plus) when it has none.

>>> from bibmine.corpus.model import Affiliation, Author, CitationCount, Record, Text
>>> r = Record(id="w1", year=2020, titles=[Text("T")], authors=[Author("Ivanov, I."), Author("Petrov, P.")],
...            affiliations=[Affiliation("VSU", region="RU-VOR", country="RU"), Affiliation("X", country="DE")],
...            citations=[CitationCount(3, "wos"), CitationCount(5, "scopus")], author_keywords=["Soil", "soil "])
>>> d = doc_from_record(r)
>>> d.citations, sorted(d.countries), d.subjects, d.keywords
(5, ['DE', 'RU'], ['RU-VOR'], ['soil'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bibmine.corpus.model import Record


@dataclass
class Doc:
    id: str
    year: int | None = None
    title: str = ""
    kind: str = "article"
    source: str | None = None  # journal / proceedings / patent office
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # author keywords, folded, each once
    citations: int | None = None
    references: int = 0
    countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2, each once
    subjects: list[str] = field(default_factory=list)  # ISO 3166-2 codes of Russian federal subjects, each once
    organizations: list[str] = field(default_factory=list)
    rubrics: list[str] = field(default_factory=list)  # GRNTI level 1
    doi: str | None = None


def _once(values: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def _keyword(text: str) -> str:
    return " ".join(text.split()).casefold()


def doc_from_record(record: Record) -> Doc:
    counts = [c.count for c in record.citations if c.count is not None and c.count >= 0]
    countries = _once(a.country or ("RU" if (a.region or "").startswith("RU-") else None)
                      for a in record.affiliations)
    subjects = _once(a.region for a in record.affiliations if (a.region or "").startswith("RU-"))
    grnti = [r for r in record.rubrics if r.scheme == "grnti"]
    chosen = [r for r in grnti if r.source == "manual"] or [r for r in grnti if r.source == "automatic"]
    return Doc(
        id=record.id or record.ids.doi or "", year=record.year, title=record.title or "", kind=str(record.kind.value),
        source=record.venue.name or (record.ids.patent.office if record.ids.patent else None),
        authors=_once(a.display for a in record.authors),
        keywords=_once(_keyword(k) for k in record.author_keywords or record.indexed_keywords),
        citations=max(counts) if counts else None, references=len(record.references),
        countries=countries, subjects=subjects,
        organizations=_once(a.organization for a in record.affiliations),
        rubrics=_once(r.code[:2] for r in chosen), doi=record.ids.doi)


def docs_from_corpus(corpus) -> Iterator[Doc]:
    """Every work of a :class:`~bibmine.corpus.store.Corpus` as a :class:`Doc` (placements and rubrics included)."""
    for record in corpus.iter_works():
        yield doc_from_record(record)
