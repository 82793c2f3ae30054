"""Figures of ``bibmine compare``: the confusion heat map and manual-vs-automatic ratios per region."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bibmine.rubrics.agreement import Agreement
from bibmine.specialization.effect import Effect


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _save(fig, stem: Path) -> list[Path]:
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for p in paths:
        fig.savefig(p, dpi=150, bbox_inches="tight")
    return paths


def confusion_figure(ag: Agreement, stem: Path) -> list[Path]:
    """Row-normalised confusion matrix (manual rows, automatic columns), counts in the cells."""
    plt = _pyplot()
    counts = np.array(ag.confusion, dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = max(4.0, 0.35 * len(ag.rubrics) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    im = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(ag.rubrics)), ag.rubrics, rotation=90, fontsize=7)
    ax.set_yticks(range(len(ag.rubrics)), ag.rubrics, fontsize=7)
    ax.set_xlabel("automatic")
    ax.set_ylabel("manual")
    ax.set_title(f"GRNTI level 1: accuracy {ag.accuracy:.2f}, kappa {ag.kappa:.2f}, n={ag.n}")
    if len(ag.rubrics) <= 30:
        for i, row in enumerate(counts):
            for j, v in enumerate(row):
                if v:
                    ax.text(j, i, int(v), ha="center", va="center", fontsize=6,
                            color="white" if shares[i, j] > 0.5 else "black")
    fig.colorbar(im, ax=ax, fraction=0.046, label="share of the manual rubric's records")
    paths = _save(fig, stem)
    plt.close(fig)
    return paths


def ratio_figure(effect: Effect, stem: Path, threshold: float | None = None) -> list[Path]:
    """One scatter per region: manual S&T ratio (x) vs automatic (y), the threshold lines dashed."""
    plt = _pyplot()
    threshold = effect.threshold if threshold is None else threshold
    regions = sorted(effect.ratios["region"].unique())
    cols = min(3, len(regions)) or 1
    rows = (len(regions) + cols - 1) // cols or 1
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 4 * rows), squeeze=False)
    for ax, region in zip(axes.flat, regions, strict=False):
        part = effect.ratios[effect.ratios.region == region].dropna(subset=["manual", "automatic"])
        ax.scatter(part["manual"], part["automatic"], s=14)
        for r in part.itertuples():
            ax.annotate(r.rubric, (r.manual, r.automatic), fontsize=6)
        top = max(2.0, float(part[["manual", "automatic"]].max().max() if len(part) else 2.0) * 1.1)
        ax.plot([0, top], [0, top], color="grey", linewidth=0.5)
        ax.axvline(threshold, linestyle="--", linewidth=0.6, color="red")
        ax.axhline(threshold, linestyle="--", linewidth=0.6, color="red")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_title(region)
        ax.set_xlabel("manual ratio")
        ax.set_ylabel("automatic ratio")
    for ax in list(axes.flat)[len(regions):]:
        ax.set_visible(False)
    paths = _save(fig, stem)
    plt.close(fig)
    return paths
