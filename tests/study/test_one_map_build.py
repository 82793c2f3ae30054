"""One map build (issue 23): ``bibmine map`` and the study's maps stage both call ``bibmine.maps.make_map``,
so they write the same files and apply the same "fewer than three items" rule.  Records: the bundled
INVENTED demo exports, and two invented records."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus import Corpus, import_files
from bibmine.demo import demo_files
from bibmine.maps.make import MIN_ITEMS
from bibmine.study.config import Study
from bibmine.study.stages import stage_maps

runner = CliRunner()
TWO_KEYWORDS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Ivanov, I
TI Invented soils record
DE soil; carbon
PY 2020
UT WOS:000000000000001
ER

EF
"""


def _study(tmp_path, corpus):
    return Study(path=tmp_path / "study.toml", name="t", out=tmp_path / "study", corpus=corpus,
                 networks=["keywords"])


def test_the_command_and_the_study_write_the_same_map(tmp_path):
    corpus = tmp_path / "c.sqlite"
    with Corpus(corpus) as c:
        import_files(c, demo_files(), processes=1)
    note = stage_maps(_study(tmp_path, corpus))
    result = runner.invoke(app, ["map", "keywords", "--corpus", str(corpus), "--out", str(tmp_path / "cli"),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    by_study, by_command = tmp_path / "study" / "maps" / "keywords", tmp_path / "cli"
    n = len((by_command / "map.txt").read_text(encoding="utf-8").splitlines()) - 1
    assert note == f"keywords: {n} items"
    for name in ("map.txt", "network.txt", "clusters.csv"):
        assert (by_study / name).read_bytes() == (by_command / name).read_bytes(), name
    study_json = json.loads((by_study / "map.json").read_text(encoding="utf-8"))
    assert study_json == json.loads((by_command / "map.json").read_text(encoding="utf-8"))
    assert study_json["config"]["parameters"]["attraction"] == 2  # VOSviewer's default, in both


def test_fewer_than_three_items_are_refused_by_both(tmp_path):
    export = tmp_path / "two.txt"
    export.write_text(TWO_KEYWORDS, encoding="utf-8")
    corpus = tmp_path / "c.sqlite"
    with Corpus(corpus) as c:
        import_files(c, [export], processes=1)
    note = stage_maps(_study(tmp_path, corpus))
    assert MIN_ITEMS == 3 and note == "keywords: too few items (2)"
    assert not (tmp_path / "study" / "maps" / "keywords").exists()
    result = runner.invoke(app, ["map", "keywords", "--corpus", str(corpus), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 2 and "only 2 items to map" in result.output
    assert not (tmp_path / "cli").exists()
