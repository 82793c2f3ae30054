"""Link strengths on hand-counted records: full, fractional, binary counting, normalizations.

Keyword documents (conftest.keyword_docs, INVENTED):
  D1 soil, carbon, climate          D2 soil, climate
  D3 carbon, forest                 D4 soil, carbon, forest, climate
Full counting - documents holding both keywords:
  soil-climate 3 (D1 D2 D4), soil-carbon 2 (D1 D4), carbon-climate 2 (D1 D4),
  carbon-forest 2 (D3 D4), soil-forest 1 (D4), forest-climate 1 (D4)
Fractional counting - each document adds 1/(n-1) per pair, n = its keywords:
  D1 1/2, D2 1, D3 1, D4 1/3 -> soil-climate 1/2+1+1/3 = 11/6, soil-carbon 1/2+1/3 = 5/6,
  carbon-climate 5/6, carbon-forest 1+1/3 = 4/3, soil-forest 1/3, forest-climate 1/3
Total link strengths (full): soil 6, carbon 6, climate 6, forest 4; S = 22.
Association strength a_ij * S / (s_i s_j): soil-climate 3*22/36 = 11/6,
  soil-carbon 2*22/36 = 11/9, carbon-forest 2*22/24 = 11/6, soil-forest 22/24 = 11/12.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from bibmine.corpus.model import Kind, Record, Text
from bibmine.maps.build import MapOptions, build_network
from bibmine.maps.counting import cooccurrence, occurrences, total_link_strength, unit_sizes
from bibmine.maps.items import RecordFilter
from bibmine.maps.normalize import normalize

from .conftest import citing_docs, coauthor_docs, keyword_docs


def strengths(g) -> dict[tuple[str, str], float]:
    return {tuple(sorted((g.nodes[u]["label"], g.nodes[v]["label"]))): d["strength"] for u, v, d in g.edges(data=True)}


def test_keyword_full_counting():
    g = build_network(keyword_docs(), "keywords", MapOptions(counting="full"))
    assert strengths(g) == {("climate", "soil"): 3, ("carbon", "soil"): 2, ("carbon", "climate"): 2,
                            ("carbon", "forest"): 2, ("forest", "soil"): 1, ("climate", "forest"): 1}
    assert {g.nodes[n]["label"]: g.nodes[n]["weights"]["Occurrences"] for n in g} == \
        {"soil": 3, "carbon": 3, "climate": 3, "forest": 2}


def test_keyword_fractional_counting():
    g = build_network(keyword_docs(), "keywords", MapOptions(counting="fractional"))
    expected = {("climate", "soil"): 11 / 6, ("carbon", "soil"): 5 / 6, ("carbon", "climate"): 5 / 6,
                ("carbon", "forest"): 4 / 3, ("forest", "soil"): 1 / 3, ("climate", "forest"): 1 / 3}
    assert strengths(g) == pytest.approx(expected)
    # every document gives each of its keywords a total strength of 1: 4 documents, 11 mentions
    assert sum(expected.values()) * 2 == pytest.approx(3 + 2 + 2 + 4)


def test_keyword_binary_counting_equals_full_for_sets():
    full = strengths(build_network(keyword_docs(), "keywords", MapOptions(counting="full")))
    assert strengths(build_network(keyword_docs(), "keywords", MapOptions(counting="binary"))) == full


def test_association_strength_by_hand():
    g = build_network(keyword_docs(), "keywords")
    nodes = list(g)
    C = sp.csr_matrix(np.array([[g[u][v]["strength"] if g.has_edge(u, v) else 0 for v in nodes] for u in nodes],
                               dtype=float))
    N, w = normalize(C, "association")
    at = {(g.nodes[nodes[i]]["label"], g.nodes[nodes[j]]["label"]): N[i, j] for i, j in zip(*N.nonzero(), strict=True)}
    assert at[("soil", "climate")] == pytest.approx(11 / 6)
    assert at[("soil", "carbon")] == pytest.approx(11 / 9)
    assert at[("carbon", "forest")] == pytest.approx(11 / 6)
    assert at[("soil", "forest")] == pytest.approx(11 / 12)
    assert w.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_other_normalizations_by_hand():
    C = sp.csr_matrix([[0, 2, 1], [2, 0, 0], [1, 0, 0]], dtype=float)  # s = 3, 2, 1; n = 3
    F, w = normalize(C, "fractionalization")
    assert F[0, 1] == pytest.approx(2 * (3 / 3 + 3 / 2) / 2)  # 2.5
    assert F[0, 2] == pytest.approx(1 * (3 / 3 + 3 / 1) / 2)  # 2.0
    L, lw = normalize(C, "linlog")
    assert L[0, 1] == 2 and lw.tolist() == [3, 2, 1]
    Nn, nw = normalize(C, "none")
    assert Nn[0, 2] == 1 and nw.tolist() == [1, 1, 1]


def test_manual_coauthorship_example_fractional():
    # VOSviewer Manual 3.5.4, figure 8: A1-A3 1.5, A2-A4 1.0, A1-A2 0.5, A2-A3 0.5
    g = build_network(coauthor_docs(), "authors", MapOptions(counting="fractional"))
    assert strengths(g) == pytest.approx({
        ("Ivanov, I.", "Сидоров, П."): 1.5, ("Petrova, A.", "Smith, J."): 1.0,
        ("Ivanov, I.", "Petrova, A."): 0.5, ("Petrova, A.", "Сидоров, П."): 0.5})
    full = build_network(coauthor_docs(), "authors", MapOptions(counting="full"))
    assert strengths(full)[("Ivanov, I.", "Сидоров, П.")] == 2


def test_terms_full_binary_fractional():
    # T1: "soil carbon" 3 times, "river basin" 2 times; T2: "river basin" once, "forest" once
    t1 = Record(kind=Kind.ARTICLE, titles=[Text("Soil carbon and river basins.", "en")],
                abstracts=[Text("Soil carbon of the river basin. Soil carbon.", "en")])
    t2 = Record(kind=Kind.ARTICLE, titles=[Text("River basin and forests.", "en")])
    opts = {"relevance_share": 1.0}
    full = build_network([t1, t2], "terms", MapOptions(counting="full", **opts))
    assert strengths(full) == {("river basin", "soil carbon"): 6, ("forest", "river basin"): 1}  # 3*2, 1*1
    assert {full.nodes[n]["label"]: full.nodes[n]["weights"]["Occurrences"] for n in full} == \
        {"soil carbon": 3, "river basin": 3, "forest": 1}
    binary = build_network([t1, t2], "terms", MapOptions(counting="binary", **opts))
    assert strengths(binary) == {("river basin", "soil carbon"): 1, ("forest", "river basin"): 1}
    assert binary.nodes["river basin"]["weights"]["Occurrences"] == 2  # documents
    frac = build_network([t1, t2], "terms", MapOptions(counting="fractional", **opts))
    assert strengths(frac) == {("river basin", "soil carbon"): 1, ("forest", "river basin"): 1}


def test_coupling_and_cocitation_by_hand():
    # P1 cites R1 R2 R3, P2 cites R1 R2, P3 cites R2 R4.
    # Coupling (full): P1-P2 share R1 R2 = 2, P1-P3 share R2 = 1, P2-P3 share R2 = 1.
    # Fractional: R1 is cited by 2 papers (1/(2-1) = 1), R2 by 3 (1/2): P1-P2 1 + 1/2, P1-P3 1/2, P2-P3 1/2.
    labels = {"citer1 (2021)": "P1", "citer2 (2022)": "P2", "citer3 (2023)": "P3"}
    full = build_network(citing_docs(), "coupling", MapOptions(counting="full"))
    named = {tuple(sorted(labels[x] for x in k)): s for k, s in strengths(full).items()}
    assert named == {("P1", "P2"): 2, ("P1", "P3"): 1, ("P2", "P3"): 1}
    frac = build_network(citing_docs(), "coupling", MapOptions(counting="fractional"))
    named = {tuple(sorted(labels[x] for x in k)): s for k, s in strengths(frac).items()}
    assert named == pytest.approx({("P1", "P2"): 1.5, ("P1", "P3"): 0.5, ("P2", "P3"): 0.5})
    # Co-citation (full): R1-R2 cited together by P1 P2 = 2, R1-R3 1, R2-R3 1, R2-R4 1.
    cc = build_network(citing_docs(), "cocitation", MapOptions(counting="full"))
    short = {f"Ref R{k}, 2010, J INVENTED": f"R{k}" for k in range(1, 5)}
    named = {tuple(sorted(short[x] for x in k)): s for k, s in strengths(cc).items()}
    assert named == {("R1", "R2"): 2, ("R1", "R3"): 1, ("R2", "R3"): 1, ("R2", "R4"): 1}
    assert cc.nodes["doi:10.5555/ref.2"]["weights"]["Citations"] == 3


def test_total_link_strength_without_the_matrix():
    A = sp.csr_matrix([[1, 1, 1, 0], [1, 0, 1, 0], [0, 1, 0, 1], [2, 1, 0, 0]], dtype=float)
    sizes = unit_sizes(A)
    for method in ("full", "binary", "fractional"):
        C = cooccurrence(A, method, sizes)
        assert total_link_strength(A, method, sizes) == pytest.approx(np.asarray(C.sum(axis=1)).ravel())
    assert occurrences(A, "full", multiplicity=True).tolist() == [4, 3, 2, 1]
    assert occurrences(A, "binary", multiplicity=True).tolist() == [3, 3, 2, 1]


def test_min_occurrences_top_n_and_filters():
    # min 3 drops forest (2 documents); total link strength among the rest (full counting):
    # soil 2+3 = 5, carbon 2+2 = 4, climate 3+2 = 5 -> the top 2 are climate and soil
    g = build_network(keyword_docs(), "keywords", MapOptions(min_occurrences=3, top_n=2))
    assert sorted(g.nodes) == ["climate", "soil"]
    # top 3 of all four: soil 6, carbon 6, climate 6, forest 4 -> forest left out
    g = build_network(keyword_docs(), "keywords", MapOptions(top_n=3))
    assert sorted(g.nodes) == ["carbon", "climate", "soil"]
    g = build_network(keyword_docs(), "keywords", record_filter=RecordFilter(year_from=2021))
    assert g.graph["stats"]["used"] == 2 and g.graph["stats"]["skipped: before the year window"] == 2
    g = build_network(keyword_docs(), "keywords", record_filter=RecordFilter(regions=frozenset({"ru-bel"})))
    assert sorted(g.nodes) == ["carbon", "climate", "forest", "soil"] and g.graph["stats"]["used"] == 2


def test_overlay_scores_by_hand():
    g = build_network(keyword_docs(), "keywords")
    soil = g.nodes["soil"]["scores"]  # D1 2019 (4 cites, VOR), D2 2020 (2, VOR+BEL), D4 2021 (0, no region)
    assert soil["Avg. pub. year"] == pytest.approx(2020.0)
    assert soil["Avg. citations"] == pytest.approx(2.0)
    assert soil["Share RU-VOR"] == pytest.approx(1.0) and soil["Share RU-BEL"] == pytest.approx(0.5)
    forest = g.nodes["forest"]["scores"]  # D3 2021 (no count, BEL), D4 2021 (0, no region)
    assert forest["Avg. citations"] == pytest.approx(0.0) and forest["Share RU-VOR"] == 0.0
    assert g.nodes["soil"]["label"] == "soil"  # "Soil" in D2 is the same keyword
