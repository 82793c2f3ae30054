"""Read and write tidy tables ``level,year,category,region,value`` (CSV or XLSX).

Two kinds of table share this layout:

- **values** (``kind="values"``): raw values from which coefficients are computed. ``level`` is
  ``export`` (export value by commodity group), ``output`` (output by economic-activity section;
  ``national``, ``macroregional`` and ``sectoral`` are accepted as synonyms) or ``st`` (S&T counts
  per GRNTI rubric). ``region`` is an ISO 3166-2 code (``RU-VOR``); a row whose region is a bare
  ISO 3166-1 code (``RU``) is the **country total**. A row with category ``*`` is the region's
  total over all categories (V[r, *]); without one the total is the sum of the region's rows. An
  optional ``macroregion`` column names each region's macroregion (macroregion totals are derived
  from its members).
- **coefficients** (``kind="coefficients"``): precomputed coefficients, ``level`` one of ``export``,
  ``national``, ``macroregional``, ``st``, as in the shipped Central Black Earth case. An empty
  ``value`` is an undefined coefficient (its ``reason`` column, if any, says why).

Bad rows never stop a read: each one is skipped and reported as an :class:`InputProblem` naming the
file, the row (the line of a CSV file, the spreadsheet row of an XLSX sheet; the header is row 1)
and what is wrong. Numbers may use a decimal comma
and spaces as thousands separators (``1 234,5``).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bibmine.safe_csv import neutralize_frame, text_not_formulas
from bibmine.specialization.vocab import LEVELS

REQUIRED = ("level", "year", "category", "region", "value")
VALUE_LEVELS = {
    "export": "export",
    "output": "output",
    "national": "output",
    "macroregional": "output",
    "sectoral": "output",
    "st": "st",
}
TOTAL = "*"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUMBER_COLUMNS = ("count", "region_total", "reference_count", "reference_total", "ci_low", "ci_high")


@dataclass(frozen=True)
class InputProblem:
    """A row (or a whole file) that could not be used, and why."""

    file: str
    row: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}: {self.reason}"


def is_country(region: str) -> bool:
    """True for a bare ISO 3166-1 alpha-2 code (a country total row).

    >>> is_country("RU"), is_country("RU-VOR")
    (True, False)
    """
    return bool(_COUNTRY.match(region))


def parse_number(text: object) -> float | None:
    """A number from a cell; None for an empty cell; ValueError for anything that is not a number.

    >>> parse_number("1 234,5"), parse_number(" 2.35 "), parse_number(""), parse_number(7)
    (1234.5, 2.35, None, 7.0)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)  # ValueError names the text
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def normalize_category(level: str, category: str) -> str:
    """GRNTI codes keep two digits (a spreadsheet may have turned ``05`` into ``5`` or ``5.0``).

    >>> normalize_category("st", "5.0"), normalize_category("st", "53"), normalize_category("export", "71")
    ('05', '53', '71')
    """
    category = category.strip()
    if level == "st" and re.fullmatch(r"\d{1,2}(\.0+)?", category):
        return f"{int(float(category)):02d}"
    return category


def _read_raw(path: Path) -> tuple[pd.DataFrame, list[int], list[InputProblem]]:
    """All cells as text, the file row of each record, and the records of the wrong width."""
    suffix = path.suffix.lower()
    problems: list[InputProblem] = []
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
        numbers = [i + 2 for i in range(len(frame))]
    elif suffix in (".csv", ".txt"):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            records, numbers = [], []
            for fields in reader:
                if not any(field.strip() for field in fields):
                    continue
                if len(fields) != len(header):
                    problems.append(InputProblem(path.name, reader.line_num, f"{len(fields)} fields where the "
                                                 f"header has {len(header)} (an unquoted comma?)"))
                    continue
                records.append(fields)
                numbers.append(reader.line_num)
        frame = pd.DataFrame(records, columns=header, dtype=str)
    else:
        raise ValueError(f"{path}: expected a .csv or .xlsx file, got {suffix or 'no suffix'}")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, numbers, problems


def read_tidy(path: str | Path, *, kind: str = "values") -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a tidy table; return the good rows (typed) and the problems found.

    The frame has ``level`` (values: normalized to export/output/st), ``year`` (int), ``category``,
    ``region``, ``value`` (float, NaN where empty) and the optional columns that were present.
    A file missing a required column gives an empty frame and one problem.
    """
    if kind not in ("values", "coefficients"):
        raise ValueError(f"kind must be 'values' or 'coefficients', not {kind!r}")
    path = Path(path)
    raw, numbers, problems = _read_raw(path)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        problem = InputProblem(path.name, None, f"missing column(s) {', '.join(missing)}; "
                               f"the header must include {','.join(REQUIRED)}")
        return pd.DataFrame(columns=list(REQUIRED)), [problem]
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for row_number, record in zip(numbers, raw.to_dict("records"), strict=True):
        try:
            row = _check_row(record, kind)
        except ValueError as exc:
            problems.append(InputProblem(path.name, row_number, str(exc)))
            continue
        key = (row["level"], row["year"], row["category"], row["region"])
        if key in seen:
            problems.append(InputProblem(path.name, row_number,
                                         f"duplicate of row {seen[key]} ({', '.join(map(str, key))}); skipped"))
            continue
        seen[key] = row_number
        rows.append(row)
    columns = list(REQUIRED) + [c for c in raw.columns if c not in REQUIRED]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame, sorted(problems, key=lambda p: p.row or 0)


def _check_row(record: dict, kind: str) -> dict:
    level = str(record["level"]).strip().lower()
    if kind == "values":
        if level not in VALUE_LEVELS:
            raise ValueError(f"level {record['level']!r} is not one of {', '.join(VALUE_LEVELS)}")
        level = VALUE_LEVELS[level]
    elif level not in LEVELS:
        raise ValueError(f"level {record['level']!r} is not one of {', '.join(LEVELS)}")
    year_text = str(record["year"]).strip()
    if not re.fullmatch(r"\d{4}(\.0+)?", year_text):
        raise ValueError(f"year {record['year']!r} is not a four-digit year")
    category = normalize_category(level, str(record["category"]))
    region = str(record["region"]).strip()
    if not category:
        raise ValueError("empty category")
    if not region:
        raise ValueError("empty region")
    if kind == "coefficients" and (category == TOTAL or is_country(region)):
        raise ValueError(f"a coefficients table has no totals (category {category!r}, region {region!r})")
    try:
        value = parse_number(record["value"])
    except ValueError:
        raise ValueError(f"value {record['value']!r} is not a number") from None
    if value is not None and value < 0:
        raise ValueError(f"value {value:g} is negative")
    row = dict(record)
    row.update(level=level, year=int(float(year_text)), category=category, region=region,
               value=math.nan if value is None else value)
    for column in _NUMBER_COLUMNS:
        if column in row:
            try:
                number = parse_number(row[column])
            except ValueError:
                raise ValueError(f"{column} {row[column]!r} is not a number") from None
            row[column] = math.nan if number is None else number
    return row


def read_coefficients(path: str | Path) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a precomputed coefficients table (see the module docstring)."""
    return read_tidy(path, kind="coefficients")


def read_values(paths: list[str | Path] | str | Path) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read and stack one or more values tables; a key repeated across files is a problem."""
    if isinstance(paths, str | Path):
        paths = [paths]
    frames, problems = [], []
    for path in paths:
        frame, found = read_tidy(path, kind="values")
        frame = frame.assign(source_file=Path(path).name)
        frames.append(frame)
        problems.extend(found)
    stacked = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(REQUIRED))
    key = ["level", "year", "category", "region"]
    repeated = stacked.duplicated(key, keep="first")
    for row in stacked[repeated].itertuples(index=False):
        problems.append(InputProblem(row.source_file, None, f"{row.level}, {row.year}, {row.category}, "
                                     f"{row.region} repeats a row of an earlier file; skipped"))
    stacked = stacked[~repeated].drop(columns="source_file").reset_index(drop=True)
    return stacked, problems


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a tidy table as CSV (UTF-8, empty cells for missing values) or XLSX, by suffix; formula-safe both."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        neutralize_frame(frame).to_csv(path, index=False, encoding="utf-8")
    elif suffix == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False)
            text_not_formulas(writer.book)
    else:
        raise ValueError(f"{path}: expected a .csv or .xlsx file name")
    return path
