"""The four coefficients: location quotients of a region against the country or its macroregion.

    coefficient(r, c) = (V[r, c] / V[r, *]) / (V[R, c] / V[R, *])

computed as ``(V[r,c] * V[R,*]) / (V[r,*] * V[R,c])`` (one division, so that equal integer
shares give exactly 1.0). A region has a competence when the coefficient is strictly above the
threshold (default 1; 1.00 is not a competence). An undefined coefficient is NaN with a reason,
never 0 or infinity. S&T ratios carry their counts and a Wilson score interval (95% by default)
for the region's share, divided by the reference share (taken as exact: the country's counts are
large); ``solid`` is True when the whole interval lies above the threshold.

Worked example of METHOD.md section 4:

>>> values = pd.DataFrame({"level": "st", "year": 2021, "category": ["53", "20", "*"] * 2,
...     "region": ["RU-ALP"] * 3 + ["RU"] * 3, "value": [24, 5, 80, 100, 50, 1000]})
>>> table = location_quotients(values)
>>> table[["category", "value", "solid"]].to_string(index=False)
'category  value  solid\\n      53   3.00   True\\n      20   1.25  False'
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd

from bibmine.specialization.inputs import TOTAL, is_country

OUTPUT_COLUMNS = ["level", "year", "category", "region", "value", "reference", "count", "region_total",
                  "reference_count", "reference_total", "ci_low", "ci_high", "solid", "reason"]
_RELATIVE_TOLERANCE = 1e-9


def is_competence(value: float | None, threshold: float = 1.0) -> bool:
    """Strictly above the threshold; a value equal to it up to float rounding is not; NaN is not.

    >>> is_competence(1.0), is_competence(1.0000000000001), is_competence(1.01), is_competence(float("nan"))
    (False, False, True, False)
    """
    if value is None or math.isnan(value):
        return False
    return value > threshold and not math.isclose(value, threshold, rel_tol=_RELATIVE_TOLERANCE)


def wilson_interval(successes: float, trials: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (works for fractional or weighted counts as well).

    >>> lo, hi = wilson_interval(24, 80)
    >>> round(lo, 4), round(hi, 4)
    (0.2106, 0.4077)
    """
    if trials <= 0:
        raise ValueError("the interval needs a positive number of trials")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= trials else min(1.0, centre + half)
    return low, high


def output_level(level: str, reference: str) -> str:
    """Coefficient level of a values level: sectoral output gives national or macroregional."""
    if level == "output":
        return "national" if reference == "country" else "macroregional"
    return level


def location_quotients(values: pd.DataFrame, reference: str | None = None, *, threshold: float = 1.0,
                       confidence: float = 0.95) -> pd.DataFrame:
    """Coefficients of every region x category in a values table (see :mod:`.inputs`).

    ``reference`` is ``country`` (the country total rows, region like ``RU``) or ``macroregion``
    (the sum of the members of the region's macroregion, from a ``macroregion`` column, or of all
    the regions of the table when there is none), applied to every level. ``None`` (the default)
    follows METHOD.md: export and S&T against the country, sectoral output against both (giving
    the ``national`` and the ``macroregional`` levels). Returns one row per region and category
    with the columns of ``OUTPUT_COLUMNS``.
    """
    if reference not in (None, "country", "macroregion"):
        raise ValueError(f"reference must be 'country' or 'macroregion', not {reference!r}")
    out = []
    for (level, year), group in values.groupby(["level", "year"], sort=False):
        if reference is not None:
            references = [reference]
        else:
            references = ["country", "macroregion"] if level == "output" else ["country"]
        for ref in references:
            out.extend(_group_quotients(group, level, int(year), ref, threshold, confidence))
    frame = pd.DataFrame(out, columns=OUTPUT_COLUMNS)
    frame["solid"] = frame["solid"].astype("boolean")
    return frame


def _group_quotients(group: pd.DataFrame, level: str, year: int, reference: str, threshold: float,
                     confidence: float) -> list[dict]:
    regional = group[~group["region"].map(is_country)]
    countries = sorted(set(group["region"]) - set(regional["region"]))
    categories = [c for c in dict.fromkeys(group["category"]) if c != TOTAL]
    cells = {(r.region, r.category): r.value for r in group.itertuples(index=False)}
    regions = list(dict.fromkeys(regional["region"]))
    totals = {region: _total(cells, region, categories) for region in regions + countries}
    rows = []
    for region in regions:
        ref_name, ref_cells, ref_total = _reference(group, region, reference, countries, cells, totals,
                                                    categories)
        for category in categories:
            row = {"level": output_level(level, reference), "year": year, "category": category,
                   "region": region, "reference": ref_name, "value": math.nan, "solid": pd.NA,
                   "count": cells.get((region, category), math.nan), "region_total": totals[region][0],
                   "reference_count": ref_cells.get(category, (math.nan, "")),
                   "reference_total": ref_total[0], "ci_low": math.nan, "ci_high": math.nan, "reason": ""}
            row["reference_count"], ref_reason = row["reference_count"]
            row["reason"] = _undefined_reason(row, totals[region][1], ref_reason, ref_total[1])
            if not row["reason"]:
                a, n, b, big_n = (row["count"], row["region_total"], row["reference_count"],
                                  row["reference_total"])
                row["value"] = (a * big_n) / (n * b)
                if level == "st":
                    _add_interval(row, confidence, threshold)
            elif level == "st":
                row["reason"] += "; no interval"
            rows.append(row)
    return rows


def _total(cells: dict, region: str, categories: list[str]) -> tuple[float, str]:
    """V[r, *]: the '*' row, else the sum of the categories (unknown if one of them is missing)."""
    if (region, TOTAL) in cells and not math.isnan(cells[(region, TOTAL)]):
        return cells[(region, TOTAL)], ""
    parts = [cells.get((region, c), math.nan) for c in categories]
    missing = [c for c, v in zip(categories, parts, strict=True) if math.isnan(v)]
    if missing:
        return math.nan, (f"total of {region} unknown: no '*' row and no value for "
                          f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    return float(sum(parts)), ""


def _reference(group, region, reference, countries, cells, totals, categories):
    """(name, {category: (V[R,c], reason)}, (V[R,*], reason)) of a region's reference area."""
    if reference == "country":
        if len(countries) != 1:
            why = ("no country total rows (a region code like 'RU')" if not countries
                   else f"several country codes ({', '.join(countries)}); expected one")
            return "country", {}, (math.nan, why)
        country = countries[0]
        ref_cells = {}
        for c in categories:
            value = cells.get((country, c), math.nan)
            ref_cells[c] = (value, "" if not math.isnan(value) else f"no {country} value for {c}")
        return f"country:{country}", ref_cells, totals[country]
    members, name = _macroregion_members(group, region)
    ref_cells = {}
    for c in categories:
        parts = {m: cells.get((m, c), math.nan) for m in members}
        gaps = [m for m, v in parts.items() if math.isnan(v)]
        ref_cells[c] = ((math.nan, f"macroregion value for {c} unknown: no value for {', '.join(gaps)}")
                        if gaps else (float(sum(parts.values())), ""))
    member_totals = [totals[m] for m in members]
    gaps = [why for _, why in member_totals if why]
    total = (math.nan, "macroregion total unknown: " + "; ".join(gaps)) if gaps else (
        float(sum(v for v, _ in member_totals)), "")
    return f"macroregion:{name}", ref_cells, total


def _macroregion_members(group: pd.DataFrame, region: str) -> tuple[list[str], str]:
    regional = group[~group["region"].map(is_country)]
    if "macroregion" not in group.columns:
        return list(dict.fromkeys(regional["region"])), "all regions of the table"
    names = set(regional.loc[regional["region"] == region, "macroregion"].astype(str).str.strip()) - {""}
    if len(names) != 1:
        raise ValueError(f"region {region} has {len(names) or 'no'} macroregion names "
                         f"({', '.join(sorted(names))}); expected exactly one")
    name = names.pop()
    members = regional.loc[regional["macroregion"].astype(str).str.strip() == name, "region"]
    return list(dict.fromkeys(members)), name


def _undefined_reason(row: dict, total_reason: str, ref_reason: str, ref_total_reason: str) -> str:
    if math.isnan(row["count"]):
        return "no value for this region and category"
    if total_reason:
        return total_reason
    if row["region_total"] == 0:
        return "region total V[r,*] is 0"
    if ref_total_reason:
        return ref_total_reason
    if ref_reason:
        return ref_reason
    if row["reference_total"] == 0:
        return "reference total V[R,*] is 0"
    if row["reference_count"] == 0:
        return "category absent from the reference area (V[R,c] is 0)"
    return ""


def _add_interval(row: dict, confidence: float, threshold: float) -> None:
    share = row["reference_count"] / row["reference_total"]
    low, high = wilson_interval(row["count"], row["region_total"], confidence)
    row["ci_low"], row["ci_high"] = low / share, high / share
    row["solid"] = is_competence(row["ci_low"], threshold)


def latest(coefficients: pd.DataFrame, level: str, year: int | None = None) -> pd.DataFrame:
    """Rows of one level for one year (the latest one present unless ``year`` is given)."""
    rows = coefficients[coefficients["level"] == level]
    if rows.empty:
        return rows
    chosen = int(rows["year"].max()) if year is None else year
    return rows[rows["year"] == chosen]


def competent_rubrics(coefficients: pd.DataFrame, region: str, threshold: float = 1.0,
                      year: int | None = None) -> dict[str, float]:
    """The region's S&T competences: rubric -> ratio, for ratios strictly above the threshold."""
    rows = latest(coefficients, "st", year)
    rows = rows[rows["region"] == region]
    return {r.category: r.value for r in rows.itertuples(index=False) if is_competence(r.value, threshold)}
