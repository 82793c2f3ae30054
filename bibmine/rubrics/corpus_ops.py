"""Rubric work over a corpus: embedding cache, automatic assignments, explanations, label suggestions.

Automatic assignments are stored as their own rows (source='automatic', annotator = model id)
through :meth:`Corpus.add_rubric`; a re-run replaces only the automatic rows of the same model and
never touches manual ones.  Vectors of pretrained embedders are cached in the corpus file, keyed by
(record id, text hash, model id), in the table ``rubric_embeddings`` (corpus migration 0004).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from bibmine.corpus.model import Record
from bibmine.rubrics.text import record_text, text_hash
from bibmine.rubrics.vocabulary import SCHEME, load_vocabulary
from bibmine.safe_csv import safe_writer


class EmbeddingCache:
    """Vectors in the corpus file by (record id, text hash, model id), float32 blobs."""

    def __init__(self, corpus):
        self.db = corpus.db

    def get(self, keys: list[tuple[str, str]], model_id: str) -> dict[tuple[str, str], np.ndarray]:
        out = {}
        for uid, h in keys:
            row = self.db.execute(
                "SELECT vector FROM rubric_embeddings WHERE uid=? AND text_hash=? AND model_id=?", (uid, h, model_id)
            ).fetchone()
            if row:
                out[(uid, h)] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def put(self, items: Iterable[tuple[str, str, np.ndarray]], model_id: str) -> None:
        own = not self.db.in_transaction  # one transaction for the batch, not one per vector
        if own:
            self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO rubric_embeddings(uid, text_hash, model_id, dim, vector) VALUES (?,?,?,?,?)",
            [(uid, h, model_id, len(v), np.asarray(v, np.float32).tobytes()) for uid, h, v in items],
        )
        if own:
            self.db.execute("COMMIT")

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return self.db.execute("SELECT count(*) FROM rubric_embeddings").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM rubric_embeddings WHERE model_id=?", (model_id,)).fetchone()[0]


def dense_embedders(model):
    """The model's embedders that keep vectors in an in-memory cache (USE, sentence-transformers)."""
    return [emb for emb in getattr(model.level1, "embedders_", {}).values()
            if getattr(emb, "dense", False) and hasattr(emb, "cache")]


def warm_embedder_cache(model, cache: EmbeddingCache, records: list[Record], hashes: list[str]) -> None:
    """Fill the dense embedders' in-memory caches from the corpus (``hashes``: the records' text hashes)."""
    for emb in dense_embedders(model):
        keys = [(r.id or "", h) for r, h in zip(records, hashes, strict=True)]
        for (_uid, h), vec in cache.get(keys, emb.model_id).items():
            emb.cache[h] = vec


def store_new_vectors(model, cache: EmbeddingCache, records: list[Record], hashes: list[str]) -> None:
    for emb in dense_embedders(model):
        cache.put([(r.id, h, emb.cache[h]) for r, h in zip(records, hashes, strict=True) if r.id and h in emb.cache],
                  emb.model_id)


def forget_vectors(model, hashes: list[str]) -> None:
    """Drop a batch's vectors from the dense embedders' in-memory caches, so that memory stays bounded by
    the batch over a corpus of any size (the corpus, where there is one, keeps them)."""
    for emb in dense_embedders(model):
        for h in hashes:
            emb.cache.pop(h, None)


def has_manual(record: Record) -> bool:
    return any(r.scheme == SCHEME and r.source == "manual" for r in record.rubrics)


def rank_records(model, records: list[Record], top_k: int = 3, level: int = 1, threshold: float | None = None,
                 cache: EmbeddingCache | None = None) -> tuple[list[tuple[str, list[tuple[str, float]]]], int]:
    """``(work id, [(code, score), ...])`` for every record with text, and how many had none."""
    texts = [record_text(r) for r in records]
    keep = [i for i, t in enumerate(texts) if t]
    recs = [records[i] for i in keep]
    texts = [texts[i] for i in keep]
    hashes = [text_hash(t) for t in texts] if dense_embedders(model) else []
    if cache is not None and hashes:
        warm_embedder_cache(model, cache, recs, hashes)
    ranked = model.classify(texts, k=top_k, level=level, threshold=threshold) if texts else []
    if cache is not None and hashes:
        store_new_vectors(model, cache, recs, hashes)
    forget_vectors(model, hashes)
    return [(r.id, tops) for r, tops in zip(recs, ranked, strict=True)], len(records) - len(keep)


def write_assignments(corpus, model_id: str, ranked: list[tuple[str, list[tuple[str, float]]]]) -> int:
    """Replace the automatic assignments of ``model_id`` for each ranked work; return rows written."""
    n = 0
    with corpus.transaction():
        for uid, tops in ranked:
            wid = corpus.work_id(uid)
            corpus.db.execute(
                "DELETE FROM rubric_assignments WHERE work_id=? AND scheme=? AND source='automatic' "
                "AND annotator=?", (wid, SCHEME, model_id))
            for code, score in tops:
                n += corpus.add_rubric(uid, SCHEME, code, "automatic", model_id, round(score, 4))
    return n


def classify_corpus(corpus, model, top_k: int = 3, level: int = 1, threshold: float | None = None,
                    only_unlabelled: bool = False, batch: int = 1000,
                    progress: Callable[[int, float], None] | None = None) -> dict:
    """Write automatic GRNTI assignments (annotator = model id, score) for every work with text."""
    cache = EmbeddingCache(corpus)
    n_done = n_written = n_empty = 0
    start = time.perf_counter()
    pending: list[Record] = []

    def flush():
        nonlocal n_done, n_written, n_empty
        ranked, empty = rank_records(model, pending, top_k, level, threshold, cache)
        n_empty += empty
        n_written += write_assignments(corpus, model.model_id, ranked)
        n_done += len(pending)
        pending.clear()
        if progress:
            progress(n_done, time.perf_counter() - start)

    for rec in corpus.iter_works():
        if only_unlabelled and has_manual(rec):
            continue
        pending.append(rec)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return {"records": n_done, "assignments": n_written, "without_text": n_empty, "model": model.model_id,
            "seconds": time.perf_counter() - start}


def labelled_records(corpus) -> list[tuple[Record, str]]:
    """Works with a manual GRNTI rubric, with their level-1 code."""
    out = []
    for rec in corpus.iter_works():
        manual = [r.code for r in rec.rubrics if r.scheme == SCHEME and r.source == "manual"]
        if manual:
            out.append((rec, manual[0][:2]))
    return out


def explain(corpus, model, uid: str, top_k: int = 5, neighbours: int = 5) -> dict:
    """Top rubrics of one work with scores, and the nearest manually labelled works (TF-IDF cosine)."""
    rec = corpus.get(uid)
    if rec is None:
        raise KeyError(f"no work with id {uid}")
    text = record_text(rec)
    voc = load_vocabulary()
    tops = model.classify([text], k=top_k, threshold=0.0)[0] if text else []
    result = {"id": uid, "title": rec.title, "text_chars": len(text),
              "rubrics": [{"code": c, "name": voc.name(c), "score": round(s, 4)} for c, s in tops],
              "manual": [r.code for r in rec.rubrics if r.scheme == SCHEME and r.source == "manual"],
              "neighbours": []}
    labelled = [(r, c) for r, c in labelled_records(corpus) if r.id != uid]
    if text and labelled:
        tfidf = next(iter(model.level1.embedders_.values()))
        q = tfidf.transform([text])
        m = tfidf.transform([record_text(r) for r, _ in labelled])
        sims = np.asarray((m @ q.T).toarray()).ravel() if hasattr(m, "toarray") else m @ np.asarray(q).ravel()
        for j in np.argsort(-sims)[:neighbours]:
            r, c = labelled[j]
            result["neighbours"].append({"id": r.id, "title": r.title, "rubric": c,
                                         "similarity": round(float(sims[j]), 4)})
    return result


def suggest_labels(corpus, model, n: int, out: Path, candidates: int = 2000, diversity: float = 0.5) -> int:
    """The ``n`` unlabelled works that would teach the model most, into a CSV for analysts.

    Uncertainty is the margin between the two best level-1 scores (small = unsure); diversity
    comes from greedy max-min selection in TF-IDF space among the most uncertain ``candidates``:
    each pick maximizes (1 - diversity) * uncertainty + diversity * distance to the picks so far.
    """
    recs = [r for r in corpus.iter_works() if not has_manual(r)]
    texts = [record_text(r) for r in recs]
    keep = [i for i, t in enumerate(texts) if t]
    recs = [recs[i] for i in keep]
    texts = [texts[i] for i in keep]
    if not recs:
        rows = []
    else:
        proba = model.predict_proba(texts)
        part = np.sort(proba, axis=1)
        uncertainty = 1.0 - (part[:, -1] - part[:, -2])
        pool = np.argsort(-uncertainty)[:candidates]
        tfidf = next(iter(model.level1.embedders_.values()))
        X = tfidf.transform([texts[i] for i in pool])
        chosen: list[int] = []
        min_dist = np.ones(len(pool))
        for _ in range(min(n, len(pool))):
            score = (1 - diversity) * uncertainty[pool] + diversity * min_dist
            score[chosen] = -np.inf
            j = int(np.argmax(score))
            chosen.append(j)
            sim = np.asarray((X @ X[j].T).toarray()).ravel() if hasattr(X, "toarray") else X @ X[j]
            min_dist = np.minimum(min_dist, 1.0 - sim)
        rows = []
        classes = model.level1.classes_
        for j in chosen:
            i = pool[j]
            top = np.argsort(-proba[i])[:3]
            rows.append([recs[i].id, "", "", recs[i].title or "", round(float(uncertainty[i]), 4),
                         ";".join(f"{classes[t]}:{proba[i, t]:.3f}" for t in top)])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        # the columns `bibmine import-labels` reads: record_id, rubric (to fill), annotator (to fill)
        w.writerow(["record_id", "rubric", "annotator", "title", "uncertainty", "model_suggests"])
        w.writerows(rows)
    return len(rows)

