"""Web of Science readers: plain text and tab-delimited.

Real exports are read from ../shared/data/samples (values checked by hand against the
files); INVENTED Cyrillic and broken fixtures live in tests/fixtures/wos_*.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import msgspec
import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.readers import wos
from bibmine.sources.readers.wos import sniff_wos_plaintext
from bibmine.sources.readers.wos_tab import sniff_wos_tabdelimited

SAMPLES = Path(__file__).resolve().parents[2] / "../shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLAIN = SAMPLES / "wos_plaintext"
TAB = SAMPLES / "wos_tabdelimited"

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/wos_*/ "
                                                                "(real Web of Science exports)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


def records(path: Path) -> list[Record]:
    out = read(path)
    assert all(isinstance(r, Record) for r in out), [r for r in out if isinstance(r, Reject)]
    return out  # type: ignore[return-value]


def comparable(record: Record) -> dict:
    """The record without what legitimately differs between the two WoS formats."""
    d = msgspec.to_builtins(record)
    d.pop("raw")
    d.pop("source")
    return d


# ---------------------------------------------------------------- real plain-text samples


@needs_samples
def test_plaintext_2026_export_record_fields():
    recs = records(PLAIN / "bibliometrix_wos_sample.txt")
    assert len(recs) == 8
    r = recs[2]
    assert r.title == "bibliometrix: An R-tool for comprehensive science mapping analysis"
    assert r.titles[0].lang == "en"
    assert [a.name for a in r.authors] == ["Aria, Massimo", "Cuccurullo, Corrado"]
    assert [a.normalized for a in r.authors] == ["aria m.", "cuccurullo c."]
    assert [a.raw for a in r.affiliations] == [
        "Univ Napoli Federico II, Dept Econ & Stat, Via Cintia, I-80126 Naples, Italy",
        "Univ Campania Luigi Vanvitelli, Dept Econ & Management, Capua, CE, Italy",
    ]
    assert [a.affiliations for a in r.authors] == [[0], [1]]
    # OI wraps in the middle of a name: "Aria,\n   Massimo/0000-0002-8517-9411"
    assert [a.orcid for a in r.authors] == ["0000-0002-8517-9411", "0000-0002-7401-8575"]
    assert r.authors[0].ids == {"researcherid": "O-7983-2015"}
    assert r.ids.doi == "10.1016/j.joi.2017.08.007"
    assert r.ids.wos == "WOS:000418020600003"
    assert (r.year, r.date, r.kind, r.language) == (2017, "2017-11", Kind.ARTICLE, "en")
    assert r.author_keywords == [
        "sBibliometrics", "Science mapping", "Workflow", "Co-citation", "Bibliographic coupling", "R package",
    ]
    assert r.indexed_keywords[:2] == ["INFORMATION-SCIENCE", "SCIENTIFIC WORKFLOWS"]
    assert (r.venue.name, r.venue.abbreviation, r.venue.issn) == (
        "JOURNAL OF INFORMETRICS", "J. Informetr.", ["1751-1577", "1875-5879"],
    )
    assert (r.venue.volume, r.venue.issue, r.venue.pages, r.venue.publisher) == ("11", "4", "959-975", "ELSEVIER")
    assert len(r.references) == 67 == int(r.extra["NR"])
    assert r.references[0].raw == "Alavifard S., 2015, HINDEXCALCULATOR H I"
    # 48 CR lines say "DOI "; one of them, "DOI DOI 1458990/FILE/1458992.PDF#PAGE=11", is no DOI
    assert sum(1 for ref in r.references if ref.doi) == 47
    assert next(ref.doi for ref in r.references if ref.raw.startswith("Persson O., 2009")) is None
    assert [(c.source, c.count, c.date) for c in r.citations] == [
        ("wos", 8858, "2026-03-28"), ("wos_all_databases", 11190, "2026-03-28"),
    ]
    # WC wraps inside a category name: "...; Information Science &\n   Library Science"
    assert [(x.scheme, x.code) for x in r.rubrics if x.scheme == "wos_category"] == [
        ("wos_category", "Computer Science, Interdisciplinary Applications"),
        ("wos_category", "Information Science & Library Science"),
    ]
    assert all(x.source == "foreign" for x in r.rubrics)
    assert r.raw.startswith("PT J\nAU Aria, M\n   Cuccurullo, C\n") and r.raw.endswith("\nER")


@needs_samples
def test_plaintext_bracketed_addresses_and_cited_reference_dois():
    r = records(PLAIN / "bibliometrix_wos_sample.txt")[7]
    assert r.title == "PubMedMetaTool: Automated metadata extraction from PubMed using Python for bibliometric analysis"
    assert len(r.authors) == 8 and len(r.affiliations) == 7
    assert r.authors[0].name == "Souza, Leandro Rodrigues da Silva"
    assert r.authors[0].affiliations == [0, 2]  # listed in the 1st and 3rd C1 line
    assert r.affiliations[2].raw == "Inst Fed Goiano Campus Rio Verde, Rio Verde, Brazil"
    assert r.ids.doi == "10.1016/j.simpa.2025.100766"
    assert (r.year, r.date) == (2025, "2025-06")
    by_raw = {ref.raw: ref.doi for ref in r.references}
    # "DOI [a, DOI b]": the first DOI of the bracket
    assert by_raw["Pereira V., 2023, arXiv, DOI [10.1108/DTA-08-2023-0461, DOI 10.1108/DTA-08-2023-0461]"] == (
        "10.1108/dta-08-2023-0461"
    )
    assert r.funding[-1] == "CNPq, Brazil [302942/2022-0, 309525/2021-7]"


@needs_samples
def test_plaintext_old_export_without_author_brackets():
    recs = records(PLAIN / "metaknowledge_savedrecs.txt")
    assert len(recs) == 32
    r = recs[0]
    assert r.title == (
        "EXPERIMENTS IN PHENOMENOLOGICAL ELECTRODYNAMICS AND THE ELECTROMAGNETIC ENERGY-MOMENTUM TENSOR"
    )
    assert r.kind == Kind.REVIEW
    assert [a.name for a in r.authors] == ["BREVIK, I"]
    assert [a.raw for a in r.affiliations] == [
        "UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY",
        "LUFTKRIGSSKOLEN,TRONDHEIM MIL 7000,NORWAY",
    ]
    assert r.authors[0].affiliations == [0, 1]  # unbracketed addresses apply to every author
    assert (r.ids.wos, r.ids.doi, r.year) == ("WOS:A1979GV55600001", "10.1016/0370-1573(79)90074-7", 1979)
    assert len(r.references) == 104
    assert r.citations[0].count == 244


@needs_samples
def test_plaintext_bom_export_kinds_and_first_record():
    recs = records(PLAIN / "wosfile_wos_plaintext.txt")
    assert len(recs) == 50
    r = recs[0]
    assert r.title == (
        "Knowledge networks as channels and conduits: The effects of spillovers in the Boston biotechnology community"
    )
    assert [a.name for a in r.authors] == ["Owen-Smith, J", "Powell, WW"]
    assert r.author_keywords == ["knowledge networks", "economic geography", "spillovers", "biotechnology", "patenting"]
    assert len(r.indexed_keywords) == 10
    assert (r.year, r.date, r.ids.doi) == (2004, "2004-01", "10.1287/orsc.1030.0054")  # PD JAN-FEB
    assert [a.ids.get("researcherid") for a in r.authors] == ["B-3665-2012", "B-5991-2008"]
    assert len(r.references) == 62 and sum(1 for ref in r.references if ref.doi) == 41
    kinds = [x.kind for x in recs]
    # 40 Article; 3 "Article; Proceedings Paper" + 2 Proceedings Paper; 4 Review; 1 Editorial Material
    assert (kinds.count(Kind.ARTICLE), kinds.count(Kind.CONFERENCE_PAPER)) == (40, 5)
    assert (kinds.count(Kind.REVIEW), kinds.count(Kind.OTHER)) == (4, 1)


# ---------------------------------------------------------------- real tab-delimited samples


@needs_samples
def test_tab_twins_utf16_and_utf8_give_identical_records():
    utf16 = open_export(TAB / "wosfile_wos_tab_delimited_win_utf16.txt")
    utf8 = open_export(TAB / "wosfile_wos_tab_delimited_win_utf8.txt")
    assert (utf16.encoding, utf8.encoding) == ("utf-16", "utf-8-sig")
    a, b = records(utf16.path), records(utf8.path)
    assert len(a) == len(b) == 50
    assert [msgspec.to_builtins(r) for r in a] == [msgspec.to_builtins(r) for r in b]


@needs_samples
def test_tab_and_plaintext_exports_of_the_same_search_agree():
    # rafguns/wosfile ships the same 50 records in both formats: one shared tag mapping
    tab = records(TAB / "wosfile_wos_tab_delimited_win_utf8.txt")
    plain = records(PLAIN / "wosfile_wos_plaintext.txt")
    assert [comparable(r) for r in tab] == [comparable(r) for r in plain]
    assert tab[0].raw.startswith('{"PT":"J","AU":"Owen-Smith, J; Powell, WW"')


@needs_samples
def test_tab_71_column_2026_export():
    recs = records(TAB / "scientopy_wos_2026_04_02_4071.txt")
    assert len(recs) == 71
    r = recs[0]
    assert r.title == (
        "Design and Implementation of a Wearable System Based on a Flexible Capacitive Sensor, Monitoring Knee Laxity"
    )
    assert len(r.authors) == 11
    assert [a.name for a in r.authors[:2]] == ["Sheeja Prakash, Karthika", "Andersen, Erik"]
    assert [a.raw for a in r.affiliations] == [
        "Univ Freiburg, Dept Microsyst Engn IMTEK, D-79110 Freiburg, Germany",
        "Univ Utah, Dept Mech Engn, Salt Lake City, UT 84112 USA",
        "Univ Med Ctr Freiburg, Dept Orthoped & Trauma Surg, D-79106 Freiburg, Germany",
    ]
    assert [a.affiliations for a in r.authors[:2]] == [[0], [1]]
    assert r.authors[0].orcid == "0000-0002-3279-9713"
    assert (r.ids.doi, r.ids.wos, r.year, r.date) == (
        "10.1002/adsr.202300058", "WOS:001242600300012", 2023, "2023-10",
    )
    assert r.references == [] and r.extra["NR"] == "47"  # exported without cited references
    assert r.citations[0].date == "2026-04-02"


# ---------------------------------------------------------------- INVENTED fixtures


def test_cyrillic_plaintext_fixture():
    recs = records(FIXTURES / "wos_plaintext" / "cyrillic.txt")
    assert len(recs) == 2
    r = recs[0]
    assert [(t.text, t.lang) for t in r.titles] == [
        ("Soil organic carbon stocks of chernozems in the Voronezh region: a thirty-year resurvey", "en"),
        ("Запасы органического углерода черноземов Воронежской области", "ru"),
    ]
    assert r.abstracts[1].text == "Запасы органического углерода черноземов повторно определены на 42 площадках."
    assert [a.name for a in r.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна", "Smith, John"]
    assert [a.normalized for a in r.authors] == ["иванов и.и.", "петрова а.с.", "smith j."]
    assert [a.raw for a in r.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия",
        "Univ Reading, Dept Geog, Reading, Berks, England",
        "Докучаевский почвенный институт, Москва, Россия",
    ]
    assert [a.affiliations for a in r.authors] == [[0], [0, 2], [1]]
    assert [a.orcid for a in r.authors] == ["0000-0002-1825-0097", None, "0000-0001-5109-3700"]
    assert r.authors[1].ids == {"researcherid": "A-1234-2020"}
    assert (r.language, r.kind, r.year, r.date) == ("ru", Kind.ARTICLE, 2023, "2023-06-15")
    assert r.author_keywords == ["chernozem", "soil organic carbon", "Voronezh region", "resurvey"]
    assert [ref.doi for ref in r.references] == [None, "10.1126/science.1097396", "10.1098/rstb.2007.2184"]
    assert r.references[0].raw == "Докучаев ВВ, 1883, РУССКИЙ ЧЕРНОЗЕМ"
    assert r.funding == [
        "Russian Science Foundation [22-17-00001]",
        "Ministry of Science and Higher Education of the Russian Federation [FZGU-2023-0005; FZGU-2024-0001]",
    ]
    assert r.extra["C3"] == "Voronezh State University; University of Reading"
    p = recs[1]
    assert p.kind == Kind.CONFERENCE_PAPER
    assert [a.name for a in p.authors] == ["Kuznetsov, Pavel Andreevich"]  # "AU" alone on its line
    assert p.authors[0].affiliations == [0, 1]
    assert p.venue.isbn == ["978-3-030-00001-1"]
    assert p.extra["XX"] == "an unknown tag keeps its value"


WOS_DETAILS = """FN INVENTED test data for bibmine - not a Clarivate Web of Science export
VR 1.0
PT J
AU Orlova, EV
AF Orlova, Elena Viktorovna
TI Digital platforms of the agro-industrial complex
SO REGIONAL ECONOMICS
DT Article; Proceedings Paper
CR Kuznetsov PA, 2019, AGRAR NAUKA, V3, P1, DOI DOI 1458990/FILE/1458992.PDF#PAGE=11
   Lal R, 2004, SCIENCE, V304, P1623, DOI 10.1126/science.1097396
NR 2
TC 2
Z9 3
PD JAN-FEB
PY 2020
WC Agricultural Economics & Policy; Information Science &
   Library Science
UT WOS:000000000000901
DA 2024-01-15
ER

PT J
AU Sidorov, SS
TI Smart specialization of the Lipetsk region
SO REGIONAL ECONOMICS
DT Article
NR 47
TC 1
PY 2021
UT WOS:000000000000902
DA 2024-01-15
ER

EF
"""


def test_invented_plaintext_kinds_dates_categories_and_references(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text(WOS_DETAILS, encoding="utf-8")
    paper, bare = records(path)
    assert paper.kind is Kind.CONFERENCE_PAPER  # "Article; Proceedings Paper"
    assert (paper.year, paper.date) == (2020, "2020-01")  # PD JAN-FEB
    # "DOI DOI 1458990/FILE/..." is no DOI; the other reference's is
    assert [ref.doi for ref in paper.references] == [None, "10.1126/science.1097396"]
    # WC wraps inside a category name
    assert [x.code for x in paper.rubrics if x.scheme == "wos_category"] == [
        "Agricultural Economics & Policy", "Information Science & Library Science"]
    assert [(c.source, c.count, c.date) for c in paper.citations] == [
        ("wos", 2, "2024-01-15"), ("wos_all_databases", 3, "2024-01-15")]
    # exported without cited references: none invented, NR kept
    assert bare.references == [] and bare.extra["NR"] == "47"
    assert [(c.source, c.count) for c in bare.citations] == [("wos", 1)]


def test_plaintext_crlf_and_bom_read_like_lf(tmp_path):
    source = FIXTURES / "wos_plaintext" / "cyrillic.txt"
    crlf = tmp_path / "crlf_bom.txt"
    crlf.write_bytes(codecs.BOM_UTF8 + source.read_bytes().replace(b"\n", b"\r\n"))
    assert open_export(crlf).reader.name == "wos_plaintext"
    assert [msgspec.to_builtins(r) for r in records(crlf)] == [msgspec.to_builtins(r) for r in records(source)]


def test_broken_plaintext_keeps_good_records_and_names_bad_lines():
    out = read(FIXTURES / "wos_plaintext" / "broken.txt")
    good = [r for r in out if isinstance(r, Record)]
    bad = [r for r in out if isinstance(r, Reject)]
    assert [r.title for r in good] == ["Первая запись читается", "Последняя полная запись тоже читается"]
    assert good[1].affiliations[0].raw == "Липецкий государственный технический университет, Липецк, Россия"
    assert [(r.location, r.reason.split(":")[0]) for r in bad] == [
        ("line 15", "line is neither a field tag nor a 3-space continuation"),
        ("line 20", "record has neither a title (TI) nor a WoS accession number (UT)"),
        ("line 35", "record is not terminated by an ER line (file truncated?)"),
    ]
    assert "indentation in an editor" in bad[0].reason
    assert bad[0].raw.startswith("PT J\nAU Orlov, OO\n")


@pytest.mark.parametrize("chunk", [1, 7, 97])
def test_plaintext_reads_the_same_whatever_the_chunk_size(chunk, monkeypatch, tmp_path):
    # records, ER lines and CRLF pairs cut between two reads; line numbers must not drift
    source = FIXTURES / "wos_plaintext" / "broken.txt"
    crlf = tmp_path / "broken_crlf.txt"
    crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    expected = [msgspec.to_builtins(r) for r in read(source)]
    hostile = [FIXTURES / "hostile" / name for name in ("bad_byte_wos.txt", "truncated_wos.txt", "lone_cr_wos.txt")]
    # INVENTED: ER lines twice in a row, with trailing blanks, a line that only starts with ER, blank lines
    odd = tmp_path / "odd_er_lines.txt"
    odd.write_text("FN x\nVR 1.0\nPT J\nTI One\nUT WOS:1\nER\nER\n\nPT J\nTI Two\nERRATUM line\nUT WOS:2\nER  \n"
                   "  \nPT J\nTI Three\nUT WOS:3\nER\nER\nER\nPT J\nTI Four\nUT WOS:4\nER\nEF\n", encoding="utf-8")
    hostile.append(odd)
    expected_hostile = [[msgspec.to_builtins(r) for r in read(path)] for path in hostile]
    monkeypatch.setattr(wos, "_CHUNK", chunk)
    assert [msgspec.to_builtins(r) for r in read(source)] == expected
    assert [msgspec.to_builtins(r) for r in read(crlf)] == expected
    # undecodable bytes (their line and offset), a cut file, lone CRs
    assert [[msgspec.to_builtins(r) for r in read(path)] for path in hostile] == expected_hostile


def test_tab_fixture_rows_and_rejects():
    out = read(FIXTURES / "wos_tabdelimited" / "cyrillic.txt")
    assert [type(r).__name__ for r in out] == ["Record", "Reject", "Reject", "Record"]
    assert [(r.location, r.reason) for r in out if isinstance(r, Reject)] == [
        ("row 3", "row has 9 tab-separated cells, the header has 73"),
        ("row 4", "record has neither a title (TI) nor a WoS accession number (UT)"),
    ]
    plain = records(FIXTURES / "wos_plaintext" / "cyrillic.txt")[0]
    assert comparable(out[0]) == comparable(plain)
    last = out[3]
    assert last.title == "Сортоиспытание озимой пшеницы в Тамбовской области"
    assert [a.name for a in last.authors] == ["Козлова, Мария Викторовна", "Frolov, Dmitry Alekseevich"]
    assert [a.affiliations for a in last.authors] == [[0], [0, 1]]
    assert last.affiliations[0].raw == "Тамбовский государственный университет имени Г.Р. Державина, Тамбов, Россия"
    assert [ref.doi for ref in last.references] == [None, "10.3390/agronomy9010001"]


def test_tab_fixture_as_utf16(tmp_path):
    source = FIXTURES / "wos_tabdelimited" / "cyrillic.txt"
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(source.read_text(encoding="utf-8-sig").encode("utf-16"))
    assert open_export(utf16).reader.name == "wos_tabdelimited"
    assert [msgspec.to_builtins(r) for r in read(utf16)] == [msgspec.to_builtins(r) for r in read(source)]


# ---------------------------------------------------------------- sniffing


@needs_samples
@pytest.mark.parametrize("folder", ["wos_plaintext", "wos_tabdelimited"])
def test_samples_are_detected(folder):
    paths = sorted((SAMPLES / folder).iterdir())
    assert len(paths) == 3
    assert [open_export(p).reader.name for p in paths] == [folder] * 3  # folder name = reader name


@pytest.mark.parametrize(("head", "expected"), [
    ("PT J\nAU Ivanov, I\nTI Soils\nER\n", True),  # no FN/VR file header
    ("\ufeffFN Clarivate Analytics Web of Science\r\nVR 1.0\r\nPT J\r\nAU Ivanov, I\r\n", True),
    ("PMID- 28441597\nOWN - NLM\nTI  - Soils\n", False),  # MEDLINE
    ("TY  - JOUR\nTI  - Soils\nER  - \n", False),  # RIS
    ("PT,AU,TI\nJ,Ivanov,Soils\n", False),  # a CSV with tag-like column names
])
def test_plaintext_sniffer(head, expected, tmp_path):
    assert sniff_wos_plaintext(head, tmp_path / "x.txt") is expected
    assert not sniff_wos_tabdelimited(head, tmp_path / "x.txt")


def test_fixtures_are_detected():
    assert open_export(FIXTURES / "wos_plaintext" / "broken.txt").reader.name == "wos_plaintext"
    assert open_export(FIXTURES / "wos_tabdelimited" / "cyrillic.txt").reader.name == "wos_tabdelimited"
