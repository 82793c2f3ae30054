"""Clustering (Leiden, VOSviewer's quality function), VOS layout, terms and thesaurus candidates.

Networks and texts here are INVENTED; expected values are worked out in the comments.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from bibmine.corpus.model import Kind, Record, Text
from bibmine.maps.build import MapOptions, analyze, build_map, build_network
from bibmine.maps.candidates import find_candidates, parallel_keywords, transliterations
from bibmine.maps.cluster import ClusterParams, cluster_items, merge_small
from bibmine.maps.layout import LayoutParams, vos_layout
from bibmine.maps.normalize import normalize
from bibmine.maps.terms import TermExtractor
from bibmine.maps.thesaurus import Thesaurus

from .conftest import keyword_docs


def two_cliques(extra: int = 0) -> sp.csr_matrix:
    """Cliques {0..4} and {5..9} (strength 2), one weak bridge 4-5 (strength 0.1); ``extra`` isolated
    pendant nodes each tied to node 0 with strength 0.1."""
    n = 10 + extra
    C = np.zeros((n, n))
    for block in (range(5), range(5, 10)):
        for i in block:
            for j in block:
                if i != j:
                    C[i, j] = 2.0
    C[4, 5] = C[5, 4] = 0.1
    for k in range(10, n):
        C[0, k] = C[k, 0] = 0.1
    return sp.csr_matrix(C)


def test_leiden_finds_the_two_cliques_and_is_deterministic():
    N, w = normalize(two_cliques(), "association")
    c = cluster_items(N, w, ClusterParams(seed=7))
    assert sorted(Counter(c.tolist()).values()) == [5, 5]
    assert len(set(c[:5])) == 1 and len(set(c[5:])) == 1 and c[0] != c[5]
    assert (cluster_items(N, w, ClusterParams(seed=7)) == c).all()
    m = cluster_items(*normalize(two_cliques(), "linlog"), ClusterParams(seed=7), modularity=True)
    assert sorted(Counter(m.tolist()).values()) == [5, 5]


def test_small_clusters_merge_into_the_most_linked_cluster_or_drop():
    # membership: clique A = 0, clique B = 1, node 10 alone = 2 (linked to node 0 only)
    N, w = normalize(two_cliques(extra=1), "association")
    member = np.array([0] * 5 + [1] * 5 + [2])
    assert merge_small(N, w, member, 2).tolist() == [0] * 5 + [1] * 5 + [0]
    assert merge_small(N, w, member, 2, merge=False).tolist() == [0] * 5 + [1] * 5 + [-1]


def test_layout_is_deterministic_for_a_seed_and_separates_cliques():
    N, w = normalize(two_cliques(), "association")
    X = vos_layout(N, w, LayoutParams(seed=3))
    assert np.array_equal(X, vos_layout(N, w, LayoutParams(seed=3)))
    assert not np.allclose(X, vos_layout(N, w, LayoutParams(seed=4)))
    d = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    within = (d[:5, :5].sum() + d[5:, 5:].sum()) / 40
    between = d[:5, 5:].mean()
    assert between > 2 * within
    # standardized: centred, mean pairwise distance 1
    assert np.allclose(X.mean(axis=0), 0, atol=1e-9)
    assert d[np.triu_indices(10, 1)].mean() == pytest.approx(1.0)


def test_layout_parameters_follow_vosviewer_ranges():
    with pytest.raises(ValueError, match="lower than attraction"):
        LayoutParams(attraction=1, repulsion=1)
    with pytest.raises(ValueError, match="ranges"):
        LayoutParams(attraction=11)


def test_build_map_is_deterministic_and_clusters_every_item():
    a = build_map(keyword_docs(), "keywords", MapOptions())
    b = build_map(keyword_docs(), "keywords", MapOptions())
    assert [(n, d["x"], d["y"], d["cluster"]) for n, d in a.nodes(data=True)] == \
        [(n, d["x"], d["y"], d["cluster"]) for n, d in b.nodes(data=True)]
    assert all(1 <= d["cluster"] <= 1000 for _, d in a.nodes(data=True))
    assert a.graph["config"]["parameters"]["repulsion"] == 0  # VOSviewer's default for keywords
    profile = a.graph["cluster_profile"]
    assert sum(r["items"] for r in profile) == 4


def test_any_graph_can_be_analyzed():
    g = nx.les_miserables_graph()
    analyze(g, "association", ClusterParams(seed=1), LayoutParams(seed=1))
    assert all(d["cluster"] is not None and "x" in d for _, d in g.nodes(data=True))
    assert len({d["cluster"] for _, d in g.nodes(data=True)}) > 1


def test_english_terms_follow_vosviewer_rules():
    ex = TermExtractor()
    text = ("Regional innovation systems and the smart specialisation strategies of universities. "
            "We propose a method based on patent data. Results: knowledge spillovers across regions. "
            "© 2021 Elsevier Ltd. All rights reserved.")
    assert [k for k, _ in ex.phrases(text, "en")] == [
        "regional innovation system", "smart specialisation strategy", "university", "patent data",
        "knowledge spillover", "region"]


def test_russian_terms_are_lemmatized_with_agreement():
    ex = TermExtractor()
    text = ("Инновационные кластеры Воронежской области и развитие инновационной экономики региона. "
            "Исследованы чернозёмы типичные. Цель работы — оценка.")
    assert [k for k, _ in ex.phrases(text, "ru")] == [
        "инновационный кластер воронежской области", "развитие инновационной экономики региона", "чернозем",
        "цель работы", "оценка"]


def test_terms_map_merges_plural_and_inflected_forms_across_languages():
    docs = [Record(kind=Kind.ARTICLE, titles=[Text("Soil carbon in chernozems", "en"),
                                               Text("Углерод почвы в черноземах", "ru")]),
            Record(kind=Kind.ARTICLE, titles=[Text("Chernozem and soil carbons", "en"),
                                               Text("Чернозем и углерод почвы", "ru")])]
    g = build_network(docs, "terms", MapOptions(relevance_share=1.0))
    occ = {g.nodes[n]["label"]: g.nodes[n]["weights"]["Occurrences"] for n in g}
    assert occ == {"soil carbon": 2, "chernozem": 2, "углерод почвы": 2, "чернозем": 2}


def test_thesaurus_is_applied_in_the_map():
    th = Thesaurus({"climate": "climate change", "forest": None})
    g = build_network(keyword_docs(), "keywords", thesaurus=th)
    assert sorted(g.nodes[n]["label"] for n in g) == ["carbon", "climate change", "soil"]
    assert g.graph["stats"]["ignored_by_thesaurus"] == 1


def test_thesaurus_candidates_plural_acronym_fuzzy_and_ru_en():
    occ = {"regional policy": 5, "regional policies": 2, "gross domestic product": 4, "gdp": 3,
           "валовой внутренний продукт": 2, "ввп": 1, "инновационные кластеры": 1, "инновационный кластер": 3,
           "specialisation": 6, "specialization": 2, "воронеж": 3, "voronezh": 4,
           "почва": 5, "soil": 7}
    parallel = parallel_keywords([Record(author_keywords=["почва", "воронеж", "soil", "voronezh"])] * 2)
    assert parallel == Counter({("почва", "soil"): 2, ("воронеж", "voronezh"): 2})
    got = {(c.label, c.replace_by, c.reason, c.accept) for c in find_candidates(occ, parallel=parallel)}
    assert got == {
        ("regional policies", "regional policy", "plural", "yes"),
        ("инновационные кластеры", "инновационный кластер", "inflection", "yes"),
        ("gdp", "gross domestic product", "acronym", ""),
        ("ввп", "валовой внутренний продукт", "acronym", ""),
        ("воронеж", "voronezh", "ru/en", ""),  # transliteration; the more frequent spelling is kept
        ("почва", "soil", "ru/en", ""),  # parallel keyword lists in 2 records
        ("specialization", "specialisation", "fuzzy", ""),
    }
    assert "voronezh" in transliterations("воронеж")
