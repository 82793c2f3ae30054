"""``write_vosviewer`` / ``read_vosviewer``: any networkx graph to VOSviewer files and back.

>>> import networkx as nx, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> g = nx.Graph([("почва", "углерод", {"weight": 3}), ("углерод", "климат", {"weight": 1}), ("почва", "климат")])
>>> [p.name for p in write_vosviewer(g, out / "map.txt")]
['map.txt', 'network.txt']
>>> h = read_vosviewer(out / "map.txt")
>>> sorted(h.nodes[n]["label"] for n in h), h[1][2]["strength"]
(['климат', 'почва', 'углерод'], 3)
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from bibmine.maps.exchange import read_gml, read_pajek, write_gml, write_pajek
from bibmine.maps.vos_json import read_json, write_json
from bibmine.maps.vos_text import read_map_network, write_map, write_network


def network_path_for(map_path: str | Path) -> Path:
    """The network file that goes with a map file: ``map`` -> ``network`` in the name, else ``_network``."""
    p = Path(map_path)
    if "map" in p.stem:
        return p.with_name(p.stem.replace("map", "network") + p.suffix)
    return p.with_name(p.stem + "_network" + (p.suffix or ".txt"))


def write_vosviewer(graph: nx.Graph, path: str | Path, network_path: str | Path | None = None) -> list[Path]:
    """Write ``graph`` for VOSviewer and return the files written.

    ``.json`` -> a VOSviewer JSON file; ``.gml`` -> GML; ``.net`` -> Pajek (.net/.clu/.vec);
    anything else -> a map file at ``path`` and a network file at ``network_path`` (default:
    next to it, see :func:`network_path_for`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return [write_json(graph, path)]
    if suffix == ".gml":
        return [write_gml(graph, path)]
    if suffix == ".net":
        return write_pajek(graph, path)
    network = Path(network_path) if network_path is not None else network_path_for(path)
    return [write_map(graph, path), write_network(graph, network)]


def read_vosviewer(path: str | Path, network_path: str | Path | None = None) -> nx.Graph:
    """Read a VOSviewer JSON, GML or Pajek file, or a map file with its network file (if present)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".gml":
        return read_gml(path)
    if suffix == ".net":
        clu, vec = path.with_suffix(".clu"), path.with_suffix(".vec")
        return read_pajek(path, clu if clu.exists() else None, vec if vec.exists() else None)
    if network_path is None:
        candidate = network_path_for(path)
        network_path = candidate if candidate.exists() and candidate != path else None
    return read_map_network(path, network_path)
