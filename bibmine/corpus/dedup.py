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

Guards that no score overrides: placeholders (``NA``, ``[Anonymous]``) are missing
values (:mod:`bibmine.placeholders`); two records with different values of one
identifier scheme are never the same work; titles that differ in a number or Roman
numeral (part 1 / part 2, volume II / III) and generic or notice titles (editorial,
correction, "От редакции") never merge by title.  Pairs that look alike but fail a
guard go to the review list (``bibmine dedup --candidates``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from bibmine.corpus.dedup_config import DedupConfig  # noqa: F401  (imported from here by the stage)
from bibmine.record import Record, Text, title_key  # noqa: F401 (Text: doctest)


def _load_stopwords() -> frozenset[str]:
    text = (resources.files("bibmine.corpus") / "data" / "blocking_stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


# Function words that make poor blocking keys (en + ru).
_STOP = _load_stopwords()


def title_keys(record: Record) -> list[str]:
    """The comparable keys (:func:`title_key`) of a record's titles, each once, in order."""
    return text_keys([t.text for t in record.titles])


def text_keys(titles: list[str]) -> list[str]:
    """:func:`title_keys` of title texts."""
    keys = []
    for text in titles:
        k = title_key(text)
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


def key_sets(record: Record, keys: list[str], tolerance: int, *, surname: str | None | bool = False
             ) -> tuple[list[str], set[str]]:
    """(keys to search for candidates across the tolerated years, title keys first and first-author keys
    last, the order the matcher takes candidates in; keys to file the record under); ``surname``: the
    record's first_author_surname when the caller has it already."""
    if surname is False:
        surname = record.first_author_surname
    return year_key_sets(record.year, surname, keys, tolerance)


def year_key_sets(year: int | None, surname: str | None, keys: list[str], tolerance: int
                  ) -> tuple[list[str], set[str]]:
    """:func:`key_sets` of a record's year, first author's surname and title keys."""
    words = _title_words(keys)
    own = str(year) if year else "-"
    years = [str(year + d) for d in range(-tolerance, tolerance + 1)] if year else ["-"]
    lookup: list[str] = []
    authors: list[str] = []
    blocks: set[str] = set()
    for y in years:
        keyset = []
        for first, last in words:
            keyset.append(f"t|{y}|{first}")
            keyset.append(f"e|{y}|{last}")
        lookup.extend(keyset)
        if surname and year:
            authors.append(f"a|{surname}|{y}")
            keyset.append(authors[-1])
        if y == own:
            blocks.update(keyset)
    return lookup + authors, blocks


@dataclass(frozen=True)
class Candidate:
    """What the matcher needs to know of a stored work."""

    work_id: int
    year: int | None
    title_keys: list[str]
    first_author: str | None
    sorted_keys: list[str] | None = None  # title_keys with their words sorted (see sorted_key); None: not known


def match_queries(keys: list[str], config, sorted_keys: list[str] | None = None) -> list[str]:
    """The word-sorted forms (:func:`sorted_key`) of the title keys long enough to fuzzy-match
    (``config.min_title_words``); ``sorted_keys``: those forms of ``keys`` when the caller has them already."""
    forms = sorted_keys if sorted_keys else map(sorted_key, keys)
    return [form for key, form in zip(keys, forms, strict=True) if len(key.split()) >= config.min_title_words]


def sorted_key(key: str) -> str:
    """A title key with its words sorted: rapidfuzz's token_sort_ratio compares these forms.

    >>> sorted_key("soil of the voronezh region")
    'of region soil the voronezh'
    """
    return " ".join(sorted(key.split()))


def _same_script(a: str, b: str) -> bool:
    return a[:1].isascii() == b[:1].isascii()


_RU_STEM = 6  # Russian generic words match by their first letters, whatever the case ending


def _load_title_rules() -> tuple[frozenset[str], tuple[str, ...], re.Pattern]:
    data = tomllib.loads((resources.files("bibmine.corpus") / "data" / "generic_titles.toml").read_text("utf-8"))
    suffix = re.compile("|".join(f"(?:{p})" for p in data["notice_suffix_patterns"]))
    words = {w for w in data["generic_words"]} | {w[:_RU_STEM] for w in data["generic_words"] if not w.isascii()}
    return frozenset(words), tuple(data["notice_prefixes"]), suffix


_GENERIC_WORDS, _NOTICE_PREFIXES, _NOTICE_SUFFIX = _load_title_rules()


def _generic_word(word: str) -> bool:
    return word in _GENERIC_WORDS or (not word.isascii() and word[:_RU_STEM] in _GENERIC_WORDS)


_ROMAN = frozenset(["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv",
                    "xvi", "xvii", "xviii", "xix", "xx"])
_NUMBERED = frozenset(["part", "parts", "vol", "volume", "issue", "no", "number", "chapter", "section",
                       "phase", "stage", "series", "book", "tome", "часть", "том", "выпуск", "глава",
                       "раздел", "номер", "этап", "серия", "книга"])
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1 << 16)  # a stored title is compared with many incoming ones
def title_numbers(key: str) -> tuple[str, ...]:
    """Numbers a title carries (digit runs, Roman numerals), sorted; titles that differ here are different works.

    >>> title_numbers("soil carbon part ii"), title_numbers("h2o and co2 in 2020 soils")
    (('ii',), ('2', '2', '2020'))
    >>> title_numbers("part i of the study"), title_numbers("can i trust it")
    (('i',), ())
    """
    words = key.split()
    found = [str(int(d)) for d in _DIGITS.findall(key)]
    for i, w in enumerate(words):
        if w in _ROMAN or (w in ("i", "v", "x") and i > 0 and words[i - 1] in _NUMBERED):
            found.append(w)
    return tuple(sorted(found))


@lru_cache(maxsize=1 << 16)
def is_generic_title(key: str) -> bool:
    """A title that names no particular work (front matter) or a notice about another work.

    >>> is_generic_title("introduction to the special issue"), is_generic_title("от редакции")
    (True, True)
    >>> is_generic_title("предисловие к специальному выпуску журнала")
    True
    >>> is_generic_title("correction soil carbon of the voronezh region")
    True
    >>> is_generic_title("is bluetooth low energy feasible for ticketing vol 5 100120 2020")
    True
    >>> is_generic_title("introduction of maize hybrids in the voronezh region")
    False
    """
    if not key:
        return False
    if key.startswith(_NOTICE_PREFIXES) and any(key == p or key.startswith(p + " ") for p in _NOTICE_PREFIXES):
        return True
    if _NOTICE_SUFFIX.search(key):
        return True
    words = [w for w in key.split() if w not in _STOP and not w.isdigit() and w not in _ROMAN]
    return all(_generic_word(w) for w in words)


def title_match(keys: list[str], year: int | None, surname: str | None, cand: Candidate,
                config: DedupConfig) -> tuple[float | None, str | None]:
    """(title similarity 0..100, reason it may not merge) for a record and a stored work.

    The score is None when year, first author or title disagree.  A score with a reason
    means the titles look alike but the guards say they are different works (numbers
    that differ, a generic or notice title): such pairs go to the review list, never
    merge by themselves.  Identifier conflicts are checked by the caller.
    """
    if year and cand.year and abs(year - cand.year) > config.year_tolerance:
        return None, None
    if (surname and cand.first_author and _same_script(surname, cand.first_author)
            and fuzz.ratio(surname, cand.first_author) < config.surname_threshold):
        return None, None
    best, blocked = 0.0, (0.0, None)
    for a in keys:
        if len(a.split()) < config.min_title_words:
            continue
        for b in cand.title_keys:
            score = fuzz.token_sort_ratio(a, b, score_cutoff=config.title_threshold)
            if score < config.title_threshold:
                continue
            reason = _guard(a, b)
            if reason is None:
                best = max(best, score)
            elif score > blocked[0]:
                blocked = (score, reason)
    if best < config.title_threshold:
        return (blocked[0], blocked[1]) if blocked[1] else (None, None)
    if (year is None or cand.year is None) and best < 97.0:
        return None, None  # without years to agree, only near-identical titles count
    return best, None


def _guard(a: str, b: str) -> str | None:
    if is_generic_title(a) or is_generic_title(b):
        return "generic or notice title (correction, editorial, ...): merge only by identifier"
    na, nb = title_numbers(a), title_numbers(b)
    if na != nb:
        return f"titles differ in numbers: {' '.join(na) or '-'} vs {' '.join(nb) or '-'}"
    return None


IdMap = dict[str, frozenset[str]]


def id_map(pairs: list[tuple[str, str]] | dict[str, str]) -> IdMap:
    """Identifier values per scheme (a merged work may hold several values of one scheme)."""
    out: dict[str, set[str]] = {}
    for scheme, value in (pairs.items() if isinstance(pairs, dict) else pairs):
        out.setdefault(scheme, set()).add(value)
    return {k: frozenset(v) for k, v in out.items()}


def id_conflicts(ids: IdMap, other: IdMap) -> list[str]:
    """Schemes for which both carry values and share none: two different works.

    >>> id_conflicts(id_map([("doi", "10.1/a"), ("wos", "W1")]), id_map([("doi", "10.1/a"), ("wos", "W2")]))
    ['wos']
    >>> id_conflicts(id_map([("doi", "10.1/a")]), id_map([("pmid", "1")]))
    []
    """
    return [scheme for scheme, values in ids.items() if other.get(scheme) and not values & other[scheme]]


def describe_conflict(schemes: list[str], ids: IdMap, other: IdMap) -> str:
    """``"wos differs: WOS:1 vs WOS:2"`` for the review list."""
    return "; ".join(f"{s} differs: {', '.join(sorted(ids[s]))} vs {', '.join(sorted(other[s]))}" for s in schemes)
