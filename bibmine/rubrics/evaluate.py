"""Quality measures of level-1 rubric predictions and k-fold cross-validation on a label file.

>>> m = metrics(["06", "06", "27"], ["06", "27", "27"], [{"06"}, {"06", "27"}, {"27"}])
>>> m["accuracy"], m["in_set_accuracy"], m["n"]
(0.6667, 1.0, 3)
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import StratifiedKFold

from bibmine.rubrics.labels import LabeledSet


def metrics(y_true, y_pred, label_sets=None) -> dict:
    """Accuracy, macro-F1, Cohen's kappa and in-set accuracy (prediction among the manual codes)."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    out = {"n": int(len(y_true))}
    if not len(y_true):
        return out | {"accuracy": None, "macro_f1": None, "kappa": None, "in_set_accuracy": None}
    out["accuracy"] = round(float(np.mean(y_true == y_pred)), 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["macro_f1"] = round(float(f1_score(y_true, y_pred, average="macro", zero_division=0)), 4)
        kappa = cohen_kappa_score(y_true, y_pred) if len(set(y_true) | set(y_pred)) > 1 else float("nan")
    out["kappa"] = None if np.isnan(kappa) else round(float(kappa), 4)
    sets = label_sets if label_sets is not None else [{c} for c in y_true]
    out["in_set_accuracy"] = round(float(np.mean([p in s for p, s in zip(y_pred, sets, strict=True)])), 4)
    return out


def folds(labels, k: int = 5, seed: int = 0, groups=None):
    """Stratified folds; classes rarer than k are spread as one pooled stratum.  With ``groups``
    that repeat (organizations, documents of segments) one group is never on both sides."""
    labels = np.asarray(labels, dtype=object)
    counts = {c: int((labels == c).sum()) for c in set(labels)}
    strata = np.array([c if counts[c] >= k else "_rare" for c in labels], dtype=object)
    if groups is not None and len(set(groups)) < len(groups):
        from sklearn.model_selection import StratifiedGroupKFold

        split = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
        return list(split.split(np.zeros(len(labels)), strata, groups=np.asarray(groups, dtype=object)))
    return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(labels)), strata))


def cross_validate(fit, data: LabeledSet, extras=(), k: int = 5, seed: int = 0, progress=None):
    """Out-of-fold level-1 predictions and metrics of ``fit(main, extras) -> model`` on ``data``.

    Extras (other label files, the vocabulary) join every training fold; they are never tested.
    Folds are grouped by ``data.groups`` (an organization's records stay on one side).
    """
    pred = np.empty(len(data), dtype=object)
    proba_max = np.zeros(len(data))
    for n, (tr, te) in enumerate(folds(data.labels, k, seed, data.groups)):
        model = fit(data.subset(tr), list(extras))
        p = model.predict_proba([data.texts[i] for i in te])
        pred[te] = model.level1.classes_[p.argmax(axis=1)]
        proba_max[te] = p.max(axis=1)
        if progress:
            progress(n + 1, k)
    return metrics(data.labels, pred, data.label_sets), pred, proba_max


def evaluate_model(model, data: LabeledSet) -> dict:
    """Metrics of a trained model on a label file it was not trained on."""
    return metrics(data.labels, model.predict(data.texts), data.label_sets)
