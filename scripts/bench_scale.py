"""Benchmark: place + classify + count over a Parquet dataset with 1 and with 2 Dask workers.

Generates N INVENTED records (:mod:`bibmine.scale.generate`) as a Parquet dataset, then runs one
task per part - region placement, rubric classification with the default model (sent once per
worker), and the S&T partial counts - on a LocalCluster of 1 worker and of 2 workers, and prints
records/s, the ratio of the two, and the peak resident memory of each worker.  Memory per worker
depends on the part size, not on N: compare two values of --n.

    python scripts/bench_scale.py                      # N = 1,000,000
    python scripts/bench_scale.py --n 100000 --part-size 25000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from bibmine.corpus.parquet import iter_part_batches, open_dataset, write_parquet
from bibmine.regions.partitions import _matcher
from bibmine.regions.store import placement_rows
from bibmine.rubrics.corpus_ops import rank_records
from bibmine.rubrics.model import RubricModel
from bibmine.scale.engine import DaskEngine
from bibmine.scale.generate import generate_records
from bibmine.specialization.corpus_counts import record_rubrics, st_table
from bibmine.specialization.counting import combine_st, count_st_partial


def place_classify_count(part: str, dataset: str, model):
    """One part through the three heavy stages, without a corpus file, 5,000 records at a time."""
    from bibmine.corpus.model import RubricAssignment

    partials, n = [], 0
    for records in iter_part_batches(open_dataset(dataset), part):
        for record, (_uid, rows) in zip(records, placement_rows(_matcher(None), records), strict=True):
            for aff, row in zip(record.affiliations, rows, strict=True):
                aff.country, aff.region, aff.city, aff.organization = row[2], row[3], row[4], row[5]
        ranked, _ = rank_records(model, records)
        tops = dict(ranked)
        for record in records:
            record.rubrics += [RubricAssignment("grnti", code, "automatic", model.model_id, score)
                               for code, score in tops.get(record.id, [])]
        table, _excluded = st_table(records, record_rubrics(records))
        partials.append(count_st_partial(table, counting="fractional", country="RU"))
        n += len(records)
    return combine_st(partials, counting="fractional", country="RU"), n


def run(dataset, model, workers: int) -> dict:
    with DaskEngine(workers=workers) as engine:
        shared = engine.broadcast(model)
        start = time.perf_counter()
        results, n = [], 0
        for _part, (counts, count) in engine.map(place_classify_count, dataset.parts, str(dataset.path), shared):
            results.append(counts.values)
            n += count
        values = pd.concat(results).groupby(["region", "category"])["value"].sum()
        seconds = time.perf_counter() - start
        memory = engine.worker_memory()
    return {"records": n, "seconds": seconds, "rate": n / seconds, "cells": len(values),
            "peak_mib": sorted(v / 2**20 for v in memory.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--part-size", type=int, default=50_000)
    ap.add_argument("--workers", default="1,2", help="comma list of worker counts to run")
    ap.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-")) / "dataset"
    t = time.perf_counter()
    write_parquet(generate_records(args.n, seed=1), folder, part_size=args.part_size)
    print(f"generated {args.n:,} records in {time.perf_counter() - t:.1f} s "
          f"({len(open_dataset(folder).parts)} parts of {args.part_size:,})")
    dataset = open_dataset(folder)
    model = RubricModel.load("grnti-default")
    results = {}
    for workers in (int(w) for w in args.workers.split(",")):
        r = results[workers] = run(dataset, model, workers)
        print(f"{workers} worker(s): {r['records']:,} records in {r['seconds']:.1f} s = {r['rate']:,.0f} records/s; "
              f"peak memory per worker {', '.join(f'{m:.0f}' for m in r['peak_mib'])} MiB; {r['cells']} cells")
    if 1 in results and 2 in results:
        print(f"speed-up 2 workers / 1 worker: {results[2]['rate'] / results[1]['rate']:.2f}x")
    if not args.keep:
        shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
