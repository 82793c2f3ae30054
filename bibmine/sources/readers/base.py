"""What every file reader provides, and helpers they share.

A reader is a module-level :class:`ReaderSpec`: a ``sniff`` function that looks at
the first 64 KiB of decoded text and says whether the file is in its format, and a
``read`` function that streams :class:`~bibmine.corpus.model.Record` objects (or
:class:`~bibmine.corpus.model.Reject` objects for records it cannot accept) from
the file.  Readers never raise on a bad record: they yield a Reject naming the
line or row and go on.  They raise only when the whole file is unreadable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bibmine.corpus.model import Record, Reject

ReadResult = Iterator[Record | Reject]


@dataclass(frozen=True)
class ReaderSpec:
    name: str  # short id stored in the batch, e.g. "wos_plaintext"
    label: str  # human name for messages, e.g. "Web of Science plain text"
    sniff: Callable[[str, Path], bool]
    read: Callable[[Path, str], ReadResult]  # (path, encoding) -> records and rejects
    priority: int = 50  # lower is tried first; generic formats go last


def split_multi(value: str | None, sep: str = ";") -> list[str]:
    """Split a multi-valued cell and drop empty parts.

    >>> split_multi("a; b;; c ")
    ['a', 'b', 'c']
    """
    if not value:
        return []
    return [p.strip() for p in value.split(sep) if p.strip()]


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def parse_year(value: str | int | None) -> int | None:
    """First plausible four-digit year in the value, else None.

    >>> parse_year("2021 MAY"), parse_year("n.d."), parse_year(1999)
    (2021, None, 1999)
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    m = _YEAR.search(str(value))
    return int(m.group(1)) if m else None


def raw_json(obj: object) -> str:
    """Lossless text form of a parsed row or object, for ``Record.raw``."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def parse_int(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None
