"""Heat maps like the paper's tables (category x region), as PNG and SVG with matplotlib (Agg).

Colours are those of :func:`.render.cell_colour`; each cell shows the coefficient with two
decimals, competences (strictly above the threshold) are outlined and bold, undefined cells grey.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from bibmine.specialization.coefficients import is_competence, latest
from bibmine.specialization.render import cell_colour, heatmap_frame, level_title, text_colour
from bibmine.specialization.vocab import Names, phrase


def plot_heatmap(coefficients: pd.DataFrame, level: str, out_stem: str | Path, *, threshold: float = 1.0,
                 lang: str = "en", year: int | None = None, regions: list[str] | None = None) -> list[Path]:
    """Write ``<out_stem>.png`` and ``<out_stem>.svg``; return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Rectangle

    names = Names(coefficients, lang)
    wide = heatmap_frame(coefficients, level, year, regions)
    shown_year = int(latest(coefficients, level, year)["year"].iloc[0])
    n_rows, n_cols = wide.shape
    colours = [[to_rgb(cell_colour(v, threshold)) for v in row] for row in wide.to_numpy()]
    fig, ax = plt.subplots(figsize=(2.2 + 1.3 * n_cols + 3.5, 1.2 + 0.32 * n_rows))
    try:
        ax.imshow(colours, aspect="auto")
        for i, category in enumerate(wide.index):
            for j, region in enumerate(wide.columns):
                value = wide.loc[category, region]
                bg = cell_colour(value, threshold)
                strong = is_competence(value, threshold)
                ax.text(j, i, "" if math.isnan(value) else f"{value:.2f}", ha="center", va="center",
                        fontsize=8, color=text_colour(bg), fontweight="bold" if strong else "normal")
                if strong:
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, linewidth=1.5,
                                           edgecolor="black"))
        ax.set_xticks(range(n_cols), [names.region(r) for r in wide.columns], rotation=30, ha="right",
                      fontsize=8)
        labels = [_short(f"{c} {names.category(level, c)}") for c in wide.index]
        ax.set_yticks(range(n_rows), labels, fontsize=8)
        ax.set_title(phrase("heatmap_title", lang, level=level_title(level, lang), year=shown_year,
                            threshold=f"{threshold:.2f}"), fontsize=9)
        fig.tight_layout()
        out_stem = Path(out_stem)
        out_stem.parent.mkdir(parents=True, exist_ok=True)
        paths = [Path(f"{out_stem}.png"), Path(f"{out_stem}.svg")]
        fig.savefig(paths[0], dpi=150)
        fig.savefig(paths[1])
    finally:
        plt.close(fig)
    return paths


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
