"""VOSviewer JSON and thesaurus files against their rules (see :mod:`bibmine.maps.validate`).

JSON rules follow the VOSviewer Online documentation of the format (items with id or
label, unique ids, numeric x/y used together, weights non-negative numbers, scores numbers
or null, clusters integers 1..1000, links with source_id/target_id naming items and a
non-negative strength) and its file checks (at least three items; x/y needed when there
are no links).
"""

from __future__ import annotations

import json
import numbers
from pathlib import Path

from bibmine.maps.labels import misread_reason
from bibmine.maps.validate import Violation, _decode, _rows


def _num(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def validate_json(path: str | Path) -> list[Violation]:
    path = Path(path)
    f = str(path)
    out: list[Violation] = []
    text = _decode(path, out)
    if text is None:
        return out
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return out + [Violation(f, exc.lineno, "json", f"not JSON: {exc.msg} (column {exc.colno})")]
    network = doc.get("network") if isinstance(doc, dict) else None
    if not isinstance(network, dict):
        return out + [Violation(f, None, "json", "no 'network' object at the top level")]
    items = network.get("items", [])
    links = network.get("links", [])
    if not isinstance(items, list) or not isinstance(links, list):
        return out + [Violation(f, None, "json", "network.items and network.links must be arrays")]

    def bad(where: str, rule: str, msg: str, severity: str = "error") -> None:
        out.append(Violation(f, None, rule, f"{where}: {msg}", severity))

    if items and len(items) < 3:
        bad("network.items", "items", f"{len(items)} items; VOSviewer Online needs at least 3")
    ids: dict = {}
    with_xy = 0
    for n, item in enumerate(items):
        where = f"items[{n}]"
        if not isinstance(item, dict):
            bad(where, "json", "an item must be an object")
            continue
        if "id" not in item and "label" not in item:
            bad(where, "id", "neither id nor label")
        iid = item.get("id")
        if "id" in item:
            if iid is None or iid == "" or isinstance(iid, bool) or not isinstance(iid, str | int):
                bad(where, "id", f"id must be a non-empty string or an integer, not {iid!r}")
            elif iid in ids:
                bad(where, "id", f"id {iid!r} is not unique (also items[{ids[iid]}])")
            else:
                ids[iid] = n
        if "label" in item and not isinstance(item["label"], str):
            bad(where, "label", f"label must be a string, not {item['label']!r}")
        elif "label" in item and (reason := misread_reason(item["label"])):  # JSON fields are typed as text ones
            bad(where, "label", f"label {item['label']!r}: {reason}", "warning")
        if ("x" in item) != ("y" in item):
            bad(where, "x-y", "x and y must be given together")
        for c in ("x", "y"):
            if c in item and not _num(item[c]):
                bad(where, "x-y", f"{c} is not a number: {item[c]!r}")
        with_xy += "x" in item and "y" in item
        cl = item.get("cluster")
        if cl is not None and not (isinstance(cl, int) and not isinstance(cl, bool) and 1 <= cl <= 1000):
            bad(where, "cluster", f"cluster {cl!r} is not an integer 1..1000")
        for name, value in (item.get("weights") or {}).items():
            if not _num(value) or value < 0:
                bad(where, "weight", f"weight {name!r} must be a non-negative number, not {value!r}")
        for name, value in (item.get("scores") or {}).items():
            if value is not None and not _num(value):
                bad(where, "score", f"score {name!r} is not a number: {value!r}")
    if items and 0 < with_xy < len(items):
        bad("network.items", "x-y", f"{with_xy} of {len(items)} items have x/y; give all or none")
    if items and not links and with_xy < len(items):
        bad("network.items", "x-y", "without links every item needs x and y")
    for n, link in enumerate(links):
        where = f"links[{n}]"
        if not isinstance(link, dict) or "source_id" not in link or "target_id" not in link:
            bad(where, "link", "a link needs source_id and target_id")
            continue
        for key in ("source_id", "target_id"):
            if items and link[key] not in ids:
                bad(where, "unknown-id", f"{key} {link[key]!r} is not an item id")
        s = link.get("strength", 1)
        if not _num(s) or s < 0:
            bad(where, "strength", f"strength must be a non-negative number, not {s!r}")
    for n, cluster in enumerate(network.get("clusters") or []):
        cl = cluster.get("cluster") if isinstance(cluster, dict) else None
        if not (isinstance(cl, int) and not isinstance(cl, bool) and 1 <= cl <= 1000):
            bad(f"clusters[{n}]", "cluster", f"cluster {cl!r} is not an integer 1..1000")
    return out


def validate_thesaurus(path: str | Path) -> list[Violation]:
    """A VOSviewer thesaurus file: header ``label`` / ``replace by``, two columns, non-empty labels."""
    path = Path(path)
    f = str(path)
    out: list[Violation] = []
    rows = _rows(path, out)
    if not rows:
        return out
    header = [h.strip().lower() for h in rows[0][1]]
    if header != ["label", "replace by"]:
        out.append(Violation(f, 1, "header", f"line 1 must be 'label' and 'replace by', not {rows[0][1]!r}"))
    labels: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) != 2:
            out.append(Violation(f, line, "field-count", f"{len(row)} fields; a thesaurus line has 2"))
            continue
        label = row[0].strip().lower()
        if not label:
            out.append(Violation(f, line, "label", "the label is empty"))
        elif label in labels:
            out.append(Violation(f, line, "label", f"label {row[0]!r} already on line {labels[label]}",
                                 "warning"))
        else:
            labels[label] = line
    return out
