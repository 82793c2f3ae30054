"""Authors (productivity, Lotka's law, h-, g-, m-index), affiliations, federal subjects, countries and
collaboration between subjects.

- h-index: the largest h such that h of the author's documents have at least h citations each;
- g-index: the largest g (at most the number of documents) such that the g most cited documents have
  at least g² citations together;
- m-index: h divided by the years since the author's first document in the corpus, counted inclusively
  (``year - first + 1``);
- Lotka's law: the share of authors with x documents is C / x**beta; beta and C are fitted by least
  squares on log10(share) = log10(C) - beta log10(x), as bibliometrix does; the classical law has beta = 2,
  C = 6 / pi² (about 0.608). All indexes use only the citations the corpus holds (a document without a
  count counts 0 citations for h and g).
- countries: single-country (SCP) and multiple-country (MCP) publications of each country.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations

from bibmine.indicators.docs import Doc

LOTKA_C = 6 / math.pi**2


def h_index(citations: list[int]) -> int:
    """Examples:

    >>> h_index([10, 8, 5, 4, 3]), h_index([25, 8, 5, 3, 3]), h_index([]), h_index([0, 0])
    (4, 3, 0, 0)
    """
    ranked = sorted(citations, reverse=True)
    return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)


def g_index(citations: list[int]) -> int:
    """Examples:

    >>> g_index([10, 8, 5, 4, 3]), g_index([25, 8, 5, 3, 3]), g_index([1, 0])
    (5, 5, 1)
    """
    ranked = sorted(citations, reverse=True)
    total, g = 0, 0
    for i, c in enumerate(ranked, start=1):
        total += c
        if total >= i * i:
            g = i
    return g


def authors(docs: list[Doc], n: int | None = 20, year: int | None = None) -> list[dict]:
    """The most productive authors: documents (whole and fractional), citations, h, g, m, first year."""
    year = date.today().year if year is None else year
    whole: Counter = Counter()
    fractional: dict[str, float] = defaultdict(float)
    cites: dict[str, list[int]] = defaultdict(list)
    first: dict[str, int] = {}
    for d in docs:
        for a in d.authors:
            whole[a] += 1
            fractional[a] += 1 / len(d.authors)
            cites[a].append(d.citations or 0)
            if d.year is not None:
                first[a] = min(first.get(a, d.year), d.year)
    ranked = sorted(whole, key=lambda a: (-whole[a], -fractional[a], a))
    rows = []
    for a in ranked[:n] if n else ranked:
        h = h_index(cites[a])
        rows.append({"author": a, "documents": whole[a], "fractional": fractional[a], "citations": sum(cites[a]),
                     "h": h, "g": g_index(cites[a]), "first_year": first.get(a),
                     "m": h / (year - first[a] + 1) if a in first else None})
    return rows


def lotka(docs: list[Doc]) -> dict:
    """Observed distribution of authors by documents and the fitted law ``{"rows", "beta", "c", "r2"}``."""
    per_author = Counter(a for d in docs for a in d.authors)
    by_x = Counter(per_author.values())
    total = sum(by_x.values())
    rows = [{"documents": x, "authors": by_x[x], "share": by_x[x] / total, "lotka_share": LOTKA_C / x**2}
            for x in sorted(by_x)]
    fit = {"beta": None, "c": None, "r2": None}
    if len(rows) >= 2:
        xs = [math.log10(r["documents"]) for r in rows]
        ys = [math.log10(r["share"]) for r in rows]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
        intercept = my - slope * mx
        sst = sum((y - my) ** 2 for y in ys)
        sse = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
        fit = {"beta": -slope, "c": 10**intercept, "r2": 1 - sse / sst if sst else None}
    for r in rows:
        r["fitted_share"] = None if fit["beta"] is None else fit["c"] / r["documents"] ** fit["beta"]
    return {"rows": rows, **fit, "authors": total}


def _counts(docs: list[Doc], attr: str, n: int | None) -> list[dict]:
    counts = Counter(v for d in docs for v in getattr(d, attr))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"name": k, "documents": v} for k, v in (ranked[:n] if n else ranked)]


def affiliations(docs: list[Doc], n: int | None = 20) -> list[dict]:
    """Organizations by documents (a document counts once per organization)."""
    return _counts(docs, "organizations", n)


def subjects(docs: list[Doc]) -> list[dict]:
    """Federal subjects (ISO 3166-2) by documents, with the share of documents co-authored with other subjects."""
    rows = _counts(docs, "subjects", None)
    for r in rows:
        mine = [d for d in docs if r["name"] in d.subjects]
        r["with_other_subjects"] = sum(len(d.subjects) > 1 for d in mine)
    return rows


def countries(docs: list[Doc]) -> list[dict]:
    """Countries by documents, split in single-country (SCP) and multiple-country (MCP) publications."""
    rows = _counts(docs, "countries", None)
    for r in rows:
        mine = [d for d in docs if r["name"] in d.countries]
        r["mcp"] = sum(len(d.countries) > 1 for d in mine)
        r["scp"] = r["documents"] - r["mcp"]
        r["mcp_share"] = r["mcp"] / r["documents"]
    return rows


def subject_collaboration(docs: list[Doc]) -> list[dict]:
    """Pairs of federal subjects and the documents they share (each pair once, codes in order)."""
    pairs: Counter = Counter()
    for d in docs:
        for a, b in combinations(sorted(d.subjects), 2):
            pairs[(a, b)] += 1
    return [{"a": a, "b": b, "documents": n} for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))]
