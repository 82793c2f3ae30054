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
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from bibmine.corpus.model import Record, Reject

# (location, parsed value or None, raw text or None, error message or None)
Item = tuple[str, Any, str | None, str | None]

_FIRST_LINE_LIMIT = 64 * 1024 * 1024  # a longer first line is a minified document, not JSONL
_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\r\n]*")
_FIRST_KEY = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"')
_SCANNER = json.JSONDecoder()
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
        with open(path, encoding=encoding, newline="") as fh:
            yield from _iter_document(fh, layout, path)


def read_json_records(
    path: Path, encoding: str, layout: JsonLayout, to_record: Callable[..., Record], source: str
) -> Iterator[Record | Reject]:
    """Records mapped by ``to_record(obj, source=..., raw=...)``; bad JSON and objects
    the mapping refuses become Rejects that name the line, item or offset."""
    for location, value, raw, error in iter_json_items(path, encoding, layout):
        if error is not None:
            yield Reject(location=location, reason=f"{path.name}: {error}", raw=raw)
            continue
        try:
            yield to_record(value, source=source, raw=raw)
        except ValueError as e:  # the mapping's own refusal, already worded
            yield Reject(location=location, reason=f"{path.name}: {e}", raw=raw)
        except (TypeError, KeyError, AttributeError, IndexError) as e:
            # malformed values (a string where a list belongs ...) reject this record only
            yield Reject(location=location, reason=f"{path.name}: {type(e).__name__}: {e}", raw=raw)


# ------------------------------------------------------------------ JSON Lines


def _looks_like_jsonl(path: Path, encoding: str) -> bool:
    """One complete object on the first line and more lines follow, or a broken
    first line that still looks like a one-line object (``{...}``)."""
    first = None
    with open(path, encoding=encoding, newline="") as fh:
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
            except msgspec.DecodeError:
                # pretty-printed ("{" alone, '{"meta": {') or a truncated one-line document
                return text.endswith("}")
            first = text


def _iter_lines(path: Path, encoding: str, fast: bool, layout: JsonLayout) -> Iterator[Item]:
    # bytes in, msgspec decodes bytes directly; raw text is decoded once for Record.raw
    decode = _MSGSPEC.decode
    with open(path, "rb") if fast else open(path, encoding=encoding, newline="") as fh:
        for n, line in enumerate(fh, 1):
            if fast:
                if n == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[3:]
                try:
                    raw = line.decode("utf-8").strip()
                except UnicodeDecodeError as e:
                    yield f"line {n}", None, line.decode("utf-8", "replace").strip(), f"not UTF-8: {e}"
                    continue
            else:
                raw = line.strip().lstrip("\ufeff")
            if not raw:
                continue
            try:
                value = decode(line if fast else raw)
            except msgspec.DecodeError:
                # decode the stripped text again so the message is not about the newline
                yield f"line {n}", None, raw, f"invalid JSON: {_decode_error(raw)}"
                continue
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
    except msgspec.DecodeError as e:
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


# ------------------------------------------------------------------ one document


class _JsonSyntaxError(Exception):
    def __init__(self, offset: int, message: str, context: str | None) -> None:
        super().__init__(message)
        self.offset = offset
        self.context = context


class _Stream:
    """A sliding window over a text file with JSON-value reads."""

    def __init__(self, fh) -> None:
        self.fh = fh
        self.buf = ""
        self.pos = 0  # index into buf
        self.base = 0  # file offset (characters) of buf[0]
        self.eof = False
        self.chunk = self.min_chunk = _CHUNK

    def offset(self) -> int:
        return self.base + self.pos

    def _fill(self) -> bool:
        # drop what was consumed so memory holds about one record, then read more
        if self.pos:
            self.base += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        data = self.fh.read(self.chunk)
        if not data:
            self.eof = True
            return False
        if self.base == 0 and not self.buf:
            data = data.lstrip("\ufeff")
        self.buf += data
        return True

    def peek(self) -> str:
        """Next non-whitespace character ('' at end of file), not consumed."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, chars: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            found = repr(c) if c else "end of file"
            raise self.error(self.offset(), f"expected one of {chars!r}, found {found}")
        self.pos += 1
        return c

    def first_key(self) -> str | None:
        """First key of the object that starts here, without consuming anything."""
        while len(self.buf) - self.pos < 4096 and self._fill():
            pass
        m = _FIRST_KEY.match(self.buf, self.pos)
        return json.loads(f'"{m.group(1)}"') if m else None

    def value(self) -> tuple[Any, str]:
        """Decode the next JSON value; returns it with its exact text."""
        self.peek()
        while True:
            try:
                value, end = _SCANNER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                if self.eof or not _maybe_cut(e, self.buf):
                    msg = e.msg.removesuffix(" at")  # "Unterminated string starting at"
                    note = f"in the value starting at offset {self.base + self.pos}"
                    if self.eof and _maybe_cut(e, self.buf):
                        note += "; the file ends inside it: truncated?"
                    raise self.error(self.base + e.pos, msg, note) from None
                if self.pos == 0:  # the window starts at this value and still cuts it: grow
                    self.chunk *= 2
                self._fill()
                continue
            if end == len(self.buf) and not self.eof:
                # a number or literal may go on in the next chunk ("5866" of "586628")
                self._fill()
                continue
            raw = self.buf[self.pos : end]
            self.pos = end
            self.chunk = self.min_chunk
            return value, raw

    def error(self, offset: int, message: str, note: str = "") -> _JsonSyntaxError:
        at = offset - self.base
        context = self.buf[max(0, at - 100) : at + 100] if 0 <= at <= len(self.buf) else None
        text = f"{message} at character offset {offset}" + (f" ({note})" if note else "")
        return _JsonSyntaxError(offset, text, context)


def _maybe_cut(e: json.JSONDecodeError, buf: str) -> bool:
    """True when the error may only mean the window ends inside the value."""
    # an unterminated string reports where the string starts, not where the text ends
    return e.msg.startswith("Unterminated string") or e.pos >= len(buf) - 8


def _iter_document(fh, layout: JsonLayout, path: Path) -> Iterator[Item]:
    s = _Stream(fh)
    start = s.peek()
    if not start:
        raise ValueError(f"{path}: empty file, no JSON in it")
    counter = [0]
    try:
        if start == "[":
            yield from _array(s, counter)
        elif start == "{":
            yield from _object(s, layout, counter)
        else:
            raise s.error(s.offset(), f"expected a JSON object or array, found {start!r}")
        if s.peek():
            raise s.error(s.offset(), "unexpected text after the JSON document")
    except _JsonSyntaxError as e:
        read = f"; {counter[0]} record(s) before it were read" if counter[0] else ""
        yield (
            f"offset {e.offset}",
            None,
            e.context,
            f"invalid JSON: {e}{read}; the rest of the file is skipped",
        )


def _array(s: _Stream, counter: list[int]) -> Iterator[Item]:
    s.expect("[")
    if s.peek() == "]":
        s.pos += 1
        return
    while True:
        value, raw = s.value()
        counter[0] += 1
        yield f"item {counter[0]}", value, raw, None
        if s.expect(",]") == "]":
            return


def _object(s: _Stream, layout: JsonLayout, counter: list[int]) -> Iterator[Item]:
    """An object that is either a record (yield it whole) or a wrapper (yield its items)."""
    if s.first_key() not in layout.wrapper_keys:
        value, raw = s.value()
        counter[0] += 1
        yield f"item {counter[0]}", value, raw, None
        return
    s.expect("{")
    if s.peek() == "}":
        s.pos += 1
        return
    while True:
        if s.peek() != '"':
            raise s.error(s.offset(), "expected a property name")
        key, _ = s.value()
        s.expect(":")
        nxt = s.peek()
        if key in layout.item_keys and nxt == "[":
            yield from _array(s, counter)
        elif key in layout.descend_keys and nxt == "{":
            yield from _object(s, layout, counter)
        else:
            s.value()  # metadata (meta, facets, group_by ...): parsed and dropped
        if s.expect(",}") == "}":
            return
