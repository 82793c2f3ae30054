"""Adding records to the corpus: exact and fuzzy dedup, merge, and undo.

>>> import tempfile, pathlib
>>> from bibmine.corpus.model import Record, Kind, Text, Identifiers
>>> from bibmine.corpus.store import Corpus
>>> c = Corpus(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
>>> ing = Ingestor(c)
>>> b = c.start_batch("file", "x.ris")
>>> r = Record(kind=Kind.ARTICLE, titles=[Text("Soil cover of Voronezh region")],
...            ids=Identifiers(doi="10.1/x"), year=2020, raw="TY  - JOUR", source="ris")
>>> ing.add(r, b).outcome, ing.add(r, b).outcome
('new', 'duplicate')
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import msgspec

from bibmine.corpus.dedup import Candidate, DedupConfig, blocking_keys, fuzzy_score, title_keys
from bibmine.corpus.merge import merge_records
from bibmine.corpus.model import Record, from_json, to_json
from bibmine.corpus.store import Batch, Corpus, now

# Rubric assignments that go to the rubric_assignments table (vendor classifications
# such as WoS categories or OpenAlex topics stay in the record only).
_TABLE_RUBRIC_SOURCES = ("manual", "automatic")


@dataclass(frozen=True)
class AddResult:
    outcome: str  # new | merged | duplicate
    uid: str
    rule: str | None = None
    score: float | None = None


class Ingestor:
    """Adds records to a corpus one at a time; call inside a transaction for speed."""

    def __init__(self, corpus: Corpus, config: DedupConfig | None = None, *, fuzzy: bool = True):
        self.corpus = corpus
        self.db = corpus.db
        self.config = config or DedupConfig()
        self.fuzzy = fuzzy

    # ------------------------------------------------------------ adding
    def add(self, record: Record, batch: Batch, location: str | None = None) -> AddResult:
        batch.n_read += 1
        fmt = record.source or batch.kind
        raw = record.raw if record.raw is not None else to_json(record).decode()
        fingerprint = hashlib.sha1(f"{fmt}\0{raw}".encode()).hexdigest()
        row = self.db.execute(
            "SELECT w.uid FROM source_records s JOIN works w ON w.id=s.work_id WHERE s.fingerprint=?",
            (fingerprint,),
        ).fetchone()
        if row:
            batch.n_duplicate += 1
            return AddResult("duplicate", row[0])
        record = msgspec.structs.replace(record, raw=None)
        keys = title_keys(record)
        work_id, rule, score = self._match(record, keys)
        if work_id is None:
            uid = "bm" + fingerprint[:16]
            record.id = uid
            work_id = self._insert_work(uid, record, keys, None)
            sid = self._insert_source(work_id, batch, fmt, fingerprint, record, raw)
            self._index(work_id, record, keys)
            self._store_rubrics(work_id, record, batch)
            batch.n_new += 1
            return AddResult("new", uid)
        sid = self._insert_source(work_id, batch, fmt, fingerprint, record, raw)
        self.db.execute(
            "INSERT INTO merges(work_id, source_record_id, rule, score, detail, created) VALUES (?,?,?,?,?,?)",
            (work_id, sid, rule, score, None, now()),
        )
        uid = self.rebuild(work_id)
        self._store_rubrics(work_id, record, batch)
        batch.n_merged += 1
        return AddResult("merged", uid, rule, score)

    def _match(self, record: Record, keys: list[str]) -> tuple[int | None, str | None, float | None]:
        for scheme, value in record.ids.pairs():
            hit = self.db.execute(
                "SELECT work_id FROM identifiers WHERE scheme=? AND value=?", (scheme, value)
            ).fetchone()
            if hit:
                return hit[0], scheme, 1.0
        if not self.fuzzy or not keys:
            return None, None, None
        best: tuple[float, int] | None = None
        ids = dict(record.ids.pairs())
        surname = record.first_author_surname
        for cand in self._candidates(blocking_keys(record, keys)):
            score = fuzzy_score(keys, record.year, surname, ids, cand, self.config)
            if score is not None and (best is None or score > best[0]):
                best = (score, cand.work_id)
        if best is None:
            return None, None, None
        return best[1], "fuzzy_title", best[0] / 100.0

    def _candidates(self, keys: set[str], exclude: int | None = None) -> list[Candidate]:
        if not keys:
            return []
        ids: set[int] = set()
        for key in keys:
            rows = self.db.execute(
                "SELECT work_id FROM blocks WHERE key=? LIMIT ?", (key, self.config.max_candidates)
            ).fetchall()
            ids.update(r[0] for r in rows)
        ids.discard(exclude)
        out = []
        for wid in sorted(ids):
            row = self.db.execute(
                "SELECT year, title_keys, first_author FROM works WHERE id=?", (wid,)
            ).fetchone()
            if row is None:
                continue
            cand_ids = dict(self.db.execute(
                "SELECT scheme, value FROM identifiers WHERE work_id=?", (wid,)).fetchall())
            out.append(Candidate(wid, row[0], (row[1] or "").split("\n"), row[2], cand_ids))
        return out

    # ------------------------------------------------------------ rows
    def _insert_work(self, uid: str, record: Record, keys: list[str], provenance: dict | None) -> int:
        cur = self.db.execute(
            "INSERT INTO works(uid, kind, year, title, title_keys, doi, first_author, n_sources, data, "
            "provenance, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (uid, record.kind.value, record.year, record.title, "\n".join(keys), record.ids.doi,
             record.first_author_surname, 1, to_json(record).decode(),
             json.dumps(provenance) if provenance else None, now()),
        )
        return cur.lastrowid

    def _insert_source(self, work_id: int, batch: Batch, fmt: str, fingerprint: str, record: Record,
                       raw: str) -> int:
        cur = self.db.execute(
            "INSERT INTO source_records(work_id, batch_id, format, fingerprint, data, raw) VALUES (?,?,?,?,?,?)",
            (work_id, batch.id, fmt, fingerprint, to_json(record).decode(), raw),
        )
        return cur.lastrowid

    def _index(self, work_id: int, record: Record, keys: list[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
            [(s, v, work_id) for s, v in record.ids.pairs()],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO blocks(key, work_id) VALUES (?,?)",
            [(k, work_id) for k in blocking_keys(record, keys)],
        )

    def _store_rubrics(self, work_id: int, record: Record, batch: Batch | None) -> None:
        rows = [
            (work_id, r.scheme, r.code, r.source, r.annotator or "", r.score, batch.id if batch else None, now())
            for r in record.rubrics if r.source in _TABLE_RUBRIC_SOURCES
        ]
        if rows:
            self.db.executemany(
                "INSERT OR IGNORE INTO rubric_assignments(work_id, scheme, code, source, annotator, score, "
                "batch_id, created) VALUES (?,?,?,?,?,?,?,?)", rows)

    def rebuild(self, work_id: int) -> str:
        """Recompute a work's shown values and index rows from its source records."""
        rows = self.db.execute(
            "SELECT id, data FROM source_records WHERE work_id=? ORDER BY id", (work_id,)
        ).fetchall()
        uid = self.db.execute("SELECT uid FROM works WHERE id=?", (work_id,)).fetchone()[0]
        merged, prov = merge_records([(sid, from_json(data)) for sid, data in rows])
        merged.id = uid
        keys = title_keys(merged)
        self.db.execute(
            "UPDATE works SET kind=?, year=?, title=?, title_keys=?, doi=?, first_author=?, n_sources=?, "
            "data=?, provenance=?, updated=? WHERE id=?",
            (merged.kind.value, merged.year, merged.title, "\n".join(keys), merged.ids.doi,
             merged.first_author_surname, len(rows), to_json(merged).decode(),
             json.dumps(prov) if prov else None, now(), work_id),
        )
        self.db.execute("DELETE FROM identifiers WHERE work_id=?", (work_id,))
        self.db.execute("DELETE FROM blocks WHERE work_id=?", (work_id,))
        self._index(work_id, merged, keys)
        for _, data in rows:  # a source's identifiers stay findable even if not shown
            self._index_ids_only(work_id, from_json(data))
        return uid

    def _index_ids_only(self, work_id: int, record: Record) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
            [(s, v, work_id) for s, v in record.ids.pairs()],
        )
