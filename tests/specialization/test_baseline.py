"""Baseline tables (docs/baseline.md): validated on load with every bad line named; the check command;
the national reference from the corpus only when asked. All tables here are INVENTED."""

from __future__ import annotations

import math

import pandas as pd
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.specialization.baseline import corpus_baseline, read_baseline, write_baseline

from .invented import baseline_csv

runner = CliRunner()


def test_a_good_table_reads_back(tmp_path):
    baseline = read_baseline(baseline_csv(tmp_path / "national.csv"))
    assert baseline.problems == []
    assert (baseline.country, baseline.years, baseline.totals()) == ("RU", [2020, 2021], {2020: 900.0, 2021: 1000.0})
    pooled, why = baseline.window(2020, 2021)
    assert why == "" and pooled.set_index("category")["value"].to_dict() == {"*": 1900.0, "20": 95.0, "53": 190.0,
                                                                            "68": 1615.0}
    assert pooled["ci_low"].isna().all()  # exact counts carry no interval
    assert baseline.window(2019, 2021)[1] == "the file baseline has no total for 2019"
    again = read_baseline(write_baseline(baseline, tmp_path / "copy.csv"))
    key = ["year", "rubric"]
    assert again.table.sort_values(key, ignore_index=True).equals(baseline.table.sort_values(key, ignore_index=True))


def test_every_bad_line_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("level,year,rubric,region,value,ci_low,ci_high\n"
                    "st,2021,53,RU,100,,\n"          # 2: good
                    "export,2021,20,RU,5,,\n"        # 3: not st
                    "st,21,20,RU,5,,\n"              # 4: year
                    "st,2021,99,RU,5,,\n"            # 5: no GRNTI rubric 99
                    "st,2021,20,RU-VOR,5,,\n"        # 6: a region, not the country
                    "st,2021,20,RU,-3,,\n"           # 7: negative
                    "st,2021,20,RU,many,,\n"         # 8: not a number
                    "st,2021,53,RU,101,,\n"          # 9: repeats line 2
                    "st,2021,20,RU,50,60,70\n"       # 10: outside its interval
                    "st,2021,5.0,RU,1 500,,\n"       # 11: 05, read; more than the total
                    "st,2021,*,RU,1000,,\n"          # 12: total
                    "st,2022,53,RU,7,,\n",           # 13: a year without a total
                    encoding="utf-8")
    baseline = read_baseline(path)
    assert [(p.row, p.reason) for p in baseline.problems] == [
        (3, "level 'export' is not 'st' (a baseline holds S&T counts)"),
        (4, "year '21' is not a year between 1900 and 2100"),
        (5, "rubric '99' is not a GRNTI level-1 code (e.g. 53) or '*' for the total"),
        (6, "region 'RU-VOR' is not a country code (two capital letters, e.g. RU): a baseline holds national counts"),
        (7, "value -3 is negative (counts are never below 0)"),
        (8, "value 'many' is not a number"),
        (9, "repeats line 2 (2021, 53, RU); skipped"),
        (10, "value 50 is outside its interval [60, 70]"),
        (11, "rubric 05 (1500) exceeds the 2021 total (1000)"),
        (None, "year 2022 has no '*' row (the country's total that year); its ratios cannot be computed"),
    ]
    assert str(baseline.problems[0]) == "bad.csv, row 3: level 'export' is not 'st' (a baseline holds S&T counts)"
    assert sorted(baseline.table["rubric"]) == ["*", "05", "53", "53"]


def test_missing_columns_and_the_check_command(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("year,rubric,count\n2021,53,4\n", encoding="utf-8")
    baseline = read_baseline(path)
    assert baseline.table.empty and [str(p) for p in baseline.problems] == [
        "wrong.csv: missing column(s) level, region, value; the header must be level,year,rubric,region,value "
        "(see docs/baseline.md)"]
    result = runner.invoke(app, ["baseline", "check", str(path)])
    assert result.exit_code == 4 and "no usable row" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("level,year,rubric,region,value\nst,2021,53,RU,10\nst,2021,*,RU,100\nst,2021,20,RU,-1\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["baseline", "check", str(bad)])
    assert result.exit_code == 3
    assert "bad.csv, row 4: value -1 is negative" in result.output and "1 problem(s)" in result.output


def test_counting_column_selects_rows(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("level,year,rubric,region,value,counting\nst,2021,53,RU,10,whole\nst,2021,53,RU,7.5,fractional\n"
                    "st,2021,*,RU,100,\n", encoding="utf-8")
    fractional = read_baseline(path, counting="fractional")
    assert fractional.problems == [] and fractional.table.set_index("rubric")["value"].to_dict() == {"53": 7.5,
                                                                                                      "*": 100.0}


def test_national_corpus_only_when_asked(tmp_path):
    records = pd.DataFrame({"record_id": ["a", "a", "b", "c"], "region": ["RU-VOR", "RU-LIP", "RU-VOR", "RU-LIP"],
                            "rubric": ["53", "53", "20", "53"], "year": [2021, 2021, 2021, 2020]})
    baseline = corpus_baseline(records)
    got = {(r.year, r.rubric): r.value for r in baseline.table.itertuples(index=False)}
    assert got == {(2020, "53"): 1.0, (2020, "*"): 1.0, (2021, "20"): 1.0, (2021, "53"): 1.0, (2021, "*"): 2.0}
    assert baseline.kind == "national-corpus" and math.isnan(baseline.table["ci_low"].iloc[0])
    result = runner.invoke(app, ["baseline", "corpus", "--out", str(tmp_path / "b.csv"), "--corpus",
                                 str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "--national-corpus" in result.output and not (tmp_path / "b.csv").exists()


def test_the_study_keys_are_checked(tmp_path):
    from bibmine.study.config import study_problems

    def problems(spec: dict) -> list[str]:
        found = study_problems({"study": {"name": "x"}, "specialization": spec}, tmp_path)
        return [p for p in found if p.startswith("specialization")]

    assert problems({"baseline": "file"}) == [
        'specialization.baseline: "file" needs specialization.baseline_file (a table level,year,rubric,region,value; '
        "docs/baseline.md)"]
    assert problems({"baseline": "openalex", "baseline_file": "n.csv"}) == [
        f"specialization.baseline_file: no file 'n.csv' (paths are relative to {tmp_path})",
        'specialization.baseline_file: given, but baseline is not "file"; add baseline = "file"']
    assert problems({"baseline": "opnealex", "min_count": -1, "years_mode": "pool", "baseline_sample": 20000}) == [
        "specialization.baseline: 'opnealex' is not one of file, openalex, national-corpus (did you mean openalex?)",
        "specialization.baseline_sample: input should be less than or equal to 10000, got 20000",
        "specialization.min_count: input should be greater than or equal to 0, got -1",
        "specialization.years_mode: 'pool' is not one of each, pooled (did you mean pooled?)"]
