"""Store, exact and fuzzy dedup, merge policy and undo, on hand-built records (INVENTED data)."""

from __future__ import annotations

import sqlite3

import pytest

from bibmine.corpus.dedup_run import merge_report, run_dedup, undo_merge
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.model import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    RubricAssignment,
    Text,
    Venue,
)
from bibmine.corpus.store import LATEST_VERSION, Corpus


def rec(source: str, raw: str, **kw) -> Record:
    kw.setdefault("kind", Kind.ARTICLE)
    return Record(source=source, raw=raw, **kw)


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        yield c


def wos_version() -> Record:
    return rec(
        "wos_plaintext", "PT J\nTI SOIL ORGANIC CARBON IN CHERNOZEMS OF THE VORONEZH REGION\nER",
        titles=[Text("SOIL ORGANIC CARBON IN CHERNOZEMS OF THE VORONEZH REGION", "en")],
        authors=[Author("Ivanov, II"), Author("Petrova, AS")],
        affiliations=[Affiliation("Voronezh State Univ, Voronezh 394018, Russia")],
        year=2021, ids=Identifiers(doi="10.5555/demo.1", wos="WOS:000900000000001"),
        citations=[CitationCount(4, "wos")], author_keywords=["chernozem", "soil carbon"],
    )


def scopus_version() -> Record:
    return rec(
        "scopus_csv", '{"EID":"2-s2.0-85100000001"}',
        titles=[Text("Soil organic carbon in chernozems of the Voronezh region", "en")],
        abstracts=[Text("We measured soil organic carbon in 120 chernozem profiles of the Voronezh region.", "en")],
        authors=[Author("Ivanov, Ivan Ivanovich", orcid="0000-0002-1825-0097"), Author("Petrova, Anna S.")],
        year=2021, ids=Identifiers(doi="10.5555/demo.1", scopus="2-s2.0-85100000001"),
        citations=[CitationCount(7, "scopus")], author_keywords=["Chernozem", "carbon stock"],
        venue=Venue(name="Eurasian Soil Science", issn=["1064-2293"]),
    )


def test_schema_version_and_wal(corpus):
    assert corpus.schema_version() == LATEST_VERSION
    assert corpus.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={LATEST_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer than this bibmine"):
        Corpus(path)


def test_same_record_twice_is_one(corpus):
    ing = Ingestor(corpus)
    b = corpus.start_batch("file", "a.txt")
    assert ing.add(wos_version(), b).outcome == "new"
    assert ing.add(wos_version(), b).outcome == "duplicate"
    assert corpus.count() == 1
    assert (b.n_read, b.n_new, b.n_duplicate) == (2, 1, 1)


def test_exact_merge_by_doi_and_policy(corpus):
    ing = Ingestor(corpus)
    b1, b2 = corpus.start_batch("file", "wos.txt"), corpus.start_batch("file", "scopus.csv")
    first = ing.add(wos_version(), b1)
    second = ing.add(scopus_version(), b2)
    assert second.outcome == "merged" and second.rule == "doi" and second.uid == first.uid
    work = corpus.get(first.uid)
    # mixed case beats ALL CAPS
    assert work.title == "Soil organic carbon in chernozems of the Voronezh region"
    # full given names beat initials; the ORCID comes with them
    assert [a.name for a in work.authors] == ["Ivanov, Ivan Ivanovich", "Petrova, Anna S."]
    assert work.authors[0].orcid == "0000-0002-1825-0097"
    # affiliations from WoS, linked by byline position, since Scopus had none
    assert work.affiliations[0].raw.startswith("Voronezh State Univ")
    # highest citation count first, every source kept
    assert [(c.count, c.source) for c in work.citations] == [(7, "scopus"), (4, "wos")]
    assert work.ids.wos == "WOS:000900000000001" and work.ids.scopus == "2-s2.0-85100000001"
    assert work.author_keywords == ["chernozem", "soil carbon", "carbon stock"]
    assert work.abstract.startswith("We measured")
    # provenance: every shown value names the source record (and so the batch) it came from
    sources = corpus.sources_of(first.uid)
    assert [s["batch_source"] for s in sources] == ["wos.txt", "scopus.csv"]
    # the Scopus identifier is findable too
    assert corpus.find("scopus", "2-s2.0-85100000001").id == first.uid


def test_fuzzy_merge_without_shared_id(corpus):
    ing = Ingestor(corpus)
    b = corpus.start_batch("file", "x")
    a = ing.add(rec("ris", "1", titles=[Text("Innovation clusters of the Belgorod region: a network study")],
                    authors=[Author("Smirnov, Pavel")], year=2020), b)
    r = ing.add(rec("bibtex", "2", titles=[Text("Innovation Clusters of the Belgorod Region - A Network Study.")],
                    authors=[Author("Smirnov P.")], year=2021), b)
    assert r.outcome == "merged" and r.rule == "fuzzy_title" and r.uid == a.uid
    assert 0.93 <= r.score <= 1.0


@pytest.mark.parametrize("change", [
    {"year": 2015},  # years too far apart
    {"authors": [Author("Kuznetsov, P.")]},  # different first author
    {"ids": Identifiers(doi="10.5555/other")},  # conflicting DOI
    {"titles": [Text("Innovation clusters of the Lipetsk region: a network study")]},  # different region
])
def test_fuzzy_guards_keep_different_works_apart(corpus, change):
    ing = Ingestor(corpus)
    b = corpus.start_batch("file", "x")
    base = dict(titles=[Text("Innovation clusters of the Belgorod region: a network study")],
                authors=[Author("Smirnov, Pavel")], year=2020, ids=Identifiers(doi="10.5555/base"))
    ing.add(rec("ris", "1", **base), b)
    other = {**base, "ids": Identifiers(), **change}
    assert ing.add(rec("ris", "2", **other), b).outcome == "new"
    assert corpus.count() == 2


def test_dedup_pass_merges_and_undo_restores(corpus):
    ing = Ingestor(corpus, fuzzy=False)
    b = corpus.start_batch("file", "x")
    ing.add(rec("ris", "1", titles=[Text("Почвенный покров Тамбовской области и его динамика")],
                authors=[Author("Иванов, И. И.")], year=2019), b)
    ing.add(rec("bibtex", "2", titles=[Text("Почвенный покров Тамбовской области и его динамика.")],
                authors=[Author("Иванов Иван Иванович")], year=2019), b)
    assert corpus.count() == 2
    assert run_dedup(corpus) == 1
    assert corpus.count() == 1
    rows = merge_report(corpus)
    assert len(rows) == 1 and rows[0]["rule"] == "fuzzy_title"
    left, restored = undo_merge(corpus, rows[0]["id"])
    assert corpus.count() == 2 and left != restored
    assert merge_report(corpus) == []
    assert run_dedup(corpus) == 0  # declared distinct: not merged again
    with pytest.raises(ValueError, match="already undone"):
        undo_merge(corpus, rows[0]["id"])


def test_manual_rubrics_go_to_table_and_automatic_never_replaces_them(corpus):
    ing = Ingestor(corpus)
    b = corpus.start_batch("file", "x")
    r = ing.add(rec("table", "1", titles=[Text("Экономика Липецкой области")],
                    rubrics=[RubricAssignment("grnti", "06.61.33", "manual", "analyst1")]), b)
    assert corpus.add_rubric(r.uid, "grnti", "06.61.33", "automatic", "model-x", 0.8)
    rows = corpus.rubrics(r.uid)
    assert [(x["code"], x["source"], x["annotator"]) for x in rows] == [
        ("06.61.33", "manual", "analyst1"), ("06.61.33", "automatic", "model-x")]
    assert not corpus.add_rubric(r.uid, "grnti", "06.61.33", "manual", "analyst1")


def test_reader_process_and_in_process_import_give_the_same_corpus(tmp_path):
    """The two-process pipeline is an optimisation only: same works, same merges."""
    from bibmine.corpus.importer import import_files
    from bibmine.demo import demo_files

    dumps = []
    for processes in (1, 2):
        with Corpus(tmp_path / f"p{processes}.sqlite") as c:
            reports = import_files(c, demo_files(), processes=processes)
            dumps.append((
                [(r.read, r.new, r.merged, r.rejected) for r in reports],
                sorted((w.id, w.title, len(c.sources_of(w.id))) for w in c.iter_works()),
                [(m["uid"], m["rule"]) for m in merge_report(c)],
            ))
    assert dumps[0] == dumps[1]
    assert sum(r[2] for r in dumps[0][0]) == 4  # the demo's four merges
