"""Data for the report's map viewer (``assets/mapviewer.js``) from a VOSviewer JSON map.

The viewer gets a compact document: ``{"items": [[label, x, y, cluster, [weights...]], ...],
"links": [[i, j, strength], ...], "weights": [weight names], "weight": index of the weight that sizes
the circles first, "colours": {cluster: "#rrggbb"}}``,
embedded in ``<script type="application/json">`` with :func:`script_json` so that no label can
close the element. Labels are drawn on a canvas and shown with ``textContent``: never as markup.

>>> doc = {"network": {"items": [{"id": 1, "label": "</script>", "x": 0, "y": 1, "cluster": 2,
...        "weights": {"Occurrences": 3}}], "links": []}}
>>> view, problems = viewer_data(doc)
>>> view["items"], problems
([['</script>', 0.0, 1.0, 2, [3.0]]], [])
>>> "</script>" in script_json(view)
False
"""

from __future__ import annotations

import json
import math

from bibmine.maps.labels import WORD_JOINER

# VOSviewer's default cluster colours, in its order.
PALETTE = ["#d62728", "#2ca02c", "#1f77b4", "#bcbd22", "#9467bd", "#17becf", "#ff7f0e", "#e377c2",
           "#8c564b", "#7f7f7f", "#aec7e8", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]
PREFERRED_WEIGHTS = ("Occurrences", "Documents", "Publications", "Citations")  # VOSviewer's usual size measures
MAX_ITEMS = 3000
MAX_LINKS = 20000


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def cluster_colour(cluster: int) -> str:
    return "#999999" if cluster <= 0 else PALETTE[(cluster - 1) % len(PALETTE)]


def viewer_data(doc: dict, *, max_items: int = MAX_ITEMS, max_links: int = MAX_LINKS) -> tuple[dict, list[str]]:
    """The viewer's document and the problems met (items or links left out, and why)."""
    network = doc.get("network") if isinstance(doc, dict) else None
    if not isinstance(network, dict) or not isinstance(network.get("items"), list):
        return {"items": [], "links": [], "weights": [], "weight": 0, "colours": {}}, ["no network.items list"]
    problems: list[str] = []
    raw = [i for i in network["items"] if isinstance(i, dict)]
    weight_keys = list(dict.fromkeys(k for i in raw if isinstance(i.get("weights"), dict) for k in i["weights"]))
    items, ids, skipped = [], [], 0
    for item in raw:
        x, y = _finite(item.get("x")), _finite(item.get("y"))
        if x is None or y is None or item.get("id") is None:
            skipped += 1
            continue
        cluster = item.get("cluster")
        cluster = int(cluster) if _finite(cluster) is not None else 0
        weights = item.get("weights") if isinstance(item.get("weights"), dict) else {}
        values = [max(_finite(weights.get(k)) or 0.0, 0.0) for k in weight_keys]
        label = item.get("label")
        # bibmine writes a label VOSviewer would read as a number with a trailing WORD JOINER: not shown here
        shown = str(label).removesuffix(WORD_JOINER) if label is not None else str(item["id"])
        items.append([shown, x, y, cluster, values])
        ids.append(item["id"])
    if skipped:
        problems.append(f"{skipped} item(s) without id or numeric x, y left out")
    if len(items) > max_items:
        order = sorted(range(len(items)), key=lambda i: -(items[i][4][0] if items[i][4] else 0))[:max_items]
        keep = sorted(order)
        problems.append(f"{len(items) - max_items} item(s) of the lowest weight left out of the viewer")
        items, ids = [items[i] for i in keep], [ids[i] for i in keep]
    index = {str(v): n for n, v in enumerate(ids)}
    links, dangling = [], 0
    for link in network.get("links") or []:
        if not isinstance(link, dict):
            dangling += 1
            continue
        a, b = index.get(str(link.get("source_id"))), index.get(str(link.get("target_id")))
        strength = _finite(link.get("strength"))
        if a is None or b is None or a == b:
            dangling += 1
            continue
        links.append([a, b, strength if strength is not None and strength > 0 else 1.0])
    if dangling:
        problems.append(f"{dangling} link(s) to items not shown, or from an item to itself, left out")
    if len(links) > max_links:
        links.sort(key=lambda link: -link[2])
        problems.append(f"{len(links) - max_links} weakest link(s) left out of the viewer")
        links = links[:max_links]
    clusters = sorted({i[3] for i in items})
    weight = next((weight_keys.index(k) for k in PREFERRED_WEIGHTS if k in weight_keys), 0)
    return {"items": items, "links": links, "weights": weight_keys, "weight": weight,
            "colours": {str(c): cluster_colour(c) for c in clusters}}, problems


def cluster_labels(doc: dict, lang_label: str) -> dict[int, str]:
    """Cluster labels of ``network.clusters`` when given; ``lang_label`` (``Cluster {n}``) otherwise."""
    out: dict[int, str] = {}
    network = doc.get("network") if isinstance(doc, dict) else {}
    for entry in (network or {}).get("clusters") or []:
        if isinstance(entry, dict) and _finite(entry.get("cluster")) is not None and entry.get("label"):
            out[int(entry["cluster"])] = str(entry["label"])
    return out


def script_json(data: object) -> str:
    """JSON that can sit inside ``<script>``: ``<``, ``>``, ``&`` and the JS line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text
