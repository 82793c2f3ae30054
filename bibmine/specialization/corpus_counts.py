"""S&T counting input from the corpus: one row per record x region x rubric.

Regions come from the regions stage (``region_placements``), rubrics from the stored
GRNTI assignments: ``manual``, ``automatic``, or ``prefer-manual`` (a record's manual
rubrics where an analyst gave any, else the classifier's).  The table feeds
:func:`bibmine.specialization.counting.count_st`; ``region_share`` is the record's share in
the region by affiliations or by authors (see :mod:`bibmine.regions.counting`), used by
fractional counting.  Records without a placed Russian subject or without a rubric are
reported in the returned ``excluded`` list with the reason, never dropped silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from bibmine.corpus.model import Record
from bibmine.corpus.store import Corpus
from bibmine.regions.counting import record_shares
from bibmine.regions.store import placed_records
from bibmine.rubrics.vocabulary import normalize_code

RUBRIC_SOURCES = ("manual", "automatic", "prefer-manual")
COLUMNS = ["record_id", "region", "rubric", "year", "kind", "rsci_core", "citations", "region_share"]


def _check_source(source: str) -> None:
    if source not in RUBRIC_SOURCES:
        raise ValueError(f"rubric source must be one of {', '.join(RUBRIC_SOURCES)}, not {source!r}")


def _pick(found: dict[str, dict[str, list[str]]], source: str) -> dict[str, list[str]]:
    if source != "prefer-manual":
        return dict(found[source])
    return {**found["automatic"], **found["manual"]}


def _add_code(found, source: str, uid: str, code: str, level: int) -> None:
    if source in found:
        code = normalize_code(code, level)
        if code and code not in found[source][uid]:
            found[source][uid].append(code)


def corpus_rubrics(corpus: Corpus, source: str = "prefer-manual", level: int = 1) -> dict[str, list[str]]:
    """GRNTI codes per work id, cut to ``level``."""
    _check_source(source)
    found: dict[str, dict[str, list[str]]] = {"manual": defaultdict(list), "automatic": defaultdict(list)}
    for row in corpus.rubrics(scheme="grnti"):
        _add_code(found, row["source"], row["uid"], row["code"], level)
    return _pick(found, source)


def record_rubrics(records: Iterable[Record], source: str = "prefer-manual", level: int = 1) -> dict[str, list[str]]:
    """The same as :func:`corpus_rubrics`, from records that carry their stored assignments."""
    _check_source(source)
    found: dict[str, dict[str, list[str]]] = {"manual": defaultdict(list), "automatic": defaultdict(list)}
    for record in records:
        for r in record.rubrics:
            if r.scheme == "grnti" and record.id:
                _add_code(found, r.source, record.id, r.code, level)
    return _pick(found, source)


def st_table(records: Iterable[Record], rubrics: dict[str, list[str]], *, rubric_source: str = "prefer-manual",
             share: str = "affiliation") -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The counting table of placed ``records`` with ``rubrics`` per work id, and the excluded records."""
    rows = []
    excluded: list[tuple[str, str]] = []
    for record in records:
        codes = rubrics.get(record.id)
        if not codes:
            excluded.append((record.id, f"no {rubric_source} GRNTI rubric"))
            continue
        shares = {u: s for u, s in record_shares(record, share).shares.items() if u.startswith("RU-")}
        if not shares:
            excluded.append((record.id, "no affiliation placed in a Russian federal subject"))
            continue
        citations = max((c.count for c in record.citations), default=None)
        for region, value in shares.items():
            for code in codes:
                rows.append((record.id, region, code, record.year, record.kind.value, record.venue.rsci_core,
                             citations, value))
    return pd.DataFrame(rows, columns=COLUMNS), excluded


def st_records(corpus: Corpus, *, rubric_source: str = "prefer-manual", share: str = "affiliation",
               level: int = 1) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The counting table and the excluded records ``(work id, reason)``."""
    rubrics = corpus_rubrics(corpus, rubric_source, level)
    return st_table(placed_records(corpus), rubrics, rubric_source=rubric_source, share=share)
