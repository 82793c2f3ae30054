"""Classification speed on texts never seen before, cold caches: the figure the README and cards quote.

    .venv/bin/python scripts/bench_classify.py [--n 2000] [--use-n 200] [--update-card] [--only default,baseline,use]

Texts: ~150-word windows (consecutive words of title + abstract) of the ``grnti/eval`` records, which
no shipped model was trained on; every text is distinct and none repeats within a run, so ``--n`` is
capped at the number of windows (about 700).  Each measurement
runs in fresh processes (``spawn``): the model is loaded first (timed apart), then every text is
classified once (``RubricModel.classify``, batches of 1,000), so every word cache starts empty.
"1 process" and "2 processes" (the texts split in halves, both processes started together; rate =
all texts / the slower process's classify time); each figure is the median of ``--repeat`` fresh
runs.  The baseline (scikit-learn TfidfVectorizer char_wb
2-5 + LinearSVC fitted on 1,000 labelled training texts) is timed the same way in the same run.
``--update-card`` writes the table into the shipped models' cards.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GRNTI = ROOT.parent / "shared" / "data" / "grnti"


def unseen_texts(n: int, words: int = 150) -> tuple[list[str], int]:
    """``n`` texts of ~``words`` words from the eval records (title + a window of the abstract)."""
    from bibmine.rubrics.labels import read_labels

    windows = []
    for name in ("gisnauka_samples_test_docs.csv", "gisnauka_samples_test.csv"):
        for text in read_labels(GRNTI / "eval" / name).texts:
            w = text.split()
            if len(w) < words * 2 // 3:
                continue
            for start in range(0, max(1, len(w) - words // 2), words):
                windows.append(" ".join(w[start:start + words]))
    windows = list(dict.fromkeys(windows))
    return windows[:n], len(windows)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(kind: str):
    if kind == "baseline":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        from bibmine.rubrics.labels import read_labels

        data = read_labels(GRNTI / "labeled" / "gisnauka_samples_valid.csv")
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        clf = LinearSVC().fit(vec.fit_transform(data.texts[:1000]), data.labels[:1000])
        return lambda batch: clf.predict(vec.transform(batch))
    from bibmine.rubrics.model import RubricModel

    model = RubricModel.load(kind)
    return lambda batch: model.classify(batch)


def _measure(kind: str, texts: list[str], start_at: float | None = None) -> dict:
    t = time.perf_counter()
    fn = _load(kind)
    loaded = time.perf_counter() - t
    if start_at is not None:  # both processes of a 2-process run start classifying together
        time.sleep(max(0.0, start_at - time.time()))
    t = time.perf_counter()
    for i in range(0, len(texts), 1000):
        fn(texts[i:i + 1000])
    return {"n": len(texts), "seconds": time.perf_counter() - t, "load_s": loaded, "peak_mb": peak_mb()}


def _child(args):
    return _measure(*args)


def run(kind: str, texts: list[str], procs: int, load_allowance: float) -> dict:
    ctx = mp.get_context("spawn")
    with ctx.Pool(procs) as pool:
        start_at = time.time() + load_allowance if procs > 1 else None
        parts = [texts[i::procs] for i in range(procs)]
        res = pool.map(_child, [(kind, p, start_at) for p in parts])
    slowest = max(r["seconds"] for r in res)
    return {"records_per_s": round(sum(r["n"] for r in res) / slowest),
            "peak_mb": round(max(r["peak_mb"] for r in res)),
            "load_s": round(max(r["load_s"] for r in res), 1), "n": sum(r["n"] for r in res)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--use-n", type=int, default=200, help="texts for grnti-use (slow)")
    ap.add_argument("--only", default="default,baseline,use")
    ap.add_argument("--also", action="append", default=[], metavar="NAME=PATH",
                    help="another model folder timed the same way (e.g. the previous default)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh runs per figure; the median is reported")
    ap.add_argument("--update-card", action="store_true")
    args = ap.parse_args()
    only = args.only.split(",")
    texts, distinct = unseen_texts(args.n)
    words = sum(len(t.split()) for t in texts) / len(texts)
    load = os.getloadavg()[0]
    print(f"{len(texts)} unseen texts (of {distinct} windows), {words:.0f} words each on average, "
          f"{os.cpu_count()} CPUs, load average {load:.1f}", flush=True)
    rows = []
    plan = [("grnti-default", "default", texts), ("baseline", "baseline", texts),
            ("grnti-use", "use", texts[: args.use_n])]
    plan[1:1] = [(path, name, texts) for name, _, path in (a.partition("=") for a in args.also)]
    only += [name for name, _, _ in (a.partition("=") for a in args.also)]
    for kind, key, sample in plan:
        if key not in only:
            continue
        for procs in (1, 2):
            if key == "use" and procs == 2:
                continue
            try:
                runs = [run(kind, sample, procs, load_allowance=60.0 if key == "use" else 20.0)
                        for _ in range(1 if key == "use" else args.repeat)]
                r = sorted(runs, key=lambda x: x["records_per_s"])[len(runs) // 2]  # the median run
            except Exception as exc:  # a backend that is not installed is reported, not fatal
                rows.append({"backend": kind, "processes": procs, "records_per_s": None, "note": f"not run: {exc}"})
                continue
            name = {"baseline": "baseline char_wb 2-5 + LinearSVC", "default": kind, "use": kind}.get(key, key)
            rows.append({"backend": f"{name}, {procs} process{'es' if procs > 1 else ''}",
                         "records_per_s": r["records_per_s"], "peak_mb": r["peak_mb"],
                         "note": f"{r['n']} unseen texts, cold caches, median of {len(runs)} fresh runs "
                                 f"({', '.join(str(x['records_per_s']) for x in runs)}); "
                                 f"model load {r['load_s']} s apart"})
            print(rows[-1], flush=True)
    print(json.dumps(rows, indent=1, ensure_ascii=False))
    if args.update_card:
        from bibmine.rubrics.model import MODELS_DIR, write_card

        note = (f"Texts never seen before ({len(texts)} distinct windows of ~{words:.0f} words of grnti/eval "
                "records), cold caches (fresh processes), model load timed apart; "
                f"{os.cpu_count()} CPU cores, load average {load:.1f} at the start; the baseline timed in the same "
                "run (scripts/bench_classify.py).")
        for name in ("grnti-default", "grnti-use"):
            path = MODELS_DIR / name
            card = json.loads((path / "card.json").read_text(encoding="utf-8"))
            card["speed"] = rows
            card["speed_note"] = note
            write_card(path, card)


if __name__ == "__main__":
    main()
