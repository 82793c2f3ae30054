"""Concordances (commodity group / section -> GRNTI rubrics) and the cross-cutting rubric set.

A concordance file is CSV with the header ``level,category,rubric`` (other columns, e.g. a note,
are kept and ignored). ``level`` is ``export`` (commodity groups), ``national`` or
``macroregional`` (sections, for that level only) or ``section`` (sections, both levels). The
shipped default is ``data/concordance_default.csv``, justified in ``data/CONCORDANCE.md``; users
replace it with their own file, or extend it (:meth:`Concordance.extended`).

>>> c = read_concordance()
>>> c.rubrics_for("national", "C")[:5]
['55', '53', '61', '31', '45']
>>> c.rubrics_for("macroregional", "H"), c.rubrics_for("export", "72-83")
(['73'], ['53', '55'])
>>> parse_cross_cutting("50, 20,28"), default_cross_cutting()
(('50', '20', '28'), ('50', '20', '28'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bibmine.specialization.inputs import InputProblem, normalize_category
from bibmine.specialization.vocab import DATA_DIR, DEFAULT_CONCORDANCE, category_names, read_data_csv

CONCORDANCE_LEVELS = ("export", "national", "macroregional", "section")
HEADER = ("level", "category", "rubric")


@dataclass
class Concordance:
    """Links from rows of the managerial matrices to GRNTI rubrics, in file order."""

    links: pd.DataFrame  # level, category, rubric
    source: str = "default"
    problems: list[InputProblem] = field(default_factory=list)

    def rubrics_for(self, level: str, category: str) -> list[str]:
        """Rubrics linked to a category at a matrix level (``section`` rows serve both sectoral levels)."""
        levels = {level, "section"} if level in ("national", "macroregional") else {level}
        rows = self.links[self.links["level"].isin(levels) & (self.links["category"] == category)]
        return list(dict.fromkeys(rows["rubric"]))

    def extended(self, other: Concordance) -> Concordance:
        """This concordance plus the links of another (duplicates dropped)."""
        links = pd.concat([self.links, other.links], ignore_index=True).drop_duplicates()
        return Concordance(links.reset_index(drop=True), f"{self.source} + {other.source}",
                           self.problems + other.problems)


def read_concordance(path: str | Path | None = None) -> Concordance:
    """Read a concordance file (the shipped default when ``path`` is None); bad rows are reported."""
    path = Path(path) if path is not None else DEFAULT_CONCORDANCE
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [str(c).strip() for c in raw.columns]
    source = "default" if path == DEFAULT_CONCORDANCE else path.name
    if list(raw.columns[:3]) != list(HEADER):
        problem = InputProblem(path.name, None, f"the header must start with {','.join(HEADER)}; "
                               f"found {','.join(raw.columns[:3])}")
        return Concordance(pd.DataFrame(columns=list(HEADER)), source, [problem])
    rubrics = set(category_names("st", "en"))
    problems, rows = [], []
    for index, row in enumerate(raw[list(HEADER)].itertuples(index=False)):
        level, category = row.level.strip().lower(), row.category.strip()
        rubric = normalize_category("st", row.rubric)
        reason = None
        if level not in CONCORDANCE_LEVELS:
            reason = f"level {row.level!r} is not one of {', '.join(CONCORDANCE_LEVELS)}"
        elif not category:
            reason = "empty category"
        elif rubric not in rubrics:
            reason = f"rubric {row.rubric!r} is not a GRNTI level-1 code"
        if reason:
            problems.append(InputProblem(path.name, index + 2, reason))
        else:
            rows.append((level, category, rubric))
    links = pd.DataFrame(rows, columns=list(HEADER)).drop_duplicates().reset_index(drop=True)
    return Concordance(links, source, problems)


def parse_cross_cutting(text: str) -> tuple[str, ...]:
    """Rubric codes from ``"50,20,28"``; ValueError for a code that is not a GRNTI level-1 rubric."""
    codes = tuple(normalize_category("st", part) for part in text.split(",") if part.strip())
    known = set(category_names("st", "en"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"cross-cutting rubric(s) {', '.join(unknown)} are not GRNTI level-1 codes")
    return tuple(dict.fromkeys(codes))


def default_cross_cutting() -> tuple[str, ...]:
    """The shipped cross-cutting set (``data/cross_cutting.csv``): 50, 20, 28."""
    return tuple(read_data_csv(DATA_DIR / "cross_cutting.csv")["rubric"])
