"""Write managerial matrices and heat maps as CSV, formatted XLSX and HTML (everything escaped).

One colour scale serves XLSX, HTML and the matplotlib heat maps (:func:`cell_colour`): grey for an
undefined value, reds that fade to white up to the threshold, greens that deepen above it (on a
log scale, full at 4 x the threshold).

>>> cell_colour(float("nan")), cell_colour(0.0), cell_colour(1.0), cell_colour(4.0)
('#d9d9d9', '#fcbba1', '#fff5f0', '#238b45')
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from bibmine.safe_csv import neutralize_frame, text_not_formulas
from bibmine.specialization.coefficients import is_competence, latest
from bibmine.specialization.matrix import ManagerialMatrix
from bibmine.specialization.vocab import Names, category_order, phrase

_LOW, _AT, _ABOVE, _HIGH, _UNDEFINED = "#fcbba1", "#fff5f0", "#c7e9c0", "#238b45", "#d9d9d9"


def _mix(a: str, b: str, t: float) -> str:
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def cell_colour(value: float | None, threshold: float = 1.0) -> str:
    """Background colour of a coefficient (see the module docstring)."""
    if value is None or math.isnan(value):
        return _UNDEFINED
    if not is_competence(value, threshold):
        return _mix(_LOW, _AT, min(value / threshold, 1.0) if threshold > 0 else 1.0)
    return _mix(_ABOVE, _HIGH, min(math.log(value / threshold) / math.log(4), 1.0))


def text_colour(background: str) -> str:
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def level_title(level: str, lang: str) -> str:
    return phrase(f"level_{level}", lang)


def write_matrix(matrix: ManagerialMatrix, path: str | Path) -> Path:
    """Write by suffix: ``.csv`` (wide cell texts, formula-safe), ``.xlsx`` (formatted) or ``.html``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        neutralize_frame(matrix.to_wide()).to_csv(path, index=False, encoding="utf-8")
    elif suffix == ".xlsx":
        write_matrix_xlsx(matrix, path)
    elif suffix in (".html", ".htm"):
        path.write_text(matrix_html(matrix), encoding="utf-8")
    else:
        raise ValueError(f"{path}: the matrix is written as .csv, .xlsx or .html")
    return path


def _legend(matrix: ManagerialMatrix) -> list[str]:
    lang, names = matrix.lang, matrix.names
    lines = [phrase("legend_sign", lang, threshold=f"{matrix.threshold:.2f}"), phrase("legend_st", lang),
             phrase("legend_cc", lang)]
    used = sorted({r for cell in matrix.cells.values() for r in cell.competences + cell.cross_cutting}
                  | set(matrix.cross_cutting_set))
    return lines + [f"{code}: {names.rubric(code)}" for code in used]


def _title(matrix: ManagerialMatrix) -> str:
    return phrase("matrix_title", matrix.lang, level=level_title(matrix.level, matrix.lang), year=matrix.year)


def matrix_html(matrix: ManagerialMatrix) -> str:
    """A standalone HTML page: the matrix with heat-map colours, ▲ / ▼ marks and a legend."""
    e = html.escape
    names = matrix.names
    head = "".join(f"<th>{e(names.region(r))}<br><small>{e(r)}</small></th>" for r in matrix.regions)
    body = []
    for category in matrix.categories:
        cells = []
        for region in matrix.regions:
            cell = matrix.cell(category, region)
            bg = cell_colour(cell.value, matrix.threshold)
            cells.append(f'<td style="background:{bg};color:{text_colour(bg)}">'
                         f"{e(matrix.cell_text(category, region))}</td>")
        body.append(f"<tr><th>{e(category)} {e(names.category(matrix.level, category))}</th>{''.join(cells)}</tr>")
    cc = "".join(f"<td>{e(', '.join(matrix.cross_cutting[r]))}</td>" for r in matrix.regions)
    body.append(f"<tr><th>{e(phrase('cross_cutting_row', matrix.lang))}</th>{cc}</tr>")
    legend = "".join(f"<li>{e(line)}</li>" for line in _legend(matrix))
    return _page(_title(matrix), matrix.lang,
                 f"<table><tr><th>{e(phrase('category', matrix.lang))}</th>{head}</tr>{''.join(body)}</table>"
                 f"<h2>{e(phrase('legend', matrix.lang))}</h2><ul>{legend}</ul>")


def _page(title: str, lang: str, content: str) -> str:
    style = ("body{font-family:sans-serif}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:4px;vertical-align:top;font-size:13px}"
             "th{text-align:left;background:#f0f0f0}td.c{outline:2px solid #000;font-weight:bold}")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{style}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{content}</body></html>\n")


def write_matrix_xlsx(matrix: ManagerialMatrix, path: Path) -> None:
    """Sheet ``matrix`` (coloured cells, ▲ / ▼ marks, wrapped text), ``legend`` and ``long``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "matrix"
    sheet.append([_title(matrix)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([phrase("category", matrix.lang), ""] + [matrix.names.region(r) for r in matrix.regions])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    wide = matrix.to_wide()
    for index, row in enumerate(wide.itertuples(index=False)):
        sheet.append(list(row))
        excel_row = sheet.max_row
        if index < len(matrix.categories):
            for offset, region in enumerate(matrix.regions):
                target = sheet.cell(row=excel_row, column=3 + offset)
                bg = cell_colour(matrix.cell(row[0], region).value, matrix.threshold)
                target.fill = PatternFill("solid", start_color=bg[1:], end_color=bg[1:])
                target.font = Font(color=text_colour(bg)[1:], bold=matrix.cell(row[0], region).sign == "+")
        else:
            sheet.cell(row=excel_row, column=2).font = Font(bold=True)
        for column in range(1, 3 + len(matrix.regions)):
            sheet.cell(row=excel_row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 45
    for offset in range(len(matrix.regions)):
        sheet.column_dimensions[sheet.cell(row=2, column=3 + offset).column_letter].width = 32
    sheet.freeze_panes = "C3"
    legend = book.create_sheet("legend")
    for line in _legend(matrix):
        legend.append([line])
    legend.column_dimensions["A"].width = 100
    long = book.create_sheet("long")
    table = matrix.to_long()
    long.append(list(table.columns))
    for row in table.itertuples(index=False):
        long.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    text_not_formulas(book)
    book.save(path)


def heatmap_frame(coefficients: pd.DataFrame, level: str, year: int | None = None,
                  regions: list[str] | None = None) -> pd.DataFrame:
    """Category x region matrix of one level's coefficients (NaN where undefined or absent)."""
    rows = latest(coefficients, level, year)
    if rows.empty:
        raise ValueError(f"the coefficients have no {level!r} rows")
    wide = rows.pivot(index="category", columns="region", values="value")
    order = {code: i for i, code in enumerate(category_order(level))}
    categories = sorted(wide.index, key=lambda c: (order.get(c, len(order)), c))
    regions = list(regions) if regions is not None else list(dict.fromkeys(rows["region"]))
    return wide.reindex(index=categories, columns=regions)


def heatmap_html(coefficients: pd.DataFrame, level: str, *, threshold: float = 1.0, lang: str = "en",
                 year: int | None = None, regions: list[str] | None = None) -> str:
    """The heat map of one level as an HTML page; competences outlined and bold."""
    e = html.escape
    names = Names(coefficients, lang)
    wide = heatmap_frame(coefficients, level, year, regions)
    shown_year = int(latest(coefficients, level, year)["year"].iloc[0])
    head = "".join(f"<th>{e(names.region(r))}</th>" for r in wide.columns)
    body = []
    for category, values in wide.iterrows():
        cells = []
        for value in values:
            bg = cell_colour(value, threshold)
            mark = ' class="c"' if is_competence(value, threshold) else ""
            text = "" if math.isnan(value) else f"{value:.2f}"
            cells.append(f'<td{mark} style="background:{bg};color:{text_colour(bg)}">{text}</td>')
        body.append(f"<tr><th>{e(category)} {e(names.category(level, category))}</th>{''.join(cells)}</tr>")
    title = phrase("heatmap_title", lang, level=level_title(level, lang), year=shown_year,
                   threshold=f"{threshold:.2f}")
    return _page(title, lang, f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>")
