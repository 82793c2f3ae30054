"""20,000 generated distinct records (INVENTED, realistic Russian titles from GRNTI rubric names,
each with its own DOI) import as 20,000 works (issue 16): many titles repeat word for word, so
only the identifier rule keeps them apart; before it, some were merged by fuzzy title."""

from __future__ import annotations

from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.store import Corpus
from bibmine.scale.generate import generate_records


def test_twenty_thousand_distinct_records_make_twenty_thousand_works(tmp_path):
    records = list(generate_records(20_000, seed=7))
    assert len({r.title for r in records}) < 15_000  # titles repeat: the hard case
    with Corpus(tmp_path / "c.sqlite") as c:
        ing = Ingestor(c)
        batch = c.start_batch("file", "generated")
        with c.transaction():
            for i in range(0, len(records), 1000):
                ing.add_many(records[i:i + 1000], batch)
        assert (c.count(), batch.n_merged) == (20_000, 0)
