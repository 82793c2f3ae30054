"""Adding records to the corpus: exact and fuzzy dedup, and merge.

Records arrive in chunks (:meth:`Ingestor.add_many`): duplicates, identifier hits
and fuzzy candidates of a whole chunk are looked up with a few set-based queries,
new works are written with ``executemany``, and only records that merge into an
existing work take the slower per-record path that rebuilds the work.  Records
within one chunk are matched against each other too, so chunking never changes
the result.

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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from bibmine.corpus.dedup import (
    Candidate,
    DedupConfig,
    blocking_keys,
    ids_conflict,
    key_sets,
    title_keys,
    title_score,
)
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


class Prepared(msgspec.Struct, array_like=True):
    """A record reduced to what matching and writing need, all computed once.

    Plain values only, so a reader process can prepare records and send them to
    the process that writes the corpus (see :mod:`bibmine.corpus.importer`).
    """

    fmt: str
    raw: str
    fingerprint: str
    data: str  # the record as JSON, its id set to the uid it gets if it is new
    keys: list[str]  # comparable title keys
    pairs: list[tuple[str, str]]  # identifiers
    surname: str | None
    year: int | None
    kind: str
    title: str | None
    doi: str | None
    lookup: list[str]  # blocking keys to search, across tolerated years
    blocks: list[str]  # blocking keys to file the record under
    rubrics: list[tuple[str, str, str, str, float | None]]  # scheme, code, source, annotator, score
    candidates: list[Candidate] = []
    id_hit: tuple[str, int] | None = None

    @property
    def uid(self) -> str:
        return "bm" + self.fingerprint[:16]


def prepare(record: Record, default_format: str, tolerance: int) -> Prepared:
    """Everything the corpus needs to know of a record before it meets the database."""
    fmt = record.source or default_format
    raw = record.raw if record.raw is not None else to_json(record).decode()
    fingerprint = hashlib.sha1(f"{fmt}\0{raw}".encode()).hexdigest()
    record = msgspec.structs.replace(record, raw=None, id="bm" + fingerprint[:16])
    keys = title_keys(record)
    lookup, blocks = key_sets(record, keys, tolerance)
    rubrics = [(r.scheme, r.code, r.source, r.annotator or "", r.score)
               for r in record.rubrics if r.source in _TABLE_RUBRIC_SOURCES]
    return Prepared(fmt, raw, fingerprint, to_json(record).decode(), keys, record.ids.pairs(),
                    record.first_author_surname, record.year, record.kind.value, record.title, record.ids.doi,
                    lookup, sorted(blocks), rubrics)


class Ingestor:
    """Adds records to a corpus; call inside a transaction (the importer does)."""

    def __init__(self, corpus: Corpus, config: DedupConfig | None = None, *, fuzzy: bool = True):
        self.corpus = corpus
        self.db = corpus.db
        self.config = config or DedupConfig()
        self.fuzzy = fuzzy

    # ------------------------------------------------------------ adding
    def add(self, record: Record, batch: Batch) -> AddResult:
        return self.add_many([record], batch)[0]

    def add_many(self, records: Sequence[Record], batch: Batch) -> list[AddResult]:
        """Add a chunk of records (a few thousand at most); one result per record, in order."""
        tolerance = self.config.year_tolerance
        return self.add_prepared([prepare(r, batch.kind, tolerance) for r in records], batch)

    def add_prepared(self, items: list[Prepared], batch: Batch) -> list[AddResult]:
        """:meth:`add_many` for records already :func:`prepare`-d (perhaps in another process)."""
        known = self._known_fingerprints([it.fingerprint for it in items])
        self._lookup_ids(items)
        if self.fuzzy:
            self._lookup_candidates([it for it in items if it.id_hit is None and it.keys])
        stamp = now()
        next_id = (self.db.execute("SELECT max(id) FROM works").fetchone()[0] or 0) + 1
        pending: list[tuple[int, Prepared]] = []  # new works not yet written
        local_ids: dict[tuple[str, str], int] = {}  # identifiers seen in this chunk -> work id
        local_blocks: dict[str, list[Candidate]] = defaultdict(list)
        results: list[AddResult] = []
        for it in items:
            batch.n_read += 1
            if it.fingerprint in known:
                batch.n_duplicate += 1
                results.append(AddResult("duplicate", known[it.fingerprint]))
                continue
            target, rule, score = self._match_item(it, local_ids, local_blocks)
            if target is None:
                uid = it.uid
                target = next_id
                next_id += 1
                pending.append((target, it))
                known[it.fingerprint] = uid
                batch.n_new += 1
                results.append(AddResult("new", uid))
            else:
                if pending and any(wid == target for wid, _ in pending):
                    self._write_new(pending, batch, stamp)
                    pending = []
                uid = self._merge_into(target, it, batch, rule, score)
                known[it.fingerprint] = uid
                batch.n_merged += 1
                results.append(AddResult("merged", uid, rule, score))
            for pair in it.pairs:
                local_ids.setdefault(pair, target)
            cand = Candidate(target, it.year, it.keys, it.surname)
            for key in it.blocks:
                local_blocks[key].append(cand)
        if pending:
            self._write_new(pending, batch, stamp)
        return results

    # ------------------------------------------------------------ set-based lookups
    def _known_fingerprints(self, fingerprints: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        out.update(_select_in(self.db, "SELECT s.fingerprint, w.uid FROM source_records s JOIN works w "
                              "ON w.id=s.work_id WHERE s.fingerprint IN ({})", fingerprints))
        return out

    def _lookup_ids(self, items: list[Prepared]) -> None:
        probe = [(scheme, value, n) for n, it in enumerate(items) for scheme, value in it.pairs]
        if not probe:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS probe_ids(scheme TEXT, value TEXT, n INTEGER)")
        self.db.execute("DELETE FROM probe_ids")
        self.db.executemany("INSERT INTO probe_ids VALUES (?,?,?)", probe)
        rows = self.db.execute(
            "SELECT p.n, p.scheme, i.work_id FROM probe_ids p JOIN identifiers i "
            "ON i.scheme=p.scheme AND i.value=p.value ORDER BY p.rowid").fetchall()
        for n, scheme, work_id in rows:
            if items[n].id_hit is None:
                items[n].id_hit = (scheme, work_id)

    def _lookup_candidates(self, items: list[Prepared]) -> None:
        wanted: dict[str, list[int]] = defaultdict(list)
        for n, it in enumerate(items):
            for key in it.lookup:
                wanted[key].append(n)
        if not wanted:
            return
        # Blocks first (one indexed IN list), then the few works they name: most keys find nothing.
        hits: dict[int, list[str]] = defaultdict(list)
        keys = list(wanted)
        for key, wid in _select_in(self.db, "SELECT key, work_id FROM blocks WHERE key IN ({})", keys):
            hits[wid].append(key)
        if not hits:
            return
        found: dict[int, Candidate] = {}
        ids = list(hits)
        for wid, year, tk, fa in _select_in(
                self.db, "SELECT id, year, title_keys, first_author FROM works WHERE id IN ({})", ids):
            found[wid] = Candidate(wid, year, (tk or "").split("\n"), fa)
        for wid, matched in hits.items():
            cand = found.get(wid)
            if cand is None:
                continue
            for n in {n for key in matched for n in wanted[key]}:
                if len(items[n].candidates) < self.config.max_candidates:
                    items[n].candidates.append(cand)

    # ------------------------------------------------------------ matching
    def _match_item(self, it: Prepared, local_ids: dict, local_blocks: dict
                    ) -> tuple[int | None, str | None, float | None]:
        if it.id_hit is not None:
            return it.id_hit[1], it.id_hit[0], 1.0
        for pair in it.pairs:
            if pair in local_ids:
                return local_ids[pair], pair[0], 1.0
        if not self.fuzzy or not it.keys:
            return None, None, None
        cands = list(it.candidates)
        for key in it.lookup:
            cands.extend(local_blocks.get(key, ()))
        return self._best(it.year, it.keys, it.surname, cands, it.pairs)

    def _best(self, year: int | None, keys: list[str], surname: str | None, cands: list[Candidate],
              pairs: list[tuple[str, str]]) -> tuple[int | None, str | None, float | None]:
        best: tuple[float, int] | None = None
        ids = dict(pairs)
        for cand in cands:
            score = title_score(keys, year, surname, cand, self.config)
            if score is None or (best is not None and score <= best[0]):
                continue
            if ids and ids_conflict(ids, self._ids_of(cand.work_id)):
                continue  # two different DOIs (or UTs...) are two works
            best = (score, cand.work_id)
        if best is None:
            return None, None, None
        return best[1], "fuzzy_title", best[0] / 100.0

    def best_fuzzy(self, record: Record, keys: list[str], *, before: int | None = None
                   ) -> tuple[int | None, str | None, float | None]:
        """The most similar stored work passing every guard (only works with id < ``before`` if set)."""
        lookup = key_sets(record, keys, self.config.year_tolerance)[0]
        if not lookup:
            return None, None, None
        rows = self.db.execute(
            "SELECT DISTINCT w.id, w.year, w.title_keys, w.first_author FROM blocks b JOIN works w ON w.id=b.work_id "
            "WHERE b.key IN (" + ",".join("?" * len(lookup)) + ") LIMIT ?",
            (*lookup, self.config.max_candidates)).fetchall()
        limit = before if before is not None else 1 << 62
        cands = [Candidate(wid, y, (tk or "").split("\n"), fa) for wid, y, tk, fa in rows if wid < limit]
        return self._best(record.year, keys, record.first_author_surname, cands, record.ids.pairs())

    def _ids_of(self, work_id: int) -> dict[str, str]:
        return dict(self.db.execute("SELECT scheme, value FROM identifiers WHERE work_id=?", (work_id,)).fetchall())

    # ------------------------------------------------------------ writing
    def _write_new(self, pending: list[tuple[int, Prepared]], batch: Batch, stamp: str) -> None:
        self.db.executemany(
            "INSERT INTO works(id, uid, kind, year, title, title_keys, doi, first_author, n_sources, data, updated) "
            "VALUES (?,?,?,?,?,?,?,?,1,NULL,?)",  # data NULL: read from the one source record (view work_data)
            [(wid, it.uid, it.kind, it.year, it.title, "\n".join(it.keys), it.doi, it.surname, stamp)
             for wid, it in pending])
        self.db.executemany(
            "INSERT INTO source_records(work_id, batch_id, format, fingerprint, data, raw) VALUES (?,?,?,?,?,?)",
            [(wid, batch.id, it.fmt, it.fingerprint, it.data, it.raw) for wid, it in pending])
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
            [(s, v, wid) for wid, it in pending for s, v in it.pairs])
        self.db.executemany(
            "INSERT OR IGNORE INTO blocks(key, work_id) VALUES (?,?)",
            [(k, wid) for wid, it in pending for k in it.blocks])
        rubric_rows = [(wid, *r, batch.id, stamp) for wid, it in pending for r in it.rubrics]
        if rubric_rows:
            self._insert_rubrics(rubric_rows)

    def _merge_into(self, work_id: int, it: Prepared, batch: Batch, rule: str, score: float) -> str:
        cur = self.db.execute(
            "INSERT INTO source_records(work_id, batch_id, format, fingerprint, data, raw) VALUES (?,?,?,?,?,?)",
            (work_id, batch.id, it.fmt, it.fingerprint, it.data, it.raw))
        self.db.execute(
            "INSERT INTO merges(work_id, source_record_id, rule, score, detail, created) VALUES (?,?,?,?,?,?)",
            (work_id, cur.lastrowid, rule, score, None, now()))
        uid = self.rebuild(work_id)
        if it.rubrics:
            self._insert_rubrics([(work_id, *r, batch.id, now()) for r in it.rubrics])
        return uid

    def insert_single_work(self, uid: str, record: Record) -> int:
        """A new work row for one record (used when a merge is undone)."""
        keys = title_keys(record)
        cur = self.db.execute(
            "INSERT INTO works(uid, kind, year, title, title_keys, doi, first_author, n_sources, data, updated) "
            "VALUES (?,?,?,?,?,?,?,1,?,?)",
            (uid, record.kind.value, record.year, record.title, "\n".join(keys), record.ids.doi,
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
        rows = self.db.execute(
            "SELECT id, data FROM source_records WHERE work_id=? ORDER BY id", (work_id,)).fetchall()
        uid = self.db.execute("SELECT uid FROM works WHERE id=?", (work_id,)).fetchone()[0]
        sources = [(sid, from_json(data)) for sid, data in rows]
        merged, prov = merge_records(sources)
        merged.id = uid
        keys = title_keys(merged)
        self.db.execute(
            "UPDATE works SET kind=?, year=?, title=?, title_keys=?, doi=?, first_author=?, n_sources=?, "
            "data=?, provenance=?, updated=? WHERE id=?",
            (merged.kind.value, merged.year, merged.title, "\n".join(keys), merged.ids.doi,
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


IN_SIZE = 512  # parameters per IN list


def _select_in(db, sql: str, values: list) -> list[tuple]:
    """Rows of ``sql`` (with one ``IN ({})``) for every value, IN_SIZE values per query.

    The last group is padded with NULLs (which match nothing) so that every query has the
    same text: SQLite's statement cache then holds one statement, where varying lengths
    made it hold up to 128 large ones (measured: memory grew with the file's size).
    """
    statement = sql.format(",".join("?" * IN_SIZE))
    rows: list[tuple] = []
    for i in range(0, len(values), IN_SIZE):
        part = values[i:i + IN_SIZE]
        rows.extend(db.execute(statement, part + [None] * (IN_SIZE - len(part))).fetchall())
    return rows
