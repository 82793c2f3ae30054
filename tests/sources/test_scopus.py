"""Scopus CSV reader: current (45 columns) and old (41 columns) layouts.

Real exports are read from ../shared/data/samples/scopus_csv (values checked by hand
against the files); INVENTED Cyrillic and broken fixtures live in tests/fixtures/scopus_csv.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.readers.scopus_csv import strip_copyright

SAMPLES = Path(__file__).resolve().parents[2] / "../shared/data/samples"
SCOPUS = SAMPLES / "scopus_csv"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scopus_csv"
needs_samples = pytest.mark.skipif(not SCOPUS.is_dir(), reason="needs ../shared/data/samples/scopus_csv/ "
                                                                "(real Scopus exports)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


def records(path: Path) -> list[Record]:
    """Records of a file that must read without a single Reject."""
    out = read(path)
    rejects = [r for r in out if not isinstance(r, Record)]
    assert not rejects, rejects
    return out  # type: ignore[return-value]


# ---------------------------------------------------------------- real samples


@needs_samples
def test_current_layout_with_full_names_and_ids():
    recs = records(SCOPUS / "bibliometrix_scopus_sample.csv")
    assert len(recs) == 8
    r = recs[0]
    assert r.title == (
        "Quantitative analysis of studies that use artificial intelligence on spinal diseases: A bibliometric analysis"
    )
    assert [a.name for a in r.authors] == ["Liu, Fengyuan", "Li, Chunyun", "Liu, Yong", "Li, Yufei"]
    assert [a.ids["scopus"] for a in r.authors] == ["60410297700", "58862216200", "60409735200", "57193852372"]
    assert [a.raw for a in r.affiliations] == [
        "Department of Clinical Medicine, Hunan Normal University Health Science Center, Hunan, Changsha, China",
        "Department of Surgery, Department of Clinical Medicine, Hunan Normal University Health Science Center, "
        "Hunan, Changsha, China",
    ]
    assert [a.affiliations for a in r.authors] == [[0], [1], [1], [1]]
    assert (r.ids.doi, r.ids.scopus, r.ids.pmid) == ("10.1177/20552076261415846", "2-s2.0-105030721984", None)
    assert (r.year, r.kind, r.language) == (2026, Kind.ARTICLE, "en")
    assert r.author_keywords == [
        "Artificial intelligence", "bibliometrics", "citeSpace", "spinal diseases", "VOSviewer",
    ]
    assert (r.venue.name, r.venue.abbreviation, r.venue.issn, r.venue.volume) == (
        "Digital Health", "Digit. Health", ["2055-2076"], "12",
    )
    assert r.venue.publisher == "SAGE Publications Inc."
    # current layout: authors inside a reference are "; "-separated, each reference ends "(year)"
    assert len(r.references) == 43
    assert r.references[0].raw == "The global epidemic of low back pain, Lancet Rheumatol, 5, (2023)"
    assert r.references[1].raw.startswith("Cheng M.; Xue Y.; Cui M., Global, regional, and national burden")
    assert [(c.source, c.count) for c in r.citations] == [("scopus", 0)]
    assert r.funding == ["Natural Science Foundation of Hunan Province, (2022JJ30412)"]
    assert r.extra["Publication Stage"] == "Final"
    assert "Molecular Sequence Numbers" not in r.extra  # "NA" cells are empty
    assert json.loads(r.raw)["EID"] == "2-s2.0-105030721984"


@needs_samples
def test_translated_title_and_copyright_tail():
    r = records(SCOPUS / "bibliometrix_scopus_sample.csv")[3]
    assert [t.text for t in r.titles] == [
        "FROM ALGORITHMS TO ACOUSTICS: A SCIENTIFIC MAPPING OF AI-BASED APPROACHES IN MUSIC AND ARCHITECTURAL "
        "DESIGN INTERSECTION",
        "ALGORİTMALARDAN AKUSTİĞE: MÜZİK VE MİMARİ TASARIM KESİŞİMİNDE YAPAY ZEKÂ TABANLI YAKLAŞIMLARIN BİLİMSEL "
        "HARİTALAMASI",
    ]
    assert r.abstract.endswith("supported by broader bibliometric analyses based on multiple databases.")
    assert "©" in json.loads(r.raw)["Abstract"]
    assert [a.name for a in r.authors] == ["Akdağ, Fazıl", "Künyeli, Fatma Betül"]
    assert r.venue.pages == "4105-4139"


@needs_samples
def test_bom_layout_with_unnamed_second_funding_text():
    # most rows carry one cell more than the header (an unnamed "Funding Text 2" after
    # "Funding Text 1"); the EID in the last cell proves the shift, so they are realigned
    recs = records(SCOPUS / "litstudy_scopus.csv")
    assert len(recs) == 58
    r = recs[0]
    assert r.title == "Scalable molecular dynamics with NAMD"
    assert len(r.authors) == 10
    assert [a.name for a in r.authors[:3]] == ["Phillips J.C.", "Braun R.", "Wang W."]
    assert r.authors[8].name == "Kalé L."
    assert r.authors[0].ids == {"scopus": "57202138757"}
    assert (r.kind, r.year, r.ids.doi, r.citations[0].count) == (Kind.REVIEW, 2005, "10.1002/jcc.20289", 13169)
    assert r.venue.pages == "1781-1802"
    assert len(r.affiliations) == 3
    assert r.references[0].raw.startswith("Kalé, L., Skeel, R., Bhandarkar, M.")
    shifted = recs[3]
    assert shifted.title.startswith("Mathematical modeling of the molecular switch of TNFR1-mediated signaling")
    assert (shifted.ids.scopus, shifted.ids.pmid, shifted.language) == ("2-s2.0-85138069321", "35994517", "en")
    assert shifted.extra["Art. No."] == "e1010383"
    assert shifted.abstract.endswith("semi-quantitative Petri net model.")  # "Copyright: © 2022 ..." removed


@needs_samples
def test_old_41_column_layout():
    recs = records(SCOPUS / "metaknowledge_scopus_testing.csv")
    assert len(recs) == 220
    r = recs[0]
    assert r.title == "Strain Distribution of Complex-Bending YBCO Tape in Force-Balanced Coil Applied to SMES"
    assert len(r.authors) == 11
    assert [a.name for a in r.authors[:3]] == ["Yagai T.", "Kimura Y.", "Kamada H."]
    assert [a.raw for a in r.affiliations[:2]] == [
        "Sophia University, Tokyo, Japan", "Meiji University, Kanagawa, Japan",
    ]
    assert [a.affiliations for a in r.authors[:3]] == [[0], [1], [1]]
    assert (r.ids.doi, r.ids.scopus, r.year) == ("10.1109/tasc.2016.2541670", "2-s2.0-84963944162", 2016)
    assert len(r.references) == 8
    assert r.citations == []  # empty "Cited by" is unknown, not 0
    assert r.extra["Art. No."] == "7433444"
    assert sum(1 for x in recs if x.citations) == 196
    assert sum(1 for x in recs if not x.authors) == 3  # "[No author name available]"


# ---------------------------------------------------------------- INVENTED fixtures


def test_cyrillic_fixture_current_layout_with_broken_rows():
    out = read(FIXTURES / "cyrillic_new.csv")
    assert [type(r).__name__ for r in out] == ["Record", "Reject", "Reject", "Reject", "Record"]
    assert [(r.location, r.reason) for r in out if isinstance(r, Reject)] == [
        ("row 3", "bad quoting: ',' expected after '\"' (line 3)"),
        ("row 4", "row has 5 cells, the header has 45 (line 4)"),
        ("row 5", "row has neither a title nor an EID or DOI (line 5)"),
    ]
    r = out[0]
    assert [(t.text, t.lang) for t in r.titles] == [
        ("Soil organic carbon of chernozems in the Voronezh region", "en"),
        ("Органический углерод черноземов Воронежской области", "ru"),
    ]
    assert [a.name for a in r.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна", "Smith, John"]
    assert [a.normalized for a in r.authors] == ["иванов и.и.", "петрова а.с.", "smith j."]
    assert [a.ids["scopus"] for a in r.authors] == ["57000000001", "57000000002", "57000000003"]
    assert [a.raw for a in r.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия",
        "University of Reading, Reading, United Kingdom",
    ]
    assert [a.affiliations for a in r.authors] == [[0], [0], [1]]
    assert r.abstract == "Запасы органического углерода черноземов определены на 42 площадках."
    assert r.author_keywords == ["чернозем", "органический углерод", "Воронежская область"]
    assert (r.venue.name, r.venue.issn, r.venue.publisher, r.language) == ("Почвоведение", ["0032-180X"], "Наука", "ru")
    assert [ref.raw for ref in r.references][0] == "Докучаев В.В., Русский чернозем, (1883)"
    assert len(r.references) == 3
    assert r.ids.pmid is None  # "NA"
    assert r.extra["Funding Texts"] == "Исследование выполнено за счет гранта РНФ № 22-17-00001."
    conf = out[4]
    assert (conf.kind, conf.abstracts, conf.citations[0].count) == (Kind.CONFERENCE_PAPER, [], 0)
    assert conf.affiliations[0].raw.startswith("Белгородский государственный национальный исследовательский")


def test_cyrillic_fixture_old_layout():
    [r] = records(FIXTURES / "cyrillic_old.csv")
    assert [a.name for a in r.authors] == ["Козлова М.В.", "Frolov D.A."]  # ","-separated
    assert [a.affiliations for a in r.authors] == [[0], [0, 1]]
    assert r.abstract == "Приведены результаты сортоиспытания."
    assert [ref.doi for ref in r.references] == [None, "10.3390/agronomy9010001"]
    assert (r.year, r.venue.pages, r.citations[0].count) == (2014, "45-51", 3)


# the 45 columns of the older Scopus layout with "Funding Text 1" (as the real litstudy_scopus.csv)
FUNDING_LAYOUT = [
    "Authors", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.", "Page start", "Page end",
    "Page count", "Cited by", "DOI", "Link", "Affiliations", "Authors with affiliations", "Abstract", "Author Keywords",
    "Index Keywords", "Molecular Sequence Numbers", "Chemicals/CAS", "Tradenames", "Manufacturers", "Funding Details",
    "Funding Text 1", "References", "Correspondence Address", "Editors", "Sponsors", "Publisher", "Conference name",
    "Conference date", "Conference location", "Conference code", "ISSN", "ISBN", "CODEN", "PubMed ID",
    "Language of Original Document", "Abbreviated Source Title", "Document Type", "Publication Stage", "Open Access",
    "Source", "EID"]


def funding_layout_file(path: Path, *rows: list[str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FUNDING_LAYOUT)
    writer.writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path


def layout_row(**cells: str) -> list[str]:
    return [cells.get(h, "") for h in FUNDING_LAYOUT]


def test_invented_rows_with_an_unnamed_second_funding_text(tmp_path):
    """A row with one cell more than the header, the unnamed cell right after "Funding Text 1" (as Scopus
    wrote a second funding text), is realigned because its last cell is the EID; INVENTED rows."""
    i = FUNDING_LAYOUT.index("Funding Text 1")
    plain = layout_row(**{"Authors": "Иванов И.И., Петрова А.С.", "Author(s) ID": "57000000001;57000000002;",
                          "Title": "Чернозёмы Воронежской области", "Year": "2021", "Source title": "Почвоведение",
                          "Cited by": "7", "Funding Text 1": "Грант РНФ 22-17-00001", "Document Type": "Article",
                          "Source": "Scopus", "EID": "2-s2.0-85000000011"})
    shifted = layout_row(**{"Authors": "Козлова М.В.", "Title": "Сортоиспытание озимой пшеницы", "Year": "2020",
                            "Source title": "Вестник", "Abstract": "Приведены результаты. © 2020 Издательство.",
                            "Funding Text 1": "Первый текст", "Document Type": "Review", "Source": "Scopus",
                            "EID": "2-s2.0-85000000012"})
    shifted = shifted[:i + 1] + ["Второй текст"] + shifted[i + 1:]
    nobody = layout_row(**{"Authors": "[No author name available]", "Title": "Editorial", "Year": "2019",
                           "Document Type": "Editorial", "Source": "Scopus", "EID": "2-s2.0-85000000013"})
    first, second, third = records(funding_layout_file(tmp_path / "scopus.csv", plain, shifted, nobody))
    assert [a.name for a in first.authors] == ["Иванов И.И.", "Петрова А.С."]
    assert [a.ids for a in first.authors] == [{"scopus": "57000000001"}, {"scopus": "57000000002"}]
    assert [(c.source, c.count) for c in first.citations] == [("scopus", 7)]
    assert (second.ids.scopus, second.kind, second.year) == ("2-s2.0-85000000012", Kind.REVIEW, 2020)
    assert second.extra["Funding Text 1"] == "Первый текст\nВторой текст"  # both texts, in one cell
    assert second.abstract == "Приведены результаты."  # the copyright tail removed
    assert second.citations == []  # an empty "Cited by" is unknown, not 0
    assert third.authors == [] and third.title == "Editorial"  # "[No author name available]"


def test_invented_row_shifted_elsewhere_is_rejected_not_guessed(tmp_path):
    row = layout_row(**{"Title": "Editorial", "Year": "2019", "Source title": "Soils", "Volume": "5",
                        "Document Type": "Editorial", "Source": "Scopus", "EID": "2-s2.0-85000000013"})
    row = row[:3] + ["stray"] + row[3:]  # one cell too many right after the title
    [out] = read(funding_layout_file(tmp_path / "scopus.csv", row))
    assert isinstance(out, Reject) and "the header has 45" in out.reason


def test_strip_copyright():
    assert strip_copyright("Text. © 2020 Elsevier Ltd. All rights reserved.") == "Text."
    assert strip_copyright("Text. Copyright © 2005 Massachusetts Medical Society.") == "Text."
    assert strip_copyright("Conditions (a), (b) and (c) hold.") == "Conditions (a), (b) and (c) hold."
    assert strip_copyright("© 2013 IEEE.") is None


# ---------------------------------------------------------------- sniffing


@needs_samples
def test_samples_are_detected():
    paths = sorted(SCOPUS.iterdir())
    assert len(paths) == 3
    assert [open_export(p).reader.name for p in paths] == ["scopus_csv"] * 3


def test_fixtures_are_detected():
    assert [open_export(p).reader.name for p in sorted(FIXTURES.glob("*.csv"))] == ["scopus_csv"] * 2


