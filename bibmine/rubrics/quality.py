"""Per-rubric precision/recall, confusion pairs and per-kind figures of level-1 predictions.

>>> rows = per_rubric(["06", "06", "27", "27"], ["06", "27", "27", "27"])
>>> [(r["rubric"], r["precision"], r["recall"], r["support"]) for r in rows]
[('06', 1.0, 0.5, 2), ('27', 0.6667, 1.0, 2)]
>>> confusions(["06", "06", "27", "27"], ["06", "27", "27", "27"])
[{'true': '06', 'predicted': '27', 'count': 1, 'share_of_true': 0.5}]
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from bibmine.rubrics.evaluate import metrics


def per_rubric(y_true, y_pred) -> list[dict]:
    """Precision, recall and F1 of every rubric in truth or prediction, with its support (true count)."""
    y_true = [str(y) for y in y_true]
    y_pred = [str(y) for y in y_pred]
    true_n, pred_n = Counter(y_true), Counter(y_pred)
    hits = Counter(t for t, p in zip(y_true, y_pred, strict=True) if t == p)
    out = []
    for code in sorted(set(true_n) | set(pred_n)):
        p = hits[code] / pred_n[code] if pred_n[code] else None
        r = hits[code] / true_n[code] if true_n[code] else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        out.append({"rubric": code, "precision": None if p is None else round(p, 4),
                    "recall": None if r is None else round(r, 4), "f1": None if f is None else round(f, 4),
                    "support": true_n[code], "predicted": pred_n[code]})
    return out


def confusions(y_true, y_pred, top: int = 10) -> list[dict]:
    """The ``top`` most frequent (true, predicted) pairs with true != predicted."""
    y_true = [str(y) for y in y_true]
    pairs = Counter((t, str(p)) for t, p in zip(y_true, y_pred, strict=True) if t != str(p))
    true_n = Counter(y_true)
    return [{"true": t, "predicted": p, "count": n, "share_of_true": round(n / true_n[t], 4)}
            for (t, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def by_kind(y_true, y_pred, label_sets, kinds) -> dict[str, dict]:
    """:func:`metrics` for each record kind (report, software, database, patent, article, other)."""
    kinds = np.asarray(kinds, dtype=object)
    out = {}
    for kind in sorted(set(kinds)):
        idx = np.flatnonzero(kinds == kind)
        out[kind] = metrics([y_true[i] for i in idx], [y_pred[i] for i in idx], [label_sets[i] for i in idx])
    return out


def quality(y_true, y_pred, label_sets, kinds=None, top: int = 10) -> dict:
    """Everything a card or ``bibmine rubrics evaluate`` reports about one set of predictions."""
    out = {"overall": metrics(y_true, y_pred, label_sets), "per_rubric": per_rubric(y_true, y_pred),
           "confusions": confusions(y_true, y_pred, top)}
    if kinds is not None:
        out["by_kind"] = by_kind(list(y_true), list(y_pred), list(label_sets), kinds)
    return out
