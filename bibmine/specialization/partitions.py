"""S&T counting over a Parquet dataset, part by part, on any engine (:mod:`bibmine.scale.engine`).

Each task builds the counting table of one part (:func:`.corpus_counts.st_table`, the table
``bibmine specialization st-counts`` builds from the corpus) and reduces it to additive sums
(:func:`.counting.count_st_partial`); the sums of all parts are combined in part order
(:func:`.counting.combine_st`).  A work's rows never span two parts, so the combined counts are
the counts of the whole corpus: whole counts exactly, fractional sums up to the order of
floating-point addition (a relative difference below 1e-12).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from bibmine.corpus.parquet import Dataset, iter_part_batches, open_dataset
from bibmine.specialization.corpus_counts import record_rubrics, st_table
from bibmine.specialization.counting import StCounts, combine_st, count_st_partial


def count_part(part: str, dataset: str, rubric_source: str = "prefer-manual", share: str = "affiliation",
               level: int = 1, count_options: dict | None = None):
    """``(StPartial, records counted, records excluded before counting)`` of one part."""
    tables, excluded = [], []
    for records in iter_part_batches(open_dataset(dataset), part):
        table, left = st_table(records, record_rubrics(records, rubric_source, level),
                               rubric_source=rubric_source, share=share)
        tables.append(table)
        excluded += left
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    return count_st_partial(table, **(count_options or {})), table["record_id"].nunique(), excluded


def count_dataset(engine, dataset: Dataset, *, rubric_source: str = "prefer-manual", share: str = "affiliation",
                  level: int = 1, progress: Callable[[int], None] | None = None,
                  **count_options) -> tuple[StCounts, int, list[tuple[str, str]]]:
    """The counts of every work of ``dataset``, the number of works counted, and the works excluded.

    ``count_options`` are those of :func:`.counting.count_st` (counting, years, sources, weights,
    country, year).
    """
    year = count_options.pop("year", None)
    partials = []
    counted = 0
    excluded: list[tuple[str, str]] = []
    for _part, (partial, n, left) in engine.map(count_part, dataset.parts, str(dataset.path), rubric_source,
                                                share, level, count_options):
        partials.append(partial)
        counted += n
        excluded += left
        if progress:
            progress(n + len(left))
    return combine_st(partials, year=year, **count_options), counted, excluded
