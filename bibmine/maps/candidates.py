"""Candidate thesaurus merges, written as a CSV for a person to review.

Four kinds of candidates, each ``label -> replace_by`` (the less frequent variant is
replaced by the more frequent one, ties by the shorter then alphabetical):

- ``plural`` / ``inflection``: the same English words up to the plural of the last word, or
  the same Russian words up to inflection (pymorphy3 lemmas);
- ``acronym``: a one-word label spelling the initials of a longer one ("gdp" / "gross
  domestic product", "ввп" / "валовой внутренний продукт"), or "long form (acronym)";
  the acronym is replaced by the long form;
- ``fuzzy``: labels in the same script whose rapidfuzz ratio reaches the threshold;
- ``ru/en``: a Russian and an English label, either transliterations of each other
  (ICAO or BGN/PCGN, ``data/translit_ru.csv``) or given in the same position of a record's
  Russian and English keyword lists (bilingual abstracts list them in parallel) in at least
  ``min_support`` records.

``accept`` is pre-filled with ``yes`` for plural/inflection merges (VOSviewer makes these
for terms anyway) and left empty for the others; :func:`~bibmine.maps.thesaurus.read_thesaurus`
uses accepted rows only.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bibmine.corpus.model import Record
from bibmine.maps.items import display, norm_key
from bibmine.maps.terms import singular
from bibmine.safe_csv import safe_writer

STOP_IN_ACRONYMS = frozenset({"of", "and", "the", "for", "in", "on", "и", "в", "на", "по", "для", "с"})
COLUMNS = ("label", "replace_by", "reason", "score", "support", "label_occurrences",
           "replace_by_occurrences", "accept")


@dataclass
class Candidate:
    label: str
    replace_by: str
    reason: str
    score: float
    support: int = 0
    label_occurrences: int = 0
    replace_by_occurrences: int = 0
    accept: str = ""


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


@lru_cache(maxsize=1)
def _translit() -> tuple[dict[str, str], dict[str, str]]:
    with (resources.files("bibmine.maps") / "data" / "translit_ru.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["cyrillic"]: r["icao"] for r in rows}, {r["cyrillic"]: r["bgn"] for r in rows}


def transliterations(text: str) -> set[str]:
    """ICAO and BGN/PCGN Latin spellings of a Russian label, letters only: "воронеж" -> {"voronezh"}."""
    out = set()
    for table in _translit():
        out.add(re.sub(r"[^a-z]", "", "".join(table.get(c, c) for c in text.lower())))
    return out


def _letters(text: str) -> str:
    return re.sub(r"[^\w]", "", norm_key(text))


@lru_cache(maxsize=65536)
def _ru_lemma(word: str) -> str:
    from bibmine.maps.terms import _morph

    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def inflection_key(label: str) -> str:
    """Labels with the same key differ only by the plural (English) or inflection (Russian)."""
    words = norm_key(label).split()
    if not words:
        return ""
    if _cyrillic(label):
        return " ".join(_ru_lemma(w) for w in words)
    return " ".join(words[:-1] + [singular(words[-1])])


def _canonical(a: str, b: str, occ: dict[str, int]) -> tuple[str, str]:
    """(replaced, kept): the more frequent label is kept."""
    ka = (-occ.get(a, 0), len(a), a)
    kb = (-occ.get(b, 0), len(b), b)
    return (b, a) if ka <= kb else (a, b)


def find_candidates(occurrences: dict[str, int], *, fuzzy_threshold: float = 92.0, max_fuzzy: int = 5000,
                    parallel: Counter | None = None, min_support: int = 2) -> list[Candidate]:
    """Candidates among labels with their occurrence counts; ``parallel`` counts (ru, en) label pairs."""
    occ = {lbl: n for lbl, n in occurrences.items() if norm_key(lbl)}
    labels = sorted(occ, key=lambda lbl: (-occ[lbl], lbl))
    out: list[Candidate] = []
    merged: set[str] = set()

    def add(a: str, b: str, reason: str, score: float, support: int = 0, keep_b: bool = False) -> None:
        replaced, kept = (a, b) if keep_b else _canonical(a, b, occ)
        if replaced in merged or replaced == kept:
            return
        merged.add(replaced)
        out.append(Candidate(replaced, kept, reason, round(score, 1), support, occ.get(replaced, 0),
                             occ.get(kept, 0), "yes" if reason in ("plural", "inflection") else ""))

    groups: dict[str, list[str]] = {}
    for lbl in labels:
        groups.setdefault(inflection_key(lbl), []).append(lbl)
    for members in groups.values():
        for other in members[1:]:
            add(other, members[0], "inflection" if _cyrillic(other) else "plural", 100.0)

    initials: dict[str, list[str]] = {}
    for lbl in labels:
        words = [w for w in norm_key(lbl).split() if w not in STOP_IN_ACRONYMS]
        if len(words) >= 2:
            initials.setdefault("".join(w[0] for w in words), []).append(lbl)
    for lbl in labels:
        key = norm_key(lbl)
        m = re.fullmatch(r"(.+?)\s*\((\w{2,8})\)", key)
        if m and m.group(2) == "".join(w[0] for w in m.group(1).split() if w not in STOP_IN_ACRONYMS):
            add(lbl, display(m.group(1)) if m.group(1) not in occ else m.group(1), "acronym", 95.0, keep_b=True)
        elif " " not in key and 2 <= len(key) <= 8 and key in initials:
            add(lbl, initials[key][0], "acronym", 90.0, keep_b=True)

    latin_by_letters: dict[str, str] = {}
    for lbl in labels:
        if not _cyrillic(lbl):
            latin_by_letters.setdefault(_letters(lbl), lbl)
    for lbl in labels:
        if _cyrillic(lbl):
            for t in transliterations(lbl):
                if t and t in latin_by_letters:
                    add(latin_by_letters[t], lbl, "ru/en", 100.0)
                    break
    for (ru, en), support in (parallel or Counter()).most_common():
        if support >= min_support and ru in occ and en in occ:
            add(en, ru, "ru/en", 100.0 * support / max(1, min(occ[ru], occ[en])), support)

    _fuzzy(labels[:max_fuzzy], fuzzy_threshold, add)
    return out


def _fuzzy(labels: list[str], threshold: float, add) -> None:
    import numpy as np
    from rapidfuzz import fuzz, process

    for script in (True, False):
        group = [lbl for lbl in labels if _cyrillic(lbl) == script]
        if len(group) < 2:
            continue
        keys = [norm_key(lbl) for lbl in group]
        scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=threshold, workers=1,
                               dtype=np.uint8)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                add(group[i], group[j], "fuzzy", float(scores[i, j]))


def parallel_keywords(records: Iterable[Record]) -> Counter:
    """(Russian, English) keyword pairs at the same position of a record's two keyword lists."""
    pairs: Counter = Counter()
    for record in records:
        kws = [display(k) for v in record.author_keywords for k in v.split(";") if k.strip()]
        ru = [k for k in kws if _cyrillic(k)]
        en = [k for k in kws if not _cyrillic(k)]
        if ru and len(ru) == len(en):
            pairs.update(zip(ru, en, strict=True))
    return pairs


def write_candidates(candidates: list[Candidate], path: str | Path) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(COLUMNS)
        for c in sorted(candidates, key=lambda c: (c.reason, -c.support, -c.score, c.label)):
            w.writerow([getattr(c, col) for col in COLUMNS])
    return path
