"""One kind vocabulary (issue 23): OpenAlex and Crossref work types map to kinds through the tables of
``vocabularies.toml`` alone, and the OpenAlex JSON and CSV readers agree on every type.  Records: INVENTED,
one per type."""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import pytest

import bibmine.sources.readers as readers
from bibmine.corpus.model import Kind, Record
from bibmine.sources import read_records
from bibmine.sources.crossref_map import work_to_record as crossref_record
from bibmine.sources.openalex_map import work_to_record as openalex_record

VOCABULARY = tomllib.loads((Path(readers.__file__).with_name("vocabularies.toml")).read_text(encoding="utf-8"))
OPENALEX = VOCABULARY["kind"]["openalex"]
# the types that became chapter/book from JSON but "other" from CSV before issue 23, and types no table lists
LEGACY = {"book-part": "chapter", "book-section": "chapter", "edited-book": "book", "proceedings": "book"}
UNLISTED = ["a-type-openalex-never-had", ""]
SOURCE_TYPES = [None, "journal", "conference"]


def _expected(work_type: str, source_type: str | None) -> Kind:
    kind = Kind(OPENALEX.get(work_type, "other"))
    return Kind.CONFERENCE_PAPER if kind is Kind.ARTICLE and source_type == "conference" else kind


def _works() -> list[tuple[str, str | None]]:
    return [(t, s) for t in [*OPENALEX, *UNLISTED] for s in SOURCE_TYPES]


def _by_title(items) -> dict[str, Kind]:
    return {r.title: r.kind for r in items if isinstance(r, Record)}


def test_the_legacy_types_are_in_the_table():
    assert {t: OPENALEX[t] for t in LEGACY} == LEGACY
    assert set(VOCABULARY["kind"]["crossref"].values()) | set(OPENALEX.values()) <= {k.value for k in Kind}


def test_openalex_json_and_csv_readers_agree_for_every_type(tmp_path):
    works = _works()
    jsonl, table = tmp_path / "works.jsonl", tmp_path / "works.csv"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for n, (work_type, source_type) in enumerate(works):
            work = {"id": f"https://openalex.org/W{n + 1}", "title": f"Invented work {n}", "type": work_type,
                    "primary_location": {"source": {"type": source_type} if source_type else None}}
            fh.write(json.dumps(work) + "\n")
    with open(table, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "display_name", "type", "primary_location.source.type", "authorships.author.display_name"])
        for n, (work_type, source_type) in enumerate(works):
            w.writerow([f"https://openalex.org/W{n + 1}", f"Invented work {n}", work_type, source_type or "",
                        "Ivan Ivanov"])
    from_json = _by_title(read_records(jsonl, "openalex_json"))
    from_csv = _by_title(read_records(table, "openalex_csv"))
    assert len(from_json) == len(from_csv) == len(works)
    expected = {f"Invented work {n}": _expected(t, s) for n, (t, s) in enumerate(works)}
    assert from_json == expected
    assert from_csv == expected


@pytest.mark.parametrize("work_type", [*VOCABULARY["kind"]["crossref"], "dataset", "posted-content"])
def test_crossref_types_come_from_the_table(work_type):
    record = crossref_record({"DOI": "10.5555/x", "title": ["Invented"], "type": work_type})
    assert record.kind is Kind(VOCABULARY["kind"]["crossref"].get(work_type, "other"))


@pytest.mark.parametrize(("subtype", "kind"), [("preprint", Kind.PREPRINT), ("working_paper", Kind.PREPRINT),
                                               ("dissertation", Kind.THESIS), ("other", Kind.OTHER)])
def test_crossref_posted_content_by_subtype(subtype, kind):
    record = crossref_record({"DOI": "10.5555/x", "title": ["Invented"], "type": "posted-content",
                              "subtype": subtype})
    assert record.kind is kind


def test_a_type_that_is_not_text_is_other():
    assert openalex_record({"id": "W1", "title": "Invented", "type": 7}).kind is Kind.OTHER
