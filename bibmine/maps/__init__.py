"""maps stage of bibmine: VOSviewer maps from the corpus, and VOSviewer files from any networkx graph.

    from bibmine.maps import write_vosviewer
    write_vosviewer(my_graph, "out/map.txt")     # map.txt + network.txt
    write_vosviewer(my_graph, "out/map.json")    # VOSviewer JSON
"""

from bibmine.maps.build import MapOptions, analyze, build_map, build_network, map_from_corpus
from bibmine.maps.make import MadeMap, make_map
from bibmine.maps.validate import validate_files, validate_path
from bibmine.maps.vosviewer import read_vosviewer, write_vosviewer

__all__ = ["MadeMap", "MapOptions", "analyze", "build_map", "build_network", "make_map", "map_from_corpus",
           "read_vosviewer", "validate_files", "validate_path", "write_vosviewer"]
