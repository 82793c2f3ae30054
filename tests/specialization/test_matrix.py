"""Managerial matrices of the bundled Central Black Earth case, checked against coefficients.csv by hand.

The concordance files written here are INVENTED variations of the shipped default.
"""

import openpyxl
import pandas as pd
import pytest

from bibmine.specialization.concordance import parse_cross_cutting, read_concordance
from bibmine.specialization.matrix import managerial_matrix
from bibmine.specialization.render import matrix_html, write_matrix

REGIONS = ["RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"]


@pytest.mark.parametrize("level", ["export", "national", "macroregional"])
def test_the_five_regions_specializations(case, default, specialized, level):
    matrix = managerial_matrix(case, default, level, regions=REGIONS)
    assert {region: matrix.specialized(region) for region in REGIONS} == specialized[level]


def test_lipetsk_cells(case, default):
    national = managerial_matrix(case, default, "national", regions=REGIONS)
    cell = national.cell("C", "RU-LIP")
    # C links 55 53 61 31 45 47 59 65 64 66 62 60 81; Lipetsk: 55 1.92, 53 22.10, 61 2.09, 31 2.00,
    # 45 4.77, 81 4.36 are above 1; 47 0.15, 59 0.00, 65 0.36, 66 0.00, 62 0.00; 64 and 60 not in Table 5.
    assert (cell.sign, cell.value, cell.competences) == ("+", 2.29, ["55", "53", "61", "31", "45", "81"])
    assert cell.cross_cutting == ["50", "20", "28"]  # 50 1.47, 20 1.14, 28 1.91
    assert national.cell_text("C", "RU-LIP") == "▲ 2.29; S&T: 55, 53, 61, 31, 45, 81; cross-cutting: 50, 20, 28"
    # Belgorod: 20 Computer science is 0.83 -> only 50 and 28 are its cross-cutting competences
    assert national.cross_cutting["RU-BEL"] == ["50", "28"]
    macro = managerial_matrix(case, default, "macroregional", regions=REGIONS)
    assert (macro.cell("H", "RU-LIP").sign, macro.cell("H", "RU-LIP").value) == ("-", 1.0)
    export = managerial_matrix(case, default, "export", regions=REGIONS)
    assert export.cell("72-83", "RU-LIP").competences == ["53", "55"]


def test_wide_table_has_a_cross_cutting_last_row(case, default):
    wide = managerial_matrix(case, default, "export", regions=REGIONS).to_wide()
    assert list(wide.columns) == ["category", "name", *REGIONS]
    assert list(wide["category"]) == ["01-24", "28-40", "72-83", "84-90", "cross-cutting"]
    assert wide.iloc[-1][REGIONS].tolist() == ["50, 28", "50, 20, 28", "50, 20, 28", "50, 20, 28", "50, 20, 28"]


def test_concordance_change_changes_the_matrix(case, default, tmp_path):
    before = managerial_matrix(case, default, "national", regions=REGIONS)
    narrow = tmp_path / "narrow.csv"
    narrow.write_text("level,category,rubric\nsection,C,53\nnational,F,73\nexport,72-83,31\n", encoding="utf-8")
    after = managerial_matrix(case, read_concordance(narrow), "national", regions=REGIONS)
    assert before.cell("C", "RU-LIP").competences == ["55", "53", "61", "31", "45", "81"]
    assert after.cell("C", "RU-LIP").competences == ["53"]
    # F now links to 73 Transport (Lipetsk 1.15) instead of 67 Construction (1.84)
    assert (before.cell("F", "RU-LIP").competences, after.cell("F", "RU-LIP").competences) == (["67"], ["73"])
    # the 'national' row does not reach the macroregional matrix; 'section' rows reach both
    macro = managerial_matrix(case, read_concordance(narrow), "macroregional", regions=REGIONS)
    assert macro.cell("L", "RU-LIP").competences == []
    assert before.to_wide().equals(before.to_wide()) and not before.to_wide().equals(after.to_wide())
    # the specialization signs do not depend on the concordance
    assert before.specialized("RU-LIP") == after.specialized("RU-LIP")


def test_cross_cutting_set_is_a_parameter(case, default):
    matrix = managerial_matrix(case, default, "national", regions=REGIONS, cross_cutting=parse_cross_cutting("50,53"))
    assert matrix.cross_cutting["RU-LIP"] == ["50", "53"]
    assert matrix.cell("C", "RU-LIP").competences == ["55", "61", "31", "45", "81"]  # 53 moved to cross-cutting


def test_bad_concordance_rows_are_reported(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("level,category,rubric\nsection,C,53\nsector,C,55\nexport,72-83,99\nexport,,53\nexport,72-83,5\n",
                    encoding="utf-8")
    concordance = read_concordance(path)
    assert [str(p) for p in concordance.problems] == [
        "c.csv, row 3: level 'sector' is not one of export, national, macroregional, section",
        "c.csv, row 4: rubric '99' is not a GRNTI level-1 code",
        "c.csv, row 5: empty category",
    ]
    assert concordance.links.values.tolist() == [["section", "C", "53"], ["export", "72-83", "05"]]
    with pytest.raises(ValueError, match="99"):
        parse_cross_cutting("50,99")


def test_undefined_coefficient_is_a_question_mark(default):
    table = pd.DataFrame({"level": ["national", "national"], "year": [2020, 2020], "category": ["C", "C"],
                          "region": ["RU-A", "RU-B"], "value": [float("nan"), 1.4],
                          "reason": ["region total V[r,*] is 0", ""]})
    matrix = managerial_matrix(table, default, "national")
    assert matrix.cell_text("C", "RU-A") == "? (undefined: region total V[r,*] is 0)"
    assert matrix.cell_text("C", "RU-B") == "▲ 1.40"


def test_writers(case, default, tmp_path):
    matrix = managerial_matrix(case, default, "national", regions=REGIONS, lang="ru")
    csv_text = write_matrix(matrix, tmp_path / "m.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == "category,name,RU-BEL,RU-VOR,RU-KRS,RU-LIP,RU-TAM"
    assert '"▲ 2.29; НТ: 55, 53, 61, 31, 45, 81; сквозные: 50, 20, 28"' in csv_text
    book = openpyxl.load_workbook(write_matrix(matrix, tmp_path / "m.xlsx"))
    sheet = book["matrix"]
    lip_c = next(row for row in sheet.iter_rows() if row[0].value == "C")[5]
    assert lip_c.value.startswith("▲ 2.29") and lip_c.font.bold
    # green: t = ln(2.29) / ln(4) = 0.5977 of the way from #c7e9c0 to #238b45:
    # 199 - 164 t = 101 (65), 233 - 94 t = 177 (b1), 192 - 123 t = 118 (76)
    assert lip_c.fill.start_color.rgb.endswith("65b176")
    assert [c.value for c in sheet[2]][2:] == ["Белгородская область", "Воронежская область", "Курская область",
                                               "Липецкая область", "Тамбовская область"]
    assert set(book.sheetnames) == {"matrix", "legend", "long"}
    html_text = write_matrix(matrix, tmp_path / "m.html").read_text(encoding="utf-8")
    assert html_text.startswith("<!DOCTYPE html>") and 'lang="ru"' in html_text
    with pytest.raises(ValueError, match=".csv, .xlsx or .html"):
        write_matrix(matrix, tmp_path / "m.pdf")


def test_html_escapes_untrusted_names(default):
    table = pd.DataFrame({"level": ["national"], "year": [2020], "category": ["C"],
                          "category_name": ["<script>alert(1)</script> & Co"], "region": ["<b>RU-X</b>"],
                          "value": [1.5]})
    page = matrix_html(managerial_matrix(table, default, "national"))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "<b>RU-X</b>" not in page and "&lt;b&gt;RU-X&lt;/b&gt;" in page
