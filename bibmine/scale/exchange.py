"""The Parquet dataset a corpus-backed ``--engine`` command hands to its workers.

The corpus is exported afresh (so the workers see what the corpus holds now) into a new folder
under ``exchange`` - by default ``<corpus file>.exchange/`` beside it.  On a multi-node cluster
``exchange`` must be a folder every worker can read (a shared filesystem).  The folder is removed
when the command ends, unless ``keep`` is set.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bibmine.corpus.parquet import DEFAULT_PART_SIZE, Dataset, open_dataset, write_parquet
from bibmine.corpus.store import Corpus


def default_exchange(corpus: Corpus) -> Path:
    return corpus.path.with_name(corpus.path.name + ".exchange")


@contextmanager
def corpus_dataset(corpus: Corpus, exchange: str | Path | None = None, *, part_size: int = DEFAULT_PART_SIZE,
                   keep: bool = False) -> Iterator[Dataset]:
    """Export ``corpus`` into a new dataset folder and yield it opened."""
    root = Path(exchange) if exchange else default_exchange(corpus)
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="dataset-", dir=root))
    try:
        write_parquet(corpus.iter_works(), folder, part_size=part_size)
        yield open_dataset(folder)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=False)
            if root == default_exchange(corpus) and not any(root.iterdir()):
                root.rmdir()


@contextmanager
def distributed(corpus: Corpus, engine: str, scheduler: str | None = None, workers: int | None = None,
                exchange: str | Path | None = None, part_size: int = DEFAULT_PART_SIZE):
    """``(dataset, engine)`` for a corpus-backed ``--engine`` command: the corpus exported for the
    workers, and the engine started; both cleaned up when the command ends."""
    from bibmine.scale.engine import open_engine

    with corpus_dataset(corpus, exchange, part_size=part_size) as dataset, \
            open_engine(engine, scheduler, workers) as running:
        yield dataset, running
