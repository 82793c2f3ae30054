"""Rubric predictions by model name, for the commands and stages that only need answers.

>>> # predict_texts("grnti-default", ["Почвы Воронежской области"], top_k=2)  # needs the shipped model
"""

from __future__ import annotations

from functools import lru_cache

from bibmine.rubrics.model import RubricModel, resolve_model


@lru_cache(maxsize=4)
def load_model(name: str) -> RubricModel:
    """The model named (or at the path given); "default" is the shipped model."""
    return RubricModel.load(resolve_model(name))


def predict_texts(name: str, texts: list[str], *, top_k: int = 3, level: int = 1) -> list[list[tuple[str, float]]]:
    """Top rubrics (code, score) per text, best first."""
    return load_model(name).classify(texts, k=top_k, level=level)


def classify_with(corpus, name: str, *, top_k: int = 3) -> dict:
    """Automatic assignments for every work of the corpus (manual ones untouched); a summary with the card."""
    from bibmine.rubrics.corpus_ops import classify_corpus

    model = load_model(name)
    summary = classify_corpus(corpus, model, top_k=top_k)
    card = model.card or {}
    return {"name": model.model_id, "card": {k: card.get(k) for k in ("name", "trained", "backends", "metrics",
                                                                        "training_data") if k in card},
            **summary}
