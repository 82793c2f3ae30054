"""Relevance of terms measured over clusters of terms, as VOSviewer scores them.

A general term ("system", "data", "approach") co-occurs with terms of every topic; a specific one
("cerebellum", "analytic hierarchy process") mostly with the terms of its own topic.  VOSviewer
(van Eck & Waltman, Text mining and visualization using VOSviewer, ISSI Newsletter 7(3), 2011)
clusters the terms by co-occurrence and scores each term by how far the spread of its
co-occurrences over the clusters is from the spread of all co-occurrences:

    relevance_i = sum_k p_ik log(p_ik / q_k)

with ``p_ik`` the share of term i's co-occurrences (binary counts) with the terms of cluster k
(itself left out) and ``q_k`` cluster k's share of all co-occurrences.  Terms without
co-occurrences score 0.

Measured over single terms instead of clusters (``build.relevance``), a term of one document
scores highest: its few partners are all rare.  On the WoS samples (190 records, terms with two or
more occurrences, 60% kept) that drops "analytic hierarchy process" (31 occurrences) and
"comparison matrix" (42), the largest topic of the samples, while clusters keep both (the
comparison is in docs/maps.md).

>>> import scipy.sparse as sp
>>> docs = sp.csr_matrix([[1, 1, 0, 0, 1, 0], [1, 1, 0, 0, 0, 1], [0, 0, 1, 1, 1, 0], [0, 0, 1, 1, 0, 1]])
>>> cluster_relevance(docs).round(3).tolist()   # columns 4 and 5 span both topics: general
[0.131, 0.131, 0.131, 0.131, 0.0, 0.0]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bibmine.maps.cluster import ClusterParams, cluster_items
from bibmine.maps.normalize import normalize


def cluster_relevance(incidence: sp.spmatrix, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Relevance of each column of a documents x terms ``incidence`` matrix (any counts: binary is used)."""
    B = sp.csr_matrix(incidence, dtype=np.float64)
    B.data[:] = 1.0
    C = (B.T @ B).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    n = C.shape[0]
    if n == 0 or C.nnz == 0:
        return np.zeros(n)
    N, w = normalize(C, "association")
    member = cluster_items(N, w, ClusterParams(resolution=resolution, seed=seed, random_starts=1))
    member = np.asarray(member, dtype=np.int64)
    member = member - member.min()
    M = sp.csr_matrix((np.ones(n), (np.arange(n), member)), shape=(n, int(member.max()) + 1))
    P = (C @ M).toarray()
    rows = P.sum(axis=1)
    q = P.sum(axis=0) / P.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = P / rows[:, None]
        t = np.where(p > 0, p * np.log(p / q[None, :]), 0.0)
    return np.nan_to_num(t.sum(axis=1))
