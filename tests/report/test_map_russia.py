"""The report's map of Russia: boundaries from the shipped file, keyed by ISO 3166-2 code."""

from __future__ import annotations

import re

from bibmine.report.russia_map import _ring_points, boundaries, subject_map, subjects

CBE = {"RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"}


def _centre(code: str) -> tuple[float, float]:
    data = boundaries()
    ring = max((_ring_points(r, data["arcs"]) for r in data["subjects"][code]), key=len)
    return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)


def test_boundary_file_covers_the_gazetteer_but_six():
    drawn = set(boundaries()["subjects"])
    assert len(drawn) == 83 and drawn <= set(subjects())
    # Natural Earth puts Crimea and Sevastopol outside Russia and predates the subjects of 2022
    assert set(subjects()) - drawn == {"RU-CR", "RU-SEV", "RU-DPR", "RU-LPR", "RU-ZAP", "RU-KHE"}


def test_subjects_sit_where_they_are():
    # west is left, north is up (y grows downwards): a wrong code in the concordance moves a subject
    assert _centre("RU-KGD")[0] < _centre("RU-MOW")[0] < _centre("RU-NVS")[0] < _centre("RU-KHA")[0]
    assert _centre("RU-MUR")[1] < _centre("RU-MOW")[1] < _centre("RU-KDA")[1]
    assert _centre("RU-VOR")[1] > _centre("RU-LIP")[1]  # Voronezh lies south of Lipetsk
    assert _centre("RU-CHU")[0] > _centre("RU-SA")[0]  # Chukotka east of Yakutia: not cut at 180 degrees
    assert abs(_centre("RU-MOW")[0] - _centre("RU-MOS")[0]) < 15  # the city inside its oblast


def test_map_colours_frames_and_escapes():
    svg = subject_map({"RU-VOR": 4, "RU-LIP": 2, "RU-BEL": 2, "RU-CR": 1}, "Map <of> Russia", "ru",
                      highlight={"RU-LIP", "RU-CR"})
    assert svg.count('class="mk area"') == 89
    vor = re.search(r'data-code="RU-VOR"[^>]*fill="(#[0-9a-f]+)"', svg).group(1)
    assert vor == "#08519c"  # the peak gets the darkest shade
    mow = re.search(r'data-code="RU-MOW"[^>]*fill="(#[0-9a-f]+)"', svg).group(1)
    assert mow == "#ffffff"  # no value: white, not the colour of zero
    assert "Липецкая область (RU-LIP): 2" in svg and "Москва (RU-MOW): —" in svg
    assert re.search(r'data-code="RU-CR"[^>]*stroke="#d62728"', svg)  # a study region beside the map is framed
    assert 'stroke="#d62728" stroke-width="1.8"' in svg  # and one on the map is outlined
    assert "субъекты, которых нет в файле границ" in svg
    assert 'aria-label="Map &lt;of&gt; Russia"' in svg and "<of>" not in svg


def test_threshold_scale():
    svg = subject_map({"RU-VOR": 2.5, "RU-LIP": 1.2, "RU-BEL": 0.4}, "alt", "en", threshold=1.0, digits=2)
    fills = {code: re.search(rf'data-code="{code}"[^>]*fill="(#[0-9a-f]+)"', svg).group(1)
             for code in ("RU-VOR", "RU-LIP", "RU-BEL")}
    assert fills == {"RU-VOR": "#e6550d", "RU-LIP": "#fdae6b", "RU-BEL": "#c6dbef"}


def test_macroregion_borders_drawn():
    svg = subject_map({}, "alt", "en")
    thick = re.search(r'<path d="([^"]+)" stroke="#222" stroke-width="1.6"', svg).group(1)
    assert thick.count("M") > 20  # borders between the twelve macroregions


def test_undefined_values_are_no_values():
    svg = subject_map({"RU-VOR": float("nan"), "RU-LIP": 2.0, "RU-CR": None}, "alt", "en", digits=2)
    vor = re.search(r'data-code="RU-VOR"[^>]*fill="(#[0-9a-f]+)"', svg).group(1)
    assert vor == "#ffffff" and "(RU-VOR): —" in svg and ": nan<" not in svg.lower()


def test_zero_is_a_value_and_infinity_none():
    svg = subject_map({"RU-VOR": 0, "RU-LIP": 0, "RU-BEL": float("inf")}, "alt", "en")
    fills = {code: re.search(rf'data-code="{code}"[^>]*fill="(#[0-9a-f]+)"', svg).group(1)
             for code in ("RU-VOR", "RU-BEL", "RU-MOW")}
    assert fills == {"RU-VOR": "#f0f4fa", "RU-BEL": "#ffffff", "RU-MOW": "#ffffff"}
