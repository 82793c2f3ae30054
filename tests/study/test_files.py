"""Files a study writes (issue 17.1): only its output folder and the corpus it names; never a file
it did not create.  A ``[study] corpus`` that is not a bibmine corpus is refused (exit 2, the file
untouched: bytes and mtime); an existing bibmine corpus is opened, not wiped.

The records are the bundled demo exports (all INVENTED, see bibmine/demo/data/README.md); the
other files here are INVENTED, a few bytes each.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.importer import import_files
from bibmine.corpus.store import Corpus
from bibmine.demo import demo_folder

runner = CliRunner()


def _study(folder, corpus: str | None = None, files: str = '["data/cbe_*"]', out: str | None = None) -> str:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for p in demo_folder().glob("cbe_*"):
        shutil.copy(p, folder / "data" / p.name)
    lines = ["[study]", 'name = "files"']
    lines += [f'corpus = "{corpus}"'] if corpus else []
    lines += [f'out = "{out}"'] if out else []
    lines += ["[sources]", f"files = {files}", "[rubrics]", 'model = ""', "[maps]", 'networks = ["keywords"]']
    (folder / "study.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder / "study.toml")


def _fingerprint(path):
    return path.read_bytes(), path.stat().st_mtime_ns


def _works(path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT uid FROM works")}
    finally:
        db.close()


def test_an_input_export_named_as_corpus_is_refused_and_untouched(tmp_path):
    study = _study(tmp_path, corpus="data/cbe_scopus.csv")
    before = _fingerprint(tmp_path / "data" / "cbe_scopus.csv")
    result = runner.invoke(app, ["run", study])
    assert result.exit_code == 2, result.output
    assert "study.corpus:" in result.output and "is not a bibmine corpus (not an SQLite file)" in result.output
    assert _fingerprint(tmp_path / "data" / "cbe_scopus.csv") == before
    assert not (tmp_path / "study-out").exists()


@pytest.mark.parametrize("fresh", [False, True])
def test_a_foreign_sqlite_file_is_refused_even_with_fresh_corpus(tmp_path, fresh):
    other = tmp_path / "notes.sqlite"  # another program's database (INVENTED)
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("INSERT INTO notes(text) VALUES ('keep me')")
    db.commit()
    db.close()
    before = _fingerprint(other)
    flags = ["--fresh-corpus"] if fresh else []
    result = runner.invoke(app, ["run", _study(tmp_path, corpus="notes.sqlite"), *flags])
    assert result.exit_code == 2, result.output
    assert "is an SQLite file but not a bibmine corpus" in " ".join(result.output.split())
    assert _fingerprint(other) == before


def test_an_existing_bibmine_corpus_is_opened_not_wiped(tmp_path):
    crawled = tmp_path / "crawled.sqlite"
    with Corpus(crawled) as c:  # the user's corpus: one export imported earlier
        import_files(c, [demo_folder() / "cbe_openalex.jsonl"])
    before = _works(crawled)
    assert len(before) == 3
    study = _study(tmp_path, corpus="crawled.sqlite", files='["data/cbe_wos.txt", "data/cbe_elibrary.ris"]')
    result = runner.invoke(app, ["run", study])
    assert result.exit_code == 0, result.output
    assert "existing corpus: opened, the study's files are added, nothing removed" in " ".join(result.output.split())
    after = _works(crawled)
    assert before < after  # the user's works kept, the study's added
    assert not (tmp_path / "study-out" / "corpus.sqlite").exists()

    again = runner.invoke(app, ["run", study])  # a rerun opens it again and skips what did not change
    assert again.exit_code == 0 and again.output.count("inputs unchanged, skipped") == 6, again.output
    assert _works(crawled) == after


def test_fresh_corpus_rebuilds_a_bibmine_corpus_from_the_study_files(tmp_path):
    crawled = tmp_path / "crawled.sqlite"
    with Corpus(crawled) as c:
        import_files(c, [demo_folder() / "cbe_openalex.jsonl"])
    before = _works(crawled)
    result = runner.invoke(app, ["run", _study(tmp_path, corpus="crawled.sqlite", files='["data/cbe_wos.txt"]'),
                                 "--fresh-corpus"])
    assert result.exit_code == 0, result.output
    assert not before & _works(crawled)


def test_an_output_folder_holding_other_files_is_refused(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "report.html").write_text("<p>my own report</p>", encoding="utf-8")
    before = _fingerprint(tmp_path / "results" / "report.html")
    result = runner.invoke(app, ["run", _study(tmp_path, out="results")])
    assert result.exit_code == 2, result.output
    assert "study.out:" in result.output and "holds files that no bibmine study wrote (report.html)" in \
        " ".join(result.output.split())
    assert _fingerprint(tmp_path / "results" / "report.html") == before
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["report.html"]


def test_corpus_problem_tells_corpora_from_other_files(tmp_path):
    from bibmine.study.checks import corpus_problem

    assert corpus_problem(tmp_path / "absent.sqlite") is None
    with Corpus(tmp_path / "c.sqlite"):
        pass
    assert corpus_problem(tmp_path / "c.sqlite") is None
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert "not an SQLite file" in corpus_problem(tmp_path / "empty.sqlite")
    assert "is not a file" in corpus_problem(tmp_path)
