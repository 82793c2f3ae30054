"""An ensemble of rubric classifiers: a weighted linear pool of calibrated probabilities.

``fit`` never touches its ``members`` parameter: it fits a ``clone`` of each member (``members_``).
Members whose ``embedder`` parameter is the same object (or the same spec string) share one fitted
embedder (``embedders_``), fitted once per ``fit`` on the training texts, and a text is embedded
once per embedder.  ``escalate_below`` makes a cascade: the fast members score every text, and
only texts whose best fast score is below the threshold are embedded by the ``slow`` members (a
transformer) and re-scored by the whole pool.

``prior_power`` = a > 0 corrects for the training data's class prior: the pooled probabilities are
divided by prior^a (the prior of the training records' main rubrics, weighted, with add-one
smoothing) and renormalized.  A rubric that fills a quarter of the training set (medicine in the
EGISU files) then no longer wins every close call in a corpus where it is rarer.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples, check_is_fitted

from bibmine.rubrics.classifiers import (
    SupervisedClassifier,
    ZeroShotClassifier,
    _sub,
    fresh_embedder,
    input_tags,
    takes_numbers,
)
from bibmine.rubrics.embedders import as_texts, embedder_from_state

MEMBER_TYPES = {"supervised": SupervisedClassifier, "zeroshot": ZeroShotClassifier}


class EnsembleClassifier(ClassifierMixin, BaseEstimator):
    """``members``: list of (name, classifier); ``weights``: one per member (default equal).

    ``classes_`` is the union of the members' classes: with a zero-shot member, every level-1 rubric.
    """

    def __init__(self, members=(), weights=None, escalate_below: float | None = None, slow=(),
                 prior_power: float = 0.0):
        self.members = members
        self.weights = weights
        self.escalate_below = escalate_below
        self.slow = slow
        self.prior_power = prior_power

    def __sklearn_tags__(self):
        first = self.members[0][1].embedder if len(self.members) else "tfidf"
        return input_tags(super().__sklearn_tags__(), first)

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None, label_sets=None, fit_texts=None, prior_weight=None) -> EnsembleClassifier:
        """Fit a clone of every member; ``fit_texts`` (default X) are the texts a TF-IDF vocabulary is learned
        from.  ``label_sets`` (every manual code of a record) go to the supervised members.  ``prior_weight``
        (default ``sample_weight``) weighs each row in the class prior (0: not counted, e.g. rubric names)."""
        if not len(self.members):
            raise ValueError("an ensemble needs at least one member")
        numeric = takes_numbers(self.members[0][1].embedder)
        if not numeric:
            X = as_texts(X)
        y = np.asarray(y)
        self.embedders_ = {}
        fitted: dict[object, object] = {}  # embedder parameter (object id or spec) -> fitted embedder
        features: dict[object, object] = {}
        self.members_ = []
        for name, member in self.members:
            param = member.embedder
            key = param if isinstance(param, str) else id(param)
            if key not in fitted:
                emb = fresh_embedder(param)
                emb.fit(X if fit_texts is None else as_texts(fit_texts))
                spec = emb.spec if emb.spec not in self.embedders_ else f"{emb.spec}#{len(self.embedders_)}"
                self.embedders_[spec] = fitted[key] = emb
            emb = fitted[key]
            clf = clone(member)
            if isinstance(clf, SupervisedClassifier):
                if key not in features:
                    features[key] = emb.transform(X)
                clf.fit_embedded(emb, features[key], y, sample_weight=sample_weight, label_sets=label_sets)
            else:  # zero-shot: descriptions; the records themselves (not down-weighted extras) set T
                keep = np.ones(len(y), bool) if sample_weight is None else np.asarray(sample_weight) >= 1.0
                clf.fit_embedded(emb, [x for x, k in zip(X, keep, strict=True) if k], y[keep])
            self.members_.append((name, clf))
        self.classes_ = np.unique(np.concatenate([c.classes_ for _, c in self.members_]))
        w = np.ones(len(self.members)) if self.weights is None else np.asarray(self.weights, dtype=float)
        self.weights_ = w / w.sum()
        pw = prior_weight if prior_weight is not None else sample_weight
        pw = np.ones(len(y)) if pw is None else np.asarray(pw, dtype=float)
        yy = np.asarray(y).ravel()
        counts = np.array([pw[yy == c].sum() for c in self.classes_]) + 1.0
        self.class_prior_ = counts / counts.sum()
        first = self.members_[0][1]
        if hasattr(first, "n_features_in_"):
            self.n_features_in_ = first.n_features_in_
        return self

    # -------------------------------------------------------------- predict
    def _member_proba(self, clf, features) -> np.ndarray:
        """Member probabilities aligned to ``classes_`` (zeros for classes it never saw)."""
        p = clf._proba(features)
        out = np.zeros((p.shape[0], len(self.classes_)), dtype=np.float64)
        index = {c: i for i, c in enumerate(self.classes_)}
        cols = [index[c] for c in clf.classes_]
        out[:, cols] = p
        return out

    def _pool(self, X, member_idx) -> np.ndarray:
        cache: dict[int, object] = {}
        total = np.zeros((_num_samples(X), len(self.classes_)))
        wsum = 0.0
        for i in member_idx:
            clf = self.members_[i][1]
            key = id(clf.embedder_)
            if key not in cache:
                cache[key] = clf.embedder_.transform(X)
            total += self.weights_[i] * self._member_proba(clf, cache[key])
            wsum += self.weights_[i]
        total /= wsum
        if self.prior_power:
            total /= self.class_prior_ ** self.prior_power
            total /= total.sum(axis=1, keepdims=True)
        return total

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        if not takes_numbers(self.members_[0][1].embedder):
            X = as_texts(X)
        if not _num_samples(X):
            return np.zeros((0, len(self.classes_)))
        names = [n for n, _ in self.members_]
        slow = [i for i, n in enumerate(names) if n in self.slow]
        fast = [i for i in range(len(names)) if i not in slow]
        if not slow or not fast or self.escalate_below is None:
            return self._pool(X, range(len(names)))
        proba = self._pool(X, fast)
        unsure = np.flatnonzero(proba.max(axis=1) < self.escalate_below)
        if len(unsure):
            proba[unsure] = self._pool(_safe_indexing(X, unsure), range(len(names)))
        return proba

    def predict(self, X) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    # ---------------------------------------------------------------- state
    def get_state(self):
        check_is_fitted(self)
        emb_index = {id(e): j for j, e in enumerate(self.embedders_.values())}
        meta = {
            "type": "ensemble",
            "weights": [float(w) for w in self.weights_],
            "escalate_below": self.escalate_below,
            "slow": list(self.slow),
            "prior_power": self.prior_power,
            "classes": [str(c) for c in self.classes_],
            "embedders": [],
            "members": [],
        }
        arrays: dict[str, np.ndarray] = {}
        if self.prior_power:
            arrays["class_prior"] = self.class_prior_.astype(np.float64)
        for j, emb in enumerate(self.embedders_.values()):
            emeta, earr = emb.get_state()
            meta["embedders"].append(emeta)
            arrays.update({f"e{j}.{k}": v for k, v in earr.items()})
        for i, (name, clf) in enumerate(self.members_):
            m, a = clf.get_state()
            m.pop("embedder", None)
            m["name"] = name
            m["embedder_ref"] = emb_index[id(clf.embedder_)]
            meta["members"].append(m)
            arrays.update({f"m{i}.{k}": v for k, v in a.items() if not k.startswith("emb.")})
        return meta, arrays

    @classmethod
    def from_state(cls, meta, arrays, device: str | None = None) -> EnsembleClassifier:
        """A fitted ensemble from its stored state; its ``members`` parameter holds unfitted clones of the
        stored members (so ``clone(ensemble).fit(...)`` retrains the same configuration)."""
        embedders = [
            embedder_from_state(e, _sub(arrays, f"e{j}."), device=device) for j, e in enumerate(meta["embedders"])
        ]
        fitted = []
        for i, m in enumerate(meta["members"]):
            emb = embedders[m["embedder_ref"]]
            m = dict(m, embedder={"spec": emb.spec})
            clf = MEMBER_TYPES[m["type"]].from_state(m, _sub(arrays, f"m{i}."), embedder=emb)
            fitted.append((m["name"], clf))
        # unfitted members that share an embedder parameter exactly when the stored ones share an embedder
        params = {id(e): clone(e) for e in embedders}
        members = [(n, clone(c).set_params(embedder=params[id(c.embedder_)])) for n, c in fitted]
        obj = cls(members, weights=meta["weights"], escalate_below=meta["escalate_below"], slow=tuple(meta["slow"]),
                  prior_power=meta.get("prior_power", 0.0))
        obj.members_ = fitted
        prior = arrays.get("class_prior")
        obj.class_prior_ = prior if prior is not None else np.full(len(meta["classes"]), 1.0 / len(meta["classes"]))
        obj.classes_ = np.array(meta["classes"], dtype=object)
        obj.weights_ = np.asarray(meta["weights"], dtype=float)
        obj.embedders_ = {e.spec: e for e in embedders}
        return obj
