"""The bundled Central Black Earth case (Lyshchikova et al., 2023), run end to end.

:func:`run_bundled_case` reads the packaged coefficients (``data/cases/central_black_earth/``),
and writes into ``out_dir``:

- ``matrices/matrix_<level>.{csv,xlsx,html}`` for export, national and macroregional;
- ``scenarios/<REGION>.<lang>.txt`` and ``.json`` for the five regions;
- ``heatmaps/heatmap_<level>.{png,svg,html}`` for the four levels (PNG/SVG need matplotlib; when it
  is missing they are listed under ``skipped`` with the reason).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bibmine.specialization.concordance import Concordance, read_concordance
from bibmine.specialization.inputs import read_coefficients
from bibmine.specialization.matrix import managerial_matrix
from bibmine.specialization.render import heatmap_html, write_matrix
from bibmine.specialization.scenario import scenario_model
from bibmine.specialization.vocab import CASE_DIR, LEVELS, MATRIX_LEVELS, check_lang, read_data_csv

CASE_NAME = "central_black_earth"


def bundled_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The packaged case: (coefficients table, regions table with names and macroregion)."""
    coefficients, problems = read_coefficients(CASE_DIR / "coefficients.csv")
    if problems:
        raise RuntimeError("the packaged case has bad rows: " + "; ".join(map(str, problems)))
    return coefficients, read_data_csv(CASE_DIR / "regions.csv")


def run_bundled_case(out_dir: str | Path, lang: str = "en", *, concordance: Concordance | None = None,
                     threshold: float = 1.0, heatmaps: bool = True) -> dict:
    """Matrices, scenario models and heat maps of the bundled case; returns what was written.

    The result: ``{"case", "lang", "out_dir", "matrices": {level: {fmt: path}},
    "scenarios": {region: {"text", "json", "model"}}, "heatmaps": {level: [paths]},
    "skipped": [reasons], "files": [all paths]}`` (paths as strings; ``model`` is the JSON dict).
    """
    coefficients, regions = bundled_case()
    return run_case(coefficients, regions, out_dir, lang, concordance=concordance, threshold=threshold,
                    heatmaps=heatmaps, name=CASE_NAME)


def run_case(coefficients: pd.DataFrame, regions: pd.DataFrame, out_dir: str | Path, lang: str = "en", *,
             concordance: Concordance | None = None, threshold: float = 1.0, heatmaps: bool = True,
             name: str = "study") -> dict:
    """Matrices, scenario models and heat maps of any coefficients table; see :func:`run_bundled_case`.

    ``regions`` has a ``region`` column (the matrix columns, in order) and optionally names.
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    concordance = concordance or read_concordance()
    result: dict = {"case": name, "lang": lang, "out_dir": str(out_dir), "matrices": {},
                    "scenarios": {}, "heatmaps": {}, "skipped": [], "files": []}
    for level in MATRIX_LEVELS:
        matrix = managerial_matrix(coefficients, concordance, level, threshold=threshold, lang=lang,
                                   regions=list(regions["region"]))
        written = {fmt: write_matrix(matrix, out_dir / "matrices" / f"matrix_{level}.{lang}.{fmt}")
                   for fmt in ("csv", "xlsx", "html")}
        result["matrices"][level] = {fmt: str(p) for fmt, p in written.items()}
    for region in regions["region"]:
        model = scenario_model(coefficients, concordance, region, threshold=threshold, lang=lang)
        base = out_dir / "scenarios" / f"{region}.{lang}"
        base.parent.mkdir(parents=True, exist_ok=True)
        text_path, json_path = Path(f"{base}.txt"), Path(f"{base}.json")
        text_path.write_text(model.to_text(), encoding="utf-8")
        json_path.write_text(model.to_json() + "\n", encoding="utf-8")
        result["scenarios"][region] = {"text": str(text_path), "json": str(json_path),
                                       "model": model.to_dict()}
    for level in LEVELS:
        stem = out_dir / "heatmaps" / f"heatmap_{level}.{lang}"
        stem.parent.mkdir(parents=True, exist_ok=True)
        html_path = Path(f"{stem}.html")
        html_path.write_text(heatmap_html(coefficients, level, threshold=threshold, lang=lang,
                                          regions=list(regions["region"])), encoding="utf-8")
        paths = [html_path]
        if heatmaps:
            try:
                from bibmine.specialization.heatmap import plot_heatmap

                paths += plot_heatmap(coefficients, level, stem, threshold=threshold, lang=lang,
                                      regions=list(regions["region"]))
            except ImportError as exc:
                result["skipped"].append(f"heat map images of {level}: matplotlib is not available ({exc})")
        result["heatmaps"][level] = [str(p) for p in paths]
    for group in ("matrices", "heatmaps"):
        for item in result[group].values():
            result["files"] += list(item.values()) if isinstance(item, dict) else list(item)
    for item in result["scenarios"].values():
        result["files"] += [item["text"], item["json"]]
    return result
