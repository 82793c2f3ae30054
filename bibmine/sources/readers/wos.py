"""Web of Science plain-text export ("Plain text file", savedrecs.txt).

Layout: an optional file header (``FN``, ``VR``), then records of tagged lines -- a
two-letter tag, a space, the value -- where a value that does not fit on one line goes on
continuation lines indented by three spaces; ``ER`` ends a record and ``EF`` the file.
The mapping of tags to Record fields is shared with the tab-delimited export
(:mod:`bibmine.sources.readers._wos_fields`).

Speed: the file is decoded in large chunks, split at ``ER`` lines with ``str.find``, and
each record is split into fields with one regex, so Python-level work is per field, not
per line (60 cited references are one CR field).  Well-formed records take a fast path:
set operations check the tags and the field dict is built with slices mapped in C; list
values (authors, addresses, cited references) keep their continuation lines and are split
there once.  Only a record that fails the fast path is walked field by field to find the
offending line, and line numbers are counted only for rejects (:class:`LineNumbers`).
``scripts/check_reader_output.py`` checks that a change leaves every record as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import compress, repeat
from operator import contains, itemgetter
from pathlib import Path

from bibmine.record import Record, Reject
from bibmine.sources.readers._textio import (
    LineNumbers,
    TextFile,
    bad_bytes,
    leftover_bad_bytes,
    open_text,
    with_bad_bytes,
)
from bibmine.sources.readers._wos_fields import (
    KNOWN_TAGS,
    LIST_TAGS,
    MISSING_TITLE_AND_ID,
    TAG_SHAPE,
    Fields,
    build_record,
)
from bibmine.sources.readers.base import ReaderSpec, ReadResult

SOURCE = "wos_plaintext"
_CHUNK = 1 << 20  # bytes decoded at a time; a chunk holds hundreds of records

# blank lines and file header/footer lines before a record
_PREAMBLE = re.compile(r"(?:[ \t]*\n|(?:FN|VR|EF)(?:[ \t][^\n]*)?\n)*")
# a new field starts at every line not indented by three spaces
_FIELD_SPLIT = re.compile(r"\n(?!   )")
_CONTINUATION = "\n   "
# slices of a field "AU Ivanov, I": its tag, the character after it (one-character strings are
# shared, not made) and its value; itemgetter so that they are mapped over the fields in C
_TAG, _THIRD, _VALUE = itemgetter(slice(0, 2)), itemgetter(slice(2, 3)), itemgetter(slice(3, None))
_SPACE = frozenset(" ")
_SNIFF_LINE = re.compile(r"(?:[A-Z][A-Z0-9](?: |$)|   \S|ER$|EF$)")
_SNIFF_FIRST = re.compile(r"(?:FN |PT [A-Z]$)")


def sniff_wos_plaintext(head: str, path: Path) -> bool:
    """True when the first non-empty line is ``FN ...`` or ``PT <code>`` and the next ones are tagged."""
    lines = [line.rstrip("\r") for line in head.lstrip("\ufeff").split("\n", 40)[:40] if line.strip()][:6]
    if len(lines) < 2 or not _SNIFF_FIRST.match(lines[0]):
        return False
    return all(_SNIFF_LINE.match(line) for line in lines[1:])


def read_wos_plaintext(path: Path, encoding: str) -> ReadResult:
    """Records of a WoS plain-text export; a malformed record becomes a Reject naming its line.

    A file cut inside a record (no ER, no EF) keeps every whole record before the cut;
    the partial one is quarantined at its line.  A record holding bytes that are not
    valid in the file's encoding is quarantined naming their line and byte offset.
    """
    with open_text(path, encoding, _CHUNK) as fh:
        lines = LineNumbers()
        for start, er, text, raw in _record_blocks(_text_chunks(fh), lines):
            if raw is None:
                reason = "record is not terminated by an ER line (file truncated?)"
                line = lines(start)
                reject = Reject(location=f"line {line}", reason=reason, raw=text)
                yield with_bad_bytes(reject, fh, line + text.count("\n"))
                continue
            if fh.issues and (bad := bad_bytes(fh, lines(er), f"line {lines(start)}", raw)) is not None:
                yield bad
                continue
            try:
                yield parse_record(text, partial(lines, start), raw)
            except Exception as exc:  # a record the mapping chokes on is quarantined, the file goes on
                reason = f"cannot read WoS record: {type(exc).__name__}: {exc}"
                yield Reject(location=f"line {lines(start)}", reason=reason, raw=raw)
        yield from leftover_bad_bytes(fh)


def _text_chunks(fh: TextFile) -> Iterator[tuple[str, int]]:
    """Decoded text of the file in large pieces, line endings turned into "\\n", each with the
    number of line breaks in the text up to its end.

    :class:`DecodedText` already turns a lone CR into LF (and counts the line breaks); CRLF
    is made LF here, one replace per chunk (several times faster than per-line newline
    translation), which leaves the count as it is.
    """
    carry = ""
    for data in fh.chunks():
        text = carry + data
        carry = ""
        if text.endswith("\r"):  # a CRLF may be cut between two pieces
            carry, text = "\r", text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text:
            yield text, fh.line_breaks
    if carry:
        yield "\n", fh.line_breaks + 1


def _record_blocks(chunks: Iterator[tuple[str, int]], lines: LineNumbers) -> Iterator[tuple[int, int, str, str | None]]:
    """(start, ER line start, text, raw) of each record: positions in the buffer that ``lines``
    numbers (they hold until the next record is asked for).

    ``text`` runs from the record's first line to the line before ER, without that line's
    break; ``raw`` is the record as stored (``text`` + "\\nER").  A record the end of the
    file cuts comes as (start, -1, its text with a final line break, None).
    """
    tail = ""
    lead = 0  # 1 when the tail keeps the line break before its first line (an ER line there is found)
    resume = 0  # where the search for ER lines goes on in the next buffer
    first = True
    for data, breaks in _with_end(chunks):
        if first:
            data = data.lstrip("\ufeff")  # a BOM the codec did not eat (utf-8 forced by the user)
            first = False
        eof = not data
        buf = tail + data
        if eof and buf and not buf.endswith("\n"):
            buf += "\n"
            breaks += 1
        lines.reset(buf, breaks + 1)
        pos = lead
        find = buf.find
        # str.find, not a MULTILINE regex: "^ER" makes the regex engine try every character
        j = find("\nER", resume)
        while j >= 0:
            end = find("\n", j + 3)
            if end < 0:  # the ER line is cut by the chunk end: wait for more text
                break
            if end > j + 3 and buf[j + 3 : end].strip():  # a line that only starts with "ER"
                j = find("\nER", end)
                continue
            skip = _preamble_end(buf, pos, j + 1)
            if skip <= j:  # an ER line right after the previous one has no record to yield
                raw = buf[skip : j + 3]  # one slice of the (often UCS-2) buffer; the text is cut from it
                yield skip, j + 1, raw[:-3], raw
            pos = end + 1
            j = find("\nER", end)
        cut = pos - 1 if pos > lead else pos - lead  # the tail keeps the line break before pos, if any
        tail, lead = buf[cut:], pos - cut
        resume = max((j if j >= 0 else len(buf) - 2) - cut, 0)  # the text before was searched
        if eof:
            skip = _preamble_end(tail, lead, len(tail))
            body = tail[skip:]
            if body.strip():
                lines.reset(tail, breaks + 1)
                yield skip, -1, body, None
            return


def _with_end(chunks: Iterator[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    breaks = 0
    for data, breaks in chunks:
        yield data, breaks
    yield "", breaks


def _preamble_end(buf: str, start: int, end: int) -> int:
    """Where the record starts after blank lines and file header/footer lines."""
    m = _PREAMBLE.match(buf, start, end)
    return m.end() if m else start


def parse_record(text: str, line: Callable[[], int], raw: str) -> Record | Reject:
    """Record (or Reject) for one record's ``text`` (see :func:`_record_blocks`); ``line()``: the line
    it starts on (counted only for a reject)."""
    chunks = _FIELD_SPLIT.split(text)
    fields: Fields | Reject
    sep = "\n"  # between the items of a LIST_TAGS value
    tags = list(map(_TAG, chunks))
    if KNOWN_TAGS.issuperset(tags) and _SPACE.issuperset(map(_THIRD, chunks)):
        # fast path: every field is "XX value" with a known tag; the dict is built in C
        fields = dict(zip(tags, map(str.strip, map(_VALUE, chunks)), strict=True))
        if len(fields) == len(chunks):
            # wrapped values: continuation lines joined with a space; a list's items stay as they are,
            # "\n   " apart (build_record splits them there): no copy of 60 cited references
            for tag in compress(fields, map(contains, chunks, repeat("\n"))):
                if tag not in LIST_TAGS:
                    fields[tag] = fields[tag].replace(_CONTINUATION, " ")
            sep = _CONTINUATION
        else:  # a tag repeated: let the careful path merge or reject
            fields = _fields_carefully(chunks, line(), raw)
    else:
        fields = _fields_carefully(chunks, line(), raw)
    if isinstance(fields, Reject):
        return fields
    record = build_record(fields, SOURCE, raw, sep)
    if not record.titles and not record.ids.wos:
        return Reject(location=f"line {line()}", reason=MISSING_TITLE_AND_ID, raw=raw)
    return record


def _unwrap(tag: str, value: str) -> str:
    # continuation lines: one item per line for list tags, otherwise wrapped text
    return value.replace(_CONTINUATION, "\n" if tag in LIST_TAGS else " ").strip()


def _fields_carefully(chunks: list[str], line: int, raw: str) -> Fields | Reject:
    """Fields of a record off the fast path: unknown tags, a tag alone on its line,
    blank lines, repeated tags -- or the first bad line, as a Reject."""
    fields: Fields = {}
    for i, chunk in enumerate(chunks):
        tag, sep = chunk[:2], chunk[2:3]
        if sep in (" ", "\n", "") and (tag in KNOWN_TAGS or TAG_SHAPE.match(tag)):
            value = chunk[3:] if sep == " " else chunk[2:]
            if value.startswith("\n   "):  # "AU" alone, its value on the continuation lines
                value = value[4:]
            value = _unwrap(tag, value)
        elif not chunk.strip():
            continue  # a blank line inside a record: harmless
        else:
            shown = chunk.split("\n", 1)[0][:60]
            reason = f"line is neither a field tag nor a 3-space continuation: {shown!r}"
            return Reject(location=f"line {_line_of(chunks, i, line)}", reason=reason, raw=raw)
        if tag in fields:
            if tag == "PT":
                reason = "a second record (PT) starts before this one ends (ER line missing)"
                return Reject(location=f"line {_line_of(chunks, i, line)}", reason=reason, raw=raw)
            value = fields[tag] + ("\n" if tag in LIST_TAGS else " ") + value
        fields[tag] = value
    return fields


def _line_of(chunks: list[str], i: int, line: int) -> int:
    return line + sum(c.count("\n") + 1 for c in chunks[:i])


READERS = [
    ReaderSpec(
        name=SOURCE,
        label="Web of Science plain text",
        sniff=sniff_wos_plaintext,
        read=read_wos_plaintext,
        priority=40,
    )
]
