"""A study of two regions' INVENTED records (tests/specialization/invented.py) run end to end:
records -> regions -> rubrics (manual labels) -> counts -> ratios against a supplied national table
(hand-computed ratios, intervals and competences), against an OpenAlex sample served on 127.0.0.1
(ratios within their stated intervals of the hand-computed ones), and against the corpus itself."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.sources.crawl import baseline_openalex

from .invented import baseline_csv, corpus_files, keyword_classifier, openalex_handler

# (region, year, rubric) -> (ratio, ci_low, ci_high), by hand: ratio = (a / n) / (b / N), the interval the
# Wilson 95% interval of a / n divided by b / N (e.g. 12/40: [0.18075, 0.45430] / 0.10)
HAND = {("RU-VOR", 2021, "53"): (3.0, 1.8075, 4.5430), ("RU-VOR", 2021, "20"): (4.0, 2.1000, 6.9515),
        ("RU-VOR", 2021, "68"): (0.5882, 0.4141, 0.7624), ("RU-LIP", 2021, "68"): (0.8824, 0.6251, 1.0449),
        ("RU-VOR", 2020, "53"): (5.0, 2.3659, 7.6341), ("RU-VOR", 2020, "68"): (0.5882, 0.2783, 0.8981)}
TOO_FEW = {("RU-LIP", 2021, "53"): 2.0, ("RU-LIP", 2021, "20"): 1.0, ("RU-VOR", 2020, "20"): 0.0}


def make_study(folder, specialization: str):
    corpus_files(folder)
    (folder / "study.toml").write_text(
        '[study]\nname = "Two invented regions"\nout = "out"\n[sources]\nfiles = ["invented_works.jsonl"]\n'
        '[regions]\nregions = ["RU-VOR", "RU-LIP"]\n[rubrics]\nmodel = ""\nmanual_labels = ["invented_labels.csv"]\n'
        f'[specialization]\nyears = [2020, 2021]\n{specialization}\n[maps]\nnetworks = []\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(folder / "study.toml")])
    assert result.exit_code == 0, result.output
    out = folder / "out" / "specialization"
    coefficients = pd.read_csv(out / "coefficients.csv", dtype={"category": str})
    reference = json.loads((out / "reference.json").read_text("utf-8"))
    return coefficients.set_index(["region", "year", "category"]).sort_index(), reference, folder / "out"


def test_a_supplied_national_table_gives_the_hand_computed_ratios(tmp_path):
    baseline_csv(tmp_path / "national.csv")
    table, reference, out = make_study(tmp_path, 'baseline = "file"\nbaseline_file = "national.csv"')
    for key, (ratio, low, high) in HAND.items():
        row = table.loc[key]
        assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((ratio, low, high), abs=1e-4), key
    for key, raw in TOO_FEW.items():
        row = table.loc[key]
        assert math.isnan(row["value"]) and row["raw_value"] == raw and row["too_few"], key
    vor = table.loc[("RU-VOR", 2021, "53")]
    assert (vor["count"], vor["region_total"], vor["reference_count"], vor["reference_total"]) == (12, 40, 100, 1000)
    competences = sorted(k for k, r in table.iterrows() if r["value"] > 1)
    assert competences == [("RU-VOR", 2020, "53"), ("RU-VOR", 2021, "20"), ("RU-VOR", 2021, "53")]
    assert all(table.loc[k, "solid"] for k in competences)
    # both years asked for are computed; Lipetsk has no 2020 record and says so
    assert sorted(set(table.index.get_level_values("year"))) == [2020, 2021]
    assert set(table.loc[("RU-LIP", 2020)]["reason"]) == {"region total V[r,*] is 0; no interval"}
    assert reference["kind"] == "file" and reference["totals"] == {"2020": 900.0, "2021": 1000.0}
    sentence = ("The S&T ratios compare each region's share of records in a GRNTI rubric with the share of the country "
                "(RU) in the supplied baseline table national.csv, counted year by year (years 2020, 2021; national "
                "totals 2020: 900; 2021: 1000); a ratio from fewer than 5 records of a region in a rubric is shown as "
                "\"too few records\" and is never a competence.")
    assert reference["sentence"]["en"] == sentence
    assert sentence.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;") in (
        out / "report.html").read_text("utf-8")


def test_an_openalex_baseline_gives_ratios_within_their_intervals(httpserver, tmp_path, monkeypatch):
    calls: list[dict] = []
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    monkeypatch.setattr(baseline_openalex, "model_classifier", lambda model: keyword_classifier)
    (tmp_path / "crawl.toml").write_text(
        '[http]\ncontact_email = "tester@example.org"\ndefault_rate = 0\ncache_path = ""\n'
        f'[openalex]\nbase_url = "{httpserver.url_for("/")}"\nper_page = 100\n', encoding="utf-8")
    table, reference, out = make_study(tmp_path, 'baseline = "openalex"\nbaseline_sample = 200\n'
                                                 'crawl_config = "crawl.toml"')
    assert len(calls) == 6  # two years: the count and two sample pages each
    for key, (ratio, _low, _high) in HAND.items():
        row = table.loc[key]
        assert row["ci_low"] <= ratio <= row["ci_high"], key
        assert row["reference_ci_low"] <= row["reference_count"] <= row["reference_ci_high"]
    # 2021: 22 of 196 classified sample works in 53 -> 1000 x 22/196 = 112.2 -> (12/40) / 0.1122 = 2.673
    assert table.loc[("RU-VOR", 2021, "53"), "value"] == pytest.approx(0.3 / (22 / 196), abs=1e-4)
    assert reference["kind"] == "openalex" and reference["sizes"]["2021"] == {"total": 1000, "sampled": 200,
                                                                             "classified": 196}
    assert "estimated from OpenAlex: a random sample of 200 works per year (seed 42)" in reference["sentence"]["en"]
    baseline = pd.read_csv(out / "specialization" / "baseline.csv", dtype={"rubric": str})
    assert baseline[baseline.rubric == "*"].set_index("year")["value"].to_dict() == {2020: 900, 2021: 1000}


def test_the_corpus_as_its_own_country_only_when_declared(tmp_path):
    table, reference, _out = make_study(tmp_path, 'baseline = "national-corpus"')
    # the two regions are the country: 2021 has 60 records, 16 in 53 -> Voronezh (12/40) / (16/60) = 1.125
    assert table.loc[("RU-VOR", 2021, "53"), "value"] == pytest.approx(1.125)
    assert reference["kind"] == "national-corpus"
    assert "counted from the corpus itself, which the study declares to cover the whole country" in (
        reference["sentence"]["en"])


def test_an_openalex_baseline_that_cannot_be_had_is_said(tmp_path, monkeypatch):
    monkeypatch.delenv("BIBMINE_CONTACT_EMAIL", raising=False)
    monkeypatch.delenv("BIBMINE_CRAWL_CONFIG", raising=False)
    (tmp_path / "crawl.toml").write_text('[openalex]\nbase_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    corpus_files(tmp_path)
    (tmp_path / "study.toml").write_text(
        '[study]\nname = "t"\nout = "out"\n[sources]\nfiles = ["invented_works.jsonl"]\n[rubrics]\nmodel = ""\n'
        'manual_labels = ["invented_labels.csv"]\n[specialization]\nbaseline = "openalex"\n'
        'crawl_config = "crawl.toml"\n[maps]\nnetworks = []\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "study.toml")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "specialization"
    reference = json.loads((out / "reference.json").read_text("utf-8"))
    assert reference["computed"] is False and not (out / "coefficients.csv").exists()
    assert reference["sentence"]["en"].startswith("The S&T ratios were not computed: the openalex baseline could not "
                                                  "be obtained (set a contact e-mail for the User-Agent")
