"""Crossref works as JSON: ``/works/{doi}`` responses (``message-type: work``),
``/works`` list responses (``message.items``), bare arrays and JSON Lines of work
objects (or of whole responses, one per line).

The mapping lives in :mod:`bibmine.sources.crossref_map` (shared with the crawler).
``Record.raw`` is the work's exact JSON text (re-serialized only when a JSON Lines
line holds a whole list response).
"""

from __future__ import annotations

import re
from pathlib import Path

from bibmine.sources.crossref_map import work_to_record
from bibmine.sources.readers._jsonio import JsonLayout, read_json_records
from bibmine.sources.readers.base import ReaderSpec, ReadResult

LAYOUT = JsonLayout(
    wrapper_keys=frozenset(
        {
            "status",
            "message-type",
            "message-version",
            "message",
            "facets",
            "items",
            "total-results",
            "items-per-page",
            "query",
            "next-cursor",
        }
    ),
    item_keys=frozenset({"items"}),
    descend_keys=frozenset({"message"}),
)

_MESSAGE_TYPE = re.compile(r'"message-type"\s*:\s*"work(?:-list)?"')
_DOI_KEY = re.compile(r'"DOI"\s*:\s*"10\.')
_WORK_KEY = re.compile(r'"(?:container-title|is-referenced-by-count|reference-count)"\s*:')


def sniff_crossref_json(head: str, path: Path) -> bool:
    """A Crossref works response, or JSON (Lines) of Crossref work objects."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text or text[0] not in "[{":
        return False
    if _MESSAGE_TYPE.search(text):
        return True
    return bool(_DOI_KEY.search(text)) and bool(_WORK_KEY.search(text))


def read_crossref_json(path: Path, encoding: str = "utf-8") -> ReadResult:
    """Records from a Crossref JSON / JSON Lines file; see the module docstring."""
    return read_json_records(Path(path), encoding, LAYOUT, work_to_record, "crossref_json")


READERS = [
    ReaderSpec(
        name="crossref_json",
        label="Crossref works JSON / JSON Lines",
        sniff=sniff_crossref_json,
        read=read_crossref_json,
        priority=30,
    )
]
