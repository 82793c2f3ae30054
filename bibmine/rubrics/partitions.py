"""Rubric classification over a Parquet dataset, part by part, on any engine (:mod:`bibmine.scale.engine`).

The model is sent to each worker once (``engine.broadcast``); each task ranks one part with the
same :func:`bibmine.rubrics.corpus_ops.rank_records` that ``bibmine rubrics classify`` uses, so
both engines store identical assignments.  Dense-embedder vectors are not cached in the corpus on
this path (the workers cannot write to it); the default TF-IDF model has none.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bibmine.corpus.parquet import Dataset, iter_part_batches, open_dataset
from bibmine.rubrics.corpus_ops import has_manual, rank_records, write_assignments

BATCH = 5000  # records decoded and embedded at once; ranking is per record, so any size gives the same


def classify_part(part: str, dataset: str, model, top_k: int = 3, level: int = 1, threshold: float | None = None,
                  only_unlabelled: bool = False) -> tuple[list, int, int]:
    """``(ranked works, records seen, records without text)`` for one part."""
    ranked, seen, empty = [], 0, 0
    for records in iter_part_batches(open_dataset(dataset), part, BATCH):  # memory bounded by BATCH
        if only_unlabelled:
            records = [r for r in records if not has_manual(r)]
        got, none = rank_records(model, records, top_k, level, threshold)
        ranked += got
        seen += len(records)
        empty += none
    return ranked, seen, empty


def classify_dataset(corpus, engine, dataset: Dataset, model, top_k: int = 3, level: int = 1,
                     threshold: float | None = None, only_unlabelled: bool = False,
                     progress: Callable[[int, float], None] | None = None) -> dict:
    """Classify every work of ``dataset`` (exported from ``corpus``) on ``engine``; store into ``corpus``."""
    start = time.perf_counter()
    shared = engine.broadcast(model)
    n_done = n_written = n_empty = 0
    for _part, (ranked, seen, empty) in engine.map(classify_part, dataset.parts, str(dataset.path), shared,
                                                  top_k, level, threshold, only_unlabelled):
        n_written += write_assignments(corpus, model.model_id, ranked)
        n_done += seen
        n_empty += empty
        if progress:
            progress(n_done, time.perf_counter() - start)
    return {"records": n_done, "assignments": n_written, "without_text": n_empty, "model": model.model_id,
            "seconds": time.perf_counter() - start, "engine": engine.name, "workers": engine.workers}
