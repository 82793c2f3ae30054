"""Manual labels into a corpus: :func:`import_labels`, the one path for ``bibmine import-labels``
and a study's ``[rubrics] manual_labels``.

Each file becomes one batch (kind ``labels``, or ``review`` for a review list filled by analysts)
with the file's SHA-256 and its counts: ``n_read`` labels read (a row naming two codes is two labels),
``n_new`` labels added, ``n_duplicate`` labels the corpus already held (stored once, never counted as added),
``n_rejected`` rows quarantined (a bad row, or a record the corpus does not hold).
"""

from __future__ import annotations

from pathlib import Path

from bibmine.corpus.store import Batch, Corpus, file_sha256
from bibmine.rubrics.assignments import is_review_file, read_assignments, resolve_ids


def import_labels(corpus: Corpus, path: str | Path, *, annotator: str | None = None) -> Batch:
    """Store the manual GRNTI labels of one assignment file (``record_id,rubric[,annotator][,score]``,
    or a filled review list); returns the finished batch with its counts.

    ``annotator`` names the rows that name none.  ValueError when the file has no record id or
    rubric column (nothing is stored then).
    """
    path = Path(path)
    rows, rejects = read_assignments(path, annotator=annotator)
    uids = resolve_ids(corpus, sorted({r.record_id for r in rows}))
    kind = "review" if is_review_file(path) else "labels"
    with corpus.transaction():
        batch = corpus.start_batch(kind, str(path), format="assignments", sha256=file_sha256(path))
        for where, reason in rejects:
            batch.n_read += 1
            corpus.quarantine(batch, str(path), where, reason, None)
        for r in rows:
            batch.n_read += 1
            uid = uids.get(r.record_id)
            if uid is None:
                corpus.quarantine(batch, str(path), r.location, f"record {r.record_id!r} is not in the corpus", None)
            elif corpus.add_rubric(uid, "grnti", r.rubric, "manual", r.annotator, r.score, batch):
                batch.n_new += 1
            else:
                batch.n_duplicate += 1
        corpus.finish_batch(batch)
    return batch


def import_note(batch: Batch) -> str:
    """What an import of labels did, in one line: ``12 manual labels added, 1 already stored, 0 rejected``."""
    duplicates = f", {batch.n_duplicate} already stored" if batch.n_duplicate else ""
    return f"{batch.n_new} manual labels added{duplicates}, {batch.n_rejected} rejected"
