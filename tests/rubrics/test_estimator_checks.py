"""The rubric classifiers keep scikit-learn's estimator contract (issue 23, point 4).

Two kinds of checks, because scikit-learn's ``check_estimator`` feeds numeric 2-D arrays and our
classifiers read texts:

1. ``parametrize_with_checks``: the full suite (API, classifier and input checks) on each trainable
   classifier class, :class:`SupervisedClassifier` (SVM and logistic regression) and
   :class:`EnsembleClassifier`, configured with ``embedder="passthrough"`` (numeric features as
   given), which is how such a classifier runs on features computed elsewhere.  On a text embedder
   the classifiers declare ``input_tags.string`` and not ``two_d_array`` (honest tags), and
   scikit-learn then skips every check, so the text configurations are covered by part 2.
   Checks expected to fail are listed in :data:`EXPECTED_FAILED`, each with its reason; checks left
   out of the run (so they neither skip nor fail) are listed in :data:`NOT_RUN`, each with its reason:
   ``check_array_api_input`` only runs with ``SCIPY_ARRAY_API=1`` set before SciPy is first imported
   (a process-wide switch that would change SciPy for every other test of the session), and skips
   otherwise; the classifiers declare no array API support (liblinear and the TF-IDF embedders need
   NumPy / SciPy sparse), so it would only confirm that dispatch on NumPy inputs changes nothing.
2. For every classifier class on texts (TF-IDF; :class:`ZeroShotClassifier` exists only on texts,
   its classes are the rubricator's and its features are the rubric descriptions' space): the
   scikit-learn checks that need no data, and the same contract written for texts: ``fit`` leaves
   the parameters untouched (the ensemble's members and a shared embedder object stay unfitted),
   fitted state only in attributes ending in ``_``, a ``clone`` learns its own TF-IDF vocabulary
   (no leak across folds), unfitted use raises ``NotFittedError``, fitting is idempotent, pickling
   keeps predictions, predictions do not depend on the order or the company of other texts, and
   no embedder does work in ``__init__``.
"""

from __future__ import annotations

import pickle
from functools import partial

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.utils import estimator_checks as ec

from bibmine.rubrics.classifiers import SupervisedClassifier, ZeroShotClassifier
from bibmine.rubrics.embedders import SentenceTransformerEmbedder, TfidfEmbedder, UseEmbedder
from bibmine.rubrics.ensemble import EnsembleClassifier

SAMPLE_WEIGHT = ("the linear model is LinearSVC / LogisticRegression, for which scikit-learn itself expects "
                 "this check to fail (liblinear's sample_weight is not equivalent to repeating or removing "
                 "rows); besides, the temperature is chosen on out-of-fold scores, and repeated rows fall "
                 "into other folds than a weighted row does")
EXPECTED_FAILED = {
    "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT,
    "check_sample_weight_equivalence_on_sparse_data": SAMPLE_WEIGHT,
}


NOT_RUN = {
    "check_array_api_input": "needs SCIPY_ARRAY_API=1 before SciPy is imported (process-wide) and skips "
                             "without it; no array API support is declared (liblinear needs NumPy)",
}


def numeric_estimators():
    return [
        SupervisedClassifier("passthrough"),
        SupervisedClassifier("passthrough", model="logreg", C=1.0),
        EnsembleClassifier([("svm", SupervisedClassifier("passthrough")),
                            ("logreg", SupervisedClassifier("passthrough", model="logreg", C=1.0))],
                           weights=[1.0, 0.5]),
    ]


def _check_name(check) -> str:
    while isinstance(check, partial):
        check = check.func
    return check.__name__


def sklearn_checks():
    """scikit-learn's checks as ``parametrize_with_checks`` yields them (expected failures as strict-less
    xfail), less :data:`NOT_RUN`."""
    for est in numeric_estimators():
        for item in ec.estimator_checks_generator(est, expected_failed_checks=EXPECTED_FAILED, mark="xfail"):
            check = (item.values if hasattr(item, "marks") else item)[1]
            if _check_name(check) not in NOT_RUN:
                yield item


CHECKS = list(sklearn_checks())


@pytest.mark.parametrize("estimator, check", CHECKS, ids=ec._get_check_estimator_ids)
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


def test_checks_left_out_are_only_the_listed_ones():
    every = {_check_name(c) for est in numeric_estimators() for _, c in ec.estimator_checks_generator(est)}
    run = {_check_name((i.values if hasattr(i, "marks") else i)[1]) for i in CHECKS}
    assert set(NOT_RUN) <= every  # still a scikit-learn check: drop the entry when it goes
    assert every - run == set(NOT_RUN)


# ------------------------------------------------------------------------------------------- on texts
def text_estimators():
    shared = TfidfEmbedder(min_df=1, char_ngrams=(3, 4))  # one embedder object shared by two members
    return {
        "supervised": SupervisedClassifier(TfidfEmbedder(min_df=1)),
        "zeroshot": ZeroShotClassifier("tfidf"),
        "ensemble": EnsembleClassifier([("tfidf-svm", SupervisedClassifier(shared)),
                                        ("tfidf-zeroshot", ZeroShotClassifier(shared))], weights=[1.0, 0.15]),
    }


NO_DATA_CHECKS = [ec.check_estimator_cloneable, ec.check_no_attributes_set_in_init,
                  ec.check_parameters_default_constructible, ec.check_get_params_invariance, ec.check_set_params,
                  ec.check_estimator_repr, ec.check_do_not_raise_errors_in_init_or_set_params, ec.check_mixin_order,
                  ec.check_valid_tag_types, ec.check_estimator_tags_renamed]


@pytest.mark.parametrize("kind", ["supervised", "zeroshot", "ensemble"])
@pytest.mark.parametrize("check", NO_DATA_CHECKS, ids=lambda c: c.__name__)
def test_text_classifiers_pass_the_checks_that_need_no_data(kind, check):
    est = text_estimators()[kind]
    check(type(est).__name__, est)


def test_text_classifiers_declare_string_input():
    for est in text_estimators().values():
        tags = est.__sklearn_tags__()
        assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert SupervisedClassifier("passthrough").__sklearn_tags__().input_tags.two_d_array


def _data(invented, idx):
    return [invented.texts[i] for i in idx], [invented.labels[i] for i in idx]


@pytest.mark.parametrize("kind", ["supervised", "zeroshot", "ensemble"])
def test_fit_keeps_parameters_and_puts_state_in_underscore_attributes(kind, invented):
    est = text_estimators()[kind]
    params_before = joblib.hash(est.get_params())
    public_before = {k for k in vars(est) if not k.startswith("_")}
    X, y = _data(invented, range(42))
    assert est.fit(X, y) is est
    assert joblib.hash(est.get_params()) == params_before
    added = {k for k in vars(est) if not k.startswith("_")} - public_before
    assert added and all(k.endswith("_") for k in added), added
    # the parameters themselves were not fitted: the embedder parameter has no vocabulary, members no weights
    embedders = [est.embedder] if kind != "ensemble" else [m.embedder for _, m in est.members]
    assert all(not hasattr(e, "vectorizer_") for e in embedders)
    if kind == "ensemble":
        assert all(not hasattr(m, "classes_") for _, m in est.members)
        assert all(hasattr(m, "classes_") for _, m in est.members_)
        assert est.members_[0][1].embedder_ is est.members_[1][1].embedder_  # still shared once fitted


@pytest.mark.parametrize("kind", ["supervised", "zeroshot", "ensemble"])
def test_unfitted_use_raises_not_fitted(kind, invented):
    est = text_estimators()[kind]
    for method in ("predict", "predict_proba"):
        with pytest.raises(NotFittedError):
            getattr(est, method)(invented.texts[:2])
    fitted = est.fit(*_data(invented, range(42)))
    with pytest.raises(NotFittedError):
        clone(fitted).predict(invented.texts[:2])  # a clone is a new, unfitted estimator


def _vocabulary(est) -> set[str]:
    emb = est.embedder_ if hasattr(est, "embedder_") else next(iter(est.embedders_.values()))
    return set(emb.vectorizer_.terms_)


@pytest.mark.parametrize("kind", ["supervised", "zeroshot", "ensemble"])
def test_a_clone_learns_its_own_vocabulary(kind, invented):
    """No leak across folds: a clone of a fitted model fitted on fold B knows no word seen only in fold A."""
    first = text_estimators()[kind].fit(*_data(invented, range(0, 30)))
    second = clone(first).fit(*_data(invented, range(30, 60)))
    fresh = clone(text_estimators()[kind]).fit(*_data(invented, range(30, 60)))
    only_a = _vocabulary(first) - _vocabulary(fresh)
    assert only_a, "fold A should have terms fold B lacks"
    assert not (only_a & _vocabulary(second))
    assert _vocabulary(second) == _vocabulary(fresh)
    texts = invented.texts[:10]
    assert np.allclose(second.predict_proba(texts), fresh.predict_proba(texts))


@pytest.mark.parametrize("kind", ["supervised", "zeroshot", "ensemble"])
def test_fit_is_idempotent_pickles_and_ignores_order_and_company(kind, invented):
    est = text_estimators()[kind]
    X, y = _data(invented, range(42))
    test = invented.texts[42:]
    p1 = est.fit(X, y).predict_proba(test)
    assert np.allclose(est.fit(X, y).predict_proba(test), p1)
    assert np.allclose(pickle.loads(pickle.dumps(est)).predict_proba(test), p1)
    order = np.random.default_rng(0).permutation(len(test))
    assert np.allclose(est.predict_proba([test[i] for i in order]), p1[order])
    assert np.allclose(est.predict_proba(test[:3]), p1[:3])
    assert list(est.predict(test)) == list(est.classes_[p1.argmax(axis=1)])


def test_grouped_cross_validation_with_sklearn_tools(invented):
    """scikit-learn's own CV clones the classifier per fold: it works on texts and refits the vocabulary."""
    groups = [i // 3 for i in range(len(invented))]
    scores = cross_val_score(SupervisedClassifier(TfidfEmbedder(min_df=1)), invented.texts, invented.labels,
                             groups=groups, cv=GroupKFold(3))
    assert len(scores) == 3 and scores.mean() > 0.5


def test_text_classifiers_reject_non_text_input(invented):
    est = text_estimators()["supervised"].fit(*_data(invented, range(42)))
    with pytest.raises(ValueError, match="one string"):
        est.predict("Почвы Воронежской области")
    with pytest.raises(ValueError, match="passthrough"):
        est.predict(np.zeros((2, 3)))


def test_no_embedder_does_work_in_init(monkeypatch):
    import bibmine.rubrics.embedders as emb

    def refuse(*args, **kwargs):
        raise AssertionError("an encoder was loaded in __init__")

    monkeypatch.setattr(emb, "_load_use", refuse)
    monkeypatch.setattr(emb, "_load_st", refuse)
    monkeypatch.setattr(emb, "resolve_model_path", refuse)
    use = UseEmbedder()
    st = SentenceTransformerEmbedder("no_such_model_package_xyz")
    tfidf = TfidfEmbedder()
    assert not [k for e in (use, st, tfidf) for k in vars(e) if k.endswith("_")]
    assert clone(use) is use and clone(st) is st  # frozen pretrained encoders: clone shares them
    assert clone(tfidf) is not tfidf
    with pytest.raises(AssertionError, match="loaded"):
        st.fit()  # loading happens at fit (or first transform), and only then
