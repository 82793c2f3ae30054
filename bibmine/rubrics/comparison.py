"""Manual vs automatic rubrics as one analysis: agreement, agreement between annotators, and what the
automatic rubrics do to the regions' S&T competences.  ``bibmine compare`` and a study's rubrics stage
call :func:`compare`; ``bibmine.report.compare.write_comparison`` writes its files.

>>> manual = {"anna": {"r1": ["68"], "r2": ["50"]}, "boris": {"r1": ["68"], "r3": ["06"]}}
>>> automatic = {"r1": ["68", "34"], "r2": ["34"], "r3": ["06"]}
>>> result = compare(manual, automatic, bootstrap=0)
>>> result.agreement.n, round(result.agreement.accuracy, 3), sorted(result.annotators)
(3, 0.667, [('anna', 'boris')])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bibmine.rubrics.agreement import Agreement, agreement, between_annotators
from bibmine.rubrics.assignments import merge_annotators
from bibmine.specialization.effect import Effect, compare_assignments

Labels = dict[str, list[str]]
NO_REGIONS = ("no regions known for the labelled records (import them into a corpus and run "
              "'bibmine regions assign', or add a region column)")


@dataclass
class Comparison:
    agreement: Agreement
    annotators: dict[tuple[str, str], Agreement] = field(default_factory=dict)
    effect: Effect | None = None
    effect_note: str = ""
    files: list[Path] = field(default_factory=list)

    def as_json(self) -> dict:
        out = self.agreement.summary()
        out["per_rubric"] = [r.__dict__ for r in self.agreement.per_rubric]
        out["confusion"] = {"rubrics": self.agreement.rubrics, "matrix": self.agreement.confusion}
        out["between_annotators"] = [
            {"a": a, "b": b, **ag.summary()} for (a, b), ag in sorted(self.annotators.items())]
        out["effect"] = self.effect.summary() if self.effect else {"skipped": self.effect_note}
        return out


def compare(manual_by_annotator: dict[str, Labels], automatic: Labels, *,
            regions: dict[str, list[str]] | None = None, counting: str = "whole", threshold: float = 1.0,
            bootstrap: int = 1000) -> Comparison:
    """All figures; ``manual_by_annotator`` may hold several annotators (merged: first by name wins).

    ``regions`` (record id -> region codes, e.g. ``Corpus.work_regions``) adds the effect on the
    competences: the S&T ratios per region computed from the manual and from the automatic rubrics.
    """
    manual = merge_annotators(manual_by_annotator)
    result = Comparison(agreement(manual, automatic, bootstrap=bootstrap))
    if len(manual_by_annotator) > 1:
        result.annotators = between_annotators(manual_by_annotator)
    if regions and any(regions.get(r) for r in manual):
        result.effect = compare_assignments(manual, automatic, regions, counting=counting, threshold=threshold)
    else:
        result.effect_note = NO_REGIONS
    return result


def text_set_labels(path: str | Path, level: int = 1) -> tuple[dict[str, Labels], dict[str, str]]:
    """A labelled text set (gisnauka, RuSciBench, ...) as ``({"manual": labels}, texts)``, ids 'row N';
    each record's main rubric first, cut to ``level``."""
    from bibmine.rubrics.labels import read_labels
    from bibmine.rubrics.vocabulary import normalize_code

    data = read_labels(Path(path))
    ids = [f"row {i + 1}" for i in range(len(data.texts))]
    manual = {}
    for rid, main, codes in zip(ids, data.labels, data.label_sets, strict=True):
        first = normalize_code(main, level)
        manual[rid] = [first] + sorted({normalize_code(c, level) for c in codes} - {first})
    return {"manual": manual}, dict(zip(ids, data.texts, strict=True))


def predict_labels(model: str, texts: dict[str, str], *, level: int = 1, top_k: int = 3
                   ) -> tuple[Labels, dict[str, float]]:
    """A model's top ``top_k`` codes per record (best first) and each record's top score."""
    from bibmine.rubrics.predict import predict_texts

    ids = list(texts)
    ranked = predict_texts(model, [texts[i] for i in ids], top_k=top_k, level=level)
    automatic = {rid: [code for code, _ in best] for rid, best in zip(ids, ranked, strict=True)}
    scores = {rid: best[0][1] for rid, best in zip(ids, ranked, strict=True) if best}
    return automatic, scores
