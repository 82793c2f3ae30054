"""S&T ratios against a baseline: counts, intervals, the minimum count, the years asked for, and agreement
with the Central Black Earth case through the counting path. Records and tables here are INVENTED
except the bundled case's published ratios (Lyshchikova et al., 2023, Table 5)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bibmine.specialization.baseline import Baseline
from bibmine.specialization.case import bundled_case
from bibmine.specialization.coefficients import competent_rubrics, wilson_interval
from bibmine.specialization.counting import Weights
from bibmine.specialization.st_ratios import st_ratios, windows_of


def records(cells: dict[tuple[str, int], dict[str, int]]) -> pd.DataFrame:
    """One single-rubric record per count: {(region, year): {rubric: n}}."""
    rows = []
    for (region, year), counts in cells.items():
        for rubric, n in counts.items():
            rows += [(f"{region}-{year}-{rubric}-{i}", region, rubric, year) for i in range(n)]
    return pd.DataFrame(rows, columns=["record_id", "region", "rubric", "year"])


def baseline(cells: dict[int, dict[str, float]], bounds: dict | None = None) -> Baseline:
    rows = [("st", y, c, "RU", float(v), *(bounds or {}).get((y, c), (math.nan, math.nan)))
            for y, counts in cells.items() for c, v in counts.items()]
    return Baseline(pd.DataFrame(rows, columns=["level", "year", "rubric", "region", "value", "ci_low", "ci_high"]),
                    "file", "invented")


# METHOD.md section 4: the country 1000 works (53: 100, 20: 50); Alpha 80 (53: 24, 20: 5)
COUNTRY = {2021: {"53": 100, "20": 50, "68": 850, "*": 1000}}
ALPHA = {("RU-ALP", 2021): {"53": 24, "20": 5, "68": 51}}


def test_the_worked_example_with_counts_and_intervals():
    table = st_ratios(records(ALPHA), baseline(COUNTRY), years=(2021, 2021)).ratios.set_index("category")
    assert table.loc["53", ["value", "count", "region_total", "reference_count", "reference_total"]].tolist() == [
        3.0, 24, 80, 100, 1000]
    # Wilson 95% of 24/80 is [0.2106, 0.4077]; the country's share 0.10 is exact
    assert (table.loc["53", "ci_low"], table.loc["53", "ci_high"]) == pytest.approx((2.106, 4.077), abs=1e-3)
    assert table.loc["53", "solid"]
    # 5/80: [0.0270, 0.1383] / 0.05 -> [0.540, 2.762]: a competence (1.25 > 1), not a solid one
    assert table.loc["20", "value"] == 1.25 and not table.loc["20", "solid"]
    assert (table.loc["20", "ci_low"], table.loc["20", "ci_high"]) == pytest.approx((0.540, 2.762), abs=1e-3)
    assert table.loc["68", "value"] == pytest.approx(0.75)


def test_too_few_records_never_make_a_competence():
    few = {("RU-ALP", 2021): {"53": 4, "68": 16}}  # 53: (4/20)/(100/1000) = 2.0 from four records
    table = st_ratios(records(few), baseline(COUNTRY), years=(2021, 2021)).ratios.set_index("category")
    row = table.loc["53"]
    assert math.isnan(row["value"]) and row["raw_value"] == 2.0 and row["too_few"] and not row["solid"]
    assert row["reason"] == "too few records: 4 in this rubric, fewer than the minimum 5; not a competence"
    assert competent_rubrics(table.reset_index(), "RU-ALP") == {}
    lower = st_ratios(records(few), baseline(COUNTRY), years=(2021, 2021), min_count=4).ratios
    assert competent_rubrics(lower, "RU-ALP") == {"53": 2.0}


def test_each_year_asked_is_computed():
    national = {2019: {"53": 90, "68": 810, "*": 900}, 2021: COUNTRY[2021]}
    cells = {("RU-ALP", 2019): {"53": 10, "68": 10}, **ALPHA}
    result = st_ratios(records(cells), baseline(national), years=(2019, 2021), regions=["RU-ALP", "RU-BET"])
    table = result.ratios
    assert result.windows == [(2019, 2019), (2020, 2020), (2021, 2021)]
    assert sorted(set(table["year"])) == [2019, 2020, 2021]
    assert set(table.loc[table.year == 2020, "reason"]) == {"the file baseline has no total for 2020; no interval"}
    alpha_2019 = table[(table.year == 2019) & (table.region == "RU-ALP")].set_index("category")
    assert alpha_2019.loc["53", "value"] == 5.0  # (10/20) / (90/900)
    beta = table[(table.year == 2021) & (table.region == "RU-BET")]
    assert set(beta["reason"]) == {"region total V[r,*] is 0; no interval"}  # asked for, no record: said so


def test_a_pooled_window_sums_both_sides():
    national = {2020: {"53": 50, "68": 450, "*": 500}, 2021: COUNTRY[2021]}
    cells = {("RU-ALP", 2020): {"53": 6, "68": 14}, **ALPHA}
    result = st_ratios(records(cells), baseline(national), years=(2020, 2021), years_mode="pooled")
    row = result.ratios.set_index("category").loc["53"]
    # (6 + 24) / (20 + 80) over (50 + 100) / (500 + 1000) = 0.30 / 0.10
    assert (row["value"], row["count"], row["region_total"], row["reference_total"]) == (3.0, 30, 100, 1500)
    assert (row["year"], row["window"]) == (2021, "2020-2021")
    assert windows_of(None, "each", [2021, 2019]) == [(2019, 2019), (2021, 2021)]


def test_without_a_baseline_nothing_is_computed_and_the_counts_stay():
    result = st_ratios(records(ALPHA), None, years=(2021, 2021))
    assert result.ratios.empty
    assert result.reason.startswith("no national baseline was given ([specialization] baseline): a ratio against "
                                    "the corpus's own total")
    assert result.counts.set_index("category").loc["*", "value"] == 80


def test_an_estimated_baseline_widens_the_interval():
    bounds = {(2021, "53"): (75.3, 164.1)}  # an OpenAlex-sample estimate 112.2 with its 95% interval
    national = {2021: {"53": 112.2, "20": 50, "68": 837.8, "*": 1000}}
    row = st_ratios(records(ALPHA), baseline(national, bounds), years=(2021, 2021)).ratios.set_index(
        "category").loc["53"]
    low, high = wilson_interval(24, 80)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low / 0.1641, high / 0.0753))
    assert row["ci_low"] <= 3.0 <= row["ci_high"]  # the exact-baseline ratio lies inside


def test_fractional_counting_and_source_weights():
    table = pd.DataFrame({"record_id": ["a", "a", "b", "p"], "region": ["RU-ALP", "RU-BET", "RU-ALP", "RU-ALP"],
                          "rubric": ["53", "53", "68", "53"], "year": 2021,
                          "kind": ["article", "article", "article", "patent"]})
    result = st_ratios(table, baseline(COUNTRY), years=(2021, 2021), counting="fractional", min_count=0,
                       sources=("publications", "patents"), weights=Weights(source={"patents": 0.5}))
    alpha = result.ratios[result.ratios.region == "RU-ALP"].set_index("category")
    # Alpha: a counts 1/2 (two regions), b 1, the patent 0.5: 53 = 1.0 of 2.0
    assert (alpha.loc["53", "count"], alpha.loc["53", "region_total"]) == (1.0, 2.0)
    assert alpha.loc["53", "value"] == pytest.approx((1.0 / 2.0) / (100 / 1000))


def test_the_central_black_earth_ratios_through_the_counting_path():
    """Table 5's ratios, rebuilt from counts: each region has 6000 records, a = 100 x ratio in each rubric;
    the country has 6000 works, 100 in each rubric, so (a / 6000) / (100 / 6000) = ratio."""
    case = bundled_case()[0]
    st = case[case.level == "st"]
    rubrics = sorted(set(st.category))
    assert "02" not in rubrics  # the filler rubric that completes every total
    cells = {}
    for region, rows in st.groupby("region"):
        counts = {r.category: round(r.value * 100) for r in rows.itertuples(index=False)}
        cells[(region, 2021)] = {**counts, "02": 6000 - sum(counts.values())}
    national = {2021: {**{c: 100 for c in rubrics}, "02": 6000 - 100 * len(rubrics), "*": 6000}}
    got = st_ratios(records(cells), baseline(national), years=(2021, 2021), min_count=0).ratios
    got = got[got.category != "02"]
    merged = got.merge(st, on=["region", "category"], suffixes=("", "_paper"))
    assert len(merged) == len(st) == 200
    assert merged["value"].tolist() == pytest.approx(merged["value_paper"].tolist(), abs=1e-12)
    with_minimum = st_ratios(records(cells), baseline(national), years=(2021, 2021)).ratios
    for region in sorted(set(st.region)):
        assert set(competent_rubrics(got, region)) == set(competent_rubrics(st, region))
        # the default minimum count hides only ratios below 0.05, never a competence
        assert set(competent_rubrics(with_minimum, region)) == set(competent_rubrics(st, region))
