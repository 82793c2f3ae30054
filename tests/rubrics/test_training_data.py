"""Reading every labelled file (EGISU: keywords, organizations, record kinds), prefix-stem features,
int8 weights with an exact save/load, and the README table built from the cards."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bibmine.rubrics.features import WordNgramTfidf
from bibmine.rubrics.labels import guess_kind, read_labels
from tests.rubrics.conftest import SHARED

EGISU = SHARED / "labeled" / "egisu_moscow2025_a.csv"


@pytest.mark.skipif(not EGISU.exists(), reason="needs ../shared/data/grnti/labeled/")
def test_egisu_rows_with_keywords_organizations_and_kinds():
    d = read_labels(EGISU)
    # 5,101 rows; 9 carry the label 99, which is no GRNTI level-1 rubric, and are rejected with their row
    assert len(d) == 5092 and len(d.rejects) == 9 and d.rejects[0][0] == "row 336"
    assert "is not a GRNTI level-1 rubric" in d.rejects[0][1]
    assert len(set(d.groups)) == 302 and d.groups[0] == "org:1027700451976"  # 302 organizations (OGRN)
    assert Counter(d.kinds) == {"report": 2800, "software": 912, "patent": 880, "database": 364, "other": 136}
    assert d.texts[0].endswith("страхование; страховой рынок Российской Федерации; ESG; страховая организация; ЦУР")


def test_guess_kind_from_the_text():
    assert guess_kind("Программа для ЭВМ «Учёт проб»") == "software"
    assert guess_kind("База данных пациентов с новообразованиями почки") == "database"
    assert guess_kind("Изобретение относится к металлургии") == "patent"
    assert guess_kind("Почвы Воронежской области", "article") == "article"


def test_prefix_stems_need_no_lemmatizer():
    v = WordNgramTfidf(char_ngrams=None, stem=6, extra_stems=(4, 8), lemmatize=False, min_df=1)
    v.fit(["почвы воронежской области", "почвы курска"])
    assert {"w:почвы", "w:вороне област", "p4:почв", "p8:воронежс"} <= set(v.vocabulary_)
    unseen = v.transform(["Почвенный"])  # a word never seen still meets its 4-letter prefix
    assert [v.terms_[i] for i in unseen.indices] == ["p4:почв"]
    ids = {v.terms_[i] for i in v.transform(["Почвы"]).indices}
    assert ids == {"w:почвы", "p4:почв", "p8:почвы"}


def test_int8_weights_save_and_load_exactly(invented, tmp_path):
    from bibmine.rubrics.model import RubricModel
    from bibmine.rubrics.train import fit_model

    model = fit_model("q", invented.subset(range(42)), [], backends=("tfidf-svm",), vocabulary_weight=0.0,
                      level2=False)
    svm = model.level1.members_[0][1]
    assert svm.keep_weights == 0.3 and svm.coef_scale_.dtype == np.float32
    steps = svm.coef_ / svm.coef_scale_[:, None]
    assert np.allclose(steps, np.round(steps), atol=1e-3) and np.abs(steps).max() <= 127.001
    path = model.save(tmp_path / "q")
    with np.load(path / "arrays.npz") as z:
        assert z["l1.m0.coef_q"].dtype == np.int8 and "l1.m0.coef_vals" not in z.files
    texts = invented.texts[42:]
    assert np.array_equal(RubricModel.load(path).predict_proba(texts), model.predict_proba(texts))


def test_readme_table_from_the_cards():
    from bibmine.rubrics.card import readme_table
    from bibmine.rubrics.model import MODELS_DIR

    table = readme_table(MODELS_DIR).splitlines()
    assert table[0].startswith("| model | needs | held-out (709 records)") and len(table) == 4
    assert table[2].startswith("| `grnti-default` | nothing more | 0.") and table[3].startswith("| `grnti-use` |")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "\n".join(table) in readme, "README's rubric table is stale: python -m bibmine.rubrics.card"
