"""The VOS mapping technique: a 2-D layout that minimizes VOSviewer's attraction/repulsion energy.

For normalized link strengths ``a_ij``, node weights ``w_i`` and distances ``d_ij``
(van Eck, Waltman, Dekker & van den Berg 2010; VOSviewer Manual 3.5.3) the layout minimizes

    V = sum_{i<j} a_ij f_att(d_ij) - sum_{i<j} w_i w_j f_rep(d_ij)

with ``f_e(d) = d**e / e`` (``log d`` for ``e = 0``), ``att`` = attraction (default 2,
-9..10) and ``rep`` = repulsion (default 1, -10..9, below attraction).  When the network
has several components every pair also gets a link of 0.01 so components stay near each
other (VOSviewer's rule).  VOSviewer minimizes V by moving one item at a time along its
gradient with an adaptive step; here the same V and its exact gradient go to scipy's L-BFGS
from ``random_starts`` random starting points in [-1, 1]^2 (seeded; the lowest energy kept), which
reaches as low an energy in a fraction of the evaluations.  An evaluation costs n^2 pairs, so
a start gets at most ``pair_budget / n^2`` evaluations (at least 150): a 4,000-item map
stops after about 150, a 1,000-item map after up to ``max_iterations``.

Each evaluation of the all-pairs repulsion goes through blocks of rows in float32; its gradient
``sum_j c_ij (x_i - x_j)`` is taken as ``x_i sum_j c_ij - sum_j c_ij x_j``, one BLAS product of the
block per evaluation (1.5x faster than two element-wise products and two row sums).

Components are laid out one by one, so a component of two items is not squeezed to a point by
the far larger distances between components (VOSviewer's weak 0.01 link between all pairs
would do that: the distances inside a small clique shrink to a millionth of the map); each
component is scaled to a disc whose area grows with its items, and the discs are packed
along a sunflower spiral, the largest in the centre.  Small components (3 to 32 items: the
teams of a co-authorship map, hundreds of them) are minimized together, one L-BFGS run per size
class over dense (components, items, items) arrays: their energies add up, so the joint minimum
is each one's minimum, at the cost of one run instead of hundreds.  Coordinates are then centred,
rotated to their principal axes (x the wider), flipped so each axis' median is not positive,
and scaled to a mean pairwise distance of 1.  The same seed gives the same layout.

Association strength makes a reference cited by one paper only attract the paper's other references
thousands of times more strongly than the rest: at the energy minimum such a clique shrinks to
a 1e-5 of the map and its items, labels and links are drawn on one spot.  :func:`separate` then
pushes apart every two items closer than ``min_separation`` (default 0.02 of the mean distance,
a few pixels on a screen) with a k-d tree, so no two items coincide and the map's shape is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.sparse.csgraph import connected_components

UNCONNECTED_SIMILARITY = 0.01


@dataclass
class LayoutParams:
    attraction: int = 2
    repulsion: int = 1
    seed: int = 0
    random_starts: int = 1
    max_iterations: int = 1000
    tolerance: float = 1e-8  # relative energy change at which the optimizer stops
    pair_budget: float = 2.5e9  # item pairs evaluated per component and start: caps evaluations of big maps
    min_separation: float = 0.02  # items closer than this (mean pairwise distance 1) are pushed apart

    def __post_init__(self) -> None:
        if not -9 <= self.attraction <= 10 or not -10 <= self.repulsion <= 9:
            raise ValueError("attraction must be -9..10 and repulsion -10..9 (VOSviewer's ranges)")
        if self.repulsion >= self.attraction:
            raise ValueError(f"repulsion ({self.repulsion}) must be lower than attraction ({self.attraction})")


def _f_into(d2: np.ndarray, e: int, out: np.ndarray) -> np.ndarray:
    """out = f_e(d) = d**e / e (log d for e = 0) from squared distances."""
    if e == 0:
        np.log(d2, out=out)
        out *= 0.5
    elif e == 2:
        np.multiply(d2, 0.5, out=out)
    else:
        np.sqrt(d2, out=out)
        if e != 1:
            np.power(out, e, out=out)
            out /= e
    return out


def _g_into(d2: np.ndarray, e: int, out: np.ndarray) -> np.ndarray:
    """out = d**(e-2), the factor of (x_i - x_j) in the gradient of f_e."""
    if e == 2:
        out.fill(1.0)
    elif e == 0:
        np.divide(1.0, d2, out=out)
    else:
        np.sqrt(d2, out=out)
        np.power(out, e - 2, out=out)
    return out


def _fg_into(d2: np.ndarray, e: int, f: np.ndarray, g: np.ndarray, scratch: np.ndarray) -> None:
    """f = f_e(d) and g = d**(e-2) from squared distances, sharing the square root (no np.power for the
    usual exponents: it is five times slower than a reciprocal)."""
    if e == 1:
        np.sqrt(d2, out=f)
        np.reciprocal(f, out=g)
    elif e == 0:
        np.log(d2, out=f)
        f *= 0.5
        np.reciprocal(d2, out=g)
    elif e == -1:
        np.sqrt(d2, out=scratch)
        np.reciprocal(scratch, out=scratch)  # 1/d
        np.negative(scratch, out=f)
        np.multiply(scratch, scratch, out=g)
        g *= scratch
    elif e == 2:
        np.multiply(d2, 0.5, out=f)
        g.fill(1.0)
    else:
        _f_into(d2, e, f)
        _g_into(d2, e, g)


def _f1(e: int) -> float:
    return 0.0 if e == 0 else 1.0 / e


class _Energy:
    """V and its gradient.  Links: sparse products (attraction 2) or an edge list; all pairs: blocks
    of rows in float32 with float64 sums, into buffers allocated once (fresh multi-megabyte arrays
    on every call cost more than the arithmetic)."""

    def __init__(self, N: sp.spmatrix, w: np.ndarray, params: LayoutParams, increment: float):
        N = sp.csr_matrix(N, dtype=np.float64)
        N.setdiag(0)
        N.eliminate_zeros()
        self.N, self.s = N, np.asarray(N.sum(axis=1)).ravel()
        coo = N.tocoo()
        self.i, self.j, self.a = coo.row, coo.col, coo.data
        self.w = np.asarray(w, dtype=np.float64)
        self.w32 = self.w.astype(np.float32)
        self.unit_weights = bool(np.all(self.w == 1.0))
        self.att, self.rep, self.inc = params.attraction, params.repulsion, increment
        self.n = n = N.shape[0]
        self.block = max(1, min(n, 1_000_000 // max(n, 1)))
        shape = (self.block, n)
        self.dx, self.dy, self.d2, self.t, self.u = (np.empty(shape, dtype=np.float32) for _ in range(5))

    def _links(self, X: np.ndarray) -> tuple[np.ndarray, float]:
        if self.att == 2:  # sum_l a_kl (x_k - x_l) = s_k x_k - (N X)_k
            NX = self.N @ X
            grad = self.s[:, None] * X - NX
            return grad, 0.5 * float(self.s @ (X * X).sum(axis=1) - (X * NX).sum())
        diff = X[self.i] - X[self.j]
        d2 = np.maximum((diff * diff).sum(axis=1), 1e-18)
        coef = self.a * _g_into(d2, self.att, np.empty_like(d2))
        grad = np.stack([np.bincount(self.i, coef * diff[:, k], minlength=self.n) for k in (0, 1)], axis=1)
        return grad, 0.5 * float((self.a * _f_into(d2, self.att, np.empty_like(d2))).sum())

    def _blocks(self, x: np.ndarray, y: np.ndarray):
        """Per block of rows: (start, stop, rows, dx, dy, d2, t, u), dx/dy the coordinate differences, d2 the
        squared distances (1 on the diagonal, so the item itself adds a known constant and no force), t and u
        scratch blocks of the same shape."""
        for start in range(0, self.n, self.block):
            stop = min(self.n, start + self.block)
            m = stop - start
            dx, dy, d2, t, u = (b[:m] for b in (self.dx, self.dy, self.d2, self.t, self.u))
            np.subtract.outer(x[start:stop], x, out=dx)
            np.subtract.outer(y[start:stop], y, out=dy)
            np.multiply(dx, dx, out=d2)
            np.multiply(dy, dy, out=t)
            d2 += t
            rows = np.arange(m)
            d2[rows, rows + start] = 1.0
            np.maximum(d2, np.float32(1e-12), out=d2)  # items on one spot: a large, finite force
            yield start, stop, rows, dx, dy, d2, t, u

    def _repulsion_energy(self, t: np.ndarray, wb: np.ndarray) -> float:
        """The block's repulsion energy from ``t = f_rep(d)`` (weighted in place), less the diagonal's."""
        if self.unit_weights:
            return float(t.sum(dtype=np.float64)) - len(t) * _f1(self.rep)
        t *= self.w32
        return float(t.sum(axis=1, dtype=np.float64) @ wb) - _f1(self.rep) * float((wb * wb).sum())

    def __call__(self, X: np.ndarray) -> tuple[np.ndarray, float]:
        if self.inc > 0:
            return self._call_with_increment(X)
        grad, energy = self._links(X)
        x, y = X[:, 0].astype(np.float32), X[:, 1].astype(np.float32)
        rep, w = self.rep, self.w32
        # repulsion's gradient at i is sum_j c_ij (x_i - x_j) = x_i sum_j c_ij - sum_j c_ij x_j: one product of
        # the block with [w x, w y, w] (BLAS) instead of two products and two row sums of the block
        Z = np.stack([w * x, w * y, w], axis=1)
        for start, stop, rows, dx, _dy, d2, t, u in self._blocks(x, y):
            wb = self.w[start:stop]
            _fg_into(d2, rep, t, u, dx)  # t = f_rep(d), u = d**(rep - 2)
            energy -= 0.5 * self._repulsion_energy(t, wb)
            u[rows, rows + start] = 0.0
            R = (u @ Z).astype(np.float64)  # sum_j w_j g_ij [x_j, y_j, 1]
            Xb = X[start:stop]
            grad[start:stop] -= wb[:, None] * (Xb * R[:, 2:3] - R[:, :2])
        return grad, energy

    def _call_with_increment(self, X: np.ndarray) -> tuple[np.ndarray, float]:
        grad, energy = self._links(X)
        x, y = X[:, 0].astype(np.float32), X[:, 1].astype(np.float32)
        rep, att, inc, w = self.rep, self.att, self.inc, self.w32
        for start, stop, _rows, dx, dy, d2, t, u in self._blocks(x, y):
            m = stop - start
            wb = w[start:stop]
            _f_into(d2, rep, t)
            energy -= 0.5 * self._repulsion_energy(t, wb)
            energy += 0.5 * inc * (float(_f_into(d2, att, u).sum(dtype=np.float64)) - m * _f1(att))
            _g_into(d2, rep, t)
            if not self.unit_weights:
                t *= w
                t *= wb[:, None]
            t *= -1.0
            t += np.float32(inc) * _g_into(d2, att, u)
            np.multiply(t, dx, out=dx)
            np.multiply(t, dy, out=dy)
            grad[start:stop, 0] += dx.sum(axis=1, dtype=np.float64)
            grad[start:stop, 1] += dy.sum(axis=1, dtype=np.float64)
        return grad, energy


def _minimize(energy: _Energy, X: np.ndarray, p: LayoutParams) -> tuple[np.ndarray, float]:
    def fun(z: np.ndarray) -> tuple[float, np.ndarray]:
        grad, value = energy(z.reshape(-1, 2))
        return value, grad.ravel()

    n = len(X)
    budget = int(min(max(150, p.pair_budget / max(n * n, 1)), 15 * p.max_iterations))
    result = minimize(fun, X.ravel(), jac=True, method="L-BFGS-B",
                      options={"maxiter": p.max_iterations, "maxfun": budget, "ftol": p.tolerance, "gtol": 1e-8})
    return result.x.reshape(-1, 2), float(result.fun)


def standardize(X: np.ndarray) -> np.ndarray:
    """Centre, rotate to principal axes (x the wider), flip to non-positive medians, mean distance 1."""
    X = X - X.mean(axis=0)
    n = len(X)
    if n < 2:
        return X
    vals, vecs = np.linalg.eigh(X.T @ X / n)
    X = X @ vecs[:, ::-1]  # largest variance first
    for k in range(2):
        if np.median(X[:, k]) > 0:
            X[:, k] = -X[:, k]
    mean = mean_distance(X)
    return X / mean if mean > 0 else X


def mean_distance(X: np.ndarray) -> float:
    n = len(X)
    if n < 2:
        return 0.0
    if n <= 6000:  # 18M distances (144 MB) at most, computed in C
        from scipy.spatial.distance import pdist

        return float(pdist(X).mean())
    total, pairs = 0.0, n * (n - 1) / 2
    block = max(1, int(4_000_000 // n))
    for start in range(0, n, block):
        rows = X[start:start + block]
        dd = np.sqrt(((rows[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
        total += dd.sum() / 2
    return total / pairs


def _layout_connected(N: sp.csr_matrix, w: np.ndarray, params: LayoutParams) -> np.ndarray:
    """Standardized VOS layout of one connected component (mean pairwise distance 1)."""
    n = N.shape[0]
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:  # the minimum of V for one link: any direction, standardized to distance 1
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    energy = _Energy(N, w, params, 0.0)
    best, best_value = None, np.inf
    for start in range(params.random_starts):
        rng = np.random.default_rng(params.seed + start)
        X, value = _minimize(energy, rng.uniform(-1.0, 1.0, size=(n, 2)), params)
        if value < best_value:
            best, best_value = X, value
    return standardize(best)


SMALL_COMPONENT = 32  # components of up to this many items are laid out together, one L-BFGS run per size class


def _f_dense(d2: np.ndarray, e: int) -> np.ndarray:
    return _f_into(d2, e, np.empty_like(d2))


def _g_dense(d2: np.ndarray, e: int) -> np.ndarray:
    return _g_into(d2, e, np.empty_like(d2))


class _BatchEnergy:
    """V and its gradient for K components of at most M items at once, as dense (K, M, M) arrays.  The
    sum of independent energies: its minimum is every component's minimum.  Padding items have no
    links and weight 0, so they feel and exert no force."""

    def __init__(self, A: np.ndarray, w: np.ndarray, params: LayoutParams):
        self.A = A  # (K, M, M), zero diagonal
        K, M, _ = A.shape
        eye = np.eye(M, dtype=bool)
        self.W = w[:, :, None] * w[:, None, :]
        self.W[:, eye] = 0.0
        self.eye = eye
        self.att, self.rep, self.shape = params.attraction, params.repulsion, (K, M, 2)

    def parts(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(per-component energies, gradient) for positions X of shape (K, M, 2)."""
        diff = X[:, :, None, :] - X[:, None, :, :]
        d2 = (diff * diff).sum(axis=3)
        d2[:, self.eye] = 1.0
        np.maximum(d2, 1e-12, out=d2)
        energy = 0.5 * ((self.A * _f_dense(d2, self.att)).sum(axis=(1, 2))
                        - (self.W * _f_dense(d2, self.rep)).sum(axis=(1, 2)))
        coef = self.A * _g_dense(d2, self.att) - self.W * _g_dense(d2, self.rep)
        grad = (coef[:, :, :, None] * diff).sum(axis=2)
        return energy, grad

    def __call__(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        energy, grad = self.parts(z.reshape(self.shape))
        return float(energy.sum()), grad.ravel()


def _layout_small(parts: list[tuple[sp.csr_matrix, np.ndarray]], params: LayoutParams) -> list[np.ndarray]:
    """Standardized VOS layouts of small connected components (3 to SMALL_COMPONENT items), those of one
    size class in one L-BFGS run: hundreds of three-author teams cost one run, not hundreds."""
    out: list[np.ndarray | None] = [None] * len(parts)
    classes: dict[int, list[int]] = {}
    for k, (N, _) in enumerate(parts):
        M = 4
        while N.shape[0] > M:
            M *= 2
        classes.setdefault(M, []).append(k)
    for M, members in sorted(classes.items()):
        A = np.zeros((len(members), M, M))
        w = np.zeros((len(members), M))
        for b, k in enumerate(members):
            N, wk = parts[k]
            m = N.shape[0]
            dense = N.toarray()
            np.fill_diagonal(dense, 0.0)
            A[b, :m, :m] = dense
            w[b, :m] = wk
        energy = _BatchEnergy(A, w, params)
        best_x, best_e = None, None
        for start in range(params.random_starts):
            rng = np.random.default_rng(params.seed + start)
            x0 = rng.uniform(-1.0, 1.0, size=energy.shape).ravel()
            result = minimize(energy, x0, jac=True, method="L-BFGS-B",
                              options={"maxiter": params.max_iterations, "maxfun": 15 * params.max_iterations,
                                       "ftol": params.tolerance, "gtol": 1e-8})
            X = result.x.reshape(energy.shape)
            e, _ = energy.parts(X)
            if best_x is None:
                best_x, best_e = X.copy(), e
            else:
                better = e < best_e
                best_x[better], best_e[better] = X[better], e[better]
        for b, k in enumerate(members):
            out[k] = standardize(best_x[b, :parts[k][0].shape[0]])
    return out  # type: ignore[return-value]


def pack_discs(radii: np.ndarray, gap: float) -> np.ndarray:
    """Centres for discs (largest first, in the order given) placed without overlap along a sunflower
    spiral around the first one.  Each search starts a little before where the previous disc went
    (discs only get smaller), so packing hundreds of components costs milliseconds."""
    centres = np.zeros((len(radii), 2))
    if len(radii) == 0:
        return centres
    step = max(float(radii.min()), gap) + gap
    golden = np.pi * (3.0 - np.sqrt(5.0))
    last = 0
    block = 64
    for k in range(1, len(radii)):
        px, py, reach = centres[:k, 0], centres[:k, 1], (radii[:k] + radii[k] + gap) ** 2
        t = int(last * 0.8)
        while True:
            ts = np.arange(t, t + block)
            r = step * np.sqrt(ts)
            cx, cy = r * np.cos(ts * golden), r * np.sin(ts * golden)
            dx = cx[:, None] - px[None, :]
            dy = cy[:, None] - py[None, :]
            ok = ((dx * dx + dy * dy) >= reach[None, :]).all(axis=1)
            if ok.any():
                first = int(np.argmax(ok))
                centres[k] = (cx[first], cy[first])
                last = int(ts[first])
                break
            t += block
    return centres


def separate(X: np.ndarray, min_distance: float, seed: int = 0, max_rounds: int = 300) -> np.ndarray:
    """Push apart pairs closer than ``min_distance`` (half the shortfall each, per round) until none is."""
    from scipy.spatial import cKDTree

    X = np.array(X, dtype=np.float64)
    if len(X) < 2 or min_distance <= 0:
        return X
    rng = np.random.default_rng(seed)
    for _ in range(max_rounds):
        pairs = cKDTree(X).query_pairs(min_distance * 0.999, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        diff = X[i] - X[j]
        d = np.sqrt((diff * diff).sum(axis=1))
        same = d < 1e-12
        if same.any():  # one spot: a random direction
            angle = rng.uniform(0, 2 * np.pi, same.sum())
            diff[same] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
            d[same] = 1.0
            d_eff = np.where(same, 0.0, d)
        else:
            d_eff = d
        push = (diff / d[:, None]) * ((min_distance - d_eff) * 0.5 * 1.02)[:, None]
        move = np.zeros_like(X)
        np.add.at(move, i, push)
        np.add.at(move, j, -push)
        counts = np.bincount(np.concatenate([i, j]), minlength=len(X)).astype(np.float64)
        X += move / np.maximum(counts, 1.0)[:, None] ** 0.5
    return X


def vos_layout(N: sp.spmatrix, node_weights: np.ndarray, params: LayoutParams | None = None) -> np.ndarray:
    """(n, 2) coordinates for the normalized network ``N`` with node weights ``node_weights``."""
    params = params or LayoutParams()
    n = N.shape[0]
    if n <= 1:
        return np.zeros((n, 2))
    # L-BFGS calls BLAS on short vectors thousands of times: threads only wait on each other (10x slower on
    # a busy 2-core machine).  threadpoolctl comes with scikit-learn, a bibmine dependency.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        X = _vos_layout(sp.csr_matrix(N, dtype=np.float64), node_weights, params)
    return standardize(separate(X, params.min_separation, params.seed)) if params.min_separation > 0 else X


def _vos_layout(N: sp.csr_matrix, node_weights: np.ndarray, params: LayoutParams) -> np.ndarray:
    n = N.shape[0]
    w = np.asarray(node_weights, dtype=np.float64)
    n_comp, member = connected_components(N, directed=False)
    if n_comp == 1:
        return _layout_connected(N, w, params)
    groups = [np.flatnonzero(member == c) for c in range(n_comp)]
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    small = [k for k, g in enumerate(groups) if 3 <= len(g) <= SMALL_COMPONENT]
    laid = dict(zip(small, _layout_small([(N[groups[k]][:, groups[k]], w[groups[k]]) for k in small], params),
                    strict=True))
    parts, radii = [], []
    for k, g in enumerate(groups):
        X = laid[k] if k in laid else _layout_connected(N[g][:, g], w[g], params)
        if len(g) > 1:
            # a disc of area proportional to the items: radius sqrt(m) / 2 (1 for a pair)
            radius = float(np.sqrt((X * X).sum(axis=1)).max())
            X = X * (0.5 * np.sqrt(len(g)) / radius if radius > 0 else 1.0)
        parts.append(X)
        radii.append(float(np.sqrt((X * X).sum(axis=1)).max()) if len(g) > 1 else 0.0)
    radii_arr = np.maximum(np.array(radii), 0.25)
    centres = pack_discs(radii_arr, gap=0.35)
    out = np.zeros((n, 2))
    for g, X, c in zip(groups, parts, centres, strict=True):
        out[g] = X + c
    return standardize(out)
