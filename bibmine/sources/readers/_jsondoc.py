"""Stream the records out of one JSON document (see :mod:`._jsonio` for the layouts).

The stdlib JSON scanner decodes one record at a time from a sliding text buffer, so a
list response of any size needs memory for one record only, and ``raw`` is the record's
exact text.  A record nested too deeply for the scanner (``RecursionError``) is found
whole without recursion and quarantined with its item number; a record holding bytes that
are not valid in the file's encoding is quarantined naming their line and byte offset;
the other records are read.  A syntax error stops the document (its structure is lost
from there) with an error item naming the character offset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bibmine.sources.readers._textio import describe_issues

if TYPE_CHECKING:
    from bibmine.sources.readers._jsonio import Item, JsonLayout

_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\r\n]*")
_FIRST_KEY = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"')
_SCANNER = json.JSONDecoder()


class _JsonSyntaxError(Exception):
    def __init__(self, offset: int, message: str, context: str | None) -> None:
        super().__init__(message)
        self.offset = offset
        self.context = context


class _TooDeep(Exception):
    """A value nested deeper than the JSON scanner's recursion allows; skipped whole."""

    def __init__(self, offset: int, raw: str) -> None:
        super().__init__(f"JSON nested too deeply to parse (thousands of levels) at character offset {offset}")
        self.offset = offset
        self.raw = raw


_STRUCT = re.compile(r'["\[\]{}]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class _Stream:
    """A sliding window over a text file with JSON-value reads."""

    def __init__(self, fh, path: Path | None = None) -> None:
        self.fh = fh
        self.path = path
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
        """Decode the next JSON value; returns it with its exact text.

        A value nested too deeply for the scanner is skipped whole: :class:`_TooDeep`.
        """
        self.peek()
        while True:
            try:
                value, end = _SCANNER.raw_decode(self.buf, self.pos)
            except RecursionError:
                start = self.offset()
                raise _TooDeep(start, self._skip_container()) from None
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

    def _skip_container(self) -> str:
        """Text of the array or object that starts here, found without recursion, consumed."""
        depth = 0
        j = self.pos
        while True:
            m = _STRUCT.search(self.buf, j)
            if m is None:
                resume = len(self.buf)
            elif m.group() == '"':
                end = _STRING_REST.match(self.buf, m.end())
                if end is not None:
                    j = end.end()
                    continue
                resume = m.start()  # the string goes on in the next chunk
            else:
                depth += 1 if m.group() in "[{" else -1
                j = m.end()
                if depth == 0:
                    raw = self.buf[self.pos : j]
                    self.pos = j
                    return raw
                continue
            old = self.pos
            if not self._fill():
                raise self.error(self.offset(), "the file ends inside a deeply nested value: truncated?")
            j = resume - old

    def issues_until(self, offset: int) -> list:
        """Undecodable-byte notes of the text before character ``offset``."""
        take = getattr(self.fh, "take_issues_in_chars", None)
        return take(offset) if take and self.fh.issues else []

    def error(self, offset: int, message: str, note: str = "") -> _JsonSyntaxError:
        at = offset - self.base
        context = self.buf[max(0, at - 100) : at + 100] if 0 <= at <= len(self.buf) else None
        text = f"{message} at character offset {offset}" + (f" ({note})" if note else "")
        return _JsonSyntaxError(offset, text, context)


def _maybe_cut(e: json.JSONDecodeError, buf: str) -> bool:
    """True when the error may only mean the window ends inside the value."""
    # an unterminated string reports where the string starts, not where the text ends
    return e.msg.startswith("Unterminated string") or e.pos >= len(buf) - 8


def iter_document(fh, layout: JsonLayout, path: Path) -> Iterator[Item]:
    s = _Stream(fh, path)
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
    if issues := s.issues_until(1 << 62):  # undecodable bytes outside every record
        yield f"offset {issues[0].char}", None, None, describe_issues(path, issues) + " (outside any record)"


def _record(s: _Stream, counter: list[int]) -> Iterator[Item]:
    """The record value that starts here, as an item: quarantined when too deep or undecodable."""
    s.peek()
    if stray := s.issues_until(s.offset()):  # bytes in wrapper text before this record
        reason = describe_issues(s.path or Path("?"), stray) + " (outside any record)"
        yield f"offset {stray[0].char}", None, None, reason
    where = f"item {counter[0] + 1}"
    try:
        value, raw = s.value()  # a syntax error here leaves the count at the records before it
    except _TooDeep as e:
        counter[0] += 1
        s.issues_until(s.offset())
        yield where, None, e.raw[:200], f"{e}; this record is quarantined, the others are read"
        return
    counter[0] += 1
    if issues := s.issues_until(s.offset()):
        yield where, None, raw, describe_issues(s.path or Path("?"), issues)
        return
    yield where, value, raw, None


def _array(s: _Stream, counter: list[int]) -> Iterator[Item]:
    s.expect("[")
    if s.peek() == "]":
        s.pos += 1
        return
    while True:
        yield from _record(s, counter)
        if s.expect(",]") == "]":
            return


def _object(s: _Stream, layout: JsonLayout, counter: list[int]) -> Iterator[Item]:
    """An object that is either a record (yield it whole) or a wrapper (yield its items)."""
    if s.first_key() not in layout.wrapper_keys:
        yield from _record(s, counter)
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
            try:
                s.value()  # metadata (meta, facets, group_by ...): parsed and dropped
            except _TooDeep as e:
                yield f"offset {e.offset}", None, e.raw[:200], f"{e} (metadata key {key!r}, not a record): skipped"
        if s.expect(",}") == "}":
            return
