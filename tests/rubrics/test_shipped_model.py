"""The shipped default model (models/grnti-default): small, loads with the light dependencies, sensible."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bibmine.rubrics.model import MODELS_DIR, RubricModel

PATH = MODELS_DIR / "grnti-default"


def test_artifact_is_small_and_documented():
    size = sum(p.stat().st_size for p in PATH.iterdir())
    assert size < 20 * 2**20
    card = json.loads((PATH / "card.json").read_text(encoding="utf-8"))
    assert card["backends"] == ["tfidf-svm", "tfidf-zeroshot"]
    assert {"accuracy", "macro_f1", "kappa", "in_set_accuracy"} <= set(card["cv"]["tfidf-svm"])
    md = (PATH / "card.md").read_text(encoding="utf-8")
    assert "5-fold cross-validation" in md and "Held-out evaluation" in md


def test_default_model_assigns_obvious_rubrics():
    model = RubricModel.load("grnti-default")
    texts = [
        "Существование и единственность решения краевой задачи для дифференциального уравнения "
        "с частными производными; доказана теорема об устойчивости",
        "Клиническая эффективность терапии у пациентов с артериальной гипертензией и сахарным диабетом",
        "Урожайность сортов озимой пшеницы на черноземе при внесении минеральных удобрений",
        "Рассеяние нейтронов и спектроскопия элементарных частиц в физике высоких энергий",
    ]
    ranked = model.classify(texts, k=3)
    assert [r[0][0] for r in ranked] == ["27", "76", "68", "29"]
    proba = model.predict_proba(texts)
    assert np.allclose(proba.sum(axis=1), 1.0) and proba.shape[1] == 69
    level2 = model.classify(texts[2:3], k=1, level=2)[0]
    assert level2[0][0].startswith("68.")


@pytest.mark.xfail(strict=True, reason="known limitation: the default model is trained on Russian texts only, "
                   "so English texts fall to rubric 34; strict, so this fails loudly once it is fixed")
def test_default_model_on_english_texts():
    model = RubricModel.load("grnti-default")
    texts = ["Superconductivity and electron transport in thin films of cuprates at low temperatures",
             "Powder metallurgy of iron-based composites for agricultural machinery"]
    assert [r[0][0] for r in model.classify(texts, k=1)] == ["29", "53"]
