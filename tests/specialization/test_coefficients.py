"""Coefficients by hand: METHOD.md section 4, undefined ratios, the strict threshold, intervals.

All tables here are INVENTED (the worked example's numbers and small variations of them).
"""

import math

import pandas as pd
import pytest

from bibmine.specialization.coefficients import is_competence, location_quotients, wilson_interval


def values(rows):
    return pd.DataFrame(rows, columns=["level", "year", "category", "region", "value"])


def worked_example():
    # Country: 1000 publications, 100 in 53 Metallurgy, 50 in 20 Computer science.
    # Region Alpha: 80 publications, 24 in 53, 5 in 20.
    return values([
        ("st", 2021, "53", "RU-ALP", 24), ("st", 2021, "20", "RU-ALP", 5), ("st", 2021, "*", "RU-ALP", 80),
        ("st", 2021, "53", "RU", 100), ("st", 2021, "20", "RU", 50), ("st", 2021, "*", "RU", 1000),
    ])


def by_category(table):
    return {row.category: row for row in table.itertuples(index=False)}


def test_worked_example_of_method_section_4():
    rows = by_category(location_quotients(worked_example()))
    # (24/80) / (100/1000) = 0.30 / 0.10 = 3.00 ; (5/80) / (50/1000) = 0.0625 / 0.05 = 1.25
    assert rows["53"].value == pytest.approx(3.00, abs=1e-12)
    assert rows["20"].value == pytest.approx(1.25, abs=1e-12)
    assert is_competence(rows["53"].value) and is_competence(rows["20"].value)
    assert (rows["53"].count, rows["53"].region_total, rows["53"].reference_count,
            rows["53"].reference_total) == (24, 80, 100, 1000)
    assert rows["53"].reference == "country:RU" and rows["53"].reason == ""


def test_interval_and_solid_flag_by_hand():
    rows = by_category(location_quotients(worked_example()))
    # Wilson score interval, z = 1.959964: for 24 of 80 the share interval is
    # (0.30 + z^2/160 -+ z*sqrt(0.30*0.70/80 + z^2/25600)) / (1 + z^2/80) = [0.21065, 0.40768];
    # divided by the country share 0.10 -> [2.1065, 4.0768]: all above 1 -> solid.
    assert rows["53"].ci_low == pytest.approx(2.1065, abs=1e-4)
    assert rows["53"].ci_high == pytest.approx(4.0768, abs=1e-4)
    assert bool(rows["53"].solid) is True
    # 5 of 80: share interval [0.02699, 0.13810] / 0.05 -> [0.5398, 2.7620]: 1.25 is a competence,
    # but not a solid one.
    assert rows["20"].ci_low == pytest.approx(0.5398, abs=1e-4)
    assert rows["20"].ci_high == pytest.approx(2.7620, abs=1e-4)
    assert bool(rows["20"].solid) is False


def test_one_paper_in_a_small_rubric_is_not_solid():
    # 1 of the region's 10 papers in a rubric that holds 1/30 of the country's: ratio 3.0, interval
    # [0.01788, 0.40415] x 30 = [0.536, 12.12] -> not solid.
    table = location_quotients(values([
        ("st", 2021, "62", "RU-TAM", 1), ("st", 2021, "*", "RU-TAM", 10),
        ("st", 2021, "62", "RU", 10), ("st", 2021, "*", "RU", 300),
    ]))
    row = table.iloc[0]
    assert row.value == pytest.approx(3.0)
    assert (round(row.ci_low, 3), round(row.ci_high, 2), bool(row.solid)) == (0.536, 12.12, False)


def test_wilson_interval_of_zero_successes_starts_at_zero():
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)  # z^2 / (20 + z^2)


def test_exactly_one_is_not_a_competence():
    # (20/100) / (100/500) = 0.2 / 0.2 = 1 exactly; (30/100) / (100/500) = 1.5.
    table = location_quotients(values([
        ("output", 2020, "C", "RU-A", 20), ("output", 2020, "F", "RU-A", 30), ("output", 2020, "*", "RU-A", 100),
        ("output", 2020, "C", "RU", 100), ("output", 2020, "F", "RU", 100), ("output", 2020, "*", "RU", 500),
    ]), "country")
    rows = by_category(table)
    assert rows["C"].value == 1.0 and not is_competence(rows["C"].value)
    assert rows["F"].value == 1.5 and is_competence(rows["F"].value)
    assert not is_competence(1.00) and not is_competence(1.0 + 1e-15) and is_competence(1.01)
    assert is_competence(1.2, threshold=1.1) and not is_competence(1.1, threshold=1.1)


@pytest.mark.parametrize(("rows", "category", "reason"), [
    # the region published nothing at all: V[r,*] = 0
    ([("st", 2021, "53", "RU-X", 0), ("st", 2021, "*", "RU-X", 0),
      ("st", 2021, "53", "RU", 10), ("st", 2021, "*", "RU", 100)], "53", "region total V[r,*] is 0"),
    # the country has no publication in the rubric: V[R,c] = 0
    ([("st", 2021, "78", "RU-X", 0), ("st", 2021, "*", "RU-X", 5),
      ("st", 2021, "78", "RU", 0), ("st", 2021, "*", "RU", 100)], "78",
     "category absent from the reference area (V[R,c] is 0)"),
    # no country rows at all
    ([("export", 2020, "01-24", "RU-X", 5), ("export", 2020, "*", "RU-X", 50)], "01-24",
     "no country total rows (a region code like 'RU')"),
    # a suppressed statistic: the cell is missing
    ([("output", 2020, "C", "RU-X", None), ("output", 2020, "*", "RU-X", 50),
      ("output", 2020, "C", "RU", 10), ("output", 2020, "*", "RU", 100)], "C",
     "no value for this region and category"),
])
def test_undefined_ratio_is_missing_with_its_reason(rows, category, reason):
    table = location_quotients(values(rows), "country")
    row = by_category(table)[category]
    assert math.isnan(row.value)  # never 0, never infinity
    assert row.reason.startswith(reason)
    assert pd.isna(row.solid)


def test_undefined_value_is_written_as_an_empty_cell(tmp_path):
    table = location_quotients(values([
        ("st", 2021, "53", "RU-X", 0), ("st", 2021, "*", "RU-X", 0),
        ("st", 2021, "53", "RU", 10), ("st", 2021, "*", "RU", 100)]))
    table.to_csv(tmp_path / "c.csv", index=False)
    written = (tmp_path / "c.csv").read_text().splitlines()[1]
    assert written == 'st,2021,53,RU-X,,country:RU,0,0,10,100,,,,"region total V[r,*] is 0; no interval"'


def test_total_is_the_sum_of_categories_without_a_star_row():
    # Region: C 30, F 10 (total 40); country: C 100, F 300 (total 400).
    # C: (30/40) / (100/400) = 3.0 ; F: (10/40) / (300/400) = 1/3.
    rows = by_category(location_quotients(values([
        ("output", 2020, "C", "RU-A", 30), ("output", 2020, "F", "RU-A", 10),
        ("output", 2020, "C", "RU", 100), ("output", 2020, "F", "RU", 300)]), "country"))
    assert rows["C"].value == pytest.approx(3.0) and rows["F"].value == pytest.approx(1 / 3)


def test_macroregional_reference_is_the_sum_of_the_members():
    # A: C 30, F 10; B: C 10, F 50 -> macroregion C 40, F 60, total 100.
    # A-C: (30/40) / (40/100) = 1.875 ; B-F: (50/60) / (60/100) = 1.3889 ; A-F: 0.25 / 0.6 = 0.4167
    table = location_quotients(values([
        ("output", 2020, "C", "RU-A", 30), ("output", 2020, "F", "RU-A", 10),
        ("output", 2020, "C", "RU-B", 10), ("output", 2020, "F", "RU-B", 50)]), "macroregion")
    got = {(r.region, r.category): r.value for r in table.itertuples()}
    assert got[("RU-A", "C")] == pytest.approx(1.875)
    assert got[("RU-B", "F")] == pytest.approx(50 / 60 / 0.6)
    assert got[("RU-A", "F")] == pytest.approx(0.25 / 0.6)
    assert set(table["level"]) == {"macroregional"}
    assert set(table["reference"]) == {"macroregion:all regions of the table"}


def test_default_reference_follows_the_method():
    # Output against the country gives the national level, against the macroregion the macroregional one;
    # export stays against the country.
    table = location_quotients(values([
        ("output", 2020, "C", "RU-A", 30), ("output", 2020, "F", "RU-A", 10),
        ("output", 2020, "C", "RU-B", 10), ("output", 2020, "F", "RU-B", 50),
        ("output", 2020, "C", "RU", 100), ("output", 2020, "F", "RU", 300),
        ("export", 2020, "72-83", "RU-A", 5), ("export", 2020, "*", "RU-A", 10),
        ("export", 2020, "72-83", "RU", 10), ("export", 2020, "*", "RU", 100)]))
    got = {(r.level, r.region, r.category): r.value for r in table.itertuples()}
    assert got[("national", "RU-A", "C")] == pytest.approx(3.0)
    assert got[("macroregional", "RU-A", "C")] == pytest.approx(1.875)
    assert got[("export", "RU-A", "72-83")] == pytest.approx(5.0)
    assert ("macroregional", "RU-A", "72-83") not in got


def test_macroregion_column_separates_macroregions():
    rows = values([("output", 2020, "C", "RU-A", 30), ("output", 2020, "F", "RU-A", 10),
                   ("output", 2020, "C", "RU-B", 10), ("output", 2020, "F", "RU-B", 50),
                   ("output", 2020, "C", "RU-Z", 1), ("output", 2020, "F", "RU-Z", 99)])
    rows["macroregion"] = ["M1", "M1", "M1", "M1", "M2", "M2"]
    table = location_quotients(rows, "macroregion")
    got = {(r.region, r.category): r.value for r in table.itertuples()}
    assert got[("RU-A", "C")] == pytest.approx(1.875)  # RU-Z is not in A's macroregion
    assert got[("RU-Z", "C")] == pytest.approx(1.0)  # alone in M2
