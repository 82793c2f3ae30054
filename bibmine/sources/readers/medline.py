"""PubMed MEDLINE reader (the "PubMed" format of pubmed.ncbi.nlm.nih.gov, .nbib files).

Lines are ``TAG - value`` with the tag padded to four characters (``PMID-``, ``FAU -``);
a value continues on lines indented with six spaces.  Records start at ``PMID-`` and are
separated by blank lines.  Author blocks are positional: ``FAU``/``AU`` open an author,
and the ``AUID`` and ``AD`` lines after them belong to that author.

Truncated last record: PubMed ends every record with ``SO`` (the citation line).  When
the file's last record has no ``SO`` while the records before it do, the export was cut
(metaknowledge's sample ends mid-``TI``); that record becomes a :class:`Reject` instead of a
Record with a half title, so it goes to quarantine with its text and can be re-fetched.
A file whose records never carry ``SO`` cannot be checked this way and is read as is.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibmine.record import (
    Affiliation,
    Author,
    Identifiers,
    Kind,
    Record,
    Reject,
    Venue,
    normalize_doi,
    normalize_orcid,
)
from bibmine.sources.readers._fieldnorm import (
    clean,
    dedupe,
    kind_for,
    language_code,
    make_author,
    page_range,
    parse_date,
    serial_numbers,
    texts,
)
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text, with_bad_bytes
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_year
from bibmine.sources.textutil import unless_placeholder

# When a record has several publication types, the most specific kind wins
_KIND_ORDER = (Kind.PREPRINT, Kind.REVIEW, Kind.CONFERENCE_PAPER, Kind.ARTICLE)
_TAGGED = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")


def sniff_medline(head: str, path: Path) -> bool:
    """True when the first non-blank line is ``PMID- <digits>``."""
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return bool(re.match(r"^PMID- ?\d+", line))
    return False


def read_medline(path: Path, encoding: str) -> ReadResult:
    """Stream Records (and Rejects with the record's line) from a MEDLINE file."""
    fields: list[list[str]] = []
    raw_lines: list[str] = []
    start = 0
    seen_so = False
    with open_text(path, encoding) as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno == 1:
                line = line.lstrip("\ufeff")
            body = line.rstrip("\r\n")
            if not body.strip():
                if fields:
                    seen_so = seen_so or any(f[0] == "SO" for f in fields)
                    yield _checked(fh, fields, raw_lines, start, lineno - 1)
                    fields, raw_lines = [], []
                continue
            if body[:1] == " ":
                if fields:
                    fields[-1][1] = f"{fields[-1][1]} {body.strip()}"
                else:
                    fields.append(["", body.strip()])
                    start = lineno
                raw_lines.append(line)
                continue
            if len(body) > 4 and body[4] == "-":
                tag, value = body[:4].rstrip(), body[5:].strip()
            elif m := _TAGGED.match(body):
                tag, value = m.group(1), m.group(2).strip()
            else:
                tag, value = "", body.strip()
            if tag == "PMID" and fields:  # a record not closed by a blank line
                seen_so = seen_so or any(f[0] == "SO" for f in fields)
                yield _checked(fh, fields, raw_lines, start, lineno - 1)
                fields, raw_lines = [], []
            if not fields:
                start = lineno
            fields.append([tag, value])
            raw_lines.append(line)
        if fields:
            if seen_so and not any(f[0] == "SO" for f in fields):
                reject = Reject(
                    location=f"line {start}",
                    reason="MEDLINE record truncated: the file ends inside it (no SO line, "
                    "which ends every other record); last field read: " + (fields[-1][0] or "?"),
                    raw="".join(raw_lines),
                )
                yield with_bad_bytes(reject, fh, 1 << 62)
            else:
                yield _checked(fh, fields, raw_lines, start, 1 << 62)
        yield from leftover_bad_bytes(fh)


def _checked(fh, fields: list[list[str]], raw_lines: list[str], start: int, last_line: int) -> Record | Reject:
    """The record, or a Reject when its lines hold bytes not valid in the file's encoding."""
    return bad_bytes(fh, last_line, f"line {start}", "".join(raw_lines)) or _finish(fields, raw_lines, start)


def _finish(fields: list[list[str]], raw_lines: list[str], start: int) -> Record | Reject:
    raw = "".join(raw_lines)
    try:
        return _build(fields, raw, start)
    except Exception as exc:  # a malformed record must not stop the file; it is quarantined
        return Reject(
            location=f"line {start}", reason=f"cannot read MEDLINE record: {type(exc).__name__}: {exc}", raw=raw
        )


def _build(fields: list[list[str]], raw: str, start: int) -> Record | Reject:
    by: dict[str, list[str]] = {}
    authors: list[Author] = []
    affiliations: list[str] = []
    last_from_fau = False
    for tag, value in fields:
        if not value:
            continue
        by.setdefault(tag, []).append(value)
        if tag == "FAU" or (tag == "AU" and not last_from_fau):
            if (author := make_author(value)) is not None:
                authors.append(author)
            last_from_fau = tag == "FAU"
        elif tag == "AU":
            last_from_fau = False  # the short form of the FAU just read
        elif tag == "AUID" and authors and (orcid := normalize_orcid(value)):
            authors[-1].orcid = orcid
        elif tag == "AD":
            ad = clean(value) or value
            if ad not in affiliations:
                affiliations.append(ad)
            if authors:  # an AD before any author stays a record-level affiliation
                authors[-1].affiliations.append(affiliations.index(ad))
    pmid = unless_placeholder((by.get("PMID") or [None])[0])
    if not pmid:
        return Reject(location=f"line {start}", reason="MEDLINE record has no PMID line", raw=raw)
    first = lambda tag: (by.get(tag) or [None])[0]  # noqa: E731 - local shorthand
    extra: dict[str, str] = {}

    title = first("TI")
    title_lang = None
    if title and title.startswith("[") and title.rstrip(".").endswith("]"):
        # NLM brackets a title it translated into English from the article's language
        title, title_lang = title.rstrip(".")[1:-1], "en"
    titles = texts([title], title_lang) + texts(by.get("TT", ()))
    doi = None
    ids_extra = {}
    for value in by.get("LID", []) + by.get("AID", []):
        ident, _, kind = value.rpartition(" ")
        if kind == "[doi]" and doi is None:
            doi = normalize_doi(ident)
        elif kind.startswith("[") and kind.endswith("]"):
            ids_extra.setdefault(kind[1:-1], ident)
    if pii := ids_extra.get("pii"):
        extra["pii"] = pii
    pts = by.get("PT", [])
    kinds = {k for pt in pts if (k := kind_for("pubmed", pt))}
    kind = next((k for k in _KIND_ORDER if k in kinds), Kind.OTHER)
    if pts:
        extra["publication_types"] = "; ".join(pts)
    issns, _ = serial_numbers(by.get("IS", ()))
    dp = first("DP")
    year = parse_year(dp)
    for tag, key in (
        ("PMC", "pmcid"),
        ("PL", "country_of_publication"),
        ("CN", "group_authors"),
        ("DEP", "electronic_publication_date"),
    ):
        if tag in by:
            extra[key] = "; ".join(by[tag])
    if "" in by:
        extra["untagged"] = " ".join(by[""])
    record = Record(
        kind=kind,
        titles=titles,
        abstracts=texts([*by.get("AB", ()), *by.get("OAB", ())]),
        language=language_code(first("LA")),
        author_keywords=dedupe(by.get("OT", ())),
        indexed_keywords=dedupe(mh.replace("*", "") for mh in by.get("MH", ())),
        year=year,
        date=parse_date(dp, year),
        venue=Venue(
            name=first("JT"),
            abbreviation=first("TA"),
            issn=issns,
            volume=first("VI"),
            issue=first("IP"),
            pages=page_range(first("PG")),
        ),
        ids=Identifiers(doi=doi, pmid=pmid),
        authors=authors,
        affiliations=[Affiliation(raw=a) for a in affiliations],
        funding=dedupe(by.get("GR", ())),
        source="medline",
        raw=raw,
        extra=extra,
    )
    if not record.titles and not doi:
        return Reject(location=f"line {start}", reason=f"MEDLINE record PMID {pmid} has no title (TI)", raw=raw)
    return record


READERS = [ReaderSpec("medline", "PubMed MEDLINE (.nbib)", sniff_medline, read_medline, priority=20)]
