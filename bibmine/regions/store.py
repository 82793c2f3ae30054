"""Placements of a corpus's affiliations, stored beside the works with method and evidence.

The table ``region_placements`` (corpus migration 0003) holds one row per (work,
affiliation index).  Re-running :func:`assign` replaces a work's rows, so a
user who adds aliases to a user gazetteer simply runs it again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator

from bibmine.corpus.model import Record
from bibmine.corpus.store import Corpus, now


def placement_rows(matcher, records: list[Record]) -> list[tuple[str | None, list[tuple]]]:
    """``(work id, rows)`` per record, one row per affiliation: (aff_index, raw, country, region, city,
    organization, macroregion, match score, method, status, evidence JSON), as ``region_placements``
    stores them (the match score in its column ``confidence``, the name of schema 3).  Each distinct
    affiliation string of the batch is placed once (real corpora repeat the same strings thousands of
    times)."""
    distinct = list(dict.fromkeys(a.raw for r in records for a in r.affiliations))
    found = {}
    for text, p in zip(distinct, matcher.locate_many(distinct), strict=True):
        found[text] = (p.text, p.country, p.region, p.city, p.organization, p.macroregion, p.match_score, p.method,
                       p.status, json.dumps(p.evidence, ensure_ascii=False))
    return [(r.id, [(i, *found[a.raw]) for i, a in enumerate(r.affiliations)]) for r in records]


def write_placements(corpus: Corpus, placed: list[tuple[str | None, list[tuple]]], counts: Counter) -> None:
    """Replace the stored placements of each ``(work id, placement_rows)``; count rows by status."""
    rows = []
    ids = []
    stamp = now()
    for uid, work_rows in placed:
        work_id = corpus.work_id(uid) if uid else None
        if work_id is None:
            counts["work without id"] += 1
            continue
        ids.append((work_id,))
        for row in work_rows:
            counts[row[9]] += 1
            rows.append((work_id, *row, stamp))
    with corpus.transaction() as db:
        db.executemany("DELETE FROM region_placements WHERE work_id=?", ids)
        db.executemany("INSERT INTO region_placements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def assign(corpus: Corpus, matcher, *, progress: Callable[[int], None] | None = None, chunk: int = 1000) -> Counter:
    """Place every affiliation of every work; returns counts by status."""
    counts: Counter = Counter()
    batch: list[Record] = []

    def flush() -> None:
        write_placements(corpus, placement_rows(matcher, batch), counts)
        if progress:
            progress(len(batch))
        batch.clear()

    for record in corpus.iter_works():
        batch.append(record)
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    return counts


def placements(corpus: Corpus, uid: str) -> list[dict]:
    rows = corpus._rows(
        "SELECT p.* FROM region_placements p JOIN works w ON w.id=p.work_id WHERE w.uid=? ORDER BY p.aff_index",
        (uid,),
    )
    # the column keeps its schema-3 name ``confidence``; ``match_score`` is what it holds (docs/regions.md)
    return [{**dict(r), "match_score": r["confidence"], "evidence": json.loads(r["evidence"])} for r in rows]


def placed_records(corpus: Corpus) -> Iterator[Record]:
    """Works with ``Affiliation.region/country/city/organization`` filled from the stored placements."""
    return corpus.iter_works(enrich=True)

def unresolved(corpus: Corpus, limit: int = 50) -> list[tuple[str, int, str]]:
    """Affiliation strings with no subject and no foreign country, grouped and counted."""
    return corpus.db.execute(
        "SELECT raw, count(*) AS n, max(status) FROM region_placements "
        "WHERE region IS NULL AND (country IS NULL OR country='RU') GROUP BY raw ORDER BY n DESC, raw LIMIT ?",
        (limit,),
    ).fetchall()
