"""Open an export file: detect its encoding and format from content, then read it."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from bibmine.corpus.parquet import is_dataset
from bibmine.sources.encoding import detect_encoding, read_head
from bibmine.sources.readers import all_readers, reader_by_name
from bibmine.sources.readers.base import ReaderSpec, ReadResult


class UnknownFormatError(ValueError):
    """No reader recognised the file."""


class NotRegularFileError(UnknownFormatError):
    """The path is a FIFO, a device, a socket or a plain folder: reading it could block
    forever (a FIFO with no writer) or never end (/dev/zero), so it is refused unopened."""


_KINDS = (
    (stat.S_ISDIR, "a directory (give the export files inside it)"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def require_regular_file(path: Path) -> None:
    """Raise :class:`NotRegularFileError` unless ``path`` is a regular file (links followed).

    Only ``stat`` is called: nothing is opened, so a FIFO cannot hang the import.
    A missing path raises FileNotFoundError as usual.

    >>> require_regular_file(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    bibmine.sources.files.NotRegularFileError: /dev/null: not a regular file: a character device; not read
    """
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return
    kind = next((what for test, what in _KINDS if test(mode)), "not a file")
    raise NotRegularFileError(f"{path}: not a regular file: {kind}; not read")


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
    the file and every format tried when none recognises it, and
    :class:`NotRegularFileError` (before opening anything) for a FIFO, a device, a socket
    or a folder that is not a bibmine Parquet dataset.
    """
    path = Path(path)
    if path.is_dir() and is_dataset(path):  # a folder: bibmine's Parquet exchange
        return OpenedFile(path, "binary", reader_by_name("bibmine_parquet"))
    require_regular_file(path)
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


def read_records(path: str | Path, format: str | None = None) -> ReadResult:
    """Every record of an export file, in file order: :class:`~bibmine.record.Record` for
    each good one, :class:`~bibmine.record.Reject` (location, reason, raw text) for each bad one.

    Format and encoding are detected from the content unless ``format`` names a reader.
    """
    return open_export(path, format).records()
