"""Issue 19, fifth round: test-time prior (label-shift) adaptation of svm-cnb-prior, in grouped CV.

    .venv/bin/python scripts/experiment_prior_shift.py [--eval VARIANT]

No model is retrained for the adaptation: it only re-weights the class probabilities of a batch of records
with a class prior estimated from that batch, without its labels.

- Folds, files, weights and decontamination of ``scripts/train_default_model.py --folds 3``.  svm-cnb-prior's
  member probabilities per fold come from the third round's cache (``experiment_static_vectors.base_members``:
  the members trained per fold exactly as the pipeline trains them; retrained if the cache is gone); the
  pool without the prior correction is P(c | x), the fold's training prior (``class_prior_``) is pi_s.  The
  reference (shipped decision) is argmax P / pi_s^0.2: it reproduces the pipeline's 0.4724 / 0.5913 / 0.3755.
- The baseline (char_wb 2-5 TF-IDF + LinearSVC, main code only, the pipeline's features and fit) gets its
  decision scores per fold (cached under ``/tmp/bibmine-rubrics-cache/prior_shift/``); pi_s is the fold's
  training label frequency (add-one), its reference decision the plain argmax (0.440).
- Calibration before adaptation: a temperature T per fold fitted on the *other* folds' out-of-fold scores
  (log P for the default, decision scores for the baseline; ``classifiers.fit_temperature``), so a fold's
  own labels never set it.  ``cal`` variants estimate and decide with softmax(score / T); ``raw`` variants
  use the default's P as it is (T = 1).
- Adaptation (label shift, p(x | c) assumed fixed): the decision is argmax_c P_T(c | x) * pi(c) / pi_s(c)
  with pi estimated on the batch:
  ``em``: Saerens, Latinne & Decaestecker (2002): pi <- mean_i q_i, q_i(c) ∝ P_T(c | x_i) pi(c) / pi_s(c),
  from pi = pi_s, ``itN`` iterations at most (tol 1e-6);
  ``bbse``: black-box shift estimation (Lipton et al. 2018): w = C^-1 mu, C the joint (hard prediction,
  label) frequencies of the reference decision on the other folds' out-of-fold rows, mu the batch's
  predicted-label frequencies; w clipped at 0, pi ∝ w * (C's label marginal);
  ``shrX``: pi = (1 - X) pi_batch + X pi_ref, pi_ref the reference's effective prior (pi_s^0.8 normalized for
  the default, pi_s for the baseline), so shr1 is the reference itself.
- Batches: ``batch``: each CV test fold as one batch (~3,000 records); ``orgK``: the fold batch's prior, then
  per EGISU organization (a region's corpus is classified with its records' organizations known) a MAP-EM
  with the batch prior as a Dirichlet prior of strength K: pi_org = (sum_i q_i + K pi_batch) / (n + K), i.e.
  the organization's own EM prior blended with the batch's by n / (n + K).  Rows of the other files (their
  groups are single rows or one document's segments, not organizations) keep the batch prior.
  ``finalK``: the package's ``bibmine.rubrics.collective.adapt_to_groups`` (the collective mode of
  ``classify-file --group-column``) on the final probabilities only, anchored at the batch (``adapt_final``).
- Scored: accuracy / in-set / macro-F1 over the 9,008 rows (``evaluate.metrics``), against the reference
  with a 95% bootstrap interval over organizations (``experiment_label_noise.group_bootstrap``), the
  baseline adapted the same way, and the change of the default-minus-baseline gap with its interval.
- ``--eval VARIANT``: the chosen variant (chosen by CV only) applied to ``gisnauka_samples_test_docs.csv`` as
  one batch with the shipped ``grnti-default`` and the baseline trained on everything; the calibration
  temperature fitted on all CV out-of-fold scores.  Run once, after the choice.

Prints the reference lines, then per variant: the default's accuracy / in-set / macro-F1, the difference to
the reference with its interval, records gained / lost, the baseline adapted the same way, the gap and its
change, the gisnauka and EGISU rows, the gain per fold, the spread of the applied log-ratio and the
adaptation's cost.  The runs of December 2026 (seconds; everything cached but the baseline's decision scores,
~1 min the first time):

    nice -n 19 .venv/bin/python scripts/experiment_prior_shift.py
    nice -n 19 .venv/bin/python scripts/experiment_prior_shift.py --variants file-em-cal-it1-shr0.5 \
        --eval file-em-cal-it1-shr0.5

Result: negative for issue 19 (``docs/rubrics-models.md``, fifth round).  Reference 0.4724 / 0.5913 / 0.3755
(baseline 0.4396 / 0.5360 / 0.3222), reproduced.  Batch and per-file EM / BBSE lose (-0.002 to -0.26; the
oracle fold prior gives only +0.010).  Per organization (``org5_nb-em-cal-e3-shr0.5``): +0.0306 (95% over
organizations +0.016 to +0.047), but the baseline gains +0.0347, so the gap moves -0.004 (-0.014 to +0.006).
Eval once with ``file-em-cal-it1-shr0.5``: default 0.6037 / 0.7080 / 0.4734 (unadapted 0.6037 / 0.7080 /
0.4643), baseline 0.5543 (0.5501).  The productized ``final5-em-e3-shr0.5`` (final probabilities, anchored
at the fold batch, other files' rows not adapted): 0.5078 / 0.6302 / 0.3885, +0.0354 (+0.0196 to +0.0528),
gap change +0.001 (-0.008 to +0.011); it ships as ``classify-file --group-column``.
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

import experiment_label_noise as eln  # noqa: E402
import experiment_static_vectors as esv  # noqa: E402
import train_default_model as tdm  # noqa: E402

from bibmine.rubrics.classifiers import fit_temperature, softmax  # noqa: E402
from bibmine.rubrics.collective import adapt_to_groups  # noqa: E402
from bibmine.rubrics.evaluate import metrics  # noqa: E402

CACHE = tdm.CACHE / "prior_shift"
PRIOR_POWER = 0.2  # svm-cnb-prior's correction
EGISU = "egisu_moscow2025_a.csv"
FLOOR = 1e-12


def norm(p):
    return p / p.sum(axis=-1, keepdims=True)


def baseline_scores(Xb, y, k, tr, te):
    """LinearSVC decision scores on the fold's test rows and its classes (cached)."""
    path = CACHE / f"base-{tdm.cache_key('baseline', k, len(tr), int(np.sum(tr)), Xb.shape)}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            return z["s"], z["classes"].astype(object)
    svm = tdm.fit_baseline(Xb[tr], y[tr])
    s = svm.decision_function(Xb[te])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, s=s, classes=svm.classes_.astype(str))
    return s, svm.classes_.astype(object)


def align(mat, classes, U, fill):
    out = np.full((mat.shape[0], len(U)), fill, dtype=float) if mat.ndim == 2 else np.full(len(U), fill, dtype=float)
    index = {c: i for i, c in enumerate(U)}
    cols = [index[str(c)] for c in classes]
    if mat.ndim == 2:
        out[:, cols] = mat
    else:
        out[cols] = mat
    return out


def em(P, src, iters, start=None, strength=0.0, anchor=None, tol=1e-6):
    """Saerens et al. EM for the batch prior of rows P (calibrated for prior ``src``); with ``strength`` K > 0,
    MAP-EM with a Dirichlet prior K * ``anchor``."""
    pi = src.copy() if start is None else start.copy()
    ratio = P / src
    for _ in range(iters):
        q = norm(ratio * pi)
        new = q.sum(axis=0)
        new = (new + strength * anchor) / (len(P) + strength) if strength else new / len(P)
        done = np.abs(new - pi).max() < tol
        pi = new
        if done:
            break
    return pi


def bbse(pred_src, y_src, pred_batch, n_cls, src_marg=None):
    """Black-box shift estimate of the batch prior from hard predictions (indexes into the class list)."""
    C = np.zeros((n_cls, n_cls))
    np.add.at(C, (pred_src, y_src), 1.0)
    C /= C.sum()
    mu = np.bincount(pred_batch, minlength=n_cls) / len(pred_batch)
    w, *_ = np.linalg.lstsq(C, mu, rcond=None)
    w = np.clip(w, 0.0, None)
    marg = C.sum(axis=0)
    pi = w * marg + 1e-6
    return pi / pi.sum(), marg


class Fold:
    """One model's out-of-fold material for one CV fold, in the global class list U: ``score`` (log P for the
    default, decision scores for the baseline), the training prior ``src`` and the reference's log offset
    ``ref_offset`` (the shipped decision is argmax score + ref_offset)."""

    def __init__(self, te, score, src, ref_offset):
        self.te, self.score, self.src, self.ref_offset = te, score, src, ref_offset

    def decide(self, T, offset):
        return (self.score / T + offset).argmax(axis=1)


def parse(variant):
    """``SCOPE-METHOD[-OPTION...]``.  SCOPE: ``batch`` (the test fold), ``file`` (each training file's rows of
    the test fold as its own batch: a corpus of one source), ``orgK`` (the fold batch, then MAP-EM per EGISU
    organization with strength K), ``orgK_nb`` (per organization, anchored at the source prior: no batch step).
    METHOD: ``em``, ``bbse``, ``oracle`` (the batch's / organization's true label frequencies: an upper bound).
    OPTIONS: ``cal``/``raw`` (P_T with the cross-fitted T, or P itself; the baseline is always ``cal``), ``itN``
    (EM iterations at most), ``eX`` (estimate the prior with P at temperature X*T: X > 1 flattens the scores
    against EM's over-sharpening; the decision keeps T), ``shrX`` (shrink the log-ratio toward the reference's
    offset), ``srccount`` (EM against the counted training prior instead of the out-of-fold mean of P_T)."""
    parts = variant.split("-")
    v = {"scope": parts[0], "method": parts[1], "cal": "cal", "iters": 100, "shr": 0.0, "src": "oof", "e": 1.0}
    for p in parts[2:]:
        if p in ("egisu", "singles"):
            v["batch"] = p
        elif p in ("cal", "raw"):
            v["cal"] = p
        elif p.startswith("it"):
            v["iters"] = int(p[2:])
        elif p.startswith("shr"):
            v["shr"] = float(p[3:])
        elif p.startswith("e"):
            v["e"] = float(p[1:])
        elif p == "srccount":
            v["src"] = "count"
    scope = v["scope"]
    v["nobatch"] = scope.endswith("_nb")
    v["K"] = float(scope[3:].removesuffix("_nb")) if scope.startswith("org") else None
    if scope.startswith("final"):  # the package's adapt_to_groups on the final probabilities
        v["K"], v["cal"] = float(scope[5:]), "raw" if "cal" not in parts[2:] else "cal"
    return v


def adapt(v, f: Fold, T, src_of, oof_pred, oof_y, groups_te, is_org, source_te, y_te=None):
    """Predictions (indexes into U) of variant ``v`` on fold ``f``; P_T = softmax(score / T); ``src_of(T)`` the
    prior P_T is calibrated for.  Returns the predictions and the fold batch's log(pi / src) (before shrinking).
    ``y_te`` (label indexes) only for the oracle rows (the true prior of the batch / organization)."""
    if v["scope"].startswith("final"):
        return adapt_final(v, f, T, groups_te, is_org)
    Te = T * v["e"]
    P, src = softmax(f.score / Te), src_of(Te)
    n_cls = len(src)
    all_rows = np.arange(len(f.te))

    def estimate(rows, anchor=None, strength=0.0):
        if v["method"] == "em":
            return em(P[rows], src, v["iters"], start=anchor, strength=strength, anchor=anchor), src
        if v["method"] == "oracle":
            return (np.bincount(y_te[rows], minlength=n_cls) + (strength * anchor if strength else 0.5)) / (
                len(rows) + (strength if strength else 0.5 * n_cls)), src
        ref_pred = f.decide(1.0, f.ref_offset)[rows]
        pi_b, marg = bbse(oof_pred, oof_y, ref_pred, n_cls)
        return pi_b, marg + 1e-6

    def offset(pi, s):
        lr = np.log(np.maximum(pi, FLOOR)) - np.log(s)
        return (1 - v["shr"]) * lr + v["shr"] * f.ref_offset, lr

    pred = np.empty(len(f.te), dtype=int)
    if v["scope"] == "file":
        lr_all = np.zeros(n_cls)
        for name in np.unique(source_te):
            rows = np.flatnonzero(source_te == name)
            off, lr = offset(*estimate(rows))
            pred[rows] = f.decide(T, off)[rows]
            lr_all += lr * len(rows) / len(f.te)
        return pred, lr_all
    pi, s = (src, src) if v["nobatch"] else estimate(all_rows)
    off, lr = offset(pi, s)
    pred[:] = f.decide(T, off)
    if v["K"] is None:
        return pred, lr
    for g in np.unique(groups_te[is_org]):
        rows = np.flatnonzero(is_org & (groups_te == g))
        pi_g, s_g = estimate(rows, anchor=pi, strength=v["K"])
        pred[rows] = f.decide(T, offset(pi_g, s_g)[0])[rows]
    return pred, lr


def adapt_final(v, f: Fold, T, groups_te, is_org):
    """``finalK``: ``bibmine.rubrics.collective.adapt_to_groups`` on the final probabilities softmax(score / T +
    ref_offset) (for the default at T = 1: what ``predict_proba`` returns; for the baseline, which has none, its
    decision scores at the cross-fitted T), strength K, flatten ``eX``, shrink ``shrX``.  Groups: the EGISU
    rows' organizations; the other rows ``None`` (not adapted), or their own single-row groups (``singles``).
    The batch (the anchor's mean) is the whole CV test fold, or only its EGISU rows (``egisu``: a region's
    export holds EGISU rows only).  Returns the predictions and the EGISU rows' mean log(adapted / P)."""
    P = softmax(f.score / T + f.ref_offset)
    groups = [g if org else None for g, org in zip(groups_te, is_org, strict=True)]
    if v.get("batch") == "singles":
        groups = [g if org else ("single", i) for i, (g, org) in enumerate(zip(groups_te, is_org, strict=True))]
    kw = {"strength": v["K"], "flatten": v["e"], "shrink": v["shr"], "max_iter": v["iters"]}
    Q = P.copy()
    if v.get("batch") == "egisu":
        rows = np.flatnonzero(is_org)
        Q[rows] = adapt_to_groups(P[rows], [groups[i] for i in rows], **kw)
    else:
        Q = adapt_to_groups(P, groups, **kw)
    lr = (np.log(np.maximum(Q[is_org], FLOOR)) - np.log(np.maximum(P[is_org], FLOOR))).mean(axis=0) \
        if is_org.any() else np.zeros(P.shape[1])
    return Q.argmax(axis=1), lr


VARIANTS = [
    # one batch per CV test fold (~3,000 records)
    "batch-em-cal-it100-srccount", "batch-em-cal-shr0", "batch-em-cal-shr0.5", "batch-em-cal-it5-shr0",
    "batch-em-cal-it1-shr0", "batch-em-raw-shr0", "batch-em-raw-shr0.5", "batch-em-cal-e0.5-shr0",
    "batch-em-cal-e0.5-shr0.5", "batch-em-cal-e2-shr0", "batch-bbse-shr0", "batch-bbse-shr0.5",
    # one batch per training file within the test fold (a corpus of one source; the eval file's situation)
    "file-em-cal-shr0", "file-em-cal-shr0.5", "file-em-cal-e0.5-shr0.5", "file-em-cal-e2-shr0",
    "file-em-cal-it2-shr0", "file-em-cal-it1-shr0", "file-em-cal-it1-shr0.5", "file-bbse-shr0.5",
    # per EGISU organization after the fold batch's EM
    "org5-em-cal-shr0", "org20-em-cal-shr0", "org5-em-cal-shr0.5", "org20-em-cal-shr0.5", "org50-em-cal-shr0.5",
    # per EGISU organization, anchored at the source prior (no batch step)
    "org2_nb-em-cal-shr0.5", "org5_nb-em-cal-shr0.5", "org10_nb-em-cal-shr0.5", "org20_nb-em-cal-e2-shr0.5",
    "org5_nb-em-cal-shr0.3", "org5_nb-em-cal-shr0.7", "org5_nb-em-cal-it1-shr0.5", "org5_nb-em-cal-e0.5-shr0.5",
    "org5_nb-em-cal-e2-shr0", "org5_nb-em-cal-e2-shr0.3", "org5_nb-em-cal-e2-shr0.5", "org5_nb-em-cal-e3-shr0.5",
    # oracles: the true label frequencies of the batch / file / organization (upper bounds, not methods)
    "batch-oracle-cal-shr0", "file-oracle-cal-shr0", "org5-oracle-cal-shr0", "org5_nb-oracle-cal-shr0",
    "org5_nb-oracle-cal-shr0.5",
    # the package's adapt_to_groups on the final probabilities, anchored at the batch (see adapt_final)
    "final5-em-e3-shr0.5", "final5-em-e3-shr0.5-egisu", "final5-em-e3-shr0.5-singles", "final2-em-e3-shr0.5",
    "final10-em-e3-shr0.5", "final5-em-e2-shr0.5", "final5-em-e5-shr0.5", "final5-em-e3-shr0.3",
    "final5-em-e3-shr0.7",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--eval", default=None, metavar="VARIANT",
                    help="score the held-out file once with this variant (choose it by CV first)")
    args = ap.parse_args()
    t0 = time.time()
    data, source = tdm.load_pooled()
    y = np.array(data.labels, dtype=object)
    groups = np.array(data.groups, dtype=object)
    folds = tdm.grouped_folds(data.groups, 3)
    eval_sets = {f: tdm.read_labels(tdm.DATA / "eval" / f) for f in tdm.EVAL}
    t = time.time()
    Xb, (Xb_eval, _) = tdm.baseline_features(data.texts, [eval_sets[tdm.EVAL[0]].texts, eval_sets[tdm.EVAL[1]].texts])
    tdm.log(f"{len(data)} rows, 3 grouped folds; baseline features {Xb.shape} in {time.time() - t:.0f}s")
    bases, bscores = [], []
    for k, (tr, te) in enumerate(folds):
        t = time.time()
        bases.append(esv.base_members(data, source, k, tr, te))
        bscores.append(baseline_scores(Xb, y, k, tr, te))
        tdm.log(f"fold {k + 1}: members and baseline scores in {time.time() - t:.0f}s")
    U = np.array(sorted(set(y) | {str(c) for b in bases for c in b["classes"]} | {str(c) for _, c in bscores}),
                 dtype=object)
    index = {c: i for i, c in enumerate(U)}
    yi = np.array([index[c] for c in y])
    model_folds = {"default": [], "baseline": []}
    for (tr, te), b, (s, bc) in zip(folds, bases, bscores, strict=True):
        P = align(esv.pooled(b, prior_power=0.0), b["classes"], U, 0.0)
        src = norm(align(b["prior"], b["classes"], U, 1.0 / len(tr)))
        model_folds["default"].append(Fold(te, np.log(np.maximum(P, FLOOR)), src, -PRIOR_POWER * np.log(src)))
        cnt = norm(np.bincount(yi[tr], minlength=len(U)) + 1.0)
        model_folds["baseline"].append(Fold(te, align(s, bc, U, -1e3), cnt, np.zeros(len(U))))
    sets = data.label_sets
    is_org_all = source == EGISU

    def temperatures(fs):
        """Per fold, T fitted on the other folds' out-of-fold scores; and T on all of them (for --eval)."""
        out = []
        for k in range(len(fs)):
            rows = np.concatenate([fs[j].te for j in range(len(fs)) if j != k])
            sc = np.concatenate([fs[j].score for j in range(len(fs)) if j != k])
            out.append(fit_temperature(sc, U, list(y[rows])))
        allr = np.concatenate([f.te for f in fs])
        return out, fit_temperature(np.concatenate([f.score for f in fs]), U, list(y[allr]))

    temps = {m: temperatures(fs) for m, fs in model_folds.items()}
    tdm.log("temperatures (per fold from the other folds; all):", {m: ([round(x, 3) for x in t[0]], round(t[1], 3))
                                                                   for m, t in temps.items()})
    refs = {}
    for m, fs in model_folds.items():
        pred = np.empty(len(data), dtype=int)
        for f in fs:
            pred[f.te] = f.decide(1.0, f.ref_offset)
        refs[m] = pred

    def source_prior(m, k, T, v):
        """The prior P_T is calibrated for: the out-of-fold mean of P_T on the other folds (self-consistent:
        EM on data like the training data stays put), or the counted training prior (``srccount``)."""
        fs = model_folds[m]
        if v["src"] == "count":
            return fs[k].src
        return np.concatenate([softmax(fs[j].score / T) for j in range(len(fs)) if j != k]).mean(axis=0) + 1e-9

    def run(m, name):
        v = parse(name)
        fs = model_folds[m]
        pred = np.empty(len(data), dtype=int)
        shift = []
        for k, f in enumerate(fs):
            others = [j for j in range(len(fs)) if j != k]
            oof_pred = np.concatenate([refs[m][fs[j].te] for j in others])
            oof_y = np.concatenate([yi[fs[j].te] for j in others])
            T = temps[m][0][k] if v["cal"] == "cal" or m == "baseline" else 1.0
            pred[f.te], lr = adapt(v, f, T, lambda t, k=k: source_prior(m, k, t, v), oof_pred, oof_y,  # noqa: B023
                                   groups[f.te], is_org_all[f.te], source[f.te], yi[f.te])
            shift.append(float(np.std(lr)))
        return pred, shift

    def fmt(pred):
        mm = metrics(y, U[pred], sets)
        return mm, f"{mm['accuracy']:.4f} / {mm['in_set_accuracy']:.4f} / {mm['macro_f1']:.4f}"

    hit_ref = {m: (refs[m] == yi) for m in refs}
    gis = source == "gisnauka_samples_valid.csv"
    tdm.log("reference svm-cnb-prior", fmt(refs["default"])[1], "| baseline", fmt(refs["baseline"])[1])
    b02 = np.empty(len(data), dtype=int)
    for k, f in enumerate(model_folds["baseline"]):
        b02[f.te] = f.decide(temps["baseline"][0][k], -PRIOR_POWER * np.log(f.src))
    tdm.log("baseline with prior^0.2 (no adaptation)", fmt(b02)[1])
    gap_ref = hit_ref["default"].mean() - hit_ref["baseline"].mean()
    print("\nvariant | default acc / in-set / macro-F1 | vs reference (95% over orgs) | gained / lost | "
          "baseline adapted acc / in-set / macro-F1 | baseline vs its reference | gap default - baseline "
          f"(reference {gap_ref:+.4f}) | gap change (95%) | gisnauka rows: default / baseline "
          f"(reference {hit_ref['default'][gis].mean():.4f} / {hit_ref['baseline'][gis].mean():.4f}) | "
          f"EGISU rows: default / baseline (reference {hit_ref['default'][is_org_all].mean():.4f} / "
          f"{hit_ref['baseline'][is_org_all].mean():.4f}) | default vs reference per fold | "
          "sd of log(pi / src) per fold | adaptation ms per 1,000 records (default)")
    results = {}
    for name in [v for v in args.variants.split(",") if v]:
        t = time.perf_counter()
        pd_, shift = run("default", name)
        ms = (time.perf_counter() - t) * 1000 / len(data) * 1000
        pb, _ = run("baseline", name)
        hd, hb = pd_ == yi, pb == yi
        lo, hi = eln.group_bootstrap(hd, hit_ref["default"], groups)
        glo, ghi = eln.group_bootstrap(hd.astype(float) - hb + hit_ref["baseline"], hit_ref["default"], groups)
        gained = int(np.sum(hd & ~hit_ref["default"]))
        lost = int(np.sum(~hd & hit_ref["default"]))
        d = hd.mean() - hit_ref["default"].mean()
        per_fold = ", ".join(f"{hd[te].mean() - hit_ref['default'][te].mean():+.4f}" for _, te in folds)
        gap = hd.mean() - hb.mean()
        results[name] = d
        print(f"{name} | {fmt(pd_)[1]} | {d:+.4f} ({lo:+.4f} to {hi:+.4f}) | {gained} / {lost} | {fmt(pb)[1]} | "
              f"{hb.mean() - hit_ref['baseline'].mean():+.4f} | {gap:+.4f} | {gap - gap_ref:+.4f} "
              f"({glo:+.4f} to {ghi:+.4f}) | {hd[gis].mean():.4f} / {hb[gis].mean():.4f} | "
              f"{hd[is_org_all].mean():.4f} / {hb[is_org_all].mean():.4f} | "
              f"{per_fold} | "
              f"{', '.join(f'{x:.3f}' for x in shift)} | {ms:.1f}", flush=True)
    real = {n: d for n, d in results.items() if parse(n)["method"] != "oracle"}
    batch = {n: d for n, d in real.items() if parse(n)["scope"] in ("batch", "file")}
    for label, r in (("any", real), ("batch or file (the only ones the eval file allows)", batch)):
        if r:
            best = max(r, key=r.get)
            tdm.log(f"best by CV accuracy, {label}: {best} ({r[best]:+.4f})")
    tdm.log(f"total {time.time() - t0:.0f}s")
    if args.eval:
        score_eval(args.eval, y, Xb, Xb_eval, eval_sets[tdm.EVAL[0]], U, index, temps, model_folds)


def score_eval(name, y, Xb, Xb_eval, ev, U, index, temps, model_folds):
    """The chosen variant on the held-out file as one batch (one file: ``batch`` and ``file`` are the same):
    the shipped grnti-default and the baseline trained on everything; T and the source prior P_T is calibrated
    for from all CV out-of-fold scores."""
    from bibmine.rubrics.model import MODELS_DIR, RubricModel

    v = parse(name)
    assert v["scope"] in ("batch", "file") and v["method"] == "em", "the eval file has no organizations"
    yv = np.array(ev.labels, dtype=object)
    ens = RubricModel.load(MODELS_DIR / "grnti-default").level1
    t = time.time()
    shipped = ens.predict_proba(list(ev.texts))
    tdm.log(f"shipped grnti-default on {len(yv)} eval records in {time.time() - t:.1f}s")
    raw = norm(shipped * ens.class_prior_ ** ens.prior_power)  # the pool before the prior correction
    src = norm(align(ens.class_prior_, ens.classes_, U, 1e-6))
    t = time.time()
    svm = tdm.fit_baseline(Xb, y)
    cnt = norm(np.bincount([index[c] for c in y], minlength=len(U)) + 1.0)
    tdm.log(f"baseline fitted on everything in {time.time() - t:.0f}s")
    te = np.arange(len(yv))
    for m, f in (("default", Fold(te, np.log(np.maximum(align(raw, ens.classes_, U, 0.0), FLOOR)), src,
                                  -PRIOR_POWER * np.log(src))),
                 ("baseline", Fold(te, align(svm.decision_function(Xb_eval), svm.classes_, U, -1e3), cnt,
                                   np.zeros(len(U))))):
        T = temps[m][1] if v["cal"] == "cal" or m == "baseline" else 1.0

        def src_of(t_, fs=model_folds[m]):
            return np.concatenate([softmax(g.score / t_) for g in fs]).mean(axis=0) + 1e-9

        ref = f.decide(1.0, f.ref_offset)
        t = time.time()
        pred, lr = adapt(v, f, T, src_of, None, None, None, None, np.array(["eval"] * len(te), dtype=object))
        sec = time.time() - t
        for label, p in (("unadapted", ref), (name, pred)):
            q = metrics(yv, U[p], ev.label_sets)
            tdm.log(f"eval {tdm.EVAL[0]} {m} {label}: accuracy / in-set / macro-F1 "
                    f"{q['accuracy']:.4f} / {q['in_set_accuracy']:.4f} / {q['macro_f1']:.4f}")
        top = np.argsort(-lr)[:5]
        tdm.log(f"  {m}: adaptation {sec * 1000:.1f} ms; {int(np.sum(pred != ref))} predictions changed; "
                "most raised (log pi / src):", {U[i]: round(float(lr[i]), 2) for i in top})


if __name__ == "__main__":
    main()
