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

import pandas as pd

from bibmine.corpus.store import Corpus
from bibmine.regions.counting import record_shares
from bibmine.regions.store import placed_records
from bibmine.rubrics.vocabulary import normalize_code

RUBRIC_SOURCES = ("manual", "automatic", "prefer-manual")
COLUMNS = ["record_id", "region", "rubric", "year", "kind", "rsci_core", "citations", "region_share"]


def corpus_rubrics(corpus: Corpus, source: str = "prefer-manual", level: int = 1) -> dict[str, list[str]]:
    """GRNTI codes per work id, cut to ``level``."""
    if source not in RUBRIC_SOURCES:
        raise ValueError(f"rubric source must be one of {', '.join(RUBRIC_SOURCES)}, not {source!r}")
    found: dict[str, dict[str, list[str]]] = {"manual": defaultdict(list), "automatic": defaultdict(list)}
    for row in corpus.rubrics(scheme="grnti"):
        if row["source"] in found:
            code = normalize_code(row["code"], level)
            if code and code not in found[row["source"]][row["uid"]]:
                found[row["source"]][row["uid"]].append(code)
    if source != "prefer-manual":
        return dict(found[source])
    return {**found["automatic"], **found["manual"]}


def st_records(corpus: Corpus, *, rubric_source: str = "prefer-manual", share: str = "affiliation",
               level: int = 1) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The counting table and the excluded records ``(work id, reason)``."""
    rubrics = corpus_rubrics(corpus, rubric_source, level)
    rows = []
    excluded: list[tuple[str, str]] = []
    for record in placed_records(corpus):
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
