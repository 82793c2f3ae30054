"""Agreement between two rubric assignments (manual vs automatic, or two annotators).

Both sides are ``{record_id: [codes]}`` with the codes in order of preference (an
annotator's main rubric first; a classifier's top-scored first).  Only records both
sides labelled are compared; how many each side alone had is reported.

Single-label figures compare each record's *first* code on both sides: ``accuracy``,
``macro_f1`` (unweighted mean of per-rubric F1 over the rubrics either side used),
``micro_f1`` (equal to accuracy for single labels), Cohen's ``kappa``, per-rubric
precision/recall/F1 with support, the confusion matrix.  Multi-label figures compare
the code sets: ``in_set`` (the first automatic code is one of the manual codes),
``jaccard`` (mean over records), multi-label micro/macro F1, and per-rubric kappa
(each rubric as a yes/no label) with its mean.  Bootstrap 95% intervals resample
records (percentile method, fixed seed).

>>> a = {"r1": ["06"], "r2": ["06"], "r3": ["34"], "r4": ["34"]}
>>> b = {"r1": ["06"], "r2": ["34"], "r3": ["34"], "r4": ["34"]}
>>> round(agreement(a, b, bootstrap=0).kappa, 3)
0.5
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support

Labels = dict[str, list[str]]


@dataclass
class RubricScore:
    rubric: str
    precision: float
    recall: float
    f1: float
    support: int  # records whose first manual code is this rubric
    kappa: float | None  # the rubric as a yes/no label over code sets; None when undefined


@dataclass
class Agreement:
    n: int  # records both sides labelled
    only_manual: int
    only_automatic: int
    accuracy: float
    macro_f1: float
    micro_f1: float
    kappa: float
    in_set: float
    jaccard: float
    multilabel_micro_f1: float
    multilabel_macro_f1: float
    mean_rubric_kappa: float | None
    per_rubric: list[RubricScore] = field(default_factory=list)
    rubrics: list[str] = field(default_factory=list)  # confusion matrix order
    confusion: list[list[int]] = field(default_factory=list)  # rows manual, columns automatic
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)

    def summary(self) -> dict:
        """The headline figures (the keys ``bibmine compare --json`` prints first)."""
        keys = ("accuracy", "macro_f1", "micro_f1", "kappa", "n", "in_set", "jaccard", "only_manual",
                "only_automatic", "mean_rubric_kappa")
        out = {k: getattr(self, k) for k in keys}
        out["intervals"] = {k: list(v) for k, v in self.intervals.items()}
        return out

    def as_dict(self) -> dict:
        return asdict(self)


def _first(labels: Labels, ids: list[str]) -> list[str]:
    return [labels[i][0] for i in ids]


def _single(manual: list[str], auto: list[str]) -> tuple[float, float, float, float]:
    acc = float(np.mean([m == a for m, a in zip(manual, auto, strict=True)]))
    labels = sorted(set(manual) | set(auto))
    macro = float(f1_score(manual, auto, labels=labels, average="macro", zero_division=0))
    micro = float(f1_score(manual, auto, labels=labels, average="micro", zero_division=0))
    kappa = float(cohen_kappa_score(manual, auto)) if len(set(manual) | set(auto)) > 1 else float("nan")
    return acc, macro, micro, kappa


def _binary(sets: list[set[str]], rubrics: list[str]) -> np.ndarray:
    index = {r: j for j, r in enumerate(rubrics)}
    out = np.zeros((len(sets), len(rubrics)), dtype=int)
    for i, s in enumerate(sets):
        for r in s:
            out[i, index[r]] = 1
    return out


def agreement(manual: Labels, automatic: Labels, *, bootstrap: int = 1000, seed: int = 0) -> Agreement:
    """Compare two assignments; see the module docstring for every figure."""
    ids = sorted(i for i in manual if manual[i] and automatic.get(i))
    if not ids:
        raise ValueError("no record is labelled on both sides: check that the record ids match")
    m1, a1 = _first(manual, ids), _first(automatic, ids)
    acc, macro, micro, kappa = _single(m1, a1)
    m_sets = [set(manual[i]) for i in ids]
    a_sets = [set(automatic[i]) for i in ids]
    in_set = float(np.mean([a in ms for a, ms in zip(a1, m_sets, strict=True)]))
    jaccard = float(np.mean([len(ms & as_) / len(ms | as_) for ms, as_ in zip(m_sets, a_sets, strict=True)]))
    rubrics = sorted(set().union(*m_sets, *a_sets))
    mb, ab = _binary(m_sets, rubrics), _binary(a_sets, rubrics)
    ml_micro = float(f1_score(mb, ab, average="micro", zero_division=0))
    ml_macro = float(f1_score(mb, ab, average="macro", zero_division=0))
    first_labels = sorted(set(m1) | set(a1))
    p, r, f, s = precision_recall_fscore_support(m1, a1, labels=first_labels, zero_division=0)
    per_kappa: dict[str, float | None] = {}
    for j, rubric in enumerate(rubrics):
        col_m, col_a = mb[:, j], ab[:, j]
        defined = len(set(col_m) | set(col_a)) > 1 and not (col_m.all() and col_a.all())
        value = cohen_kappa_score(col_m, col_a) if defined else None
        per_kappa[rubric] = None if value is None or np.isnan(value) else float(value)
    per_rubric = [RubricScore(lab, float(p[k]), float(r[k]), float(f[k]), int(s[k]), per_kappa.get(lab))
                  for k, lab in enumerate(first_labels)]
    defined_kappas = [v for v in per_kappa.values() if v is not None]
    index = {lab: k for k, lab in enumerate(first_labels)}
    confusion = [[0] * len(first_labels) for _ in first_labels]
    for m, a in zip(m1, a1, strict=True):
        confusion[index[m]][index[a]] += 1
    result = Agreement(
        n=len(ids), only_manual=sum(1 for i in manual if manual[i] and not automatic.get(i)),
        only_automatic=sum(1 for i in automatic if automatic[i] and not manual.get(i)),
        accuracy=acc, macro_f1=macro, micro_f1=micro, kappa=kappa, in_set=in_set, jaccard=jaccard,
        multilabel_micro_f1=ml_micro, multilabel_macro_f1=ml_macro,
        mean_rubric_kappa=float(np.mean(defined_kappas)) if defined_kappas else None,
        per_rubric=per_rubric, rubrics=first_labels, confusion=confusion,
    )
    if bootstrap:
        result.intervals = _bootstrap(m1, a1, m_sets, bootstrap, seed)
    return result


def _bootstrap(m1: list[str], a1: list[str], m_sets: list[set[str]], rounds: int, seed: int
               ) -> dict[str, tuple[float, float]]:
    rng = np.random.default_rng(seed)
    n = len(m1)
    m_arr, a_arr = np.array(m1, dtype=object), np.array(a1, dtype=object)
    hits = np.array([a in ms for a, ms in zip(a1, m_sets, strict=True)])
    samples: dict[str, list[float]] = {"accuracy": [], "macro_f1": [], "kappa": [], "in_set": []}
    for _ in range(rounds):
        idx = rng.integers(0, n, n)
        acc, macro, _, kappa = _single(list(m_arr[idx]), list(a_arr[idx]))
        samples["accuracy"].append(acc)
        samples["macro_f1"].append(macro)
        if not np.isnan(kappa):
            samples["kappa"].append(kappa)
        samples["in_set"].append(float(hits[idx].mean()))
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for k, v in samples.items() if v}


def between_annotators(by_annotator: dict[str, Labels], *, bootstrap: int = 0) -> dict[tuple[str, str], Agreement]:
    """Agreement of every pair of annotators on the records both labelled: the ceiling to aim for."""
    names = sorted(by_annotator)
    out = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            shared = set(by_annotator[a]) & set(by_annotator[b])
            if shared:
                out[(a, b)] = agreement({k: by_annotator[a][k] for k in shared},
                                        {k: by_annotator[b][k] for k in shared}, bootstrap=bootstrap)
    return out
