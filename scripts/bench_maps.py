"""Maps benchmark: build, cluster and lay out a 1,000-item keyword map from N generated records.

    python scripts/bench_maps.py                    # 1,000,000 records, and N/4 for scaling
    python scripts/bench_maps.py --n 200000 --top 1000

Records are generated on the fly (INVENTED: ~10 author keywords from 40 topics with Zipf
word frequencies, English and Russian words, a year, a citation count and one or two regions)
and streamed, never held in memory.  For each size a fresh child process measures (a) the
baseline: generating and iterating the records alone, (b) the full map: collecting the
incidence matrix, selecting the top items by total link strength, counting links (full
counting), association strength, Leiden clustering, VOS layout and overlay scores.  It prints
records/s for both, their ratio, the seconds of each phase and the child's peak RSS.
Goal (issue 9): < 60 s and < 4 GiB for 1,000,000 records and a 1,000-item map.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

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


def worker(n: int, top: int, seed: int) -> dict:
    """Runs in a child process: baseline, then the map, phase by phase."""
    import numpy as np

    from bibmine.maps.build import MapOptions, cluster_graph, default_layout, layout_graph, network_from_incidence
    from bibmine.maps.collect import collect

    t0 = time.perf_counter()
    seen = sum(1 for _ in records(n, seed))
    baseline_s = time.perf_counter() - t0

    phases = {}
    t0 = time.perf_counter()
    inc = collect(records(n, seed), "keywords")
    phases["collect"] = time.perf_counter() - t0
    t = time.perf_counter()
    graph = network_from_incidence(inc, "keywords", MapOptions(top_n=top))
    phases["select+count+overlay"] = time.perf_counter() - t
    t = time.perf_counter()
    cluster_graph(graph, "association")
    phases["cluster"] = time.perf_counter() - t
    t = time.perf_counter()
    layout_graph(graph, "association", default_layout("keywords"))
    phases["layout"] = time.perf_counter() - t
    total = sum(phases.values())
    finite = bool(np.isfinite([graph.nodes[v]["x"] for v in graph]).all())
    clusters = {graph.nodes[v]["cluster"] for v in graph}
    return {"records": seen, "baseline_rps": seen / baseline_s, "map_rps": seen / total, "total_s": total,
            "phases": phases, "items": graph.number_of_nodes(), "links": graph.number_of_edges(),
            "clusters": len(clusters), "distinct_keywords": len(inc.keys), "finite_layout": finite,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(n: int, top: int, seed: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", str(n), str(top), str(seed)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--top", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-scaling", action="store_true", help="skip the run at N/4")
    args = ap.parse_args()
    sizes = [args.n] if args.no_scaling else [max(args.n // 4, 1), args.n]
    print(f"{'records':>9}{'gen rec/s':>11}{'map rec/s':>11}{'ratio':>7}{'collect s':>10}{'count s':>9}"
          f"{'cluster s':>10}{'layout s':>10}{'total s':>9}{'peak MB':>9}{'items':>7}{'links':>9}{'clusters':>9}")
    for n in sizes:
        r = run_child(n, args.top, args.seed)
        p = r["phases"]
        print(f"{r['records']:>9}{r['baseline_rps']:>11,.0f}{r['map_rps']:>11,.0f}"
              f"{r['map_rps'] / r['baseline_rps']:>7.2f}{p['collect']:>10.1f}{p['select+count+overlay']:>9.1f}"
              f"{p['cluster']:>10.1f}{p['layout']:>10.1f}{r['total_s']:>9.1f}{r['peak_rss_mb']:>9.0f}"
              f"{r['items']:>7}{r['links']:>9}{r['clusters']:>9}")
    print("ratio = map rate / generate-and-iterate baseline in the same child process; total = collect + count + "
          "cluster + layout (generation included in collect, as a corpus read would be)")


if __name__ == "__main__":
    main()
