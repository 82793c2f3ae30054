"""Lens.org patent records as JSON Lines (the Lens patent export), or a Lens patent
API response (``{"total": ..., "data": [...]}``) / bare array.

The mapping lives in :mod:`bibmine.sources.patent_map`.  Lens exports start with a
UTF-8 BOM; the first line parses with or without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibmine.sources.patent_map import lens_patent_to_record
from bibmine.sources.readers._jsonio import JsonLayout, read_json_records
from bibmine.sources.readers.base import ReaderSpec, ReadResult

LAYOUT = JsonLayout(
    wrapper_keys=frozenset({"total", "max_score", "data", "results", "scroll_id"}),
    item_keys=frozenset({"data"}),
)

_LENS_ID = re.compile(r'"lens_id"\s*:\s*"\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]"')
_PATENT_KEYS = re.compile(r'"(?:jurisdiction|doc_number|publication_reference)"\s*:')


def sniff_lens_patent(head: str, path: Path) -> bool:
    """JSON (Lines) objects with a Lens id and patent-publication fields."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text or text[0] not in "[{":
        return False
    return bool(_LENS_ID.search(text)) and bool(_PATENT_KEYS.search(text))


def read_lens_patent(path: Path, encoding: str = "utf-8") -> ReadResult:
    """Records from a Lens patent JSON Lines file; see the module docstring."""
    return read_json_records(Path(path), encoding, LAYOUT, lens_patent_to_record, "lens_patent_jsonl")


READERS = [
    ReaderSpec(
        name="lens_patent_jsonl",
        label="Lens.org patents JSON Lines",
        sniff=sniff_lens_patent,
        read=read_lens_patent,
        priority=30,
    )
]
