"""The report in a real browser: Debian's headless Chromium driven by selenium through the system
chromedriver (never Selenium Manager: nothing is downloaded). Fails on any SEVERE console entry (a
JavaScript error, a blocked resource, a Content-Security-Policy violation) or a missing section,
checks that the map viewer drew its items and reacts to zoom, and saves a screenshot in the test's
tmp folder. Skipped only where the browser is not installed."""

from __future__ import annotations

import base64

import pytest

from bibmine.report.build import SECTION_IDS

from .conftest import MAP_ITEMS


def _severe(driver) -> list[str]:
    return [f"{e['level']}: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _canvas_ink(driver, canvas) -> int:
    """Pixels of the canvas that are not white."""
    return driver.execute_script(
        "var c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
        "for (var i = 0; i < d.length; i += 4) { if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) n++; }"
        "return n;", canvas)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_opens_without_errors_and_draws_the_map(browser, built, tmp_path, lang):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    report = built[lang]["report"]
    browser.get(report.resolve().as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    ids = {e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "main > section")}
    assert set(SECTION_IDS) <= ids, f"missing sections: {set(SECTION_IDS) - ids}"
    viewer = browser.find_element(By.CSS_SELECTOR, "#maps .map-viewer")
    WebDriverWait(browser, 20).until(lambda d: viewer.get_attribute("data-ready") == "1")
    canvas = viewer.find_element(By.CSS_SELECTOR, "canvas.map-canvas")
    WebDriverWait(browser, 20).until(lambda d: int(canvas.get_attribute("data-drawn-items") or 0) > 0)
    # the invented map has 12 items; all fit in the first view
    assert int(canvas.get_attribute("data-drawn-items")) == MAP_ITEMS
    assert int(canvas.get_attribute("data-drawn-labels")) > 0
    assert _canvas_ink(browser, canvas) > 1000
    # the hostile label is a label on the canvas, not a script: no alert, no error
    assert browser.execute_script("return document.querySelectorAll('script:not([type])').length") == 1

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", viewer)
    tip = viewer.find_element(By.CSS_SELECTOR, ".map-tip")
    # find a point over an item with synthetic moves (fast), then hover it with the real mouse
    found = browser.execute_script(
        "var c = arguments[0], tip = arguments[1], r = c.getBoundingClientRect();"
        "for (var x = 10; x < r.width; x += 8) { for (var y = 10; y < r.height; y += 8) {"
        "  c.dispatchEvent(new PointerEvent('pointermove', {clientX: r.left + x, clientY: r.top + y}));"
        "  if (!tip.hidden) { return [x, y]; } } } return null;", canvas, tip)
    assert found, "no item answers a pointer move"
    ActionChains(browser).move_to_element_with_offset(canvas, 0, 0).perform()
    ActionChains(browser).move_to_element_with_offset(canvas, found[0] - canvas.size["width"] // 2,
                                                      found[1] - canvas.size["height"] // 2).perform()
    assert tip.is_displayed(), "no item showed its label on hover"
    assert tip.find_element(By.TAG_NAME, "strong").text.strip()
    assert "Cluster" in tip.text or "Кластер" in tip.text
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(canvas), 0, -600).perform()  # zoom in
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn-items")) < MAP_ITEMS)
    browser.find_element(By.CSS_SELECTOR, "#maps .map-reset").click()
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn-items")) == MAP_ITEMS)

    shot = tmp_path / f"report.{lang}.png"
    browser.execute_script("window.scrollTo(0, 0)")
    shot.write_bytes(base64.b64decode(browser.get_screenshot_as_base64()))
    map_shot = tmp_path / f"map.{lang}.png"
    viewer.screenshot(str(map_shot))
    assert shot.stat().st_size > 10_000 and map_shot.stat().st_size > 10_000
    assert _severe(browser) == []
    print(f"screenshots: {shot} {map_shot}")
