"""RIS reader: Scopus, SciELO, EndNote, Zotero, Mendeley and eLIBRARY RIS exports.

Why our own loop instead of ``rispy.load``: the import benchmark needs 20,000 records/s on
2 cores *including* the database insert, so parsing must cost well under 50 us a record.
On the benchmark's 50,000-record file (``scripts/bench_import.py``, ~1.4 KB a record)
rispy alone took 16-21 us a record (CPU time, per record / whole file) before any Record
was built; cutting records at ``ER`` lines and splitting their tags with one regex pass
(:func:`_fields`) takes ~3 us, and the whole reader runs at ~31,000 records/s CPU time
(~19,000 on 2.7 KB Scopus records with 19 keywords; ~27,000 on the realistic benchmark's
2.1 KB records with a Russian abstract, ``bench_import.py --realistic``).  rispy still supplies its
``TAG_KEY_MAPPING``: tags we do not map survive in ``Record.extra`` under rispy's name.
The loop also gives what rispy cannot: the exact record text for ``Record.raw`` and a
line number for every reject.

Record boundaries: a record runs from its first non-blank line to ``ER  -`` (with or
without the trailing space).  A record without a ``TY`` line, one cut short by the next
``TY`` or by the end of the file, and one with neither title nor DOI become
:class:`Reject` objects naming the line where the record starts.  Untagged lines are
continuations of the previous tag's value (joined with a space).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import filterfalse, repeat
from operator import contains, itemgetter
from pathlib import Path

import rispy

from bibmine.record import (
    Affiliation,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reject,
    Venue,
    normalize_doi,
)
from bibmine.sources.readers._fieldnorm import (
    cited_by,
    clean,
    dedupe,
    elibrary_id,
    kind_for,
    language_code,
    make_author,
    page_range,
    parse_date,
    reference,
    scopus_eid,
    serial_numbers,
    texts,
)
from bibmine.sources.readers._textio import (
    LineNumbers,
    TextFile,
    bad_bytes,
    leftover_bad_bytes,
    open_text,
    with_bad_bytes,
)
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_year

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG2 = _UPPER | frozenset("0123456789")
# Writers that put one space before the dash ("TY - JOUR") are rare; checked only when
# the fast "XX  -" test fails, and only for tags RIS defines, so that a continuation line
# such as "AB - testing ..." inside an abstract is not mistaken for a tag.
_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9]) ?- ?(.*)$")
_KNOWN = frozenset(rispy.TAG_KEY_MAPPING) - {"UK"} | frozenset(("VO",))
# Tags read under another tag's name: synonyms in the RIS spec and in common writers.
_ALIAS = {"A1": "AU", "T1": "TI", "N2": "AB", "Y1": "PY", "VO": "VL", "JA": "J2"}
# Tags this reader maps to Record fields; the rest go to extra under rispy's name.
_MAPPED_TAGS = "TY TI TT AB AU AD KW PY DA JO JF T2 J2 SN PB VL IS SP EP DO UR LA N1 C7 M3 DB AN ST"
_MAPPED = frozenset(_MAPPED_TAGS.split())
_CHUNK = 1 << 20  # bytes decoded at a time
_FIRST = itemgetter(0)
# blank lines between records (a whitespace-only last line without a line break too)
_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*(?:[^\S\n]+\Z)?")
_ER_OR_TY = re.compile(r"\nER|\nTY")  # lines that end or cut a record (if tags)


def sniff_ris(head: str, path: Path) -> bool:
    """True when the first RIS-tagged line of the file is ``TY  - ``.

    Lines before it may only be untagged preamble ("Provider: ..."): a file whose first
    tagged line is anything else (MEDLINE's ``PMID-``, WoS ``FN``) is not RIS.
    """
    for i, line in enumerate(head.lstrip("\ufeff").splitlines()):
        if i > 40:
            return False
        if line.startswith("TY  - ") or line.rstrip() == "TY  -" or line.startswith("TY - "):
            return True
        if _LOOSE_TAG.match(line) or re.match(r"^[A-Z][A-Z0-9 ]{1,3}[- ]", line):
            return False
    return False


def read_ris(path: Path, encoding: str) -> ReadResult:
    """Stream Records (and Rejects, with line numbers) from a RIS file.

    Lines end at CRLF, LF or a lone CR (old Mac files); a record holding bytes that are
    not valid in the file's encoding is quarantined naming their line and byte offset.

    Records are cut in the decoded text, not line by line: between records blank lines
    are skipped with one regex step, inside a record ``str.find`` jumps to the next line
    that starts with "ER" or "TY" (the only lines that end or cut a record), so Python
    works per record, not per line (26 lines in a Scopus record).
    """
    with open_text(path, encoding, _CHUNK) as fh:
        yield from _cut(fh)
        yield from leftover_bad_bytes(fh)


def _cut(fh: TextFile) -> ReadResult:
    lines = LineNumbers()  # line numbers are counted only for rejects and undecodable bytes
    # the record begun last: its position in buf, or (-1) its line once in an earlier buffer (0: none
    # yet); a lone ER line is reported at it, as the line-by-line reader did
    begun, begun_line = -1, 0
    rec = -1  # where the current record begins in buf; -1 between records
    scan = 0  # inside a record: the first line not yet looked at
    tail = ""
    for data in _with_end(fh.chunks()):
        eof = not data
        buf = tail + data
        lines.reset(buf, fh.line_breaks + 1)
        limit = len(buf) if eof else buf.rfind("\n") + 1  # whole lines only, until the end of the file
        find = buf.find
        pos = 0
        while True:
            if rec < 0:
                pos = _BLANK_LINES.match(buf, pos, limit).end()
                if pos >= limit:
                    break
                nl = find("\n", pos, limit)
                end = limit if nl < 0 else nl + 1
                if buf.startswith("ER", pos) and _is_tag(buf[pos:end]):  # an ER line alone
                    raw = buf[pos:end]
                    line = (lines(begun) if begun >= 0 else begun_line) or lines(pos)
                    bad = bad_bytes(fh, lines(pos), f"line {line}", raw) if fh.issues else None
                    yield bad or _finish(raw, partial(int, line))
                    pos = end
                    continue
                rec, begun, scan = pos, pos, end
            j = _next_er_or_ty(buf, scan, limit)
            if j < 0:
                scan = limit  # neither in the whole lines read so far
                break
            nl = find("\n", j + 1, limit)
            end = limit if nl < 0 else nl + 1
            if buf.startswith("TY", j + 1):  # the next record begins before this one ends
                line = lines(j + 1)
                reason = f"RIS record has no ER line before the next TY at line {line}"
                reject = Reject(location=f"line {lines(rec)}", reason=reason, raw=buf[rec : j + 1])
                yield with_bad_bytes(reject, fh, line - 1)
                rec, begun, scan = j + 1, j + 1, end
                continue
            raw = buf[rec:end]
            bad = bad_bytes(fh, lines(j + 1), f"line {lines(rec)}", raw) if fh.issues else None
            yield bad or _finish(raw, partial(lines, rec))
            rec, pos = -1, end
        if eof:
            if rec >= 0:
                reason = "RIS record truncated: the file ends before its ER line"
                reject = Reject(location=f"line {lines(rec)}", reason=reason, raw=buf[rec:limit])
                yield with_bad_bytes(reject, fh, 1 << 62)
            return
        keep = rec if rec >= 0 else min(pos, limit)  # the text still needed: the open record or a cut line
        if begun >= 0 and begun < keep:
            begun, begun_line = -1, lines(begun)
        elif begun >= 0:
            begun -= keep
        tail = buf[keep:]
        if rec >= 0:
            rec, scan = 0, scan - keep


def _next_er_or_ty(buf: str, scan: int, limit: int) -> int:
    """Position of the "\\n" before the first line at or after ``scan`` that is an ER or TY tag
    ("ER  - ", loose "ER - "; not "ERRATA ..."), or -1.  One regex search finds both tags."""
    m = _ER_OR_TY.search(buf, scan - 1, limit)
    while m is not None:
        j = m.start()
        nl = buf.find("\n", j + 1, limit)
        if _is_tag(buf[j + 1 : limit if nl < 0 else nl + 1]):
            return j
        m = _ER_OR_TY.search(buf, j + 1, limit)
    return -1


def _with_end(chunks: Iterator[str]) -> Iterator[str]:
    yield from chunks
    yield ""


def _is_tag(line: str) -> bool:
    if line[2:5] == "  -":
        return True
    m = _LOOSE_TAG.match(line)
    return bool(m and m.group(1) in _KNOWN)


# "(?<![^\n])": at the start of the text or of a line, cheaper than "^" with MULTILINE
_FIELD = re.compile(r"(?<![^\n])([A-Z][A-Z0-9])  - ?(.*)")


def _fields(raw: str) -> list[tuple[str, str]]:
    """(tag, value) pairs of one record; untagged lines are appended to the previous value."""
    pairs = _FIELD.findall(raw)
    # every line tagged (the usual case): as many pairs as lines, nothing to merge
    if len(pairs) == raw.count("\n") + (not raw.endswith("\n")):
        return pairs
    fields: list[list[str]] = []
    for line in raw.splitlines():
        body = line.strip()
        if not body:
            continue
        if line[2:5] == "  -" and line[:1] in _UPPER and line[1:2] in _TAG2:
            fields.append([line[:2], line[6:]])
        elif (m := _LOOSE_TAG.match(line)) and m.group(1) in _KNOWN:
            fields.append([m.group(1), m.group(2)])
        elif fields:
            prev = fields[-1]
            prev[1] = f"{prev[1].strip()} {body}" if prev[1].strip() else body
        else:
            fields.append(["", body])  # text before the first tag
    return [(t, v) for t, v in fields]


def _finish(raw: str, start: Callable[[], int]) -> Record | Reject:
    """Record (or Reject) for one record's text; ``start()``: the line it starts on (counted for a reject)."""
    try:
        return _build(_fields(raw), raw, start)
    except Exception as exc:  # a malformed record must not stop the file; it is quarantined
        reason = f"cannot read RIS record: {type(exc).__name__}: {exc}"
        return Reject(location=f"line {start()}", reason=reason, raw=raw)


def _build(fields: list[tuple[str, str]], raw: str, start: Callable[[], int]) -> Record | Reject:
    by: dict[str, list[str]] = {}
    for tag, value in fields:
        value = value.strip()
        if value:
            if tag in by:
                by[tag].append(value)
            else:
                by[tag] = [value]
    by.pop("ER", None)
    for alias, tag in _ALIAS.items():  # a few lookups per record instead of one per line
        if alias in by:
            by.setdefault(tag, []).extend(by.pop(alias))
    if not by:
        return Reject(location=f"line {start()}", reason="ER line without a record before it", raw=raw)
    if "TY" not in by:
        return Reject(location=f"line {start()}", reason="RIS record has no TY (type of reference) line", raw=raw)
    get = by.get
    first = dict(zip(by, map(_FIRST, by.values()), strict=True)).get  # the first value of a tag, or None
    extra: dict[str, str] = {}

    ty = by["TY"][0]
    kind = kind_for("ris", ty)
    if kind is None:
        extra["ris_type"] = ty
    if m3 := first("M3"):
        # Scopus writes its own document type in M3; it is finer than TY (a JOUR can
        # be a Review or a Conference Paper), so it wins when we know the label.
        extra["document_type"] = m3
        kind = kind_for("scopus", m3) or kind_for("ris", m3) or kind
    # TT is the translated title; ST (short title) stands in only when there is no TI
    titles = texts([*get("TI", ()), *get("TT", ())] or get("ST", ()))
    doi = None
    for value in get("DO", ()):
        if doi := normalize_doi(value):
            break
    urls = [u.strip() for v in get("UR", ()) for u in v.split(";") if u.strip()]
    if doi is None:
        doi = next((d for u in urls if "doi.org/" in u and (d := normalize_doi(u))), None)
    if not titles and not doi:
        return Reject(location=f"line {start()}", reason="RIS record has neither a title (TI/T1) nor a DOI", raw=raw)

    authors = [a for a in map(make_author, get("AU", ())) if a is not None]
    # Scopus writes author and index keywords as the same KW lines: both land in
    # author_keywords.  Some writers put "a; b; c" on one KW line.
    kw = get("KW", ())
    keywords = dedupe([k.strip() for v in kw for k in v.split(";")] if any(map(contains, kw, repeat(";"))) else kw)
    issns, isbns = serial_numbers(get("SN", ()))
    jf, jo = first("JF"), first("JO")
    abbr = first("J2") or (jo if jf and jo != jf else None)
    venue = Venue(
        name=jf or jo or first("T2"),
        abbreviation=abbr,
        issn=issns,
        isbn=isbns,
        publisher=first("PB"),
        volume=first("VL"),
        issue=first("IS"),
        pages=page_range(first("SP"), first("EP")),
    )
    ids = Identifiers(doi=doi)
    for url in urls:
        if eid := scopus_eid(url):
            ids.scopus = eid
            break
    ids.elibrary = next((e for u in urls if (e := elibrary_id(u))), None)
    for an in get("AN", ()):
        if an.upper().startswith("WOS:"):
            ids.wos = an.upper()
        else:
            extra["accession_number"] = an
    database = first("DB")
    if database:
        extra["database"] = database
    if c7 := first("C7"):
        extra["article_number"] = c7
    if (st := first("ST")) and "TI" in by:
        extra["short_title"] = st
    record = Record(
        kind=kind or Kind.OTHER,
        titles=titles,
        abstracts=texts(get("AB", ())),
        language=language_code(first("LA")),
        author_keywords=keywords,
        year=parse_year(first("PY")) or parse_year(first("DA")),
        date=_best_date(first("DA"), first("PY")),
        venue=venue,
        ids=ids,
        authors=authors,
        affiliations=list(map(Affiliation, dedupe(get("AD", ())))),
        url=urls[0] if urls else None,
        source="ris",
        raw=raw,
        extra=extra,
    )
    if "N1" in by:
        _notes(record, by["N1"], database)
    for tag in list(filterfalse(_MAPPED.__contains__, by)):
        key = rispy.TAG_KEY_MAPPING.get(tag, tag) if tag else "untagged"
        extra[key] = "; ".join(by[tag])
    return record


def _best_date(da: str | None, py: str | None) -> str | None:
    """The more precise of DA and PY ('2009' loses to '2009-05-12')."""
    dates = [d for d in (parse_date(da), parse_date(py)) if d]
    return max(dates, key=len) if dates else None


_NOTE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]{2,40}?)\s*(?:\d+\s*)?:\s*(.*)$", re.DOTALL)


def _notes(record: Record, notes: list[str], database: str | None) -> None:
    """Scopus packs several fields into N1 notes ("Cited By :8", "References: a; b", ...)."""
    if not notes:
        return
    count = export_date = None
    other = []
    for note in notes:
        n = cited_by(note)
        if n is not None:
            count = n
            continue
        m = _NOTE_KEY.match(note)
        key = m.group(1).strip().lower() if m else ""
        value = m.group(2).strip() if m else note
        if key == "references":
            refs = (reference(r) for r in value.split("; "))
            record.references.extend(r for r in refs if r is not None)
        elif key == "export date":
            export_date = parse_date(value)
        elif key == "funding details":
            record.funding.append(clean(value) or value)
        elif key == "funding text":
            record.extra["funding_text"] = clean(value) or value
        elif key == "correspondence address":
            record.extra["correspondence_address"] = clean(value) or value
        else:
            other.append(note)
    if count is not None:
        # "Cited By" notes come from Scopus exports; a DB tag naming another database wins
        source = "scopus" if not database or "scopus" in database.lower() else database.lower()
        record.citations.append(CitationCount(count=count, source=source, date=export_date))
    if other:
        record.extra["notes"] = "\n".join(other)


READERS = [ReaderSpec("ris", "RIS (Scopus, SciELO, EndNote, Zotero)", sniff_ris, read_ris, priority=20)]
