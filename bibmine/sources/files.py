"""Open an export file: detect its encoding and format from content, then read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bibmine.corpus.parquet import is_dataset
from bibmine.sources.encoding import detect_encoding, read_head
from bibmine.sources.readers import all_readers, reader_by_name
from bibmine.sources.readers.base import ReaderSpec, ReadResult


class UnknownFormatError(ValueError):
    """No reader recognised the file."""


@dataclass(frozen=True)
class OpenedFile:
    path: Path
    encoding: str
    reader: ReaderSpec

    def records(self) -> ReadResult:
        return self.reader.read(self.path, self.encoding)


def open_export(path: str | Path, format: str | None = None) -> OpenedFile:
    """Detect encoding and format of ``path``.

    ``format`` forces a reader by name.  Raises :class:`UnknownFormatError` naming
    the file and every format tried when none recognises it.
    """
    path = Path(path)
    if is_dataset(path):  # a folder: bibmine's Parquet exchange
        return OpenedFile(path, "binary", reader_by_name("bibmine_parquet"))
    encoding = detect_encoding(path)
    if format:
        return OpenedFile(path, encoding, reader_by_name(format))
    head = read_head(path, encoding)
    tried = []
    for spec in all_readers():
        tried.append(spec.label)
        if spec.sniff(head, path):
            return OpenedFile(path, encoding, spec)
    raise UnknownFormatError(
        f"{path}: not a format bibmine reads (encoding {encoding}); tried: " + ", ".join(tried)
    )
