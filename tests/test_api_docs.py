"""The examples of docs/api.md run as they are written (issue 23), on INVENTED fixture files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# The file names the examples use, and the INVENTED fixtures that stand for them.
FILES = {"savedrecs.txt": FIXTURES / "wos_plaintext" / "cyrillic.txt",
         "scopus.csv": FIXTURES / "dedup" / "scopus.csv"}


def examples() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    found = []
    for heading, code in re.findall(r"^## (.+?)\n.*?```python\n(.*?)```", text, flags=re.S | re.M):
        found.append((heading, code))
    return found


def test_the_page_has_its_examples():
    assert [h for h, _ in examples()] == [
        "A keyword co-occurrence map for VOSviewer from a Web of Science export",
        "A corpus: import, deduplicate, review",
        "Manual and automatic rubrics: how far do they agree?",
    ]


@pytest.mark.parametrize(("heading", "code"), examples(), ids=[h.split(":")[0][:30] for h, _ in examples()])
def test_example_runs(tmp_path, monkeypatch, capsys, heading, code):
    for name, source in FILES.items():
        shutil.copy(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"docs/api.md: {heading}", "exec"), {"__name__": "__docs__"})  # our own docs, not data
    out = capsys.readouterr().out
    assert out.strip(), "each example prints what it found"
    if "VOSviewer" in heading:
        assert (tmp_path / "maps/keywords/map.txt").exists() and (tmp_path / "maps/keywords/map.json").exists()
        assert int(out.split()[0]) > 0
    if "corpus" in heading:
        assert re.search(r"^\d+ works$", out, flags=re.M)


def test_the_names_the_table_promises_are_exported():
    """One path per operation (issue 23): label import, comparison, map build, the leaf record model."""
    from bibmine.corpus import Corpus, Record, import_files
    from bibmine.maps import make_map
    from bibmine.record import Record as LeafRecord
    from bibmine.rubrics import compare, import_labels, predict_labels
    from bibmine.sources import guess_delimiter
    from bibmine.study import load_study, run_study

    assert Record is LeafRecord and callable(Corpus.work_regions)
    assert all(map(callable, (import_files, make_map, compare, import_labels, predict_labels, guess_delimiter,
                              load_study, run_study)))


def test_every_name_in_the_table_is_exported_by_its_stage():
    """Each name the API table gives for a stage (``name``, ``name(args)``, ``Class.method()``) is an
    attribute of the module of its row; CLI commands and file names in the table are not names."""
    import importlib

    rows = [line for line in (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and "`bibmine" in line.split("|")[2]]
    assert len(rows) >= 10
    missing = []
    for row in rows:
        _, _, module_cell, gives, _ = row.split("|", 4)
        module = importlib.import_module(re.search(r"`(bibmine[\w.]*)`", module_cell).group(1))
        for token in re.findall(r"`([^`]+)`", gives):
            name = re.fullmatch(r"([A-Za-z_]\w*)(?:\(.*\))?(?:\.\w+\(.*\))?", token)
            if name and name.group(1) != "bibmine" and not hasattr(module, name.group(1)):
                missing.append(f"{module.__name__}: {token}")
    assert missing == []

