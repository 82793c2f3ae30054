"""Region assignment over a Parquet dataset, part by part, on any engine (:mod:`bibmine.scale.engine`).

Each task places the affiliations of one part with the same :func:`bibmine.regions.store.placement_rows`
that ``bibmine regions assign`` uses, so both engines store identical placements.  A worker
builds its matcher once and keeps it for the next parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bibmine.corpus.parquet import Dataset, iter_part_batches, open_dataset
from bibmine.corpus.store import Corpus
from bibmine.regions.store import placement_rows, write_placements

_MATCHERS: dict[str, object] = {}  # per worker process: building the phrase index costs ~1 s


def _matcher(gazetteer: str | None):
    key = gazetteer or ""
    if key not in _MATCHERS:
        from bibmine.regions.matcher import Matcher

        _MATCHERS[key] = Matcher(user_file=Path(gazetteer) if gazetteer else None)
    return _MATCHERS[key]


def place_part(part: str, dataset: str, gazetteer: str | None = None) -> list[tuple[str | None, list[tuple]]]:
    """``(work id, placement rows)`` for every work of one part."""
    matcher = _matcher(gazetteer)
    return [row for batch in iter_part_batches(open_dataset(dataset), part) for row in placement_rows(matcher, batch)]


def assign_dataset(corpus: Corpus, engine, dataset: Dataset, gazetteer: Path | None = None,
                   progress: Callable[[int], None] | None = None) -> Counter:
    """Place every work of ``dataset`` (exported from ``corpus``) on ``engine``; store into ``corpus``."""
    counts: Counter = Counter()
    gaz = str(gazetteer) if gazetteer else None
    for _part, placed in engine.map(place_part, dataset.parts, str(dataset.path), gaz):
        write_placements(corpus, placed, counts)
        if progress:
            progress(len(placed))
    return counts
