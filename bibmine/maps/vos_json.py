"""VOSviewer JSON files: ``{"network": {"items", "links", "clusters"}, "config", "info"}``.

Written as UTF-8 without a BOM (RFC 8259), non-ASCII kept as is; read with or without a
BOM.  Graph attributes travel in the file: ``graph.graph["config"]`` (terminology,
parameters, templates, styles), ``graph.graph["info"]`` (title, description) and
``graph.graph["cluster_labels"]`` ({cluster: label}).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from bibmine.maps.graphs import from_items, to_items
from bibmine.maps.labels import WORD_JOINER, viewer_label


class JsonFileError(ValueError):
    """A VOSviewer JSON file that cannot be read; the message names the file."""


def json_document(graph: nx.Graph, prepared: tuple[list[dict], list[tuple]] | None = None) -> dict:
    items, links = prepared or to_items(graph)
    out_items = []
    for item in items:
        obj = {"id": item["id"], "label": viewer_label(item["label"])}  # VOSviewer Online types JSON fields too
        for key in ("description", "url", "x", "y", "cluster"):
            if key in item:
                obj[key] = viewer_label(item[key]) if key == "description" else item[key]
        obj.update(item.get("extra", {}))
        obj["weights"] = item["weights"]
        if item["scores"]:
            obj["scores"] = item["scores"]
        out_items.append(obj)
    network: dict = {
        "items": out_items,
        "links": [{"source_id": a, "target_id": b, "strength": s} for a, b, s in links],
    }
    clusters = sorted({i["cluster"] for i in items if "cluster" in i})
    if clusters:
        labels = graph.graph.get("cluster_labels") or {}
        network["clusters"] = [{"cluster": c, "label": str(labels.get(c, f"Cluster {c}"))} for c in clusters]
    doc: dict = {"network": network}
    if graph.graph.get("config"):
        doc["config"] = graph.graph["config"]
    if graph.graph.get("info"):
        doc["info"] = graph.graph["info"]
    return doc


INDENTED_LINKS = 20_000  # larger maps are written compact: the indenting encoder is pure Python (5 s for 200,000 links)


def write_json(graph: nx.Graph, path: str | Path, *, prepared: tuple[list[dict], list[tuple]] | None = None) -> Path:
    """Indented for reading when the map has at most :data:`INDENTED_LINKS` links, compact beyond."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = json_document(graph, prepared)
    if len(doc["network"]["links"]) <= INDENTED_LINKS:
        text = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
    else:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


def load_json(path: str | Path) -> dict:
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise JsonFileError(f"{path}: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise JsonFileError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("network"), dict):
        raise JsonFileError(f"{path}: no 'network' object at the top level")
    return doc


def read_json(path: str | Path) -> nx.Graph:
    doc = load_json(path)
    network = doc["network"]
    items = []
    for n, obj in enumerate(network.get("items") or [], start=1):
        if not isinstance(obj, dict) or "id" not in obj and "label" not in obj:
            raise JsonFileError(f"{path}: item {n} has neither id nor label")
        item = {"id": obj.get("id", obj.get("label")), "label": str(obj.get("label", obj.get("id"))).removesuffix(
                    WORD_JOINER),
                "weights": dict(obj.get("weights") or {}), "scores": dict(obj.get("scores") or {})}
        for key, value in obj.items():
            if key in ("description", "url", "x", "y", "cluster"):
                item[key] = value.removesuffix(WORD_JOINER) if key == "description" and isinstance(value, str) \
                    else value
            elif key not in ("id", "label", "weights", "scores"):
                item.setdefault("extra", {})[key] = value
        items.append(item)
    links = []
    for n, obj in enumerate(network.get("links") or [], start=1):
        if not isinstance(obj, dict) or "source_id" not in obj or "target_id" not in obj:
            raise JsonFileError(f"{path}: link {n} has no source_id or target_id")
        links.append((obj["source_id"], obj["target_id"], obj.get("strength", 1)))
    attrs: dict = {}
    if network.get("clusters"):
        attrs["cluster_labels"] = {c["cluster"]: c.get("label") for c in network["clusters"] if "cluster" in c}
    for key in ("config", "info"):
        if key in doc:
            attrs[key] = doc[key]
    return from_items(items, links, attrs)
