"""S&T specialization ratios of the study's regions against a national baseline, year by year or pooled.

    ratio(r, c) = (V[r, c] / V[r, *]) / (V[R, c] / V[R, *])

with the regions' counts from the corpus (:func:`.counting.count_st`) and the country's from a
:class:`.baseline.Baseline`. Every ratio carries ``count`` (V[r,c]), ``region_total`` (V[r,*]),
``reference_count`` (V[R,c]), ``reference_total`` (V[R,*]), a 95% interval and ``solid``:

- the interval divides the Wilson interval of the region's share by the interval of the
  country's share: ``[lo_r / hi_R, hi_r / lo_R]``; the country's share is exact for a supplied or
  corpus baseline and a Wilson interval of the sample for an OpenAlex baseline;
- ``solid`` is True when the whole interval lies above the threshold;
- a region count below ``min_count`` gives no ratio: ``value`` is empty, ``raw_value`` keeps the
  quotient, ``too_few`` is True and ``reason`` says "too few records"; it never marks a competence.

Years: the window ``years = [first, last]`` is computed for **each** year (``years_mode = "each"``,
one ratio per year) or **pooled** (one ratio over the window, labelled with its last year and
``window = "first-last"``). Without ``years``, the years of the baseline are computed. Every year
asked for is in the output, a year without records or without a baseline total with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from bibmine.specialization.baseline import MIN_COUNT, Baseline
from bibmine.specialization.coefficients import OUTPUT_COLUMNS, is_competence, location_quotients, wilson_interval
from bibmine.specialization.counting import count_st
from bibmine.specialization.inputs import TOTAL

COLUMNS = OUTPUT_COLUMNS + ["window", "raw_value", "too_few", "reference_ci_low", "reference_ci_high"]
YEARS_MODES = ("each", "pooled")


@dataclass
class StRatios:
    """The ratios (empty when none could be computed), the regions' counts, and why there are none."""

    ratios: pd.DataFrame
    counts: pd.DataFrame
    windows: list[tuple[int, int]]
    reason: str = ""
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["record_id", "reason"]))


def windows_of(years: tuple[int, int] | list[int] | None, mode: str, fallback: list[int]) -> list[tuple[int, int]]:
    """The year windows computed: each year of ``years`` or the pooled window; ``fallback`` years when None.

    >>> windows_of((2019, 2021), "each", []), windows_of([2019, 2021], "pooled", [])
    ([(2019, 2019), (2020, 2020), (2021, 2021)], [(2019, 2021)])
    """
    if mode not in YEARS_MODES:
        raise ValueError(f"years_mode must be one of {', '.join(YEARS_MODES)}, not {mode!r}")
    if years is None:
        if not fallback:
            return []
        return [(y, y) for y in sorted(fallback)] if mode == "each" else [(min(fallback), max(fallback))]
    first, last = int(years[0]), int(years[1])
    if first > last:
        raise ValueError(f"first year after last: {first} > {last}")
    return [(y, y) for y in range(first, last + 1)] if mode == "each" else [(first, last)]


def st_ratios(records: pd.DataFrame, baseline: Baseline | None, *, years: tuple[int, int] | None = None,
              years_mode: str = "each", regions: list[str] | None = None, min_count: float = MIN_COUNT,
              threshold: float = 1.0, confidence: float = 0.95, **count_options) -> StRatios:
    """Ratios of every region x rubric x window; see the module docstring.

    ``records`` is the counting table of :mod:`.corpus_counts`; ``count_options`` go to
    :func:`.counting.count_st` (counting, sources, weights). ``regions`` are always in the output
    (a region without records in a window has an undefined ratio with the reason).
    """
    if min_count < 0 or math.isnan(min_count):
        raise ValueError(f"min_count must be >= 0, not {min_count!r}")
    record_years = sorted({int(y) for y in records["year"].dropna()}) if "year" in records.columns else []
    windows = windows_of(years, years_mode, baseline.years if baseline is not None else record_years)
    counts, ratios, excluded = [], [], []
    for first, last in windows:
        counted = count_st(records, years=(first, last), year=last, **count_options)
        excluded.append(counted.excluded)
        values = _with_regions(counted.values, regions, last)
        values = values.assign(window=f"{first}-{last}" if first != last else str(last))
        counts.append(values)
        if baseline is not None:
            ratios.append(_window_ratios(values, baseline, first, last, min_count, threshold, confidence))
    counts_table = pd.concat(counts, ignore_index=True) if counts else pd.DataFrame(
        columns=["level", "year", "category", "region", "value", "window"])
    excluded_table = (pd.concat(excluded, ignore_index=True).drop_duplicates() if excluded
                      else pd.DataFrame(columns=["record_id", "reason"]))
    if baseline is None:
        return StRatios(pd.DataFrame(columns=COLUMNS), counts_table, windows,
                        "no national baseline was given ([specialization] baseline): a ratio against the corpus's "
                        "own total would compare the study's regions only with each other, not with the country",
                        excluded_table)
    if not windows:
        return StRatios(pd.DataFrame(columns=COLUMNS), counts_table, windows, "no year to compute: no [specialization] "
                        "years and no year in the baseline", excluded_table)
    table = pd.concat(ratios, ignore_index=True)
    table["solid"] = table["solid"].astype("boolean")
    table["too_few"] = table["too_few"].fillna(False).astype(bool)
    return StRatios(table[COLUMNS], counts_table, windows, "", excluded_table)


def _with_regions(values: pd.DataFrame, regions: list[str] | None, year: int) -> pd.DataFrame:
    """The counts with a zero total row for each asked-for region that has no record in the window."""
    present = set(values["region"])
    extra = [("st", year, TOTAL, r, 0.0) for r in regions or [] if r not in present]
    if not extra:
        return values
    return pd.concat([values, pd.DataFrame(extra, columns=list(values.columns[:5]))], ignore_index=True)


def _window_ratios(values: pd.DataFrame, baseline: Baseline, first: int, last: int, min_count: float,
                   threshold: float, confidence: float) -> pd.DataFrame:
    window = f"{first}-{last}" if first != last else str(last)
    regional = values[values["category"] != TOTAL]
    regions = sorted(set(values["region"]))
    reference, why = baseline.window(first, last)
    if why:
        rubrics = sorted(set(regional["category"]))
        rows = [{"level": "st", "year": last, "category": c, "region": r, "value": math.nan,
                 "reference": f"country:{baseline.country or '?'}", "reason": why + "; no interval", "window": window}
                for r in regions for c in rubrics or [TOTAL]]
        return pd.DataFrame(rows).reindex(columns=COLUMNS)
    country = baseline.country or "RU"
    seen = reference[(reference["value"] > 0) | reference["value"].isna()]  # a rubric nobody has: no row
    rubrics = sorted(set(regional["category"]) | set(seen["category"]) - {TOTAL})
    cells = {(r.region, r.category): r.value for r in values.itertuples(index=False)}
    rows = [("st", last, c, r, cells.get((r, c), 0.0)) for r in regions for c in rubrics]
    rows += [("st", last, TOTAL, r, cells.get((r, TOTAL), 0.0)) for r in regions]
    rows += [("st", last, x.category, country, x.value) for x in reference.itertuples(index=False)
             if x.category in rubrics or x.category == TOTAL]
    frame = pd.DataFrame(rows, columns=["level", "year", "category", "region", "value"])
    table = location_quotients(frame, "country", threshold=threshold, confidence=confidence)
    bounds = {x.category: (x.ci_low, x.ci_high) for x in reference.itertuples(index=False)}
    table = table.assign(window=window, raw_value=math.nan, too_few=False, reference_ci_low=math.nan,
                         reference_ci_high=math.nan)
    table["solid"] = table["solid"].astype(object)
    for i, row in table.iterrows():
        low, high = bounds.get(row["category"], (math.nan, math.nan))
        table.at[i, "reference_ci_low"], table.at[i, "reference_ci_high"] = low, high
        if math.isnan(row["value"]):
            continue
        _interval(table, i, row, low, high, confidence, threshold)
        if row["count"] < min_count:
            table.at[i, "raw_value"] = row["value"]
            table.at[i, "value"] = math.nan
            table.at[i, "too_few"] = True
            table.at[i, "solid"] = False
            table.at[i, "reason"] = (f"too few records: {row['count']:g} in this rubric, fewer than the minimum "
                                     f"{min_count:g}; not a competence")
    return table


def _interval(table: pd.DataFrame, i, row, ref_low: float, ref_high: float, confidence: float,
              threshold: float) -> None:
    """[lo_r / hi_R, hi_r / lo_R] with the country's share exact when the baseline gives no interval."""
    n, big_n = row["region_total"], row["reference_total"]
    low, high = wilson_interval(row["count"], n, confidence)
    share_low = (row["reference_count"] if math.isnan(ref_low) else ref_low) / big_n
    share_high = (row["reference_count"] if math.isnan(ref_high) else ref_high) / big_n
    table.at[i, "ci_low"] = low / share_high
    table.at[i, "ci_high"] = high / share_low if share_low > 0 else math.nan
    table.at[i, "solid"] = is_competence(low / share_high, threshold)
