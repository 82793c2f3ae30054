"""The managerial (conjugation) matrix of one level: categories x regions of the macroregion.

Each cell holds (1) a mark, ▲ or ▼ (the region's coefficient strictly above the threshold or not;
? when undefined) and the coefficient, (2) the region's S&T competences among the rubrics the
concordance links to the row (cross-cutting rubrics are left out there: they have their own
part) and (3) the region's cross-cutting competences. A last row lists each region's
cross-cutting competences. The S&T competences come from the ``st`` rows of the same coefficients table (latest year).

The marks are symbols, not ``+`` / ``-``: a cell text that begins with ``+`` or ``-`` is a formula to
a spreadsheet (``+ 1.19; S&T: 68`` opens as ``#NAME?`` or worse), so no cell text begins with
``=``, ``+``, ``-`` or ``@`` (docs/security.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from bibmine.specialization.coefficients import competent_rubrics, is_competence, latest
from bibmine.specialization.concordance import Concordance, default_cross_cutting
from bibmine.specialization.vocab import MATRIX_LEVELS, Names, category_order, phrase

#: what a cell shows for its sign: above the threshold, not above, undefined
MARKS = {"+": "▲", "-": "▼", "?": "?"}


@dataclass
class Cell:
    value: float
    sign: str  # "+", "-" or "?" (undefined)
    competences: list[str] = field(default_factory=list)
    cross_cutting: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class ManagerialMatrix:
    level: str
    year: int
    threshold: float
    categories: list[str]
    regions: list[str]
    cells: dict[tuple[str, str], Cell]
    cross_cutting: dict[str, list[str]]
    cross_cutting_set: tuple[str, ...]
    names: Names
    st_year: int | None = None

    @property
    def lang(self) -> str:
        return self.names.lang

    def cell(self, category: str, region: str) -> Cell:
        return self.cells[(category, region)]

    def specialized(self, region: str) -> list[str]:
        """Categories (in row order) where the region has the specialization."""
        return [c for c in self.categories if self.cells[(c, region)].sign == "+"]

    def cell_text(self, category: str, region: str) -> str:
        """``▲ 2.29; S&T: 53, 55; cross-cutting: 50, 20, 28`` (parts without rubrics left out)."""
        cell = self.cells[(category, region)]
        if cell.sign == "?":
            head = f"? ({phrase('undefined', self.lang)}: {cell.reason})"
        else:
            head = f"{MARKS[cell.sign]} {cell.value:.2f}"
        parts = [head]
        if cell.competences:
            parts.append(f"{phrase('cell_st', self.lang)}: {', '.join(cell.competences)}")
        if cell.cross_cutting:
            parts.append(f"{phrase('cell_cc', self.lang)}: {', '.join(cell.cross_cutting)}")
        return "; ".join(parts)

    def to_wide(self) -> pd.DataFrame:
        """Rows = categories (+ the cross-cutting row), columns = regions, cells = :meth:`cell_text`."""
        rows = []
        for category in self.categories:
            row = {"category": category, "name": self.names.category(self.level, category)}
            row.update({region: self.cell_text(category, region) for region in self.regions})
            rows.append(row)
        last = {"category": "cross-cutting", "name": phrase("cross_cutting_row", self.lang)}
        last.update({region: ", ".join(self.cross_cutting[region]) for region in self.regions})
        rows.append(last)
        return pd.DataFrame(rows, columns=["category", "name", *self.regions])

    def to_long(self) -> pd.DataFrame:
        """One row per category x region with the parts of the cell as columns (codes ``;``-joined)."""
        rows = []
        for (category, region), cell in self.cells.items():
            rows.append({"level": self.level, "year": self.year, "category": category,
                         "category_name": self.names.category(self.level, category), "region": region,
                         "value": cell.value, "specialization": MARKS[cell.sign],
                         "competences": ";".join(cell.competences),
                         "cross_cutting": ";".join(cell.cross_cutting), "reason": cell.reason})
        return pd.DataFrame(rows)


def managerial_matrix(coefficients: pd.DataFrame, concordance: Concordance, level: str, *,
                      threshold: float = 1.0, cross_cutting: tuple[str, ...] | None = None,
                      lang: str = "en", year: int | None = None,
                      regions: list[str] | None = None) -> ManagerialMatrix:
    """Build the matrix of ``level`` (export, national or macroregional) from a coefficients table."""
    if level not in MATRIX_LEVELS:
        raise ValueError(f"level must be one of {', '.join(MATRIX_LEVELS)}, not {level!r}")
    rows = latest(coefficients, level, year)
    if rows.empty:
        raise ValueError(f"the coefficients have no {level!r} rows" + (f" for {year}" if year else ""))
    cross_cutting = tuple(cross_cutting) if cross_cutting is not None else default_cross_cutting()
    regions = list(regions) if regions is not None else list(dict.fromkeys(rows["region"]))
    categories = _ordered(level, list(dict.fromkeys(rows["category"])))
    st_rows = latest(coefficients, "st")
    values = {(r.category, r.region): (r.value, getattr(r, "reason", "")) for r in rows.itertuples()}
    cells, cc = {}, {}
    for region in regions:
        competent = competent_rubrics(coefficients, region, threshold)
        cc[region] = [r for r in cross_cutting if r in competent]
        for category in categories:
            value, reason = values.get((category, region), (math.nan, "no coefficient for this cell"))
            linked = [r for r in concordance.rubrics_for(level, category)
                      if r in competent and r not in cross_cutting]
            if value is None or math.isnan(value):
                sign, reason = "?", _text(reason) or "coefficient missing"
            else:
                sign, reason = ("+" if is_competence(value, threshold) else "-"), ""
            cells[(category, region)] = Cell(value, sign, linked, list(cc[region]), reason)
    st_year = int(st_rows["year"].iloc[0]) if not st_rows.empty else None
    return ManagerialMatrix(level, int(rows["year"].iloc[0]), threshold, categories, regions, cells, cc,
                            cross_cutting, Names(coefficients, lang), st_year)


def _ordered(level: str, categories: list[str]) -> list[str]:
    """Vocabulary order (groups by chapter, sections A..U); unknown codes after, as they came."""
    order = {code: i for i, code in enumerate(category_order(level))}
    known = sorted((c for c in categories if c in order), key=order.__getitem__)
    return known + [c for c in categories if c not in order]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()
