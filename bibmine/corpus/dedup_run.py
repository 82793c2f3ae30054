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
from bibmine.corpus.store import Corpus, now


def run_dedup(corpus: Corpus, config: DedupConfig | None = None,
              progress: Callable[[int], None] | None = None) -> int:
    """Merge stored works that are the same work; return the number of works absorbed."""
    ing = Ingestor(corpus, config)
    db = corpus.db
    absorbed = 0
    work_ids = [r[0] for r in db.execute("SELECT id FROM works ORDER BY id")]
    with corpus.transaction():
        for n, wid in enumerate(work_ids, 1):
            row = db.execute("SELECT data FROM work_data WHERE id=?", (wid,)).fetchone()
            if row is None:  # absorbed earlier in this pass
                continue
            rec = from_json(row[0])
            target, rule, score = _exact_other(db, wid, rec)
            if target is None:
                target, rule, score = ing.best_fuzzy(rec, title_keys(rec), before=wid)
            if target is not None and not _declared_distinct(db, target, wid):
                merge_works(ing, target, wid, rule, score)
                absorbed += 1
            if progress:
                progress(n)
    return absorbed


def _exact_other(db: sqlite3.Connection, wid: int, rec) -> tuple[int | None, str | None, float | None]:
    for scheme, value in rec.ids.pairs():
        hit = db.execute("SELECT work_id FROM identifiers WHERE scheme=? AND value=?", (scheme, value)).fetchone()
        if hit and hit[0] < wid:
            return hit[0], scheme, 1.0
    return None, None, None


def _declared_distinct(db: sqlite3.Connection, work_a: int, work_b: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM distinct_pairs d JOIN source_records x ON x.id=d.a JOIN source_records y ON y.id=d.b "
        "WHERE (x.work_id=? AND y.work_id=?) OR (x.work_id=? AND y.work_id=?) LIMIT 1",
        (work_a, work_b, work_b, work_a),
    ).fetchone()
    return row is not None


def merge_works(ing: Ingestor, keep: int, drop: int, rule: str, score: float, detail: str | None = None) -> None:
    """Move every source record of work ``drop`` into ``keep`` and log one merge per record."""
    db = ing.db
    moved = [r[0] for r in db.execute("SELECT id FROM source_records WHERE work_id=?", (drop,))]
    db.execute("UPDATE source_records SET work_id=? WHERE work_id=?", (keep, drop))
    db.execute("UPDATE merges SET work_id=? WHERE work_id=?", (keep, drop))
    db.execute("UPDATE OR IGNORE rubric_assignments SET work_id=? WHERE work_id=?", (keep, drop))
    db.execute("DELETE FROM rubric_assignments WHERE work_id=?", (drop,))
    db.execute("DELETE FROM identifiers WHERE work_id=?", (drop,))
    db.execute("DELETE FROM blocks WHERE work_id=?", (drop,))
    db.execute("DELETE FROM region_placements WHERE work_id=?", (drop,))
    db.execute("DELETE FROM works WHERE id=?", (drop,))
    db.executemany(
        "INSERT INTO merges(work_id, source_record_id, rule, score, detail, created) VALUES (?,?,?,?,?,?)",
        [(keep, sid, rule, score, detail, now()) for sid in moved],
    )
    ing.rebuild(keep)


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
        fingerprint, data = db.execute("SELECT fingerprint, data FROM source_records WHERE id=?", (sid,)).fetchone()
        rec = from_json(data)
        uid = "bm" + fingerprint[:16]
        if db.execute("SELECT 1 FROM works WHERE uid=?", (uid,)).fetchone():
            uid = f"{uid}-{sid}"
        rec.id = uid
        new_id = ing.insert_single_work(uid, rec)
        db.execute("UPDATE source_records SET work_id=? WHERE id=?", (new_id, sid))
        db.execute("UPDATE merges SET undone=? WHERE id=?", (now(), merge_id))
        db.executemany("INSERT OR IGNORE INTO distinct_pairs(a, b) VALUES (?,?)", [(o, sid) for o in others])
        old_uid = ing.rebuild(work_id)
        ing.rebuild(new_id)
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
