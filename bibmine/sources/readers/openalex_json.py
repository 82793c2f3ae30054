"""OpenAlex works as JSON: a single work, a ``/works`` list response, a bare array
of works, or JSON Lines (snapshot dumps, one work per line).

The mapping lives in :mod:`bibmine.sources.openalex_map` (shared with the crawler).
``Record.raw`` is the work's exact JSON text; only for a JSON Lines file whose lines
are whole list responses is it re-serialized with ``json.dumps(ensure_ascii=False)``.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibmine.sources.openalex_map import work_to_record
from bibmine.sources.readers._jsonio import JsonLayout, read_json_records
from bibmine.sources.readers.base import ReaderSpec, ReadResult

LAYOUT = JsonLayout(
    wrapper_keys=frozenset({"meta", "results", "group_by"}),
    item_keys=frozenset({"results"}),
)

_WORK_ID = re.compile(r'"https://openalex\.org/[Ww]\d')
_WORK_KEYS = re.compile(r'"(?:authorships|publication_year|abstract_inverted_index)"\s*:')


def sniff_openalex_json(head: str, path: Path) -> bool:
    """A JSON document or JSON Lines whose objects look like OpenAlex works."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text or text[0] not in "[{":
        return False  # the OpenAlex CSV export also names these fields, but in a header row
    has_id = bool(_WORK_ID.search(text)) or '"abstract_inverted_index"' in text
    return has_id and bool(_WORK_KEYS.search(text))


def read_openalex_json(path: Path, encoding: str = "utf-8") -> ReadResult:
    """Records from an OpenAlex JSON / JSON Lines file; see the module docstring."""
    return read_json_records(Path(path), encoding, LAYOUT, work_to_record, "openalex_json")


READERS = [
    ReaderSpec(
        name="openalex_json",
        label="OpenAlex works JSON / JSON Lines",
        sniff=sniff_openalex_json,
        read=read_openalex_json,
        priority=30,
    )
]
