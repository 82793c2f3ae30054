"""The files of ``bibmine compare``: manual vs automatic rubric assignment, and the effect on competences
(the analysis itself is :func:`bibmine.rubrics.comparison.compare`).

Writes into the output folder:

- ``metrics.json``: headline figures, intervals, per-rubric scores, confusion matrix,
  agreement between annotators, and the effect on the method when regions are known;
- ``per_rubric.csv``, ``confusion.csv``; ``ratios.csv`` and ``flips.csv`` (with regions);
- ``review.csv``: the disagreements, the classifier's most confident first, with empty
  ``reviewed_rubric`` / ``reviewer`` / ``comment`` columns for analysts; importing the
  filled file (``bibmine import-labels``) stores the decisions as manual labels;
- ``confusion.png|svg`` and, with regions, ``ratios.png|svg`` (manual vs automatic per region).
"""

from __future__ import annotations

import json
from pathlib import Path

from bibmine.rubrics.comparison import Comparison, Labels, compare  # noqa: F401  (the analysis: bibmine.rubrics)
from bibmine.safe_csv import safe_writer


def write_comparison(result: Comparison, out_dir: Path, *, manual: Labels, automatic: Labels,
                  scores: dict[str, float] | None = None, titles: dict[str, str] | None = None) -> list[Path]:
    """Write every file listed in the module docstring; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    files.append(path)
    ag = result.agreement
    files.append(_csv(out_dir / "per_rubric.csv", ["rubric", "precision", "recall", "f1", "support", "kappa"],
                      [[r.rubric, f"{r.precision:.4f}", f"{r.recall:.4f}", f"{r.f1:.4f}", r.support,
                        "" if r.kappa is None else f"{r.kappa:.4f}"] for r in ag.per_rubric]))
    files.append(_csv(out_dir / "confusion.csv", ["manual \\ automatic", *ag.rubrics],
                      [[m, *row] for m, row in zip(ag.rubrics, ag.confusion, strict=True)]))
    files.append(write_review(out_dir / "review.csv", manual, automatic, scores or {}, titles or {}))
    if result.effect is not None:
        eff = result.effect
        files.append(_csv(out_dir / "ratios.csv", ["region", "rubric", "manual", "automatic"],
                          eff.ratios[["region", "rubric", "manual", "automatic"]].astype(object)
                          .where(eff.ratios.notna(), "").values.tolist()))
        files.append(_csv(out_dir / "flips.csv", ["region", "rubric", "change", "manual", "automatic", "gained",
                                                  "lost"],
                          [[f.region, f.rubric, f.change, f.manual, f.automatic, ";".join(f.gained),
                            ";".join(f.lost)] for f in eff.flips]))
    from bibmine.report.compare_figures import confusion_figure, ratio_figure

    files.extend(confusion_figure(ag, out_dir / "confusion"))
    if result.effect is not None:
        files.extend(ratio_figure(result.effect, out_dir / "ratios"))
    result.files = files
    return files


def write_review(path: Path, manual: Labels, automatic: Labels, scores: dict[str, float],
                 titles: dict[str, str]) -> Path:
    """Disagreements (first codes differ), the classifier's most confident first, for analysts to decide."""
    rows = [rid for rid in manual if manual[rid] and automatic.get(rid) and manual[rid][0] != automatic[rid][0]]
    rows.sort(key=lambda r: (-(scores.get(r) or 0.0), r))
    return _csv(path, ["record_id", "title", "manual", "automatic", "score", "reviewed_rubric", "reviewer",
                       "comment"],
                [[r, titles.get(r, ""), ";".join(manual[r]), ";".join(automatic[r]),
                  "" if scores.get(r) is None else f"{scores[r]:.4f}", "", "", ""] for r in rows])


def _csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path
