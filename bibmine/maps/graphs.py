"""networkx graphs <-> VOSviewer items and links: the one model every file format uses.

A map is a :class:`networkx.Graph` whose nodes carry

- ``label`` (default: the node itself), ``description``, ``url``;
- ``x``, ``y`` (layout) and ``cluster`` (an integer 1..1000, or None for no cluster);
- ``weights`` (``{"Occurrences": 12}``; weights are non-negative numbers) and ``scores``
  (``{"Avg. pub. year": 2019.5}``; a score may be None: undefined);
- a plain numeric ``weight`` / ``score`` attribute is read as ``weights["Weight"]`` /
  ``scores["Score"]``, so any graph a script builds can be written.

Links carry ``strength`` (else networkx's ``weight``, else 1).  Writers give items the
node itself as id when every node is a positive integer, else ids 1..n in node order.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {"strength": 1.5})])
>>> items, links = to_items(g)
>>> [(i["id"], i["label"], i["weights"]) for i in items]  # doctest: +NORMALIZE_WHITESPACE
[(1, 'a', {'Links': 1, 'Total link strength': 2.0}),
 (2, 'b', {'Links': 2, 'Total link strength': 3.5}), (3, 'c', {'Links': 1, 'Total link strength': 1.5})]
>>> links
[(1, 2, 2.0), (2, 3, 1.5)]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable

import networkx as nx

from bibmine.maps.labels import plain_text

LINKS = "Links"
TOTAL_LINK_STRENGTH = "Total link strength"
ITEM_FIELDS = ("label", "description", "url", "x", "y", "cluster")
Link = tuple[Hashable, Hashable, float]


class MapDataError(ValueError):
    """A graph that cannot be written as a VOSviewer map; the message names the node."""


def item_ids(graph: nx.Graph) -> dict[Hashable, int | str]:
    nodes = list(graph.nodes)
    if nodes and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n > 0 for n in nodes):
        return {n: int(n) for n in nodes}
    return {n: i for i, n in enumerate(nodes, start=1)}


def strength(data: dict) -> float:
    value = data.get("strength", data.get("weight", 1.0))
    if type(value) is float and value == value or type(value) is int:  # the usual case, without ABC checks
        return float(value)
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or math.isnan(value):
        raise MapDataError(f"link strength must be a number, not {value!r}")
    return float(value)


def to_links(graph: nx.Graph, ids: dict | None = None) -> list[tuple]:
    """Undirected links (id1 < id2 in node order), parallel and reverse edges summed.

    Self-links are left out (a map has no use for them); zero strengths too; a
    negative strength raises :class:`MapDataError`.
    """
    ids = ids or item_ids(graph)
    order = {n: i for i, n in enumerate(graph.nodes)}
    total: dict[tuple, float] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        s = strength(data)
        if s < 0:
            raise MapDataError(f"link {u!r} - {v!r} has a negative strength {s}")
        a, b = (u, v) if order[u] < order[v] else (v, u)
        total[(a, b)] = total.get((a, b), 0.0) + s
    return [(ids[a], ids[b], s) for (a, b), s in sorted(total.items(), key=lambda kv: (order[kv[0][0]],
                                                                                     order[kv[0][1]]))
            if s > 0]


def _number(node, name, value, allow_none: bool) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if math.isnan(value):
            if allow_none:
                return None
            raise MapDataError(f"node {node!r}: {name} is NaN")
        return value
    raise MapDataError(f"node {node!r}: {name} must be a number, not {value!r}")


def to_items(graph: nx.Graph) -> tuple[list[dict], list[tuple]]:
    """Items (dicts with id, label, ..., weights, scores) and links of any graph."""
    ids = item_ids(graph)
    links = to_links(graph, ids)
    n_links: dict = dict.fromkeys(ids.values(), 0)
    tls: dict = dict.fromkeys(ids.values(), 0.0)
    for a, b, s in links:
        n_links[a] += 1
        n_links[b] += 1
        tls[a] += s
        tls[b] += s
    items = []
    for node, attrs in graph.nodes(data=True):
        iid = ids[node]
        item: dict = {"id": iid, "label": plain_text(str(attrs.get("label", node))) or str(iid)}
        for name in ("description", "url"):
            if attrs.get(name) is not None:
                item[name] = str(attrs[name])
        for name in ("x", "y"):
            if attrs.get(name) is not None:
                item[name] = _number(node, name, attrs[name], allow_none=False)
        cluster = attrs.get("cluster")
        if cluster is not None:
            if not isinstance(cluster, numbers.Integral) or isinstance(cluster, bool) or not 1 <= cluster <= 1000:
                raise MapDataError(f"node {node!r}: cluster must be an integer 1..1000, not {cluster!r}")
            item["cluster"] = int(cluster)
        weights = {LINKS: n_links[iid], TOTAL_LINK_STRENGTH: tls[iid]}
        weights.update(attrs.get("weights") or {})
        if "weight" in attrs and "Weight" not in weights:
            weights["Weight"] = attrs["weight"]
        for name, value in weights.items():
            value = _number(node, f"weight {name!r}", value, allow_none=False)
            if value < 0:
                raise MapDataError(f"node {node!r}: weight {name!r} is negative ({value})")
        item["weights"] = weights
        scores = dict(attrs.get("scores") or {})
        if "score" in attrs and "Score" not in scores:
            scores["Score"] = attrs["score"]
        item["scores"] = {k: _number(node, f"score {k!r}", v, allow_none=True) for k, v in scores.items()}
        for key, value in attrs.items():  # extra item fields (VOSviewer JSON keeps them)
            if key not in ITEM_FIELDS and key not in ("weights", "scores", "weight", "score") and \
                    isinstance(value, str | int | float) and not isinstance(value, bool):
                item.setdefault("extra", {})[key] = value
        items.append(item)
    _check_columns(items)
    return items, links


def _check_columns(items: list[dict]) -> None:
    """Columns must be complete where VOSviewer requires it: x with y, every weight on every item."""
    has_xy = [("x" in i) and ("y" in i) for i in items]
    if any(("x" in i) != ("y" in i) for i in items) or (any(has_xy) and not all(has_xy)):
        missing = [i["label"] for i, ok in zip(items, has_xy, strict=True) if not ok][:5]
        raise MapDataError(f"some items have x/y coordinates and others not (e.g. {missing}); "
                           "give every node both x and y, or none")
    names = weight_names(items)
    for item in items:
        absent = [n for n in names if n not in item["weights"]]
        if absent:
            raise MapDataError(f"item {item['label']!r} has no weight {absent[0]!r} while other items do; "
                               "give every node the same weights")


def weight_names(items: Iterable[dict]) -> list[str]:
    return _names(items, "weights")


def score_names(items: Iterable[dict]) -> list[str]:
    return _names(items, "scores")


def _names(items: Iterable[dict], field: str) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        for name in item.get(field, {}):
            seen.setdefault(name, None)
    return list(seen)


def from_items(items: Iterable[dict], links: Iterable[tuple], graph_attrs: dict | None = None) -> nx.Graph:
    """A graph keyed by item id; links between the same pair are summed, as VOSviewer does."""
    graph = nx.Graph(**(graph_attrs or {}))
    for item in items:
        attrs = {k: v for k, v in item.items() if k not in ("id", "extra")}
        attrs.update(item.get("extra", {}))
        attrs.setdefault("weights", {})
        attrs.setdefault("scores", {})
        graph.add_node(item["id"], **attrs)
    for a, b, s in links:
        if graph.has_edge(a, b):
            graph[a][b]["strength"] += s
        else:
            graph.add_edge(a, b, strength=s)
    return graph
