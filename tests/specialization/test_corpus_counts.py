"""S&T counts from a corpus: placed regions x stored rubrics (demo records, INVENTED labels)."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.store import Corpus
from bibmine.demo import demo_files
from bibmine.specialization.corpus_counts import st_records


def test_counts_from_corpus(tmp_path):
    runner = CliRunner()
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", *map(str, demo_files()), "--corpus", str(db)]).exit_code == 0
    assert runner.invoke(app, ["regions", "assign", "--corpus", str(db)]).exit_code == 0
    labels = tmp_path / "labels.csv"
    # demo.0003 has a Lipetsk and a Kursk affiliation; demo.0001 is Voronezh
    labels.write_text("record_id,rubric,annotator\n10.5555/bibmine.demo.0001,68.05.01,anna\n"
                      "10.5555/bibmine.demo.0003,53,anna\n10.5555/bibmine.demo.0003,55,anna\n", encoding="utf-8")
    assert runner.invoke(app, ["import-labels", str(labels), "--corpus", str(db)]).exit_code == 0
    with Corpus(db) as c:
        table, excluded = st_records(c, rubric_source="manual")
        assert len(excluded) == c.count() - 2  # every other work has no manual rubric
    got = sorted(zip(table.region, table.rubric, table.region_share, strict=True))
    assert got == [("RU-KRS", "53", 0.5), ("RU-KRS", "55", 0.5), ("RU-LIP", "53", 0.5), ("RU-LIP", "55", 0.5),
                   ("RU-VOR", "68", 1.0)]
    out = tmp_path / "values.csv"
    result = runner.invoke(app, ["specialization", "st-counts", "--corpus", str(db), "--rubrics", "manual",
                                 "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    values = pd.read_csv(out, dtype={"category": str})
    lip = values[(values.region == "RU-LIP")].set_index("category")["value"].to_dict()
    assert lip == {"53": 1.0, "55": 1.0, "68": 0.0, "*": 1.0}  # whole: the record counts once per rubric
    assert "RU" not in set(values.region)  # the corpus is not the country unless the user says so
    result = runner.invoke(app, ["specialization", "st-counts", "--corpus", str(db), "--rubrics", "manual",
                                 "--out", str(out), "--national-corpus"], catch_exceptions=False)
    values = pd.read_csv(out, dtype={"category": str})
    country = values[(values.region == "RU")].set_index("category")["value"].to_dict()
    assert country["*"] == 2.0 and country["68"] == 1.0
