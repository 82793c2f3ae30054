"""The parts: the phrase file, the map viewer's data, redaction, sheet names, and the command line."""

from __future__ import annotations

import json
import re
import string

import pytest
from typer.testing import CliRunner

from bibmine.report.cli import app
from bibmine.report.folder import flatten, redact
from bibmine.report.phrases import phrase, phrases
from bibmine.report.viewer import cluster_labels, script_json, viewer_data
from bibmine.report.workbook import sheet_name

from .conftest import MAP_FIXTURE, MAP_SAMPLE


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_phrase_has_both_languages_with_the_same_placeholders():
    table = phrases()
    assert len(table) > 150
    for key, texts in table.items():
        assert texts["en"].strip() and texts["ru"].strip(), key
        assert _fields(texts["en"]) == _fields(texts["ru"]), key
        assert not re.search(r"[а-яё]", texts["en"], re.I), key


def test_unknown_phrase_and_language():
    with pytest.raises(KeyError, match="no phrase 'nope'"):
        phrase("nope", "en")
    with pytest.raises(ValueError, match="'de' is not one of en, ru"):
        phrase("sec_maps", "de")


def test_viewer_data_of_the_invented_map():
    doc = json.loads(MAP_FIXTURE.read_text(encoding="utf-8"))
    view, problems = viewer_data(doc)
    assert problems == []
    assert len(view["items"]) == 12 and len(view["links"]) == 16  # as tests/fixtures/vosviewer_json/README.md
    assert view["weights"] == ["Links", "Total link strength", "Occurrences"]
    assert view["weight"] == 2  # the circles are first sized by Occurrences, as VOSviewer does
    # item 1: label, x, y, cluster, then Links 3, Total link strength 5 + 3 + 2, Occurrences 9
    assert view["items"][0] == ["чернозём", -0.82, 0.41, 1, [3.0, 10.0, 9.0]]
    assert view["items"][9][0] == "Липецкая область" and view["items"][9][3] == 3
    # links by position in items: the first (1-2, strength 5) and the last (9-12, strength 1)
    assert view["links"][0] == [0, 1, 5.0] and view["links"][-1] == [8, 11, 1.0]
    assert view["colours"] == {"1": "#d62728", "2": "#2ca02c", "3": "#1f77b4"}  # VOSviewer's first three
    assert cluster_labels(doc, "") == {1: "Soils", 2: "Crops"}  # cluster 3 has no label in the file


@pytest.mark.skipif(not MAP_SAMPLE.exists(), reason=f"needs ../shared/data/samples/vosviewer_json/{MAP_SAMPLE.name} "
                                                    "(real-file coverage)")
def test_viewer_data_of_the_real_sample():
    doc = json.loads(MAP_SAMPLE.read_bytes().decode("utf-8-sig"))
    view, problems = viewer_data(doc)
    assert problems == []
    assert len(view["items"]) == 112 and len(view["links"]) == 225  # as SOURCES.md counts them
    assert view["weights"] == list(doc["network"]["items"][0]["weights"])
    assert view["weights"][view["weight"]] == "Documents"  # the circles are first sized as VOSviewer does
    first = doc["network"]["items"][0]
    assert view["items"][0][:4] == [first["label"], first["x"], first["y"], first["cluster"]]
    assert view["colours"]["1"] == "#d62728"


def test_viewer_data_leaves_out_bad_items_and_links():
    doc = {"network": {"items": [{"id": "a", "label": "A", "x": 0, "y": 0, "cluster": 1, "weights": {"W": 2}},
                                 {"id": "b", "label": "B", "x": 1, "y": float("nan")},
                                 {"id": "c", "label": "C", "x": 1, "y": 1, "weights": {"W": -3}}],
                       "links": [{"source_id": "a", "target_id": "c", "strength": 2},
                                 {"source_id": "a", "target_id": "b", "strength": 1},
                                 {"source_id": "a", "target_id": "a"}]}}
    view, problems = viewer_data(doc)
    assert [i[0] for i in view["items"]] == ["A", "C"]
    assert view["items"][1][3:] == [0, [0.0]]  # no cluster -> 0 (grey); a negative weight -> 0
    assert view["links"] == [[0, 1, 2.0]]
    assert problems == ["1 item(s) without id or numeric x, y left out",
                        "2 link(s) to items not shown, or from an item to itself, left out"]
    capped, problems = viewer_data(doc, max_items=1)
    assert [i[0] for i in capped["items"]] == ["A"] and "1 item(s) of the lowest weight" in problems[1]


def test_script_json_cannot_close_the_script_element():
    text = script_json({"label": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"label": "</script><!-- \u2028 & >"}


def test_redaction():
    assert redact({"crawl": {"api_key": "k", "mailto": "a@b.c", "pages": 3}}) == {
        "crawl": {"api_key": "[redacted]", "mailto": "[redacted]", "pages": 3}}
    assert flatten({"sources": {"url": "https://api.x.org/w?token=abc&page=2"}}) == [
        ("sources.url", "https://api.x.org/w?token=[redacted]&page=2")]


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ("A" * 40, "A" * 40, "x/y?z", "")]
    assert names == ["A" * 31, "A" * 27 + " (2)", "x y z", "Sheet"]


def test_cli_builds_in_russian(study, copy_of):
    folder = copy_of(study)
    result = CliRunner().invoke(app, ["build", str(folder), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert (folder / "report.ru.html").is_file() and (folder / "workbook.ru.xlsx").is_file()
    assert f"report: {folder / 'report.ru.html'}" in result.output


def test_cli_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(tmp_path), "--lang", "de"]).exit_code == 2
    assert runner.invoke(app, ["build", str(tmp_path / "absent")]).exit_code == 2
