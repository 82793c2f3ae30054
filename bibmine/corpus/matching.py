"""Where an incoming record goes: into a stored work, a new work, or the review list.

:func:`decide` applies the merge rules of :mod:`bibmine.corpus.dedup` to one record and
the works it was found near (identifier hits and blocking-key candidates):

1. A work sharing an identifier value is the same work, unless some other scheme's
   values differ (same DOI, different WoS UT: two works, and a review pair).
2. Otherwise the best fuzzy title match that passes every guard (year, first author,
   numbers in the title, generic titles, identifier conflicts).
3. A record that would join works which contradict each other (it has no DOI, they have
   different DOIs) is ambiguous: it stays a work of its own, and the pairs go to review.

Rule 3 is what makes the partition independent of import order: whichever of the three
arrives last, none of them is merged.  Before a record is called ambiguous, the works
whose volume or first page contradicts the record's are set aside (a conference abstract
on page A12 and the article on page 45 share a title, not a place of publication).  On its
own, a place keeps two records apart only when both the volume and the first page differ:
one of them alone differs between vendors too often (article numbers, online-first records).
Works whose title matched but whose identifiers conflict come back as ``contested`` so the
caller can split out members that joined them by title alone and are now ambiguous in the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz, process

from bibmine.corpus.dedup import (
    Candidate,
    DedupConfig,
    IdMap,
    describe_conflict,
    id_conflicts,
    id_map,
    match_queries,
    sorted_key,
    title_match,
)


@dataclass
class Decision:
    """The outcome for one record; ``target`` None means a new work."""

    target: int | None = None
    rule: str | None = None
    score: float | None = None
    join: list[int] = field(default_factory=list)  # other works the record proves to be the same work
    reviews: list[tuple[int, float | None, str]] = field(default_factory=list)  # (work id, score, reason)
    contested: list[tuple[int, list[str]]] = field(default_factory=list)  # (work id, conflicting schemes)


Place = tuple[str | None, str | None]  # (volume, first page), normalized


def place_of(volume: str | None, pages: str | None) -> Place:
    """(volume, first page) in comparable form.

    >>> place_of(" 11 ", "45-59"), place_of(None, "A12"), place_of("", "045–059")
    (('11', '45'), (None, 'a12'), (None, '45'))
    """
    first = re.split(r"[-\u2010-\u2015\s]+", pages.strip())[0] if pages and pages.strip() else ""
    first = first.lower().lstrip("0") or None
    vol = (volume or "").strip().lower().lstrip("0") or None
    return vol, first


def published_elsewhere(a: Place, b: Place) -> bool:
    """Both the volume and the first page are given on both sides and both differ: two places.

    One of them alone differs too often between vendors (article numbers for pages, an
    online-first record without its volume); a conference abstract in volume 1 on page A12
    and the article in volume 11 on page 45 differ in both.

    >>> published_elsewhere(("11", "45"), ("1", "a12")), published_elsewhere(("11", "45"), ("11", "e45"))
    (True, False)
    """
    return all(x is not None and y is not None and x != y for x, y in zip(a, b, strict=True))


def places_disagree(a: Place, b: Place) -> bool:
    """True only when both give a first page and they differ, or both give a volume and they differ."""
    return any(x is not None and y is not None and x != y for x, y in zip(a, b, strict=True))


def decide(pairs: list[tuple[str, str]], keys: list[str], year: int | None, surname: str | None,
           hits: list[tuple[str, int]], candidates: list[Candidate], ids_of: Callable[[int], IdMap],
           config: DedupConfig, *, fuzzy: bool = True, place: Place = (None, None),
           place_of_work: Callable[[int], Place] | None = None, queries: list[str] | None = None) -> Decision:
    """Apply the merge rules to one record (see the module docstring); ``queries``: the record's
    :func:`~bibmine.corpus.dedup.match_queries` when the caller has them."""
    decision = Decision()
    if not hits and not candidates:  # most records of an import: nothing to compare
        return decision
    mine = id_map(pairs)
    if hits:
        agreeing: list[tuple[str, int]] = []
        for scheme, work in _unique(hits):
            theirs = ids_of(work)
            bad = id_conflicts(mine, theirs)
            if bad:
                decision.reviews.append((work, 1.0, f"same {scheme}, but {describe_conflict(bad, mine, theirs)}"))
                decision.contested.append((work, bad))
            else:
                agreeing.append((scheme, work))
        if agreeing:
            works = [w for _, w in agreeing]
            clash = _clash(works, ids_of)
            if clash:
                decision.reviews.extend((w, 1.0, f"ambiguous: shares identifiers with works that differ ({clash})")
                                        for w in works)
                return decision
            decision.target, decision.rule, decision.score = works[0], agreeing[0][0], 1.0
            decision.join = works[1:]
            return decision
    if not fuzzy or not keys:
        return decision
    passing: list[tuple[float, int]] = []
    seen: set[int] = set()
    alike = _titles_alike(keys, candidates, config, queries)
    for cand in candidates:
        if cand.work_id in seen:
            continue
        seen.add(cand.work_id)
        if cand.work_id not in alike:
            continue  # no title pair reaches the threshold: title_match would say (None, None)
        score, reason = title_match(keys, year, surname, cand, config)
        if score is None:
            continue
        if reason:
            decision.reviews.append((cand.work_id, score / 100.0, reason))
            continue
        theirs = ids_of(cand.work_id)
        bad = id_conflicts(mine, theirs)
        if bad:
            decision.reviews.append((cand.work_id, score / 100.0,
                                     f"titles match, but {describe_conflict(bad, mine, theirs)}"))
            decision.contested.append((cand.work_id, bad))
            continue
        if place_of_work is not None:
            where = place_of_work(cand.work_id)
            if published_elsewhere(place, where):
                decision.reviews.append((cand.work_id, score / 100.0, "titles match, but published elsewhere: "
                                         f"volume {place[0]} page {place[1]} vs volume {where[0]} page {where[1]}"))
                continue
        passing.append((score, cand.work_id))
    if not passing:
        return decision
    clash = _clash([w for _, w in passing], ids_of)
    if clash and place_of_work is not None:
        same_place = [(s, w) for s, w in passing if not places_disagree(place, place_of_work(w))]
        if same_place and not _clash([w for _, w in same_place], ids_of):
            passing, clash = same_place, None
    if clash:
        decision.reviews.extend((w, s / 100.0, f"ambiguous: the title matches works that differ ({clash})")
                                for s, w in passing)
        return decision
    score, work = max(passing, key=lambda p: (p[0], -p[1]))  # ties: the oldest work
    decision.target, decision.rule, decision.score = work, "fuzzy_title", score / 100.0
    return decision


def _titles_alike(keys: list[str], candidates: list[Candidate], config: DedupConfig,
                  queries: list[str] | None = None) -> set[int]:
    """Works (each judged by its first candidate, as :func:`decide` does) with a title pair near the threshold.

    One plain ratio per candidate title instead of title_match's guards and token sorting per
    candidate.  :func:`~bibmine.corpus.dedup.title_match` scores pairs with token_sort_ratio,
    which is the plain ratio of the word-sorted keys (stored with each work, so not sorted
    again per comparison); the cut-off here is half a point lower, so every work that
    title_match could score is kept, and it alone decides.  A pair whose lengths differ by more
    than (1 - t) * (la + lb) cannot reach t: rapidfuzz's cut-off rejects it on length alone, in C
    (the candidates arrive already cut to the length window, see bibmine.corpus.candidates).
    """
    if not candidates:
        return set()
    if queries is None:
        queries = match_queries(keys, config)
    if not queries:
        return set()
    wids = [cand.work_id for cand in candidates]
    if len(set(wids)) != len(wids):  # a work's later candidates are never looked at
        first: dict[int, Candidate] = {}
        for cand in candidates:
            first.setdefault(cand.work_id, cand)
        candidates = list(first.values())
    choices = [b for cand in candidates
               for b in (cand.sorted_keys if cand.sorted_keys is not None else map(sorted_key, cand.title_keys))]
    # one owner per title key (a candidate may hold none or several: counting candidates would misalign them)
    owners = [cand.work_id for cand in candidates
              for _ in (cand.sorted_keys if cand.sorted_keys is not None else cand.title_keys)]
    cutoff = config.title_threshold - 0.5
    ratio = fuzz.ratio
    alike: set[int] = set()
    for q in queries:
        if len(choices) > 2:  # one call scoring all choices (the query prepared once) beats a call per pair
            alike.update(owners[i] for _, _, i in process.extract(q, choices, scorer=ratio, score_cutoff=cutoff,
                                                                   limit=None))
        else:
            alike.update(owner for owner, b in zip(owners, choices, strict=True)
                         if owner not in alike and ratio(q, b, score_cutoff=cutoff))
    return alike


def _unique(hits: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: set[int] = set()
    out = []
    for scheme, work in hits:
        if work not in seen:
            seen.add(work)
            out.append((scheme, work))
    return out


def _clash(works: list[int], ids_of: Callable[[int], IdMap]) -> str | None:
    """The first identifier conflict between two of ``works``, described; None if they agree."""
    for a, b in combinations(works, 2):
        ia, ib = ids_of(a), ids_of(b)
        bad = id_conflicts(ia, ib)
        if bad:
            return describe_conflict(bad, ia, ib)
    return None
