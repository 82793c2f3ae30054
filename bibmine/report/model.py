"""What a report is made of: sections of blocks (figures, tables, images, texts, scenario models, maps).

One model, two renderers: the HTML template (``templates/report.html``) draws every block, the
workbook (:mod:`.workbook`) writes every :class:`Table` that names a ``sheet``. Cells keep their
Python values (numbers stay numbers); :meth:`Table.html_rows` turns them into display text, a
background colour and a tooltip. Nothing here is markup: the template escapes every text.

>>> t = Table("t", "T", [Column("a"), Column("n", "int"), Column("v", "coef")], [["x", 1234, 1.5]])
>>> [c.text for c in t.html_rows()[0]]
['x', '1\\u202f234', '1.50']
>>> t.html_rows()[0][2].cls
'num coef c'
>>> [row[0].text for row in Table("f", "F", [Column("n", "bar")], [[2], [1.5]]).html_rows()]  # fractional
['2.00', '1.50']
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bibmine.specialization.coefficients import is_competence
from bibmine.specialization.render import cell_colour, text_colour

KINDS = ("text", "int", "num", "num3", "pct", "share", "coef", "bar", "matrix")
_LEADING_NUMBER = re.compile(r"^\s*[▲▼+-]\s*(\d+(?:\.\d+)?)")  # ▲ / ▼; + / - in folders written before


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass
class Column:
    label: str
    kind: str = "text"  # one of KINDS
    verbatim: bool = False  # record content as the source printed it (titles, keywords, names), in its own language

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column kind {self.kind!r} is not one of {', '.join(KINDS)}")


@dataclass
class HtmlCell:
    text: str
    cls: str = ""
    style: str = ""  # only built here, from colours we compute; never from data
    tip: str = ""


@dataclass
class Table:
    key: str  # stable id (HTML id, test handle)
    title: str
    columns: list[Column]
    rows: list[list]
    sheet: str | None = None  # workbook sheet name; None keeps the table out of the workbook
    tips: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> tooltip / comment
    weak: set[tuple[int, int]] = field(default_factory=set)  # competences whose interval reaches the threshold
    threshold: float = 1.0
    frozen_columns: int = 1
    note: str = ""
    show: bool = True  # False: workbook only (the report shows the same data another way)
    lang: str = "en"  # decimal comma in Russian (set for every table by build.build_sections)

    def html_rows(self) -> list[list[HtmlCell]]:
        numbers = {j: [r[j] for r in self.rows if isinstance(r[j], int | float) and not is_missing(r[j])]
                   for j, c in enumerate(self.columns) if c.kind in ("bar", "int")}
        peaks = {j: max((abs(v) for v in values), default=0) for j, values in numbers.items()}
        # a column of counts with one fractional value shows every value with two decimals
        fractional = {j for j, values in numbers.items() if any(not float(v).is_integer() for v in values)}
        out = []
        for i, row in enumerate(self.rows):
            cells = []
            for j, (column, value) in enumerate(zip(self.columns, row, strict=True)):
                cell = self._cell(column, value, peaks.get(j, 0), j in fractional)
                if self.lang == "ru" and column.kind not in ("text", "matrix"):
                    cell.text = _ru_number(cell.text)
                if column.verbatim:
                    cell.cls = (cell.cls + " v").strip()
                tip = self.tips.get((i, j), "")
                cell.tip = f"{cell.tip}; {tip}" if cell.tip and tip else (tip or cell.tip)
                if (i, j) in self.weak:
                    cell.text += "*"
                    cell.cls += " weak"
                cells.append(cell)
            out.append(cells)
        return out

    def _cell(self, column: Column, value: object, peak: float, fractional: bool = False) -> HtmlCell:
        kind = column.kind
        if kind == "text":
            return HtmlCell("" if value is None else str(value))
        if kind == "matrix":
            return _matrix_cell("" if value is None else str(value), self.threshold)
        if is_missing(value):
            bg = cell_colour(math.nan) if kind == "coef" else ""
            return HtmlCell("—", "num na", f"background:{bg}" if bg else "")
        if not isinstance(value, int | float):
            return HtmlCell(str(value), "num")
        if kind == "coef":
            bg = cell_colour(float(value), self.threshold)
            mark = " c" if is_competence(float(value), self.threshold) else ""
            return HtmlCell(f"{value:.2f}", f"num coef{mark}", f"background:{bg};color:{text_colour(bg)}")
        if kind == "share":
            share = min(max(float(value), 0.0), 1.0)
            return HtmlCell(f"{100 * value:.0f}%", "num", f"background:rgba(31,119,180,{0.08 + 0.5 * share:.2f})")
        if kind == "pct":
            return HtmlCell(f"{100 * value:.1f}%", "num")
        if kind == "bar":
            width = 100 * abs(value) / peak if peak else 0
            text = f"{value:.2f}" if fractional else format_number(value)
            return HtmlCell(text, "num bar", f"background:linear-gradient(90deg,#cfe0f3 {width:.1f}%,"
                                             f"transparent {width:.1f}%)")
        if kind == "int":
            return HtmlCell(f"{value:.2f}" if fractional else format_number(value), "num")
        digits = 3 if kind == "num3" else 2
        return HtmlCell(f"{value:.{digits}f}", "num")


def _ru_number(text: str) -> str:
    """A number shown the Russian way: decimal comma, a space before %.

    >>> _ru_number("1.50"), _ru_number("12.5%"), _ru_number("—")
    ('1,50', '12,5\xa0%', '—')
    """
    text = re.sub(r"(\d)\.(\d)", r"\1,\2", text)
    return re.sub(r"(\d)%", "\\1\xa0%", text)


def format_number(value: float) -> str:
    """Whole numbers with a thin space between thousands; other numbers with two decimals.

    >>> format_number(12345), format_number(2.5), format_number(3.0)
    ('12\\u202f345', '2.50', '3')
    """
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.2f}"


def matrix_value(text: str) -> float | None:
    """The coefficient at the start of a matrix cell (``▲ 2.29; S&T: 53``); None when there is none.

    >>> matrix_value("▲ 2.29; S&T: 53"), matrix_value("▼ 0.06"), matrix_value("? (undefined: x)")
    (2.29, 0.06, None)
    """
    match = _LEADING_NUMBER.match(text)
    return float(match.group(1)) if match else None


def _matrix_cell(text: str, threshold: float) -> HtmlCell:
    value = matrix_value(text)
    if value is None:
        return HtmlCell(text, "matrix")
    bg = cell_colour(value, threshold)
    mark = " c" if is_competence(value, threshold) else ""
    return HtmlCell(text, f"matrix{mark}", f"background:{bg};color:{text_colour(bg)}")


# ---- blocks ---------------------------------------------------------------------------------------------

@dataclass
class Figures:
    items: list[tuple[str, str]]  # (label, value as text)
    kind: str = "figures"
    verbatim: tuple[int, ...] = ()  # items whose value is the user's own text (a study's name)


@dataclass
class TableBlock:
    table: Table
    kind: str = "table"


@dataclass
class Image:
    data_uri: str  # data:image/png;base64,... built from a file of the study folder
    alt: str
    caption: str = ""
    collapsed: bool = False
    kind: str = "image"


@dataclass
class Text:
    paragraphs: list[str]
    heading: str = ""
    pre: bool = False  # keep line breaks (a scenario model's plain text)
    kind: str = "text"


@dataclass
class Notice:
    """Why a part is empty or partial; shown in a box."""

    lines: list[str]
    kind: str = "notice"


@dataclass
class ScenarioPart:
    text: str
    codes: str = ""  # the codes behind the names, shown small


@dataclass
class ScenarioLevel:
    title: str
    lines: list[list[ScenarioPart]]
    empty: str = ""


@dataclass
class Scenario:
    region: str
    title: str
    levels: list[ScenarioLevel]
    related_title: str = ""
    related: list[str] = field(default_factory=list)
    related_empty: str = ""
    kind: str = "scenario"


@dataclass
class MapView:
    key: str  # network folder name, made safe for an id
    title: str
    data_json: str  # JSON safe to embed in <script type="application/json"> (see viewer.script_json)
    facts: list[tuple[str, str]]
    weight_keys: list[str]
    clusters: list[tuple[int, str, str]]  # (number, label, colour)
    weight: int = 0  # index of the weight that sizes the circles first
    kind: str = "map"
    verbatim: tuple[int, ...] = ()  # facts whose value is the map file's own text (its title), in its language


@dataclass
class Chart:
    """An inline SVG chart (built by :mod:`.svg` / :mod:`.russia_map`, text escaped there) with its table."""

    key: str
    title: str
    svg: str
    alt: str
    table: Table | None = None
    caption: str = ""
    kind: str = "chart"


@dataclass
class RegionSummary:
    """One region's page of the summary: plain sentences and short lists (each item a text, codes small)."""

    region: str
    title: str
    paragraphs: list[str]
    lists: list[tuple[str, list[ScenarioPart]]]  # (heading, items); an empty list shows ``empty``
    lines: list[list[ScenarioPart]] = field(default_factory=list)  # scenario lines
    lines_title: str = ""
    empty: str = ""
    kind: str = "summary"


@dataclass
class Group:
    """Small tables side by side."""

    blocks: list[TableBlock]
    kind: str = "group"


@dataclass
class Section:
    id: str
    title: str
    blocks: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why the section (or a part of it) is empty or partial

    def tables(self) -> list[Table]:
        """Every table of the section, those of groups included, in order."""
        out = []
        for block in self.blocks:
            inner = block.blocks if isinstance(block, Group) else [block]
            out += [b.table for b in inner if isinstance(b, TableBlock)]
            out += [b.table for b in inner if isinstance(b, Chart) and b.table is not None]
        return out
