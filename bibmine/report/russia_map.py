"""A choropleth of Russia's federal subjects as a schematic tile grid map (inline SVG).

Each of the 85 subjects is one square tile, placed on a grid that keeps the subjects' relative
positions (west to east, north to south) rather than their area; ``data/russia_tiles.csv`` holds the
grid (code, row, col; written for bibmine, see ``data/SOURCES.md``). Tiles are keyed by ISO 3166-2 code;
names, short labels and macroregions come from the regions gazetteer (``bibmine/regions/data/subjects.csv``).
Macroregion borders are drawn thick. A tile grid is a schematic map: it shows where values are, not
the subjects' shapes or sizes, and says so in its caption.

>>> svg = tile_map({"RU-VOR": 120, "RU-BEL": 30}, "alt", "ru", highlight={"RU-VOR"})
>>> svg.count('class="mk tile"'), 'data-code="RU-VOR"' in svg, "Воронежская область" in svg
(85, True, True)
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from bibmine.report.locale import fmt
from bibmine.report.svg import _open, esc

DATA = Path(__file__).resolve().parent / "data" / "russia_tiles.csv"
SUBJECTS = Path(__file__).resolve().parents[1] / "regions" / "data" / "subjects.csv"
SIZE, GAP = 38, 2
RAMP = ("#f0f4fa", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@cache
def _grid() -> list[dict[str, str]]:
    with open(DATA, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tiles() -> dict[str, tuple[int, int]]:
    """ISO 3166-2 code -> (row, col) of the tile grid."""
    return {r["code"]: (int(r["row"]), int(r["col"])) for r in _grid()}


@cache
def subjects() -> dict[str, dict[str, str]]:
    with open(SUBJECTS, encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def subject_name(code: str, lang: str) -> str:
    row = subjects().get(code)
    return (row.get(f"name_{lang}") or code) if row else code


def short_label(code: str, lang: str) -> str:
    """The grid's own short label where it names one, else four letters of the subject's stem (``Воро``)."""
    own = next((r.get(f"short_{lang}") for r in _grid() if r["code"] == code), None)
    if own:
        return own
    row = subjects().get(code) or {}
    stem = (row.get(f"stem_{lang}") or code.removeprefix("RU-")).replace(" ", "")
    return stem[:4]


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
    if value is None or peak <= 0:
        return "#ffffff"
    if value <= 0:
        return RAMP[0]
    step = min(len(RAMP) - 1, 1 + int((value / peak) ** 0.5 * (len(RAMP) - 2) + 0.5))
    return RAMP[step]


def tile_map(values: dict[str, float | None], alt: str, lang: str, *, highlight: set[str] | None = None,
             digits: int = 0, legend: str = "", threshold: float | None = None) -> str:
    """Tiles coloured by ``values`` (white: no value); ``highlight`` tiles framed in red; a ``threshold``
    switches to a diverging scale (above: orange shades, at or below: blue)."""
    grid = tiles()
    rows = max(r for r, _ in grid.values()) + 1
    cols = max(c for _, c in grid.values()) + 1
    width, height = cols * (SIZE + GAP) + 20, rows * (SIZE + GAP) + 60
    present = [v for v in values.values() if v is not None]
    peak = max(present, default=0)
    macro = {code: subjects().get(code, {}).get("macroregion", "") for code in grid}
    where = {pos: code for code, pos in grid.items()}
    out = [_open(width, height, alt)]
    for code, (r, c) in sorted(grid.items(), key=lambda kv: kv[1]):
        x, y = 10 + c * (SIZE + GAP), 10 + r * (SIZE + GAP)
        value = values.get(code)
        if threshold is not None and value is not None:
            fill = "#fdae6b" if value > threshold else "#c6dbef"
            if value > 2 * threshold:
                fill = "#e6550d"
        else:
            fill = _colour(value, peak)
        dark = fill in RAMP[4:] or fill == "#e6550d"
        stroke = ' stroke="#d62728" stroke-width="3"' if highlight and code in highlight else ' stroke="#bbb"'
        shown = fmt(value, lang, digits) if value is not None else "—"
        out.append(f'<g><rect class="mk tile" data-code="{esc(code)}" x="{x}" y="{y}" width="{SIZE}" '
                   f'height="{SIZE}" fill="{fill}"{stroke}><title>{esc(subject_name(code, lang))} ({esc(code)}): '
                   f'{esc(shown)}</title></rect>'
                   f'<text x="{x + SIZE / 2}" y="{y + 15}" text-anchor="middle" font-size="10" '
                   f'fill="{"#fff" if dark else "#222"}">{esc(short_label(code, lang))}</text>'
                   f'<text x="{x + SIZE / 2}" y="{y + 29}" text-anchor="middle" font-size="9" '
                   f'fill="{"#fff" if dark else "#222"}">{esc(shown if value is not None else "")}</text></g>')
    # macroregion borders: an edge of a tile whose neighbour is of another macroregion (or no tile)
    edges = []
    for code, (r, c) in grid.items():
        x, y = 10 + c * (SIZE + GAP) - GAP / 2, 10 + r * (SIZE + GAP) - GAP / 2
        s = SIZE + GAP
        for (dr, dc), (x1, y1, x2, y2) in (((-1, 0), (x, y, x + s, y)), ((1, 0), (x, y + s, x + s, y + s)),
                                           ((0, -1), (x, y, x, y + s)), ((0, 1), (x + s, y, x + s, y + s))):
            other = where.get((r + dr, c + dc))
            if other is None or macro.get(other) != macro[code]:
                edges.append(f"M{x1:.0f},{y1:.0f}L{x2:.0f},{y2:.0f}")
    out.append(f'<path d="{"".join(edges)}" stroke="#333" stroke-width="2" fill="none"/>')
    y = height - 40
    if threshold is None:
        for i, colour in enumerate(RAMP):
            out.append(f'<rect x="{10 + i * 30}" y="{y}" width="30" height="12" fill="{colour}" stroke="#bbb"/>')
        out.append(f'<text x="10" y="{y + 26}">0</text><text x="{10 + 6 * 30}" y="{y + 26}" text-anchor="end">'
                   f'{esc(fmt(peak, lang, digits))}</text>')
    if legend:
        out.append(f'<text x="{220}" y="{y + 10}">{esc(legend)}</text>')
    out.append("</svg>")
    return "".join(out)
