"""Clustering items with the Leiden algorithm (igraph's implementation), VOSviewer's quality function.

VOSviewer clusters the normalized network by maximizing
``sum_ij delta(c_i, c_j) (a_ij - gamma * w_i * w_j)`` with node weights ``w`` from
:func:`~bibmine.maps.normalize.normalize`.  With unit node weights that is the Constant
Potts Model (igraph ``community_leiden(objective_function="CPM")``, resolution ``gamma``);
with LinLog/modularity normalization the node weights are total link strengths and the
resolution ``gamma / 2m``, which is modularity with resolution ``gamma`` (``"modularity"``).

After optimizing (``random_starts`` runs, seeds ``seed, seed+1, ...``, the best quality kept),
clusters smaller than ``min_cluster_size`` are merged into the cluster they are most
strongly linked to relative to its size (VOSviewer's rule: highest ``links / weight``), the
smallest first; with ``merge_small_clusters=False`` their items get no cluster (0).
Clusters are numbered 1, 2, ... from the largest; at most 1000 (VOSviewer's limit).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

MAX_CLUSTERS = 1000


@dataclass
class ClusterParams:
    resolution: float = 1.0
    min_cluster_size: int = 1
    merge_small_clusters: bool = True
    seed: int = 0
    random_starts: int = 10
    n_iterations: int = -1  # until a pass changes nothing

    def __post_init__(self) -> None:
        if self.resolution < 0:
            raise ValueError(f"resolution must be non-negative, not {self.resolution}")
        if self.min_cluster_size < 1:
            raise ValueError(f"min_cluster_size must be at least 1, not {self.min_cluster_size}")
        if self.random_starts < 1:
            raise ValueError(f"random_starts must be at least 1, not {self.random_starts}")


def _igraph(N: sp.csr_matrix):
    import igraph as ig

    upper = sp.triu(N, k=1).tocoo()
    g = ig.Graph(n=N.shape[0], edges=list(zip(upper.row.tolist(), upper.col.tolist(), strict=True)))
    g.es["weight"] = upper.data.tolist()
    return g


def quality(N: sp.csr_matrix, node_weights: np.ndarray, member: np.ndarray, resolution: float) -> float:
    """VOSviewer's clustering quality ``sum_ij [c_i = c_j] a_ij - resolution * sum_c W_c^2`` (unscaled)."""
    coo = N.tocoo()
    inside = float(coo.data[member[coo.row] == member[coo.col]].sum())
    W = np.bincount(member, weights=node_weights)
    return inside - resolution * float((W * W).sum())


def leiden(N: sp.csr_matrix, node_weights: np.ndarray, params: ClusterParams, *,
           modularity: bool = False) -> np.ndarray:
    """Leiden membership (0-based, unordered): the best of ``params.random_starts`` seeded runs.

    igraph's Leiden implementation; its random generator is seeded per run and restored after.
    """
    import igraph as ig

    n = N.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = _igraph(N)
    total = float(N.sum()) / 2.0  # m, the total link strength
    effective = params.resolution / (2.0 * total) if modularity and total > 0 else params.resolution
    best, best_q = None, -np.inf
    for start in range(params.random_starts):
        ig.set_random_number_generator(random.Random(params.seed + start))
        try:
            if modularity:
                part = g.community_leiden(objective_function="modularity", weights="weight",
                                          resolution=params.resolution, n_iterations=params.n_iterations)
            else:
                part = g.community_leiden(objective_function="CPM", weights="weight",
                                          node_weights=[float(v) for v in node_weights],
                                          resolution=params.resolution, n_iterations=params.n_iterations)
        finally:
            ig.set_random_number_generator(random)
        member = np.asarray(part.membership, dtype=np.int64)
        q = quality(N, np.asarray(node_weights, dtype=np.float64), member, effective)
        if q > best_q + 1e-9 * max(1.0, abs(best_q) if np.isfinite(best_q) else 1.0):
            best, best_q = member, q
    return best


def merge_small(N: sp.csr_matrix, node_weights: np.ndarray, membership: np.ndarray, min_size: int,
                merge: bool = True) -> np.ndarray:
    """VOSviewer's post-processing of small clusters; returns membership with -1 for no cluster."""
    member = membership.copy()
    k = int(member.max()) + 1 if len(member) else 0
    size = np.bincount(member, minlength=k)
    if min_size <= 1:
        return member
    if not merge:
        member[size[member] < min_size] = -1
        return member
    onehot = sp.csr_matrix((np.ones(len(member)), (np.arange(len(member)), member)), shape=(len(member), k))
    between = (onehot.T @ N @ onehot).toarray()  # link weight between clusters
    np.fill_diagonal(between, 0.0)
    weight = np.bincount(member, weights=node_weights, minlength=k).astype(np.float64)
    alive = size > 0
    while True:
        small = np.flatnonzero(alive & (size < min_size))
        if len(small) == 0:
            break
        c = small[np.argmin(size[small])]  # the smallest; ties: lowest number
        alive[c] = False
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(alive & (weight > 0), between[c] / weight, 0.0)
        target = int(np.argmax(score))
        if score[target] <= 0:
            continue  # linked to no other cluster: stays as it is
        member[member == c] = target
        size[target] += size[c]
        weight[target] += weight[c]
        between[target] += between[c]
        between[:, target] += between[:, c]
        between[target, target] = 0.0
        between[c] = 0.0
        between[:, c] = 0.0
        size[c] = 0
    return member


def number_clusters(member: np.ndarray) -> np.ndarray:
    """Clusters 1..k by size (largest first, ties by first item); 0 for none or beyond 1000."""
    out = np.zeros(len(member), dtype=np.int64)
    valid = member >= 0
    if not valid.any():
        return out
    ids, first, counts = np.unique(member[valid], return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda k: (-counts[k], first[k]))
    rank = {ids[k]: r + 1 for r, k in enumerate(order)}
    for idx in np.flatnonzero(valid):
        r = rank[member[idx]]
        out[idx] = r if r <= MAX_CLUSTERS else 0
    return out


def cluster_items(N: sp.csr_matrix, node_weights: np.ndarray, params: ClusterParams | None = None, *,
                  modularity: bool = False) -> np.ndarray:
    """Cluster numbers 1..k for each item (0: no cluster) of the normalized network ``N``."""
    params = params or ClusterParams()
    raw = leiden(N, node_weights, params, modularity=modularity)
    merged = merge_small(N, node_weights, raw, params.min_cluster_size, params.merge_small_clusters)
    return number_clusters(merged)
