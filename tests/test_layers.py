"""No import cycle between the corpus and the readers (issue 23): the record model is a leaf module
(``bibmine.record``, with ``bibmine.placeholders``) that both import; of ``bibmine.corpus`` only the file
importer (``bibmine/corpus/importer.py``) uses ``bibmine.sources``, so importing the corpus loads no reader.
Checked on sys.modules in a fresh interpreter and on the import statements of the source files."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import bibmine

PACKAGE = Path(bibmine.__file__).parent
JOINT = "corpus/importer.py"  # where the corpus meets the readers, and nowhere else


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _loaded_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_corpus_loads_no_reader():
    modules = sorted(f"bibmine.corpus.{p.stem}" for p in (PACKAGE / "corpus").glob("*.py")
                     if p.stem not in ("__init__", "importer"))
    code = ("import bibmine.corpus\n"
            "from bibmine.corpus import Corpus, Record, Kind, DedupConfig, run_dedup, review_candidates, "
            "corpus_stats, evaluate_folder, is_placeholder\n"
            + "".join(f"import {m}\n" for m in modules))
    loaded = _loaded_after(code)
    assert "bibmine.corpus.dedup_eval" in loaded and "bibmine.corpus.pipeline" in loaded
    assert [m for m in loaded if m.startswith("bibmine.sources")] == []


def test_the_file_importer_is_the_one_joint():
    joined = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "corpus").glob("*.py")
                    if any(m.startswith("bibmine.sources") for m in _imports(p)))
    assert joined == [JOINT]
    assert "bibmine.sources.readers" in _loaded_after("import bibmine.corpus.importer")


def test_the_readers_import_the_leaf_model_not_the_corpus_model():
    old = ("bibmine.corpus.model", "bibmine.corpus.placeholders")
    offenders = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "sources").rglob("*.py")
                       if any(m in old for m in _imports(p)))
    assert offenders == []
    for leaf in ("record.py", "placeholders.py"):  # a leaf imports no stage
        stages = {m for m in _imports(PACKAGE / leaf) if m.startswith("bibmine.")} - {"bibmine.placeholders"}
        assert stages == set(), leaf
    loaded = _loaded_after("import bibmine.record")
    assert [m for m in loaded if m.startswith("bibmine.") and m not in ("bibmine.record", "bibmine.placeholders")] \
        == []


def test_the_old_names_are_the_same_objects():
    import bibmine.corpus.model as old
    from bibmine import record
    from bibmine.corpus import Record

    assert Record is record.Record is old.Record and old.from_json is record.from_json
    assert set(old.__all__) == set(record.__all__)
