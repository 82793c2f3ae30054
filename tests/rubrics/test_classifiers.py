"""Classifiers, ensemble, artifact: on INVENTED labelled texts (tests/fixtures/rubrics)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bibmine.rubrics.classifiers import SupervisedClassifier, ZeroShotClassifier, fit_temperature
from bibmine.rubrics.evaluate import metrics
from bibmine.rubrics.features import WordNgramTfidf
from bibmine.rubrics.model import RubricModel


def test_tfidf_features_hand_checked():
    v = WordNgramTfidf(char_ngrams=(3, 3), word_ngrams=1, min_df=1, lemmatize=False).fit(["ab ab", "ab cd"])
    assert v.terms_ == ["<ab", "<cd", "ab>", "cd>", "w:ab", "w:cd"]
    # idf = ln((1+2)/(1+df)) + 1: df(ab)=2 -> 1.0, df(cd)=1 -> 1.405465
    assert np.allclose(v.idf_, [1.0, 1.405465, 1.0, 1.405465, 1.0, 1.405465], atol=1e-6)
    x = v.transform(["ab ab"]).toarray()[0]
    # tf 2 -> 1 + ln 2 for each of the three "ab" terms, then l2 normalisation: each 1/sqrt(3)
    assert np.allclose(x, [1 / np.sqrt(3), 0, 1 / np.sqrt(3), 0, 1 / np.sqrt(3), 0], atol=1e-6)
    meta, arrays = v.get_state()
    w = WordNgramTfidf.from_state(meta, arrays)
    assert (w.transform(["ab cd zz"]) != v.transform(["ab cd zz"])).nnz == 0


def test_fit_temperature_prefers_sharper_scores_for_right_answers():
    s = np.array([[1.0, 0.0]] * 10)
    classes = np.array(["a", "b"])
    assert fit_temperature(s, classes, ["a"] * 10) < fit_temperature(s, classes, ["a"] * 7 + ["b"] * 3)


def test_supervised_beats_zero_shot_on_invented_fixture(invented):
    train, test = invented.subset(range(42)), invented.subset(range(42, 60))
    sup = SupervisedClassifier("tfidf").fit(train.texts, train.labels)
    zs = ZeroShotClassifier("tfidf").fit()
    acc_sup = metrics(test.labels, sup.predict(test.texts))["accuracy"]
    acc_zs = metrics(test.labels, zs.predict(test.texts))["accuracy"]
    assert acc_sup >= 0.9
    assert acc_sup > acc_zs
    assert sup.score(test.texts, test.labels) == pytest.approx(acc_sup, abs=1e-4)  # scikit-learn API
    proba = sup.predict_proba(test.texts)
    assert proba.shape == (18, 6) and np.allclose(proba.sum(axis=1), 1.0)


def test_zero_shot_needs_no_labels_and_knows_every_level1_rubric():
    zs = ZeroShotClassifier("tfidf").fit()
    assert len(zs.classes_) == 69
    texts = ["Эпидемиология и лечение заболеваний сердца у пациентов больницы",
             "Сорта пшеницы, удобрение почвы и урожайность зерновых культур"]
    assert list(zs.predict(texts)) == ["76", "68"]


def test_model_save_load_gives_identical_predictions(small_model, small_model_dir, invented):
    loaded = RubricModel.load(small_model_dir)
    texts = invented.texts[42:]
    assert np.array_equal(small_model.predict_proba(texts), loaded.predict_proba(texts))
    assert small_model.classify(texts, level=2) == loaded.classify(texts, level=2)
    meta = json.loads((small_model_dir / "model.json").read_text(encoding="utf-8"))
    assert meta["format"] == "bibmine-rubrics/1"
    assert [m["name"] for m in meta["level1"]["members"]] == ["tfidf-svm", "tfidf-zeroshot"]
    card = json.loads((small_model_dir / "card.json").read_text(encoding="utf-8"))
    assert card["training_data"][0]["rows"] == 42 and len(card["training_data"][0]["sha256"]) == 64


def test_ensemble_beats_its_zero_shot_part_and_ranks_top_k(small_model, invented):
    test = invented.subset(range(42, 60))
    ens_acc = metrics(test.labels, small_model.predict(test.texts))["accuracy"]
    zs = dict(small_model.level1.members_)["tfidf-zeroshot"]
    assert ens_acc > metrics(test.labels, zs.predict(test.texts))["accuracy"]
    ranked = small_model.classify(test.texts[:3], k=3, threshold=0.0)
    assert all(len(r) == 3 and r[0][1] >= r[1][1] >= r[2][1] for r in ranked)
    strict = small_model.classify(test.texts[:3], k=3, threshold=1.0)
    assert all(len(r) == 1 for r in strict)  # the best rubric is always kept
    level2 = small_model.classify(test.texts[:3], k=2, level=2, threshold=0.0)
    tops = [r[0][0] for r in ranked]
    assert all(r[0][0][:2] in tops[i:i + 1] + [c for c, _ in ranked[i]] for i, r in enumerate(level2))
    assert all(len(code) == 5 for r in level2 for code, _ in r)


def test_secondary_labels_become_weighted_training_rows():
    from bibmine.rubrics.classifiers import _expand

    rows, labels, weights = _expand(np.array(["27", "31"], dtype=object), np.array([1.0, 0.5]),
                                    [frozenset({"27", "29"}), frozenset({"31"})], 0.3)
    assert list(rows) == [0, 1, 0] and list(labels) == ["27", "31", "29"]
    assert np.allclose(weights, [1.0, 0.5, 0.3])


def test_complement_nb_member_is_linear_and_round_trips(invented, tmp_path):
    from bibmine.rubrics.train import fit_model

    train, test = invented.subset(range(42)), invented.subset(range(42, 60))
    cnb = SupervisedClassifier("tfidf", model="cnb", alpha=0.1).fit(train.texts, train.labels)
    assert metrics(test.labels, cnb.predict(test.texts))["accuracy"] >= 0.8
    # the stored weights (feature log-probabilities less their mean over classes) rank as scikit-learn's NB does
    from sklearn.naive_bayes import ComplementNB

    nb = ComplementNB(alpha=0.1).fit(cnb.embedder_.transform(train.texts), train.labels)
    assert list(nb.predict(cnb.embedder_.transform(test.texts))) == list(cnb.predict(test.texts))
    model = fit_model("c", train, [], backends=("tfidf-svm", "tfidf-cnb", "tfidf-zeroshot"), vocabulary_weight=0.0,
                      level2=False, prior_power=0.3)
    loaded = RubricModel.load(model.save(tmp_path / "c"))
    assert np.allclose(model.predict_proba(test.texts), loaded.predict_proba(test.texts), atol=1e-6)
    assert loaded.level1.prior_power == 0.3 and np.isclose(loaded.level1.class_prior_.sum(), 1.0)


def test_prior_correction_divides_by_the_training_prior():
    from bibmine.rubrics.ensemble import EnsembleClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = np.where(X[:, 0] + 0.3 * rng.normal(size=200) > -1.0, "a", "b")  # "a" is 4/5 of the data
    plain = EnsembleClassifier([("svm", SupervisedClassifier("passthrough"))]).fit(X, y)
    fixed = EnsembleClassifier([("svm", SupervisedClassifier("passthrough"))], prior_power=1.0).fit(X, y)
    prior = fixed.class_prior_
    assert prior[0] > 0.7 and np.isclose(prior.sum(), 1.0)
    p, q = plain.predict_proba(X), fixed.predict_proba(X)
    expected = p / prior
    assert np.allclose(q, expected / expected.sum(axis=1, keepdims=True))
    assert (q.argmax(1) == 1).sum() > (p.argmax(1) == 1).sum()  # the rare class wins more close calls
