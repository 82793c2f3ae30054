"""Normalizing link strengths before layout and clustering, VOSviewer's four methods.

With ``a_ij`` the link strength, ``s_i = sum_j a_ij`` an item's total link strength,
``S = sum_i s_i`` and ``n`` the number of items (as CWTS's networkanalysis library, which
VOSviewer uses, computes them):

- ``association``   ``a_ij * S / (s_i * s_j)`` - the association strength of van Eck &
  Waltman (2009), eq. 6, up to the constant ``S``; node weights become 1 (the default);
- ``fractionalization``  ``a_ij * (n / s_i + n / s_j) / 2`` (eq. 13 there, up to a
  constant); node weights 1;
- ``linlog``        links unchanged, node weights ``s_i`` (LinLog layout, modularity
  clustering; the clustering resolution is divided by ``2m``, ``m`` the total link strength);
- ``none``          links unchanged, node weights 1.

Items without links keep weight 1 (association, fractionalization, none) or 0 (linlog).

>>> import scipy.sparse as sp
>>> C = sp.csr_matrix([[0, 2, 1], [2, 0, 0], [1, 0, 0]], dtype=float)
>>> N, w = normalize(C, "association")
>>> N.toarray()[0].tolist(), w.tolist()
([0.0, 2.0, 2.0], [1.0, 1.0, 1.0])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

NORMALIZATIONS = ("association", "fractionalization", "linlog", "none")
NORMALIZATION_NAMES = {"association": "Association strength", "fractionalization": "Fractionalization",
                       "linlog": "LinLog/modularity", "none": "No normalization"}


def normalize(C: sp.spmatrix, method: str = "association") -> tuple[sp.csr_matrix, np.ndarray]:
    """Normalized links and node weights for the layout and clustering."""
    if method not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {', '.join(NORMALIZATIONS)}, not {method!r}")
    C = sp.csr_matrix(C, dtype=np.float64)
    n = C.shape[0]
    s = np.asarray(C.sum(axis=1)).ravel()
    if method == "linlog":
        return C, s
    if method == "none":
        return C, np.ones(n)
    coo = C.tocoo()
    i, j, a = coo.row, coo.col, coo.data
    values = a * s.sum() / (s[i] * s[j]) if method == "association" else a * (n / s[i] + n / s[j]) / 2.0
    return sp.csr_matrix((values, (i, j)), shape=C.shape), np.ones(n)
