"""Generic CSV/XLSX reader with a TOML column mapping (invented eLIBRARY-style fixtures)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import UnknownFormatError, open_export
from bibmine.sources.readers._table_mapping import MappingError, load_mapping
from bibmine.sources.readers.generic_table import read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/generic"
EXAMPLE = Path(__file__).resolve().parents[2] / "bibmine/sources/readers/table_mapping.example.toml"
ELIBRARY = FIXTURES / "elibrary_export.csv"
MAPPING = FIXTURES / "elibrary_export.csv.mapping.toml"


def test_elibrary_csv_with_sibling_mapping():
    opened = open_export(ELIBRARY)
    assert (opened.reader.name, opened.encoding) == ("table", "cp1251")
    items = list(opened.records())
    assert len(items) == 3 and all(isinstance(r, Record) for r in items)
    art, conf, patent = items
    assert [(t.text, t.lang) for t in art.titles] == [
        ("Почвенный покров Воронежской области: современное состояние", "ru"),
        ("Soil cover of the Voronezh region: current state", "en"),
    ]
    assert art.kind is Kind.ARTICLE  # "статья в журнале - научная статья"
    assert [a.name for a in art.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна"]
    assert art.authors[1].normalized == "петрова а.с."
    assert [a.raw for a in art.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия",
        "Институт почвоведения и агрохимии, Воронеж, Россия",
    ]
    assert art.ids.elibrary == "46123456"
    assert (art.ids.doi, art.year, art.language) == ("10.1234/vsu.2021.1.15", 2021, "ru")  # language from [defaults]
    assert art.venue.name == "Вестник Воронежского государственного университета. Серия: География. Геоэкология"
    assert (art.venue.issn, art.venue.volume, art.venue.issue, art.venue.pages) == (["1609-0683"], "12", "1", "15-27")
    assert art.venue.rsci_core is True
    assert art.author_keywords == ["почвы", "Воронежская область", "мониторинг"]
    assert [(r.scheme, r.code, r.label, r.source, r.annotator) for r in art.rubrics] == [
        ("grnti", "39.19.25", None, "foreign", "elibrary"),
        ("grnti", "68.05.29", "Почвоведение", "foreign", "elibrary"),
    ]
    assert [(c.count, c.source) for c in art.citations] == [(5, "elibrary")]
    assert art.source == "elibrary"
    assert conf.kind is Kind.CONFERENCE_PAPER and conf.venue.rsci_core is False
    assert [r.code for r in conf.rubrics] == ["06.61.33"]
    assert conf.extra["invalid_grnti"] == "6.61"
    assert patent.kind is Kind.PATENT
    assert [a.name for a in patent.authors] == ["Кузнецова, Мария Петровна", "Иванов, Иван Иванович"]
    assert patent.raw.startswith("48000002;")


def test_broken_csv_rows_are_rejected_with_their_lines():
    opened = open_export(FIXTURES / "broken.csv")  # mapping found as broken.mapping.toml
    assert opened.reader.name == "table"
    items = list(opened.records())
    assert [r.title for r in items if isinstance(r, Record)] == ["Хорошая строка", "Last good row, with a comma"]
    assert [(r.location, r.reason) for r in items if isinstance(r, Reject)] == [
        ("line 3", "row skipped: bad quoting: ',' expected after '\"'"),
        ("line 4", "row has 5 cells, the header has 4"),
        ("line 5", "row has neither a title nor a DOI"),
    ]
    first = items[0]
    assert first.kind is Kind.ARTICLE  # [defaults] kind
    assert [(r.code, r.source) for r in first.rubrics] == [("34.15.23", "manual")]
    assert [a.name for a in items[-1].authors] == ["Кузнецова, М. П.", "Иванов, И. И."]


def test_csv_without_mapping_is_not_claimed(tmp_path):
    path = tmp_path / "export.csv"
    shutil.copy(ELIBRARY, path)
    with pytest.raises(UnknownFormatError, match="not a format bibmine reads"):
        open_export(path)


def test_mapping_in_bibmine_toml(tmp_path):
    shutil.copy(ELIBRARY, tmp_path / "elibrary_2021.csv")
    shutil.copy(ELIBRARY, tmp_path / "other.csv")
    body = MAPPING.read_text(encoding="utf-8").replace("[table]", "[table_mapping.table]")
    for section in ("columns", "separators", "kinds", "defaults"):
        body = body.replace(f"[{section}]", f"[table_mapping.{section}]")
    (tmp_path / "bibmine.toml").write_text('[table_mapping]\nfiles = ["elibrary_*.csv"]\n' + body, encoding="utf-8")
    opened = open_export(tmp_path / "elibrary_2021.csv")
    assert opened.reader.name == "table"
    assert [r.ids.elibrary for r in opened.records()] == ["46123456", "47000001", "48000002"]
    with pytest.raises(UnknownFormatError):
        open_export(tmp_path / "other.csv")  # not matched by files = [...]


def test_xlsx_via_read_table(tmp_path):
    with open(ELIBRARY, encoding="cp1251", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Публикации"
    sheet.append(["Выгрузка eLIBRARY (INVENTED)"])  # a title row above the header
    sheet.append(rows[0])
    for row in rows[1:]:
        # numbers as Excel stores them: 2021 -> 2021.0 must still read as "2021"
        sheet.append([float(c) if c.isdigit() and len(c) < 6 else c for c in row])
    sheet.append(["49000003", "", "", "Без, Названия"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    mapping = tmp_path / "export.mapping.toml"
    mapping.write_text(
        MAPPING.read_text(encoding="utf-8").replace("[table]\n", '[table]\nheader_row = 2\nsheet = "Публикации"\n'),
        encoding="utf-8",
    )
    items = list(read_table(path, mapping))
    recs = [r for r in items if isinstance(r, Record)]
    assert [r.ids.elibrary for r in recs] == ["46123456", "47000001", "48000002"]
    assert (recs[0].year, recs[0].venue.volume, recs[0].citations[0].count) == (2021, "12", 5)
    assert recs[0].title == "Почвенный покров Воронежской области: современное состояние"
    [reject] = [r for r in items if isinstance(r, Reject)]
    assert (reject.location, reject.reason) == ("row 6", "row has neither a title nor a DOI")


def test_mapping_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.mapping.toml"
    bad.write_text('[columns]\ntitle = "Название"\nheadline = "Заголовок"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="unknown field\\(s\\) in \\[columns\\]: headline"):
        load_mapping(bad)
    bad.write_text('[columns]\ntitle = "Название"\n[kinds]\n"Статья" = "paper"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="'paper' is not a bibmine kind"):
        load_mapping(bad)
    wrong = tmp_path / "wrong.mapping.toml"
    wrong.write_text('[table]\ndelimiter = ";"\n[columns]\ntitle = "Заголовок"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not in the header: Заголовок"):
        list(read_table(ELIBRARY, wrong, "cp1251"))


def test_example_mapping_is_valid():
    mapping = load_mapping(EXAMPLE)
    assert mapping.columns["grnti"] == "ГРНТИ"
    assert mapping.source == "elibrary"
