"""Crossref works JSON reader: real API responses, INVENTED Cyrillic and broken fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.crossref_map import date_parts, work_to_record
from bibmine.sources.files import open_export
from bibmine.sources.textutil import strip_markup

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/crossref_json"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/crossref_json/ "
                                                                "(real Crossref API answers)")

SINGLE = SAMPLES / "crossref_json/habanero_crossref_work_10.1371_journal.pone.0033693.json"
ECOLOGY = SAMPLES / "crossref_json/habanero_crossref_works_query_ecology_rows2.json"
WIDGET = SAMPLES / "crossref_json/habanero_crossref_works_query_widget_cursor.json"


def read(path: Path) -> tuple[list[Record], list[Reject]]:
    items = list(open_export(path).records())
    return [r for r in items if isinstance(r, Record)], [r for r in items if isinstance(r, Reject)]


@needs_samples
def test_single_work_response():
    records, rejects = read(SINGLE)
    assert len(records) == 1 and rejects == []
    r = records[0]
    assert r.ids.doi == "10.1371/journal.pone.0033693" and r.kind is Kind.ARTICLE
    assert r.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice"
    )
    assert [a.name for a in r.authors] == [
        "Sadasivan, Shankar", "Pond, Brooks B.", "Pani, Amar K.", "Qu, Chunxu", "Jiao, Yun", "Smeyne, Richard J.",
    ]  # fmt: skip
    assert r.authors[1].normalized == "pond b.b."
    assert (r.year, r.date, r.language) == (2012, "2012-03-21", "en")
    v = r.venue
    assert (v.name, v.abbreviation, v.issn) == ("PLoS ONE", "PLoS ONE", ["1932-6203"])
    assert (v.volume, v.issue, v.pages, v.publisher) == ("7", "3", "e33693", "Public Library of Science (PLoS)")
    assert len(r.references) == 70
    assert r.references[0].doi == "10.1038/sj.npp.1301164"
    assert (
        r.references[0].raw
        == "AF Arnsten, 2006, Stimulants: Therapeutic actions in ADHD., Neuropsychopharmacology, 31, 2376"
    )
    assert [(c.count, c.source, c.date) for c in r.citations] == [(72, "crossref", "2026-06-06")]
    assert r.url == "https://dx.plos.org/10.1371/journal.pone.0033693"
    text = SINGLE.read_text(encoding="utf-8")
    assert r.source == "crossref_json" and r.raw == text[text.index('"message":{') + len('"message":') : -1]


@needs_samples
def test_list_response_reference_entries():
    records, rejects = read(ECOLOGY)
    assert [r.title for r in records] == ["Communicating Ecology", "Chemical Ecology"] and rejects == []
    chem = records[1]
    assert chem.kind is Kind.CHAPTER and chem.extra["source_type"] == "reference-entry"
    assert [a.name for a in chem.authors] == ["Kessler, André"]
    assert chem.venue.isbn == ["9780199830060"] and chem.venue.name == "Ecology"
    assert (chem.year, chem.date) == (2012, "2012-05-23")
    assert chem.abstract.startswith("“Ours is a world of sights and sounds. We live by our eyes and ears")
    assert "<p>" not in chem.abstract


@needs_samples
def test_cursor_page_of_20():
    records, rejects = read(WIDGET)
    assert len(records) == 20 and rejects == []
    by_doi = {r.ids.doi: r for r in records}
    africon = by_doi["10.1109/afrcon.2009.5308146"]
    assert africon.kind is Kind.CONFERENCE_PAPER and africon.date == "2009-09"
    assert [a.name for a in africon.authors] == ["Mendes, Paco", "Caceres, Marcos", "Dwolatzky, Barry"]
    # 26 deposited references, 9 of them empty ({"key": .., "year": "0"}): 17 kept, count noted
    assert len(africon.references) == 17 and africon.extra["reference_count"] == "26"
    assert [x.doi for x in africon.references if x.doi] == ["10.1109/seaa.2008.17"]
    jei = by_doi["10.1117/1.jei.28.6.063006"]
    assert [(a.name, a.affiliations) for a in jei.authors] == [("Qi, Lin", [0]), ("Wang, Tiezhu", [1])]
    assert (
        jei.affiliations[1].raw
        == "Hebei University of Chinese Medicine, Center of Information Technology, Shijiazhuang"
    )
    assert len(jei.references) == 38
    blog = by_doi["10.59350/7mtwq-q3661"]  # posted-content of subtype "other": a blog post
    assert blog.kind is Kind.OTHER and blog.extra["source_type"] == "posted-content/other"
    assert blog.authors[0].orcid == "0000-0001-7542-0286"
    assert blog.abstract == (
        "In addition to this Swing-based screenshot of JChemPaint , here's a SWT widget in action (lower right corner):"
    )
    assert by_doi["10.1007/978-1-4302-0197-7_9"].year is None  # "date-parts": [[null]]


def test_invented_russian_work_with_english_original_title():
    records, rejects = read(FIXTURES / "ru_work.json")
    assert rejects == [] and len(records) == 1
    r = records[0]
    assert [(t.text, t.lang) for t in r.titles] == [
        ("Эрозия почв в лесостепи Центрального Черноземья", "ru"),
        ("Soil erosion in the forest-steppe of the Central Chernozem region", "en"),
    ]
    assert [a.name for a in r.authors] == ["Иванов, Иван", "Smirnova, Anna"]
    assert r.authors[0].normalized == "иванов и." and r.authors[0].orcid == "0000-0002-1825-0097"
    assert [a.raw for a in r.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия",
        "Kursk State University, Kursk, Russia",
    ]
    assert [a.affiliations for a in r.authors] == [[0], [0, 1]]
    # JATS: "Аннотация" heading dropped, paragraphs kept, entities unescaped, inline tags removed
    assert r.abstract == "Изучена эрозия почв & овражная сеть.\nВторой абзац с курсивом."
    assert r.abstracts[0].lang == "ru"
    assert (r.year, r.date) == (2022, "2022-11")  # "issued" wins over published-print
    assert r.venue.issn == ["1609-0675"] and r.venue.pages == "10-19"
    assert [(x.doi, x.raw) for x in r.references] == [
        ("10.1016/j.geoderma.2020.114000", "Петров П.П. Почвы. 2020."),
        (None, "Сидоров С.С. Эрозия. М.: Наука, 1999."),
    ]
    assert r.funding == ["Russian Science Foundation (22-27-00001)"]
    assert [(x.scheme, x.code, x.source) for x in r.rubrics] == [("crossref_subject", "Soil Science", "foreign")]
    assert r.language == "ru" and r.citations[0].count == 5


def test_invented_single_work_raw_is_the_message_text():
    path = FIXTURES / "ru_work.json"
    [r] = read(path)[0]
    text = path.read_text(encoding="utf-8")
    # the exact text of "message" (indentation kept), not a re-serialisation
    assert r.raw == text[text.index('"message": ') + len('"message": '):text.rindex("}")].rstrip()
    # 3 deposited references, one of them empty: 2 kept, the count noted
    assert len(r.references) == 2 and r.extra["reference_count"] == "3"


def test_invented_work_list_with_reference_entry_and_undated_work(tmp_path):
    """A "work-list" response (as a cursor page): the invented Russian work, a reference entry in a book
    with an ISBN, and a work whose date-parts are [[null]]."""
    work = json.loads((FIXTURES / "ru_work.json").read_text(encoding="utf-8"))["message"]
    chapter = {"DOI": "10.5555/invented.chapter", "type": "reference-entry", "title": ["Chernozem"],
               "container-title": ["Encyclopedia of Russian Soils"], "ISBN": ["9780000000002"],
               "author": [{"given": "Anna", "family": "Smirnova"}], "issued": {"date-parts": [[2012, 5, 23]]},
               "abstract": "<jats:p>Typical &amp; leached chernozems.</jats:p>"}
    undated = {"DOI": "10.5555/invented.undated", "type": "journal-article", "title": ["Undated note"],
               "issued": {"date-parts": [[None]]}, "reference-count": 3,
               "reference": [{"key": "r1", "year": "0"}, {"key": "r2", "DOI": "10.5555/x"},
                             {"key": "r3", "unstructured": "Someone S. Soils. 2001."}]}
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"status": "ok", "message-type": "work-list", "message": {
        "total-results": 3, "items": [work, chapter, undated], "next-cursor": "AoJ"}}, ensure_ascii=False),
        encoding="utf-8")
    records, rejects = read(path)
    assert rejects == [] and [r.ids.doi for r in records] == [
        "10.17308/invented.2022.4.002", "10.5555/invented.chapter", "10.5555/invented.undated"]
    chem = records[1]
    assert chem.kind is Kind.CHAPTER and chem.extra["source_type"] == "reference-entry"
    assert (chem.venue.name, chem.venue.isbn, chem.year, chem.date) == (
        "Encyclopedia of Russian Soils", ["9780000000002"], 2012, "2012-05-23")
    assert [a.name for a in chem.authors] == ["Smirnova, Anna"]
    assert chem.abstract == "Typical & leached chernozems."  # markup gone, entity unescaped
    note = records[2]
    assert (note.year, note.date) == (None, None)  # "date-parts": [[null]]
    assert [(x.doi, x.raw) for x in note.references] == [("10.5555/x", None), (None, "Someone S. Soils. 2001.")]
    assert note.extra["reference_count"] == "3"


def test_jsonl_broken_line_and_untitled_work():
    records, rejects = read(FIXTURES / "items_broken.jsonl")
    assert [r.ids.doi for r in records] == ["10.17308/invented.2022.4.002", "10.5555/invented.3"]
    assert records[1].kind is Kind.PREPRINT and records[1].date == "2023-02-01"  # "posted" date
    assert [(r.location, r.reason.split(": ")[1]) for r in rejects] == [
        ("line 2", "invalid JSON"),
        ("line 3", "work has neither a title nor a DOI"),
    ]


def test_helpers():
    assert date_parts({"date-parts": [[2021, 13, 5]]}) == (2021, "2021")  # month 13 is no month
    assert date_parts({"date-parts": [["2019", "4", "1"]]}) == (2019, "2019-04-01")
    assert date_parts(None) == (None, None)
    assert strip_markup("<jats:sec><jats:title>Background</jats:title><jats:p>Text</jats:p></jats:sec>",
                        paragraphs=True) == "Background\nText"  # fmt: skip
    assert work_to_record({"DOI": "10.1234/a", "subtitle": ["x"]}).titles == []
    titled = work_to_record({"title": ["Soils"], "subtitle": ["A review"]})
    assert titled.title == "Soils: A review"


@needs_samples
@pytest.mark.parametrize("path", sorted((SAMPLES / "crossref_json").glob("*")), ids=lambda p: p.name)
def test_samples_detected_as_crossref_json(path):
    assert open_export(path).reader.name == "crossref_json"



