"""Related competences: proximity of rubrics and relatedness density (economic-complexity style).

Functions work on labelled matrices (pandas DataFrames) and follow two peer implementations,
matched on the fixtures in ``../shared/data/relatedness/``:

- EconGeo (R): :func:`location_quotient`, :func:`co_occurrence`, :func:`relatedness` (``prob``,
  ``association``, ``cosine``, ``jaccard``), :func:`relatedness_density` (uses the relatedness
  matrix as given: EconGeo's ``relatedness()`` zeroes the diagonal) and its ``_ext`` / ``_int`` /
  ``_avg`` variants;
- py-ecomplexity: :func:`proximity` (co-occurrence / larger ubiquity, diagonal 1) and its density
  (:func:`relatedness_density` with ``scale=1`` on that proximity, diagonal kept).

Conventions that differ from the peers, and bibmine's defaults:

- presence (M): **strictly above the threshold** (bibmine's method); ``strict=False`` gives the
  peers' RCA >= 1;
- undefined values (a zero row, column or margin) are NaN (``undefined="zero"`` gives the peers' 0);
- :func:`related_competences` defaults to Hidalgo's proximity (as py-ecomplexity) with EconGeo's
  relatedness density (sum over j != i, 0..100): a rubric's own absent competence does not dilute
  its density. ``density="pyecomplexity"`` keeps the diagonal (0..1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bibmine.specialization.coefficients import is_competence, latest

RELATEDNESS_METHODS = ("prob", "association", "cosine", "jaccard")
PROXIMITIES = ("hidalgo", *RELATEDNESS_METHODS)
DENSITIES = ("econgeo", "pyecomplexity")


def _undefined(frame: pd.DataFrame, undefined: str) -> pd.DataFrame:
    if undefined not in ("missing", "zero"):
        raise ValueError(f"undefined must be 'missing' or 'zero', not {undefined!r}")
    frame = frame.replace([np.inf, -np.inf], np.nan)
    return frame.fillna(0.0) if undefined == "zero" else frame


def location_quotient(counts: pd.DataFrame, *, undefined: str = "missing") -> pd.DataFrame:
    """Regions x categories location quotients (the whole table is the reference), unrounded.

    EconGeo's ``rca()`` is this rounded to 2 decimals (``.round(2)``) with ``undefined="zero"``.
    """
    counts = counts.astype(float)
    share_region = counts.div(counts.sum(axis=1), axis=0)
    share_total = counts.sum(axis=0) / counts.to_numpy().sum()
    return _undefined(share_region.div(share_total, axis=1), undefined)


def presence(values: pd.DataFrame, threshold: float = 1.0, *, strict: bool = True) -> pd.DataFrame:
    """0/1 matrix: value > threshold (strict, bibmine) or >= threshold (the peers); NaN gives 0."""
    if strict:
        marks = values.map(lambda v: is_competence(v, threshold))
    else:
        marks = values.map(lambda v: bool(not np.isnan(v) and (v >= threshold or np.isclose(v, threshold))))
    return marks.astype(int)


def diversity(mcp: pd.DataFrame) -> pd.Series:
    return mcp.sum(axis=1)


def ubiquity(mcp: pd.DataFrame) -> pd.Series:
    return mcp.sum(axis=0)


def co_occurrence(incidence: pd.DataFrame, *, diagonal: bool = False) -> pd.DataFrame:
    """Row x row co-occurrence ``X @ X.T`` (EconGeo); pass ``mcp.T`` for field x field."""
    x = incidence.to_numpy(dtype=float)
    matrix = x @ x.T
    if not diagonal:
        np.fill_diagonal(matrix, 0.0)
    return pd.DataFrame(matrix, index=incidence.index, columns=incidence.index)


def relatedness(cooc: pd.DataFrame, method: str = "prob", *, undefined: str = "missing") -> pd.DataFrame:
    """Normalize a co-occurrence matrix as EconGeo's ``relatedness()`` (van Eck & Waltman 2009).

    With c the co-occurrence without its diagonal, s its column sums and t = sum(c):
    prob = c / ((s_j/t * s_i/(t - s_j) + s_i/t * s_j/(t - s_i)) * t/2), association = c t / (s_i s_j),
    cosine = c / sqrt(s_i s_j), jaccard = c / (s_i + s_j - c). The diagonal is 0.
    """
    if method not in RELATEDNESS_METHODS:
        raise ValueError(f"method must be one of {', '.join(RELATEDNESS_METHODS)}, not {method!r}")
    c = cooc.to_numpy(dtype=float).copy()
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    s_i, s_j = s[:, None], s[None, :]
    t = c.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "prob":
            expected = (s_j / t * s_i / (t - s_j) + s_i / t * s_j / (t - s_i)) * (t / 2)
            out = c / expected
        elif method == "association":
            out = c * t / (s_i * s_j)
        elif method == "cosine":
            out = c / np.sqrt(s_i * s_j)
        else:
            out = c / (s_i + s_j - c)
    np.fill_diagonal(out, 0.0)
    return _undefined(pd.DataFrame(out, index=cooc.index, columns=cooc.columns), undefined)


def proximity(mcp: pd.DataFrame) -> pd.DataFrame:
    """py-ecomplexity's proximity: phi_ij = U_ij / max(k_i, k_j), U = M.T @ M, diagonal 1.

    A pair of fields that no region has is NaN (undefined), its diagonal included.
    """
    m = mcp.to_numpy(dtype=float)
    together = m.T @ m
    k = m.sum(axis=0)
    larger = np.maximum(k[:, None], k[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(larger > 0, together / larger, np.nan)
    present = k > 0
    phi[np.diag_indices_from(phi)] = np.where(present, 1.0, np.nan)
    return pd.DataFrame(phi, index=mcp.columns, columns=mcp.columns)


def zero_diagonal(matrix: pd.DataFrame) -> pd.DataFrame:
    """A copy with the diagonal set to 0 (Balland's density sums over j != i)."""
    values = matrix.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, 0.0)
    return pd.DataFrame(values, index=matrix.index, columns=matrix.columns)


def relatedness_density(mcp: pd.DataFrame, related: pd.DataFrame, *, scale: float = 100.0,
                        digits: int | None = None) -> pd.DataFrame:
    """density[c, i] = scale * sum_j M[c, j] r[j, i] / sum_j r[j, i], with r used as given.

    EconGeo: ``scale=100, digits=2`` on a relatedness with zero diagonal; py-ecomplexity: ``scale=1``
    on its proximity (diagonal 1). Undefined pairs in r count as 0; a field related to nothing
    (zero column sum) has NaN density.
    """
    r = related.loc[mcp.columns, mcp.columns].to_numpy(dtype=float)
    r = np.nan_to_num(r, nan=0.0)
    totals = r.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dens = scale * (mcp.to_numpy(dtype=float) @ r) / totals[None, :]
    dens[:, totals == 0] = np.nan
    out = pd.DataFrame(dens, index=mcp.index, columns=mcp.columns)
    return out.round(digits) if digits is not None else out


def relatedness_density_ext(mcp: pd.DataFrame, related: pd.DataFrame) -> pd.DataFrame:
    """EconGeo's density (x100, whole numbers) of the fields a region does *not* have; NaN elsewhere."""
    dens = relatedness_density(mcp, related, digits=0)
    return dens.where(mcp == 0)


def relatedness_density_int(mcp: pd.DataFrame, related: pd.DataFrame) -> pd.DataFrame:
    """EconGeo's density (x100, whole numbers) of the fields a region has; NaN elsewhere."""
    dens = relatedness_density(mcp, related, digits=0)
    return dens.where(mcp == 1)


def relatedness_density_ext_avg(mcp: pd.DataFrame, related: pd.DataFrame) -> pd.Series:
    """Mean of :func:`relatedness_density_ext` per region, rounded to whole numbers (EconGeo)."""
    return relatedness_density_ext(mcp, related).mean(axis=1).round(0)


def relatedness_density_int_avg(mcp: pd.DataFrame, related: pd.DataFrame) -> pd.Series:
    """Mean of :func:`relatedness_density_int` per region, rounded to whole numbers (EconGeo)."""
    return relatedness_density_int(mcp, related).mean(axis=1).round(0)


@dataclass
class RelatedCompetences:
    """Relatedness density of every rubric for one region, and the top rubrics it could develop."""

    region: str
    table: pd.DataFrame  # rubric, competence, density, reason
    top: list[tuple[str, float]]
    method: dict = field(default_factory=dict)

    def describe(self) -> str:
        m = self.method
        return f"{m['proximity']}, {m['density']}, {m['presence']}"


def related_competences(coefficients: pd.DataFrame, region: str, *, threshold: float = 1.0,
                        strict: bool = True, proximity_method: str = "hidalgo", density: str = "econgeo",
                        top: int = 5, year: int | None = None) -> RelatedCompetences:
    """Rank the rubrics where ``region`` has no S&T competence by relatedness density.

    Competences come from the ``st`` rows of all regions of the table (latest year unless given).
    """
    if proximity_method not in PROXIMITIES:
        raise ValueError(f"proximity must be one of {', '.join(PROXIMITIES)}, not {proximity_method!r}")
    if density not in DENSITIES:
        raise ValueError(f"density must be one of {', '.join(DENSITIES)}, not {density!r}")
    if density == "pyecomplexity" and proximity_method != "hidalgo":
        raise ValueError("py-ecomplexity's density is defined on its own proximity ('hidalgo')")
    rows = latest(coefficients, "st", year)
    if rows.empty or region not in set(rows["region"]):
        raise ValueError(f"no S&T ratios for region {region!r}")
    values = rows.pivot(index="region", columns="category", values="value")
    mcp = presence(values, threshold, strict=strict)
    if proximity_method == "hidalgo":
        related = proximity(mcp)
        if density == "econgeo":
            related = zero_diagonal(related)
    else:
        related = relatedness(co_occurrence(mcp.T), proximity_method)
    scale = 100.0 if density == "econgeo" else 1.0
    dens = relatedness_density(mcp, related, scale=scale).loc[region]
    has = mcp.loc[region].astype(bool)
    table = pd.DataFrame({"rubric": mcp.columns, "competence": has.to_numpy(), "density": dens.to_numpy()})
    table["reason"] = np.where(table["density"].isna(),
                               "undefined: the rubric is related to no other (no region shares it)", "")
    candidates = table[~table["competence"] & table["density"].notna()]
    candidates = candidates.sort_values(["density", "rubric"], ascending=[False, True])
    method = {"proximity": proximity_method, "density": density,
              "presence": f"{'>' if strict else '>='} {threshold:g}", "regions": int(len(mcp)),
              "scale": scale}
    return RelatedCompetences(region, table.reset_index(drop=True),
                              [(r.rubric, float(r.density)) for r in candidates.head(top).itertuples()],
                              method)
