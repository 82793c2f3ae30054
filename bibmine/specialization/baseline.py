"""The national reference of the S&T ratio: one table format, three ways to get it (docs/baseline.md).

A baseline table is a CSV file ``level,year,rubric,region,value`` (optional columns ``ci_low``,
``ci_high``, ``sample_size``, ``sample_count``, ``counting``, ``source``):

- ``level`` is ``st``; ``year`` a four-digit year; ``region`` the country code (``RU``);
- ``rubric`` a GRNTI level-1 code (``53``; ``5`` or ``5.0`` is read as ``05``) or ``*`` for the
  country's total number of records that year (V[R, *]); every year needs its ``*`` row;
- ``value`` a non-negative count (fractional counts allowed); ``ci_low``/``ci_high`` its 95%
  interval when the count is an estimate (the OpenAlex sample), empty when it is exact.

The three ways (``kind``): ``file`` (supplied by the user, :func:`read_baseline`), ``openalex``
(a sample of the country's works, :mod:`bibmine.sources.crawl.baseline_openalex`) and
``national-corpus`` (the corpus itself, when it covers the whole country, :func:`corpus_baseline`).
A bad row never stops the read: it is skipped and reported with its line and what is wrong.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bibmine.specialization.inputs import TOTAL, InputProblem, is_country, normalize_category, parse_number
from bibmine.specialization.vocab import DATA_DIR

COLUMNS = ["level", "year", "rubric", "region", "value"]
OPTIONAL = ["ci_low", "ci_high", "sample_size", "sample_count", "counting", "source"]
KINDS = ("file", "openalex", "national-corpus")
MIN_COUNT = 5  # default minimum count of a region's records in a rubric for a ratio to be shown
FIRST_YEAR, LAST_YEAR = 1900, 2100


@lru_cache(maxsize=1)
def grnti_codes() -> frozenset[str]:
    """The GRNTI level-1 codes of ``data/grnti_level1.csv``."""
    with open(DATA_DIR / "grnti_level1.csv", encoding="utf-8") as fh:
        return frozenset(row["code"] for row in csv.DictReader(fh))


@dataclass
class Baseline:
    """A national reference: rows ``year, rubric, region, value, ci_low, ci_high`` and where they came from."""

    table: pd.DataFrame
    kind: str
    source: str
    problems: list[InputProblem] = field(default_factory=list)
    details: dict = field(default_factory=dict)  # e.g. the OpenAlex sample size and seed

    @property
    def country(self) -> str | None:
        codes = sorted(set(self.table["region"]))
        return codes[0] if len(codes) == 1 else None

    @property
    def years(self) -> list[int]:
        """Years that have a total row."""
        return sorted(int(y) for y in self.table.loc[self.table["rubric"] == TOTAL, "year"].unique())

    def totals(self) -> dict[int, float]:
        rows = self.table[self.table["rubric"] == TOTAL]
        return {int(r.year): float(r.value) for r in rows.itertuples(index=False)}

    def window(self, first: int, last: int) -> tuple[pd.DataFrame, str]:
        """Country rows (``category``, ``value``, ``ci_low``, ``ci_high``) of the years first..last summed,
        and '' or why there are none (a year of the window missing from the baseline)."""
        missing = [y for y in range(first, last + 1) if y not in set(self.years)]
        if missing:
            shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
            return pd.DataFrame(), f"the {self.kind} baseline has no total for {shown}"
        rows = self.table[(self.table["year"] >= first) & (self.table["year"] <= last)]
        if rows["ci_low"].notna().any():  # an estimate: exact rows count as their own bounds
            rows = rows.assign(ci_low=rows["ci_low"].fillna(rows["value"]),
                               ci_high=rows["ci_high"].fillna(rows["value"]))
        summed = rows.groupby(["rubric", "region"], sort=True)[["value", "ci_low", "ci_high"]].sum(min_count=1)
        summed = summed.reset_index()
        return summed.rename(columns={"rubric": "category"}), ""

    def describe(self) -> dict:
        """What the reference is, for reference.json and the methodology text."""
        return {"kind": self.kind, "source": self.source, "country": self.country, "years": self.years,
                "totals": {str(y): v for y, v in self.totals().items()},
                "estimated": bool(self.table["ci_low"].notna().any()), **self.details}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"level": pd.Series(dtype=str), "year": pd.Series(dtype="int64"),
                         "rubric": pd.Series(dtype=str), "region": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "ci_low": pd.Series(dtype=float),
                         "ci_high": pd.Series(dtype=float)})


def _number(record: dict, column: str, what: str) -> float | None:
    try:
        number = parse_number(record.get(column))
    except ValueError:
        raise ValueError(f"{what} {record[column]!r} is not a number") from None
    if number is not None and number < 0:
        raise ValueError(f"{what} {number:g} is negative (counts are never below 0)")
    return number


def check_row(record: dict) -> dict:
    """One typed baseline row, or ValueError saying what is wrong with it."""
    level = str(record.get("level") or "").strip().lower()
    if level != "st":
        raise ValueError(f"level {record.get('level')!r} is not 'st' (a baseline holds S&T counts)")
    year_text = str(record.get("year") or "").strip()
    if not re.fullmatch(r"\d{4}(\.0+)?", year_text) or not FIRST_YEAR <= int(float(year_text)) <= LAST_YEAR:
        raise ValueError(f"year {record.get('year')!r} is not a year between {FIRST_YEAR} and {LAST_YEAR}")
    rubric = normalize_category("st", str(record.get("rubric") or ""))
    if rubric != TOTAL and rubric not in grnti_codes():
        raise ValueError(f"rubric {record.get('rubric')!r} is not a GRNTI level-1 code (e.g. 53) or '*' for the "
                         "total")
    region = str(record.get("region") or "").strip()
    if not is_country(region):
        raise ValueError(f"region {region!r} is not a country code (two capital letters, e.g. RU): a baseline "
                         "holds national counts")
    value = _number(record, "value", "value")
    if value is None:
        raise ValueError("value is empty")
    low = _number(record, "ci_low", "ci_low") if "ci_low" in record else None
    high = _number(record, "ci_high", "ci_high") if "ci_high" in record else None
    if (low is None) != (high is None):
        raise ValueError("give both ci_low and ci_high, or neither")
    if low is not None and not low <= value <= high:
        raise ValueError(f"value {value:g} is outside its interval [{low:g}, {high:g}]")
    return {"level": "st", "year": int(float(year_text)), "rubric": rubric, "region": region, "value": value,
            "ci_low": math.nan if low is None else low, "ci_high": math.nan if high is None else high}


def read_baseline(path: str | Path, *, kind: str = "file", counting: str | None = None) -> Baseline:
    """Read and check a baseline table; the good rows, and every problem with its line.

    ``counting``: when the file has a ``counting`` column, keep only the rows of that counting.
    A file without the required columns gives an empty baseline and one problem.
    """
    path = Path(path)
    problems: list[InputProblem] = []
    rows: list[dict] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [str(c).strip() for c in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            problems.append(InputProblem(path.name, None, f"missing column(s) {', '.join(missing)}; the header "
                                         f"must be {','.join(COLUMNS)} (see docs/baseline.md)"))
            return Baseline(_empty(), kind, str(path), problems)
        reader.fieldnames = header
        seen: dict[tuple, int] = {}
        for record in reader:
            line = reader.line_num
            if None in record or any(v is None for v in record.values()):
                problems.append(InputProblem(path.name, line, "wrong number of fields (an unquoted comma?)"))
                continue
            if not any(str(v).strip() for v in record.values()):
                continue
            if counting and record.get("counting", "").strip() not in ("", counting):
                continue
            try:
                row = check_row(record)
            except ValueError as exc:
                problems.append(InputProblem(path.name, line, str(exc)))
                continue
            key = (row["year"], row["rubric"], row["region"])
            if key in seen:
                problems.append(InputProblem(path.name, line, f"repeats line {seen[key]} ({row['year']}, "
                                             f"{row['rubric']}, {row['region']}); skipped"))
                continue
            seen[key] = line
            rows.append(row)
    table = pd.DataFrame(rows, columns=list(_empty().columns)) if rows else _empty()
    table["year"] = table["year"].astype("int64")
    problems += _consistency(table, path.name, seen)
    return Baseline(table, kind, str(path), problems)


def _consistency(table: pd.DataFrame, name: str, lines: dict[tuple, int]) -> list[InputProblem]:
    """Every year has one country and a '*' total no smaller than any of its rubrics."""
    out = []
    countries = sorted(set(table["region"]))
    if len(countries) > 1:
        out.append(InputProblem(name, None, f"several countries ({', '.join(countries)}); a baseline holds one"))
    for year, rows in table.groupby("year"):
        totals = rows[rows["rubric"] == TOTAL]
        if totals.empty:
            out.append(InputProblem(name, None, f"year {year} has no '*' row (the country's total that year); "
                                    "its ratios cannot be computed"))
            continue
        total = float(totals["value"].max())
        for r in rows[(rows["rubric"] != TOTAL) & (rows["value"] > total)].itertuples(index=False):
            out.append(InputProblem(name, lines.get((r.year, r.rubric, r.region)),
                                    f"rubric {r.rubric} ({r.value:g}) exceeds the {year} total ({total:g})"))
    return out


def write_baseline(baseline: Baseline | pd.DataFrame, path: str | Path) -> Path:
    """The table as CSV in the documented column order (empty cells for exact values)."""
    table = baseline.table if isinstance(baseline, Baseline) else baseline
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = COLUMNS + [c for c in OPTIONAL if c in table.columns]
    order = table.assign(_o=table["rubric"].eq(TOTAL)).sort_values(["year", "_o", "rubric"], kind="stable")
    order[columns].to_csv(path, index=False, encoding="utf-8", float_format="%.6g")
    return path


def corpus_baseline(records: pd.DataFrame, *, country: str = "RU", counting: str = "whole",
                    years: list[int] | None = None, **count_options) -> Baseline:
    """The national reference counted from the corpus itself (``--national-corpus``).

    Only for a corpus that covers the whole country: the regions' own records then make the
    country's counts, per year (``years``: those of the records when None).
    """
    from bibmine.specialization.counting import count_st

    if years is None:
        years = sorted({int(y) for y in records["year"].dropna()}) if "year" in records.columns else []
    rows = []
    for year in years:
        values = count_st(records, counting=counting, years=(year, year), country=country, year=year,
                          **count_options).values
        national = values[values["region"] == country]
        rows += [{"level": "st", "year": year, "rubric": r.category, "region": country, "value": float(r.value),
                  "ci_low": math.nan, "ci_high": math.nan} for r in national.itertuples(index=False)]
        if national.empty:
            rows.append({"level": "st", "year": year, "rubric": TOTAL, "region": country, "value": 0.0,
                         "ci_low": math.nan, "ci_high": math.nan})
    table = pd.DataFrame(rows, columns=list(_empty().columns)) if rows else _empty()
    return Baseline(table, "national-corpus", "the study's corpus (--national-corpus: it covers the whole country)")
