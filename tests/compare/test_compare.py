"""Manual vs automatic rubrics: metrics computed by hand, and a flip that turns competences off.

INVENTED data. The ten-record set (level-1 GRNTI codes):

    record  r1 r2 r3 r4 r5 r6 r7 r8 r9 r10
    manual  06 06 06 34 34 34 50 50 06 34
    auto    06 06 34 34 34 50 50 06 06 34

By hand: agreement 7/10 = 0.700. Marginals manual (06: 4, 34: 4, 50: 2), automatic
(06: 4, 34: 4, 50: 2), so chance agreement = (16 + 16 + 4) / 100 = 0.36 and
kappa = (0.70 - 0.36) / (1 - 0.36) = 0.53125. Per rubric: 06 TP 3 of 4 predicted, 4 true
-> F1 0.75; 34 likewise 0.75; 50 TP 1 of 2 and 2 -> F1 0.5; macro-F1 = 2/3.
"""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.report.compare import compare, write_comparison
from bibmine.rubrics.agreement import agreement
from bibmine.specialization.effect import compare_assignments

MANUAL = dict(zip([f"r{i}" for i in range(1, 11)], [["06"], ["06"], ["06"], ["34"], ["34"], ["34"], ["50"], ["50"],
                                                     ["06"], ["34"]], strict=True))
AUTO = dict(zip([f"r{i}" for i in range(1, 11)], [["06"], ["06"], ["34"], ["34"], ["34"], ["50"], ["50"], ["06"],
                                                   ["06"], ["34"]], strict=True))


def test_metrics_match_the_hand_computation():
    ag = agreement(MANUAL, AUTO, bootstrap=200)
    assert ag.n == 10
    assert round(ag.accuracy, 3) == 0.700
    assert round(ag.kappa, 3) == 0.531
    assert round(ag.macro_f1, 3) == 0.667
    assert round(ag.micro_f1, 3) == 0.700
    by_rubric = {r.rubric: r for r in ag.per_rubric}
    assert (by_rubric["50"].precision, by_rubric["50"].recall, by_rubric["50"].support) == (0.5, 0.5, 2)
    assert ag.confusion[ag.rubrics.index("06")] == [3, 1, 0]  # 06 -> 06 x3, -> 34 x1
    low, high = ag.intervals["accuracy"]
    assert 0.3 <= low <= 0.7 <= high <= 1.0


def test_multilabel_figures():
    manual = {"a": ["06", "20"], "b": ["34"]}
    auto = {"a": ["20", "06"], "b": ["34", "50"]}
    ag = agreement(manual, auto, bootstrap=0)
    assert ag.accuracy == 0.5  # first codes: 06 vs 20, 34 vs 34
    assert ag.in_set == 1.0  # 20 is among a's manual codes
    assert ag.jaccard == pytest.approx((1 + 0.5) / 2)


def test_one_flipped_label_turns_competences_off():
    # Voronezh: a (06), b (34); Lipetsk: c, d (06). Manual ratios: VOR-34 = (1/2)/(1/4) = 2.0,
    # LIP-06 = (2/2)/(3/4) = 1.33: two competences. The classifier labels b as 06: every ratio
    # becomes 1.00, which is not a competence.
    manual = {"a": ["06"], "b": ["34"], "c": ["06"], "d": ["06"]}
    auto = {"a": ["06"], "b": ["06"], "c": ["06"], "d": ["06"]}
    regions = {"a": ["RU-VOR"], "b": ["RU-VOR"], "c": ["RU-LIP"], "d": ["RU-LIP"]}
    effect = compare_assignments(manual, auto, regions)
    flips = {(f.region, f.rubric): f for f in effect.flips}
    assert set(flips) == {("RU-VOR", "34"), ("RU-LIP", "06")}
    vor = flips[("RU-VOR", "34")]
    # no record has 34 any more: the automatic ratio is undefined (0/0), reported as None, never 0
    assert (vor.change, vor.manual, vor.automatic, vor.lost, vor.gained) == ("disappears", 2.0, None, ["b"], [])
    lip = flips[("RU-LIP", "06")]
    assert lip.change == "disappears" and round(lip.manual, 3) == 1.333 and lip.automatic == 1.0
    assert lip.lost == [] and "reference" in lip.note
    by_region = {r.region: r for r in effect.regions}
    assert by_region["RU-VOR"].manual_competences == ["34"] and by_region["RU-VOR"].automatic_competences == []
    assert by_region["RU-VOR"].jaccard == 0.0


def test_outputs_and_review_list(tmp_path):
    result = compare({"anna": MANUAL}, AUTO, bootstrap=50)
    scores = {"r3": 0.9, "r6": 0.4, "r8": 0.7}
    titles = {"r3": "<b>Почвы</b> Курской области"}
    files = write_comparison(result, tmp_path, manual=MANUAL, automatic=AUTO, scores=scores, titles=titles)
    names = {p.name for p in files}
    assert {"metrics.json", "per_rubric.csv", "confusion.csv", "review.csv", "confusion.png",
            "confusion.svg"} <= names
    with open(tmp_path / "review.csv", encoding="utf-8") as fh:
        review = list(csv.DictReader(fh))
    assert [r["record_id"] for r in review] == ["r3", "r8", "r6"]  # most confident first
    assert review[0]["title"] == "<b>Почвы</b> Курской области" and review[0]["manual"] == "06"


def test_cli_json_and_review_import(tmp_path):
    manual = tmp_path / "manual.csv"
    auto = tmp_path / "auto.csv"
    with open(manual, "w", newline="", encoding="utf-8") as fm, open(auto, "w", newline="", encoding="utf-8") as fa:
        wm, wa = csv.writer(fm), csv.writer(fa)
        wm.writerow(["record_id", "rubric", "annotator"])
        wa.writerow(["record_id", "rubric", "score"])
        for rid in MANUAL:
            wm.writerow([rid, MANUAL[rid][0], "anna"])
            wa.writerow([rid, AUTO[rid][0], "0.8"])
    runner = CliRunner()
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "--manual", str(manual), "--automatic", str(auto), "--json",
                                 "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert {k: round(metrics[k], 3) for k in ("accuracy", "macro_f1", "micro_f1", "kappa")} == {
        "accuracy": 0.7, "macro_f1": 0.667, "micro_f1": 0.7, "kappa": 0.531}
    assert metrics["n"] == 10
    assert (out / "review.csv").exists() and (out / "confusion.png").exists()


def test_with_a_corpus_regions_and_the_review_round_trip(tmp_path):
    """Demo corpus (INVENTED records): regions placed, labels by DOI, a review decision imported back."""
    from bibmine.corpus.store import Corpus
    from bibmine.demo import demo_files

    runner = CliRunner()
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", *map(str, demo_files()), "--corpus", str(db)]).exit_code == 0
    assert runner.invoke(app, ["regions", "assign", "--corpus", str(db)]).exit_code == 0
    dois = {"10.5555/bibmine.demo.0001": ("68", "68"),  # Voronezh soils: agree
            "10.5555/bibmine.demo.0002": ("06", "06"),  # Belgorod clusters: agree
            "10.5555/bibmine.demo.0003": ("53", "55"),  # Lipetsk/Kursk metallurgy: disagree
            "10.5555/bibmine.demo.0004": ("68", "34"),  # Tambov wheat: disagree
            "10.5555/bibmine.demo.0005": ("06", "06")}  # Kursk small business: agree
    manual, auto = tmp_path / "m.csv", tmp_path / "a.csv"
    manual.write_text("record_id,rubric\n" + "".join(f"{d},{m}\n" for d, (m, _) in dois.items()), encoding="utf-8")
    auto.write_text("record_id,rubric,score\n" + "".join(f"{d},{a},0.{i + 5}\n" for i, (d, (_, a))
                                                         in enumerate(dois.items())), encoding="utf-8")
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "--manual", str(manual), "--automatic", str(auto), "--corpus", str(db),
                                 "--out", str(out), "--json", "--bootstrap", "0"], catch_exceptions=False)
    metrics = json.loads(result.output)
    assert metrics["n"] == 5 and metrics["accuracy"] == 0.6
    regions = {r["region"] for r in metrics["effect"]["regions"]}
    assert {"RU-VOR", "RU-BEL", "RU-LIP", "RU-KRS", "RU-TAM"} <= regions
    with open(out / "review.csv", encoding="utf-8") as fh:
        review = list(csv.DictReader(fh))
    assert [r["record_id"] for r in review] == ["10.5555/bibmine.demo.0004", "10.5555/bibmine.demo.0003"]
    assert review[0]["title"].startswith("Genetic diversity of winter wheat")
    review[0]["reviewed_rubric"], review[0]["reviewer"] = "34", "olga"
    with open(out / "review.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(review[0]))
        w.writeheader()
        w.writerows(review)
    imported = runner.invoke(app, ["import-labels", str(out / "review.csv"), "--corpus", str(db)])
    assert imported.exit_code == 0, imported.output
    with Corpus(db) as c:
        work = c.find("doi", "10.5555/bibmine.demo.0004")
        rows = c.rubrics(work.id, source="manual")
        assert [(r["code"], r["annotator"]) for r in rows] == [("34", "olga")]
        assert c.batches()[-1]["kind"] == "review"
