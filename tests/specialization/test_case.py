"""The bundled Central Black Earth case run end to end, in English and Russian."""

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bibmine.specialization.case import run_bundled_case
from bibmine.specialization.vocab import CASE_DIR

SHARED_CASE = CASE_DIR.parents[4].parent / "shared" / "data" / "cases" / "central_black_earth"


def read(path: str, limit: int = -1) -> str:
    return Path(path).read_text(encoding="utf-8")[:limit] if limit > 0 else Path(path).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["en", "ru"])
def run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"case_{request.param}")
    return request.param, run_bundled_case(out, request.param)


def test_packaged_case_is_the_shared_one():
    if not SHARED_CASE.is_dir():
        pytest.skip("needs ../shared/data/cases/central_black_earth/ (the packaged case must be a copy of it)")
    for name in ("coefficients.csv", "regions.csv"):
        assert (CASE_DIR / name).read_bytes() == (SHARED_CASE / name).read_bytes()


def test_all_files_are_written(run):
    lang, result = run
    assert result["skipped"] == []
    assert set(result["matrices"]) == {"export", "national", "macroregional"}
    assert set(result["scenarios"]) == {"RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"}
    assert set(result["heatmaps"]) == {"export", "national", "macroregional", "st"}
    assert len(result["files"]) == 3 * 3 + 5 * 2 + 4 * 3
    for path in result["files"]:
        assert Path(path).is_file(), path
    png = next(p for p in result["heatmaps"]["st"] if p.endswith(".png"))
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = next(p for p in result["heatmaps"]["st"] if p.endswith(".svg"))
    assert "<svg" in read(svg, 2000)
    assert result["lang"] == lang


def test_five_scenario_models(run, specialized):
    lang, result = run
    keys = {"export": "global", "national": "national", "macroregional": "macroregional"}
    for region, item in result["scenarios"].items():
        model = json.loads(read(item["json"]))
        assert model == json.loads(json.dumps(item["model"]))
        for level, key in keys.items():
            assert [i["category"] for i in model["levels"][key]] == specialized[level][region]
        text = read(item["text"])
        first = "Scenario model: " if lang == "en" else "Сценарная модель: "
        assert text.startswith(first)


def test_lipetsk_text_in_both_languages(run):
    lang, result = run
    text = read(result["scenarios"]["RU-LIP"]["text"])
    if lang == "en":
        assert ("  - Manufacturing industries + S&T competences of the region in Mechanical engineering, "
                "Metallurgy, Chemical technology. Chemical industry, Chemistry, Electrical engineering, "
                "General and complex problems of technical and applied sciences + cross-cutting S&T "
                "competences in Automation. Computer engineering, Computer science, Cybernetics") in text
    else:
        assert ("  - Металлы и изделия из них (группы 72-83) + научно-технологические компетенции региона: "
                "Металлургия, Машиностроение + сквозные научно-технологические компетенции: "
                "Автоматика. Вычислительная техника, Информатика, Кибернетика") in text


def test_matrices_of_the_case(run):
    lang, result = run
    wide = pd.read_csv(result["matrices"]["export"]["csv"]).set_index("category")
    st, cc = ("S&T", "cross-cutting") if lang == "en" else ("НТ", "сквозные")
    assert wide.loc["72-83", "RU-LIP"] == f"▲ 7.53; {st}: 53, 55; {cc}: 50, 20, 28"
    assert wide.loc["72-83", "RU-BEL"] == f"▲ 5.86; {st}: 53; {cc}: 50, 28"  # BEL 55 is 0.77
    assert wide.loc["cross-cutting", "RU-BEL"] == "50, 28"
    sheet = openpyxl.load_workbook(result["matrices"]["national"]["xlsx"])["matrix"]
    assert sheet.max_row == 2 + 13 + 1  # title, header, sections A..S of Table 3, cross-cutting
    html_text = read(result["matrices"]["macroregional"]["html"])
    assert "RU-LIP" in html_text and "1.16" in html_text
