"""One code path per operation (issue 23): the dedup threshold declared once, one way for a command to open
a corpus, one CSV delimiter guess.  Files: INVENTED."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bibmine
from bibmine.cli import app
from bibmine.corpus.dedup import DedupConfig
from bibmine.sources import guess_delimiter

PACKAGE = Path(bibmine.__file__).parent
runner = CliRunner()


def _constants(value) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PACKAGE)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and type(n.value) is type(value) and n.value == value]
    return found


def test_the_title_threshold_default_is_declared_once():
    assert _constants(93.0) == ["corpus/dedup_config.py:13"]
    for command in ("import", "dedup"):
        shown = runner.invoke(app, [command, "--help"], terminal_width=200).output
        assert f"[default: {DedupConfig.title_threshold}]" in shown, command


def test_a_threshold_out_of_range_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["dedup", "--corpus", str(tmp_path / "c.sqlite"), "--title-threshold", "101"])
    assert result.exit_code == 2


@pytest.mark.parametrize("args", [["stats"], ["import-labels", "{labels}"], ["map", "keywords", "--out", "{out}"],
                                  ["crawl", "status"]])
def test_every_command_refuses_a_file_that_is_not_a_corpus_alike(tmp_path, args):
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("not a database\n", encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("record_id,rubric\nx,50\n", encoding="utf-8")
    args = [a.format(labels=labels, out=tmp_path / "out") for a in args]
    result = runner.invoke(app, [*args, "--corpus", str(foreign)])
    assert result.exit_code == 2, result.output
    assert "not a bibmine corpus" in result.output
    assert foreign.read_text(encoding="utf-8") == "not a database\n"
    missing = runner.invoke(app, [*args, "--corpus", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2 and "no corpus at" in missing.output


@pytest.mark.parametrize(("head", "delimiter"), [("a;b;c\n1;2;3\n", ";"), ("a,b\n", ","), ("a\tb\tc,d\n", "\t"),
                                                 ('"x;y;z",b,c\n', ","), ("\ufeffкод;название\r\n", ";"),
                                                 ("single\n", ",")])
def test_one_delimiter_guess(head, delimiter):
    assert guess_delimiter(head) == delimiter
