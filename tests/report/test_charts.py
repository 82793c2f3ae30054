"""Charts, the map of Russia and the summary against values read off by hand (study folder of conftest.py,
whose indicators are those of six INVENTED documents, DOCS)."""

from __future__ import annotations

import re

from bibmine.report.locale import fmt, percent
from bibmine.report.sections_summary import _rubric_item
from bibmine.report.svg import bar_chart, line_chart, sankey
from bibmine.specialization.vocab import Names

from .conftest import HOSTILE_KEYWORD


def test_locale_numbers():
    assert (fmt(1234.5, "ru", 1), fmt(1234.5, "en", 1)) == ("1\xa0234,5", "1,234.5")
    assert (percent(0.732, "ru"), percent(0.732, "en")) == ("73,2\xa0%", "73.2%")


def test_bar_chart_marks_values_and_escaping():
    svg = bar_chart([("Voronezh", 40), ("<i>x</i>", 10)], "Bars", "en", verbatim=True)
    assert svg.count('class="mk"') == 2 and '<title>Bars</title>' in svg and 'aria-label="Bars"' in svg
    assert "&lt;i&gt;x&lt;/i&gt;" in svg and "<i>" not in svg
    widths = [float(w) for w in re.findall(r'class="mk" x="\d+" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == 4 * widths[1]  # 40 and 10 documents
    assert svg.count('class="v"') == 2  # labels are record content


def test_line_chart_breaks_at_missing_values():
    svg = line_chart([("n", [(2019, 1), (2020, None), (2021, 3), (2022, 4)])], "Line", "en")
    assert svg.count('class="mk"') == 3 and svg.count("<polyline") == 1  # 2021-2022 only


def test_sankey_bands():
    svg = sankey([[("s:a", "A", 3)], [("r:1", "R", 3)], [("k:x", "x", 2), ("k:y", "y", 1)]],
                 [("s:a", "r:1", 3), ("r:1", "k:x", 2), ("r:1", "k:y", 1)], "Flows", "en")
    assert svg.count('class="mk"') == 3


def test_summary_item_with_counts_and_interval():
    row = {"category": "00", "value": 1.64, "count": 3, "region_total": 400, "ci_low": 0.55, "ci_high": 3.9}
    en, ru = _rubric_item(row, Names(None, "en"), "en"), _rubric_item(row, Names(None, "ru"), "ru")
    assert en.text.endswith(": ratio 1.64 (3 of 400 publications; interval 0.55–3.90)") and en.codes == "00"
    assert ru.text.endswith(": коэффициент 1,64 (3 из 400 публикаций; интервал 0,55–3,90)")


def test_summary_and_indicators_in_the_report(built):
    en = built["en"]["report"].read_text(encoding="utf-8")
    ru = built["ru"]["report"].read_text(encoding="utf-8")
    assert re.findall(r'<section id="([^"]+)"', en)[:4] == ["summary", "indicators", "topics", "russia"]
    vor = en.split('id="summary-RU-VOR"', 1)[1].split("</article>", 1)[0]
    # d1, d2, d5, d6 of the six documents are placed in Voronezh
    assert "The corpus places 4 publications in this region (66.7% of the corpus, 2019–2021)." in vor
    # 1 document in 2019, 3 in 2021: (3 / 1) ** (1 / 2) - 1 = 73.2 %
    assert "<dt>Годовой темп роста</dt><dd>73,2\xa0%</dd>" in ru
    assert HOSTILE_KEYWORD not in en and "&lt;svg onload=alert(4)&gt;" in en
    assert en.count('class="mk area"') >= 89 and 'id="chart-threefield"' in en


def test_summary_says_what_changed_between_periods():
    import pandas as pd

    from bibmine.report.sections_summary import _changes

    rows = pd.DataFrame({"year": [2022, 2022, 2023, 2023], "category": ["53", "20", "53", "68"],
                         "value": [1.5, 1.2, 0.9, 1.8]})
    parts = _changes(rows, 2022, 2023, 1.0, Names(None, "en"), "en")
    assert [(p.text, p.codes) for p in parts] == [("new competence: Agriculture and forestry", "68"),
                                                  ("competence lost: Informatics", "20"),
                                                  ("competence lost: Metallurgy", "53")]
