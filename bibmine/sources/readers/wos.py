"""Web of Science plain-text export ("Plain text file", savedrecs.txt).

Layout: an optional file header (``FN``, ``VR``), then records of tagged lines -- a
two-letter tag, a space, the value -- where a value that does not fit on one line goes on
continuation lines indented by three spaces; ``ER`` ends a record and ``EF`` the file.
The mapping of tags to Record fields is shared with the tab-delimited export
(:mod:`bibmine.sources.readers._wos_fields`).

Speed: the file is decoded in large chunks, split at ``ER`` lines with ``str.find``, and
each record is split into fields with one regex, so Python-level work is per field, not
per line (60 cited references are one CR field).  Well-formed records take a fast path
with set operations; only a record that fails it is walked field by field to find the
offending line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bibmine.record import Record, Reject
from bibmine.sources.encoding import DecodedText
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text, with_bad_bytes
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
_CHUNK = 1 << 22  # bytes per read; a chunk holds hundreds of records

# blank lines and file header/footer lines before a record
_PREAMBLE = re.compile(r"(?:[ \t]*\n|(?:FN|VR|EF)(?:[ \t][^\n]*)?\n)*")
# a new field starts at every line not indented by three spaces
_FIELD_SPLIT = re.compile(r"\n(?!   )")
_KNOWN_STARTS = frozenset(tag + " " for tag in KNOWN_TAGS)
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
    with open_text(path, encoding) as fh:
        for line, body, terminated in _record_blocks(_text_chunks(fh)):
            last = line + body.count("\n")  # the ER line
            if not terminated:
                reason = "record is not terminated by an ER line (file truncated?)"
                yield with_bad_bytes(Reject(location=f"line {line}", reason=reason, raw=body), fh, last)
                continue
            if (bad := bad_bytes(fh, last, f"line {line}", body + "ER")) is not None:
                yield bad
                continue
            try:
                yield parse_record(body, line)
            except Exception as exc:  # a record the mapping chokes on is quarantined, the file goes on
                reason = f"cannot read WoS record: {type(exc).__name__}: {exc}"
                yield Reject(location=f"line {line}", reason=reason, raw=body + "ER")
        yield from leftover_bad_bytes(fh)


def _text_chunks(fh: DecodedText) -> Iterator[str]:
    """Decoded text of the file in large pieces, line endings turned into "\\n".

    :class:`DecodedText` already turns a lone CR into LF; CRLF is made LF here, one
    replace per chunk (several times faster than per-line newline translation).
    """
    carry = ""
    while True:
        data = fh.read(_CHUNK)
        text = carry + data
        carry = ""
        if data and text.endswith("\r"):  # a CRLF may be cut between two reads
            carry, text = "\r", text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text:
            yield text
        if not data:
            return


def _record_blocks(chunks: Iterator[str]) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, terminated) of each record; text runs to and excludes the ER line."""
    line = 1
    tail = ""
    first = True
    for data in _with_end(chunks):
        if first:
            data = data.lstrip("\ufeff")  # a BOM the codec did not eat (utf-8 forced by the user)
            first = False
        eof = not data
        buf = tail + data
        if eof and buf and not buf.endswith("\n"):
            buf += "\n"
        pos = 0
        find = buf.find
        # str.find, not a MULTILINE regex: "^ER" makes the regex engine try every character
        j = find("\nER", 0)
        while j >= 0:
            end = find("\n", j + 3)
            if end < 0:  # the ER line is cut by the chunk end: wait for more text
                break
            if buf[j + 3 : end].strip():  # a line that only starts with "ER"
                j = find("\nER", end)
                continue
            block_line, body = _strip_preamble(buf, pos, j + 1, line)
            if body:
                yield block_line, body, True
            line += buf.count("\n", pos, end + 1)
            pos = end + 1
            j = find("\nER", end)
        tail = buf[pos:]
        if eof:
            block_line, body = _strip_preamble(tail, 0, len(tail), line)
            if body.strip():
                yield block_line, body, False
            return


def _with_end(chunks: Iterator[str]) -> Iterator[str]:
    yield from chunks
    yield ""


def _strip_preamble(buf: str, start: int, end: int, line: int) -> tuple[int, str]:
    m = _PREAMBLE.match(buf, start, end)
    skip = m.end() if m else start
    return line + buf.count("\n", start, skip), buf[skip:end]


def parse_record(body: str, line: int) -> Record | Reject:
    """Record (or Reject) for one record's text, which starts at ``line`` and ends before ER."""
    raw = body + "ER"
    chunks = _FIELD_SPLIT.split(body[:-1] if body.endswith("\n") else body)
    starts = [c[:3] for c in chunks]
    fields: Fields | Reject
    if _KNOWN_STARTS.issuperset(starts):
        # fast path: every field is "XX value" with a known tag
        fields = {c[:2]: c[3:].strip() if "\n" not in c else _unwrap(c[:2], c[3:]) for c in chunks}
        if len(fields) != len(chunks):  # a tag repeated: let the careful path merge or reject
            fields = _fields_carefully(chunks, line, raw)
    else:
        fields = _fields_carefully(chunks, line, raw)
    if isinstance(fields, Reject):
        return fields
    record = build_record(fields, SOURCE, raw)
    if not record.titles and not record.ids.wos:
        return Reject(location=f"line {line}", reason=MISSING_TITLE_AND_ID, raw=raw)
    return record


def _unwrap(tag: str, value: str) -> str:
    # continuation lines: one item per line for list tags, otherwise wrapped text
    return value.replace("\n   ", "\n" if tag in LIST_TAGS else " ").strip()


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
