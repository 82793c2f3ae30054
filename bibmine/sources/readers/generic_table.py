"""Generic CSV / XLSX reader driven by a column-mapping file (eLIBRARY lists, own tables).

Any table of publications can be imported once a TOML mapping says which column holds
which record field; the mapping format is described in :mod:`._table_mapping` and, with
comments, in ``table_mapping.example.toml``.  Use :func:`read_table` directly, or put a
mapping beside the file (``export.csv.mapping.toml``, ``export.mapping.toml`` or a
``[table_mapping]`` in the folder's ``bibmine.toml``): only then does the registry's
sniffer claim the file, so a CSV nobody described still gets the "unknown format" message.
Vendor formats are sniffed first (priority 90 here): to read a Lens or Scopus CSV through
a mapping anyway, call :func:`read_table` or pass ``format="table"`` to ``open_export``.

Rows that cannot be read become Rejects at ``line N`` (CSV, the physical line where the
row starts) or ``row N`` (XLSX, the sheet's row number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from bibmine.record import (
    Affiliation,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reject,
    RubricAssignment,
    Text,
    Venue,
    normalize_doi,
)
from bibmine.sources.encoding import read_head
from bibmine.sources.readers._csv_rows import check_header, guess_delimiter, iter_csv_rows, last_line
from bibmine.sources.readers._fieldnorm import (
    clean,
    dedupe,
    kind_for,
    language_code,
    make_author,
    open_text,
    page_range,
    parse_date,
    serial_numbers,
    texts,
)
from bibmine.sources.readers._table_mapping import TableMapping, find_mapping, load_mapping
from bibmine.sources.readers._textio import describe_issues
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_int, parse_year, split_multi
from bibmine.sources.textutil import unless_placeholder

_XLSX = (".xlsx", ".xlsm")
_GRNTI = re.compile(r"^(\d{2}(?:\.\d{2}){0,2})(?:\s*[-\u2013\u2014:]?\s*(.*))?$")
_TRUE = frozenset(("1", "да", "yes", "true", "+", "y", "д"))


def sniff_table(head: str, path: Path) -> bool:
    """Claim a CSV/XLSX only when a mapping applies to it and (CSV) its title column is there."""
    mapping_path = find_mapping(path)
    if mapping_path is None:
        return False
    if path.suffix.lower() in _XLSX:
        return True
    try:
        mapping = load_mapping(mapping_path)
    except ValueError:
        return False  # a broken mapping claims nothing; read_table reports why when called
    wanted = [mapping.columns[f] for f in ("title", "title_ru", "title_en", "doi") if f in mapping.columns]
    return any(column in head for column in wanted)


def read_mapped_table(path: Path, encoding: str) -> ReadResult:
    """Registry entry point: read ``path`` with the mapping found beside it."""
    mapping_path = find_mapping(path)
    if mapping_path is None:
        raise ValueError(f"{path}: no column mapping found (expected {path.name}.mapping.toml beside it)")
    return read_table(path, mapping_path, encoding)


def read_table(path: str | Path, mapping_path: str | Path, encoding: str | None = "utf-8") -> ReadResult:
    """Stream Records and Rejects from a CSV or XLSX file described by a TOML mapping.

    Raises :class:`~._table_mapping.MappingError` for an unusable mapping and ValueError
    when the file lacks a mapped column: nothing in the file could be read then.
    """
    path, mapping = Path(path), load_mapping(Path(mapping_path))
    if path.suffix.lower() in _XLSX:
        rows = _xlsx_rows(path, mapping)
    else:
        rows = _csv_rows(path, str(mapping.table.get("encoding") or encoding or "utf-8"), mapping)
    header: list[str] | None = None
    for where, cells, error, raw in rows:
        if header is None:
            header = _check_header(path, mapping, cells)
            continue
        if cells is None:
            yield Reject(location=where, reason=f"row skipped: {error}", raw=raw)  # bad quoting, bad bytes
            continue
        if len(cells) > len(header) and any(c for c in cells[len(header) :]):
            yield Reject(location=where, reason=f"row has {len(cells)} cells, the header has {len(header)}", raw=raw)
            continue
        row = dict(zip(header, cells, strict=False))
        if not any(row.values()):
            continue
        try:
            yield _record(row, mapping, raw, where)
        except Exception as exc:  # a malformed row must not stop the file; it is quarantined
            yield Reject(location=where, reason=f"cannot read row: {type(exc).__name__}: {exc}", raw=raw)


Row = tuple[str, list[str] | None, str | None, str]


def _check_header(path: Path, mapping: TableMapping, cells: list[str] | None) -> list[str]:
    if cells is None:
        raise ValueError(f"{path}: header row {mapping.header_row} cannot be read")
    header = [c.strip() for c in cells]
    wanted = [*mapping.columns.values(), *mapping.rubrics.values()]
    # a mapped column named twice: which cell holds the value cannot be told
    check_header([h if h.strip().lower() in {w.strip().lower() for w in wanted} else "" for h in header], path)
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ValueError(
            f"{path}: column(s) named in {mapping.path.name} are not in the header: "
            f"{', '.join(missing)}; header has: {', '.join(header)}"
        )
    return header


def _csv_rows(path: Path, encoding: str, mapping: TableMapping) -> Iterator[Row]:
    delimiter = str(mapping.table.get("delimiter") or "")
    max_lines = int(mapping.table.get("max_row_lines", 200))  # type: ignore[call-overload]
    with open_text(path, encoding) as fh:
        skip = mapping.header_row - 1
        rows = iter_csv_rows(fh, delimiter or guess_delimiter(read_head(path, encoding)), max_lines)
        header_seen = False
        for row in rows:
            if skip > 0:
                skip -= 1
                continue
            issues = fh.take_issues(last_line(row))
            if issues and header_seen:  # this row alone is quarantined
                yield f"line {row.line}", None, describe_issues(path, issues), row.raw
                continue
            if issues:
                raise ValueError(f"{path}: the header row (line {row.line}) cannot be decoded: "
                                 + describe_issues(path, issues))
            header_seen = True
            yield f"line {row.line}", row.cells, row.error, row.raw


def _xlsx_rows(path: Path, mapping: TableMapping) -> Iterator[Row]:
    import openpyxl  # only XLSX imports need it, and it is slow to import

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet_name = mapping.table.get("sheet")
        if sheet_name and sheet_name not in book.sheetnames:
            raise ValueError(f"{path}: no sheet {sheet_name!r}; sheets: {', '.join(book.sheetnames)}")
        sheet = book[str(sheet_name)] if sheet_name else book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if number < mapping.header_row:
                continue
            cells = [_cell(v) for v in values]
            yield f"row {number}", cells, None, "\t".join(cells)
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2021 as 2021.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _record(row: dict[str, str], mapping: TableMapping, raw: str, where: str) -> Record | Reject:
    cols = mapping.columns

    def get(name: str) -> str | None:
        # an empty cell falls back to [defaults] too, not only an unmapped field
        value = clean(row.get(cols[name])) if name in cols else None
        return value or clean(mapping.defaults.get(name))

    def many(name: str) -> list[str]:
        return dedupe(split_multi(get(name), mapping.separator(name)))

    language = language_code(get("language"))
    titles = texts([get("title")], None) + texts([get("title_ru")], "ru") + texts([get("title_en")], "en")
    titles = _unique_texts(titles)
    doi = normalize_doi(get("doi"))
    if not titles and not doi:
        return Reject(location=where, reason="row has neither a title nor a DOI", raw=raw)
    extra: dict[str, str] = {}
    kind = _kind(get("kind"), mapping, extra)
    year = parse_year(get("year")) or parse_year(get("date"))
    issns, isbns = serial_numbers([*many("issn"), *many("isbn")])
    rubric_source = str(mapping.table.get("rubric_source", "manual"))
    annotator = mapping.table.get("rubric_annotator")
    rubrics = []
    for scheme, cell in [("grnti", get("grnti")), *((s, clean(row.get(c))) for s, c in mapping.rubrics.items())]:
        for code, label in _rubric_codes(scheme, split_multi(cell, mapping.separator(scheme)), extra):
            rubrics.append(
                RubricAssignment(
                    scheme=scheme,
                    code=code,
                    source=rubric_source,
                    annotator=str(annotator) if annotator else None,
                    label=label,
                )
            )
    citations = []
    if (count := parse_int(get("citations"))) is not None:
        citations.append(CitationCount(count=count, source=str(mapping.table.get("citations_source", mapping.source))))
    rsci = get("rsci_core")
    return Record(
        kind=kind,
        titles=titles,
        abstracts=_unique_texts(
            texts([get("abstract")]) + texts([get("abstract_ru")], "ru") + texts([get("abstract_en")], "en")
        ),
        language=language,
        author_keywords=many("keywords"),
        indexed_keywords=many("indexed_keywords"),
        year=year,
        date=parse_date(get("date"), year) or (str(year) if year else None),
        venue=Venue(
            name=get("journal"),
            abbreviation=get("journal_abbreviation"),
            issn=issns,
            isbn=isbns,
            publisher=get("publisher"),
            volume=get("volume"),
            issue=get("issue"),
            pages=page_range(get("pages") or get("first_page"), get("last_page")),
            rsci_core=(rsci.lower() in _TRUE) if rsci else None,
        ),
        ids=Identifiers(
            doi=doi,
            elibrary=unless_placeholder(get("elibrary_id")),
            wos=unless_placeholder(get("wos_id")),
            scopus=unless_placeholder(get("scopus_id")),
            pmid=unless_placeholder(get("pmid")),
            openalex=unless_placeholder(get("openalex_id")),
        ),
        authors=[a for a in map(make_author, many("authors")) if a is not None],
        affiliations=[Affiliation(raw=a) for a in many("affiliations")],
        citations=citations,
        rubrics=rubrics,
        funding=many("funding"),
        url=get("url"),
        source=mapping.source,
        raw=raw,
        extra=extra,
    )


def _unique_texts(items: list[Text]) -> list[Text]:
    seen: set[str] = set()
    return [t for t in items if not (t.text in seen or seen.add(t.text))]


def _kind(value: str | None, mapping: TableMapping, extra: dict[str, str]) -> Kind:
    if not value:
        return Kind(mapping.defaults.get("kind", Kind.OTHER.value))
    key = " ".join(value.split()).lower()
    if key in mapping.kinds:
        return Kind(mapping.kinds[key])
    if key in Kind._value2member_map_:
        return Kind(key)
    found = kind_for("elibrary", key)
    if found is None:
        extra["document_type"] = value
    return found or Kind(mapping.defaults.get("kind", Kind.OTHER.value))


def _rubric_codes(scheme: str, cells: list[str], extra: dict[str, str]) -> list[tuple[str, str | None]]:
    """GRNTI cells are checked ("34.15.23" or "34.15.23 - Label"); other schemes pass as given."""
    if scheme != "grnti":
        return [(c, None) for c in dedupe(cells)]
    out, bad = [], []
    for cell in cells:
        m = _GRNTI.match(cell)
        if m and m.group(1) not in [c for c, _ in out]:
            out.append((m.group(1), clean(m.group(2))))
        elif not m:
            bad.append(cell)
    if bad:
        extra["invalid_grnti"] = "; ".join(bad)  # kept, not guessed: GRNTI codes look like 34.15.23
    return out


READERS = [ReaderSpec("table", "CSV/XLSX table with a column mapping", sniff_table, read_mapped_table, priority=90)]
