"""Parse rate of the openalex_json reader on OpenAlex JSON Lines (no database).

Writes N works (default 50,000) to a temporary .jsonl file, cycling through the real
works of the shared OpenAlex sample (49 works, about 16 KB each, all with long
abstracts) or, without the samples, through the INVENTED test fixture, with fresh
ids; then reads it with ``read_openalex_json`` and reports records/s (wall and CPU),
peak memory, and the ratio to a baseline in the same process (``msgspec`` decode of
each line, nothing else).

    .venv/bin/python scripts/bench_openalex_jsonl_parse.py [N]
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import msgspec

from bibmine.sources.readers.openalex_json import read_openalex_json

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared/data/samples/openalex_json/peneira_openalex_works_list.json"
FIXTURE = ROOT / "tests/fixtures/openalex_json/ru_work.json"


def make_file(path: Path, n: int) -> None:
    if SAMPLE.exists():
        works = json.loads(SAMPLE.read_text(encoding="utf-8"))["results"]
    else:
        works = [json.loads(FIXTURE.read_text(encoding="utf-8"))]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            work = dict(works[i % len(works)], id=f"https://openalex.org/W{5_000_000_000 + i}")
            fh.write(json.dumps(work, ensure_ascii=False, separators=(",", ":")) + "\n")


def timed(fn) -> tuple[int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    n = fn()
    return n, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "works.jsonl"
        make_file(path, n)
        size = path.stat().st_size

        def baseline() -> int:
            decode = msgspec.json.Decoder().decode
            with open(path, "rb") as fh:
                return sum(1 for line in fh if decode(line))

        def reader() -> int:
            return sum(1 for _ in read_openalex_json(path, "utf-8"))

        nb, _, cpu_b = timed(baseline)
        nr, wall_r, cpu_r = timed(reader)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{nr} records, {size / nr / 1024:.1f} KB/record")
    print(f"reader:   {nr / wall_r:,.0f} records/s wall, {nr / cpu_r:,.0f} records/s CPU")
    print(f"baseline: {nb / cpu_b:,.0f} lines/s CPU (msgspec decode only); reader/baseline {cpu_b / cpu_r:.2f}")
    print(f"peak RSS: {peak} MB")


if __name__ == "__main__":
    main()
