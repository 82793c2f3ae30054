"""Reading tidy tables: bad rows are reported with file, row and reason, and the rest is kept.

The tables are INVENTED.
"""

import math

import pandas as pd
import pytest

from bibmine.specialization.inputs import read_coefficients, read_tidy, read_values, write_table

VALUES = """level,year,category,region,value
export,2020,72-83,RU-LIP,"1 234,5"
export,2020,*,RU-LIP,5000
export,2020,72-83,RU,10000
export,2020,*,RU,400000
national,2020,C,RU-LIP,…
output,2020,C,RU-LIP,-3
mining,2020,B,RU-LIP,5
st,20x1,53,RU-LIP,5
st,2021,5,RU-LIP,2
st,2021,05,RU-LIP,3
"""


def test_values_table_keeps_good_rows_and_reports_bad_ones(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(VALUES, encoding="utf-8")
    table, problems = read_tidy(path)
    assert [str(p) for p in problems] == [
        "values.csv, row 6: value '…' is not a number",
        "values.csv, row 7: value -3 is negative",
        "values.csv, row 8: level 'mining' is not one of export, output, national, macroregional, sectoral, st",
        "values.csv, row 9: year '20x1' is not a four-digit year",
        "values.csv, row 11: duplicate of row 10 (st, 2021, 05, RU-LIP); skipped",
    ]
    assert table["value"].iloc[0] == 1234.5  # decimal comma and a space as thousands separator
    assert list(table["category"]) == ["72-83", "*", "72-83", "*", "05"]  # "5" is GRNTI 05
    assert table["year"].dtype == "int64"


def test_missing_column_is_one_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("level,year,region,value\nst,2021,RU-LIP,1\n", encoding="utf-8")
    table, problems = read_tidy(path)
    assert table.empty
    assert str(problems[0]) == ("bad.csv: missing column(s) category; the header must include "
                                "level,year,category,region,value")


def test_output_levels_are_normalized_and_files_stack(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("level,year,category,region,value\nnational,2020,C,RU-LIP,10\n", encoding="utf-8")
    b.write_text("level,year,category,region,value\noutput,2020,C,RU-LIP,11\noutput,2020,C,RU,90\n",
                 encoding="utf-8")
    table, problems = read_values([a, b])
    assert list(table["level"]) == ["output", "output"] and list(table["value"]) == [10.0, 90.0]
    assert [str(p) for p in problems] == ["b.csv: output, 2020, C, RU-LIP repeats a row of an earlier file; skipped"]


def test_coefficients_table_empty_value_is_undefined(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('level,year,category,region,value,reason\nst,2021,53,RU-LIP,,"region total V[r,*] is 0"\n'
                    "st,2021,*,RU-LIP,1,\nnational,2020,C,RU,1.2,\nst,2021,20,RU-LIP,,V[r,*] is 0\n",
                    encoding="utf-8")
    table, problems = read_coefficients(path)
    assert math.isnan(table["value"].iloc[0]) and table["reason"].iloc[0] == "region total V[r,*] is 0"
    assert [str(p) for p in problems] == [
        "c.csv, row 3: a coefficients table has no totals (category '*', region 'RU-LIP')",
        "c.csv, row 4: a coefficients table has no totals (category 'C', region 'RU')",
        "c.csv, row 5: 7 fields where the header has 6 (an unquoted comma?)"]


def test_xlsx_round_trip(tmp_path):
    frame = pd.DataFrame({"level": ["st", "st"], "year": [2021, 2021], "category": ["05", "53"],
                          "region": ["RU-LIP", "RU-LIP"], "value": [1.23, None]})
    path = write_table(frame, tmp_path / "c.xlsx")
    table, problems = read_coefficients(path)
    assert problems == []
    assert list(table["category"]) == ["05", "53"] and table["value"].iloc[0] == 1.23
    assert math.isnan(table["value"].iloc[1])


def test_unknown_suffix_is_refused(tmp_path):
    path = tmp_path / "c.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a .csv or .xlsx file"):
        read_tidy(path)
