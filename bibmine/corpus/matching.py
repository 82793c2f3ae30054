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
whose volume and first page contradict the record's are set aside (a conference abstract
on page A12 and the article on page 45 share a title, not a place of publication); the
place of publication only breaks such ties, since vendors disagree on pages too often to
use it as a rule of its own.  Works whose title matched but whose identifiers
conflict come back as ``contested`` so the caller can split out members that joined
them by title alone and are now ambiguous in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from bibmine.corpus.dedup import (
    Candidate,
    DedupConfig,
    IdMap,
    describe_conflict,
    id_conflicts,
    id_map,
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


def places_disagree(a: Place, b: Place) -> bool:
    """True only when both give a first page and they differ, or both give a volume and they differ."""
    return any(x is not None and y is not None and x != y for x, y in zip(a, b, strict=True))


def decide(pairs: list[tuple[str, str]], keys: list[str], year: int | None, surname: str | None,
           hits: list[tuple[str, int]], candidates: list[Candidate], ids_of: Callable[[int], IdMap],
           config: DedupConfig, *, fuzzy: bool = True, place: Place = (None, None),
           place_of_work: Callable[[int], Place] | None = None) -> Decision:
    """Apply the merge rules to one record (see the module docstring)."""
    mine = id_map(pairs)
    decision = Decision()
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
    for cand in candidates:
        if cand.work_id in seen:
            continue
        seen.add(cand.work_id)
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
