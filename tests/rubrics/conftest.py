"""Shared fixtures for the rubrics tests: a small model trained on INVENTED labelled texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "labels_invented.csv"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "grnti"


@pytest.fixture(scope="session")
def invented():
    from bibmine.rubrics.labels import read_labels

    return read_labels(FIXTURE)


@pytest.fixture(scope="session")
def small_model(invented):
    """TF-IDF SVM + zero-shot trained on the first 42 invented rows (7 per class on average)."""
    from bibmine.rubrics.train import fit_model

    return fit_model("test-small", invented.subset(range(42)), [], vocabulary_weight=0.0)


@pytest.fixture(scope="session")
def small_model_dir(small_model, tmp_path_factory):
    return small_model.save(tmp_path_factory.mktemp("models") / "test-small")
