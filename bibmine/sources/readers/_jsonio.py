"""Stream the record objects out of a JSON export, whatever its layout.

API exports come in three layouts, and readers of JSON formats should not care which:

* JSON Lines: one object per line (snapshot dumps, ``jq -c`` output);
* one document: a single record, a bare array of records, or an API response that
  wraps the records (OpenAlex ``{"meta":..., "results":[...]}``, Crossref
  ``{"message":{"items":[...]}}``, Lens ``{"total":..., "data":[...]}``);
* a JSON Lines file of API responses (one page per line).

:func:`iter_json_items` yields ``(location, value, raw, error)`` for each record.
JSON Lines are decoded line by line with msgspec (fast, memory-flat).  A document is
parsed incrementally: the stdlib JSON scanner decodes one record at a time from a
sliding text buffer, so a list response of any size needs memory for one record only,
and ``raw`` is the record's exact text.  Syntax errors become error items naming the
line (JSON Lines) or the character offset (documents); the reader turns them into
Rejects.  Only an empty or unreadable file raises.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from bibmine.record import Record, Reject
from bibmine.sources.encoding import follow_position
from bibmine.sources.readers._jsondoc import iter_document
from bibmine.sources.readers._textio import describe_issues, open_text

# (location, parsed value or None, raw text or None, error message or None)
Item = tuple[str, Any, str | None, str | None]

_FIRST_LINE_LIMIT = 64 * 1024 * 1024  # a longer first line is a minified document, not JSONL
MAX_LINE = 64 * 1024 * 1024  # a longer JSON Lines line is quarantined unread (bytes or characters)
_MSGSPEC = msgspec.json.Decoder()


@dataclass(frozen=True)
class JsonLayout:
    """How a vendor wraps records in API responses.

    An object whose first key is in ``wrapper_keys`` is a wrapper, not a record; its
    ``item_keys`` arrays hold records, and its ``descend_keys`` objects are looked
    into (they are either a record or another wrapper).
    """

    wrapper_keys: frozenset[str]
    item_keys: frozenset[str]
    descend_keys: frozenset[str] = frozenset()


def iter_json_items(path: Path, encoding: str, layout: JsonLayout) -> Iterator[Item]:
    """Every record object in ``path`` (JSON Lines or one JSON document); see the module doc."""
    fast = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig", "ascii")
    if _looks_like_jsonl(path, encoding):
        yield from _iter_lines(path, encoding, fast, layout)
    else:
        with open_text(path, encoding) as fh:
            yield from iter_document(fh, layout, path)


def read_json_records(
    path: Path, encoding: str, layout: JsonLayout, to_record: Callable[..., Record], source: str
) -> Iterator[Record | Reject]:
    """Records mapped by ``to_record(obj, source=..., raw=...)``; bad JSON and objects
    the mapping refuses become Rejects that name the line, item or offset."""
    for location, value, raw, error in iter_json_items(path, encoding, layout):
        if error is not None:
            prefix = "" if error.startswith(f"{path.name}: ") else f"{path.name}: "
            yield Reject(location=location, reason=prefix + error, raw=raw)
            continue
        try:
            yield to_record(value, source=source, raw=raw)
        except ValueError as e:  # the mapping's own refusal, already worded
            yield Reject(location=location, reason=f"{path.name}: {e}", raw=raw)
        except (TypeError, KeyError, AttributeError, IndexError, RecursionError) as e:
            # malformed values (a string where a list belongs ...) reject this record only
            yield Reject(location=location, reason=f"{path.name}: {type(e).__name__}: {e}", raw=raw)


# ------------------------------------------------------------------ JSON Lines


def _looks_like_jsonl(path: Path, encoding: str) -> bool:
    """One complete object on the first line and more lines follow, or a broken
    first line that still looks like a one-line object (``{...}``)."""
    first = None
    with open_text(path, encoding) as fh:
        while True:
            line = fh.readline(_FIRST_LINE_LIMIT)
            if not line:
                return False
            if len(line) >= _FIRST_LINE_LIMIT:
                return False  # a huge line is a minified document: stream it
            text = line.strip().lstrip("\ufeff").strip()
            if not text:
                continue
            if first is not None:
                return True  # a second non-empty line after a one-line object
            if not text.startswith("{"):
                return False
            try:
                _MSGSPEC.decode(text)
            except RecursionError:
                pass  # a whole object, nested too deeply to parse here: one more line makes it JSONL
            except msgspec.DecodeError:
                # pretty-printed ("{" alone, '{"meta": {') or a truncated one-line document
                return text.endswith("}")
            first = text


def _iter_lines(path: Path, encoding: str, fast: bool, layout: JsonLayout) -> Iterator[Item]:
    # bytes in, msgspec decodes bytes directly; raw text is decoded once for Record.raw
    if fast:
        yield from _lines_of_bytes(path, layout)
        return
    with open_text(path, encoding) as fh:
        for n, line, _, too_long in _bounded_lines(fh, "\n"):
            issues = fh.take_issues(n)
            if too_long:
                yield f"line {n}", None, line, _too_long(n)
            elif issues:
                yield f"line {n}", None, line.strip(), describe_issues(path, issues)
            else:
                yield from _line_items(n, line.strip(), line.strip(), layout)


def _lines_of_bytes(path: Path, layout: JsonLayout) -> Iterator[Item]:
    offset = 0  # byte offset of the line
    with open(path, "rb") as fh:
        follow_position(path, fh)
        for n, line, size, too_long in _bounded_lines(fh, b"\n"):
            start, offset = offset, offset + size
            if too_long:
                yield f"line {n}", None, line.decode("utf-8", "replace"), _too_long(n)
                continue
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line, start = line[3:], start + 3
            try:
                raw = line.decode("utf-8").strip()
            except UnicodeDecodeError as e:
                where = f"byte offset {start + e.start}: {line[e.start : e.end]!r} is not valid utf-8"
                text = line.decode("utf-8", "replace").strip()
                yield f"line {n}", None, text, f"line {n}, {where} (shown as U+FFFD in raw; the line is quarantined)"
                continue
            yield from _line_items(n, line, raw, layout)


def _bounded_lines(fh, newline: Any) -> Iterator[tuple[int, Any, int, bool]]:
    """(number, line, size, too long) of each line; a line over :data:`MAX_LINE` is read
    past in pieces (never held whole) and only its first 200 characters are given."""
    n = 0
    while line := fh.readline(MAX_LINE + 1):
        n += 1
        size = len(line)
        if size <= MAX_LINE or line.endswith(newline):
            yield n, line, size, False
            continue
        while more := fh.readline(MAX_LINE):
            size += len(more)
            if more.endswith(newline):
                break
        yield n, line[:200], size, True


def _too_long(n: int) -> str:
    return f"line {n} is longer than {MAX_LINE:,} characters: not parsed (raw holds its start)"


def _line_items(n: int, data: bytes | str, raw: str, layout: JsonLayout) -> Iterator[Item]:
    if not raw:
        return
    try:
        value = _MSGSPEC.decode(data)
    except RecursionError:
        # stream the line as a document: a deep record is quarantined alone, even on a page line
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
        for where, value, item_raw, error in iter_document(io.StringIO(text), layout, Path(f"line {n}")):
            yield f"line {n}" if where == "item 1" and value is None else f"line {n}, {where}", value, item_raw, error
        return
    except msgspec.DecodeError:
        # decode the stripped text again so the message is not about the newline
        yield f"line {n}", None, raw, f"invalid JSON: {_decode_error(raw)}"
        return
    wrapped = _unwrap(value, layout)
    if wrapped is None:
        yield f"line {n}", value, raw, None
    else:
        # an API page on one line: re-serialized, so raw is canonical, not byte-exact
        for k, item in enumerate(wrapped, 1):
            yield f"line {n}, item {k}", item, json.dumps(item, ensure_ascii=False), None


def _decode_error(text: str) -> str:
    try:
        _MSGSPEC.decode(text)
    except (msgspec.DecodeError, RecursionError) as e:
        return str(e)
    return "undecodable"


def _unwrap(value: Any, layout: JsonLayout) -> list | None:
    """The records inside a wrapper object, or None when ``value`` is a record itself."""
    if not isinstance(value, dict) or not value or next(iter(value)) not in layout.wrapper_keys:
        return None
    out: list = []
    for key, inner in value.items():
        if key in layout.item_keys and isinstance(inner, list):
            out.extend(inner)
        elif key in layout.descend_keys and isinstance(inner, dict):
            nested = _unwrap(inner, layout)
            out.extend([inner] if nested is None else nested)
    return out
