"""OpenAlex works JSON reader: INVENTED Cyrillic and broken fixtures, and real samples as extra coverage."""

from __future__ import annotations

import json
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.openalex_map import rebuild_abstract, work_to_record
from bibmine.sources.readers import _jsondoc, _jsonio
from bibmine.sources.readers.openalex_json import LAYOUT, read_openalex_json

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/openalex_json"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/openalex_json/ "
                                                                "(real OpenAlex API answers)")

LIST_49 = SAMPLES / "openalex_json/peneira_openalex_works_list.json"
SINGLE = SAMPLES / "openalex_json/zotero_openalex_work_W2257674859.json"
LIST_5 = SAMPLES / "openalex_json/zotero_openalex_works_list_5.json"


def read(path: Path) -> tuple[list[Record], list[Reject]]:
    items = list(open_export(path).records())
    return [r for r in items if isinstance(r, Record)], [r for r in items if isinstance(r, Reject)]


@needs_samples
def test_list_response_of_49_works():
    records, rejects = read(LIST_49)
    assert len(records) == 49 and rejects == []
    r = records[0]
    assert r.title == (
        "Redefining climate regions in the United States of America using satellite remote sensing "
        "and machine learning for public health applications"
    )
    assert r.kind is Kind.ARTICLE and r.source == "openalex_json"
    assert (r.ids.openalex, r.ids.doi, r.ids.pmid) == ("W2068311567", "10.4081/gh.2014.294", "25599636")
    assert (r.year, r.date, r.language) == (2014, "2014-12-01", "en")
    assert [a.name for a in r.authors] == ["Alexander Liss", "Magaly Koch", "Elena N. Naumova"]
    assert r.authors[1].orcid == "0000-0002-6186-1619"
    assert r.authors[0].ids == {"openalex": "A5040992156"}
    # raw string paired with the institution it names; the others kept as printed
    aff = r.affiliations[r.authors[0].affiliations[0]]
    assert aff.raw == "Department of Civil and Environmental Engineering, Tufts University, Medford"
    assert (aff.organization, aff.country) == ("Tufts University", "US")
    # "Boston\r\nUniversity" in the source: the line break is collapsed
    assert r.affiliations[r.authors[1].affiliations[0]].raw == "Center for Remote Sensing, Boston University, Boston"
    v = r.venue
    assert (v.name, v.issn, v.publisher) == ("Geospatial Health", ["1827-1987", "1970-7096"], "PAGEPress (Italy)")
    assert (v.volume, v.issue, v.pages) == ("8", "3", "467")
    assert r.indexed_keywords == ["Exposure Assessment"]
    assert len(r.references) == 50 and r.references[0].resolved == "W34240753"
    assert r.abstract.startswith("Existing climate classification has not been designed for an efficient")
    assert r.citations[0].count == 8 and r.citations[0].source == "openalex" and r.citations[0].date == "2024-04-25"
    topic = r.rubrics[0]
    assert (topic.scheme, topic.code, topic.source, topic.score) == ("openalex_topic", "T11244", "foreign", 1.0)
    assert topic.label == "Impact of Climate Change on Human Health"
    assert sum(1 for x in r.rubrics if x.scheme == "openalex_concept") == 11
    kinds = Counter(x.kind for x in records)
    assert kinds[Kind.ARTICLE] == 30 and kinds[Kind.PREPRINT] == 8 and kinds[Kind.CHAPTER] == 5
    assert kinds[Kind.THESIS] == 1 and kinds[Kind.REVIEW] == 1
    # an "article" in a conference source is a conference paper
    conf = next(x for x in records if x.ids.openalex == "W4206121799")
    assert conf.kind is Kind.CONFERENCE_PAPER and conf.extra["venue_type"] == "conference"
    chapter = next(x for x in records if x.ids.openalex == "W4290839785")
    assert chapter.kind is Kind.CHAPTER and chapter.venue.pages == "190-204"


@needs_samples
def test_list_response_raw_is_the_exact_object_text():
    records, _ = read(LIST_49)
    source = json.loads(LIST_49.read_text(encoding="utf-8"))["results"]
    assert [json.loads(r.raw) for r in records] == source
    assert LIST_49.read_text(encoding="utf-8").count(records[7].raw) == 1


@needs_samples
def test_single_work_dissertation():
    records, rejects = read(SINGLE)
    assert len(records) == 1 and rejects == []
    r = records[0]
    assert r.title == "The GULag and Laogai: A Comparative Study of Forced Labor through Camp Literature"
    assert r.kind is Kind.THESIS and (r.year, r.ids.doi) == (2017, "10.18130/v3v002")
    assert r.abstract.startswith("This is the first comparative study ever undertaken in an investigation")
    assert r.indexed_keywords == ["gulag", "forced labor", "camp", "laogai"]
    assert [(a.raw, a.organization, a.country) for a in r.affiliations] == [
        ("University of Virginia", "University of Virginia", "US")
    ]
    assert r.references == []
    assert r.raw == SINGLE.read_text(encoding="utf-8").strip()


@needs_samples
def test_list_of_5_keeps_cyrillic_and_empty_works():
    records, rejects = read(LIST_5)
    assert len(records) == 5 and rejects == []
    genetika = records[3]
    assert genetika.ids.openalex == "W78857221" and genetika.language == "de"
    assert [a.name for a in genetika.authors] == ["L.V. Nevzgodina", "В. Г. Кузнецов", "Sychkov"]
    notices = records[1]
    assert notices.title == "Notices" and notices.authors == [] and notices.abstracts == []
    assert records[0].venue.volume == "AU-13"


def test_invented_russian_work():
    records, rejects = read(FIXTURES / "ru_work.json")
    assert rejects == [] and len(records) == 1
    r = records[0]
    assert r.title == "Почвенный покров Воронежской области" and r.titles[0].lang == "ru"
    assert r.abstract == "Рассмотрены почвы Воронежской области. Черноземные почвы занимают большую часть территории."
    assert r.abstracts[0].lang == "ru"
    assert (r.ids.doi, r.ids.openalex) == ("10.17308/invented.2023.1.001", "W4000000001")
    assert [a.name for a in r.authors] == ["Иван Иванов", "Мария Петрова"]
    assert r.authors[0].normalized == "иванов и."
    assert [(a.raw, a.organization, a.country) for a in r.affiliations] == [
        ("Воронежский государственный университет, Воронеж, Россия", "Воронежский государственный университет", "RU"),
        ("Институт почвоведения, Курск", None, None),
    ]
    assert r.venue.pages == "45-52" and r.venue.publisher == "Воронежский государственный университет"
    assert r.indexed_keywords == ["Чернозем"]
    assert [x.resolved for x in r.references] == ["W2000000001", "W2000000002"]


def test_jsonl_broken_line_rejected_rest_read():
    records, rejects = read(FIXTURES / "works_broken.jsonl")
    assert [r.ids.openalex for r in records] == ["W4000000001", "W4000000004"]
    assert records[1].kind is Kind.PREPRINT and records[1].title == "Soils of the Lipetsk region"
    assert [r.location for r in rejects] == ["line 2", "line 3"]
    assert "invalid JSON" in rejects[0].reason and "works_broken.jsonl" in rejects[0].reason
    assert rejects[0].raw.startswith('{"id": "https://openalex.org/W4000000009", "title": "Обрыв строки')
    assert "neither a title nor an identifier" in rejects[1].reason
    # each record's raw is its line, exactly
    lines = (FIXTURES / "works_broken.jsonl").read_text(encoding="utf-8").splitlines()
    assert records[0].raw == lines[0] and records[1].raw == lines[4]


def test_jsonl_with_broken_first_line():
    records, rejects = read(FIXTURES / "broken_first_line.jsonl")
    assert [r.ids.openalex for r in records] == ["W4000000004"]
    assert [r.location for r in rejects] == ["line 1"]


def test_truncated_single_work_names_the_offset():
    records, rejects = read(FIXTURES / "truncated_work.json")
    assert records == [] and len(rejects) == 1
    rej = rejects[0]
    assert rej.location == "offset 964"
    assert "character offset 964" in rej.reason and "truncated" in rej.reason


def test_truncated_list_keeps_the_works_before_the_cut():
    records, rejects = read(FIXTURES / "truncated_list.json")
    assert [r.ids.openalex for r in records] == ["W4000000001"]
    assert len(rejects) == 1 and rejects[0].location.startswith("offset ")
    assert "1 record(s) before it were read" in rejects[0].reason


def invented_list(path: Path, n: int) -> list[dict]:
    """A list response of n copies of the invented ru_work.json, each its own id, written indented (as the
    API's pretty form) with Cyrillic kept; returns the works as written."""
    work = json.loads((FIXTURES / "ru_work.json").read_text(encoding="utf-8"))
    works = [dict(work, id=f"https://openalex.org/W{4100000000 + i}") for i in range(n)]
    path.write_text(json.dumps({"meta": {"count": n}, "results": works}, ensure_ascii=False, indent=2),
                    encoding="utf-8")
    return works


def test_invented_list_raw_is_the_exact_object_text(tmp_path):
    path = tmp_path / "list.json"
    works = invented_list(path, 5)
    records, rejects = read(path)
    assert rejects == [] and [r.ids.openalex for r in records] == [f"W{4100000000 + i}" for i in range(5)]
    assert [json.loads(r.raw) for r in records] == works
    text = path.read_text(encoding="utf-8")
    assert text.count(records[3].raw) == 1 and records[3].raw.startswith("{\n")  # as written, indentation kept


def test_invented_document_streaming_with_a_tiny_window(monkeypatch, tmp_path):
    """Records split across many buffer refills come out the same."""
    path = tmp_path / "list.json"
    invented_list(path, 4)
    whole = [r.raw for r in read_openalex_json(path, "utf-8")]
    assert len(whole) == 4
    monkeypatch.setattr(_jsondoc, "_CHUNK", 7)
    assert [r.raw for r in read_openalex_json(path, "utf-8")] == whole


def test_invented_big_list_response_is_read_in_flat_memory(tmp_path):
    """A 10 MB list response of invented works is decoded one work at a time, not held whole."""
    work = json.loads((FIXTURES / "ru_work.json").read_text(encoding="utf-8"))
    n, peak = _stream_big_list(tmp_path / "big.json", [work], 3200)
    assert n == 3200 and peak < 6_000_000


def _stream_big_list(path, works: list[dict], count: int) -> tuple[int, int]:
    """Write a list response of ``count`` works (cycling ``works``, each its own id) of over 9 MB, stream
    it; (items read, peak traced memory)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f'{{"meta": {{"count": {count}}}, "results": [')
        fh.write(",\n".join(json.dumps(dict(works[i % len(works)], id=f"https://openalex.org/W{i}"))
                             for i in range(count)))
        fh.write("]}")
    assert path.stat().st_size > 9_000_000
    tracemalloc.start()
    try:
        n = sum(1 for _ in _jsonio.iter_json_items(path, "utf-8", LAYOUT))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return n, peak


@needs_samples
def test_document_streaming_with_a_tiny_window(monkeypatch):
    """Records split across many buffer refills come out the same."""
    whole = [r.raw for r in read_openalex_json(LIST_49, "utf-8")]
    monkeypatch.setattr(_jsondoc, "_CHUNK", 7)
    assert [r.raw for r in read_openalex_json(LIST_49, "utf-8")] == whole


@needs_samples
def test_big_list_response_is_read_in_flat_memory(tmp_path):
    """A 10 MB list response is decoded one work at a time, not held whole."""
    works = json.loads(LIST_49.read_text(encoding="utf-8"))["results"]
    assert len(works) == 49
    n, peak = _stream_big_list(tmp_path / "big.json", works, 600)
    assert n == 600 and peak < 6_000_000


def test_jsonl_of_list_responses_is_unwrapped(tmp_path):
    work = json.loads((FIXTURES / "ru_work.json").read_text(encoding="utf-8"))
    page = {"meta": {"count": 2}, "results": [work, dict(work, id="https://openalex.org/W5")]}
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page, ensure_ascii=False) + "\n" + json.dumps(page) + "\n", encoding="utf-8")
    items = list(read_openalex_json(path, "utf-8"))
    assert [r.ids.openalex for r in items] == ["W4000000001", "W5"] * 2
    assert json.loads(items[3].raw)["id"] == "https://openalex.org/W5"


def test_mapping_edge_cases():
    assert rebuild_abstract({"b": [2], "a": [0]}) == "a b"  # a gap at position 1
    assert rebuild_abstract({"x": [0, "junk"], "y": [1]}) == "x y"
    assert rebuild_abstract({}) is None
    with pytest.raises(ValueError, match="neither a title nor an identifier"):
        work_to_record({"publication_year": 2020})
    with pytest.raises(TypeError):
        work_to_record(["not", "a", "work"])  # type: ignore[arg-type]


@needs_samples
@pytest.mark.parametrize("path", sorted((SAMPLES / "openalex_json").glob("*")), ids=lambda p: p.name)
def test_samples_detected_as_openalex_json(path):
    assert open_export(path).reader.name == "openalex_json"



