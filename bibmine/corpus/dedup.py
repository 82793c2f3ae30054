"""Deciding whether two records are the same work.

Exact first: a shared identifier (DOI, WoS UT, Scopus EID, OpenAlex, eLIBRARY,
PMID, Lens, patent number) makes two records one work.  Then fuzzy: records are
grouped by blocking keys (first-author surname + year; the first and the last
three content words of each title), and only records sharing a key are compared,
so the work grows with the block sizes, never with all pairs.  Within a block a
pair is the same work when the normalized titles agree (rapidfuzz token-sort
ratio >= ``title_threshold``), the years differ by at most ``year_tolerance``, the
first-author surnames agree where both are in the same script, and no identifier
of the same scheme conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz

from bibmine.corpus.model import Record, Text, title_key  # noqa: F401 (Text: doctest)


def _load_stopwords() -> frozenset[str]:
    text = (resources.files("bibmine.corpus") / "data" / "blocking_stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


# Function words that make poor blocking keys (en + ru).
_STOP = _load_stopwords()


@dataclass(frozen=True)
class DedupConfig:
    """Thresholds of the fuzzy matcher (defaults tuned for vendor title variants)."""

    title_threshold: float = 93.0  # rapidfuzz token_sort_ratio, 0..100
    year_tolerance: int = 1  # online-first vs issue year
    min_title_words: int = 4  # shorter titles ("Editorial", "Introduction") never fuzzy-match
    surname_threshold: float = 85.0
    max_candidates: int = 200  # per blocking key, a guard against degenerate blocks


def title_keys(record: Record) -> list[str]:
    keys = []
    for t in record.titles:
        k = title_key(t.text)
        if k and k not in keys:
            keys.append(k)
    return keys


def _title_words(keys: list[str]) -> list[tuple[str, str]]:
    out = []
    for k in keys:
        words = [w for w in k.split() if len(w) > 2 and w not in _STOP]
        if len(words) >= 3:
            out.append((" ".join(words[:3]), " ".join(words[-3:])))
    return out


def blocking_keys(record: Record, keys: list[str] | None = None) -> set[str]:
    """Keys under which a record is filed for fuzzy comparison.

    ``a|surname|year`` and, per title, ``t|year|first three content words`` and
    ``e|year|last three``.  The year in the title keys keeps blocks small; lookups
    try the neighbouring years (see :func:`key_sets`).

    >>> sorted(blocking_keys(Record(titles=[Text("Soils of the Kursk region today")], year=2020)))
    ['e|2020|kursk region today', 't|2020|soils kursk region']
    """
    return key_sets(record, title_keys(record) if keys is None else keys, 0)[1]


def key_sets(record: Record, keys: list[str], tolerance: int) -> tuple[list[str], set[str]]:
    """(keys to search for candidates across the tolerated years, keys to file the record under)."""
    surname = record.first_author_surname
    words = _title_words(keys)
    own = str(record.year) if record.year else "-"
    years = [str(record.year + d) for d in range(-tolerance, tolerance + 1)] if record.year else ["-"]
    lookup: list[str] = []
    blocks: set[str] = set()
    for y in years:
        keyset = [f"a|{surname}|{y}"] if surname and record.year else []
        for first, last in words:
            keyset.append(f"t|{y}|{first}")
            keyset.append(f"e|{y}|{last}")
        lookup.extend(keyset)
        if y == own:
            blocks.update(keyset)
    return lookup, blocks


@dataclass(frozen=True)
class Candidate:
    """What the matcher needs to know of a stored work."""

    work_id: int
    year: int | None
    title_keys: list[str]
    first_author: str | None


def _same_script(a: str, b: str) -> bool:
    return a[:1].isascii() == b[:1].isascii()


def title_score(keys: list[str], year: int | None, surname: str | None, cand: Candidate,
                config: DedupConfig) -> float | None:
    """Title similarity (0..100) when year, surname and title agree, else None.

    Identifier conflicts are checked separately (:func:`ids_conflict`), only for
    pairs that pass this cheaper test.
    """
    if year and cand.year and abs(year - cand.year) > config.year_tolerance:
        return None
    if (surname and cand.first_author and _same_script(surname, cand.first_author)
            and fuzz.ratio(surname, cand.first_author) < config.surname_threshold):
        return None
    best = 0.0
    for a in keys:
        if len(a.split()) < config.min_title_words:
            continue
        for b in cand.title_keys:
            best = max(best, fuzz.token_sort_ratio(a, b, score_cutoff=config.title_threshold))
    if best < config.title_threshold:
        return None
    if (year is None or cand.year is None) and best < 97.0:
        return None  # without years to agree, only near-identical titles count
    return best


def ids_conflict(ids: dict[str, str], other: dict[str, str]) -> bool:
    """True when both carry an identifier of the same scheme with different values."""
    return any(other.get(scheme) not in (None, value) for scheme, value in ids.items())
