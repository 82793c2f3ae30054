"""Keeping works right: rebuild a work from its source records, join two works, split one.

Every change of a work's membership goes through :class:`WorkEditor`, so the shown
values, the identifier and blocking index and the merge log always agree with the
source records.
"""

from __future__ import annotations

import json

from bibmine.corpus.dedup import blocking_keys, sorted_key, title_keys
from bibmine.corpus.merge import merge_records
from bibmine.corpus.rawtext import load_record
from bibmine.corpus.store import Corpus, now
from bibmine.record import Record, to_json


class WorkEditor:
    """Rebuild, join and split works of one corpus (call inside a transaction)."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.db = corpus.db

    def absorb(self, keep: int, drop: int, rule: str, score: float, detail: str | None = None) -> None:
        """Move every source record of work ``drop`` into ``keep`` and log one merge per record."""
        db = self.db
        moved = [r[0] for r in db.execute("SELECT id FROM source_records WHERE work_id=?", (drop,))]
        db.execute("UPDATE source_records SET work_id=? WHERE work_id=?", (keep, drop))
        db.execute("UPDATE merges SET work_id=? WHERE work_id=?", (keep, drop))
        db.execute("UPDATE OR IGNORE rubric_assignments SET work_id=? WHERE work_id=?", (keep, drop))
        db.execute("DELETE FROM rubric_assignments WHERE work_id=?", (drop,))
        db.execute("DELETE FROM identifiers WHERE work_id=?", (drop,))
        db.execute("DELETE FROM blocks WHERE work_id=?", (drop,))
        db.execute("DELETE FROM region_placements WHERE work_id=?", (drop,))
        db.execute("DELETE FROM works WHERE id=?", (drop,))
        self._changed(drop)
        db.executemany(
            "INSERT INTO merges(work_id, source_record_id, rule, score, detail, created) VALUES (?,?,?,?,?,?)",
            [(keep, sid, rule, score, detail, now()) for sid in moved],
        )
        self.rebuild(keep)

    def split_out(self, work_id: int, source_record_id: int, detail: str) -> str:
        """Give one source record of a work a work of its own; returns the new work's uid.

        Its merges into the work are marked undone (with ``detail``); the work it
        leaves is rebuilt from the records that stay.
        """
        db = self.db
        fingerprint, data = db.execute("SELECT fingerprint, data FROM source_records WHERE id=?",
                                       (source_record_id,)).fetchone()
        rec = load_record(data)
        uid, n = "bm" + fingerprint[:16], 0
        while db.execute("SELECT 1 FROM works WHERE uid=?", (uid,)).fetchone():
            # it was the work's first record (the work keeps its uid), or it was split out before
            n += 1
            uid = f"bm{fingerprint[:16]}-{source_record_id}" + (f"-{n}" if n > 1 else "")
        rec.id = uid
        new_id = self.insert_single_work(uid, rec)
        db.execute("UPDATE source_records SET work_id=? WHERE id=?", (new_id, source_record_id))
        db.execute("UPDATE merges SET undone=?, detail=coalesce(detail, ?) WHERE source_record_id=? "
                   "AND undone IS NULL", (now(), detail, source_record_id))
        self.rebuild(work_id)
        self.rebuild(new_id)
        return uid

    def _changed(self, work_id: int) -> None:
        """A work's values or membership changed (or it is gone): caches of it are stale."""
        cache = getattr(self, "_cands", None)
        if cache is not None:
            cache.forget(work_id)

    def insert_single_work(self, uid: str, record: Record) -> int:
        """A new work row for one record (used when a merge is undone)."""
        keys = title_keys(record)
        cur = self.db.execute(
            "INSERT INTO works(uid, kind, year, title, title_keys, title_sorted, doi, first_author, n_sources, data, "
            "updated) VALUES (?,?,?,?,?,?,?,?,1,?,?)",
            (uid, record.kind.value, record.year, record.title, "\n".join(keys),
             "\n".join(sorted_key(k) for k in keys), record.ids.doi,
             record.first_author_surname, to_json(record).decode(), now()))
        return cur.lastrowid

    def _index(self, work_id: int, record: Record, keys: list[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
            [(s, v, work_id) for s, v in record.ids.pairs()])
        self.db.executemany(
            "INSERT OR IGNORE INTO blocks(key, work_id) VALUES (?,?)",
            [(k, work_id) for k in blocking_keys(record, keys)])

    def _insert_rubrics(self, rows: list[tuple]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO rubric_assignments(work_id, scheme, code, source, annotator, score, "
            "batch_id, created) VALUES (?,?,?,?,?,?,?,?)", rows)

    def rebuild(self, work_id: int) -> str:
        """Recompute a work's shown values and index rows from its source records."""
        self._changed(work_id)
        rows = self.db.execute(
            "SELECT id, data FROM source_records WHERE work_id=? ORDER BY id", (work_id,)).fetchall()
        uid = self.db.execute("SELECT uid FROM works WHERE id=?", (work_id,)).fetchone()[0]
        sources = [(sid, load_record(data)) for sid, data in rows]
        merged, prov = merge_records(sources)
        merged.id = uid
        keys = title_keys(merged)
        self.db.execute(
            "UPDATE works SET kind=?, year=?, title=?, title_keys=?, title_sorted=?, doi=?, first_author=?, "
            "n_sources=?, data=?, provenance=?, updated=? WHERE id=?",
            (merged.kind.value, merged.year, merged.title, "\n".join(keys), "\n".join(sorted_key(k) for k in keys),
             merged.ids.doi,
             merged.first_author_surname, len(rows), to_json(merged).decode(),
             json.dumps(prov) if prov else None, now(), work_id))
        self.db.execute("DELETE FROM identifiers WHERE work_id=?", (work_id,))
        self.db.execute("DELETE FROM blocks WHERE work_id=?", (work_id,))
        # its affiliations may have changed: the regions stage places the work again
        self.db.execute("DELETE FROM region_placements WHERE work_id=?", (work_id,))
        self._index(work_id, merged, keys)
        for _, rec in sources:  # every source's identifiers stay findable, even if not shown
            self.db.executemany(
                "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
                [(s, v, work_id) for s, v in rec.ids.pairs()])
        return uid
