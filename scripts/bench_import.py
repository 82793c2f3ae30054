"""Import benchmark: records/s and peak memory per format, streaming into SQLite.

    python scripts/bench_import.py                 # 100,000 records per format
    python scripts/bench_import.py --n 20000 --formats ris

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


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), sys.argv[5] == "fuzzy")))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--formats", default=",".join(GENERATORS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-fuzzy", action="store_true", help="exact identifier dedup only (bibmine import --no-fuzzy)")
    args = ap.parse_args()
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
