"""The workbook of the study folder of conftest.py: sheets, frozen headers, colour rules, numbers as
numbers, undefined cells empty with their reason, texts never formulas, ru sheet names."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from .conftest import FORMULA

SHEETS_EN = ["Contents", "Main information", "Annual production", "Most cited", "Sources Bradford", "Authors", "Lotka",
             "Affiliations", "Countries", "Collaboration", "Publications", "Trend topics", "Thematic map",
             "Three fields", "Federal subjects", "Competences by subject", "Corpus", "Completeness", "Imports",
             "Placements", "Regions", "Unresolved", "Rubrics", "Agreement", "Agreement per rubric", "Coef export",
             "Coef national", "Coef macroregional", "Coef S&T", "Matrix export", "Matrix national",
             "Matrix macroregional", "Scenario lines", "Related competences", "Run", "Inputs", "Parameters"]


@pytest.fixture(scope="module")
def book(built):
    return load_workbook(built["en"]["workbook"])


def _rules(sheet) -> dict[str, list[str]]:
    return {str(cf.sqref): [r.type for r in rules] for cf, rules in sheet.conditional_formatting._cf_rules.items()}


def test_sheets_and_frozen_headers(book):
    assert book.sheetnames == SHEETS_EN
    assert book["Corpus"].freeze_panes == "B2"
    assert book["Coef export"].freeze_panes == "C2"  # header row and code + name columns
    assert book["Contents"].freeze_panes == "A3"
    for name in SHEETS_EN[1:]:
        assert book[name].freeze_panes is not None, name
    contents = {row[0]: row[2] for row in book["Contents"].iter_rows(min_row=3, values_only=True)}
    assert contents["Coef export"] == 4 and contents["Coef S&T"] == 40  # commodity groups; GRNTI rubrics


def test_coefficients_are_numbers_with_colour_rules(book):
    sheet = book["Coef export"]
    assert [c.value for c in sheet[1]] == ["Code", "Name", "Belgorod region", "Voronezh region", "Kursk region",
                                           "Lipetsk region", "Tambov region"]
    assert [c.value for c in sheet[2]][0] == "01-24" and [c.value for c in sheet[2]][2:] == [2.35, 5.36, 2.85, 1.89,
                                                                                               9.61]
    assert sheet["C2"].number_format == "0.00"
    assert _rules(sheet) == {"C2:C5 D2:D5 E2:E5 F2:F5 G2:G5": ["colorScale", "cellIs"]}
    rule = next(iter(sheet.conditional_formatting._cf_rules.values()))[1]
    assert rule.operator == "greaterThan" and rule.formula == ["1.0"]
    national = book["Coef national"]
    row = next(r for r in national.iter_rows(min_row=2) if r[0].value == "B")
    assert row[6].value is None and row[6].comment.text == "Tambov region; undefined: no output recorded"
    st = book["Coef S&T"]
    row = next(r for r in st.iter_rows(min_row=2) if r[0].value == "00")
    assert row[4].value == 1.64 and "not solid" in row[4].comment.text and row[4].font.i


def test_shares_matrices_and_widths(book):
    assert _rules(book["Completeness"]) == {"B2:B4 C2:C4": ["colorScale"]}
    assert book["Regions"]["E2"].value == 0.5 and book["Regions"]["E2"].number_format == "0.0%"
    matrix = book["Matrix national"]
    assert matrix["A2"].value == "A" and matrix["C2"].value.startswith("▲ 3.62; S&T: 68")
    assert matrix["C2"].fill.start_color.rgb.upper().endswith("2F924E") and matrix["C2"].font.b
    assert matrix.column_dimensions["C"].width == 34 and matrix["C2"].alignment.wrap_text
    assert 40 < book["Coef export"].column_dimensions["B"].width <= 60


def test_texts_never_become_formulas(book):
    cell = next(c for row in book["Unresolved"].iter_rows(min_row=2) for c in row if c.value == FORMULA)
    assert cell.data_type == "s"


def test_agreement_sheet(book):
    rows = {r[0]: r[1:] for r in book["Agreement"].iter_rows(min_row=2, values_only=True)}
    assert rows["Accuracy"][0] == pytest.approx(0.7) and rows["Cohen's kappa"][0] == pytest.approx(0.53125)
    per = {r[0]: r for r in book["Agreement per rubric"].iter_rows(min_row=2, values_only=True)}
    assert per["50"][1] == "Automation. Computer engineering" and per["50"][4] == pytest.approx(0.5)


def test_russian_workbook(built):
    book = load_workbook(built["ru"]["workbook"])
    assert book.sheetnames[:4] == ["Содержание", "Основные сведения", "Публикации по годам", "Самые цитируемые"]
    assert "Корпус" in book.sheetnames and "Полнота" in book.sheetnames
    assert "Коэф НТ" in book.sheetnames and "Матрица национальная" in book.sheetnames
    assert [c.value for c in book["Коэф экспорт"][1]][:3] == ["Код", "Название", "Белгородская область"]
