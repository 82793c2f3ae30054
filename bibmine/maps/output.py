"""Writing a finished map: VOSviewer files, a PNG preview, the cluster profile, and their check.

``write_all(graph, out_dir)`` writes ``map.txt``, ``network.txt``, ``map.json``,
``preview.png`` and, for maps built from a corpus, ``clusters.csv``; then runs the validator
on the three VOSviewer files and returns every violation found (none is expected).
"""

from __future__ import annotations

import heapq
from pathlib import Path

import networkx as nx

from bibmine.maps.graphs import to_items
from bibmine.maps.overlay import write_cluster_profile
from bibmine.maps.validate import Violation, validate_files
from bibmine.maps.validate_json import validate_json
from bibmine.maps.vos_json import write_json
from bibmine.maps.vos_text import write_map, write_network

PALETTE = ["#d62728", "#2ca02c", "#1f77b4", "#bcbd22", "#9467bd", "#17becf", "#ff7f0e", "#e377c2",
           "#8c564b", "#7f7f7f", "#aec7e8", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]


def write_preview(graph: nx.Graph, path: str | Path, *, max_labels: int = 40, max_links: int = 1000) -> Path:
    """A PNG of the map: circles sized by weight, coloured by cluster, the strongest links, top labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    nodes = [n for n in graph if graph.nodes[n].get("x") is not None]
    fig, ax = plt.subplots(figsize=(12, 9), dpi=100)
    ax.set_axis_off()
    if nodes:
        xy = {n: (graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes}
        custom = [w for w in graph.nodes[nodes[0]].get("weights", {}) if w not in ("Links",)]
        wname = next((w for w in custom if w != "Total link strength"), "Total link strength")
        weight = {n: float(graph.nodes[n].get("weights", {}).get(wname, 1.0)) for n in nodes}
        top = max(weight.values()) or 1.0
        links = heapq.nlargest(max_links, ((d.get("strength", 1.0), u, v) for u, v, d in graph.edges(data=True)
                                           if u in xy and v in xy), key=lambda t: t[0])
        if links:  # one collection, not a plot call per link (1,000 calls took a second)
            from matplotlib.collections import LineCollection

            ax.add_collection(LineCollection([(xy[u], xy[v]) for _, u, v in links], colors="#999999", alpha=0.25,
                                             linewidths=0.5, zorder=1))
        colours = [PALETTE[(graph.nodes[n]["cluster"] - 1) % len(PALETTE)] if graph.nodes[n].get("cluster")
                   else "#cccccc" for n in nodes]
        sizes = [20 + 400 * (weight[n] / top) ** 0.5 for n in nodes]
        ax.scatter([xy[n][0] for n in nodes], [xy[n][1] for n in nodes], s=sizes, c=colours, alpha=0.85,
                   edgecolors="white", linewidths=0.5, zorder=2)
        for n in sorted(nodes, key=lambda n: -weight[n])[:max_labels]:
            ax.annotate(str(graph.nodes[n].get("label", n))[:40], xy[n], fontsize=8, ha="center", va="bottom",
                        zorder=3)
    title = graph.graph.get("info", {}).get("title") if isinstance(graph.graph.get("info"), dict) else None
    ax.set_title(title or f"{graph.number_of_nodes()} items, {graph.number_of_edges()} links", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


NO_LINKS_NOTE = ("no links between the items: network.txt is not written (VOSviewer reads a map without "
                 "links from map.txt alone, which has x and y)")


def write_all(graph: nx.Graph, out_dir: str | Path) -> tuple[dict[str, Path], list[Violation]]:
    """Write the files; a map without links gets no network file (VOSviewer refuses an empty one), and
    the note saying so goes into ``graph.graph["notes"]`` and ``map.json``'s ``info``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    linked = any(u != v for u, v in graph.edges())
    stale = out / "network.txt"
    if not linked:
        notes = graph.graph.setdefault("notes", [])
        if NO_LINKS_NOTE not in notes:
            notes.append(NO_LINKS_NOTE)
        info = graph.graph.setdefault("info", {})
        if isinstance(info, dict):
            info["notes"] = list(notes)
            info["description"] = (info.get("description", "") + " " if info.get("description") else "") + \
                "No links: network file omitted."
        if stale.exists():  # a network file of an earlier run would not match this map
            stale.unlink()
    prepared = to_items(graph)  # once for the three files
    paths = {"map": write_map(graph, out / "map.txt", prepared=prepared)}
    if linked:
        paths["network"] = write_network(graph, out / "network.txt", prepared=prepared)
    paths.update(json=write_json(graph, out / "map.json", prepared=prepared),
                 preview=write_preview(graph, out / "preview.png"))
    if graph.graph.get("cluster_profile") is not None:
        regions = sorted({r for row in graph.graph["cluster_profile"] for r in row["shares"]})
        paths["clusters"] = write_cluster_profile(graph.graph["cluster_profile"], out / "clusters.csv", regions)
    violations = validate_files(paths["map"], paths.get("network")) + validate_json(paths["json"])
    return paths, violations
