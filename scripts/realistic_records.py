"""Realistic benchmark inputs: real vendor records, each copy with its own title, identifiers and abstract.

Real Web of Science plain-text records (``../shared/data/samples/wos_plaintext``: ~6 KB each,
with their cited references) and real RIS records (``scopus_ris``, ``ris_nonascii``) are copied
N times.  Each copy gets its own title (a real title of the GRNTI sets or the WoS samples, or a
real sentence of the GRNTI abstracts, each once; past those ~40,000, one with the first words of
another, no pair twice), its own UT / DOI, and for RIS a real abstract from ``../shared/data/grnti``.
Identifiers that would tie copies together (PubMed ids, Scopus EIDs in URLs, accession
numbers) are dropped, so every copy is a distinct work, as in a real export.  Nothing is
copied into the project: the files are read from ``../shared/data`` at run time.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SAMPLES = SHARED / "samples"
GRNTI = SHARED / "grnti"

_WOS_FIELD = re.compile(r"\n(?!   )")
_WOS_DROP = {"TI", "UT", "DI", "PM", "D2", "FN", "VR", "EF"}
_RIS_DROP = {"TI", "T1", "TT", "ST", "DO", "UR", "AN", "L1", "L2", "L4", "AB", "N2", "ID", "M1", "DB", "C7"}


def real_titles_and_abstracts() -> tuple[list[str], list[str]]:
    """Distinct real titles and abstracts of the GRNTI sets (Russian) and the WoS samples (English)."""
    csv.field_size_limit(1 << 30)
    titles: dict[str, None] = {}
    abstracts: dict[str, None] = {}
    for path in sorted(GRNTI.glob("*/*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if "title" not in (reader.fieldnames or ()):
                continue
            for row in reader:
                t = " ".join((row.get("title") or "").split())
                a = " ".join((row.get("abstract") or "").split())
                if len(t.split()) >= 3:
                    titles[t] = None
                if len(a) > 200:
                    abstracts[a[:2500]] = None
    for block in wos_blocks():
        for tag, value in block:
            if tag == "TI":
                titles[" ".join(value.split())] = None
    return list(titles), list(abstracts)


def title_pool() -> list[str]:
    """Distinct real title-like texts: the real titles, then sentences of 6-25 words from the GRNTI
    abstracts and text segments (about 40,000 in all)."""
    csv.field_size_limit(1 << 30)
    titles, _ = real_titles_and_abstracts()
    pool = dict.fromkeys(titles)
    for path in sorted(GRNTI.glob("*/*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for col in ("abstract", "segment_text", "annotation"):
                    for sentence in re.split(r"(?<=[.!?])\s+", " ".join((row.get(col) or "").split())):
                        if 6 <= len(sentence.split()) <= 25:
                            pool.setdefault(sentence.rstrip("."), None)
    return list(pool)


def wos_blocks() -> list[list[tuple[str, str]]]:
    """Every record of the WoS plain-text samples as [(tag, value with its continuation lines)]."""
    out = []
    for path in sorted((SAMPLES / "wos_plaintext").glob("*.txt")):
        text = path.read_text("utf-8-sig").replace("\r\n", "\n")
        for body in re.split(r"\nER\s*\n", text):
            start = body.find("PT ")
            if start < 0:
                continue
            fields = []
            for field in _WOS_FIELD.split(body[start:].strip("\n")):
                if len(field) >= 2 and field[:2] not in ("ER", "EF"):
                    fields.append((field[:2], field[3:]))
            out.append(fields)
    return out


def ris_blocks() -> list[list[tuple[str, str]]]:
    """Every record of the RIS samples as [(tag, value)]."""
    out = []
    for folder in ("scopus_ris", "ris_nonascii"):
        for path in sorted((SAMPLES / folder).glob("*.ris")):
            text = path.read_text("utf-8-sig").replace("\r\n", "\n")
            for body in re.split(r"\nER  -[^\n]*\n?", text):
                fields = [(line[:2], line[6:]) for line in body.split("\n") if re.match(r"^[A-Z][A-Z0-9]  -", line)]
                if any(tag == "TY" for tag, _ in fields):
                    out.append(fields)
    return out


class TitleSource:
    """Titles no two copies share: each text of :func:`title_pool` once (in an order ``seed`` picks),
    then one with the first words of another (each pair used once)."""

    def __init__(self, titles: list[str], seed: int):
        self.titles = titles
        self.rnd = random.Random(seed)
        self.order = list(range(len(titles)))
        self.rnd.shuffle(self.order)
        self.used: set[tuple[int, int]] = set()

    def next(self) -> str:
        if self.order:
            return self.titles[self.order.pop()]
        n = len(self.titles)
        while True:
            pair = (self.rnd.randrange(n), self.rnd.randrange(n))
            if pair[0] != pair[1] and pair not in self.used:
                self.used.add(pair)
                return f"{self.titles[pair[0]].rstrip('.')}: {' '.join(self.titles[pair[1]].split()[:4])}"


def _copy(fields: list[tuple[str, str]], drop: set[str], sep: str, first: str, added: list[tuple[str, str]]
          ) -> list[str]:
    """A record's lines without the ``drop`` tags, with ``added`` (tag, value) right after the ``first`` tag."""
    lines = []
    for tag, value in fields:
        if tag in drop:
            continue
        lines.append(f"{tag}{sep}{value}")
        if tag == first:
            lines.extend(f"{t}{sep}{v}" for t, v in added)
    return lines


def write_wos(path: Path, n: int, seed: int) -> None:
    """N real WoS records, each with its own TI, UT and DI (``seed`` picks the titles: inputs never seen)."""
    blocks = wos_blocks()
    source = TitleSource(title_pool(), seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for i in range(n):
            lines = _copy(blocks[i % len(blocks)], _WOS_DROP, " ", "PT", [("TI", source.next())])
            lines += [f"DI 10.5555/bench.{seed}.{i}", f"UT WOS:{seed % 1000:03d}{i:012d}"]
            out.write("\n".join(lines) + "\nER\n\n")
        out.write("EF\n")


def write_ris(path: Path, n: int, seed: int) -> None:
    """N real RIS records, each with its own TI, DO and a real abstract."""
    _, abstracts = real_titles_and_abstracts()
    blocks = ris_blocks()
    source = TitleSource(title_pool(), seed)
    rnd = random.Random(seed + 1)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            added = [("TI", source.next()), ("AB", rnd.choice(abstracts))]
            lines = _copy(blocks[i % len(blocks)], _RIS_DROP, "  - ", "TY", added)
            lines.append(f"DO  - 10.5556/bench.{seed}.{i}")
            out.write("\n".join(lines) + "\nER  - \n\n")


WRITERS = {"wos_plaintext": write_wos, "ris": write_ris}
