"""``bibmine regions locate`` through typer's CliRunner."""

import json

from typer.testing import CliRunner

from bibmine.regions.cli import app

runner = CliRunner()


def test_locate_json_one_object_per_line(tmp_path):
    f = tmp_path / "affs.txt"  # INVENTED strings
    f.write_text("Тамбовский государственный технический университет, Тамбов\n\n"
                 "OAK RIDGE NATL LAB,OAK RIDGE,TN 37830\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", "Kursk State Medical University, Kursk, Russia", "--file", str(f), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["region"] for d in lines] == ["RU-KRS", "RU-TAM", None]
    assert [d["country"] for d in lines] == ["RU", "RU", "US"]
    first = lines[0]
    assert set(first) >= {"text", "country", "region", "city", "organization", "macroregion", "match_score",
                          "confidence", "evidence"}
    assert first["match_score"] == first["confidence"]
    assert (first["city"], first["macroregion"]) == ("Kursk", "CBE")
    assert first["organization"] == "Kursk State Medical University"
    assert {"rule": "city", "text": "Kursk", "value": "Kursk (RU-KRS)"} in first["evidence"]


def test_locate_plain_text_and_errors(tmp_path):
    result = runner.invoke(app, ["locate", "Lipetsk, Russia"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "Lipetsk, Russia\tRU / RU-LIP / Lipetsk\tplaced\t0.95"
    assert runner.invoke(app, ["locate"]).exit_code != 0


def test_locate_with_a_user_gazetteer_reports_bad_rows(tmp_path):
    g = tmp_path / "g.csv"
    g.write_text("kind,alias,subject,city,organization,country\norganization,ОКБ Ромашка,RU-BEL,,ОКБ Ромашка,\n"
                 "city,Nowhere,,,,\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", "ОКБ Ромашка", "--gazetteer", str(g), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[-1])["region"] == "RU-BEL"
    assert "line 3: a city entry needs a subject code (row skipped)" in result.stderr
