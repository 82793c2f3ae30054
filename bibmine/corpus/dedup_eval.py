"""How well dedup finds true duplicates: pair precision and recall against a labelled set.

A labelled set is a folder of export files and a ``labels.csv`` (``file,ordinal,group``:
the n-th record of a file belongs to a group; records of one group are one work).
:func:`evaluate_folder` imports the files into a fresh corpus in a given order and
compares the works with the groups, pair by pair:

- precision: of the record pairs bibmine put in one work, the share that share a group;
- recall: of the record pairs that share a group, the share bibmine put in one work.

``tests/fixtures/dedup`` holds an invented set (``scripts/make_dedup_set.py`` renders it);
``scripts/bench_dedup.py`` reports the figures over many file orders.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from bibmine.corpus.store import Corpus

RecordKey = tuple[str, int]  # (file name, ordinal of the record in the file)


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    true_pairs: int  # pairs sharing a group
    found_pairs: int  # pairs in one work
    wrong_pairs: list[tuple[RecordKey, RecordKey]]  # merged although their groups differ

    def __str__(self) -> str:
        return (f"pair precision {self.precision:.3f}, recall {self.recall:.3f} "
                f"({self.found_pairs} pairs merged, {self.true_pairs} true pairs, {len(self.wrong_pairs)} wrong)")


def read_labels(path: Path) -> dict[RecordKey, str]:
    """``labels.csv`` -> {(file, ordinal): group}."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {(row["file"], int(row["ordinal"])): row["group"] for row in csv.DictReader(fh)}


def file_fingerprints(path: Path) -> list[str]:
    """Fingerprints of a file's records in file order (as the corpus stores them)."""
    from bibmine.corpus.importer import file_chunks  # the importer pulls in every reader

    out = []
    for chunk in file_chunks(path):
        for reject in chunk.rejects:
            raise ValueError(f"{path}: {reject.location}: {reject.reason}; a labelled file must read whole")
        if chunk.stopped:
            raise ValueError(f"{path}: reading stopped: {chunk.stopped}; a labelled file must read whole")
        out += [item.fingerprint for item in chunk.items]
    return out


def corpus_partition(corpus: Corpus, files: list[Path]) -> list[set[RecordKey]]:
    """The works of a corpus as sets of (file name, ordinal) of their source records."""
    work_of = dict(corpus.db.execute("SELECT fingerprint, work_id FROM source_records"))
    works: dict[int, set[RecordKey]] = defaultdict(set)
    for path in files:
        for n, fingerprint in enumerate(file_fingerprints(path)):
            works[work_of[fingerprint]].add((path.name, n))
    return list(works.values())


def pair_scores(partition: Iterable[set[RecordKey]], labels: dict[RecordKey, str]) -> PairScores:
    """Pair precision and recall of a partition against the labels (see the module docstring)."""
    found: set[frozenset] = set()
    for work in partition:
        for a, b in combinations(sorted(work), 2):
            found.add(frozenset((a, b)))
    groups: dict[str, list[RecordKey]] = defaultdict(list)
    for key, group in labels.items():
        groups[group].append(key)
    true = {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}
    hits = len(found & true)
    wrong = sorted(tuple(sorted(p)) for p in found - true)
    precision = hits / len(found) if found else 1.0  # nothing merged: no wrong merge
    recall = hits / len(true) if true else float("nan")
    return PairScores(precision, recall, len(true), len(found), wrong)


def evaluate_folder(folder: Path, order: list[str] | None = None, *, corpus_path: Path | None = None) -> PairScores:
    """Import the labelled files of ``folder`` (in ``order``, file names) into a new corpus and score it."""
    labels = read_labels(folder / "labels.csv")
    files = order or sorted({f for f, _ in labels})
    from bibmine.corpus.importer import import_files  # the importer pulls in every reader

    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_path or Path(tmp) / "dedup-eval.sqlite"
        with Corpus(path) as corpus:
            reports = import_files(corpus, [folder / f for f in files], processes=1)
            for r in reports:
                if r.error or r.rejected:
                    raise ValueError(f"{r.path}: {r.error or str(r.rejected) + ' record(s) rejected'}; "
                                     "a labelled file must import whole")
            return pair_scores(corpus_partition(corpus, [folder / f for f in files]), labels)
