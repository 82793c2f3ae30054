"""Commands answer at once: the top-level help, --version and the help of the light stages import no
scientific stack (a behaviour test on sys.modules in a fresh interpreter, not a timing test)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "scipy", "sklearn", "spacy", "networkx", "igraph", "torch", "pyarrow", "matplotlib")

_PROBE = """
import json, sys
from bibmine.cli import run
sys.argv = ["bibmine", *json.loads(sys.argv[1])]
try:
    run()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)), file=sys.stderr)
"""


def _heavy_modules_loaded(args: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), json.dumps(args)],
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["import", "--help"], ["stats", "--help"],
                                  ["export", "--help"], ["dedup", "--help"], ["quarantine", "--help"],
                                  ["run", "--help"], ["demo", "--help"], ["crawl", "--help"],
                                  ["regions", "--help"], ["report", "--help"], ["rubrics", "--help"],
                                  ["compare", "--help"], ["import-labels", "--help"], ["indicators", "--help"],
                                  ["baseline", "--help"], ["map", "keywords", "--help"],
                                  ["specialization", "matrix", "--help"]])
def test_help_and_version_load_no_scientific_stack(args):
    assert _heavy_modules_loaded(args) == []


@pytest.mark.parametrize("stage", ["map", "specialization"])
def test_heavy_stage_help_loads_no_scientific_stack(stage):
    assert _heavy_modules_loaded([stage, "--help"]) == []


def test_importing_the_cli_loads_no_stage():
    code = ("import sys, bibmine.cli; print(sorted(m for m in sys.modules if m.split('.')[1:2] and "
            "m.split('.')[0] == 'bibmine' and m.split('.')[1] in ('maps', 'specialization', 'rubrics', "
            "'regions', 'report')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_every_stage_and_a_stage_runs_when_invoked():
    from typer.testing import CliRunner

    from bibmine.cli import app

    runner = CliRunner()
    listing = runner.invoke(app, ["--help"], terminal_width=200).output
    for name in ("import", "stats", "compare", "import-labels", "crawl", "map", "regions", "report", "rubrics",
                 "specialization"):
        assert f" {name} " in listing
    assert "Reports of a study folder" in listing
    sub = runner.invoke(app, ["report", "--help"], terminal_width=200)
    assert sub.exit_code == 0
    assert "build" in sub.output  # the report stage's own sub-command, loaded on use
    missing = runner.invoke(app, ["no-such-stage"])
    assert missing.exit_code == 2
