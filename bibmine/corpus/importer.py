"""Import export files into the corpus: one batch per file, rejects to quarantine.

The one module of :mod:`bibmine.corpus` that uses the file readers (:mod:`bibmine.sources`): it opens each
file (format and encoding detected) and hands the chosen reader to :mod:`bibmine.corpus.pipeline`.  The
rest of the corpus imports no reader, and the readers import only the record model (:mod:`bibmine.record`),
so importing ``bibmine.corpus`` loads no reader (tests/test_layers.py).

>>> # see tests/corpus/test_import_paths.py for full examples
"""

from __future__ import annotations

import fcntl
import gc
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bibmine.corpus.dedup import DedupConfig
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.parquet import ParquetSchemaError, open_dataset
from bibmine.corpus.pipeline import Chunk, read_chunks
from bibmine.corpus.store import Corpus, file_sha256
from bibmine.sources.encoding import EncodingError, bytes_decoded
from bibmine.sources.files import UnknownFormatError, open_export

COMMIT_EVERY = 20000  # records per transaction
IDLE_COMMIT_MIN = 1000  # records written since the last commit before an idle writer commits and checkpoints


class DiskFullError(RuntimeError):
    """The disk (or the corpus's size limit) is full: the import stopped, the corpus is as of the last commit."""


@dataclass
class FileReport:
    """What happened to one file: the counts the CLI prints, and any file-level error."""

    path: Path
    format: str | None = None
    encoding: str | None = None
    read: int = 0
    new: int = 0
    merged: int = 0
    duplicate: int = 0
    rejected: int = 0
    error: str | None = None
    rejects: list[str] = field(default_factory=list)  # first few reasons, for the console

    @property
    def ok(self) -> bool:
        return self.error is None and self.rejected == 0


def import_files(
    corpus: Corpus,
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    config: DedupConfig | None = None,
    fuzzy: bool = True,
    on_record: Callable[[Path, int], None] | None = None,
    processes: int | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_progress: Callable[[Path, int, int | None, int | None], None] | None = None,
) -> list[FileReport]:
    """Import each file; a bad file or record never stops the others.

    ``on_record(path, n)`` is called after every chunk for progress display, and
    ``on_progress(path, n, bytes_read, bytes_total)`` with how far into the file that is (both None
    where the reader does not tell: JSON, Parquet);
    ``processes``: 1 = read in this process, 2 = a reader process, None = by file size;
    ``on_wait(message)`` when another import holds the corpus and this one waits.
    A full disk stops the import with :class:`DiskFullError` (the corpus stays valid,
    as of its last commit; each batch row says what was really stored).
    """
    ingestor = Ingestor(corpus, config, fuzzy=fuzzy)
    with import_lock(corpus.path, on_wait), corpus.bulk_writes(), gc_paused():
        return [import_file(corpus, ingestor, Path(p), format=format, on_record=on_record, processes=processes,
                            on_progress=on_progress)
                for p in paths]


@contextmanager
def import_lock(path: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One import at a time per corpus: a second one waits for the first, then runs (both land).

    SQLite lets one writer in at a time; an import that commits every few thousand
    records would otherwise starve a waiting one or hit "database is locked".  The lock
    is a POSIX record lock on ``<corpus>.lock`` (a file bibmine creates): released when the
    process ends, even by kill -9, and not inherited by the reader process it forks (a
    ``flock`` would be, and an orphaned reader would hold the corpus forever).
    """
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if on_wait:
                on_wait(f"waiting for another import into {path} ({holder}) to finish")
            fcntl.lockf(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.lockf(fh, fcntl.LOCK_UN)


@contextmanager
def gc_paused():
    """Keep the cyclic garbage collector off the objects that exist before a bulk import, and off the
    long-lived ones it builds.

    Import allocates millions of short-lived objects, and each full collection would
    rescan every long-lived object of the loaded libraries too (measured: a quarter of
    the import time).  ``gc.freeze`` sets those aside; new objects are still collected.
    Full collections are held off until the import ends as well: the candidate cache (tens of
    thousands of works) was rescanned by each of them (measured: 0.5 s of 4.6 s on 20,000 real
    WoS records).  Young objects are still collected as usual; records, keys and candidates
    form no reference cycles (a collection after a 20,000-record import found nothing unreachable), so
    nothing waits for the full collection that the end of the import allows again.
    """
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], FULL_GC_AFTER)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


FULL_GC_AFTER = 1 << 30  # gen-1 collections before a full one while an import runs: in effect, none


def import_file(corpus: Corpus, ingestor: Ingestor, path: Path, *, format: str | None = None,
                on_record: Callable[[Path, int], None] | None = None, processes: int | None = None,
                on_progress: Callable[[Path, int, int | None, int | None], None] | None = None) -> FileReport:
    report = FileReport(path)
    try:
        opened = open_export(path, format)
    except (UnknownFormatError, EncodingError, KeyError, ParquetSchemaError) as exc:
        report.error = str(exc).strip("'\"")
        _record_failed_file(corpus, path, report.error)
        return report
    except OSError as exc:
        report.error = f"{path}: cannot read: {exc.strerror or exc}"
        _record_failed_file(corpus, path, report.error)
        return report
    report.format, report.encoding = opened.reader.name, opened.encoding
    batch = corpus.start_batch("file", str(path), format=opened.reader.name, encoding=opened.encoding,
                               sha256=dataset_sha256(path))
    db = corpus.db
    size = path.stat().st_size if on_progress and path.is_file() else None
    db.execute("BEGIN IMMEDIATE")
    n = since_commit = 0
    committed = _counts(batch)

    def on_idle() -> None:
        # the reader process is behind: commit and copy the log into the database file now, while
        # this process would wait anyway, instead of all at once when the import ends
        nonlocal since_commit, committed
        if since_commit >= IDLE_COMMIT_MIN:
            db.execute("COMMIT")
            committed = _counts(batch)
            corpus.checkpoint()
            db.execute("BEGIN IMMEDIATE")
            since_commit = 0

    try:
        for chunk in read_chunks(path, opened.reader, opened.encoding, default_format=opened.reader.name,
                                 tolerance=ingestor.config.year_tolerance, processes=processes,
                                 on_idle=on_idle, position=bytes_decoded):
            for reject in chunk.rejects:
                batch.n_read += 1
                corpus.quarantine(batch, str(path), reject.location, reject.reason, reject.raw)
                if len(report.rejects) < 5:
                    report.rejects.append(f"{reject.location}: {reject.reason}")
            if chunk.items:
                ingestor.add_prepared(chunk.items, batch)
            n += len(chunk.items) + len(chunk.rejects)
            since_commit += len(chunk.items) + len(chunk.rejects)
            if since_commit >= COMMIT_EVERY:
                db.execute("COMMIT")
                committed = _counts(batch)
                db.execute("BEGIN IMMEDIATE")
                since_commit = 0
            if on_record:
                on_record(path, n)
            if on_progress:
                on_progress(path, n, chunk.position, size if chunk.position is not None else None)
            if chunk.stopped:
                # The reader could not go on (bytes that do not decode, a file cut short):
                # what was read stays, and the failure is quarantined with where it happened.
                where = f"after record {n}"
                batch.error = f"{path}: reading stopped {where}: {chunk.stopped}"
                corpus.quarantine(batch, str(path), where, f"reading stopped: {chunk.stopped}", None)
                report.error = batch.error
        db.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        _roll_back(db, batch, committed)
        if not _is_disk_full(exc):
            raise
        batch.error = (f"{path}: the disk is full ({exc}); stopped after {batch.n_read} records, "
                       f"{batch.n_new + batch.n_merged} stored; free space and import the file again")
        report.error = batch.error
        _finish(corpus, batch, "failed")
        raise DiskFullError(batch.error) from None
    except BaseException as exc:
        _roll_back(db, batch, committed)
        batch.error = batch.error or f"{path}: import stopped: {type(exc).__name__}: {exc}"
        _finish(corpus, batch, "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
        raise
    _finish(corpus, batch, None)
    report.read, report.new, report.merged = batch.n_read, batch.n_new, batch.n_merged
    report.duplicate, report.rejected = batch.n_duplicate, batch.n_rejected
    return report


def file_chunks(path: Path, format: str | None = None, *, tolerance: int = 0, processes: int | None = 1
                ) -> Iterator[Chunk]:
    """A file's records prepared as an import prepares them (fingerprints, keys), with its rejects, in
    chunks in file order; nothing is stored (``bibmine.corpus.dedup_eval`` reads labelled files so)."""
    opened = open_export(path, format)
    return read_chunks(path, opened.reader, opened.encoding, default_format=opened.reader.name,
                       tolerance=tolerance, processes=processes)


def dataset_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a Parquet dataset's manifest (which holds each part's digest)."""
    if path.is_dir():
        return open_dataset(path).sha256()
    return file_sha256(path)


def _record_failed_file(corpus: Corpus, path: Path, error: str) -> None:
    batch = corpus.start_batch("file", str(path))
    batch.error = error
    corpus.finish_batch(batch)


def _counts(batch) -> tuple[int, int, int, int, int]:
    return batch.n_read, batch.n_new, batch.n_merged, batch.n_duplicate, batch.n_rejected


def _roll_back(db: sqlite3.Connection, batch, committed: tuple) -> None:
    """Undo the open transaction; the batch's counters go back to what was committed."""
    if db.in_transaction:
        db.execute("ROLLBACK")
    batch.n_read, batch.n_new, batch.n_merged, batch.n_duplicate, batch.n_rejected = committed


def _finish(corpus: Corpus, batch, status: str | None) -> None:
    try:
        corpus.finish_batch(batch, status)
    except sqlite3.OperationalError as exc:
        if not _is_disk_full(exc):
            raise
        # No room even for the batch row: it stays 'running' and the next open marks it
        # interrupted with the counts of what was committed.


def _is_disk_full(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(exc)
