"""The study workbook: one sheet per table of the report, numbers as numbers, frozen headers,
heat-map colour scales on coefficients (competences, strictly above the threshold, in bold and
outlined), shares shaded, managerial matrices coloured like the report, and a contents sheet.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bibmine.report.model import Table, is_missing, matrix_value
from bibmine.report.phrases import phrase
from bibmine.safe_csv import text_not_formulas
from bibmine.specialization.render import cell_colour, text_colour

FORMATS = {"int": "#,##0", "num": "0.00", "num3": "0.000", "pct": "0.0%", "share": "0%", "coef": "0.00"}
HEADER_FILL = PatternFill("solid", start_color="E9EDF3", end_color="E9EDF3")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_MAX_COMMENTS = 2000


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (Excel: at most 31 characters, none of ``[]:*?/\\``).

    >>> used = set(); sheet_name("Coef: export/national", used), sheet_name("Coef: export/national", used)
    ('Coef export national', 'Coef export national (2)')
    """
    base = re.sub(r"\s+", " ", _BAD_SHEET_CHARS.sub(" ", name)).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def _value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_workbook(tables: list[Table], path: str | Path, lang: str, *, title: str = "") -> Path:
    """Write every table that names a sheet; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    contents = book.active
    used: set[str] = set()
    contents.title = sheet_name(phrase("sheet_contents", lang), used)
    contents.append([title or phrase("report_title", lang)])
    contents["A1"].font = Font(bold=True, size=13)
    contents.append([phrase("col_sheet", lang), phrase("col_table", lang), phrase("col_rows", lang)])
    for cell in contents[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    comments = 0
    for table in tables:
        if not table.sheet:
            continue
        name = sheet_name(table.sheet, used)
        sheet = book.create_sheet(name)
        comments = _fill(sheet, table, comments, lang)
        contents.append([name, table.title, len(table.rows)])
        link = contents.cell(row=contents.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="1F5FA8", underline="single")
    contents.column_dimensions["A"].width = 28
    contents.column_dimensions["B"].width = 70
    contents.column_dimensions["C"].width = 8
    contents.freeze_panes = "A3"
    text_not_formulas(book)  # a title or cell that begins with = is text here, never a formula
    book.save(path)
    return path


def _fill(sheet, table: Table, comments: int, lang: str) -> int:
    sheet.append([c.label for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(table.rows):
        sheet.append([_value(v) for v in row])
        excel_row = i + 2  # sheet.max_row scans every row: quadratic on long sheets
        for j, column in enumerate(table.columns):
            cell = sheet.cell(row=excel_row, column=j + 1)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text from the data, never a formula
            if column.kind in FORMATS and isinstance(cell.value, int | float):
                cell.number_format = FORMATS[column.kind]
            if column.kind == "matrix":
                _matrix_style(cell, table.threshold)
            tip = table.tips.get((i, j))
            if (i, j) in table.weak:
                tip = f"{tip}; {phrase('weak_cell', lang)}" if tip else phrase("weak_cell", lang)
                cell.font = Font(italic=True)
            if tip and comments < _MAX_COMMENTS and (cell.value is None or (i, j) in table.weak):
                cell.comment = Comment(tip, "bibmine")
                comments += 1
    _rules(sheet, table)
    _widths(sheet, table)
    sheet.freeze_panes = sheet.cell(row=2, column=min(table.frozen_columns, len(table.columns)) + 1)
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    return comments


def _matrix_style(cell, threshold: float) -> None:
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    value = matrix_value(str(cell.value or ""))
    if value is None:
        return
    bg = cell_colour(value, threshold)
    cell.fill = PatternFill("solid", start_color=bg[1:], end_color=bg[1:])
    cell.font = Font(color=text_colour(bg)[1:], bold=value > threshold and not math.isclose(value, threshold))


def _rules(sheet, table: Table) -> None:
    """One colour scale (and the > threshold highlight) over all coefficient columns; one over shares."""
    if not table.rows:
        return
    last = len(table.rows) + 1
    ranges = {kind: " ".join(f"{get_column_letter(j)}2:{get_column_letter(j)}{last}"
                             for j, column in enumerate(table.columns, start=1) if column.kind == kind)
              for kind in ("coef", "share")}
    outline = Side(style="medium", color="111111")
    t = table.threshold
    if ranges["coef"]:
        sheet.conditional_formatting.add(ranges["coef"], ColorScaleRule(
            start_type="num", start_value=0, start_color="FCBBA1", mid_type="num", mid_value=t,
            mid_color="FFF5F0", end_type="num", end_value=4 * t, end_color="238B45"))
        sheet.conditional_formatting.add(ranges["coef"], CellIsRule(
            operator="greaterThan", formula=[repr(float(t))], font=Font(bold=True),
            border=Border(left=outline, right=outline, top=outline, bottom=outline)))
    if ranges["share"]:
        sheet.conditional_formatting.add(ranges["share"], ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=1, end_color="6BAED6"))


def _widths(sheet, table: Table) -> None:
    for j, column in enumerate(table.columns, start=1):
        if column.kind == "matrix":
            width = 34
        else:
            texts = [column.label] + [str(r[j - 1]) for r in table.rows[:500] if not is_missing(r[j - 1])]
            longest = max(len(t) for t in texts)
            width = min(max(longest + 2, 8), 60)
            if column.kind in FORMATS or column.kind == "bar":
                width = min(max(len(column.label) + 2, 10), 18)
        sheet.column_dimensions[get_column_letter(j)].width = width
