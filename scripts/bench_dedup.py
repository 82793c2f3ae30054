"""Dedup benchmark: quality on the labelled set in every file order, and speed on 20,000 distinct records.

    python scripts/bench_dedup.py                    # all 120 orders + 20,000 generated records
    python scripts/bench_dedup.py --orders 10 --n 5000

1. ``tests/fixtures/dedup`` (INVENTED, 5 vendor formats): pair precision and recall over every
   order of its files (5! = 120); both must be 1.0 in every order.
2. ``bibmine.scale.generate.generate_records(N)`` (INVENTED; each record has its own DOI, titles
   repeat a small vocabulary, so many look alike): added in chunks of 1,000 to a new corpus in a
   fresh child process.  No two DOIs may merge: N works.  Prints records/s, CPU and peak memory,
   and the same at N/4, which shows whether the cost per record and memory stay flat.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "dedup"


def orders(limit: int | None) -> None:
    from bibmine.corpus.dedup_eval import evaluate_folder, read_labels

    files = sorted({f for f, _ in read_labels(FIXTURE / "labels.csv")})
    perms = list(itertools.permutations(files))[:limit]
    worst_p, worst_r, perfect = 1.0, 1.0, 0
    t0 = time.perf_counter()
    for order in perms:
        scores = evaluate_folder(FIXTURE, list(order))
        worst_p, worst_r = min(worst_p, scores.precision), min(worst_r, scores.recall)
        perfect += scores.precision == 1.0 and scores.recall == 1.0
        if scores.precision < 1.0 or scores.recall < 1.0:
            print(f"  order {', '.join(order)}: {scores}; wrong: {scores.wrong_pairs[:3]}")
    print(f"labelled set {FIXTURE.relative_to(ROOT)}: {len(perms)} file orders, precision 1.0 and recall 1.0 in "
          f"{perfect}; lowest precision {worst_p:.3f}, lowest recall {worst_r:.3f} ({time.perf_counter() - t0:.0f} s)")


def generated_worker(n: int, corpus_path: str) -> dict:
    from bibmine.corpus.importer import gc_paused
    from bibmine.corpus.ingest import Ingestor
    from bibmine.corpus.store import Corpus
    from bibmine.scale.generate import generate_records

    records = generate_records(n)  # generated chunk by chunk: the peak is the corpus's, not the input's
    with Corpus(corpus_path) as corpus, gc_paused():
        ingestor = Ingestor(corpus)
        batch = corpus.start_batch("file", "generated")
        wall = cpu = 0.0
        with corpus.transaction():
            while chunk := list(itertools.islice(records, 1000)):
                t0, c0 = time.perf_counter(), time.process_time()
                ingestor.add_many(chunk, batch)
                wall, cpu = wall + time.perf_counter() - t0, cpu + time.process_time() - c0
        works = corpus.count()
        reviews = corpus.db.execute("SELECT count(*) FROM dedup_candidates").fetchone()[0]
    return {"n": n, "works": works, "reviews": reviews, "rps": n / wall, "cpu_s": cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def generated(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for size in (n, max(n // 4, 1)):
            out = subprocess.run([sys.executable, __file__, "--worker", str(size), f"{tmp}/g{size}.sqlite"],
                                 check=True, capture_output=True, text=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in rows:
        verdict = "ok" if r["works"] == r["n"] else f"WRONG: {r['n'] - r['works']} records merged across DOIs"
        print(f"generated records {r['n']:>7,}: {r['works']:,} works ({verdict}); {r['reviews']:,} review pairs; "
              f"{r['rps']:,.0f} records/s, CPU {r['cpu_s']:.1f} s ({1000 * r['cpu_s'] / r['n']:.2f} ms/record), "
              f"peak {r['peak_mb']:.0f} MB")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(generated_worker(int(sys.argv[2]), sys.argv[3])))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=None, help="only the first N file orders")
    ap.add_argument("--n", type=int, default=20_000, help="generated records")
    args = ap.parse_args()
    orders(args.orders)
    generated(args.n)


if __name__ == "__main__":
    main()
