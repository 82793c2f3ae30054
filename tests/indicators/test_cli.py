"""``bibmine indicators`` on a real corpus: 40 INVENTED works of the demo generator imported as OpenAlex JSON
Lines; the JSON agrees with the library, the workbook holds one sheet per indicator table."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.demo.generate import generate_works


def test_indicators_json_and_workbook(tmp_path):
    works, _ = generate_works(40, seed=5)
    source = tmp_path / "works.jsonl"
    source.write_text("".join(json.dumps(w, ensure_ascii=False) + "\n" for w in works), encoding="utf-8")
    db = tmp_path / "c.sqlite"
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source), "--corpus", str(db)]).exit_code == 0
    result = runner.invoke(app, ["indicators", "--corpus", str(db), "--json", "--year", "2025"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    info = data["main_information"]
    years = [w["publication_year"] for w in works]
    assert info["documents"] == 40 and info["timespan"] == [min(years), max(years)]
    assert info["document_average_age"] == sum(2025 - y for y in years) / 40
    assert info["citations_per_doc"] == sum(w["cited_by_count"] for w in works) / 40
    assert info["single_authored_docs"] == sum(len(w["authorships"]) == 1 for w in works)
    assert sum(r["documents"] for r in data["annual_production"]) == 40
    top = max(w["cited_by_count"] for w in works)
    assert data["most_cited"][0]["citations"] == top
    book = tmp_path / "ind.xlsx"
    result = runner.invoke(app, ["indicators", "--corpus", str(db), "--xlsx", str(book), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    sheets = load_workbook(book).sheetnames
    assert sheets[:4] == ["Содержание", "Основные сведения", "Публикации по годам", "Самые цитируемые"]


def test_no_corpus_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["indicators", "--corpus", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "no corpus" in result.output
