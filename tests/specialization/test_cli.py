"""The fixed CLI (``bibmine specialization ...``) through typer's CliRunner on the sub-app.

The values tables written here are INVENTED; the coefficients are the bundled case.
"""

import json

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from bibmine.specialization.cli import app
from bibmine.specialization.vocab import CASE_DIR, DEFAULT_CONCORDANCE

CASE = str(CASE_DIR / "coefficients.csv")
runner = CliRunner()

VALUES = """level,year,category,region,value
st,2021,53,RU-ALP,24
st,2021,20,RU-ALP,5
st,2021,*,RU-ALP,80
st,2021,53,RU,100
st,2021,20,RU,50
st,2021,*,RU,1000
output,2020,C,RU-ALP,30
output,2020,F,RU-ALP,10
output,2020,C,RU-BET,10
output,2020,F,RU-BET,50
output,2020,C,RU,100
output,2020,F,RU,300
output,2020,G,RU-BET,many
"""


def run(*args):
    return runner.invoke(app, list(args))


def test_coefficients_command(tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(VALUES, encoding="utf-8")
    out = tmp_path / "coefficients.csv"
    result = run("coefficients", "--values", str(values), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "warning: values.csv, row 14: value 'many' is not a number" in result.output
    assert f"wrote 10 coefficients (0 undefined, reference: by level) to {out}" in result.output
    table = pd.read_csv(out, dtype={"category": str})
    got = {(r.level, r.region, r.category): r.value for r in table.itertuples()}
    assert got[("st", "RU-ALP", "53")] == pytest.approx(3.0) and got[("st", "RU-ALP", "20")] == pytest.approx(1.25)
    assert got[("national", "RU-ALP", "C")] == pytest.approx(3.0)  # (30/40) / (100/400)
    assert got[("macroregional", "RU-ALP", "C")] == pytest.approx(1.875)  # (30/40) / (40/100)
    assert table.loc[(table.category == "53"), "solid"].tolist() == [True]


def test_coefficients_command_with_an_explicit_reference_and_xlsx(tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(VALUES, encoding="utf-8")
    out = tmp_path / "coefficients.xlsx"
    result = run("coefficients", "--values", str(values), "--reference", "macroregion", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    levels = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert levels == {"st", "macroregional"}


def test_coefficients_command_refuses_a_file_without_usable_rows(tmp_path):
    values = tmp_path / "empty.csv"
    values.write_text("level,year,category,region\n", encoding="utf-8")
    result = run("coefficients", "--values", str(values), "--out", str(tmp_path / "c.csv"))
    assert result.exit_code == 1
    assert "missing column(s) value" in result.output and "error: no usable value rows" in result.output


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "html"])
def test_matrix_command(tmp_path, suffix):
    out = tmp_path / f"matrix.{suffix}"
    result = run("matrix", "--coefficients", CASE, "--concordance", str(DEFAULT_CONCORDANCE),
                 "--level", "macroregional", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote the macroregional matrix (10 rows x 5 regions) to {out}" in result.output
    assert out.stat().st_size > 0
    if suffix == "csv":
        wide = pd.read_csv(out).set_index("category")
        # Lipetsk H is exactly 1.00 (no specialization) although its 73 Transport (1.15) is a competence
        assert wide.loc["H", "RU-LIP"] == "▼ 1.00; S&T: 73; cross-cutting: 50, 20, 28"
        # Tambov H 1.22; its 73 Transport is 0.14, so the linked part is empty
        assert wide.loc["H", "RU-TAM"] == "▲ 1.22; cross-cutting: 50, 20, 28"


def test_matrix_command_rejects_other_outputs_and_levels(tmp_path):
    result = run("matrix", "--coefficients", CASE, "--level", "export", "--out", str(tmp_path / "m.pdf"))
    assert result.exit_code == 2 and "csv, .xlsx or .html" in result.output
    result = run("matrix", "--coefficients", CASE, "--level", "st", "--out", str(tmp_path / "m.csv"))
    assert result.exit_code == 2


def test_scenario_command_text_and_json():
    result = run("scenario", "--coefficients", CASE, "--concordance", str(DEFAULT_CONCORDANCE), "--region", "RU-LIP")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Scenario model: Lipetsk region (RU-LIP)\n")
    result = run("scenario", "--coefficients", CASE, "--region", "RU-LIP", "--json")
    model = json.loads(result.output)
    assert model["region"] == "RU-LIP"
    assert [i["category"] for i in model["levels"]["global"]] == ["01-24", "72-83"]
    assert [i["category"] for i in model["levels"]["national"]] == ["A", "C", "F", "L"]
    assert [i["category"] for i in model["levels"]["macroregional"]] == ["I", "J", "K", "L"]


def test_scenario_command_options():
    # threshold 2: Lipetsk keeps export 72-83 (7.53) and national A (2.77), C (2.29); rubrics above 2:
    # 27 3.37, 53 22.10, 81 4.36, 61 2.09, 45 4.77, 44 2.30 (31 is exactly 2.00: not above)
    result = run("scenario", "--coefficients", CASE, "--region", "RU-LIP", "--threshold", "2",
                 "--cross-cutting", "50,27", "--lang", "ru", "--json")
    model = json.loads(result.output)
    assert [i["category"] for i in model["levels"]["global"]] == ["72-83"]
    assert [i["category"] for i in model["levels"]["national"]] == ["A", "C"]
    assert model["levels"]["macroregional"] == []
    assert model["levels"]["national"][1]["competences"] == ["53", "61", "45", "81"]
    assert model["levels"]["national"][1]["cross_cutting"] == ["27"]
    assert model["levels"]["national"][1]["name"] == "Обрабатывающие производства"


def test_scenario_command_errors():
    result = run("scenario", "--coefficients", CASE, "--region", "RU-XXX")  # not a region code: usage error
    assert result.exit_code == 2 and "'RU-XXX' is not a region code" in result.output
    result = run("scenario", "--coefficients", CASE, "--region", "RU-MOW")
    assert result.exit_code == 1 and "region 'RU-MOW' is not in the coefficients" in result.output
    result = run("scenario", "--coefficients", CASE, "--region", "RU-LIP", "--cross-cutting", "50,99")
    assert result.exit_code == 2 and "99" in result.output
    result = run("scenario", "--coefficients", CASE, "--region", "RU-LIP", "--lang", "de")
    assert result.exit_code == 2
