"""Pajek (.net network, .clu partition, .vec vector) and GML files, written as VOSviewer does.

Pajek numbers vertices 1..n in node order; a .clu holds each vertex's cluster (0: none), a
.vec one weight per vertex.  GML follows VOSviewer's GML export: ``node [ id label x y
cluster weight<Links> score<Avg._pub._year> ]`` and ``edge [ source target value ]``; keys
keep their case with spaces as underscores; text is ASCII with ``&#NNNN;`` for other
characters (the GML rule), so Cyrillic labels survive any reader.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx

from bibmine.maps.graphs import from_items, score_names, to_items, weight_names
from bibmine.maps.vos_text import format_number, parse_value


class ExchangeFileError(ValueError):
    """A Pajek or GML file that cannot be read; the message names the file and line."""


# ---------------------------------------------------------------- Pajek


def _pajek_label(label: str) -> str:
    return '"' + re.sub(r"\s+", " ", label).replace('"', "'") + '"'


def write_pajek(graph: nx.Graph, path: str | Path, *, weight: str | None = None) -> list[Path]:
    """Write ``path`` (.net) and, next to it, .clu (when items have clusters) and .vec.

    The .vec holds ``weight`` (default: the first weight after Links and Total link strength,
    else Total link strength).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    items, links = to_items(graph)
    number = {item["id"]: n for n, item in enumerate(items, start=1)}
    lines = [f"*Vertices {len(items)}"]
    for n, item in enumerate(items, start=1):
        xy = f" {format_number(item['x'])} {format_number(item['y'])}" if "x" in item else ""
        lines.append(f"{n} {_pajek_label(item['label'])}{xy}")
    lines.append("*Edges")
    lines += [f"{number[a]} {number[b]} {format_number(s)}" for a, b, s in links]
    written = [_write(path, lines)]
    if any("cluster" in i for i in items):
        clu = [f"*Vertices {len(items)}"] + [str(i.get("cluster", 0)) for i in items]
        written.append(_write(path.with_suffix(".clu"), clu))
    names = weight_names(items)
    if weight is None:
        custom = [w for w in names if w not in ("Links", "Total link strength")]
        weight = custom[0] if custom else "Total link strength"
    if items and weight not in names:
        raise ValueError(f"no weight {weight!r}; the items have {names}")
    vec = [f"*Vertices {len(items)}"] + [format_number(i["weights"][weight]) for i in items]
    written.append(_write(path.with_suffix(".vec"), vec))
    return written


def _write(path: Path, lines: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


_VERTEX = re.compile(r'^\s*(\d+)\s+"([^"]*)"(?:\s+(\S+)\s+(\S+))?')


def read_pajek(path: str | Path, clu: str | Path | None = None, vec: str | Path | None = None,
               weight: str = "Weight") -> nx.Graph:
    """A graph keyed 1..n from a .net file, with clusters from ``clu`` and a weight from ``vec``."""
    path = Path(path)
    items: list[dict] = []
    links = []
    section = None
    for n, line in enumerate(path.read_bytes().decode("utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.startswith("%"):
            continue
        if line.startswith("*"):
            section = line.split()[0].lower()
            if section not in ("*vertices", "*edges", "*arcs"):
                raise ExchangeFileError(f"{path}: line {n}: section {section} is not supported")
            if section == "*vertices":
                count = int(line.split()[1])
                items = [{"id": i, "label": str(i), "weights": {}, "scores": {}} for i in range(1, count + 1)]
            continue
        if section == "*vertices":
            m = _VERTEX.match(line)
            if not m or not 1 <= int(m.group(1)) <= len(items):
                raise ExchangeFileError(f"{path}: line {n}: not a vertex line: {line!r}")
            item = items[int(m.group(1)) - 1]
            item["label"] = m.group(2)
            if m.group(3) is not None:
                item["x"], item["y"] = float(m.group(3)), float(m.group(4))
        elif section in ("*edges", "*arcs"):
            parts = line.split()
            if len(parts) < 2:
                raise ExchangeFileError(f"{path}: line {n}: not an edge line: {line!r}")
            links.append((int(parts[0]), int(parts[1]), float(parts[2]) if len(parts) > 2 else 1.0))
        else:
            raise ExchangeFileError(f"{path}: line {n}: data before *Vertices")
    for extra, key in ((clu, "cluster"), (vec, weight)):
        if extra is None:
            continue
        values = _vector(Path(extra), len(items))
        for item, value in zip(items, values, strict=True):
            if key == "cluster":
                if value:
                    item["cluster"] = int(value)
            else:
                item["weights"][key] = value
    return from_items(items, links)


def _vector(path: Path, expected: int) -> list[float]:
    lines = [ln for ln in path.read_bytes().decode("utf-8-sig").splitlines() if ln.strip()]
    if not lines or not lines[0].lower().startswith("*vertices"):
        raise ExchangeFileError(f"{path}: line 1 must be '*Vertices n'")
    values = [parse_value(ln) for ln in lines[1:]]
    if len(values) != expected or any(isinstance(v, str) for v in values):
        raise ExchangeFileError(f"{path}: {len(values)} numbers for {expected} vertices")
    return values


# ---------------------------------------------------------------- GML


def _gml_text(text: str) -> str:
    return '"' + "".join(c if 32 <= ord(c) < 127 and c not in '"&' else f"&#{ord(c)};" for c in text) + '"'


def _gml_key(prefix: str, name: str) -> str:
    return f"{prefix}<{name.replace(' ', '_')}>"


def write_gml(graph: nx.Graph, path: str | Path) -> Path:
    items, links = to_items(graph)
    weights, scores = weight_names(items), score_names(items)
    out = ["graph", "[", "  directed 0"]
    for item in items:
        out += ["  node", "  ["]
        out.append(f"    id {item['id']}" if isinstance(item["id"], int) else f"    id {_gml_text(str(item['id']))}")
        out.append(f"    label {_gml_text(item['label'])}")
        for key in ("description", "url"):
            if key in item:
                out.append(f"    {key} {_gml_text(item[key])}")
        for key in ("x", "y", "cluster"):
            if key in item:
                out.append(f"    {key} {format_number(item[key])}")
        out += [f"    {_gml_key('weight', w)} {format_number(item['weights'][w])}" for w in weights]
        out += [f"    {_gml_key('score', s)} {format_number(item['scores'][s])}" for s in scores
                if item["scores"].get(s) is not None]
        out.append("  ]")
    for a, b, s in links:
        src = a if isinstance(a, int) else _gml_text(str(a))
        dst = b if isinstance(b, int) else _gml_text(str(b))
        out += ["  edge", "  [", f"    source {src}", f"    target {dst}", f"    value {format_number(s)}", "  ]"]
    out.append("]")
    return _write(Path(path), out)


_GML_TOKEN = re.compile(r'\s+|#[^\n]*|"([^"]*)"|(\[)|(\])|([^\s\[\]"]+)')


def _gml_tokens(text: str, path: Path):
    pos = 0
    while pos < len(text):
        m = _GML_TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            raise ExchangeFileError(f"{path}: line {line}: cannot read {text[pos:pos + 20]!r}")
        pos = m.end()
        if m.group(1) is not None:
            yield ("str", html.unescape(m.group(1)))
        elif m.group(2):
            yield ("open", None)
        elif m.group(3):
            yield ("close", None)
        elif m.group(4):
            yield ("atom", m.group(4))


def _gml_parse(tokens, path: Path) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for kind, value in tokens:
        if kind == "close":
            return out
        if kind != "atom":
            raise ExchangeFileError(f"{path}: a key was expected, found {value!r}")
        key = value
        kind, value = next(tokens, ("eof", None))
        if kind == "open":
            out.append((key, _gml_parse(tokens, path)))
        elif kind == "str":
            out.append((key, value))
        elif kind == "atom":
            out.append((key, parse_value(value)))
        else:
            raise ExchangeFileError(f"{path}: key {key!r} has no value")
    return out


def read_gml(path: str | Path) -> nx.Graph:
    path = Path(path)
    tree = _gml_parse(_gml_tokens(path.read_bytes().decode("utf-8-sig"), path), path)
    graphs = [v for k, v in tree if k == "graph"]
    if not graphs:
        raise ExchangeFileError(f"{path}: no 'graph [ ... ]' block")
    items, links = [], []
    for key, value in graphs[0]:
        if key == "node":
            fields = dict(value)
            item = {"id": fields.get("id"), "label": str(fields.get("label", fields.get("id"))),
                    "weights": {}, "scores": {}}
            for k, v in value:
                if m := re.match(r"^(weight|score)<(.*)>$", k):
                    item["weights" if m.group(1) == "weight" else "scores"][m.group(2).replace("_", " ")] = v
                elif k in ("description", "url", "x", "y", "cluster"):
                    item[k] = v
            items.append(item)
        elif key == "edge":
            fields = dict(value)
            links.append((fields["source"], fields["target"], fields.get("value", fields.get("weight", 1))))
    for name in score_names(items):  # GML has no null: an undefined score is left out when written
        for item in items:
            item["scores"].setdefault(name, None)
    return from_items(items, links)
