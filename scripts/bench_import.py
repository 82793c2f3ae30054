"""Import benchmark: records/s and peak memory per format, streaming into SQLite.

    python scripts/bench_import.py                 # 100,000 records per format
    python scripts/bench_import.py --n 20000 --formats ris
    python scripts/bench_import.py --realistic     # real WoS / RIS records, against wosfile and rispy

--realistic builds inputs never seen before from real vendor records
(scripts/realistic_records.py: real WoS records with their cited references, real RIS records
with real abstracts, each copy with its own title and identifiers) at each size of --sizes, and
in fresh child processes, one after the other in the same run, times the peer's bare parse
(wosfile for WoS, rispy for RIS), bibmine's parse alone, and bibmine's import (parse, dedup,
store) into a new corpus.  It prints records/s, CPU seconds (the reader process included),
CPU per record, peak memory (writer and reader process) and the ratio of the import to the
peer's parse.  The figures README quotes come from this mode.

For each format it generates N synthetic records (INVENTED), then in a fresh child
process measures (a) the baseline: parsing alone, (b) the full import with dedup
into a new corpus file; it prints records/s for both, their ratio, and the child's
peak RSS.  The same import at N/4 shows whether memory grows with file size.
Target: >= 20,000 records/s for ris, wos_plaintext and openalex_json on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _vocabulary(alphabet: str, n: int, seed: int) -> list[str]:
    """n distinct pseudo-words (2-4 syllables): titles as varied as real ones, so that blocking
    keys collide about as often as in a real corpus (a tiny word list makes every title a
    near-duplicate candidate of every other)."""
    rnd = random.Random(seed)
    consonants, vowels = alphabet.split("|")
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rnd.choice(consonants) + rnd.choice(vowels) for _ in range(rnd.randint(2, 4))))
    return sorted(words)


WORDS = _vocabulary("bcdfghklmnprstvz|aeiou", 20000, 1)
RU_WORDS = _vocabulary("бвгдзклмнпрстфх|аеиоуя", 20000, 2)
CITIES = ["Voronezh", "Belgorod", "Kursk", "Lipetsk", "Tambov"]


def _title(rnd: random.Random, i: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"


def gen_ris(path: Path, n: int, rnd: random.Random) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(
                f"TY  - JOUR\nTI  - {_title(rnd, i)}\nTT  - {' '.join(rnd.choice(RU_WORDS) for _ in range(6))}\n"
                f"AU  - Ivanov{i % 997}, I.\nAU  - Petrova{i % 499}, A.\n"
                f"AD  - {rnd.choice(CITIES)} State University, Russia\n"
                f"AB  - {' '.join(rnd.choice(WORDS) for _ in range(120))}\n"
                f"KW  - {rnd.choice(WORDS)}\nKW  - {rnd.choice(WORDS)}\nPY  - {2000 + i % 25}\n"
                f"JO  - Journal {i % 50}\nSN  - 1234-567X\nVL  - {i % 40}\nSP  - 1\nEP  - 10\n"
                f"DO  - 10.5555/bench.ris.{i}\nER  - \n\n"
            )


def gen_wos(path: Path, n: int, rnd: random.Random) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for i in range(n):
            refs = "\n   ".join(f"Author{j} X, {2000 + j}, J {j}, V{j}, P{j}" for j in range(10))
            out.write(
                f"PT J\nAU Ivanov{i % 997}, I\n   Petrova{i % 499}, A\nAF Ivanov{i % 997}, Ivan\n"
                f"   Petrova{i % 499}, Anna\nTI {_title(rnd, i)}\nSO JOURNAL {i % 50}\nLA English\n"
                f"DT Article\nDE {rnd.choice(WORDS)}; {rnd.choice(WORDS)}\n"
                f"AB {' '.join(rnd.choice(WORDS) for _ in range(120))}\n"
                f"C1 [Ivanov{i % 997}, Ivan; Petrova{i % 499}, Anna] {rnd.choice(CITIES)} State Univ, "
                f"{rnd.choice(CITIES)}, Russia.\nCR {refs}\nNR 10\nTC {i % 30}\nPY {2000 + i % 25}\n"
                f"VL {i % 40}\nBP 1\nEP 10\nDI 10.5555/bench.wos.{i}\nUT WOS:{i:015d}\nER\n\n"
            )
        out.write("EF\n")


def gen_openalex(path: Path, n: int, rnd: random.Random) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            words = [rnd.choice(WORDS) for _ in range(120)]
            inverted: dict[str, list[int]] = {}
            for pos, w in enumerate(words):
                inverted.setdefault(w, []).append(pos)
            city = rnd.choice(CITIES)
            work = {
                "id": f"https://openalex.org/W{9000000000 + i}",
                "doi": f"https://doi.org/10.5555/bench.oa.{i}",
                "title": _title(rnd, i),
                "display_name": _title(rnd, i),
                "publication_year": 2000 + i % 25,
                "publication_date": f"{2000 + i % 25}-01-01",
                "language": "en",
                "type": "article",
                "primary_location": {
                    "source": {
                        "display_name": f"Journal {i % 50}",
                        "issn_l": "1234-567X",
                        "issn": ["1234-567X"],
                        "type": "journal",
                    }
                },
                "authorships": [
                    {
                        "author_position": "first",
                        "author": {
                            "id": f"https://openalex.org/A{i}",
                            "display_name": f"Ivan Ivanov{i % 997}",
                            "orcid": None,
                        },
                        "institutions": [
                            {
                                "id": "https://openalex.org/I1",
                                "display_name": f"{city} State University",
                                "country_code": "RU",
                                "type": "education",
                            }
                        ],
                        "countries": ["RU"],
                        "raw_affiliation_strings": [f"{city} State University, {city}, Russia"],
                    }
                ],
                "biblio": {"volume": str(i % 40), "issue": "1", "first_page": "1", "last_page": "10"},
                "cited_by_count": i % 30,
                "updated_date": "2026-10-01T00:00:00",
                "abstract_inverted_index": inverted,
                "referenced_works": [f"https://openalex.org/W{j}" for j in range(10)],
            }
            out.write(json.dumps(work, ensure_ascii=False) + "\n")


GENERATORS = {"ris": gen_ris, "wos_plaintext": gen_wos, "openalex_json": gen_openalex}


def worker(path: Path, fmt: str, corpus_path: Path, fuzzy: bool = True) -> dict:
    """Runs in a child process: baseline parse, then the full import."""
    from bibmine.corpus.importer import import_files
    from bibmine.corpus.store import Corpus
    from bibmine.sources.files import open_export

    t0 = time.perf_counter()
    n = sum(1 for _ in open_export(path, fmt).records())
    parse_s = time.perf_counter() - t0
    with Corpus(corpus_path) as corpus:
        t0 = time.perf_counter()
        [report] = import_files(corpus, [path], format=fmt, fuzzy=fuzzy)
        import_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "format": fmt,
        "records": n,
        "new": report.new,
        "rejected": report.rejected,
        "parse_rps": n / parse_s,
        "import_rps": report.read / import_s,
        "peak_rss_mb": peak_mb,
    }


def run_child(path: Path, fmt: str, corpus_path: Path, fuzzy: bool = True) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(path), fmt, str(corpus_path), "fuzzy" if fuzzy else "exact"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


PEERS = {"wos_plaintext": "wosfile", "ris": "rispy"}


def realistic_worker(what: str, path: Path, fmt: str, corpus_path: Path) -> dict:
    """In a fresh child: peer / parse / import of ``path``; time and CPU of this process and its children."""
    t0, c0 = time.perf_counter(), time.process_time()
    if what == "peer" and fmt == "wos_plaintext":
        import wosfile

        n = sum(1 for _ in wosfile.records_from(str(path)))
    elif what == "peer":
        import rispy

        with open(path, encoding="utf-8") as fh:
            n = len(rispy.load(fh))
    elif what == "parse":
        from bibmine.sources.files import open_export

        n = sum(1 for _ in open_export(path, fmt).records())
    else:
        from bibmine.corpus.importer import import_files
        from bibmine.corpus.store import Corpus

        with Corpus(corpus_path) as corpus:
            t0, c0 = time.perf_counter(), time.process_time()
            [report] = import_files(corpus, [path], format=fmt)
        n = report.read
        if report.new != n:
            print(f"note: {n - report.new} of {n} records merged or rejected", file=sys.stderr)
    wall = time.perf_counter() - t0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time() - c0  # the writer (dedup + store), or the whole parse
    cpu = own + kids.ru_utime + kids.ru_stime
    return {"what": what, "records": n, "rps": n / wall, "wall_s": wall, "cpu_s": cpu, "own_cpu_s": own,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "child_peak_mb": kids.ru_maxrss / 1024}


def _realistic_child(what: str, path: Path, fmt: str, corpus_path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--realistic-worker", what, str(path), fmt, str(corpus_path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def realistic(sizes: list[int], formats: list[str], seed: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from realistic_records import WRITERS

    print(f"{'format':<14}{'records':>9}{'MB':>6}{'peer':>9}{'peer rec/s':>12}{'parse rec/s':>13}{'import rec/s':>14}"
          f"{'import CPU s':>14}{'CPU ms/rec':>12}{'writer/reader ms':>18}{'peak MB':>9}{'reader MB':>11}"
          f"{'import/peer':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            for i, n in enumerate(sizes):
                path = Path(tmp) / f"{fmt}_{n}.txt"
                WRITERS[fmt](path, n, seed + 1000 * i)  # a new seed per file: titles never seen before
                mb = path.stat().st_size / 1e6
                peer = _realistic_child("peer", path, fmt, Path(tmp) / "unused")
                parse = _realistic_child("parse", path, fmt, Path(tmp) / "unused")
                imp = _realistic_child("import", path, fmt, Path(tmp) / f"{fmt}_{n}.sqlite")
                print(f"{fmt:<14}{n:>9}{mb:>6.0f}{PEERS[fmt]:>9}{peer['rps']:>12,.0f}{parse['rps']:>13,.0f}"
                      f"{imp['rps']:>14,.0f}{imp['cpu_s']:>14.1f}{1000 * imp['cpu_s'] / n:>12.2f}"
                      f"{1000 * imp['own_cpu_s'] / n:>11.2f} / {1000 * (imp['cpu_s'] - imp['own_cpu_s']) / n:.2f}"
                      f"{imp['peak_mb']:>9.0f}{imp['child_peak_mb']:>11.0f}{imp['rps'] / peer['rps']:>13.2f}",
                      flush=True)
                path.unlink()
    print("import = parse + prepare (reader process) + dedup + store (writer), wall clock; CPU counts both processes "
          "(writer / reader: CPU ms per record of each); peer = its bare parse of the same file, in the same run")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), sys.argv[5] == "fuzzy")))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--realistic-worker":
        print(json.dumps(realistic_worker(sys.argv[2], Path(sys.argv[3]), sys.argv[4], Path(sys.argv[5]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--formats", default=",".join(GENERATORS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-fuzzy", action="store_true", help="exact identifier dedup only (bibmine import --no-fuzzy)")
    ap.add_argument("--realistic", action="store_true", help="real WoS/RIS records against wosfile and rispy")
    ap.add_argument("--sizes", default="10000,100000", help="--realistic: records per file")
    args = ap.parse_args()
    if args.realistic:
        formats = [f for f in args.formats.split(",") if f in PEERS]
        realistic([int(x) for x in args.sizes.split(",")], formats, args.seed)
        return
    print(
        f"{'format':<15}{'records':>9}{'parse rec/s':>13}{'import rec/s':>14}{'ratio':>7}"
        f"{'peak MB':>9}{'peak MB @N/4':>14}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            rows = []
            for n in (args.n, max(args.n // 4, 1)):
                path = Path(tmp) / f"{fmt}_{n}.dat"
                GENERATORS[fmt](path, n, random.Random(args.seed))
                rows.append(run_child(path, fmt, Path(tmp) / f"{fmt}_{n}.sqlite", not args.no_fuzzy))
            full, quarter = rows
            print(
                f"{fmt:<15}{full['records']:>9}{full['parse_rps']:>13,.0f}{full['import_rps']:>14,.0f}"
                f"{full['import_rps'] / full['parse_rps']:>7.2f}{full['peak_rss_mb']:>9.0f}"
                f"{quarter['peak_rss_mb']:>14.0f}"
            )
    print("ratio = import rate / parse-only baseline in the same child process")


if __name__ == "__main__":
    main()
