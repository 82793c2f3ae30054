"""A complete rubric model: level-1 classifier, level 2 within level 1, top-k, threshold, artifact.

The artifact is one folder ``bibmine/rubrics/models/<name>/`` (inside the package, found through
``importlib.resources``, so an installed wheel has it): ``model.json`` (parameters, no code),
``arrays.npz`` (vocabularies, idf, weights; loaded with ``allow_pickle=False``), and the model card
``card.md`` / ``card.json``.  Loading never unpickles and never downloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bibmine.rubrics.classifiers import _sub, softmax
from bibmine.rubrics.ensemble import EnsembleClassifier
from bibmine.rubrics.vocabulary import load_vocabulary

FORMAT = "bibmine-rubrics/1"


def _models_dir() -> Path:
    """The shipped models' folder inside the installed package (``bibmine/rubrics/models``)."""
    from importlib.resources import files

    return Path(str(files("bibmine.rubrics").joinpath("models")))


MODELS_DIR = _models_dir()
DEFAULT_MODEL = "grnti-default"


@dataclass
class Level2Centroids:
    """Level-2 rubrics as TF-IDF centroids of their training texts and names, scored within a level 1."""

    codes: np.ndarray  # level-2 codes, e.g. "27.17"
    centroids: sp.csr_matrix  # one l2-normalized row per code, in the level-1 TF-IDF space
    temperature: float = 0.05
    top_terms: int = 400

    @classmethod
    def fit(cls, embedder, texts, fine, temperature: float = 0.05, top_terms: int = 400,
            langs=("ru",)) -> Level2Centroids:
        """``fine``: each text's level-2/3 codes; names of every level-2 rubric and its children are added
        (in each of ``langs``)."""
        voc = load_vocabulary()
        docs: dict[str, list[str]] = {}
        for text, codes in zip(texts, fine, strict=True):
            for c in {c[:5] for c in codes if len(c) >= 5}:
                docs.setdefault(c, []).append(text)
        for c in voc.codes(level=2):
            for lang in langs:
                docs.setdefault(c, []).append(voc.description(c, depth=1, lang=lang))
        codes = np.array(sorted(c for c in docs if c in voc), dtype=object)
        rows = []
        for c in codes:
            m = embedder.transform(docs[c])
            v = np.asarray(m.mean(axis=0)).ravel()
            if top_terms and np.count_nonzero(v) > top_terms:
                v[np.argsort(np.abs(v))[:-top_terms]] = 0.0
            v /= np.linalg.norm(v) or 1.0
            rows.append(sp.csr_matrix(v.astype(np.float16).astype(np.float32)))  # as stored
        return cls(codes, sp.vstack(rows).tocsr(), temperature, top_terms)

    def scores(self, features, parents: list[str]) -> list[list[tuple[str, float]]]:
        """For each text, its level-2 rubrics under ``parents[i]`` with probabilities within that parent."""
        sims = (features @ self.centroids.T).toarray()
        out = []
        for i, parent in enumerate(parents):
            idx = np.flatnonzero(np.array([c.startswith(parent + ".") for c in self.codes]))
            if not len(idx):
                out.append([])
                continue
            p = softmax(sims[i, idx][None, :] / self.temperature)[0]
            order = np.argsort(-p)
            out.append([(str(self.codes[idx[j]]), float(p[j])) for j in order])
        return out

    def get_state(self):
        c = self.centroids
        arrays = {
            "codes": self.codes.astype(str), "data": c.data.astype(np.float16), "indices": c.indices,
            "indptr": c.indptr, "shape": np.array(c.shape),
        }
        return {"temperature": self.temperature, "top_terms": self.top_terms}, arrays

    @classmethod
    def from_state(cls, meta, arrays) -> Level2Centroids:
        c = sp.csr_matrix(
            (arrays["data"].astype(np.float32), arrays["indices"], arrays["indptr"]), shape=tuple(arrays["shape"])
        )
        return cls(arrays["codes"].astype(object), c, meta["temperature"], meta["top_terms"])


class RubricModel:
    """Level-1 ensemble + optional level-2 centroids, with top-k and a score threshold."""

    def __init__(self, name: str, level1: EnsembleClassifier, level2: Level2Centroids | None = None,
                 top_k: int = 3, threshold: float = 0.2, card: dict | None = None):
        self.name = name
        self.level1 = level1
        self.level2 = level2
        self.top_k = top_k
        self.threshold = threshold
        self.card = card or {}

    @property
    def model_id(self) -> str:
        return f"{self.name}@{self.card.get('trained', '?')}"

    def predict_proba(self, texts) -> np.ndarray:
        return self.level1.predict_proba(list(texts))

    def predict(self, texts) -> np.ndarray:
        return self.level1.predict(list(texts))

    def rank(self, proba: np.ndarray, k: int | None = None, threshold: float | None = None):
        """Top-k (code, score) per row: the best always, the others only when score >= threshold."""
        k = k or self.top_k
        threshold = self.threshold if threshold is None else threshold
        classes = self.level1.classes_
        out = []
        for row in proba:
            order = np.argsort(-row)[:k]
            out.append([(str(classes[j]), float(row[j])) for n, j in enumerate(order) if n == 0 or row[j] >= threshold])
        return out

    def classify(self, texts, k: int | None = None, level: int = 1, threshold: float | None = None):
        """Top rubrics per text: level-1 codes, or level-2 codes scored p(level 1) x p(level 2 | level 1)."""
        texts = list(texts)
        proba = self.predict_proba(texts)
        top1 = self.rank(proba, k=k, threshold=threshold)
        if level == 1:
            return top1
        if level != 2 or self.level2 is None:
            raise ValueError("this model predicts level 1 and level 2 only" if self.level2 else "no level-2 model")
        tfidf = next(iter(self.level1.embedders_.values()))
        feats = tfidf.transform(texts)
        k = k or self.top_k
        out = []
        cands_per_text = [[c for c, _ in r] for r in self.rank(proba, k=k, threshold=0.0)]
        for i, cands in enumerate(cands_per_text):
            scored = []
            for parent in cands:
                p1 = float(proba[i, list(self.level1.classes_).index(parent)])
                for code, p2 in self.level2.scores(feats[i], [parent])[0]:
                    scored.append((code, p1 * p2))
            scored.sort(key=lambda t: -t[1])
            thr = self.threshold if threshold is None else threshold
            out.append([s for n, s in enumerate(scored[:k]) if n == 0 or s[1] >= thr])
        return out

    # --------------------------------------------------------------- artifact
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta1, arrays = self.level1.get_state()
        arrays = {"l1." + k: v for k, v in arrays.items()}
        meta = {"format": FORMAT, "name": self.name, "top_k": self.top_k, "threshold": self.threshold,
                "level1": meta1, "level2": None}
        if self.level2 is not None:
            meta2, arr2 = self.level2.get_state()
            meta["level2"] = meta2
            arrays.update({"l2." + k: v for k, v in arr2.items()})
        np.savez_compressed(path / "arrays.npz", **arrays)
        (path / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        if self.card:
            write_card(path, self.card)
        return path

    @classmethod
    def load(cls, path: str | Path, device: str | None = None) -> RubricModel:
        path = resolve_model(path)
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}/model.json: not a {FORMAT} artifact (format={meta.get('format')!r})")
        with np.load(path / "arrays.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        level1 = EnsembleClassifier.from_state(meta["level1"], _sub(arrays, "l1."), device=device)
        level2 = Level2Centroids.from_state(meta["level2"], _sub(arrays, "l2.")) if meta.get("level2") else None
        card_path = path / "card.json"
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
        return cls(meta["name"], level1, level2, meta["top_k"], meta["threshold"], card)


def resolve_model(name_or_path: str | Path | None) -> Path:
    """A model folder: a path, or the name of a model shipped in the package (``bibmine/rubrics/models``);
    none, "" or "default": the shipped default."""
    if name_or_path in (None, "", "default"):
        name_or_path = DEFAULT_MODEL
    p = Path(name_or_path)
    if (p / "model.json").exists():
        return p
    q = MODELS_DIR / str(name_or_path)
    if (q / "model.json").exists():
        return q
    raise FileNotFoundError(f"no model at {p} or {q} (train one with `bibmine rubrics train`)")


def write_card(path: Path, card: dict) -> None:
    """card.json as given, card.md rendered from it (tables of metrics and speed)."""
    from bibmine.rubrics.card import render_card

    (path / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    (path / "card.md").write_text(render_card(card), encoding="utf-8")
