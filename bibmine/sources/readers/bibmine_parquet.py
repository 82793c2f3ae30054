"""bibmine's own Parquet exchange (``bibmine export --format parquet``), read back by ``bibmine import DIR``.

A dataset is a folder, not a text file, so it is recognised by its manifest
(:func:`bibmine.corpus.parquet.is_dataset`) before any text sniffing; ``sniff`` never claims a
text file.  Each work comes back from its ``record`` column exactly as it was exported, with its
placements and rubric assignments; a row whose JSON does not decode is rejected with its part and
row.  See :mod:`bibmine.corpus.parquet` for the layout.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from bibmine.corpus.parquet import iter_part_json, open_dataset
from bibmine.record import Reject, from_json
from bibmine.sources.readers.base import ReaderSpec, ReadResult

NAME = "bibmine_parquet"


def sniff(head: str, path: Path) -> bool:
    return False  # binary: found by its manifest in open_export


def read(path: Path, encoding: str) -> ReadResult:
    for part, row, text in iter_part_json(open_dataset(path)):
        try:
            record = from_json(text)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            yield Reject(location=f"{part} row {row}", reason=f"record JSON does not decode: {exc}", raw=text)
            continue
        record.raw = text
        record.source = NAME
        yield record


READERS = [ReaderSpec(NAME, "bibmine Parquet dataset", sniff, read, priority=5)]
