"""Fast lexical features: TF-IDF over word lemmas (1-2-grams) and over character n-grams of words.

scikit-learn's ``char_wb`` analyzer rebuilds every n-gram of every word of every document in
Python (about 250 records/s here).  :class:`WordNgramTfidf` computes the same kind of features
once per distinct word form and caches the feature indexes of the word, so a document costs one
dictionary look-up per word; this makes the lexical pipeline run at thousands of records/s.

>>> v = WordNgramTfidf(char_ngrams=(3, 4), min_df=1).fit(["почвы воронежа", "почвы курска"])
>>> X = v.transform(["Почвы Воронежа!"])
>>> X.shape[0], round(float((X.multiply(X)).sum()), 6)
(1, 1.0)
>>> "<по" in v.vocabulary_, "поч" in v.vocabulary_
(True, True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from bibmine.rubrics.text import WORD_CACHE_SIZE, lemma

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, ё folded to е.

    >>> tokens("Ёлки-палки, 2021 г.")
    ['елки', 'палки', '2021', 'г']
    """
    return _TOKEN.findall(text.lower().replace("ё", "е"))


def word_char_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of ``<word>`` (with boundary marks).

    >>> word_char_ngrams("кот", (2, 3))
    ['<к', 'ко', 'от', 'т>', '<ко', 'кот', 'от>']
    """
    w = f"<{word}>"
    lo, hi = ngram_range
    out = []
    for n in range(lo, min(hi, len(w)) + 1):
        out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


class WordNgramTfidf:
    """TF-IDF (sublinear tf, smooth idf, l2 rows) over two feature families of a text.

    - ``w:`` word lemmas and ``w:a b`` lemma bigrams when ``word_ngrams`` reaches 2; with ``stem`` = n
      > 0 a word's first n letters stand for its lemma (no pymorphy3: unseen texts cost no
      dictionary look-ups, which were 3/4 of the time of a cold pass); ``extra_stems`` add each word's
      prefixes of those lengths as further unigram terms (``p4:почв``), a cheap stand-in for
      character n-grams (one dictionary look-up each, cached per word form);
    - character n-grams of each word form (``char_ngrams``), weighted by ``char_weight``.

    Parameters follow scikit-learn; ``fit`` learns the vocabulary (terms seen in at least
    ``min_df`` documents, the ``max_features`` most frequent) and idf.
    """

    def __init__(
        self,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        max_features: int | None = None,
        char_weight: float = 1.0,
        lemmatize: bool = True,
        stem: int = 0,
        extra_stems: tuple[int, ...] = (),
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.min_df = min_df
        self.max_features = max_features
        self.char_weight = char_weight
        self.lemmatize = lemmatize
        self.stem = stem
        self.extra_stems = tuple(extra_stems)

    # --------------------------------------------------------------- analysis
    def _lemma(self, word: str) -> str:
        if self.stem:  # a prefix stem: no dictionary, the same cost for a word never seen
            return word[: self.stem]
        return lemma(word) if self.lemmatize else word

    def _word_terms(self, word: str) -> list[str]:
        terms = ["w:" + self._lemma(word)] if self.word_ngrams >= 1 else []
        terms.extend(f"p{n}:{word[:n]}" for n in self.extra_stems)
        if self.char_ngrams:
            terms.extend(word_char_ngrams(word, self.char_ngrams))
        return terms

    def analyze(self, text: str) -> list[str]:
        """All terms of a text (before the vocabulary filter)."""
        words = tokens(text)
        out: list[str] = []
        for w in words:
            out.extend(self._word_terms(w))
        if self.word_ngrams >= 2:
            lem = [self._lemma(w) for w in words]
            out.extend(f"w:{a} {b}" for a, b in zip(lem, lem[1:], strict=False))
        return out

    # -------------------------------------------------------------------- fit
    def fit(self, texts: Iterable[str], y=None) -> WordNgramTfidf:
        texts = list(texts)
        df: Counter[str] = Counter()
        for t in texts:
            df.update(set(self.analyze(t)))
        terms = [t for t, c in df.items() if c >= self.min_df]
        if self.max_features and len(terms) > self.max_features:
            terms.sort(key=lambda t: (-df[t], t))
            terms = terms[: self.max_features]
        terms.sort()
        n = len(texts)
        idf = np.log((1 + n) / (1 + np.array([df[t] for t in terms], dtype=np.float64))) + 1.0
        self._set(terms, idf.astype(np.float32))
        return self

    def _set(self, terms: list[str], idf: np.ndarray) -> None:
        self.terms_ = list(terms)
        self.vocabulary_ = {t: i for i, t in enumerate(self.terms_)}
        weights = np.array([1.0 if t.startswith("w:") else self.char_weight for t in self.terms_])
        self.idf_ = np.asarray(idf, dtype=np.float32)
        self.term_scale_ = (self.idf_ * weights).astype(np.float32)
        self._cache: dict[str, np.ndarray] = {}  # word form -> its feature ids (a memo, not fitted state)

    @property
    def n_features(self) -> int:
        return len(self.terms_)

    # -------------------------------------------------------------- transform
    def _word_ids(self, word: str) -> np.ndarray:
        ids = self._cache.get(word)
        if ids is None:
            voc = self.vocabulary_
            ids = np.array([voc[t] for t in self._word_terms(word) if t in voc], dtype=np.int32)
            if len(self._cache) < WORD_CACHE_SIZE:  # bounded: rare words past the cap are recomputed
                self._cache[word] = ids
        return ids

    def _doc_ids(self, text: str) -> np.ndarray:
        words = tokens(text)
        parts = [self._word_ids(w) for w in words]
        if self.word_ngrams >= 2 and len(words) > 1:
            voc = self.vocabulary_
            lem = [self._lemma(w) for w in words]
            bi = [voc.get(f"w:{a} {b}", -1) for a, b in zip(lem, lem[1:], strict=False)]
            parts.append(np.array([i for i in bi if i >= 0], dtype=np.int32))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Rows of sublinear-tf x idf, l2-normalized; duplicates are summed in one sparse pass."""
        indptr = [0]
        chunks: list[np.ndarray] = []
        for t in texts:
            ids = self._doc_ids(t)
            chunks.append(ids)
            indptr.append(indptr[-1] + len(ids))
        n = len(indptr) - 1
        indices = np.concatenate(chunks) if chunks else np.zeros(0, np.int32)
        X = sp.csr_matrix(
            (np.ones(len(indices), np.float32), indices, np.array(indptr, dtype=np.int64)),
            shape=(n, self.n_features),
        )
        X.sum_duplicates()
        X.data = (1.0 + np.log(X.data)) * self.term_scale_[X.indices]
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        X.data /= np.repeat(norms, np.diff(X.indptr)).astype(np.float32)
        return X

    def fit_transform(self, texts: Iterable[str], y=None) -> sp.csr_matrix:
        texts = list(texts)
        return self.fit(texts).transform(texts)

    # ------------------------------------------------------------------ state
    def get_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        meta = {
            "word_ngrams": self.word_ngrams,
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "char_weight": self.char_weight,
            "lemmatize": self.lemmatize,
            "stem": self.stem,
            "extra_stems": list(self.extra_stems),
        }
        blob = np.frombuffer("\n".join(self.terms_).encode("utf-8"), dtype=np.uint8)
        return meta, {"terms": blob, "idf": self.idf_}

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> WordNgramTfidf:
        obj = cls(**meta)
        raw = arrays["terms"].tobytes().decode("utf-8")
        obj._set(raw.split("\n") if raw else [], arrays["idf"])
        return obj
