"""assign / stats / explain / unresolved against a real SQLite corpus (INVENTED records)."""

import json

from typer.testing import CliRunner

from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.model import Affiliation, Author, Identifiers, Kind, Record, Text
from bibmine.corpus.store import Corpus
from bibmine.regions.cli import app


def _corpus(path):
    records = [
        Record(kind=Kind.ARTICLE, titles=[Text("Почвы Воронежа")], year=2021, ids=Identifiers(doi="10.1/a"),
               authors=[Author("Иванов И.И.", affiliations=[0]), Author("Петров П.П.", affiliations=[1])],
               affiliations=[Affiliation("Воронежский государственный университет, Воронеж"),
                             Affiliation("Lipetsk State Technical University, Lipetsk, Russia")]),
        Record(kind=Kind.ARTICLE, titles=[Text("Kursk soils")], year=2021, ids=Identifiers(doi="10.1/b"),
               affiliations=[Affiliation("Kursk State University, Kursk, Russia")]),
        Record(kind=Kind.ARTICLE, titles=[Text("Nowhere")], year=2022, ids=Identifiers(doi="10.1/c"),
               affiliations=[Affiliation("Кафедра физики"), Affiliation("Кафедра физики")]),
    ]
    with Corpus(path) as c:
        batch = c.start_batch("file", "invented")
        with c.transaction():
            Ingestor(c, fuzzy=False).add_many(records, batch)
        c.finish_batch(batch)
        return [r.id for r in c.iter_works()]


def test_assign_stats_explain_unresolved(tmp_path):
    path = tmp_path / "c.sqlite"
    uids = _corpus(path)
    runner = CliRunner()
    result = runner.invoke(app, ["assign", "--corpus", str(path)])
    assert result.exit_code == 0, result.output
    assert "placed=3" in result.stdout and "unresolved=2" in result.stdout
    result = runner.invoke(app, ["stats", "--corpus", str(path)])
    lines = result.stdout.splitlines()
    assert lines[:3] == ["RU-KRS\t1", "RU-LIP\t1", "RU-VOR\t1"]
    assert "unplaced records\t1\t33.3%" in lines
    result = runner.invoke(app, ["stats", "--corpus", str(path), "--mode", "author"])
    assert "RU-VOR\t0.5" in result.stdout.splitlines()
    result = runner.invoke(app, ["explain", uids[0], "--corpus", str(path)])
    first = json.loads(result.stdout.splitlines()[0])
    assert (first["region"], first["method"]) == ("RU-VOR", "city")
    assert first["match_score"] == first["confidence"] > 0  # stored in the schema-3 column "confidence"
    assert {"rule": "city", "text": "Воронеж", "value": "Voronezh (RU-VOR)"} in first["evidence"]
    result = runner.invoke(app, ["unresolved", "--corpus", str(path)])
    assert result.stdout.splitlines() == ["2\tunresolved\tКафедра физики"]
