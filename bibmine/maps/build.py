"""Maps from records: count, select, score, cluster and lay out - the Python API for scripts.

>>> from bibmine.corpus.model import Record
>>> docs = [Record(author_keywords=k, year=y) for k, y in
...         [(["soil", "carbon", "climate"], 2019), (["soil", "climate"], 2020), (["carbon", "forest"], 2021)]]
>>> g = build_network(docs, "keywords", MapOptions(counting="fractional"))
>>> g["soil"]["climate"]["strength"], g.nodes["forest"]["scores"]["Avg. pub. year"]
(1.5, 2021.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from bibmine.corpus.model import Record, normalize_doi
from bibmine.maps import counting as cnt
from bibmine.maps.cluster import ClusterParams, cluster_items
from bibmine.maps.collect import COAUTHORSHIP_KINDS, KINDS, Incidence, collect, held_rubric_level
from bibmine.maps.items import RecordFilter
from bibmine.maps.layout import LayoutParams, vos_layout
from bibmine.maps.normalize import NORMALIZATION_NAMES, normalize
from bibmine.maps.overlay import cluster_profile, item_scores, region_counts, top_regions
from bibmine.maps.thesaurus import Thesaurus


@dataclass
class MapOptions:
    counting: str = "full"
    min_occurrences: float = 1
    top_n: int | None = None
    normalization: str = "association"
    relevance_share: float = 0.6  # terms: the share of candidate terms kept, most relevant first (VOSviewer: 60%)
    overlay_regions: list[str] | None = None  # None: the n_overlay_regions regions with most documents
    n_overlay_regions: int = 5
    cluster: ClusterParams = field(default_factory=ClusterParams)
    layout: LayoutParams | None = None  # None: VOSviewer's default for the kind
    lang: str = "ru"
    max_per_document: int | None = 25  # co-authorship maps: documents with more items are left out (VOSviewer's 25)


def default_layout(kind: str) -> LayoutParams:
    """VOSviewer's defaults (Manual 1.6.18, footnote 10): attraction 2; repulsion -1 for authors'
    co-authorship, 0 for keyword co-occurrence, 1 otherwise."""
    return LayoutParams(attraction=2, repulsion={"authors": -1, "keywords": 0}.get(kind, 1))


def relevance(A: sp.csr_matrix, method: str, sizes: np.ndarray, occ: np.ndarray) -> np.ndarray:
    """Relevance of each column: Kullback-Leibler divergence of its co-occurrence profile from the
    overall occurrence distribution (van Eck & Waltman 2011): general terms co-occur with
    everything alike and score low.  Terms without co-occurrences score 0.

    As in VOSviewer, a terms map scores relevance on binary counts (a term once per document,
    whatever ``MapOptions.counting``) and keeps the ``MapOptions.relevance_share`` most relevant
    of the terms with ``min_occurrences`` (default 0.6, VOSviewer's 60%; ``map terms --relevance``).
    VOSviewer measures the spread of a term's co-occurrences over clusters of terms; here the
    spread over the terms themselves, which needs no clustering first."""
    C = cnt.cooccurrence(A, method, sizes).tocsr()
    rows = np.asarray(C.sum(axis=1)).ravel()
    q = occ / occ.sum() if occ.sum() > 0 else occ
    out = np.zeros(C.shape[0])
    coo = C.tocoo()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = coo.data / rows[coo.row]
        terms = np.where(p > 0, p * np.log(p / q[coo.col]), 0.0)
    np.add.at(out, coo.row, terms)
    return out


def _select(inc_units: sp.csr_matrix, spec, opts: MapOptions, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    sizes = cnt.unit_sizes(inc_units)
    occ = cnt.occurrences(inc_units, opts.counting, spec.multiplicity)
    if spec.name != "terms":
        sel = cnt.select_items(inc_units, opts.counting, sizes, occ, min_occurrences=opts.min_occurrences,
                               top_n=opts.top_n, keys=keys)
        return sel, occ
    cand = np.flatnonzero(occ >= opts.min_occurrences)
    if len(cand) == 0:
        return cand, occ
    # VOSviewer scores relevance on binary counts (a term counted once per document), whatever the map's counting
    rel = relevance(inc_units[:, cand], "binary", sizes, cnt.occurrences(inc_units[:, cand], "binary"))
    keep = opts.top_n if opts.top_n is not None else math.ceil(opts.relevance_share * len(cand))
    order = sorted(range(len(cand)), key=lambda k: (-rel[k], -occ[cand[k]], keys[cand[k]]))
    return np.sort(cand[order[:keep]]), occ


def build_network(records: Iterable[Record], kind: str, options: MapOptions | None = None, *,
                  record_filter: RecordFilter | None = None, thesaurus: Thesaurus | None = None,
                  **kind_options) -> nx.Graph:
    """Items, weights, overlay scores and raw link strengths (no layout, no clusters yet).

    ``kind_options``: ``keyword_field`` (author/indexed/all), ``rubric_level`` (1-3),
    ``rubric_source`` (manual/automatic/foreign), ``term_extractor``.
    """
    opts = options or MapOptions()
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown map kind {kind!r}; choose one of {', '.join(KINDS)}")
    if opts.counting not in cnt.COUNTING_METHODS:
        raise ValueError(f"counting must be one of {', '.join(cnt.COUNTING_METHODS)}, not {opts.counting!r}")
    if kind in ("rubrics", "regions"):
        kind_options.setdefault("lang", opts.lang)
    held = None
    if kind == "rubrics" and kind_options.get("rubric_level") is None:
        records = records if isinstance(records, (list, tuple)) else list(records)
        held = kind_options["rubric_level"] = held_rubric_level(
            records, kind_options.get("rubric_scheme", "grnti"), kind_options.get("rubric_source"))
    limit = opts.max_per_document if kind in COAUTHORSHIP_KINDS else None
    inc = collect(records, kind, record_filter=record_filter, thesaurus=thesaurus,
                  keep_docs=spec.transpose, max_per_document=limit, **kind_options)
    if held is not None:
        inc.stats["rubric_level"] = held
    return network_from_incidence(inc, kind, opts)


def network_from_incidence(inc: Incidence, kind: str, opts: MapOptions) -> nx.Graph:
    spec = KINDS[kind]
    if spec.transpose:  # coupling: documents are the items, linked through shared references
        units = inc.matrix.T.tocsr()
        keys = [d[0] for d in inc.docs]
        labels = [d[1] for d in inc.docs]
        members = sp.identity(len(keys), format="csr")
    else:
        units, keys, labels, members = inc.matrix, inc.keys, inc.labels, inc.matrix
    sel, occ = _select(units, spec, opts, keys)
    C = cnt.cooccurrence(units[:, sel], opts.counting, cnt.unit_sizes(units))
    overlay = opts.overlay_regions if opts.overlay_regions is not None else \
        top_regions(inc.doc_regions, inc.region_codes, opts.n_overlay_regions)
    scores = item_scores(members[:, sel], inc.doc_year, inc.doc_cites, inc.doc_regions, inc.region_codes,
                         overlay, per_document=spec.transpose)
    counts, located = region_counts(sp.csr_matrix(members[:, sel], dtype=np.float64), inc.doc_regions)
    g = nx.Graph(kind=kind, counting=opts.counting, stats=dict(inc.stats), overlay_regions=list(overlay),
                 region_codes=list(inc.region_codes), lang=opts.lang)
    g.graph["terminology"] = spec.terminology()
    g.graph["_region_counts"], g.graph["_located"] = counts, located
    for k, col in enumerate(sel):
        value = float(occ[col])
        weights = {spec.weight: int(value) if value.is_integer() else value}
        attrs = {"label": labels[col], "weights": weights,
                 "scores": {name: (None if np.isnan(v[k]) else float(v[k])) for name, v in scores.items()}}
        if spec.transpose:
            _, _, title, doi = inc.docs[col]
            if title:
                attrs["description"] = title
            if normalize_doi(doi):
                attrs["url"] = "https://doi.org/" + normalize_doi(doi)
            cites = inc.doc_cites[col]
            attrs["_citations"] = None if np.isnan(cites) else float(cites)
        g.add_node(keys[col], **attrs)
    if spec.transpose and all(g.nodes[n]["_citations"] is not None for n in g):
        for n in g:
            g.nodes[n]["weights"]["Citations"] = g.nodes[n]["_citations"]
    for n in g:
        g.nodes[n].pop("_citations", None)
    upper = sp.triu(C, k=1).tocoo()
    node_keys = [keys[c] for c in sel]
    for a, b, s in zip(upper.row, upper.col, upper.data, strict=True):
        g.add_edge(node_keys[a], node_keys[b], strength=float(s))
    g.graph["stats"].update(items_found=len(keys), items_selected=len(sel), links=g.number_of_edges())
    return g


def graph_matrix(graph: nx.Graph) -> tuple[list, sp.csr_matrix]:
    """Nodes in graph order and their symmetric link-strength matrix (self-links left out)."""
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, data in graph.edges(data=True):
        if u != v:
            s = float(data.get("strength", data.get("weight", 1.0)))
            rows += [index[u], index[v]]
            cols += [index[v], index[u]]
            vals += [s, s]
    return nodes, sp.csr_matrix((vals, (rows, cols)), shape=(len(nodes), len(nodes)))


def cluster_graph(graph: nx.Graph, normalization: str = "association", params: ClusterParams | None = None
                  ) -> np.ndarray:
    """Set each node's ``cluster`` (None: no cluster); returns the cluster numbers in node order."""
    nodes, C = graph_matrix(graph)
    N, w = normalize(C, normalization)
    clusters = cluster_items(N, w, params or ClusterParams(), modularity=normalization == "linlog")
    for i, n in enumerate(nodes):
        graph.nodes[n]["cluster"] = int(clusters[i]) if clusters[i] > 0 else None
    return clusters


def layout_graph(graph: nx.Graph, normalization: str = "association", params: LayoutParams | None = None) -> None:
    """Set each node's ``x`` and ``y`` by the VOS mapping technique."""
    nodes, C = graph_matrix(graph)
    N, w = normalize(C, normalization)
    X = vos_layout(N, w, params or LayoutParams())
    for i, n in enumerate(nodes):
        graph.nodes[n]["x"], graph.nodes[n]["y"] = round(float(X[i, 0]), 6), round(float(X[i, 1]), 6)


def analyze(graph: nx.Graph, normalization: str = "association", cluster: ClusterParams | None = None,
            layout: LayoutParams | None = None) -> nx.Graph:
    """Cluster and lay out any graph in place (normalized as VOSviewer does); returns it."""
    cluster = cluster or ClusterParams()
    layout = layout or LayoutParams()
    clusters = cluster_graph(graph, normalization, cluster)
    layout_graph(graph, normalization, layout)
    params = {"normalization": NORMALIZATION_NAMES[normalization], "resolution": cluster.resolution,
              "min_cluster_size": cluster.min_cluster_size, "merge_small_clusters": cluster.merge_small_clusters,
              "clustering_seed": cluster.seed, "attraction": layout.attraction, "repulsion": layout.repulsion,
              "layout_seed": layout.seed}
    graph.graph["parameters"] = params
    config = {"parameters": {k: params[k] for k in ("attraction", "repulsion", "resolution", "min_cluster_size",
                                                     "merge_small_clusters")}}
    if graph.graph.get("terminology"):
        config["terminology"] = graph.graph["terminology"]
    graph.graph["config"] = config
    if "_region_counts" in graph.graph:
        _profile(graph, list(graph.nodes), clusters)
    return graph


def _profile(graph: nx.Graph, nodes: list, clusters: np.ndarray) -> None:
    weight_name = KINDS[graph.graph["kind"]].weight
    labels = [graph.nodes[n]["label"] for n in nodes]
    weights = np.array([graph.nodes[n]["weights"].get(weight_name, 0.0) for n in nodes])
    rows = cluster_profile(clusters, graph.graph["_region_counts"], graph.graph["_located"],
                           graph.graph["region_codes"], labels, weights, graph.graph.get("lang", "ru"))
    graph.graph["cluster_profile"] = rows
    graph.graph["cluster_labels"] = {r["cluster"]: r["top_items"].split("; ")[0] for r in rows}


def build_map(records: Iterable[Record], kind: str, options: MapOptions | None = None, *,
              record_filter: RecordFilter | None = None, thesaurus: Thesaurus | None = None,
              **kind_options) -> nx.Graph:
    """:func:`build_network` then :func:`analyze` with the options' normalization, clustering, layout."""
    opts = options or MapOptions()
    graph = build_network(records, kind, opts, record_filter=record_filter, thesaurus=thesaurus, **kind_options)
    return analyze(graph, opts.normalization, opts.cluster, opts.layout or default_layout(kind))


def map_from_corpus(corpus, kind: str, options: MapOptions | None = None, **kwargs) -> nx.Graph:
    """:func:`build_map` over every work of a :class:`~bibmine.corpus.store.Corpus`."""
    return build_map(corpus.iter_works(), kind, options, **kwargs)
