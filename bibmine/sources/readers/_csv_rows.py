"""CSV rows with line numbers, where one badly quoted row cannot spoil the rest of the file.

``csv.reader`` over a whole file either stops at the first quoting error (strict mode) or
silently glues rows together (lenient mode).  Here physical lines are gathered until
their double quotes balance, and only that logical row is handed to ``csv.reader`` in
strict mode: a bad row becomes an error naming its first line, and reading goes on.
A quote that never closes would swallow the rest of the file, so after
``max_row_lines`` lines the first line is reported and the others are read again.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from bibmine.record import Record, Reject
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text

# Scopus/Lens reference cells exceed csv's default 128 KiB field limit
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


class CsvRow(NamedTuple):
    line: int  # physical line where the row starts (1-based)
    cells: list[str] | None  # None when the row could not be parsed
    error: str | None
    raw: str


def iter_csv_rows(lines: Iterable[str], delimiter: str = ",", max_row_lines: int = 200) -> Iterator[CsvRow]:
    """Logical CSV rows of ``lines`` (an open file with ``newline=""``), blank rows skipped.

    >>> rows = list(iter_csv_rows(['a,b\\n', '"x\\n', 'y",2\\n', '"bad"q,3\\n', 'c,4\\n']))
    >>> [(r.line, r.cells) for r in rows]
    [(1, ['a', 'b']), (2, ['x\\ny', '2']), (4, None), (5, ['c', '4'])]
    >>> rows[2].error.startswith("bad quoting")
    True
    """
    source = enumerate(lines, 1)
    pending: deque[tuple[int, str]] = deque()
    buf: list[tuple[int, str]] = []
    quotes = 0
    exhausted = False
    while True:
        if pending:
            item = pending.popleft()
        elif not exhausted:
            item = next(source, None)
            exhausted = item is None
        else:
            item = None
        if item is None:
            if not buf:
                return
            # file ended inside a quoted cell: report the row's first line, re-read the rest
            yield _unclosed(buf[0], "the file ends inside a quoted cell")
            pending.extend(buf[1:])
            buf, quotes = [], 0
            continue
        if item[0] == 1:
            item = (1, item[1].lstrip("\ufeff"))
        buf.append(item)
        quotes += item[1].count('"')
        if quotes % 2:
            if len(buf) < max_row_lines:
                continue
            yield _unclosed(buf[0], f"no closing quote within {max_row_lines} lines")
            pending.extendleft(reversed(buf[1:]))
            buf, quotes = [], 0
            continue
        text = "".join(line for _, line in buf)
        start = buf[0][0]
        buf, quotes = [], 0
        if not text.strip():
            continue
        try:
            cells = next(csv.reader([text], delimiter=delimiter, strict=True))
        except csv.Error as exc:
            yield CsvRow(start, None, f"bad quoting: {exc}", text)
        else:
            yield CsvRow(start, cells, None, text)


def last_line(row: CsvRow) -> int:
    """The physical line where ``row`` ends.

    >>> last_line(CsvRow(4, ["x\\ny", "2"], None, '"x\\ny",2\\n'))
    5
    """
    return row.line + row.raw.count("\n") - row.raw.endswith("\n")


class DuplicateColumnError(ValueError):
    """The header row names one column twice: which cell holds the value cannot be told."""


def check_header(header: list[str], path: Path | str | None = None) -> None:
    """Raise :class:`DuplicateColumnError` naming every column name the header repeats.

    Names are compared without case and surrounding spaces (readers look columns up by
    lower-cased name); unnamed columns may repeat.

    >>> try:
    ...     check_header(["Title", "DOI", "Year", " doi", ""], "a.csv")
    ... except DuplicateColumnError as e:
    ...     print(str(e)[:70])
    a.csv: the header names a column twice: 'DOI' at columns 2 and 4; rena
    """
    first: dict[str, int] = {}
    repeats: list[str] = []
    for i, name in enumerate(header, 1):
        key = name.strip().lower()
        if not key:
            continue
        if key in first:
            repeats.append(f"{header[first[key] - 1].strip()!r} at columns {first[key]} and {i}")
        else:
            first[key] = i
    if repeats:
        where = f"{path}: " if path else ""
        raise DuplicateColumnError(
            f"{where}the header names a column twice: {'; '.join(repeats)}; "
            "rename or remove one of each pair and import the file again"
        )


def _unclosed(first: tuple[int, str], why: str) -> CsvRow:
    return CsvRow(first[0], None, f"unclosed quote: {why}", first[1])


def table_rows(
    lines: Iterable[str], delimiter: str = ",", path: Path | str | None = None
) -> Iterator[tuple[CsvRow, dict[str, str] | None, str | None]]:
    """(row, {header: cell}, error) for each data row; the first row is the header.

    A header that names a column twice raises :class:`DuplicateColumnError`.  A row with
    more cells than the header is an error (its cells cannot be assigned); a shorter row
    is padded with empty cells, as spreadsheet exports often trim them.
    """
    header: list[str] | None = None
    for row in iter_csv_rows(lines, delimiter):
        if header is None:
            if row.cells is None:
                where = f"{path}: " if path else ""
                raise ValueError(f"{where}line {row.line}: the header row cannot be parsed ({row.error})")
            header = [h.strip() for h in row.cells]
            check_header(header, path)
            yield row, None, None  # the header: lets the caller settle its undecodable bytes
            continue
        if row.cells is None:
            yield row, None, row.error
            continue
        cells = row.cells
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            yield row, None, f"row has {len(cells)} cells, the header has {len(header)}"
            continue
        yield row, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False)), None


def header_cells(head: str, delimiter: str = ",") -> list[str]:
    """Cells of the first line of a file's decoded head, for sniffing; [] when unreadable."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return [c.strip() for c in next(csv.reader([first], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def guess_delimiter(head: str) -> str:
    """The delimiter of a CSV from its decoded head: the commonest of ';', ',' and TAB outside quotes in
    the first line (';' from Russian Excel); ',' when none occurs.  The one guess of bibmine's CSV readers.

    >>> guess_delimiter('"a;b",c,d\\n'), guess_delimiter("код;название\\n"), guess_delimiter("one")
    (',', ';', ',')
    """
    first = re.sub(r'"[^"]*"', "", head.lstrip("\ufeff").split("\n", 1)[0])
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


RowBuilder = Callable[[dict[str, str], str, str], Record | Reject]


def read_csv_records(path: Path, encoding: str, what: str, build: RowBuilder) -> Iterator[Record | Reject]:
    """Records of a header-first CSV export: ``build(row, raw, where)`` maps one row.

    Rows that cannot be parsed, and rows whose ``build`` raises, become Rejects at their
    line (``what`` names the format in the reason) and reading goes on.
    """
    with open_text(path, encoding) as fh:
        for row, cells, error in table_rows(fh, path=path):
            where, raw = f"line {row.line}", row.raw
            if cells is None and error is None:  # the header row
                yield from leftover_bad_bytes(fh, last_line(row))
                continue
            if (bad := bad_bytes(fh, last_line(row), where, raw)) is not None:
                yield bad
                continue
            if cells is None:
                yield Reject(location=where, reason=f"{what} row skipped: {error}", raw=raw)
                continue
            try:
                yield build(cells, raw, where)
            except Exception as exc:  # a malformed row must not stop the file; it is quarantined
                yield Reject(location=where, reason=f"cannot read {what} row: {type(exc).__name__}: {exc}", raw=raw)
        yield from leftover_bad_bytes(fh)
