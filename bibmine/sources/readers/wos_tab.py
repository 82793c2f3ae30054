"""Web of Science tab-delimited export ("Tab-delimited (Win)" UTF-16, "(Win, UTF-8)", Mac).

The first row names the columns with the plain-text field tags (PT, AU, BA, ... UT);
each further row is one record.  Cells are never quoted (a quote is an ordinary
character), so a row is simply split at tabs; data rows of older exports end with an
extra tab the header does not have.  Multi-valued cells (AU, C1, CR, ...) separate their
items with "; ".  The tag -> Record mapping is the plain-text reader's
(:mod:`bibmine.sources.readers._wos_fields`).
"""

from __future__ import annotations

from pathlib import Path

from bibmine.record import Reject
from bibmine.sources.readers._textio import bad_bytes, leftover_bad_bytes, open_text
from bibmine.sources.readers._wos_fields import (
    LIST_TAGS,
    MISSING_TITLE_AND_ID,
    TAG_SHAPE,
    Fields,
    build_record,
    split_list_cell,
)
from bibmine.sources.readers.base import ReaderSpec, ReadResult, raw_json

SOURCE = "wos_tabdelimited"
_REQUIRED = frozenset({"AU", "TI", "UT"})


def _header(line: str) -> list[str]:
    return [cell.strip() for cell in line.lstrip("\ufeff").rstrip("\r\n").split("\t")]


def sniff_wos_tabdelimited(head: str, path: Path) -> bool:
    """True when the first line is a tab-separated row of WoS tags starting with PT."""
    cells = _header(head.split("\n", 1)[0])
    return (
        len(cells) >= 10
        and cells[0] == "PT"
        and _REQUIRED.issubset(cells)
        and all(TAG_SHAPE.match(c) for c in cells if c)
    )


def read_wos_tabdelimited(path: Path, encoding: str) -> ReadResult:
    """Records of a WoS tab-delimited export; a row with the wrong number of cells is rejected.

    Locations are "row N" with the header as row 1 (rows are lines: cells hold no newlines).
    """
    with open_text(path, encoding) as fh:
        first = fh.readline()
        header = _header(first)
        if not sniff_wos_tabdelimited(first, path):
            raise ValueError(f"{path}: first line is not a WoS tab-delimited header (PT, AU, ... UT)")
        width = len(header)
        yield from leftover_bad_bytes(fh, 1)  # bytes of the header row the encoding cannot decode
        for row_no, line in enumerate(fh, 2):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if (bad := bad_bytes(fh, row_no, f"row {row_no}", line)) is not None:
                yield bad
                continue
            cells = line.split("\t")
            if len(cells) == width + 1 and not cells[-1]:
                cells.pop()  # the trailing tab of "Win" exports
            if len(cells) != width:
                reason = f"row has {len(cells)} tab-separated cells, the header has {width}"
                yield Reject(location=f"row {row_no}", reason=reason, raw=line)
                continue
            values = {tag: cell for tag, cell in zip(header, cells, strict=True) if cell and tag}
            try:
                record = build_record(_fields(values), SOURCE, raw_json(values))
            except Exception as exc:  # a row the mapping chokes on is quarantined, the file goes on
                reason = f"cannot read WoS row: {type(exc).__name__}: {exc}"
                yield Reject(location=f"row {row_no}", reason=reason, raw=line)
                continue
            if not record.titles and not record.ids.wos:
                yield Reject(location=f"row {row_no}", reason=MISSING_TITLE_AND_ID, raw=line)
                continue
            yield record
        yield from leftover_bad_bytes(fh)


def _fields(values: dict[str, str]) -> Fields:
    """Cells in the plain-text reader's form: list items one per line, text stripped."""
    fields: Fields = {}
    for tag, cell in values.items():
        cell = cell.strip()
        if tag in LIST_TAGS:
            cell = "\n".join(item.strip() for item in split_list_cell(tag, cell) if item.strip())
        if cell:
            fields[tag] = cell
    return fields


READERS = [
    ReaderSpec(
        name=SOURCE,
        label="Web of Science tab-delimited",
        sniff=sniff_wos_tabdelimited,
        read=read_wos_tabdelimited,
        priority=40,
    )
]
