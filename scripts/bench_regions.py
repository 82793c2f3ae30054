"""Benchmark: affiliations placed per second, and peak memory.

Input: the strings of tests/regions/affiliations.csv (INVENTED), each prefixed with a
varying department so that every string is distinct (the matcher keeps no whole-string
cache; repeated words do hit the per-word key cache, as they do in a real corpus).

Prints, all measured in this process:
  baseline   tokenizing only (the floor: regex + per-word key cache)
  matcher    full placement, one process, second pass (every word's keys cached; the
             first, cold pass is printed too)
  parallel   full placement, one worker per CPU (Matcher.locate_many in a process pool)
  ratio      matcher / baseline
  peak       tracemalloc peak while loading the gazetteer and placing 20,000 strings; max RSS

Target (issue 5): >= 20,000 affiliations/s on the project's machine.
    python scripts/bench_regions.py [N]
"""

from __future__ import annotations

import csv
import multiprocessing as mp
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibmine.regions.matcher import Matcher  # noqa: E402

DEPARTMENTS = ["Department of Physics", "Кафедра органической химии", "Laboratory of Catalysis",
               "Faculty of Economics", "Институт математики", "Dept Chem", "Research Center"]


def inputs(n: int) -> list[str]:
    with open(ROOT / "tests/regions/affiliations.csv", encoding="utf-8") as fh:
        base = [r["text"] for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [f"{DEPARTMENTS[i % len(DEPARTMENTS)]} {i % 5000}, {base[i % len(base)]}" for i in range(n)]


def rate(fn, texts) -> float:
    t = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - t)


_WORKER: Matcher | None = None


def _init() -> None:
    global _WORKER
    _WORKER = Matcher()


def _work(chunk: list[str]) -> int:
    return sum(1 for p in _WORKER.locate_many(chunk) if p.region)


def main(n: int = 100_000) -> None:
    texts = inputs(n)
    tracemalloc.start()
    matcher = Matcher()
    for t in texts[:20_000]:
        matcher.locate(t)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    matcher = Matcher()
    tokenize = matcher.index.keys.tokenize
    cold = rate(lambda ts: [matcher.locate(t) for t in ts], texts)  # lemmatizes every new word once
    baseline = rate(lambda ts: [tokenize(t) for t in ts], texts)
    warm = rate(lambda ts: [matcher.locate(t) for t in ts], texts)
    placed = sum(1 for t in texts[:20_000] if matcher.locate(t).region)

    workers = os.cpu_count() or 1
    chunks = [texts[i:i + 2000] for i in range(0, len(texts), 2000)]
    with mp.get_context("fork").Pool(workers, initializer=_init) as pool:
        pool.map(_work, chunks, chunksize=1)  # warm every worker's caches
        t = time.perf_counter()
        pool.map(_work, chunks)
        parallel = len(texts) / (time.perf_counter() - t)

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"inputs      {n:,} distinct affiliation strings ({placed / 200:.1f}% of the first 20,000 placed)")
    print(f"baseline    {baseline:,.0f} strings/s (tokenize only)")
    print(f"matcher     {warm:,.0f} affiliations/s, 1 process (cold first pass: {cold:,.0f}/s)")
    print(f"parallel    {parallel:,.0f} affiliations/s, {workers} processes")
    print(f"ratio       {warm / baseline:.3f} of baseline (1 process)")
    print(f"peak        {peak / 2**20:.1f} MiB traced (load + 20,000 placements); max RSS {rss:.0f} MiB")
    print(f"target      >= 20,000 affiliations/s: {'met' if max(warm, parallel) >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
