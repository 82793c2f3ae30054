"""Corpus-wide dedup pass, the merge report, and undoing a merge.

Import already merges each incoming record; ``run_dedup`` re-checks the stored
works (after a threshold change, or for works imported with fuzzy matching off)
and ``undo_merge`` reverses one merge and remembers the pair as distinct.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bibmine.corpus.dedup import DedupConfig, title_keys
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.model import from_json
from bibmine.corpus.store import Corpus


def run_dedup(corpus: Corpus, config: DedupConfig | None = None,
              progress: Callable[[int], None] | None = None) -> int:
    """Merge stored works that are the same work; return the number of works absorbed.

    The rules are those of import (:func:`bibmine.corpus.matching.decide`): each work is
    compared with the older works, pairs kept apart by a rule go to the review list.
    """
    ing = Ingestor(corpus, config)
    db = corpus.db
    absorbed = 0
    work_ids = [r[0] for r in db.execute("SELECT id FROM works ORDER BY id")]
    with corpus.transaction():
        for n, wid in enumerate(work_ids, 1):
            row = db.execute("SELECT uid, data FROM work_data WHERE id=?", (wid,)).fetchone()
            if row is None:  # absorbed earlier in this pass
                continue
            rec = from_json(row[1])
            decision = ing.best_fuzzy(rec, title_keys(rec), before=wid)
            ing._note_reviews(row[0], decision)
            targets = [t for t in (decision.target, *decision.join) if t is not None]
            if targets and not any(_declared_distinct(db, t, wid) for t in targets):
                ing.absorb(targets[0], wid, decision.rule, decision.score)
                for other in targets[1:]:
                    ing.absorb(targets[0], other, decision.rule, 1.0)
                absorbed += len(targets)
            if progress:
                progress(n)
    return absorbed


def _declared_distinct(db: sqlite3.Connection, work_a: int, work_b: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM distinct_pairs d JOIN source_records x ON x.id=d.a JOIN source_records y ON y.id=d.b "
        "WHERE (x.work_id=? AND y.work_id=?) OR (x.work_id=? AND y.work_id=?) LIMIT 1",
        (work_a, work_b, work_b, work_a),
    ).fetchone()
    return row is not None


def merge_works(ing: Ingestor, keep: int, drop: int, rule: str, score: float, detail: str | None = None) -> None:
    """Move every source record of work ``drop`` into ``keep`` and log one merge per record."""
    ing.absorb(keep, drop, rule, score, detail)


def undo_merge(corpus: Corpus, merge_id: int) -> tuple[str, str]:
    """Split the merged source record back out into a work of its own.

    Returns (uid of the work it left, uid of the restored work).  The pair is
    recorded as distinct so a later ``run_dedup`` does not merge it again.
    """
    db = corpus.db
    row = db.execute("SELECT work_id, source_record_id, undone FROM merges WHERE id=?", (merge_id,)).fetchone()
    if row is None:
        raise KeyError(f"no merge with id {merge_id}")
    work_id, sid, undone = row
    if undone:
        raise ValueError(f"merge {merge_id} was already undone at {undone}")
    ing = Ingestor(corpus)
    with corpus.transaction():
        others = [r[0] for r in db.execute(
            "SELECT id FROM source_records WHERE work_id=? AND id<>?", (work_id, sid))]
        if not others:
            raise ValueError(f"merge {merge_id}: the work has no other source record to split from")
        uid = ing.split_out(work_id, sid, "undone by the user")
        db.executemany("INSERT OR IGNORE INTO distinct_pairs(a, b) VALUES (?,?)", [(o, sid) for o in others])
        old_uid = db.execute("SELECT uid FROM works WHERE id=?", (work_id,)).fetchone()[0]
    return old_uid, uid


def merge_report(corpus: Corpus, *, include_undone: bool = False) -> list[sqlite3.Row]:
    """One row per merge: the work, the absorbed source record, rule, score and both titles."""
    sql = (
        "SELECT m.id, w.uid, w.title AS work_title, s.format, b.source AS batch_source, m.rule, m.score, "
        "m.created, m.undone, s.data AS source_data FROM merges m JOIN works w ON w.id=m.work_id "
        "JOIN source_records s ON s.id=m.source_record_id JOIN batches b ON b.id=s.batch_id"
    )
    if not include_undone:
        sql += " WHERE m.undone IS NULL"
    return corpus._rows(sql + " ORDER BY m.id")
