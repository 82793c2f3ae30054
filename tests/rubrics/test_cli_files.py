"""`bibmine rubrics` commands that work without a corpus: classify-file, train, evaluate --labels."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from bibmine.rubrics.cli import app

from .conftest import FIXTURE

runner = CliRunner()


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_classify_file_keeps_rows_in_order_and_adds_rubric_columns(tmp_path, small_model_dir):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, [["id", "title", "abstract", "year"],
                 ["a", "Урожайность пшеницы", "Удобрение почвы и посев сорта пшеницы; урожайность на черноземе",
                  "2020"],
                 ["b", "", "", "2021"],
                 ["c", "Теорема об операторе", "Доказательство теоремы; уравнение и функция в пространстве", "2022"]])
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title,abstract",
                              "--model", str(small_model_dir), "--top-k", "2", "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "title", "abstract", "year", "rubric_1", "score_1", "rubric_2", "score_2"]
    assert [r["id"] for r in rows] == ["a", "b", "c"] and rows[2]["year"] == "2022"
    assert rows[0]["rubric_1"] == "68" and rows[2]["rubric_1"] == "27"
    assert rows[1]["rubric_1"] == "" and rows[1]["score_1"] == ""  # no text: empty cells, run goes on
    assert 0 < float(rows[0]["score_2"]) <= float(rows[0]["score_1"]) <= 1
    said = " ".join(res.output.split())  # rich wraps long lines
    assert "2 of 3 rows classified" in said and "1 rows have no text in title,abstract (rows 3)" in said

    out2 = tmp_path / "out2.csv"
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title", "--level", "2",
                              "--model", str(small_model_dir), "--top-k", "1", "--out", str(out2)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out2.open(encoding="utf-8")))
    assert rows[0]["rubric_1"].startswith("68.") and len(rows[0]["rubric_1"]) == 5


def test_classify_file_names_missing_columns(tmp_path, small_model_dir):
    src = tmp_path / "in.csv"
    _write(src, [["id", "name"], ["1", "x"]])
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title", "--model", str(small_model_dir),
                              "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "no column title; columns are: id, name" in " ".join(res.output.split())


def test_train_and_evaluate_on_label_files_without_corpus(tmp_path):
    out = tmp_path / "m"
    res = runner.invoke(app, ["train", "--labels", str(FIXTURE), "--name", "fixture-model", "--out", str(out),
                              "--vocabulary-weight", "0", "--backends", "tfidf-svm"])
    assert res.exit_code == 0, res.output
    assert (out / "model.json").exists() and (out / "card.md").read_text(encoding="utf-8").startswith(
        "# Model card: fixture-model")
    res = runner.invoke(app, ["evaluate", "--labels", str(FIXTURE), "--folds", "3", "--backends", "tfidf-svm",
                              "--vocabulary-weight", "0", "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.output[res.output.index("{"):])
    m = got["metrics"]["tfidf-svm (3-fold CV)"]
    assert m["n"] == 60 and m["accuracy"] >= 0.9 and m["in_set_accuracy"] == m["accuracy"]
    # per-rubric precision/recall (support = true count), confusion pairs and per-kind figures
    assert sum(r["support"] for r in got["per_rubric"]) == 60 and {"precision", "recall"} <= set(got["per_rubric"][0])
    assert sum(c["count"] for c in got["confusions"]) == round(60 * (1 - m["accuracy"]))
    assert sum(k["n"] for k in got["by_kind"].values()) == 60
    res = runner.invoke(app, ["evaluate", "--labels", str(FIXTURE), "--model", str(out), "--json"])
    got = json.loads(res.output)
    assert res.exit_code == 0 and got["metrics"][f"{out} on labels_invented.csv"]["accuracy"] == 1.0
    assert all(r["precision"] == r["recall"] == 1.0 for r in got["per_rubric"]) and got["confusions"] == []
