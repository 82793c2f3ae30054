"""What every file reader provides, and helpers they share.

A reader is a module-level :class:`ReaderSpec`: a ``sniff`` function that looks at
the first 64 KiB of decoded text and says whether the file is in its format, and a
``read`` function that streams :class:`~bibmine.record.Record` objects (or
:class:`~bibmine.record.Reject` objects for records it cannot accept) from
the file.  Readers never raise on a bad record: they yield a Reject naming the
line or row and go on.  They raise only when the whole file is unreadable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, compress
from operator import attrgetter, ge, is_not
from pathlib import Path

from bibmine.placeholders import PLACEHOLDERS
from bibmine.record import Record, Reject
from bibmine.sources.textutil import is_placeholder

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
    return _year_in(str(value))


@lru_cache(maxsize=4096)  # years and dates repeat in every export
def _year_in(text: str) -> int | None:
    m = _YEAR.search(text)
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


_ID_SCHEMES = ("doi", "openalex", "wos", "scopus", "elibrary", "pmid", "lens")
_ID_VALUES = attrgetter(*_ID_SCHEMES)
_NAME, _TEXT = attrgetter("name"), attrgetter("text")
_IS_SET = partial(is_not, None)
_SHORT_ENOUGH = partial(ge, max(map(len, PLACEHOLDERS)))  # len(value) <= the longest placeholder


def _may_hold_placeholders(record: Record) -> bool:
    """Whether any value :func:`drop_placeholders` looks at is a placeholder (exactly
    :func:`~bibmine.sources.textutil.is_placeholder`: stripped and casefolded, empty or listed).

    Every record of every reader passes here and almost none holds one: the values are
    gathered, stripped and casefolded in C, and one set operation answers.
    """
    venue = record.venue
    values = chain(
        filter(_IS_SET, _ID_VALUES(record.ids)),
        map(_NAME, record.authors),
        map(_TEXT, record.titles),
        venue.issn if venue is not None else (),
    )
    stripped = list(map(str.strip, values))
    # casefolding never shortens a string: only values as short as the longest placeholder are folded
    keys = set(map(str.casefold, compress(stripped, map(_SHORT_ENOUGH, map(len, stripped)))))
    return "" in keys or not PLACEHOLDERS.isdisjoint(keys)


def drop_placeholders(record: Record) -> Record:
    """``record`` without placeholder identifiers, author names, titles and ISSNs
    ("NA", "0", "[No author name available]" ...: see :func:`~bibmine.sources.textutil.is_placeholder`).

    What was dropped is listed in ``extra["placeholders_dropped"]`` so nothing vanishes unseen.
    Every registered reader's output passes through here (see :func:`bibmine.sources.readers.all_readers`).

    >>> from bibmine.record import Author, Identifiers, Text
    >>> r = drop_placeholders(Record(titles=[Text("[No title available]")], ids=Identifiers(pmid="NA", doi="10.1/x"),
    ...                              authors=[Author("[No author name available]"), Author("Ivanov I.")]))
    >>> r.ids.pmid, r.ids.doi, [a.name for a in r.authors], r.titles, r.extra["placeholders_dropped"]
    (None, '10.1/x', ['Ivanov I.'], [], "pmid='NA'; author='[No author name available]'; title='[No title available]'")
    """
    try:
        if not _may_hold_placeholders(record):
            return record
    except (AttributeError, TypeError):  # a value that is not text: the loops below say what it is
        pass
    dropped: list[str] = []
    ids = record.ids
    for scheme in _ID_SCHEMES:
        value = getattr(ids, scheme)
        if value is not None and is_placeholder(value):
            setattr(ids, scheme, None)
            dropped.append(f"{scheme}={value!r}")
    if any(is_placeholder(a.name) for a in record.authors):
        dropped += [f"author={a.name!r}" for a in record.authors if is_placeholder(a.name)]
        record.authors = [a for a in record.authors if not is_placeholder(a.name)]
    if any(is_placeholder(t.text) for t in record.titles):
        dropped += [f"title={t.text!r}" for t in record.titles if is_placeholder(t.text)]
        record.titles = [t for t in record.titles if not is_placeholder(t.text)]
    venue = record.venue
    if venue is not None and any(is_placeholder(i) for i in venue.issn):
        dropped += [f"issn={i!r}" for i in venue.issn if is_placeholder(i)]
        venue.issn = [i for i in venue.issn if not is_placeholder(i)]
    if dropped:
        note = "; ".join(dropped)
        old = record.extra.get("placeholders_dropped")
        record.extra["placeholders_dropped"] = f"{old}; {note}" if old else note
    return record
