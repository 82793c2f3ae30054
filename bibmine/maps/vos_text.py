"""VOSviewer map and network files (tab-separated text).

Map file: a header line (``id``, ``label``, ``description``, ``url``, ``x``, ``y``,
``cluster``, ``weight<...>``, ``score<...>``), then one item per line.  Network file: no
header, ``id1<TAB>id2<TAB>strength`` per link.  Both are written as UTF-8 with a BOM (as
VOSviewer's own files with non-ASCII labels are), fields holding a comma, semicolon or
quote are double-quoted, tabs and line breaks inside a label become spaces, and a text field a
spreadsheet would evaluate (``=``, ``+``, ``-``, ``@`` first) gets a leading ``'``
(:mod:`bibmine.safe_csv`; the readers take it off again).  Readers accept tab, comma or
semicolon separators, with or without a BOM.

>>> quote_field('abbasi, a'), quote_field('почвы'), format_number(2.0), format_number(1/3)
('"abbasi, a"', 'почвы', '2', '0.3333333333')
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import networkx as nx

from bibmine.maps.graphs import from_items, score_names, to_items, weight_names
from bibmine.maps.labels import WORD_JOINER, viewer_label
from bibmine.safe_csv import fold_line_breaks, neutralize_cell, restore_cell

_NEEDS_QUOTES = re.compile(r'[,;"]|^\s|\s$')
_WEIGHT = re.compile(r"^weight<(.*)>$")
_SCORE = re.compile(r"^score<(.*)>$")
_INT = re.compile(r"^[+-]?\d+$")


class MapFileError(ValueError):
    """A map or network file that cannot be read; the message names the file and line."""


def quote_field(value: object) -> str:
    if value is None:
        return ""
    text = str(neutralize_cell(fold_line_breaks(str(value)).replace("\t", " ")))
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def format_number(value: float | int | None) -> str:
    """Shortest faithful text for a number: integers without a point, else 10 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(float(value), ".10g")


def parse_value(text: str) -> int | float | str:
    text = text.strip()
    if _INT.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- writing


def map_lines(items: list[dict]) -> list[str]:
    weights, scores = weight_names(items), score_names(items)
    cols = ["id", "label"]
    cols += [c for c in ("description", "url") if any(c in i for i in items)]
    if items and all("x" in i for i in items):
        cols += ["x", "y"]
    if any("cluster" in i for i in items):
        cols.append("cluster")
    lines = ["\t".join(cols + [f"weight<{w}>" for w in weights] + [f"score<{s}>" for s in scores])]
    for item in items:
        row = []
        for c in cols:
            value = item.get(c)
            if c in ("label", "description") and isinstance(value, str):
                value = viewer_label(value)  # "1e3", "0", "null" stay text in VOSviewer Online
            row.append(format_number(value) if c in ("x", "y", "cluster") else quote_field(value))
        row += [format_number(item["weights"][w]) for w in weights]
        row += [format_number(item["scores"].get(s)) for s in scores]
        lines.append("\t".join(row))
    return lines


def _id_field(value: object) -> str:
    return str(value) if type(value) is int else quote_field(value)


def network_lines(links: list[tuple]) -> list[str]:
    return [f"{_id_field(a)}\t{_id_field(b)}\t{format_number(s)}" for a, b, s in links]


def write_map(graph: nx.Graph, path: str | Path, *, prepared: tuple[list[dict], list[tuple]] | None = None) -> Path:
    """``prepared``: :func:`~bibmine.maps.graphs.to_items` of the graph, when the caller has it already."""
    items, _ = prepared or to_items(graph)
    return _write(path, map_lines(items))


def write_network(graph: nx.Graph, path: str | Path, *, prepared: tuple[list[dict], list[tuple]] | None = None
                  ) -> Path:
    _, links = prepared or to_items(graph)
    return _write(path, network_lines(links))


def _write(path: str | Path, lines: list[str]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


# ---------------------------------------------------------------- reading


def read_rows(path: str | Path) -> tuple[list[list[str]], str]:
    """Rows of a VOSviewer text file and the separator found on its first line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MapFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    first = text.split("\n", 1)[0]
    sep = "\t" if "\t" in first else (";" if ";" in first else ",")
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=sep) if r and any(c.strip() for c in r)]
    return rows, sep


def read_map(path: str | Path) -> list[dict]:
    """Items of a map file as dicts (id, label, description, url, x, y, cluster, weights, scores)."""
    rows, _ = read_rows(path)
    if not rows:
        raise MapFileError(f"{path}: empty map file")
    header = [h.strip() for h in rows[0]]
    items = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise MapFileError(f"{path}: line {n}: {len(row)} fields, the header has {len(header)}")
        item: dict = {"weights": {}, "scores": {}}
        for col, raw in zip(header, row, strict=True):
            if m := _WEIGHT.match(col):
                item["weights"][m.group(1)] = _number(path, n, col, raw, required=True)
            elif m := _SCORE.match(col):
                item["scores"][m.group(1)] = _number(path, n, col, raw, required=False)
            elif col in ("weight", "score"):
                key = col.capitalize()
                item["weights" if col == "weight" else "scores"][key] = _number(path, n, col, raw, col == "weight")
            elif col in ("x", "y"):
                item[col] = _number(path, n, col, raw, required=True)
            elif col == "cluster":
                if raw.strip():
                    value = _number(path, n, col, raw, required=True)
                    if not float(value).is_integer():
                        raise MapFileError(f"{path}: line {n}: cluster is not an integer: {raw!r}")
                    item["cluster"] = int(value)
            elif col == "id":
                item["id"] = _restored(parse_value(raw))
            elif raw != "" or col == "label":
                item[col] = restore_cell(raw).removesuffix(WORD_JOINER) if col in ("label", "description") \
                    else restore_cell(raw)
        item.setdefault("id", item.get("label"))
        item.setdefault("label", str(item["id"]))
        items.append(item)
    return items


def _restored(value: int | float | str) -> int | float | str:
    return restore_cell(value) if isinstance(value, str) else value


def _number(path, line: int, col: str, raw: str, required: bool) -> float | None:
    if not raw.strip():
        if required:
            raise MapFileError(f"{path}: line {line}: {col} is empty")
        return None
    value = parse_value(raw)
    if isinstance(value, str):
        raise MapFileError(f"{path}: line {line}: {col} is not a number: {raw!r}")
    return value


def read_network(path: str | Path) -> list[tuple]:
    """Links of a network file: (id1, id2, strength), strength 1 when the file has two columns."""
    rows, _ = read_rows(path)
    links = []
    for n, row in enumerate(rows, start=1):
        if len(row) not in (2, 3):
            raise MapFileError(f"{path}: line {n}: {len(row)} fields, a network file has 2 or 3")
        s = parse_value(row[2]) if len(row) == 3 else 1
        if isinstance(s, str):
            raise MapFileError(f"{path}: line {n}: strength is not a number: {row[2]!r}")
        links.append((_restored(parse_value(row[0])), _restored(parse_value(row[1])), s))
    return links


def read_map_network(map_path: str | Path | None, network_path: str | Path | None = None) -> nx.Graph:
    """A graph from a map file, a network file, or both."""
    if map_path is None and network_path is None:
        raise ValueError("give a map file, a network file or both")
    items = read_map(map_path) if map_path is not None else []
    links = read_network(network_path) if network_path is not None else []
    if items:
        known = {i["id"] for i in items}
        for n, (a, b, _) in enumerate(links, start=1):
            if a not in known or b not in known:
                raise MapFileError(f"{network_path}: line {n}: id {a if a not in known else b!r} "
                                   f"is not in the map file {map_path}")
    return from_items(items, links)
