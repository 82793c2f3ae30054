"""Rubric classifiers with the scikit-learn API; ``X`` is a list of texts, ``y`` level-1 codes.

- :class:`ZeroShotClassifier`: cosine similarity of a text to each rubric's description
  (its name and its sub-rubrics' names, :meth:`Vocabulary.description`); needs no labels.
- :class:`SupervisedClassifier`: a linear model (linear SVM or logistic regression) on an
  embedder's vectors, trained on manual labels; records with several manual rubrics also teach
  their secondary rubrics with ``secondary_weight``.
- :class:`EnsembleClassifier`: a weighted linear pool of the members' probabilities.

Scores are calibrated by temperature scaling: ``predict_proba`` = softmax(decision / T), with T
chosen to minimize the log-loss of out-of-fold decisions on the training data.

The scikit-learn contract holds (``tests/rubrics/test_estimator_checks.py``): ``__init__`` stores
parameters only, ``fit`` never changes them and keeps what it learns in attributes ending in ``_``
(``embedder_`` is a fitted *clone* of the ``embedder`` parameter, so a TF-IDF vocabulary is learned
again by every fit and by every ``sklearn.base.clone``).  ``embedder`` is a spec (``"tfidf"``,
``"use"``, ``"st:MODEL"``, ``"passthrough"`` for numeric features) or an embedder instance.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, column_or_1d

from bibmine.rubrics.embedders import Embedder, as_texts, embedder_from_state, make_embedder
from bibmine.rubrics.vocabulary import load_vocabulary


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, classes: np.ndarray, y) -> float:
    """Temperature T minimizing the log-loss of softmax(scores / T) for true labels ``y``.

    >>> s = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])
    >>> t = fit_temperature(s, np.array(["a", "b"]), ["a", "b", "b"])
    >>> 1.0 < t < 10.0
    True
    """
    index = {c: i for i, c in enumerate(classes)}
    rows = [i for i, c in enumerate(y) if c in index]
    if not rows:
        return 1.0
    cols = np.array([index[y[i]] for i in rows])
    s = scores[rows]
    grid = np.exp(np.linspace(np.log(0.005), np.log(20.0), 80))
    losses = [-np.log(softmax(s / t)[np.arange(len(rows)), cols] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(losses))])


def fresh_embedder(embedder) -> Embedder:
    """An unfitted embedder for an ``embedder`` parameter: a new one from a spec, else a ``clone`` (a
    pretrained encoder is frozen: its clone is itself).  The parameter itself is never fitted."""
    return make_embedder(embedder) if isinstance(embedder, str) else clone(embedder)


def takes_numbers(embedder) -> bool:
    """Whether an ``embedder`` parameter takes numeric features (passthrough) rather than texts."""
    return (embedder == "passthrough") if isinstance(embedder, str) else getattr(embedder, "name", "") == "passthrough"


def input_tags(tags, embedder):
    """scikit-learn tags of a classifier on ``embedder``: texts (strings) or 2-D numeric features."""
    numeric = takes_numbers(embedder)
    tags.input_tags.two_d_array = numeric
    tags.input_tags.sparse = numeric
    tags.input_tags.string = not numeric
    return tags


class RubricClassifierBase(ClassifierMixin, BaseEstimator):
    """Shared ``predict``/``predict_proba``; subclasses give ``_decision(features)``."""

    def __sklearn_tags__(self):
        return input_tags(super().__sklearn_tags__(), self.embedder)

    def _embed(self, X):
        check_is_fitted(self)
        return self.embedder_.transform(X)

    def decision_function(self, X) -> np.ndarray:
        """Scores per class; with two classes, as scikit-learn: one column, the score of ``classes_[1]``
        (a binary linear model keeps one row per class, ``[-w, w]``: half the difference is ``w.x + b``)."""
        d = self._decision(self._embed(X))
        return (d[:, 1] - d[:, 0]) / 2 if d.shape[1] == 2 else d

    def predict_proba(self, X) -> np.ndarray:
        return self._proba(self._embed(X))

    def _proba(self, features) -> np.ndarray:
        return softmax(self._decision(features) / self.temperature_)

    def predict(self, X) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]


class ZeroShotClassifier(RubricClassifierBase):
    """Similarity to rubric descriptions; ``fit`` needs no labels (``y`` is only used for T)."""

    def __init__(self, embedder="tfidf", depth: int = 2, temperature: float | None = None, langs=("ru",)):
        self.embedder = embedder
        self.depth = depth
        self.temperature = temperature
        self.langs = langs

    def _descriptions(self) -> tuple[np.ndarray, list[str]]:
        voc = load_vocabulary()
        classes = np.array(voc.codes(level=1), dtype=object)
        # one description per rubric in every language: a text matches it in either
        return classes, [" ".join(voc.description(c, depth=self.depth, lang=lang) for lang in self.langs)
                         for c in classes]

    def fit(self, X=None, y=None) -> ZeroShotClassifier:
        """A fresh embedder fitted on the rubric descriptions and ``X`` (a TF-IDF vocabulary; pretrained
        encoders learn nothing); ``y``, when given, only chooses the temperature."""
        _, descriptions = self._descriptions()
        texts = [] if X is None else as_texts(X)
        embedder = fresh_embedder(self.embedder).fit(descriptions + texts)
        return self.fit_embedded(embedder, texts, y)

    def fit_embedded(self, embedder, X=None, y=None) -> ZeroShotClassifier:
        """As :meth:`fit` with an embedder already fitted (an ensemble's, shared by its members)."""
        self.classes_, descriptions = self._descriptions()
        self.embedder_ = embedder
        self.centroids_ = _fortran(_as_dense(self.embedder_.transform(descriptions)))
        self.temperature_ = self.temperature or 0.05
        if self.temperature is None and X is not None and y is not None and len(X):
            self.temperature_ = fit_temperature(self._decision(self.embedder_.transform(X)), self.classes_,
                                                list(y))
        return self

    def _decision(self, features) -> np.ndarray:
        return np.asarray(features @ self.centroids_.T)

    def get_state(self):
        emb_meta, emb_arrays = self.embedder_.get_state()
        meta = {"type": "zeroshot", "depth": self.depth, "temperature_": self.temperature_, "embedder": emb_meta,
                "langs": list(self.langs)}
        arrays = {"centroids": self.centroids_.astype(np.float32), "classes": self.classes_.astype(str)}
        arrays.update({"emb." + k: v for k, v in emb_arrays.items()})
        return meta, arrays

    @classmethod
    def from_state(cls, meta, arrays, embedder=None) -> ZeroShotClassifier:
        emb = embedder or embedder_from_state(meta["embedder"], _sub(arrays, "emb."))
        obj = cls(embedder=clone(emb), depth=meta["depth"], langs=tuple(meta.get("langs", ["ru"])))
        obj.embedder_ = emb
        obj.centroids_ = _fortran(arrays["centroids"].astype(np.float32))
        obj.classes_ = arrays["classes"].astype(object)
        obj.temperature_ = meta["temperature_"]
        return obj


def _fortran(m):
    """A dense weight matrix in Fortran order, so that ``m.T`` is C-contiguous: a sparse x dense
    product copies a non-contiguous operand on every call (0.05 s per call for 69 x 250k weights)."""
    return np.asfortranarray(m) if isinstance(m, np.ndarray) else m


def _as_dense(m) -> np.ndarray:
    return np.asarray(m.toarray() if hasattr(m, "toarray") else m, dtype=np.float32)


def _sub(arrays: dict, prefix: str) -> dict:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}


class SupervisedClassifier(RubricClassifierBase):
    """Linear SVM (``model='svm'``), logistic regression (``'logreg'``) or complement naive Bayes
    (``'cnb'``, smoothing ``alpha``; its log-likelihoods are linear in the features too) on embeddings.

    ``fit(X, y, sample_weight=None, label_sets=None)``: ``label_sets`` gives every manual
    level-1 code of a record; its codes other than ``y`` are added as extra training rows with
    ``secondary_weight`` times the record's weight.  ``calibration_folds`` out-of-fold fits choose
    the temperature (0 keeps T = 1).  ``keep_weights`` < 1 keeps only that share of each class's
    largest weights (TF-IDF models: 0.3 loses no CV accuracy and makes the artifact 3x smaller).
    """

    def __init__(
        self,
        embedder="tfidf",
        model: str = "svm",
        C: float = 0.5,
        secondary_weight: float = 0.3,
        calibration_folds: int = 3,
        random_state: int = 0,
        keep_weights: float = 1.0,
        class_weight: str | None = None,
        alpha: float = 0.1,
    ):
        self.embedder = embedder
        self.model = model
        self.C = C
        self.secondary_weight = secondary_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.keep_weights = keep_weights
        self.class_weight = class_weight
        self.alpha = alpha

    def _estimator(self):
        if self.model == "svm":
            from sklearn.svm import LinearSVC

            return LinearSVC(C=self.C, random_state=self.random_state, class_weight=self.class_weight)
        if self.model == "logreg":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=self.C, max_iter=1000, class_weight=self.class_weight)
        if self.model == "cnb":
            from sklearn.naive_bayes import ComplementNB

            return ComplementNB(alpha=self.alpha)
        raise ValueError(f"unknown model {self.model!r}: svm, logreg or cnb")

    def fit(self, X, y, sample_weight=None, label_sets=None) -> SupervisedClassifier:
        """A fresh embedder fitted on ``X`` (a new TF-IDF vocabulary), then the linear model on its vectors."""
        embedder = fresh_embedder(self.embedder)
        if not takes_numbers(self.embedder):
            X = as_texts(X)
        features = embedder.fit(X).transform(X)
        return self.fit_embedded(embedder, features, y, sample_weight=sample_weight, label_sets=label_sets)

    def fit_embedded(self, embedder, features, y, sample_weight=None, label_sets=None) -> SupervisedClassifier:
        """As :meth:`fit` on ``features`` = ``embedder.transform(X)`` of an embedder already fitted (an
        ensemble's, shared by its members and embedded once)."""
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if features.shape[0] != len(y):
            raise ValueError(f"X has {features.shape[0]} samples but y has {len(y)}")
        w = _check_sample_weight(sample_weight, features, dtype=np.float64)
        if not np.any(w > 0):
            raise ValueError("sample_weight is zero for every sample: nothing to learn from")
        self.embedder_ = embedder
        if hasattr(embedder, "n_features_in_"):
            self.n_features_in_ = embedder.n_features_in_
        rows, labels, weights = _expand(y, w, label_sets, self.secondary_weight)
        est = self._estimator().fit(features[rows], labels, sample_weight=weights)
        self.classes_ = est.classes_
        coef, intercept = _linear(est)
        self.coef_ = coef.astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        if self.coef_.shape[0] == 1:  # binary linear models give one row; keep one per class
            self.coef_ = np.vstack([-self.coef_, self.coef_])
            self.intercept_ = np.concatenate([-self.intercept_, self.intercept_])
        if self.keep_weights < 1.0:
            cut = np.quantile(np.abs(self.coef_), 1.0 - self.keep_weights, axis=1, keepdims=True)
            self.coef_[np.abs(self.coef_) < cut] = 0.0
            self.quantize()
        else:
            self.coef_ = _fortran(_compact(self.coef_).astype(np.float32))  # as stored: exact save/load
        self.temperature_ = self._calibrate(features, y, w, label_sets) if self.calibration_folds else 1.0
        return self

    def quantize(self) -> SupervisedClassifier:
        """Weights as int8 steps of a per-class scale (max |weight| / 127), as a pruned model stores them:
        the artifact's weights shrink 6x and predictions stay the same (the top rubric of 2,144 training
        texts unchanged, probabilities within 0.034 for the shipped default)."""
        scale = np.abs(self.coef_).max(axis=1, keepdims=True).astype(np.float32) / np.float32(127)
        scale[scale == 0] = 1.0
        q = np.round(self.coef_ / scale).astype(np.int8)
        self.coef_scale_ = scale.ravel()
        self.coef_ = _fortran(q.astype(np.float32) * scale)
        return self

    def _calibrate(self, features, y, w, label_sets) -> float:
        counts = {c: int((y == c).sum()) for c in set(y)}
        folds = min(self.calibration_folds, max(2, min(counts.values())))
        strat = np.array([f"={c}" if counts[c] >= folds else "rare" for c in y])  # one type, whatever y's
        try:
            splits = list(StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(y, strat))
        except ValueError:
            return 1.0
        scores = np.full((len(y), len(self.classes_)), -1e3, dtype=np.float32)
        index = {c: i for i, c in enumerate(self.classes_)}
        for tr, te in splits:
            sets = None if label_sets is None else [label_sets[i] for i in tr]
            rows, labels, weights = _expand(y[tr], w[tr], sets, self.secondary_weight)
            if len(set(labels)) < 2:
                continue
            est = self._estimator().fit(features[tr][rows], labels, sample_weight=weights)
            coef, intercept = _linear(est)
            d = np.asarray(features[te] @ coef.T) + intercept
            if d.shape[1] == 1:
                d = np.hstack([-d, d])
            for j, c in enumerate(est.classes_):
                scores[te, index[c]] = d[:, j]
        keep = w >= 1.0  # calibrate on the records themselves, not on down-weighted extras
        return fit_temperature(scores[keep], self.classes_, list(y[keep]))

    def _decision(self, features) -> np.ndarray:
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def get_state(self):
        emb_meta, emb_arrays = self.embedder_.get_state()
        meta = {
            "type": "supervised", "model": self.model, "C": self.C,
            "secondary_weight": self.secondary_weight, "temperature_": self.temperature_, "embedder": emb_meta,
            "keep_weights": self.keep_weights, "class_weight": self.class_weight, "alpha": self.alpha,
        }
        arrays = {"intercept": self.intercept_, "classes": self.classes_.astype(str)}
        if self.keep_weights < 1.0:  # pruned: store the non-zero weights only
            rows, cols = np.nonzero(self.coef_)
            arrays.update({"coef_rows": rows.astype(np.uint8 if self.coef_.shape[0] < 256 else np.int32),
                           "coef_col_deltas": _delta_encode(rows, cols), "coef_shape": np.array(self.coef_.shape)})
            scale = getattr(self, "coef_scale_", None)
            if scale is not None:
                arrays["coef_q"] = np.round(self.coef_[rows, cols] / scale[rows]).astype(np.int8)
                arrays["coef_scale"] = scale
            else:
                arrays["coef_vals"] = _compact(self.coef_[rows, cols])
        else:
            arrays["coef"] = _compact(self.coef_)
        arrays.update({"emb." + k: v for k, v in emb_arrays.items()})
        return meta, arrays

    @classmethod
    def from_state(cls, meta, arrays, embedder=None) -> SupervisedClassifier:
        emb = embedder or embedder_from_state(meta["embedder"], _sub(arrays, "emb."))
        obj = cls(embedder=clone(emb), model=meta["model"], C=meta["C"],
                  secondary_weight=meta["secondary_weight"], keep_weights=meta.get("keep_weights", 1.0),
                  class_weight=meta.get("class_weight"), alpha=meta.get("alpha", 0.1))
        obj.embedder_ = emb
        if "coef" in arrays:
            obj.coef_ = arrays["coef"].astype(np.float32)
        else:
            obj.coef_ = np.zeros(tuple(arrays["coef_shape"]), dtype=np.float32)
            rows = arrays["coef_rows"].astype(np.int64)
            deltas = arrays.get("coef_col_deltas")
            cols = arrays["coef_cols"] if deltas is None else _delta_decode(rows, deltas)
            if "coef_q" in arrays:
                obj.coef_scale_ = arrays["coef_scale"].astype(np.float32)
                obj.coef_[rows, cols] = arrays["coef_q"].astype(np.float32) * obj.coef_scale_[rows]
            else:
                obj.coef_[rows, cols] = arrays["coef_vals"].astype(np.float32)
        obj.coef_ = _fortran(obj.coef_)
        obj.intercept_ = arrays["intercept"].astype(np.float32)
        obj.classes_ = arrays["classes"].astype(object)
        obj.temperature_ = meta["temperature_"]
        return obj


def _linear(est) -> tuple[np.ndarray, np.ndarray]:
    """Weights and intercepts with ``decision = X @ coef.T + intercept`` of a fitted linear model.  For
    complement naive Bayes (``feature_log_prob_``; no prior term with two or more classes), each
    feature's mean over the classes is taken out: every class's score moves by the same amount for a
    given text, so ranks and softmax stay, and the weights become small enough to prune and quantize."""
    if hasattr(est, "feature_log_prob_"):
        flp = np.asarray(est.feature_log_prob_, dtype=np.float64)
        return flp - flp.mean(axis=0, keepdims=True), np.zeros(len(est.classes_))
    return est.coef_, est.intercept_


def _delta_encode(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Column indexes of row-sorted non-zeros as steps from the previous one in the same row (the
    first of a row absolute): small numbers that compress 2-3x better than the indexes.

    >>> r, c = np.array([0, 0, 0, 2, 2]), np.array([3, 7, 8, 1, 5])
    >>> d = _delta_encode(r, c); d.tolist(), _delta_decode(r, d).tolist()
    ([3, 4, 1, 1, 4], [3, 7, 8, 1, 5])
    """
    d = np.diff(cols.astype(np.int64), prepend=0)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1] if len(rows) else np.zeros(0, dtype=np.int64)
    d[starts] = cols[starts]
    return d.astype(np.int32)


def _delta_decode(rows: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    total = np.cumsum(deltas.astype(np.int64))
    base = np.zeros_like(total)
    if len(rows):
        starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
        base[starts] = total[starts] - deltas[starts]
        base = np.maximum.accumulate(base)
    return total - base


def _compact(coef: np.ndarray) -> np.ndarray:
    """float16 when it loses nothing that matters (weights well inside its range)."""
    return coef.astype(np.float16) if np.abs(coef).max(initial=0) < 6e4 else coef


def _expand(y, w, label_sets, secondary_weight):
    """Row indexes, labels and weights, with extra rows for each record's secondary rubrics."""
    rows = list(range(len(y)))
    labels = list(y)
    weights = list(w)
    if label_sets is not None and secondary_weight > 0:
        for i, s in enumerate(label_sets):
            for c in sorted(s):
                if c != y[i]:
                    rows.append(i)
                    labels.append(c)
                    weights.append(w[i] * secondary_weight)
    y = np.asarray(y)
    out = y if len(labels) == len(y) else np.array(labels, dtype=y.dtype if y.dtype.kind in "US" else object)
    rows, weights = np.array(rows), np.array(weights)
    keep = weights > 0  # a zero weight is a row left out, as scikit-learn means it
    return rows[keep], out[keep], weights[keep]
