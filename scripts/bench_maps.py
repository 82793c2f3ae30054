"""Maps benchmark: seconds per stage for the co-citation and authors maps of the real samples and
for 1,000-item keyword maps of 10k, 100k and 1M generated records.

    python scripts/bench_maps.py                          # samples, then 10k, 100k, 1M generated records
    python scripts/bench_maps.py --sizes 10000 100000     # generated sizes only as given
    python scripts/bench_maps.py --no-samples --sizes 200000 --top 1000

Samples (issue 21): the Web of Science exports of ``../shared/data/samples/wos_*`` are imported
into a temporary corpus (not timed); the co-citation map of all of them (target < 30 s) and the
authors map of 500 records of the WoS and Scopus samples (target < 3 s) are built stage by stage:
read the corpus, collect + count + select, cluster (Leiden), layout (VOS), write + validate the
files (map.txt, network.txt, map.json, preview.png).  Skipped when ``../shared`` is absent.
Every stage reports wall-clock and CPU seconds: on a shared machine the CPU seconds are the
figure to compare.

Records are generated on the fly (INVENTED: ~10 author keywords from 40 topics with Zipf
word frequencies, English and Russian words, a year, a citation count and one or two regions)
and streamed, never held in memory.  For each size a fresh child process measures (a) the
baseline: generating and iterating the records alone, (b) the full map: collecting the
incidence matrix, selecting the top items by total link strength, counting links (full
counting), association strength, Leiden clustering, VOS layout and overlay scores.  It prints
records/s for both, their ratio, the seconds of each phase and the child's peak RSS.
Goal (issues 9, 21): < 60 s and < 4 GiB for 1,000,000 records and a 1,000-item map.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOPICS = 40
WORDS_PER_TOPIC = 400
EN = ["soil", "carbon", "regional", "innovation", "cluster", "wheat", "breeding", "metallurgy", "composite",
      "network", "economy", "chernozem", "river", "ecology", "machine", "digital", "agriculture", "genetics",
      "polymer", "catalysis", "laser", "optics", "migration", "tourism", "policy", "university", "patent"]
RU = ["почва", "углерод", "кластер", "пшеница", "селекция", "металлургия", "композит", "сеть", "экономика",
      "чернозем", "река", "экология", "регион", "инновация", "технология", "образование", "здоровье"]
REGIONS = ["RU-VOR", "RU-BEL", "RU-KRS", "RU-LIP", "RU-TAM", "RU-MOW", "RU-SPE", "RU-NVS", "RU-TA", "RU-SVE"]


def vocabulary() -> list[list[str]]:
    """Per topic, WORDS_PER_TOPIC distinct keywords (two-word phrases, every fourth in Russian)."""
    rnd = random.Random(7)
    out = []
    for t in range(TOPICS):
        words = []
        for w in range(WORDS_PER_TOPIC):
            base = RU if w % 4 == 0 else EN
            words.append(f"{rnd.choice(base)} {rnd.choice(base)} {t}-{w}")
        out.append(words)
    return out


def records(n: int, seed: int):
    """N records streamed one by one (INVENTED)."""
    import numpy as np

    from bibmine.corpus.model import Affiliation, CitationCount, Kind, Record

    vocab = vocabulary()
    rng = np.random.default_rng(seed)
    affs = [Affiliation(f"University of {r}", organization=f"University of {r}", region=r, country="RU")
            for r in REGIONS]
    counts = [CitationCount(c, "scopus") for c in range(200)]
    ranks = np.arange(1, WORDS_PER_TOPIC + 1)
    zipf = 1.0 / ranks
    zipf /= zipf.sum()
    chunk = 10_000
    made = 0
    while made < n:
        m = min(chunk, n - made)
        topics = rng.integers(0, TOPICS, m)
        other = rng.integers(0, TOPICS, m)
        own = rng.choice(WORDS_PER_TOPIC, size=(m, 8), p=zipf)
        mixed = rng.choice(WORDS_PER_TOPIC, size=(m, 2), p=zipf)
        years = rng.integers(2000, 2025, m)
        cites = rng.integers(0, 200, m)
        regs = rng.integers(0, len(REGIONS), (m, 2))
        two = rng.random(m) < 0.3
        for i in range(m):
            t, o = topics[i], other[i]
            kws = [vocab[t][k] for k in own[i]] + [vocab[o][k] for k in mixed[i]]
            aff = [affs[regs[i, 0]], affs[regs[i, 1]]] if two[i] else [affs[regs[i, 0]]]
            yield Record(kind=Kind.ARTICLE, author_keywords=kws, year=int(years[i]), affiliations=aff,
                         citations=[counts[cites[i]]])
        made += m


class Stages:
    """Wall-clock and CPU seconds of named stages."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._t = (time.perf_counter(), time.process_time())

    def mark(self, name: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.wall[name] = now[0] - self._t[0]
        self.cpu[name] = now[1] - self._t[1]
        self._t = now


def _finish(graph, stages: Stages, out_dir: Path | None) -> dict:
    from bibmine.maps.build import cluster_graph, default_layout, layout_graph

    kind = graph.graph["kind"]
    cluster_graph(graph, "association")
    stages.mark("cluster")
    layout_graph(graph, "association", default_layout(kind))
    stages.mark("layout")
    if out_dir is not None:
        from bibmine.maps.output import write_all

        _, violations = write_all(graph, out_dir)
        assert not [v for v in violations if v.severity == "error"], violations[:3]
        stages.mark("write")
    return {"wall": stages.wall, "cpu": stages.cpu, "items": graph.number_of_nodes(),
            "links": graph.number_of_edges(), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def worker(n: int, top: int, seed: int) -> dict:
    """Runs in a child process: baseline, then the keyword map, stage by stage."""
    from bibmine.maps.build import MapOptions, network_from_incidence
    from bibmine.maps.collect import collect

    t0 = time.perf_counter()
    seen = sum(1 for _ in records(n, seed))
    baseline_s = time.perf_counter() - t0
    stages = Stages()
    inc = collect(records(n, seed), "keywords")
    stages.mark("collect")
    graph = network_from_incidence(inc, "keywords", MapOptions(top_n=top))
    stages.mark("count")
    out = _finish(graph, stages, None)
    out.update(records=seen, baseline_rps=seen / baseline_s)
    return out


def sample_worker(kind: str, limit: int, globs: list[str]) -> dict:
    """Runs in a child process: import the samples (untimed), then build ``kind`` stage by stage."""
    from itertools import islice

    from bibmine.corpus.importer import import_files
    from bibmine.corpus.store import Corpus
    from bibmine.maps.build import MapOptions, build_network

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "samples.sqlite"
        files = sorted(p for g in globs for p in SAMPLES.glob(g) if p.is_file())
        with Corpus(path) as corpus:
            import_files(corpus, files, processes=1)
        stages = Stages()
        with Corpus(path, must_exist=True) as corpus:
            works = list(islice(corpus.iter_works(), limit)) if limit else list(corpus.iter_works())
        stages.mark("read")
        graph = build_network(works, kind, MapOptions())
        stages.mark("count")
        out = _finish(graph, stages, Path(tmp) / "out")
    out.update(records=len(works))
    return out


SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "samples"
SAMPLE_MAPS = [("co-citation, WoS samples", "cocitation", 0, ["wos_*/*"], 30.0),
               ("authors, 500 WoS+Scopus records", "authors", 500, ["wos_*/*", "scopus_*/*"], 3.0)]
STAGES = ["read", "collect", "count", "cluster", "layout", "write"]


def run_child(*args) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, *map(str, args)], check=True, capture_output=True, text=True,
                         env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(name: str, r: dict, target: float | None) -> str:
    cells = [f"{r['cpu'].get(s, float('nan')):>7.1f}/{r['wall'].get(s, float('nan')):<6.1f}" for s in STAGES]
    cpu, wall = sum(r["cpu"].values()), sum(r["wall"].values())
    verdict = "" if target is None else ("  ok" if cpu < target else "  OVER")
    return (f"{name:<34}{r['records']:>9}{r['items']:>7}{r['links']:>9} " + " ".join(cells) +
            f"{cpu:>8.1f}/{wall:<7.1f}{r['peak_rss_mb']:>7.0f}{'' if target is None else f'{target:>6.0f}'}{verdict}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--sample-worker":
        print(json.dumps(sample_worker(sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--top", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-samples", action="store_true", help="skip the maps of ../shared/data/samples")
    args = ap.parse_args()
    print(f"{'map':<34}{'records':>9}{'items':>7}{'links':>9} " +
          " ".join(f"{s + ' cpu/wall':>14}" for s in STAGES) + f"{'total cpu/wall':>16}{'MB':>7}{'target':>6}")
    if not args.no_samples:
        if SAMPLES.is_dir():
            for name, kind, limit, globs, target in SAMPLE_MAPS:
                print(_row(name, run_child("--sample-worker", kind, limit, ",".join(globs)), target), flush=True)
        else:
            print(f"(samples skipped: {SAMPLES} is not here)")
    for n in args.sizes:
        r = run_child("--worker", n, args.top, args.seed)
        print(_row(f"keywords, {n:,} generated (top {args.top})", r, 60.0 if n >= 1_000_000 else None), flush=True)
    print("seconds per stage as CPU/wall (the machine may be shared: compare CPU); generation is inside collect "
          "as a corpus read would be; target: CPU seconds of the issue-21 goal")


if __name__ == "__main__":
    main()
