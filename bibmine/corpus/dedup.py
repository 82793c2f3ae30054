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

from bibmine.corpus.model import Record, title_key


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


def blocking_keys(record: Record, keys: list[str] | None = None) -> set[str]:
    """Keys under which a record is filed for fuzzy comparison."""
    keys = title_keys(record) if keys is None else keys
    out = set()
    surname = record.first_author_surname
    if surname and record.year:
        out.add(f"a|{surname}|{record.year}")
    for k in keys:
        words = [w for w in k.split() if len(w) > 2 and w not in _STOP]
        if len(words) >= 3:
            out.add("t|" + " ".join(words[:3]))
            out.add("e|" + " ".join(words[-3:]))
    return out


@dataclass(frozen=True)
class Candidate:
    """What the matcher needs to know of a stored work."""

    work_id: int
    year: int | None
    title_keys: list[str]
    first_author: str | None
    ids: dict[str, str]


def _same_script(a: str, b: str) -> bool:
    return a[:1].isascii() == b[:1].isascii()


def fuzzy_score(
    keys: list[str], year: int | None, surname: str | None, ids: dict[str, str],
    cand: Candidate, config: DedupConfig,
) -> float | None:
    """Title similarity (0..100) when the pair passes every guard, else None."""
    for scheme, value in ids.items():
        other = cand.ids.get(scheme)
        if other and other != value:
            return None  # two different DOIs (or UTs...) are two works
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
