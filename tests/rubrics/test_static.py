"""Static word-stem vectors (bibmine.rubrics.static): invented 2-d tables, hand-checkable figures."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from bibmine.rubrics.classifiers import SupervisedClassifier, ZeroShotClassifier
from bibmine.rubrics.embedders import embedder_from_state, make_embedder
from bibmine.rubrics.static import TABLE_PATH, StaticEmbedder, StaticTable, load_table, save_table


def toy() -> StaticTable:
    """4-letter stems: почв -> (1, 0), ген -> (0, 1), cell -> (1, 1); counts 3, 1, 1."""
    return StaticTable(["почв", "ген", "cell"], np.array([[1, 0], [0, 1], [1, 1]], np.float32),
                       np.array([3, 1, 1]), {"stem": 4}, stem=4)


def test_words_are_looked_up_by_their_stem():
    t = toy()
    assert [t.row(w) for w in ("почва", "почвы", "ген", "cells", "кот", "генов")] == [0, 0, 1, 2, -1, -1]


def test_idf_weighted_mean_hand_checked():
    # fit texts: "почва ген" and "почвы": df(почв) = 2, df(ген) = 1, df(cell) = 0; n = 2
    # idf = ln((1 + n) / (1 + df)) + 1 -> почв 1.0, ген ln(1.5) + 1 = 1.405465, cell ln 3 + 1 = 2.098612
    emb = StaticEmbedder(table=toy(), sublinear=False).fit(["почва ген", "почвы"])
    assert np.allclose(emb.weights_, [1.0, 1.405465, 2.098612], atol=1e-6)
    x = emb.transform(["почва ген ген кот"])[0]
    # tf: почв 1, ген 2 (кот unknown) -> 1.0 * (1, 0) + 2 * 1.405465 * (0, 1), then l2 normalized
    v = np.array([1.0, 2 * 1.405465])
    assert np.allclose(x, v / np.linalg.norm(v), atol=1e-6)
    # sublinear tf: ген counts 1 + ln 2
    y = StaticEmbedder(table=toy()).fit(["почва ген", "почвы"]).transform(["почва ген ген"])[0]
    v = np.array([1.0, (1 + np.log(2)) * 1.405465])
    assert np.allclose(y, v / np.linalg.norm(v), atol=1e-6)


def test_text_without_a_known_word_is_a_zero_vector_and_dims_cut_the_table():
    emb = StaticEmbedder(table=toy(), weighting="none").fit()
    assert np.array_equal(emb.transform(["кот и пёс", ""]), np.zeros((2, 2), np.float32))
    assert emb.transform(["cell"])[0] == pytest.approx([2**-0.5, 2**-0.5])
    one = StaticEmbedder(table=toy(), dims=1, weighting="none").fit()
    assert one.dim == 1 and one.transform(["cell", "ген"]).tolist() == [[1.0], [0.0]]


def test_sif_weights_from_the_table_counts():
    # p = count / 5: почв 0.6, ген 0.2 -> a / (a + p) with a = 0.2: 0.25 and 0.5
    emb = StaticEmbedder(table=toy(), weighting="sif", sif_a=0.2).fit()
    assert np.allclose(emb.weights_, [0.25, 0.5, 0.5])
    with pytest.raises(ValueError, match="weighting"):
        StaticEmbedder(table=toy(), weighting="bm25").fit()


def test_table_file_round_trip_and_state(tmp_path):
    path = save_table(tmp_path / "toy.npz", ["почв", "ген", "cell"], np.array([[1, 0], [0, 1], [1, 1]]),
                      [3, 1, 1], {"stem": 4, "source": "invented"})
    tab = load_table(str(path))
    assert tab.stems == ["почв", "ген", "cell"] and tab.meta["source"] == "invented" and tab.stem == 4
    assert np.allclose(tab.vectors, [[1, 0], [0, 1], [1, 1]], atol=1 / 127)  # int8 steps of max |row| / 127
    emb = make_embedder("static", table=str(path)).fit(["почва ген", "почвы"])
    meta, arrays = emb.get_state()
    back = embedder_from_state(json.loads(json.dumps(meta)), arrays)
    texts = ["почвы и гены", "cells", "кот"]
    assert np.array_equal(back.transform(texts), emb.transform(texts))
    with pytest.raises(ValueError, match="cannot be stored"):
        StaticEmbedder(table=toy()).fit().get_state()


def test_clone_is_unfitted_and_fit_learns_only_the_idf():
    emb = StaticEmbedder(table=toy())
    fitted = emb.fit(["почва"])
    c = clone(fitted)
    assert not hasattr(c, "weights_") and c.get_params() == emb.get_params()


def test_supervised_and_zero_shot_members_on_static_vectors():
    emb = StaticEmbedder(table=toy())
    texts = ["почва почвы", "почвенный покров", "ген генов", "генетика генома"]
    clf = SupervisedClassifier(emb, model="logreg", C=10.0, calibration_folds=0).fit(texts, ["68", "68", "34", "34"])
    assert list(clf.predict(["почвы", "гены"])) == ["68", "34"]
    assert not hasattr(emb, "weights_")  # the parameter itself is never fitted
    zs = ZeroShotClassifier(StaticEmbedder(table=toy())).fit()
    assert len(zs.classes_) == 69


@pytest.mark.skipif(not TABLE_PATH.exists(), reason="the static table is not committed (no shipped model uses it): "
                    "scripts/distill_static_vectors.py builds it")
def test_built_table_is_small_named_and_cross_lingual():
    assert TABLE_PATH.stat().st_size <= 15e6
    tab = load_table(str(TABLE_PATH))
    assert "USE multilingual v3" in tab.meta["source"] and tab.meta["script"] == "scripts/distill_static_vectors.py"
    assert tab.stem == 6 and tab.vectors.shape == (len(tab.stems), tab.meta["dims"])
    v = {s: tab.vectors[tab.index[s]] / np.linalg.norm(tab.vectors[tab.index[s]])
         for s in ("полупр", "semico", "медици", "medici")}
    # a Russian stem is nearer its English translation than another field's Russian stem
    assert v["полупр"] @ v["semico"] > v["полупр"] @ v["медици"]
    assert v["медици"] @ v["medici"] > v["медици"] @ v["semico"]


TOPICS = {  # invented: each class's words of tests/fixtures/rubrics/labels_invented.csv point one way
    "06": "предприятие налог бюджет спрос инвестиции кредит инфляция рынок доход",
    "27": "теорема функция пространство группа алгебра граф доказательство уравнение интеграл",
    "31": "кислота молекула реакция полимер спектроскопия соединение синтез раствор катализатор",
    "34": "белок экспрессия популяция мембрана организм ген клетка митохондрия фермент",
    "68": "почва кормление пшеница скот урожайность чернозем агротехника удобрение посев",
    "76": "препарат клинический терапия больница хирургия заболевание диагностика пациент лечение",
}


def topic_table(path):
    """A 6-d table: the 6-letter stem of each topic word -> the one-hot vector of its class."""
    stems, rows = [], []
    for k, words in enumerate(TOPICS.values()):
        for w in words.split():
            if w[:6] not in stems:
                stems.append(w[:6])
                rows.append(np.eye(6)[k])
    return save_table(path, stems, np.array(rows), [1] * len(stems), {"stem": 6, "source": "invented"})


def test_a_static_member_trains_pools_and_round_trips_in_a_model(tmp_path, invented):
    from bibmine.rubrics.model import RubricModel
    from bibmine.rubrics.train import fit_model

    table = topic_table(tmp_path / "topics.npz")
    train, test = invented.subset(range(42)), invented.subset(range(42, 60))
    model = fit_model("test-static", train, [], backends=("tfidf-svm", "static-logreg"), vocabulary_weight=0.0,
                      weights={"tfidf-svm": 0.5, "static-logreg": 0.5}, static_params={"table": str(table)},
                      dense_params={"C": 10.0})
    assert list(model.level1.embedders_) == ["tfidf", "static"]
    static = model.level1.members_[1][1]
    # alone, the static member reads the topic from the topic words (other forms of them: same stems)
    assert list(static.predict(["катализатор и полимеры", "хирургия, терапия"])) == ["31", "76"]
    assert (model.predict(test.texts) == np.array(test.labels)).mean() >= 0.9
    loaded = RubricModel.load(model.save(tmp_path / "m"))
    assert np.array_equal(loaded.predict_proba(test.texts), model.predict_proba(test.texts))
    assert loaded.classify(test.texts[:2], level=2) == model.classify(test.texts[:2], level=2)


def test_estimator_contract_on_static_vectors(tmp_path, invented):
    """The checks of test_estimator_checks.py that need no data, and fit/clone/pickle/order on texts."""
    import pickle

    import joblib
    from sklearn.utils import estimator_checks as ec

    table = str(topic_table(tmp_path / "topics.npz"))
    for est in (StaticEmbedder(table=table), SupervisedClassifier(StaticEmbedder(table=table), model="logreg")):
        for check in (ec.check_no_attributes_set_in_init, ec.check_get_params_invariance, ec.check_set_params,
                      ec.check_estimator_cloneable, ec.check_estimator_repr):
            check(type(est).__name__, est)
    clf = SupervisedClassifier(StaticEmbedder(table=table), model="logreg", C=10.0)
    before = joblib.hash(clf.get_params())
    X, y, test = invented.texts[:42], invented.labels[:42], invented.texts[42:]
    p1 = clf.fit(X, y).predict_proba(test)
    assert joblib.hash(clf.get_params()) == before and not hasattr(clf.embedder, "weights_")
    assert np.allclose(clf.fit(X, y).predict_proba(test), p1)
    assert np.allclose(pickle.loads(pickle.dumps(clf)).predict_proba(test), p1)
    assert np.allclose(clf.predict_proba(test[::-1]), p1[::-1]) and np.allclose(clf.predict_proba(test[:3]), p1[:3])
    assert np.allclose(clone(clf).fit(X, y).predict_proba(test), p1)
