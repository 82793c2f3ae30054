"""Item keys and labels, labels of codes, and which records a map may use.

An item's *key* is the comparable form that decides which mentions are the same item
(folded case and accents, one space); its *label* is how it is shown.

>>> norm_key("  Smart  Specialisation; "), display("Soil  Carbon")
('smart specialisation', 'soil carbon')
>>> RecordFilter(year_from=2020).reason_to_skip(Record(year=2019))
'before the year window'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from bibmine.corpus.model import Record, fold, normalize_doi, surname_key
from bibmine.maps.labels import keyword_label, plain_text

_EDGE_PUNCT = re.compile(r"^[\s\"'«»“”„.,;:()\[\]{}!?*-]+|[\s\"'«»“”„.,;:()\[\]{}!?*-]+$")


def norm_key(text: str) -> str:
    """Comparable form of a label: folded case and accents, one space, no edge punctuation."""
    return _EDGE_PUNCT.sub("", " ".join(fold(plain_text(text)).split()))


def display(text: str) -> str:
    """Shown form of a keyword-like label: plain text, lower case but acronyms and chemical formulas,
    one space, brackets and quotes balanced (VOSviewer shows keywords in lower case)."""
    return keyword_label(text)


# ---------------------------------------------------------------- record filter


@dataclass
class RecordFilter:
    """Which records a map uses: a year window, regions (ISO 3166-2) and sources.

    ``sources`` match a record's reader (``wos_plaintext``; merged works carry
    ``openalex_json+wos_plaintext``), its venue name or one of its ISSNs, case-insensitively.
    """

    year_from: int | None = None
    year_to: int | None = None
    regions: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    _folded_sources: frozenset[str] = field(init=False, repr=False, default=frozenset())

    def __post_init__(self) -> None:
        self.regions = frozenset(r.upper() for r in self.regions)
        self._folded_sources = frozenset(norm_key(s) for s in self.sources)

    def reason_to_skip(self, record: Record) -> str | None:
        """None when the record passes, else why it does not (for the build statistics)."""
        if self.year_from is not None or self.year_to is not None:
            if record.year is None:
                return "no year (a year window is set)"
            if self.year_from is not None and record.year < self.year_from:
                return "before the year window"
            if self.year_to is not None and record.year > self.year_to:
                return "after the year window"
        if self.regions and not any((a.region or "").upper() in self.regions for a in record.affiliations):
            return "no affiliation in the selected regions"
        if self._folded_sources and not self._source_matches(record):
            return "not from the selected sources"
        return None

    def _source_matches(self, record: Record) -> bool:
        names = {norm_key(s) for s in (record.source or "").split("+") if s}
        if record.venue.name:
            names.add(norm_key(record.venue.name))
        names.update(norm_key(i) for i in record.venue.issn)
        return bool(names & self._folded_sources)


# ---------------------------------------------------------------- documents


def document_key(record: Record, index: int) -> str:
    if record.id:
        return record.id
    doi = normalize_doi(record.ids.doi)
    return f"doi:{doi}" if doi else f"record:{index}"


def document_label(record: Record) -> str:
    """VOSviewer's document label: first author's surname and year, ``ivanov (2021)``."""
    surname = surname_key(record.authors[0].name) if record.authors else None
    year = record.year if record.year is not None else "n.d."
    return f"{surname or 'anonymous'} ({year})"


# ---------------------------------------------------------------- labels


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    """ISO 3166-2 code -> (Russian name, English name) from the regions stage's table."""
    path = resources.files("bibmine.regions") / "data" / "subjects.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["code"]: (row["name_ru"], row["name_en"]) for row in csv.DictReader(fh)}


def region_label(code: str, lang: str = "ru") -> str:
    names = _regions().get(code)
    if names is None:
        return code
    return names[1] if lang == "en" and names[1] else names[0]


@lru_cache(maxsize=1)
def _grnti():
    from bibmine.rubrics.vocabulary import load_vocabulary

    return load_vocabulary()


def rubric_label(code: str, scheme: str = "grnti", lang: str = "ru") -> str:
    if scheme != "grnti":
        return code
    name = _grnti().name(code, lang)
    return f"{code} {name}" if name else code


def best_citation_count(record: Record) -> int | None:
    """The highest count any source reported (the merge keeps it first); None when unknown."""
    counts = [c.count for c in record.citations]
    return max(counts) if counts else None
