"""Compare as an API (issue 23): the analysis lives in ``bibmine.rubrics.comparison``, a work's regions come
from ``Corpus.work_regions``; ``bibmine compare`` and the study's rubrics stage only call them.  Records:
the bundled INVENTED demo exports."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from typer.testing import CliRunner

import bibmine
from bibmine.cli import app
from bibmine.corpus import Corpus
from bibmine.demo import demo_files
from bibmine.report import compare as report_compare
from bibmine.rubrics import Comparison, compare

runner = CliRunner()
PACKAGE = Path(bibmine.__file__).parent


def _placed_corpus(tmp_path) -> Path:
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", *map(str, demo_files()), "--corpus", str(db)]).exit_code == 0
    assert runner.invoke(app, ["regions", "assign", "--corpus", str(db)]).exit_code == 0
    return db


def test_work_regions_are_the_placed_regions_of_each_work(tmp_path):
    db = _placed_corpus(tmp_path)
    with Corpus(db) as corpus:
        every = corpus.work_regions()
        voronezh = corpus.find("doi", "10.5555/bibmine.demo.0001").id
        some = corpus.work_regions([voronezh, "no-such-work"])
        works = list(corpus.works_of([voronezh, voronezh]))
    assert len(every) == 10 and set(some) == {voronezh}  # the ten hand-written demo works
    assert some[voronezh] == every[voronezh] and "RU-VOR" in every[voronezh]
    assert [w.id for w in works] == [voronezh]


def test_the_report_module_keeps_only_the_files():
    assert report_compare.compare is compare and report_compare.Comparison is Comparison


def test_two_annotators_first_by_name_wins_and_are_compared():
    manual = {"boris": {"r1": ["34"], "r2": ["06"]}, "anna": {"r1": ["06"]}}
    result = compare(manual, {"r1": ["06"], "r2": ["06"]}, bootstrap=0)
    assert result.agreement.n == 2 and result.agreement.accuracy == 1.0  # anna's 06 stands for r1
    assert list(result.annotators) == [("anna", "boris")]
    assert result.effect is None and "no regions" in result.effect_note


def test_compare_command_uses_the_corpus_regions(tmp_path):
    db = _placed_corpus(tmp_path)
    manual, auto = tmp_path / "m.csv", tmp_path / "a.csv"
    manual.write_text("record_id,rubric\n10.5555/bibmine.demo.0001,68\n10.5555/bibmine.demo.0004,68\n",
                      encoding="utf-8")
    auto.write_text("record_id,rubric\n10.5555/bibmine.demo.0001,68\n10.5555/bibmine.demo.0004,34\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["compare", "--manual", str(manual), "--automatic", str(auto), "--corpus", str(db),
                                 "--out", str(tmp_path / "out"), "--json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["n"] == 2 and {"RU-VOR", "RU-TAM"} <= {r["region"] for r in metrics["effect"]["regions"]}


def test_no_command_line_module_of_the_report_holds_sql():
    for path in PACKAGE.glob("report/*cli*.py"):
        strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [s for s in strings if "SELECT" in s.upper().split()], path
