"""Write the corpus (merged works) as CSV, JSON Lines or RIS.

CSV cells that a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@`` first) get a leading ``'``
(:mod:`bibmine.safe_csv`); line breaks inside RIS values become spaces, so a value cannot end its
record or start another (docs/security.md).

Readers and writers follow the ``write_x`` naming of the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import rispy

from bibmine.record import Kind, Record, to_json
from bibmine.safe_csv import SafeDictWriter, fold_line_breaks

CSV_COLUMNS = [
    "id", "kind", "year", "title", "title_ru", "title_en", "authors", "affiliations", "doi", "venue", "issn",
    "author_keywords", "indexed_keywords", "grnti", "citations", "n_references", "abstract", "source",
]

_RIS_TYPES = {
    Kind.ARTICLE: "JOUR", Kind.REVIEW: "JOUR", Kind.CONFERENCE_PAPER: "CPAPER", Kind.BOOK: "BOOK",
    Kind.CHAPTER: "CHAP", Kind.THESIS: "THES", Kind.PREPRINT: "UNPB", Kind.PATENT: "PAT",
    Kind.UTILITY_MODEL: "PAT", Kind.SOFTWARE: "COMP", Kind.DATABASE: "DBASE", Kind.OTHER: "GEN",
}


def _row(rec: Record) -> dict[str, object]:
    cites = rec.citations[0] if rec.citations else None
    return {
        "id": rec.id, "kind": rec.kind.value, "year": rec.year, "title": rec.title,
        "title_ru": rec.title_in("ru"), "title_en": rec.title_in("en"),
        "authors": "; ".join(a.name for a in rec.authors),
        "affiliations": "; ".join(a.raw for a in rec.affiliations),
        "doi": rec.ids.doi, "venue": rec.venue.name, "issn": "; ".join(rec.venue.issn),
        "author_keywords": "; ".join(rec.author_keywords), "indexed_keywords": "; ".join(rec.indexed_keywords),
        "grnti": "; ".join(sorted({r.code for r in rec.rubrics if r.scheme == "grnti"})),
        "citations": f"{cites.count} ({cites.source})" if cites else "",
        "n_references": len(rec.references), "abstract": rec.abstract, "source": rec.source,
    }


def write_csv(records: Iterable[Record], out: TextIO) -> int:
    writer = SafeDictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(_row(rec))
        n += 1
    return n


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    n = 0
    for rec in records:
        out.write(to_json(rec).decode())
        out.write("\n")
        n += 1
    return n


def _ris_entry(rec: Record) -> dict:
    entry: dict[str, object] = {"type_of_reference": _RIS_TYPES.get(rec.kind, "GEN")}
    titles = [t.text for t in rec.titles]
    if titles:
        entry["title"] = titles[0]
    if len(titles) > 1:
        entry["translated_title"] = titles[1]
    if rec.authors:
        entry["authors"] = [a.name for a in rec.authors]
    if rec.year:
        entry["year"] = str(rec.year)
    for key, value in (("doi", rec.ids.doi), ("abstract", rec.abstract), ("secondary_title", rec.venue.name),
                       ("publisher", rec.venue.publisher), ("volume", rec.venue.volume),
                       ("number", rec.venue.issue), ("language", rec.language)):
        if value:
            entry[key] = value
    if rec.venue.issn:
        entry["issn"] = rec.venue.issn[0]
    if rec.url:
        entry["urls"] = [rec.url]
    keywords = rec.author_keywords + rec.indexed_keywords
    if keywords:
        entry["keywords"] = keywords
    if rec.affiliations:
        entry["author_address"] = "; ".join(a.raw for a in rec.affiliations)
    if rec.id:
        entry["id"] = rec.id
    return {key: _fold(value) for key, value in entry.items()}


def _fold(value: object) -> object:
    """Line breaks inside a value become spaces: in RIS a line that begins ``ER  -`` would end the record."""
    if isinstance(value, str):
        return fold_line_breaks(value)
    if isinstance(value, list):
        return [fold_line_breaks(v) if isinstance(v, str) else v for v in value]
    return value


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." counter line, which other RIS readers reject."""

    def set_header(self, count: int) -> str:
        return ""


def write_ris(records: Iterable[Record], out: TextIO) -> int:
    n = 0
    for rec in records:
        rispy.dump([_ris_entry(rec)], out, implementation=_RisWriter)
        n += 1
    return n


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "ris": write_ris}


def export(records: Iterable[Record], path: Path, fmt: str) -> int:
    """Write ``records`` to ``path`` in ``fmt`` (csv, jsonl, ris); return how many."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}")
    with open(path, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as out:
        return WRITERS[fmt](records, out)
