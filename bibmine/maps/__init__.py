"""maps stage of bibmine: VOSviewer maps from the corpus, and VOSviewer files from any networkx graph.

    from bibmine.maps import write_vosviewer
    write_vosviewer(my_graph, "out/map.txt")     # map.txt + network.txt
    write_vosviewer(my_graph, "out/map.json")    # VOSviewer JSON

Names are imported on first use (``bibmine._exports``), so ``bibmine map --help`` loads no
scientific stack.
"""

from bibmine._exports import lazy_exports

_TABLE = {
    **dict.fromkeys(("MapOptions", "analyze", "build_map", "build_network", "map_from_corpus"), "bibmine.maps.build"),
    "MadeMap": "bibmine.maps.make", "make_map": "bibmine.maps.make",
    "validate_files": "bibmine.maps.validate", "validate_path": "bibmine.maps.validate",
    "read_vosviewer": "bibmine.maps.vosviewer", "write_vosviewer": "bibmine.maps.vosviewer",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
