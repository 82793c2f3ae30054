"""The corpus: an SQLite file of works, their source records, and import batches.

>>> import tempfile, pathlib
>>> with Corpus(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite") as c:
...     c.schema_version() == LATEST_VERSION
True
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bibmine.corpus.rawtext import decode_raw, load_record, record_text
from bibmine.record import Record, RubricAssignment

DEFAULT_CORPUS = Path("corpus") / "bibmine.sqlite"
ENV_VAR = "BIBMINE_CORPUS"
# Seconds a writer waits for another writer of the same corpus (a second import running
# at the same time) before giving up; BIBMINE_BUSY_TIMEOUT overrides it.
BUSY_TIMEOUT_S = 600.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_corpus_path() -> Path:
    """``$BIBMINE_CORPUS`` if set, else ``corpus/bibmine.sqlite`` under the current directory."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_CORPUS)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("bibmine.corpus") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text("utf-8")))
    return sorted(found)


LATEST_VERSION = _migrations()[-1][0]


class SchemaTooNewError(RuntimeError):
    """The corpus file was written by a newer bibmine."""


class NotACorpusError(RuntimeError):
    """The path names a file that is not a bibmine corpus (an export, another database)."""


# tables every bibmine corpus has had since schema version 1 (migrations/0001_initial.sql)
CORPUS_TABLES = frozenset({"batches", "works", "source_records"})


def corpus_file_problem(path: Path, *, new_ok: bool = True) -> str | None:
    """None when the existing file ``path`` is a bibmine corpus; else why bibmine must not write into it.

    A corpus is an SQLite file (16-byte header ``SQLite format 3``) with a bibmine schema version
    and the corpus tables; it is opened read-only to look.  With ``new_ok`` an empty file, or an
    SQLite file with no table yet, is fine too: bibmine may fill it.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror or exc}); bibmine never overwrites it"
    if new_ok and head == b"":
        return None
    if head != SQLITE_MAGIC:
        return f"{path} exists and is not a bibmine corpus (not an SQLite file); bibmine never overwrites it"
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            # one statement, so one snapshot: read apart, a process creating the corpus in between
            # showed version 0 beside its committed tables, and the new corpus was called foreign
            version, names = db.execute(
                "SELECT (SELECT user_version FROM pragma_user_version), "
                "(SELECT json_group_array(name) FROM sqlite_master WHERE type='table')").fetchone()
            tables = set(json.loads(names))
        finally:
            db.close()
    except sqlite3.Error as exc:
        return f"{path} cannot be read as SQLite ({exc}); bibmine never overwrites it"
    if new_ok and not tables:
        return None
    if version < 1 or not tables >= CORPUS_TABLES:
        return f"{path} is an SQLite file but not a bibmine corpus (no bibmine schema); bibmine never overwrites it"
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Batch:
    """An import batch being written; counts are saved by :meth:`Corpus.finish_batch`."""

    id: int
    kind: str
    source: str
    n_read: int = 0
    n_new: int = 0
    n_merged: int = 0
    n_duplicate: int = 0
    n_rejected: int = 0
    error: str | None = None


def _wal_mode(db: sqlite3.Connection, timeout: float) -> None:
    """Switch a connection to WAL. Two processes opening a new corpus at once race for the lock this
    needs, and SQLite answers "database is locked" at once there instead of waiting its busy timeout:
    retry until the timeout is spent."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Corpus:
    """An open corpus file.  Use as a context manager; migrations run on open.

    Writes happen in explicit transactions (:meth:`transaction`) so that bulk
    imports commit once per chunk rather than once per record.
    """

    def __init__(self, path: str | Path | None = None, *, must_exist: bool = False):
        self.path = Path(path) if path else default_corpus_path()
        if must_exist and not self.path.exists():
            raise FileNotFoundError(f"no corpus at {self.path} (import files first, or pass --corpus)")
        if self.path.exists() and not self.path.is_file():
            raise NotACorpusError(f"{self.path} is not a regular file, so not a bibmine corpus")
        problem = corpus_file_problem(self.path) if self.path.exists() else None
        if problem:  # never write into a file bibmine did not create: an export, another database
            raise NotACorpusError(f"{problem}; choose another --corpus path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        timeout = float(os.environ.get("BIBMINE_BUSY_TIMEOUT") or BUSY_TIMEOUT_S)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=timeout)
        _wal_mode(self.db, timeout)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
        self.migrate()
        self.interrupted = self.mark_interrupted()

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> list[str]:
        """Apply every migration newer than the file's ``user_version``; return their names."""
        current = self.schema_version()
        if current > LATEST_VERSION:
            raise SchemaTooNewError(
                f"{self.path}: schema version {current} is newer than this bibmine ({LATEST_VERSION}); "
                "upgrade bibmine"
            )
        applied = []
        for version, name, sql in _migrations():
            if version <= current:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            if self.schema_version() >= version:  # another process migrated while we waited
                self.db.execute("COMMIT")
                continue
            try:
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={version}")
                self.db.execute("COMMIT")
            except Exception:
                self.db.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Defer automatic WAL checkpoints while a bulk import runs, then checkpoint once.

        Measured: about twice the insert throughput for multi-KB rows, since pages are
        not copied back into the database file again and again during the import.  The importer
        checkpoints (:meth:`checkpoint`) only while it waits for its reader process, so most of the log
        is copied by the time the import ends (20,000 real WoS records: 0.07 s left at the end, not 0.3 s).
        """
        self.db.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            self.db.execute("PRAGMA wal_autocheckpoint=1000")
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError as exc:
                if "full" not in str(exc):
                    raise
                # no room to copy the log back: the WAL file stays, valid, and is checkpointed later

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the database file, as far as no reader stops it
        (a passive checkpoint: it never waits)."""
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # ------------------------------------------------------------ batches
    def start_batch(
        self, kind: str, source: str, *, format: str | None = None, encoding: str | None = None,
        sha256: str | None = None,
    ) -> Batch:
        cur = self.db.execute(
            "INSERT INTO batches(kind, source, format, encoding, sha256, started, status, pid, host) "
            "VALUES (?,?,?,?,?,?,'running',?,?)",
            (kind, source, format, encoding, sha256, now(), os.getpid(), socket.gethostname()),
        )
        return Batch(id=cur.lastrowid, kind=kind, source=source)

    def finish_batch(self, batch: Batch, status: str | None = None) -> None:
        """Save a batch's counts; ``status`` defaults to 'done' ('failed' when nothing was read and it has an error)."""
        if status is None:
            status = "failed" if batch.error and batch.n_read == 0 else "done"
        self.db.execute(
            "UPDATE batches SET finished=?, n_read=?, n_new=?, n_merged=?, n_duplicate=?, n_rejected=?, "
            "error=?, status=? WHERE id=?",
            (now(), batch.n_read, batch.n_new, batch.n_merged, batch.n_duplicate, batch.n_rejected,
             batch.error, status, batch.id),
        )

    def stored_counts(self, batch_id: int) -> dict[str, int]:
        """What a batch really left in the corpus (committed rows), whatever its own counters say."""
        db = self.db
        stored = db.execute("SELECT count(*) FROM source_records WHERE batch_id=?", (batch_id,)).fetchone()[0]
        merged = db.execute(
            "SELECT count(*) FROM merges m JOIN source_records s ON s.id=m.source_record_id "
            "WHERE s.batch_id=? AND m.rule <> 'manual'", (batch_id,)).fetchone()[0]
        rejected = db.execute("SELECT count(*) FROM quarantine WHERE batch_id=?", (batch_id,)).fetchone()[0]
        return {"n_new": stored - merged, "n_merged": merged, "n_rejected": rejected}

    def mark_interrupted(self) -> list[int]:
        """Batches left 'running' by a process that no longer exists (kill -9, power cut): mark them.

        Their counts are set to what was committed; the rest of the file was never stored
        (importing it again adds it; records already stored count as duplicates).
        """
        host = socket.gethostname()
        found = []
        for batch_id, pid, bhost in self.db.execute(
                "SELECT id, pid, host FROM batches WHERE status='running'").fetchall():
            if bhost != host or pid is None or _pid_alive(pid):
                continue
            counts = self.stored_counts(batch_id)
            self.db.execute(
                "UPDATE batches SET status='interrupted', finished=?, n_new=?, n_merged=?, n_rejected=?, "
                "n_read=?, error=? WHERE id=? AND status='running'",
                (now(), counts["n_new"], counts["n_merged"], counts["n_rejected"],
                 counts["n_new"] + counts["n_merged"] + counts["n_rejected"],
                 f"interrupted: process {pid} stopped before the import finished; only what it committed "
                 "is stored (import the file again to add the rest)", batch_id))
            found.append(batch_id)
        return found

    def quarantine(self, batch: Batch | None, path: str | None, location: str | None, reason: str,
                   raw: str | None) -> None:
        self.db.execute(
            "INSERT INTO quarantine(batch_id, path, location, reason, raw, created) VALUES (?,?,?,?,?,?)",
            (batch.id if batch else None, path, location, reason, raw, now()),
        )
        if batch is not None:
            batch.n_rejected += 1

    def batches(self) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM batches ORDER BY id")

    def quarantined(self, batch_id: int | None = None) -> list[sqlite3.Row]:
        if batch_id is None:
            return self._rows("SELECT * FROM quarantine ORDER BY id")
        return self._rows("SELECT * FROM quarantine WHERE batch_id=? ORDER BY id", (batch_id,))

    # ------------------------------------------------------------ reading works
    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM works").fetchone()[0]

    def get(self, uid: str) -> Record | None:
        row = self.db.execute("SELECT data FROM work_data WHERE uid=?", (uid,)).fetchone()
        return load_record(row[0]) if row else None

    def find(self, scheme: str, value: str) -> Record | None:
        """The work holding an identifier, e.g. ``find("doi", "10.1000/x")``."""
        row = self.db.execute(
            "SELECT w.data FROM identifiers i JOIN work_data w ON w.id=i.work_id WHERE i.scheme=? AND i.value=?",
            (scheme, value),
        ).fetchone()
        return load_record(row[0]) if row else None

    def iter_works(self, *, where: str = "", params: tuple = (), chunk: int = 2000, enrich: bool = True
                   ) -> Iterator[Record]:
        """Every work as a merged Record, streamed in id order.

        ``where`` is an SQL condition on the ``work_data`` view (id, uid, kind, year, title,
        doi, n_sources) written by the caller (never built from record text), e.g.
        ``"year BETWEEN ? AND ?"``.  With ``enrich`` (the default) each record also carries
        what later stages stored: its affiliations' placements (organization, city, region,
        country) and its rubric assignments (manual and automatic).
        """
        sql = "SELECT id, data FROM work_data WHERE id > ?" + (f" AND ({where})" if where else "")
        last = 0
        while True:
            rows = self.db.execute(sql + " ORDER BY id LIMIT ?", (last, *params, chunk)).fetchall()
            if not rows:
                return
            records = [(wid, load_record(data)) for wid, data in rows]
            if enrich:
                self._enrich(records)
            for _, record in records:
                yield record
            last = rows[-1][0]

    def works_of(self, uids: Iterable[str], *, enrich: bool = True) -> Iterator[Record]:
        """The works with these ids, as :meth:`iter_works` gives them, in id order; unknown ids are left out."""
        ids = list(dict.fromkeys(uids))
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            part = ids[start:start + 500]
            yield from self.iter_works(where=f"uid IN ({','.join('?' * len(part))})", params=tuple(part),
                                       enrich=enrich)

    def work_regions(self, uids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """Regions (ISO 3166-2 codes) of each work's affiliations, as the regions stage placed them or the
        source gave them; every work, or those of ``uids``.  A work with no placed affiliation maps to []."""
        works = self.iter_works() if uids is None else self.works_of(uids)
        return {w.id: sorted({a.region for a in w.affiliations if a.region}) for w in works}

    def _enrich(self, records: list[tuple[int, Record]]) -> None:
        by_id = dict(records)
        marks = ",".join("?" * len(by_id))
        ids = tuple(by_id)
        for wid, idx, org, city, region, country in self.db.execute(
                "SELECT work_id, aff_index, organization, city, region, country FROM region_placements "
                f"WHERE work_id IN ({marks})", ids):
            affs = by_id[wid].affiliations
            if 0 <= idx < len(affs):
                a = affs[idx]
                a.organization, a.city, a.region, a.country = (org or a.organization, city or a.city,
                                                               region or a.region, country or a.country)
        for wid, scheme, code, source, annotator, score in self.db.execute(
                "SELECT work_id, scheme, code, source, annotator, score FROM rubric_assignments "
                f"WHERE work_id IN ({marks}) ORDER BY id", ids):
            rec = by_id[wid]
            if not any((r.scheme, r.code, r.source, r.annotator or "") == (scheme, code, source, annotator)
                       for r in rec.rubrics):
                rec.rubrics.append(RubricAssignment(scheme, code, source, annotator or None, score))

    def sources_of(self, uid: str) -> list[dict]:
        """Source records of a work with their batch: what each source said, and when.

        ``raw`` is the text as read and ``data`` the parsed record's JSON, unpacked where the import
        stored them packed (:mod:`bibmine.corpus.rawtext`).
        """
        rows = self._rows(
            "SELECT s.id, s.format, s.data, s.raw, s.raw_codec, b.source AS batch_source, b.kind AS batch_kind, "
            "b.sha256, b.started FROM source_records s JOIN works w ON w.id=s.work_id "
            "JOIN batches b ON b.id=s.batch_id WHERE w.uid=? ORDER BY s.id",
            (uid,),
        )
        out = []
        for row in rows:
            item = dict(row)
            item["raw"] = decode_raw(item.pop("raw"), item.pop("raw_codec"), item["data"])
            item["data"] = record_text(item["data"])
            out.append(item)
        return out

    def work_id(self, uid: str) -> int | None:
        row = self.db.execute("SELECT id FROM works WHERE uid=?", (uid,)).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------ rubric assignments
    def add_rubric(self, uid: str, scheme: str, code: str, source: str, annotator: str = "",
                   score: float | None = None, batch: Batch | None = None) -> bool:
        """Store one rubric assignment; returns False if the same assignment exists.

        Automatic assignments live in their own rows (source='automatic'), so they
        can never overwrite a manual one.
        """
        work_id = self.work_id(uid)
        if work_id is None:
            raise KeyError(f"no work with id {uid}")
        cur = self.db.execute(
            "INSERT OR IGNORE INTO rubric_assignments(work_id, scheme, code, source, annotator, score, "
            "batch_id, created) VALUES (?,?,?,?,?,?,?,?)",
            (work_id, scheme, code, source, annotator or "", score, batch.id if batch else None, now()),
        )
        return cur.rowcount == 1

    def rubrics(self, uid: str | None = None, *, scheme: str = "grnti", source: str | None = None
                ) -> list[sqlite3.Row]:
        sql = ("SELECT w.uid, r.scheme, r.code, r.source, r.annotator, r.score FROM rubric_assignments r "
               "JOIN works w ON w.id=r.work_id WHERE r.scheme=?")
        params: list = [scheme]
        if uid is not None:
            sql += " AND w.uid=?"
            params.append(uid)
        if source is not None:
            sql += " AND r.source=?"
            params.append(source)
        return self._rows(sql + " ORDER BY r.id", tuple(params))

    # ------------------------------------------------------------ helpers
    def _rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: waits for another writer, never deadlocks
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
