"""Trend topics, the thematic map (Callon's centrality and density) and the three-field plot.

- Trend topics: for each author keyword with at least ``min_freq`` documents, the first quartile,
  median and third quartile of its documents' years (quantile type 1 of Hyndman & Fan, the inverse of
  the empirical distribution, as bibliometrix's ``fieldByYear``: a year that occurs, never a fraction);
  then, per median year, the ``per_year`` most frequent keywords.
- Thematic map: keywords with at least ``min_freq`` documents (the ``n`` most frequent), linked by
  their co-occurrence ``c_ij`` weighted by the equivalence index ``e_ij = c_ij² / (c_i c_j)``; clusters
  are Louvain communities of that network (seeded, so the map is the same every run). For a cluster of
  ``w`` keywords, Callon's **density** is ``100 * sum of internal e_ij / w`` and **centrality** is
  ``10 * sum of e_ij of links leaving it``. Quadrants split at the medians: motor (both high),
  niche (dense, peripheral), basic (central, sparse), emerging or declining (both low).
- Three-field plot: documents shared by federal subject and rubric, and by rubric and keyword, each
  field cut to its ``n`` largest items.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations
from statistics import median

from bibmine.indicators.docs import Doc


def quantile_type1(values: list[int], p: float) -> int:
    """Examples:

    >>> quantile_type1([2018, 2019, 2020, 2021], 0.5), quantile_type1([2018, 2019, 2020, 2021], 0.25)
    (2019, 2018)
    >>> quantile_type1([2018, 2019, 2020, 2021], 0.75), quantile_type1([2020], 0.75)
    (2020, 2020)
    """
    ordered = sorted(values)
    k = max(math.ceil(len(ordered) * p), 1)
    return ordered[k - 1]


def trend_topics(docs: list[Doc], min_freq: int = 5, per_year: int = 3) -> list[dict]:
    years: dict[str, list[int]] = defaultdict(list)
    for d in docs:
        if d.year is not None:
            for k in d.keywords:
                years[k].append(d.year)
    rows = [{"keyword": k, "documents": len(ys), "q1": quantile_type1(ys, 0.25), "median": quantile_type1(ys, 0.5),
             "q3": quantile_type1(ys, 0.75)} for k, ys in years.items() if len(ys) >= min_freq]
    by_year: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[r["median"]].append(r)
    out = []
    for y in sorted(by_year):
        out += sorted(by_year[y], key=lambda r: (-r["documents"], r["keyword"]))[:per_year]
    return out


def _cooccurrence(docs: list[Doc], keep: set[str]) -> tuple[Counter, Counter]:
    freq: Counter = Counter()
    pairs: Counter = Counter()
    for d in docs:
        ks = sorted(k for k in set(d.keywords) if k in keep)
        freq.update(ks)
        pairs.update(combinations(ks, 2))
    return freq, pairs


def thematic_map(docs: list[Doc], min_freq: int = 3, n: int = 250, seed: int = 1) -> list[dict]:
    """One row per cluster: label (its most frequent keyword), keywords, documents, centrality, density, quadrant."""
    import networkx as nx

    counts = Counter(k for d in docs for k in set(d.keywords))
    keep = {k for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n] if c >= min_freq}
    freq, pairs = _cooccurrence(docs, keep)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(keep))
    for (a, b), c in pairs.items():
        graph.add_edge(a, b, weight=c * c / (freq[a] * freq[b]))
    if graph.number_of_nodes() == 0:
        return []
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    member = {k: i for i, group in enumerate(communities) for k in group}
    rows = []
    for group in communities:
        words = sorted(group, key=lambda k: (-freq[k], k))
        internal = external = 0.0
        for k in group:
            for other, data in graph[k].items():
                if member[other] == member[k]:
                    internal += data["weight"] / 2  # each internal link is seen from both ends
                else:
                    external += data["weight"]
        rows.append({"label": words[0], "keywords": words, "documents": sum(freq[k] for k in words),
                     "centrality": 10 * external, "density": 100 * internal / len(words)})
    mc, md = median(r["centrality"] for r in rows), median(r["density"] for r in rows)
    for r in rows:
        high_c, high_d = r["centrality"] > mc, r["density"] > md
        r["quadrant"] = ("motor" if high_c and high_d else "niche" if high_d else "basic" if high_c
                         else "emerging_or_declining")
    return sorted(rows, key=lambda r: (-r["documents"], r["label"]))


def three_field(docs: list[Doc], n: int = 10) -> dict:
    """``{"subjects", "rubrics", "keywords": [(item, documents)], "links": [(left, right, documents)]}``."""
    top = {}
    for field in ("subjects", "rubrics", "keywords"):
        counts = Counter(v for d in docs for v in getattr(d, field))
        top[field] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    keep = {field: {k for k, _ in items} for field, items in top.items()}
    links: Counter = Counter()
    for d in docs:
        rubrics = [r for r in d.rubrics if r in keep["rubrics"]]
        for r in rubrics:
            links.update(("s:" + s, "r:" + r) for s in d.subjects if s in keep["subjects"])
            links.update(("r:" + r, "k:" + k) for k in d.keywords if k in keep["keywords"])
    return {**{f: [list(kv) for kv in items] for f, items in top.items()},
            "links": [[a, b, c] for (a, b), c in sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))]}
