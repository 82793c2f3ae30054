"""Counting links between items: full, fractional and binary, as VOSviewer defines them.

Everything starts from a sparse *incidence* matrix ``A`` (units x items): a unit is what
links items - a document for co-occurrence, co-authorship and co-citation, a cited
reference for bibliographic coupling - and ``A[u, i]`` is how often item ``i`` occurs in
unit ``u`` (more than 1 only for terms).  For two items ``i != j``:

- **full**: ``sum_u A[u,i] * A[u,j]`` - a document co-authored by i and j adds 1 (terms
  occurring 2 and 3 times add 6, the pairs of occurrences);
- **binary**: ``sum_u [A[u,i] > 0][A[u,j] > 0]`` - each unit counts once;
- **fractional** (Perianes-Rodriguez, van Eck & Waltman 2016; VOSviewer Manual 3.5.4):
  ``sum_u [i in u][j in u] / (n_u - 1)`` where ``n_u`` is the number of distinct items of
  unit ``u`` before any item is left out of the map, so each unit gives each of its items a
  total link strength of 1; units with one item add nothing.

>>> import scipy.sparse as sp
>>> A = sp.csr_matrix([[1, 1, 1, 0], [1, 0, 1, 0], [0, 1, 0, 1]])  # manual's example, D1-D3
>>> cooccurrence(A, "fractional", unit_sizes(A)).toarray().tolist()[0]
[0.0, 0.5, 1.5, 0.0]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

COUNTING_METHODS = ("full", "fractional", "binary")


def unit_sizes(A: sp.csr_matrix) -> np.ndarray:
    """Distinct items per unit (row), computed on the whole incidence matrix."""
    return np.diff(A.tocsr().indptr).astype(np.float64)


def _unit_weights(sizes: np.ndarray) -> np.ndarray:
    w = np.zeros_like(sizes, dtype=np.float64)
    many = sizes > 1
    w[many] = 1.0 / (sizes[many] - 1.0)
    return w


def _check(method: str) -> None:
    if method not in COUNTING_METHODS:
        raise ValueError(f"counting must be one of {', '.join(COUNTING_METHODS)}, not {method!r}")


def occurrences(A: sp.csr_matrix, method: str = "full", multiplicity: bool = False) -> np.ndarray:
    """Units holding each item; with ``multiplicity`` (terms) and full counting, all occurrences."""
    _check(method)
    if multiplicity and method == "full":
        return np.asarray(A.sum(axis=0)).ravel()
    return np.diff(A.tocsc().indptr).astype(np.float64)


def total_link_strength(A: sp.csr_matrix, method: str, sizes: np.ndarray) -> np.ndarray:
    """Each item's total link strength with all items of ``A`` - without building the item x item matrix.

    With ``r_u`` the row sum of unit ``u``: full ``sum_u a_ui (r_u - a_ui)``, binary the same on
    0/1 values, fractional ``sum_u b_ui (r_u - 1) / (n_u - 1)``.
    """
    _check(method)
    A = A.tocsr()
    B = A.copy()
    if method != "full":
        B.data = np.ones_like(B.data, dtype=np.float64)
    B = B.astype(np.float64)
    rows = np.asarray(B.sum(axis=1)).ravel()
    expanded = np.repeat(rows, np.diff(B.indptr))
    contrib = B.data * (expanded - B.data)
    if method == "fractional":
        contrib = contrib * np.repeat(_unit_weights(sizes), np.diff(B.indptr))
    return np.bincount(B.indices, weights=contrib, minlength=B.shape[1])


def cooccurrence(A: sp.csr_matrix, method: str, sizes: np.ndarray | None = None) -> sp.csr_matrix:
    """Symmetric item x item link strengths (zero diagonal) of the columns of ``A``."""
    _check(method)
    A = A.tocsr().astype(np.float64)
    if method != "full":
        A.data = np.ones_like(A.data)
    if method == "fractional":
        if sizes is None:
            raise ValueError("fractional counting needs the unit sizes of the whole incidence matrix")
        A = sp.diags(_unit_weights(sizes)) @ A
        B = A.copy()
        B.data = np.ones_like(B.data)
        C = (A.T @ B).tocsr()
    else:
        C = (A.T @ A).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    return C


def select_items(A: sp.csr_matrix, method: str, sizes: np.ndarray, occ: np.ndarray, *,
                 min_occurrences: float = 1, top_n: int | None = None, keys: list[str] | None = None,
                 candidates: np.ndarray | None = None) -> np.ndarray:
    """Columns for the map: occurrences >= ``min_occurrences``, then the ``top_n`` with the greatest
    total link strength among those (VOSviewer's rule), ties by occurrences then key.

    ``candidates`` (a boolean mask) narrows the columns further, e.g. to relevant terms.
    """
    mask = occ >= min_occurrences
    if candidates is not None:
        mask &= candidates
    cols = np.flatnonzero(mask)
    if top_n is None or len(cols) <= top_n:
        return cols
    tls = total_link_strength(A[:, cols], method, sizes)
    names = np.array(keys, dtype=object)[cols] if keys is not None else cols
    order = sorted(range(len(cols)), key=lambda k: (-tls[k], -occ[cols[k]], names[k]))
    return np.sort(cols[order[:top_n]])
