"""The faster paths of issue 21 give what the slow ones gave (INVENTED matrices and texts).

- the repulsion energy's gradient as one BLAS product per block (``layout._Energy``) against a
  float64 sum over every pair;
- small components laid out together (``layout._layout_small``) against one at a time;
- rows of a file without quotes split per line (``validate.split_rows``) against the per-character reader;
- the preview's links as one collection.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp

from bibmine.maps.layout import LayoutParams, _Energy, _layout_connected, _layout_small, pack_discs
from bibmine.maps.validate import _split_quoted, split_rows


def _reference(A: np.ndarray, w: np.ndarray, X: np.ndarray, att: int, rep: int) -> tuple[np.ndarray, float]:
    """V and its gradient summed over every pair in float64."""
    np.fill_diagonal(A, 0.0)
    D = X[:, None, :] - X[None, :, :]
    d2 = (D ** 2).sum(axis=2)
    np.fill_diagonal(d2, 1.0)
    d = np.sqrt(d2)

    def f(e):
        return np.log(d) if e == 0 else d ** e / e

    W = np.outer(w, w)
    np.fill_diagonal(W, 0.0)
    energy = 0.5 * ((A * f(att)).sum() - (W * f(rep)).sum())
    coef = A * d ** (att - 2) - W * d ** (rep - 2)
    return (coef[:, :, None] * D).sum(axis=1), energy


@pytest.mark.parametrize("rep", [1, 0, -1, -3])
@pytest.mark.parametrize("unit", [True, False])
def test_energy_and_gradient_match_a_float64_sum_over_pairs(rep, unit):
    rng = np.random.default_rng(rep + 10)
    n = 300
    A = sp.random(n, n, density=0.05, random_state=2, format="csr")
    A = A + A.T
    w = np.ones(n) if unit else rng.uniform(0.5, 2.0, n)
    X = rng.uniform(-1.0, 1.0, (n, 2))
    grad, energy = _Energy(A, w, LayoutParams(repulsion=rep), 0.0)(X)
    ref_grad, ref_energy = _reference(A.toarray(), w, X, 2, rep)
    assert abs(energy - ref_energy) <= 1e-5 * abs(ref_energy)  # float32 distances, float64 sums
    assert np.abs(grad - ref_grad).max() <= 1e-3 * np.abs(ref_grad).max()


def _energy_at_best_scale(N, w, X, params) -> float:
    energy = _Energy(N, w, params, 0.0)
    return min(energy(X * s)[1] for s in np.geomspace(0.2, 5.0, 801))


@pytest.mark.parametrize("repulsion", [-1, 0, 1])
def test_small_components_laid_out_together_reach_their_own_minimum(repulsion):
    """Triangles, a 4-clique, paths and a star have one minimum up to rotation and reflection."""
    params = LayoutParams(attraction=2, repulsion=repulsion, seed=3)
    parts = []
    for A in (np.ones((3, 3)), np.ones((4, 4)), np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1),
              np.vstack([np.r_[0, np.ones(5)], np.c_[np.ones(5), np.zeros((5, 5))]]),
              np.diag([1.0, 2.0], 1) + np.diag([1.0, 2.0], -1)):
        A = A.copy()
        np.fill_diagonal(A, 0.0)
        parts.append((sp.csr_matrix(A), np.ones(len(A))))
    together = _layout_small(parts, params)
    for (N, w), X in zip(parts, together, strict=True):
        alone = _layout_connected(N, w, params)
        assert X.shape == alone.shape
        a, b = _energy_at_best_scale(N, w, X, params), _energy_at_best_scale(N, w, alone, params)
        assert abs(a - b) <= 1e-3 * abs(b) + 1e-9


def test_packed_discs_do_not_overlap():
    rng = np.random.default_rng(0)
    radii = np.sort(np.r_[np.full(60, 0.25), rng.uniform(0.5, 3.0, 80), [8.0, 6.0]])[::-1]
    c = pack_discs(radii, 0.35)
    d = np.sqrt(((c[:, None] - c[None]) ** 2).sum(axis=2)) + np.eye(len(c)) * 1e9
    assert (d >= radii[:, None] + radii[None, :] + 0.35 - 1e-9).all()


def test_rows_without_quotes_split_as_the_character_reader_splits_them():
    rnd = random.Random(1)
    pieces = ["a", "b", "\t", "\n", "\r", "\r\n", " ", "x y", "", ";", ","]
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        for sep in "\t;,":
            assert split_rows(text, sep) == _split_quoted(text, sep), (text, sep)
    assert split_rows('1\t"a\tb"\n2\tc\n', "\t") == [(1, ["1", "a\tb"], []), (2, ["2", "c"], [])]


def test_preview_draws_links_in_one_collection(tmp_path):
    import networkx as nx

    from bibmine.maps.output import write_preview

    g = nx.Graph()
    for k in range(30):
        g.add_node(k, label=f"item {k}", x=float(np.cos(k)), y=float(np.sin(k)), cluster=1 + k % 3,
                   weights={"Occurrences": k + 1})
    for k in range(29):
        g.add_edge(k, k + 1, strength=1.0 + k)
    path = write_preview(g, tmp_path / "p.png", max_links=10)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_large_json_is_written_compact_and_reads_back(tmp_path, monkeypatch):
    import json

    import networkx as nx

    from bibmine.maps import vos_json

    g = nx.Graph()
    for k in range(1, 8):
        g.add_node(k, label=f"item {k}", x=float(k), y=float(-k), cluster=1, weights={"Citations": k})
    for k in range(1, 7):
        g.add_edge(k, k + 1, strength=float(k))
    monkeypatch.setattr(vos_json, "INDENTED_LINKS", 3)
    path = vos_json.write_json(g, tmp_path / "map.json")
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and json.loads(text)["network"]["links"][0] == {
        "source_id": 1, "target_id": 2, "strength": 1.0}
    back = vos_json.read_json(path)
    assert back.number_of_nodes() == 7 and back.number_of_edges() == 6
