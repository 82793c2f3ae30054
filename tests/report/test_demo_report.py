"""The demo study's report (3000 INVENTED works, bibmine.demo.generate) as a reader sees it.

Without a browser: each report is in one language only (:mod:`.language`: no Latin word in the
Russian report outside record content, codes and proper names; no Cyrillic word in the English one),
the summary comes first, and the contradictions of issue 22 are gone. In headless Chromium (Debian's
``chromium`` and ``chromium-driver``): no console error, no chart without marks, the map of Russia has
its 89 subjects, and screenshots of the summary, the charts and the map at desktop and print widths, in
both languages, are written to ``BIBMINE_SCREENSHOTS`` (default: the test's tmp folder).
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path

import pytest
from rich.console import Console

from .language import foreign_words

WIDTHS = {"desktop": 1400, "print": 794}  # A4 at 96 dpi
SHOT_SECTIONS = ("summary", "indicators", "topics", "russia")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from bibmine.demo import demo_study
    from bibmine.study.runner import run_study

    out = tmp_path_factory.mktemp("demo") / "study"
    study = demo_study(out)
    study.lang = "ru"
    run_study(study, Console(quiet=True))
    return out


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_one_language_only(demo, lang):
    html = (demo / f"report.{lang}.html").read_text(encoding="utf-8")
    assert foreign_words(html, lang) == []


def test_summary_first_and_contradictions_gone(demo):
    html = (demo / "report.ru.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section id="([^"]+)"', html)
    assert sections[:4] == ["summary", "indicators", "topics", "russia"] and sections[-1] == "method"
    assert html.count('<article class="region-summary"') == 5
    assert "{'RU-" not in html and "US | US" not in html and "METHOD.md" not in html
    assert "Карта: authors" not in html and "Карта: keywords" not in html and "Карта: ключевые слова" in html
    metrics = json.loads((demo / "compare" / "metrics.json").read_text(encoding="utf-8"))
    assert "skipped" not in metrics["effect"]  # the labelled records' regions are known after placing them
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    assert all(s["seconds"] > 0 for s in manifest["stages"] if s["name"] != "report")
    indicators = json.loads((demo / "indicators" / "indicators.json").read_text(encoding="utf-8"))
    assert indicators["main_information"]["documents"] > 3000


def test_rerun_keeps_the_stage_times(demo):
    from bibmine.demo import demo_study
    from bibmine.study.runner import run_study

    before = {s["name"]: s["seconds"] for s in json.loads((demo / "manifest.json").read_text())["stages"]}
    runs = run_study(demo_study(demo), Console(quiet=True))
    assert [r.name for r in runs if r.ran] == []  # nothing changed: every stage skipped
    after = {s["name"]: s["seconds"] for s in json.loads((demo / "manifest.json").read_text())["stages"]}
    assert after == before


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_charts_map_and_screenshots(browser, demo, tmp_path, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    shots = Path(os.environ.get("BIBMINE_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    browser.get((demo / f"report.{lang}.html").resolve().as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert len(charts) >= 15
    for chart in charts:  # every chart is drawn and has marks of data
        key = chart.get_attribute("id")
        marks = chart.find_elements(By.CSS_SELECTOR, "svg .mk")
        assert marks, f"{key}: empty chart"
        box = browser.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
                                     chart.find_element(By.CSS_SELECTOR, "svg"))
        assert box[0] > 200 and box[1] > 50, f"{key}: not drawn ({box})"
        assert chart.find_element(By.CSS_SELECTOR, "svg").get_attribute("aria-label")  # alt text
    areas = browser.find_elements(By.CSS_SELECTOR, "#chart-russia-records .area")
    assert len(areas) == 89  # 83 subjects drawn from the boundary file, 6 as squares beside it
    for area in areas:  # each subject is drawn where it can be seen
        box = browser.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", area)
        assert box[0] > 0.5 and box[1] > 0.5, area.get_attribute("data-code")
    assert {t.get_attribute("data-code") for t in areas} >= {"RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"}
    # the text the browser renders, less record content and codes: not a word of the other language
    rendered = browser.execute_script(
        "var c = document.body.cloneNode(true);"
        "c.querySelectorAll('.v, .codes, script, style, title').forEach(function (e) { e.remove(); });"
        "c.querySelectorAll('details').forEach(function (e) { e.open = true; });"
        "document.body.appendChild(c); var t = c.innerText; c.remove(); return t;")
    assert foreign_words(f"<p>{escape(rendered)}</p>", lang) == []
    for mode, width in WIDTHS.items():
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print" if mode == "print" else "screen"})
        for section_id in SHOT_SECTIONS:
            section = browser.find_element(By.ID, section_id)
            height = browser.execute_script("return arguments[0].getBoundingClientRect().height", section)
            browser.set_window_size(width, min(int(height) + 200, 12000))
            path = shots / f"{lang}-{mode}-{section_id}.png"
            section.screenshot(str(path))
            assert path.stat().st_size > 10_000
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})

