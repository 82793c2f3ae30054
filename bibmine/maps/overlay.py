"""Overlay scores of items and the regional make-up of clusters (interregional S&T spaces).

For each item, over the documents it occurs in:

- ``Avg. pub. year``: mean publication year of those with a year;
- ``Avg. citations``: mean of each document's highest reported citation count, over those
  with a count;
- ``Share RU-VOR`` (one per overlay region): the share of those documents with at least one
  affiliation in the region, among those with any located affiliation.

A score with no documents to average is undefined (None), never 0.  A cluster's regional
profile adds up its items' region counts; the region with the largest share *leads* it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bibmine.maps.items import region_label
from bibmine.safe_csv import safe_writer


def _mean(M: sp.csr_matrix, values: np.ndarray) -> np.ndarray:
    known = ~np.isnan(values)
    total = M.T @ np.where(known, values, 0.0)
    count = M.T @ known.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def region_counts(M: sp.csr_matrix, doc_regions: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(items x regions documents in the region, items documents with any located affiliation)."""
    counts = np.asarray((M.T @ doc_regions).todense()) if doc_regions.shape[1] else np.zeros((M.shape[1], 0))
    located = (np.diff(doc_regions.tocsr().indptr) > 0).astype(np.float64)
    return counts, np.asarray(M.T @ located).ravel()


def top_regions(doc_regions: sp.csr_matrix, codes: list[str], k: int) -> list[str]:
    """The ``k`` regions with the most documents (ties by code)."""
    docs = np.asarray(doc_regions.sum(axis=0)).ravel()
    order = sorted(range(len(codes)), key=lambda r: (-docs[r], codes[r]))
    return [codes[r] for r in order[:k] if docs[r] > 0]


def item_scores(M: sp.csr_matrix, doc_year: np.ndarray, doc_cites: np.ndarray, doc_regions: sp.csr_matrix,
                codes: list[str], overlay_regions: list[str], *, per_document: bool = False) -> dict[str, np.ndarray]:
    """Score name -> values (NaN: undefined) for the columns of ``M`` (documents x items, 0/1)."""
    M = sp.csr_matrix(M, dtype=np.float64)
    M.data = np.ones_like(M.data)
    year_name, cite_name = ("Pub. year", "Citations") if per_document else ("Avg. pub. year", "Avg. citations")
    scores = {year_name: _mean(M, doc_year), cite_name: _mean(M, doc_cites)}
    counts, located = region_counts(M, doc_regions)
    col = {c: r for r, c in enumerate(codes)}
    for code in overlay_regions:
        with np.errstate(invalid="ignore", divide="ignore"):
            if code in col:
                share = np.where(located > 0, counts[:, col[code]] / np.maximum(located, 1), np.nan)
            else:
                share = np.where(located > 0, 0.0, np.nan)
        scores[f"Share {code}"] = share
    return scores


def cluster_profile(clusters: np.ndarray, counts: np.ndarray, located: np.ndarray, codes: list[str],
                    labels: list[str], weights: np.ndarray, lang: str = "ru") -> list[dict]:
    """One row per cluster: size, top items, and which region leads it (share of located documents)."""
    rows = []
    for c in sorted(set(int(x) for x in clusters if x > 0)):
        members = np.flatnonzero(clusters == c)
        top = sorted(members, key=lambda i: (-weights[i], labels[i]))[:3]
        total = counts[members].sum(axis=0) if len(codes) else np.zeros(0)
        den = float(located[members].sum())
        row = {"cluster": c, "items": len(members), "top_items": "; ".join(labels[i] for i in top),
               "located_documents": int(den), "leading_region": None, "leading_region_name": None,
               "leading_share": None}
        if den > 0 and len(codes) and total.max() > 0:
            best = int(np.argmax(total))
            row.update(leading_region=codes[best], leading_region_name=region_label(codes[best], lang),
                       leading_share=round(float(total[best] / den), 4))
        row["shares"] = {codes[r]: float(total[r] / den) for r in range(len(codes)) if den > 0 and total[r] > 0}
        rows.append(row)
    return rows


def write_cluster_profile(rows: list[dict], path: str | Path, regions: list[str]) -> Path:
    """CSV: cluster, items, top_items, located_documents, leading region and share, then a share per region."""
    path = Path(path)
    cols = ["cluster", "items", "top_items", "located_documents", "leading_region", "leading_region_name",
            "leading_share"] + [f"share {r}" for r in regions]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(cols)
        for row in rows:
            w.writerow([("" if row[c] is None else row[c]) for c in cols[:7]] +
                       [round(row["shares"].get(r, 0.0), 4) if row["located_documents"] else "" for r in regions])
    return path
