"""The report shows the S&T ratios of every year the study computed, not only the latest (issue 20)."""

from __future__ import annotations

import pandas as pd

from bibmine.report.sections_spec import coefficient_table


def coefficients() -> pd.DataFrame:  # INVENTED ratios of two regions in two years
    rows = []
    for year, (vor, lip) in {2015: (1.4, 0.6), 2025: (2.0, 0.5)}.items():
        rows += [{"level": "st", "year": year, "category": "68", "region": "RU-VOR", "value": vor, "solid": True},
                 {"level": "st", "year": year, "category": "68", "region": "RU-LIP", "value": lip, "solid": True}]
    return pd.DataFrame(rows)


def test_each_year_has_its_table_with_its_own_values():
    labels = {"RU-VOR": "Voronezh", "RU-LIP": "Lipetsk"}
    latest = coefficient_table(coefficients(), "st", "en", 1.0, labels)
    older = coefficient_table(coefficients(), "st", "en", 1.0, labels, year=2015)
    assert (latest.key, older.key) == ("coef-st", "coef-st-2015")
    assert "2025" in latest.title and "2015" in older.title
    assert latest.rows[0][2:] == [2.0, 0.5] and older.rows[0][2:] == [1.4, 0.6]
    assert latest.sheet != older.sheet and len(older.sheet) <= 31
