"""BibTeX reader: Web of Science and Scopus BibTeX exports, and plain .bib files.

The file is streamed and cut into entries at lines that start with ``@type{`` (line
numbers kept), and each entry is parsed on its own with ``bibtexparser`` v2.  So a big
export never sits in memory as one Library, and an entry with unbalanced braces costs
only itself: it becomes a :class:`Reject` at its ``@`` line with bibtexparser's reason,
and parsing goes on at the next ``@`` line.  ``@string`` macros are kept and prepended
to each later entry so references to them still resolve.  Text before the first entry
(the Scopus "Scopus / EXPORT DATE: ..." preamble) is read for the export date only.

Field mapping and LaTeX decoding live in :mod:`._bibtex_map`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.model import DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from bibmine.record import Record, Reject
from bibmine.sources.readers._bibtex_map import build_record
from bibmine.sources.readers._fieldnorm import parse_date
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text
from bibmine.sources.readers.base import ReaderSpec, ReadResult

# bibtexparser logs every failed block at WARNING; we report them as Rejects instead, so
# keep its messages from reaching stderr when the application has no logging set up.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_ENTRY_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
_EXPORT_DATE = re.compile(r"EXPORT DATE:\s*(.+)", re.IGNORECASE)
_FIELD_COUNTER = re.compile(r"[\s_]*\d+$")
_NOT_ENTRIES = frozenset(("comment", "preamble"))
_UNBRACE = RemoveEnclosingMiddleware()


def sniff_bibtex(head: str, path: Path) -> bool:
    """True when the first non-blank, non-'%' line after an optional preamble is '@type{'.

    Scopus puts two plain lines ("Scopus", "EXPORT DATE: ...") before the first entry,
    so up to five leading text lines are allowed; anything tagged like RIS/WoS is not.
    """
    text_lines = 0
    for line in head.lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        if _ENTRY_START.match(line):
            return True
        text_lines += 1
        if text_lines > 5 or re.match(r"^[A-Z][A-Z0-9]{1,3}(?: |\t|-)", line):
            return False
    return False


def read_bibtex(path: Path, encoding: str) -> ReadResult:
    """Stream Records (and Rejects at the entry's line) from a BibTeX file."""
    strings = ""  # @string definitions seen so far, prepended to each later entry
    export_date = None
    chunk: list[str] = []
    chunk_type = ""
    start = 0
    with open_text(path, encoding) as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno == 1:
                line = line.lstrip("\ufeff")
            m = _ENTRY_START.match(line) if "@" in line else None
            if m is None:
                if chunk:
                    chunk.append(line)
                elif export_date is None and (d := _EXPORT_DATE.search(line)):
                    export_date = parse_date(d.group(1).strip())
                continue
            if chunk:
                bad = bad_bytes(fh, lineno - 1, f"line {start}", "".join(chunk).rstrip())
                if bad is not None:
                    yield bad
                elif chunk_type == "string":
                    strings += "".join(chunk)
                elif chunk_type not in _NOT_ENTRIES:
                    yield from _parse_chunk("".join(chunk), start, strings, export_date)
            else:
                yield from leftover_bad_bytes(fh, lineno - 1)  # in the text before the first entry
            chunk, chunk_type, start = [line], m.group(1).lower(), lineno
        if chunk:
            bad = bad_bytes(fh, 1 << 62, f"line {start}", "".join(chunk).rstrip())
            if bad is not None:
                yield bad
            elif chunk_type not in _NOT_ENTRIES and chunk_type != "string":
                yield from _parse_chunk("".join(chunk), start, strings, export_date)
        yield from leftover_bad_bytes(fh)


def _parse_chunk(text: str, start: int, strings: str, export_date: str | None) -> ReadResult:
    raw = text.rstrip()
    where = f"line {start}"
    try:
        library = bibtexparser.parse_string(strings + text)
    except Exception as exc:  # the parser itself broke on this entry: quarantine it, go on
        yield Reject(location=where, reason=f"BibTeX parser failed: {type(exc).__name__}: {exc}", raw=raw)
        return
    entries: list[Entry] = list(library.entries)
    for block in library.failed_blocks:
        if isinstance(block, DuplicateFieldKeyBlock):
            # Scopus repeats funding_details; the entry itself is fine, keep every value.
            # The parse stack stopped at the duplicate, so the braces are still on.
            entries.append(_UNBRACE.transform_entry(block.ignore_error_block, library))
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or type(block.error).__name__
            yield Reject(
                location=where,
                reason=f"BibTeX entry cannot be parsed (unbalanced braces or quotes?): {reason}",
                raw=raw,
            )
        else:
            yield Reject(location=where, reason=f"BibTeX block rejected: {type(block).__name__}", raw=raw)
    if not entries and not library.failed_blocks:
        yield Reject(location=where, reason="no BibTeX entry found after '@'", raw=raw)
    for entry in entries:
        try:
            yield _record(entry, raw, export_date, where)
        except Exception as exc:  # a malformed entry must not stop the file; it is quarantined
            yield Reject(
                location=where, reason=f"cannot read BibTeX entry {entry.key!r}: {type(exc).__name__}: {exc}", raw=raw
            )


def _record(entry: Entry, raw: str, export_date: str | None, where: str) -> Record | Reject:
    fields: dict[str, list[str]] = {}
    for field in entry.fields:
        value = field.value if isinstance(field.value, str) else str(field.value)
        name = _FIELD_COUNTER.sub("", field.key.strip().lower()) or field.key.lower()
        fields.setdefault(name, []).append(value)
    if not fields.get("title") and not fields.get("doi"):
        return Reject(location=where, reason=f"BibTeX entry {entry.key!r} has neither a title nor a DOI", raw=raw)
    return build_record(entry.entry_type.lower(), entry.key.strip(), fields, raw, export_date)


READERS = [ReaderSpec("bibtex", "BibTeX (WoS, Scopus, .bib)", sniff_bibtex, read_bibtex, priority=30)]
