"""End-to-end CLI: import, re-import, cross-vendor merge, broken and unknown files, stats, export.

Uses the bundled demo files (bibmine/demo/data, INVENTED records) and small files written here.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.store import Corpus
from bibmine.demo import demo_files

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def test_import_twice_adds_nothing(tmp_path):
    db = tmp_path / "c.sqlite"
    first = invoke("import", *demo_files(), "--corpus", db)
    assert first.exit_code == 0, first.output
    with Corpus(db) as c:
        works, sources = c.count(), c.db.execute("SELECT count(*) FROM source_records").fetchone()[0]
    second = invoke("import", *demo_files(), "--corpus", db)
    assert second.exit_code == 0
    with Corpus(db) as c:
        assert c.count() == works
        assert c.db.execute("SELECT count(*) FROM source_records").fetchone()[0] == sources
        assert [b["n_duplicate"] for b in c.batches()[-4:]] == [b["n_read"] for b in c.batches()[-4:]]


def test_same_work_from_wos_scopus_openalex_is_one_record_with_three_sources(tmp_path):
    db = tmp_path / "c.sqlite"
    assert invoke("import", *demo_files(), "--corpus", db).exit_code == 0
    with Corpus(db) as c:
        work = c.find("doi", "10.5555/bibmine.demo.0001")
        sources = c.sources_of(work.id)
        assert sorted(s["format"] for s in sources) == ["openalex_json", "scopus_csv", "wos_plaintext"]
        # shown values by the merge policy: full names from Scopus, highest count first
        assert work.authors[0].name.startswith("Ivanov, Ivan")
        assert (work.citations[0].count, work.citations[0].source) == (7, "scopus")
        # the Belgorod paper has no DOI in Scopus: merged by title + year + first author
        belgorod = c.find("doi", "10.5555/bibmine.demo.0002")
        assert len(c.sources_of(belgorod.id)) == 3
    report = invoke("dedup", "--report", "--json", "--corpus", db)
    rows = [json.loads(line) for line in report.output.splitlines()]
    by_work = {}
    for r in rows:
        by_work.setdefault(r["work"], []).append((r["source_format"], r["rule"]))
    # import order is alphabetical: OpenAlex came first, Scopus and WoS merged into it
    assert sorted(by_work[work.id]) == [("scopus_csv", "doi"), ("wos_plaintext", "doi")]
    assert ("scopus_csv", "fuzzy_title") in by_work[belgorod.id]
    text = invoke("dedup", "--report", "--corpus", db).output
    assert "fuzzy_title" in text and "doi" in text


def test_broken_file_imports_good_records_and_quarantines_the_bad(tmp_path):
    good = '{"id":"https://openalex.org/W1","title":"Почвы Курской области","publication_year":2020}'
    good2 = '{"id":"https://openalex.org/W2","title":"Soils of the Kursk region","publication_year":2021}'
    good4 = '{"id":"https://openalex.org/W4","title":"Реки Тамбовской области","publication_year":2022}'
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join([good, good2, '{"id":"https://openalex.org/W3","title":"Cut sh', good4]) + "\n",
                    encoding="utf-8")
    db = tmp_path / "c.sqlite"
    result = invoke("import", path, "--corpus", db)
    assert result.exit_code == 3
    assert "broken.jsonl" in result.output and "line 3" in result.output
    with Corpus(db) as c:
        assert c.count() == 3
        [q] = c.quarantined()
        assert q["path"].endswith("broken.jsonl") and q["location"] == "line 3"
        assert "Cut sh" in q["raw"]
    listing = invoke("quarantine", "--corpus", db)
    assert "line 3" in listing.output


def test_unknown_format_names_file_and_formats_tried(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear colleague,\nplease find attached the list.\n", encoding="utf-8")
    result = invoke("import", path, "--corpus", tmp_path / "c.sqlite")
    assert result.exit_code == 4
    assert "notes.txt" in result.output and "tried:" in result.output and "RIS" in result.output


def test_corpus_from_environment_and_stats_and_export(tmp_path):
    db = tmp_path / "env.sqlite"
    env = {"BIBMINE_CORPUS": str(db)}
    assert invoke("import", *demo_files(), env=env).exit_code == 0
    stats = json.loads(invoke("stats", "--json", env=env).output)
    with Corpus(db) as c:
        assert stats["works"] == c.count()
    assert set(stats["by_source"]) == {"wos_plaintext", "scopus_csv", "openalex_json", "ris"}
    assert stats["by_language"]["ru"] >= 5  # the RIS and one OpenAlex record are Russian
    assert stats["completeness"]["scopus_csv"]["doi"] == 2 / 3
    for fmt in ("csv", "jsonl", "ris"):
        out = tmp_path / f"export.{fmt}"
        assert invoke("export", "--format", fmt, "--out", out, env=env).exit_code == 0
        assert "Тамбовской" in out.read_text(encoding="utf-8")
    # the RIS export reads back in as the same number of works
    db2 = tmp_path / "again.sqlite"
    assert invoke("import", tmp_path / "export.ris", "--corpus", db2).exit_code == 0
    with Corpus(db2) as c2:
        assert c2.count() == stats["works"]


def test_missing_corpus_is_a_clear_usage_error(tmp_path):
    result = invoke("stats", "--corpus", tmp_path / "nope.sqlite")
    assert result.exit_code == 2 and "no corpus at" in result.output
