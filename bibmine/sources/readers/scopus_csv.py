"""Scopus CSV export, old (c. 2015, 41 columns) and current (45 columns) layouts.

Columns are found by name, case-insensitively, so the order and the set of columns may
vary between export dates and field selections.  Layout differences handled here:

- Authors: "Surname I.I." separated by "," (old) or ";" (current, which also has
  "Author full names" as "Surname, Given (scopus id)").
- "Authors with affiliations": one "Name, affiliation" entry per author, where the name
  is "Ivanov I.I." (current) or "Ivanov, I.I." (old).
- References: "; " between references (old) or between authors too, each reference then
  ending with its year in parentheses (current).
- Exports c. 2022 have one more cell per row than the header (a second funding text
  with no column name); such rows are realigned when the EID cell proves the shift.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibmine.record import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reference,
    Reject,
    Venue,
    normalize_doi,
)
from bibmine.sources.readers._csv_rows import check_header, header_cells, iter_csv_rows, last_line
from bibmine.sources.readers._fieldnorm import (
    kind_for,
    language_code,
    make_author,
    page_range,
    reference,
    scopus_eid,
    serial_numbers,
    texts,
)
from bibmine.sources.readers._shared import person_key
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_int, parse_year, raw_json, split_multi
from bibmine.sources.textutil import unless_placeholder

SOURCE = "scopus_csv"

# columns mapped to Record fields (lower-cased); the others go to Record.extra by name
_MAPPED = frozenset(
    {
        "authors", "author full names", "author(s) id", "title", "year", "source title", "volume",
        "issue", "page start", "page end", "cited by", "doi", "link", "affiliations",
        "authors with affiliations", "abstract", "author keywords", "index keywords",
        "funding details", "references", "publisher", "issn", "isbn", "pubmed id",
        "language of original document", "abbreviated source title", "document type", "eid",
        "source",  # always "Scopus"
    }
)  # fmt: skip
_MISSING = frozenset({"", "NA", "[No abstract available]", "[No author name available]"})
# "English title; [Original title]" (current), "English title. [Original title]" (old)
_TRANSLATED_TITLE = re.compile(r"^(.+?)(?:;|(?<=\.))\s*\[(.+)\]$", re.DOTALL)
_FULL_NAME = re.compile(r"^(.*?)\s*\((\d+)\)$")
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,3}\.[\s-]?)+$")
# current layout: every reference ends with "(2021)"; authors inside it are "; "-separated
_NEW_REFS_END = re.compile(r"\(\d{4}\)\s*$")
_NEW_REFS_SPLIT = re.compile(r"(?<=\(\d{4}\));\s+")
# the publisher's copyright line Scopus appends to abstracts: "© 2020 Elsevier Ltd. ..."
_COPYRIGHT_TAIL = re.compile(r"\s*(?:Copyright\s*:?\s*)?(?:©|\(C\)\s*\d{4}|Copyright\s+\d{4})[^©]{0,600}$")


def sniff_scopus_csv(head: str, path: Path) -> bool:
    """True when the header row has Scopus's "EID", "Authors", "Title" and "Source title"/"Source"."""
    cells = {c.lower() for c in header_cells(head)}
    return {"eid", "authors", "title"}.issubset(cells) and bool(cells & {"source title", "source"})


def read_scopus_csv(path: Path, encoding: str) -> ReadResult:
    """Records of a Scopus CSV export; rows that cannot be read become Rejects at "row N".

    Row numbers count CSV rows with the header as row 1 (a row may span several lines;
    the reason names the line it starts on).
    """
    with open_text(path, encoding) as fh:
        rows = iter_csv_rows(fh)
        first = next(rows, None)
        if first is None or first.cells is None:
            raise ValueError(f"{path}: no readable Scopus CSV header row")
        header = [h.strip() for h in first.cells]
        check_header(header, path)
        columns = {h.lower(): i for i, h in enumerate(header)}
        yield from leftover_bad_bytes(fh, last_line(first))  # bytes of the header the encoding cannot decode
        for row_no, row in enumerate(rows, 2):
            where = f"row {row_no}"
            if (bad := bad_bytes(fh, last_line(row), where, row.raw)) is not None:
                yield bad
                continue
            cells = row.cells
            if cells is not None and len(cells) != len(header):
                cells = _realign(cells, columns, len(header))
            if cells is None:
                why = row.error or f"row has {len(row.cells or ())} cells, the header has {len(header)}"
                yield Reject(location=where, reason=f"{why} (line {row.line})", raw=row.raw)
                continue
            pairs = [(h, c.strip()) for h, c in zip(header, cells, strict=True) if c.strip()]
            useful = [(h, c) for h, c in pairs if c not in _MISSING]  # R's "NA", "[No ... available]"
            try:
                record = _record({h.lower(): c for h, c in useful}, useful)
            except Exception as exc:  # a row the mapping chokes on is quarantined, the file goes on
                reason = f"cannot read Scopus row: {type(exc).__name__}: {exc} (line {row.line})"
                yield Reject(location=where, reason=reason, raw=row.raw)
                continue
            if not record.titles and not record.ids.scopus and not record.ids.doi:
                reason = f"row has neither a title nor an EID or DOI (line {row.line})"
                yield Reject(location=where, reason=reason, raw=row.raw)
                continue
            record.raw = raw_json(dict(pairs))
            yield record
        yield from leftover_bad_bytes(fh)


# columns whose values have a shape of their own, to tell a row shifted before "Funding Text 1"
_SHAPES = {"year": re.compile(r"\d{4}"), "cited by": re.compile(r"\d+"), "page count": re.compile(r"\d+"),
           "doi": re.compile(r"10\.\S+"), "link": re.compile(r"https?://\S+")}


def _realign(cells: list[str], columns: dict[str, int], width: int) -> list[str] | None:
    """Merge the unnamed cells after "Funding Text 1" back into it, or None if that is not the case."""
    extra = len(cells) - width
    text_col, eid_col = columns.get("funding text 1"), columns.get("eid")
    if extra <= 0 or text_col is None or eid_col is None or eid_col <= text_col:
        return None
    if not cells[eid_col + extra].startswith("2-s2.0-"):
        return None  # the shift is somewhere else: do not guess
    for name, pattern in _SHAPES.items():  # cells before the funding text must be where the header says
        col = columns.get(name)
        if col is not None and col < text_col and cells[col].strip() and not pattern.fullmatch(cells[col].strip()):
            return None  # a stray cell before "Funding Text 1": the EID check cannot see it
    funding = dict.fromkeys(c.strip() for c in cells[text_col : text_col + extra + 1] if c.strip())
    return [*cells[:text_col], "\n".join(funding), *cells[text_col + extra + 1 :]]


def _record(row: dict[str, str], cells: list[tuple[str, str]]) -> Record:
    get = row.get
    authors = _authors(get("authors"), get("author full names"), get("author(s) id"))
    affiliations = _affiliations(authors, get("affiliations"), get("authors with affiliations"))
    issn, _ = serial_numbers([get("issn")])
    _, isbn = serial_numbers([get("isbn")])
    cited = parse_int(get("cited by"))
    pmid = unless_placeholder(get("pubmed id"))
    abstract = strip_copyright(get("abstract"))
    extra = {h: v for h, v in cells if h.lower() not in _MAPPED}
    return Record(
        kind=kind_for("scopus", get("document type")) or Kind.OTHER,
        titles=texts(_titles(get("title"))),
        abstracts=texts([abstract]) if abstract else [],
        language=language_code((get("language of original document") or "").split(";", 1)[0]),
        author_keywords=split_multi(get("author keywords")),
        indexed_keywords=split_multi(get("index keywords")),
        year=parse_year(get("year")),
        venue=Venue(
            name=get("source title"),
            abbreviation=get("abbreviated source title"),
            issn=issn,
            isbn=isbn,
            publisher=get("publisher"),
            volume=get("volume"),
            issue=get("issue"),
            pages=page_range(get("page start"), get("page end")),
        ),
        ids=Identifiers(
            doi=normalize_doi(get("doi")),
            scopus=unless_placeholder(get("eid")) or scopus_eid(get("link")),
            pmid=pmid if pmid and pmid.isascii() and pmid.isdigit() else None,
        ),
        authors=authors,
        affiliations=affiliations,
        references=_references(get("references")),
        citations=[CitationCount(cited, "scopus")] if cited is not None else [],
        funding=split_multi(get("funding details")),
        url=get("link"),
        source=SOURCE,
        extra=extra,
    )


def strip_copyright(abstract: str | None) -> str | None:
    """Abstract without the publisher's copyright line(s) Scopus appends; None if nothing is left.

    >>> strip_copyright("Soils were mapped. © 2013 Elsevier. Copyright © 2012 Elsevier Ltd.")
    'Soils were mapped.'
    """
    for _ in range(3):  # some abstracts carry two or three copyright lines
        if not abstract:
            break
        abstract = _COPYRIGHT_TAIL.sub("", abstract)
    return abstract or None


def _titles(title: str | None) -> list[str]:
    """["English title", "original title"] from Scopus's "English title; [Original title]"."""
    if not title:
        return []
    m = _TRANSLATED_TITLE.match(title) if title.endswith("]") else None
    return [m.group(1), m.group(2)] if m else [title]


def _authors(short: str | None, full: str | None, ids: str | None) -> list[Author]:
    """Authors in byline order: full names when given and aligned, with their Scopus ids."""
    sep = ";" if short and ";" in short else ","
    short_names = split_multi(short, sep)
    full_names: list[tuple[str, str | None]] = []
    for part in split_multi(full):
        m = _FULL_NAME.match(part)
        full_names.append((m.group(1), m.group(2)) if m else (part, None))
    id_list = split_multi(ids)
    if full_names and (not short_names or len(full_names) == len(short_names)):
        names = full_names
    else:
        names = [(n, None) for n in short_names]
    if len(id_list) != len(names):
        id_list = []  # ids that do not line up with the names would be attached to the wrong person
    authors = []
    for i, (name, scopus_id) in enumerate(names):
        author = make_author(name)
        if author is None:
            continue
        scopus_id = scopus_id or (id_list[i] if id_list else None)
        if scopus_id:
            author.ids["scopus"] = scopus_id
        authors.append(author)
    return authors


def _affiliations(authors: list[Author], listed: str | None, by_author: str | None) -> list[Affiliation]:
    """Affiliations ("Affiliations" column) with each author linked via "Authors with affiliations"."""
    affiliations = [Affiliation(raw=a) for a in split_multi(listed)]
    index = {a.raw: i for i, a in enumerate(affiliations)}
    entries = split_multi(by_author)
    positional = len(entries) == len(authors)
    keys = {a.normalized: a for a in authors} if not positional else {}
    for n, entry in enumerate(entries):
        name, rest = _split_entry(entry, authors[n].name if positional else None)
        author = authors[n] if positional else keys.get(person_key(name))
        if author is None or not rest:
            continue
        found = [i for raw, i in index.items() if raw == rest] or [i for raw, i in index.items() if raw in rest]
        if not found:  # an affiliation the "Affiliations" column does not list
            index[rest] = len(affiliations)
            affiliations.append(Affiliation(raw=rest))
            found = [index[rest]]
        author.affiliations.extend(i for i in found if i not in author.affiliations)
    return affiliations


def _split_entry(entry: str, name: str | None = None) -> tuple[str, str]:
    """(author, affiliation) of one "Authors with affiliations" entry; affiliation may be "".

    Current exports write "Ivanov I.I., affiliation"; old ones "Ivanov, I.I., affiliation"
    and, for an author without affiliation, just "Ivanov, I.I." -- whose initials are a
    name part, not an affiliation.  ``name`` (the author this entry belongs to, when the
    entries line up with the authors) is matched first, in both spellings.

    >>> _split_entry("Folkman, J."), _split_entry("Slamon, D.J., UCLA, Los Angeles")
    (('Folkman, J.', ''), ('Slamon, D.J.', 'UCLA, Los Angeles'))
    >>> _split_entry("Janko, Wolfgang, Univ Karlsruhe, Karlsruhe", "Janko Wolfgang")
    ('Janko Wolfgang', 'Univ Karlsruhe, Karlsruhe')
    >>> _split_entry("Иванов И.И., ВГУ, Воронеж, Россия")
    ('Иванов И.И.', 'ВГУ, Воронеж, Россия')
    """
    if name:
        surname, _, given = name.rpartition(" ")
        for form in (name, f"{surname}, {given}" if surname else name):
            if entry == form:
                return name, ""
            if entry.startswith(form + ", "):
                return name, entry[len(form) + 2 :].strip()
    parts = entry.split(", ")
    if len(parts) >= 2 and _INITIALS.match(parts[1]):
        return f"{parts[0]}, {parts[1]}", ", ".join(parts[2:])
    return parts[0], ", ".join(parts[1:])


def _references(value: str | None) -> list[Reference]:
    if not value:
        return []
    parts = _NEW_REFS_SPLIT.split(value) if _NEW_REFS_END.search(value) else value.split("; ")
    return [r for r in map(reference, parts) if r is not None]


READERS = [
    ReaderSpec(
        name=SOURCE,
        label="Scopus CSV",
        sniff=sniff_scopus_csv,
        read=read_scopus_csv,
        priority=40,
    )
]
