"""Read and prepare records in a second process while this one writes the corpus.

Parsing an export and preparing its records (fingerprints, title and blocking keys,
JSON) costs about as much CPU as matching and writing them; on a machine with two
or more cores a reader process does the first half, packing each record too
(:mod:`bibmine.corpus.rawtext`): packed records are a third of the bytes to send.  (Leaving the
packing to the writer while it waited for the reader was tried: the larger chunks cost both
processes more to send and receive than the packing saved.)  It sends chunks of
:class:`~bibmine.corpus.ingest.Prepared` records and rejects, msgpack-encoded,
through a bounded queue (so memory stays flat however large the file).  Both paths
yield the same chunks, so results do not depend on which one ran.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from queue import Full
from typing import Protocol

import msgspec

from bibmine.corpus.ingest import Prepared, prepare
from bibmine.record import Record, Reject

CHUNK = 1000  # records matched and written together
KEYS_CHECK = 100  # records between two looks at which process is behind (see _produce)
QUEUE_CHUNKS = 4  # chunks the reader process may be ahead of the writer


class FileReader(Protocol):
    """What a file reader offers here (``bibmine.sources.readers.base.ReaderSpec`` does)."""

    name: str

    def read(self, path: Path, encoding: str) -> Iterable[Record | Reject]: ...

MIN_BYTES_FOR_PROCESS = 1 << 20  # below 1 MiB a second process costs more than it saves


class Chunk(msgspec.Struct, array_like=True):
    items: list[Prepared]
    rejects: list[Reject]
    stopped: str | None = None  # the reader could not go on (bad bytes, a cut file): why
    crashed: str | None = None  # a bug in a reader: its traceback
    position: int | None = None  # bytes of the file read so far (None: the reader does not tell)


class ReaderCrashed(RuntimeError):
    """A reader raised an unexpected exception in the reader process."""


def read_chunks(path: Path, reader: FileReader, encoding: str, *, default_format: str, tolerance: int,
                processes: int | None = None, on_idle: Callable[[], None] | None = None,
                position: Callable[[Path], int | None] = lambda path: None) -> Iterator[Chunk]:
    """Chunks of prepared records and rejects from ``path``, in file order, read by ``reader`` (the
    reader :func:`bibmine.corpus.importer.import_file` chose; this module imports no reader).

    ``processes``: 1 reads here, 2 uses a reader process; None decides by file size
    and core count.  ``on_idle()`` is called when the reader process has no chunk ready, before
    this one waits for it (the writer's chance to do work that is not on the way).  ``position(path)``:
    how many bytes of the file the reader has taken in, in the process that reads (None: not known),
    given with each chunk.
    """
    if processes is None:
        big = path.stat().st_size >= MIN_BYTES_FOR_PROCESS
        processes = 2 if big and (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods() else 1
    args = (path, reader, encoding, default_format, tolerance, position)
    if processes <= 1:
        yield from _chunks(*args)
        return
    yield from _from_process(args, on_idle)


def _chunks(path: Path, reader: FileReader, encoding: str, default_format: str, tolerance: int,
            position: Callable[[Path], int | None], writer_behind: Callable[[], bool] = lambda: True
            ) -> Iterator[Chunk]:
    """Chunks of prepared records; their title and blocking keys are computed here only while
    ``writer_behind()``, asked every :data:`KEYS_CHECK` records (else the writer computes them: see
    :func:`_produce`)."""
    items: list[Prepared] = []
    rejects: list[Reject] = []
    keyed = writer_behind()
    try:
        for n, item in enumerate(reader.read(path, encoding), 1):
            if isinstance(item, Reject):
                rejects.append(item)
            else:
                items.append(prepare(item, default_format, tolerance, compress=True, keyed=keyed))
            if len(items) + len(rejects) >= CHUNK:
                yield Chunk(items, rejects, position=position(path))
                items, rejects = [], []
            if n % KEYS_CHECK == 0:
                keyed = writer_behind()
    except (UnicodeDecodeError, ValueError, OSError, RecursionError) as exc:
        yield Chunk(items, rejects, stopped=str(exc) or type(exc).__name__, position=position(path))
        return
    yield Chunk(items, rejects, position=_size(path))


def _size(path: Path) -> int | None:
    """The whole file has been read: its size (None for a folder, a Parquet dataset)."""
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _produce(args: tuple, queue) -> None:  # runs in the reader process
    gc.freeze()  # see bibmine.corpus.importer.gc_paused
    encoder = msgspec.msgpack.Encoder()
    parent = os.getppid()
    # Which process computes the records' keys (~13 us a record) follows which one is behind: the reader
    # while a chunk waits in the queue (the writer is slower: a large corpus, RIS), else the writer, which
    # would otherwise wait for the reader (measured on realistic WoS records: 20,000 +7%, 100,000 +2% when the
    # writer always computes them, the reader then waiting for the writer)
    try:
        for chunk in _chunks(*args, writer_behind=lambda: _waiting(queue) >= 1):
            _put(queue, encoder.encode(chunk), parent)
    except _WriterGone:
        return
    except Exception:  # a reader bug: report it to the writer, which raises it
        _put(queue, encoder.encode(Chunk([], [], crashed=traceback.format_exc())), parent)
    _put(queue, None, parent)


def _waiting(queue) -> int:
    """Chunks in the queue not yet taken by the writer."""
    try:
        return queue.qsize()
    except NotImplementedError:  # macOS has no sem_getvalue
        return QUEUE_CHUNKS if queue.full() else 0


class _WriterGone(Exception):
    """The writing process died (kill -9): the reader stops instead of waiting forever."""


def _put(queue, item, parent: int) -> None:
    while True:
        try:
            queue.put(item, timeout=1.0)
            return
        except Full:
            if os.getppid() != parent:
                raise _WriterGone from None


def _from_process(args: tuple, on_idle: Callable[[], None] | None = None) -> Iterator[Chunk]:
    ctx = mp.get_context("fork")  # the child needs nothing but what is imported already
    queue = ctx.Queue(maxsize=QUEUE_CHUNKS)
    proc = ctx.Process(target=_produce, args=(args, queue), daemon=True)
    proc.start()
    decoder = msgspec.msgpack.Decoder(Chunk)
    try:
        while True:
            if on_idle is not None and queue.empty():
                on_idle()
            if (data := queue.get()) is None:
                break
            chunk = decoder.decode(data)
            if chunk.crashed:
                raise ReaderCrashed(f"{args[0]}: the {args[1].name} reader failed:\n{chunk.crashed}")
            yield chunk
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
