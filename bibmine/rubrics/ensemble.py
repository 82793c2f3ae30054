"""An ensemble of rubric classifiers: a weighted linear pool of calibrated probabilities.

Members that share an embedder spec share one embedder instance, fitted once, and a text is
embedded once per embedder.  ``escalate_below`` makes a cascade: the fast members score every
text, and only texts whose best fast score is below the threshold are embedded by the ``slow``
members (a transformer) and re-scored by the whole pool.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from bibmine.rubrics.classifiers import SupervisedClassifier, ZeroShotClassifier, _sub
from bibmine.rubrics.embedders import Embedder, TfidfEmbedder, embedder_from_state, make_embedder
from bibmine.rubrics.vocabulary import load_vocabulary

MEMBER_TYPES = {"supervised": SupervisedClassifier, "zeroshot": ZeroShotClassifier}


class EnsembleClassifier(BaseEstimator, ClassifierMixin):
    """``members``: list of (name, classifier); ``weights``: one per member (default equal)."""

    def __init__(self, members, weights=None, escalate_below: float | None = None, slow=()):
        self.members = members
        self.weights = weights
        self.escalate_below = escalate_below
        self.slow = slow

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None, label_sets=None, fit_texts=None) -> EnsembleClassifier:
        """Fit every member; ``fit_texts`` (default X) are the texts a TF-IDF vocabulary is learned from."""
        X = list(X)
        self.classes_ = np.array(load_vocabulary().codes(level=1), dtype=object)
        self.embedders_: dict[str, Embedder] = {}
        features: dict[str, object] = {}
        for _name, clf in self.members:
            spec = clf.embedder if isinstance(clf.embedder, str) else clf.embedder.spec
            if spec not in self.embedders_:
                emb = make_embedder(spec) if isinstance(clf.embedder, str) else clf.embedder
                if isinstance(emb, TfidfEmbedder):
                    emb.fit(list(fit_texts) if fit_texts is not None else X)
                self.embedders_[spec] = emb
            clf.embedder = self.embedders_[spec]
            if isinstance(clf, SupervisedClassifier):
                if spec not in features:
                    features[spec] = self.embedders_[spec].transform(X)
                clf.fit(X, y, sample_weight=sample_weight, label_sets=label_sets, features=features[spec])
            else:
                keep = None if sample_weight is None else np.asarray(sample_weight) >= 1.0
                xs = X if keep is None else [x for x, k in zip(X, keep, strict=True) if k]
                ys = list(y) if keep is None else [c for c, k in zip(y, keep, strict=True) if k]
                clf.fit(xs, ys)
        return self

    @property
    def weights_(self) -> np.ndarray:
        w = np.ones(len(self.members)) if self.weights is None else np.asarray(self.weights, dtype=float)
        return w / w.sum()

    # -------------------------------------------------------------- predict
    def _member_proba(self, clf, features) -> np.ndarray:
        """Member probabilities aligned to ``classes_`` (zeros for classes it never saw)."""
        p = clf._proba(features)
        out = np.zeros((p.shape[0], len(self.classes_)), dtype=np.float64)
        index = {c: i for i, c in enumerate(self.classes_)}
        cols = [index[c] for c in clf.classes_]
        out[:, cols] = p
        return out

    def _pool(self, texts, member_idx) -> np.ndarray:
        cache: dict[int, object] = {}
        total = np.zeros((len(texts), len(self.classes_)))
        wsum = 0.0
        for i in member_idx:
            clf = self.members[i][1]
            key = id(clf.embedder_)
            if key not in cache:
                cache[key] = clf.embedder_.transform(texts)
            total += self.weights_[i] * self._member_proba(clf, cache[key])
            wsum += self.weights_[i]
        return total / wsum

    def predict_proba(self, X) -> np.ndarray:
        texts = list(X)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        names = [n for n, _ in self.members]
        slow = [i for i, n in enumerate(names) if n in self.slow]
        fast = [i for i in range(len(names)) if i not in slow]
        if not slow or not fast or self.escalate_below is None:
            return self._pool(texts, range(len(names)))
        proba = self._pool(texts, fast)
        unsure = np.flatnonzero(proba.max(axis=1) < self.escalate_below)
        if len(unsure):
            proba[unsure] = self._pool([texts[i] for i in unsure], range(len(names)))
        return proba

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    # ---------------------------------------------------------------- state
    def get_state(self):
        emb_index = {id(e): j for j, e in enumerate(self.embedders_.values())}
        meta = {
            "type": "ensemble",
            "weights": [float(w) for w in self.weights_],
            "escalate_below": self.escalate_below,
            "slow": list(self.slow),
            "classes": list(self.classes_),
            "embedders": [],
            "members": [],
        }
        arrays: dict[str, np.ndarray] = {}
        for j, emb in enumerate(self.embedders_.values()):
            emeta, earr = emb.get_state()
            meta["embedders"].append(emeta)
            arrays.update({f"e{j}.{k}": v for k, v in earr.items()})
        for i, (name, clf) in enumerate(self.members):
            m, a = clf.get_state()
            m.pop("embedder", None)
            m["name"] = name
            m["embedder_ref"] = emb_index[id(clf.embedder_)]
            meta["members"].append(m)
            arrays.update({f"m{i}.{k}": v for k, v in a.items() if not k.startswith("emb.")})
        return meta, arrays

    @classmethod
    def from_state(cls, meta, arrays, device: str | None = None) -> EnsembleClassifier:
        embedders = [
            embedder_from_state(e, _sub(arrays, f"e{j}."), device=device) for j, e in enumerate(meta["embedders"])
        ]
        members = []
        for i, m in enumerate(meta["members"]):
            emb = embedders[m["embedder_ref"]]
            m = dict(m, embedder={"spec": emb.spec})
            clf = MEMBER_TYPES[m["type"]].from_state(m, _sub(arrays, f"m{i}."), embedder=emb)
            members.append((m["name"], clf))
        obj = cls(members, weights=meta["weights"], escalate_below=meta["escalate_below"], slow=tuple(meta["slow"]))
        obj.classes_ = np.array(meta["classes"], dtype=object)
        obj.embedders_ = {e.spec: e for e in embedders}
        return obj
