"""Static word-stem vectors: dense semantic features at the cost of a dictionary look-up per word.

A text's vector is the weighted mean of the vectors of its words' stems (first :data:`STEM` letters,
the default TF-IDF's stems), looked up in a table distilled offline from the multilingual Universal
Sentence Encoder (every word form encoded alone, stems averaged, PCA; ``scripts/distill_static_vectors.py``,
``data/SOURCES.md``).  Russian and English words share the encoder's space, so an English text lands
near the Russian texts of its field.  No encoder runs at prediction time: thousands of records/s.

>>> emb = StaticEmbedder(table=_toy_table()).fit(["почва почвы", "ген"])
>>> X = emb.transform(["Почвы", "ген почвы", "zzz"])
>>> X.shape, [round(float(v), 3) for v in (X * X).sum(axis=1)]
((3, 2), [1.0, 1.0, 0.0])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from bibmine.rubrics.embedders import Embedder, as_texts
from bibmine.rubrics.features import tokens
from bibmine.rubrics.text import WORD_CACHE_SIZE

STEM = 6  # letters of a word that key the table (the default TF-IDF's stem)
TABLE_NAME = "static-use-stem6"
TABLE_PATH = Path(str(files("bibmine.rubrics").joinpath("data", TABLE_NAME + ".npz")))


@dataclass(eq=False)
class StaticTable:
    """Stems (row index), their vectors (float32), their counts in the distillation corpus, build notes."""

    stems: list[str]
    vectors: np.ndarray
    counts: np.ndarray
    meta: dict = field(default_factory=dict)
    stem: int = STEM

    def __post_init__(self) -> None:
        self.index = {s: i for i, s in enumerate(self.stems)}
        self._words: dict[str, int] = {}  # word form -> row (-1: none); a memo, bounded

    def __deepcopy__(self, memo) -> StaticTable:
        return self  # read-only data: a clone of an embedder shares its table

    def row(self, word: str) -> int:
        i = self._words.get(word)
        if i is None:
            i = self.index.get(word[: self.stem], -1)
            if len(self._words) < WORD_CACHE_SIZE:
                self._words[word] = i
        return i

    @classmethod
    def from_arrays(cls, z) -> StaticTable:
        raw = z["stems"].tobytes().decode("utf-8")
        vectors = z["vectors"].astype(np.float32) * z["scale"].astype(np.float32)[:, None]
        meta = json.loads(z["meta"].tobytes().decode("utf-8"))
        return cls(raw.split("\n") if raw else [], vectors, z["counts"].astype(np.int64), meta,
                   int(meta.get("stem", STEM)))


def save_table(path: str | Path, stems: list[str], vectors: np.ndarray, counts, meta: dict) -> Path:
    """Write a table file: vectors as int8 steps of a per-row scale (max |value| / 127), stems as one
    UTF-8 blob, ``meta`` as JSON (no pickles: ``load_table`` reads it with ``allow_pickle=False``)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    scale = np.abs(vectors).max(axis=1) / 127.0 if len(vectors) else np.zeros(0, np.float32)
    scale[scale == 0] = 1.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, stems=np.frombuffer("\n".join(stems).encode("utf-8"), dtype=np.uint8), vectors=q,
                        scale=scale.astype(np.float32), counts=np.asarray(counts, dtype=np.int32),
                        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8))
    return path


@lru_cache(maxsize=4)
def load_table(path: str) -> StaticTable:
    """A table file (``.npz`` written by the distillation script), loaded once per process."""
    p = Path(path)
    if not p.exists():
        p = Path(str(files("bibmine.rubrics").joinpath("data", f"{path}.npz")))
    if not p.exists():
        raise FileNotFoundError(f"no static vector table {path!r} (build it: scripts/distill_static_vectors.py)")
    with np.load(p, allow_pickle=False) as z:
        return StaticTable.from_arrays(z)


class StaticEmbedder(Embedder):
    """Weighted mean of static stem vectors, L2-normalized (a text with no known word: zeros).

    - ``table``: a table name in ``bibmine/rubrics/data`` or a path (or a :class:`StaticTable`);
    - ``dims``: the first ``dims`` principal components (the table's PCA order), all when None;
    - ``weighting``: ``idf`` (learned by ``fit`` from the training texts, smooth, as TF-IDF's),
      ``sif`` (a / (a + p(stem)), p from the table's counts) or ``none``; ``sublinear``: 1 + log(tf).

    ``fit`` learns the idf only; the table is pretrained and shared by every instance of a process.
    """

    name = "static"

    def __init__(self, table=TABLE_NAME, dims: int | None = None, weighting: str = "idf", sublinear: bool = True,
                 sif_a: float = 1e-3):
        self.table = table
        self.dims = dims
        self.weighting = weighting
        self.sublinear = sublinear
        self.sif_a = sif_a

    def _table(self) -> StaticTable:
        return self.table if isinstance(self.table, StaticTable) else load_table(str(self.table))

    @property
    def model_id(self) -> str:
        name = "table" if isinstance(self.table, StaticTable) else Path(str(self.table)).stem
        return f"static-{name}-{self.dims or 'all'}-{self.weighting}"

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        tab = self._table()
        indptr, ids = [0], []
        for t in texts:
            rows = [r for r in map(tab.row, tokens(t)) if r >= 0]
            ids.extend(rows)
            indptr.append(len(ids))
        m = sp.csr_matrix((np.ones(len(ids), np.float32), np.array(ids, dtype=np.int32), np.array(indptr)),
                          shape=(len(texts), len(tab.stems)))
        m.sum_duplicates()
        return m

    def fit(self, texts=None, y=None) -> StaticEmbedder:
        if self.weighting not in ("idf", "sif", "none"):
            raise ValueError(f"unknown weighting {self.weighting!r}: idf, sif or none")
        tab = self._table()
        texts = [] if texts is None else as_texts(texts)
        if self.weighting == "idf":
            df = np.bincount(self._counts(texts).indices, minlength=len(tab.stems)) if texts else 0
            self.weights_ = (np.log((1 + len(texts)) / (1 + df + np.zeros(len(tab.stems)))) + 1.0).astype(np.float32)
        elif self.weighting == "sif":
            p = tab.counts / max(tab.counts.sum(), 1)
            self.weights_ = (self.sif_a / (self.sif_a + p)).astype(np.float32)
        else:
            self.weights_ = np.ones(len(tab.stems), np.float32)
        self.n_features_in_ = self.dim
        return self

    @property
    def dim(self) -> int:
        d = self._table().vectors.shape[1]
        return min(self.dims, d) if self.dims else d

    def transform(self, texts) -> np.ndarray:
        check_is_fitted(self, "weights_")
        texts = as_texts(texts)
        m = self._counts(texts)
        if self.sublinear:
            m.data = 1.0 + np.log(m.data)
        m.data *= self.weights_[m.indices]
        X = np.asarray(m @ self._table().vectors[:, : self.dim], dtype=np.float32)
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return X / norms

    def get_state(self):
        if isinstance(self.table, StaticTable):
            raise ValueError("a StaticEmbedder on an in-memory table cannot be stored; name a table file")
        params = {"table": str(self.table), "dims": self.dims, "weighting": self.weighting,
                  "sublinear": self.sublinear, "sif_a": self.sif_a}
        return {"spec": "static", "params": params}, {"weights": self.weights_.astype(np.float32)}

    @classmethod
    def from_state(cls, meta, arrays) -> StaticEmbedder:
        obj = cls(**meta["params"])
        obj.weights_ = arrays["weights"].astype(np.float32)
        if len(obj.weights_) != len(obj._table().stems):
            raise ValueError(f"static table {obj.table!r} has {len(obj._table().stems)} stems, the model was "
                             f"trained with {len(obj.weights_)}: rebuild the model or restore the table")
        obj.n_features_in_ = obj.dim
        return obj


def _toy_table() -> StaticTable:
    """Three 4-letter stems in 2-d, for examples and tests: почв(а) -> x, ген -> y, cell -> x + y."""
    return StaticTable(["почв", "ген", "cell"], np.array([[1, 0], [0, 1], [1, 1]], np.float32),
                       np.array([3, 1, 1]), {"stem": 4}, stem=4)
