"""Charts as inline SVG text: line, horizontal bar, labelled scatter, range (trend topics) and Sankey.

Self-contained (no script, no font or image to fetch), readable in print (black text, no colour carries
meaning alone: values are written beside bars and points), each with a ``<title>`` (the alt text) and
``role="img"``. Every data mark carries ``class="mk"`` so a test can check that a chart is not empty.
All text from data goes through :func:`esc`; the markup is built only here.

>>> svg = bar_chart([("Воронеж", 12), ("<b>", 3)], "alt", "ru")
>>> svg.count('class="mk"'), "&lt;b&gt;" in svg, "<b>" in svg
(2, True, False)
"""

from __future__ import annotations

import math
from html import escape

from bibmine.report.locale import fmt

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
FONT = "font-family:system-ui,sans-serif;font-size:12px"
V = ' class="v"'  # record content in its own language (tests of the report's language leave it out)


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _open(width: float, height: float, alt: str) -> str:
    return (f'<svg class="chart-svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img" aria-label="{esc(alt)}" style="{FONT}"><title>{esc(alt)}</title>')


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``.

    >>> nice_ticks(93), nice_ticks(0.42), nice_ticks(0)
    ([0, 20, 40, 60, 80, 100], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5], [0, 1])
    """
    if top <= 0:
        return [0, 1]
    raw = top / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) if step < 1 else int(i * step) if float(step).is_integer() else i * step
            for i in range(count + 1)]


def line_chart(series: list[tuple[str, list[tuple[float, float | None]]]], alt: str, lang: str,
               y_label: str = "", width: int = 640, height: int = 260) -> str:
    """One line per series; None values break the line. Integer x values (years) label the axis."""
    points = [(x, y) for _, data in series for x, y in data if y is not None]
    if not points:
        return ""
    left, right, top, bottom = 52, 16, 18, 34
    xs = sorted({x for _, data in series for x, _ in data})
    x0, x1 = xs[0], xs[-1] if xs[-1] > xs[0] else xs[0] + 1
    ticks = nice_ticks(max(y for _, y in points))
    ymax = ticks[-1] or 1
    sx = lambda x: left + (x - x0) / (x1 - x0) * (width - left - right)  # noqa: E731
    sy = lambda y: height - bottom - y / ymax * (height - top - bottom)  # noqa: E731
    out = [_open(width, height, alt)]
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{esc(fmt(t, lang))}</text>')
    step = max(1, math.ceil(len(xs) / 12))
    for x in xs[::step]:
        out.append(f'<text x="{sx(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{esc(x)}</text>')
    if y_label:
        out.append(f'<text x="{left}" y="12">{esc(y_label)}</text>')
    for i, (name, data) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        run: list[str] = []
        for x, y in [*data, (None, None)]:
            if y is None:
                if len(run) > 1:
                    out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{sx(x):.1f},{sy(y):.1f}")
            out.append(f'<circle class="mk" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}">'
                       f'<title>{esc(name)} {esc(x)}: {esc(fmt(y, lang))}</title></circle>')
        if len(series) > 1:
            out.append(f'<rect x="{left + 10 + 290 * i}" y="{top - 12}" width="10" height="10" fill="{colour}"/>'
                       f'<text x="{left + 24 + 290 * i}" y="{top - 3}">{esc(_cut(name, 40))}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(items: list[tuple[str, float]], alt: str, lang: str, colours: list[str] | None = None,
              width: int = 640, label_width: int = 260, digits: int = 0, verbatim: bool = False) -> str:
    """Horizontal bars, largest first as given, value written at the end of each bar; ``verbatim``: the labels
    are record content (titles, names) shown as the source printed them (class ``v``)."""
    items = [(label, value) for label, value in items if value is not None]
    if not items:
        return ""
    bar, gap = 16, 6
    height = 10 + len(items) * (bar + gap)
    peak = max(v for _, v in items) or 1
    span = width - label_width - 70
    out = [_open(width, height, alt)]
    chars = max(10, label_width // 8)
    for i, (label, value) in enumerate(items):
        y = 5 + i * (bar + gap)
        w = max(1.0, value / peak * span)
        colour = (colours or [])[i] if colours and i < len(colours) else PALETTE[0]
        out.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end"{V if verbatim else ""}>'
                   f'{esc(_cut(label, chars))}'
                   f'<title>{esc(label)}</title></text>'
                   f'<rect class="mk" x="{label_width}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
                   f'<text x="{label_width + w + 4:.1f}" y="{y + 12}">{esc(fmt(value, lang, digits))}</text>')
    out.append("</svg>")
    return "".join(out)


def scatter_chart(points: list[tuple[float, float, str, float]], alt: str, lang: str, x_label: str, y_label: str,
                  split: tuple[float, float] | None = None, quadrants: tuple[str, str, str, str] | None = None,
                  width: int = 640, height: int = 380) -> str:
    """Labelled bubbles ``(x, y, label, size)``; ``split`` draws the quadrant lines; ``quadrants`` names them
    (top-left, top-right, bottom-left, bottom-right)."""
    if not points:
        return ""
    left, right, top, bottom = 50, 20, 20, 40
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    xmin, xmax = min(xs), max(xs)
    ymin, ymax = min(ys), max(ys)
    xpad, ypad = (xmax - xmin) * 0.1 or 1, (ymax - ymin) * 0.1 or 1
    xmin, xmax, ymin, ymax = xmin - xpad, xmax + xpad, ymin - ypad, ymax + ypad
    sx = lambda x: left + (x - xmin) / (xmax - xmin) * (width - left - right)  # noqa: E731
    sy = lambda y: height - bottom - (y - ymin) / (ymax - ymin) * (height - top - bottom)  # noqa: E731
    peak = max(p[3] for p in points) or 1
    out = [_open(width, height, alt),
           f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" '
           'fill="none" stroke="#999"/>',
           f'<text x="{(width + left) / 2:.0f}" y="{height - 10}" text-anchor="middle">{esc(x_label)}</text>',
           f'<text x="14" y="{(height - bottom + top) / 2:.0f}" text-anchor="middle" '
           f'transform="rotate(-90 14 {(height - bottom + top) / 2:.0f})">{esc(y_label)}</text>']
    if split:
        cx, cy = sx(split[0]), sy(split[1])
        out.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{top}" y2="{height - bottom}" stroke="#999" '
                   f'stroke-dasharray="4 3"/><line x1="{left}" x2="{width - right}" y1="{cy:.1f}" y2="{cy:.1f}" '
                   'stroke="#999" stroke-dasharray="4 3"/>')
        if quadrants:
            tl, tr, bl, br = quadrants
            out.append(f'<text x="{left + 6}" y="{top + 14}" fill="#666">{esc(tl)}</text>'
                       f'<text x="{width - right - 6}" y="{top + 14}" fill="#666" text-anchor="end">{esc(tr)}</text>'
                       f'<text x="{left + 6}" y="{height - bottom - 6}" fill="#666">{esc(bl)}</text>'
                       f'<text x="{width - right - 6}" y="{height - bottom - 6}" fill="#666" '
                       f'text-anchor="end">{esc(br)}</text>')
    for i, (x, y, label, size) in enumerate(points):
        r = 4 + 14 * math.sqrt(size / peak)
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<circle class="mk" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{r:.1f}" fill="{colour}" '
                   f'fill-opacity="0.55" stroke="{colour}"><title>{esc(label)}</title></circle>'
                   f'<text x="{sx(x):.1f}" y="{sy(y) + 4:.1f}" text-anchor="middle"{V}>{esc(_cut(label, 24))}</text>')
    out.append("</svg>")
    return "".join(out)


def range_chart(rows: list[tuple[str, int, int, int, int]], alt: str, lang: str, width: int = 640) -> str:
    """Trend topics: per keyword ``(label, q1, median, q3, documents)`` a line from q1 to q3, a dot at the median."""
    if not rows:
        return ""
    left, right, row_h = 230, 60, 18
    years = [y for r in rows for y in r[1:4]]
    y0, y1 = min(years) - 0.5, max(years) + 0.5
    height = 30 + len(rows) * row_h
    sx = lambda x: left + (x - y0) / (y1 - y0) * (width - left - right)  # noqa: E731
    peak = max(r[4] for r in rows) or 1
    out = [_open(width, height, alt)]
    for year in range(math.ceil(y0), math.floor(y1) + 1):
        out.append(f'<line x1="{sx(year):.1f}" x2="{sx(year):.1f}" y1="4" y2="{height - 22}" stroke="#eee"/>'
                   f'<text x="{sx(year):.1f}" y="{height - 8}" text-anchor="middle">{year}</text>')
    for i, (label, q1, med, q3, n) in enumerate(rows):
        y = 14 + i * row_h
        r = 3 + 6 * math.sqrt(n / peak)
        out.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end"{V}>{esc(_cut(label, 26))}</text>'
                   f'<line x1="{sx(q1):.1f}" x2="{sx(q3):.1f}" y1="{y}" y2="{y}" stroke="{PALETTE[0]}" '
                   f'stroke-width="2"/><circle class="mk" cx="{sx(med):.1f}" cy="{y}" r="{r:.1f}" '
                   f'fill="{PALETTE[0]}"><title>{esc(label)}: {q1}–{q3}, {esc(fmt(n, lang))}</title></circle>'
                   f'<text x="{width - right + 8}" y="{y + 4}">{esc(fmt(n, lang))}</text>')
    out.append("</svg>")
    return "".join(out)


def sankey(columns: list[list[tuple[str, str, float]]], links: list[tuple[str, str, float]], alt: str, lang: str,
           width: int = 960, height: int = 460) -> str:
    """Columns of nodes ``(id, label, value)`` and links ``(from id, to id, value)`` between neighbours."""
    if not links or not all(columns):
        return ""
    pad, node_w = 8, 12
    xs = [235 + i * (width - 470) / (len(columns) - 1) for i in range(len(columns))]
    place: dict[str, tuple[float, float, float]] = {}  # id -> x, y, height
    for ci, nodes in enumerate(columns):
        total = sum(v for _, _, v in nodes) or 1
        scale = (height - 20 - pad * (len(nodes) - 1)) / total
        y = 10.0
        for node_id, _, value in nodes:
            h = max(2.0, value * scale)
            place[node_id] = (xs[ci], y, h)
            y += h + pad
    scale_of = {nid: h / max(v, 1e-9) for col in columns for nid, _, v in col for h in [place[nid][2]]}
    out_y = {nid: place[nid][1] for nid in place}
    in_y = dict(out_y)
    out = [_open(width, height, alt)]
    for a, b, value in sorted(links, key=lambda link: (place[link[0]][1], place[link[1]][1])):
        if a not in place or b not in place:
            continue
        ax, _, _ = place[a]
        bx, _, _ = place[b]
        ha, hb = value * scale_of[a], value * scale_of[b]
        ya, yb = out_y[a], in_y[b]
        out_y[a] += ha
        in_y[b] += hb
        x0, x1 = ax + node_w, bx
        mid = (x0 + x1) / 2
        out.append(f'<path class="mk" d="M{x0:.1f},{ya:.1f} C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} {x1:.1f},'
                   f'{yb:.1f} L{x1:.1f},{yb + hb:.1f} C{mid:.1f},{yb + hb:.1f} {mid:.1f},{ya + ha:.1f} {x0:.1f},'
                   f'{ya + ha:.1f} Z" '
                   f'fill="{PALETTE[0]}" fill-opacity="0.25"><title>{esc(fmt(value, lang))}</title></path>')
    for ci, nodes in enumerate(columns):
        for i, (node_id, label, value) in enumerate(nodes):
            x, y, h = place[node_id]
            colour = PALETTE[i % len(PALETTE)]
            anchor, tx = ("end", x - 4) if ci == 0 else ("start", x + node_w + 4)
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour}"/>'
                       f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="{anchor}"'
                       f'{V if node_id.startswith("k:") else ""}>'
                       f'{esc(_cut(label, 22))} ({esc(fmt(value, lang))})<title>{esc(label)}</title></text>')
    out.append("</svg>")
    return "".join(out)
