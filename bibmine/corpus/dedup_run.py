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
from bibmine.corpus.rawtext import load_record, record_text
from bibmine.corpus.store import Corpus, now


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
            rec = load_record(row[1])
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


def merge_report(corpus: Corpus, *, include_undone: bool = False) -> list[dict]:
    """One row per merge: the work, the absorbed source record (``source_data``: its JSON), rule, score and
    both titles."""
    sql = (
        "SELECT m.id, w.uid, w.title AS work_title, s.format, b.source AS batch_source, m.rule, m.score, "
        "m.created, m.undone, s.data AS source_data FROM merges m JOIN works w ON w.id=m.work_id "
        "JOIN source_records s ON s.id=m.source_record_id JOIN batches b ON b.id=s.batch_id"
    )
    if not include_undone:
        sql += " WHERE m.undone IS NULL"
    rows = [dict(row) for row in corpus._rows(sql + " ORDER BY m.id")]
    for row in rows:
        row["source_data"] = record_text(row["source_data"])
    return rows


def review_candidates(corpus: Corpus, *, include_resolved: bool = False) -> list[dict]:
    """Pairs that look like one work but that a rule keeps apart, for an analyst to decide.

    Each side is shown as the work that holds it now (a side merged since into another
    work is followed to that work); pairs whose sides have since become one work are left out.
    """
    rows = corpus._rows("SELECT * FROM dedup_candidates" + ("" if include_resolved else " WHERE resolved IS NULL")
                        + " ORDER BY id")
    out = []
    for r in rows:
        a, b = current_work(corpus, r["uid_a"]), current_work(corpus, r["uid_b"])
        if a is None or b is None or a[0] == b[0]:
            continue
        out.append({"id": r["id"], "a": a[1], "b": b[1], "title_a": a[2], "title_b": b[2], "score": r["score"],
                    "reason": r["reason"], "resolved": r["resolved"]})
    return out


def current_work(corpus: Corpus, uid: str) -> tuple[int, str, str | None] | None:
    """(work id, uid, title) of the work holding ``uid`` now: the work itself, or the one its first record joined."""
    row = corpus.db.execute("SELECT id, uid, title FROM works WHERE uid=?", (uid,)).fetchone()
    if row:
        return row
    prefix = uid[2:18]  # "bm" + the first 16 hex digits of the source record's fingerprint
    return corpus.db.execute(
        "SELECT w.id, w.uid, w.title FROM source_records s JOIN works w ON w.id=s.work_id "
        "WHERE s.fingerprint >= ? AND s.fingerprint < ? ORDER BY s.id LIMIT 1", (prefix, prefix + "g")).fetchone()


def merge_by_hand(corpus: Corpus, keep_uid: str, drop_uid: str) -> str:
    """An analyst's merge of two works (allowed even where a rule kept them apart); returns the kept uid."""
    keep, drop = current_work(corpus, keep_uid), current_work(corpus, drop_uid)
    for uid, found in ((keep_uid, keep), (drop_uid, drop)):
        if found is None:
            raise KeyError(f"no work with id {uid}")
    if keep[0] == drop[0]:
        raise ValueError(f"{keep_uid} and {drop_uid} are already one work ({keep[1]})")
    ing = Ingestor(corpus)
    with corpus.transaction():
        ing.absorb(keep[0], drop[0], "manual", 1.0, detail=f"merged by hand: {drop[1]} into {keep[1]}")
        corpus.db.execute("UPDATE dedup_candidates SET resolved=? WHERE resolved IS NULL AND "
                          "((uid_a=? AND uid_b=?) OR (uid_a=? AND uid_b=?))",
                          (f"merged {now()}", keep_uid, drop_uid, drop_uid, keep_uid))
    return keep[1]
