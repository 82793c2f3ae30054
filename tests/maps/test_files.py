"""VOSviewer files: every written file passes the validator, real samples pass it, broken files report
every violation, and write -> read round trips keep items, links, weights, scores and clusters.

Real samples are read from ../shared/data/samples/vosviewer_* (CWTS, VOSviewer-Online repository);
broken files are written here (INVENTED).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from bibmine.maps import read_vosviewer, write_vosviewer
from bibmine.maps.build import MapOptions, build_map
from bibmine.maps.exchange import read_gml, read_pajek, write_gml, write_pajek
from bibmine.maps.graphs import MapDataError
from bibmine.maps.thesaurus import Thesaurus, read_thesaurus, write_thesaurus
from bibmine.maps.validate import errors, validate_files, validate_map, validate_network, validate_path
from bibmine.maps.validate_json import validate_json, validate_thesaurus
from bibmine.maps.vos_json import read_json, write_json
from bibmine.maps.vos_text import read_map, read_network, write_map, write_network

from .conftest import all_docs

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "samples"
PAIRS = ["JOI_2007-2016_co-authorship", "QSS_SM_2020-2021_co-authorship",
         "QSS_publication_bibliographic_coupling"]
needs_samples = pytest.mark.skipif(not (SAMPLES / "vosviewer_map").is_dir(),
                                   reason="needs ../shared/data/samples/vosviewer_map (real VOSviewer files)")


def cyrillic_map() -> nx.Graph:
    """Five items, Cyrillic and Latin labels with commas and quotes, weights, scores, clusters."""
    g = nx.Graph()
    items = [("почва", 1, 10, 2019.5), ('чернозём, типичный', 1, 4, None), ('"Умный" регион; Воронеж', 2, 7, 2021.0),
             ("soil carbon", 2, 3, 2018.25), ("Smart specialisation", 3, 5, 2020.0)]
    for n, (label, cluster, occ, year) in enumerate(items):
        g.add_node(f"k{n}", label=label, cluster=cluster, x=n * 0.5 - 1, y=(-1) ** n * 0.3,
                   weights={"Occurrences": occ}, scores={"Avg. pub. year": year})
    g.add_edge("k0", "k1", strength=3.0)
    g.add_edge("k0", "k2", strength=1 / 3)
    g.add_edge("k2", "k3", strength=2.5)
    g.add_edge("k3", "k4", strength=1.0)
    return g


def canon(g: nx.Graph) -> dict:
    """Items by label: cluster, weights, scores (rounded); links as label pairs with strengths."""
    items = {d["label"]: (d.get("cluster"), {k: round(float(v), 9) for k, v in d["weights"].items()},
                          {k: (None if v is None else round(float(v), 9)) for k, v in d["scores"].items()})
             for _, d in g.nodes(data=True)}
    links = {tuple(sorted((g.nodes[u]["label"], g.nodes[v]["label"]))): round(float(d["strength"]), 9)
             for u, v, d in g.edges(data=True)}
    return {"items": items, "links": links}


@pytest.mark.parametrize("suffix", [".txt", ".json", ".gml", ".net"])
def test_round_trip_keeps_items_links_weights_clusters_and_cyrillic(tmp_path, suffix):
    g = cyrillic_map()
    written = write_vosviewer(g, tmp_path / f"map{suffix}")
    back = read_vosviewer(written[0])
    expected = canon(g)
    if suffix == ".net":  # Pajek keeps one weight (.vec) and no scores; its labels cannot hold '"'
        expected["items"] = {k.replace('"', "'"): (c, {"Weight": w["Occurrences"]}, {})
                             for k, (c, w, _) in expected["items"].items()}
        expected["links"] = {tuple(sorted(x.replace('"', "'") for x in k)): s for k, s in expected["links"].items()}
        got = canon(back)
        got["items"] = {k: (c, {"Weight": w["Weight"]}, {}) for k, (c, w, _) in got["items"].items()}
        assert got == expected
    else:
        got = canon(back)
        for label, (cluster, weights, scores) in expected["items"].items():
            assert got["items"][label][0] == cluster
            assert {k: v for k, v in got["items"][label][1].items() if k == "Occurrences"} == weights
            assert got["items"][label][2] == scores
        assert got["links"] == expected["links"]
    assert {d["label"] for _, d in back.nodes(data=True)} >= {"почва", "чернозём, типичный"}  # Cyrillic kept, Pajek too


def test_written_text_files_are_utf8_with_bom_and_quote_labels(tmp_path):
    g = cyrillic_map()
    write_map(g, tmp_path / "map.txt")
    raw = (tmp_path / "map.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ("id\tlabel\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\t"
                        "weight<Occurrences>\tscore<Avg. pub. year>")
    assert lines[2].split("\t")[1] == '"чернозём, типичный"'
    assert lines[3].split("\t")[1] == '"""Умный"" регион; Воронеж"'
    assert lines[2].split("\t")[-1] == ""  # undefined score stays empty, not 0
    assert validate_files(tmp_path / "map.txt") == []


def test_every_written_file_passes_the_validator(tmp_path):
    g = build_map(all_docs(), "keywords", MapOptions())
    write_map(g, tmp_path / "map.txt")
    write_network(g, tmp_path / "network.txt")
    write_json(g, tmp_path / "map.json")
    write_gml(g, tmp_path / "map.gml")
    write_thesaurus(Thesaurus({"soils": "soil", "conclusion": None, "ВВП": "валовой внутренний продукт"}),
                    tmp_path / "thesaurus.txt")
    assert validate_files(tmp_path / "map.txt", tmp_path / "network.txt") == []
    assert validate_json(tmp_path / "map.json") == []
    assert validate_thesaurus(tmp_path / "thesaurus.txt") == []
    assert validate_path(tmp_path / "network.txt") == []
    # JSON carries VOSviewer Online config: terminology and layout/clustering parameters
    assert read_json(tmp_path / "map.json").graph["config"]["terminology"]["item"] == "Keyword"


@needs_samples
@pytest.mark.parametrize("name", PAIRS)
def test_real_map_and_network_files_pass_and_round_trip(tmp_path, name):
    map_path = SAMPLES / "vosviewer_map" / f"{name}_map.txt"
    net_path = SAMPLES / "vosviewer_network" / f"{name}_network.txt"
    assert validate_files(map_path, net_path) == []
    g = read_vosviewer(map_path, net_path)
    items, links = read_map(map_path), read_network(net_path)
    assert g.number_of_nodes() == len(items) and g.number_of_edges() == len(links)
    write_vosviewer(g, tmp_path / "map.txt")
    assert validate_files(tmp_path / "map.txt", tmp_path / "network.txt") == []
    again = read_vosviewer(tmp_path / "map.txt")
    assert canon(again) == canon(g)
    assert [(i["id"], i.get("x"), i.get("y")) for i in read_map(tmp_path / "map.txt")] == \
        [(i["id"], i.get("x"), i.get("y")) for i in items]


@needs_samples
def test_real_json_files_pass_and_round_trip(tmp_path):
    for path in sorted((SAMPLES / "vosviewer_json").glob("*.json")):
        assert validate_json(path) == [], path.name
        g = read_json(path)
        write_json(g, tmp_path / path.name)
        assert validate_json(tmp_path / path.name) == []
        again = read_json(tmp_path / path.name)
        assert canon(again)["links"] == canon(g)["links"]
        assert {d["label"]: d.get("cluster") for _, d in again.nodes(data=True)} == \
            {d["label"]: d.get("cluster") for _, d in g.nodes(data=True)}
        assert again.graph.get("info") == g.graph.get("info") and again.graph.get("config") == g.graph.get("config")
    dim = read_json(SAMPLES / "vosviewer_json" / "Dimensions_scientometrics_researcher_co-authorship_network.json")
    assert dim.nodes["ur.01041121777.72"]["organization"] == "Max Planck Society"  # extra fields are kept


def test_broken_map_file_reports_each_violation(tmp_path):
    path = tmp_path / "broken_map.txt"
    path.write_text(
        "id\tlabel\tx\ty\tcluster\tweight<Links>\tscore<Year>\tweight<Links>\n"
        "1\tsoil\t0.1\t0.2\t1\t3\t2020\t3\n"
        "1\tcarbon\tabc\t0.2\t0\t-1\tsoon\t1\n"          # duplicate id, x not a number, cluster 0, weight < 0, score
        "3\tclimate\t0.3\t0.1\t1001\t2\t2021\n"          # too few fields
        '4\t"unclosed\t0.4\t0.4\t2\t1\t2019\t1\n',        # quote never closed
        encoding="utf-8")
    found, _ = validate_map(path, with_network=True)
    rules = sorted((v.line, v.rule) for v in errors(found))
    assert rules == [(1, "duplicate-column"), (3, "cluster"), (3, "id"), (3, "score"), (3, "weight"), (3, "x-y"),
                     (4, "field-count"), (5, "field-count"), (5, "quotes")]


def test_broken_network_and_json_and_thesaurus_report_each_violation(tmp_path):
    (tmp_path / "map.txt").write_text("id\tlabel\n1\ta\n2\tb\n3\tc\n", encoding="utf-8")
    (tmp_path / "network.txt").write_text("1\t2\t1\n1\t9\t2\n2\t3\t-4\n0\t3\t1\n1\t2\t3\t4\n", encoding="utf-8")
    found = validate_files(tmp_path / "map.txt", tmp_path / "network.txt")
    assert sorted((v.line, v.rule) for v in found) == [(2, "unknown-id"), (3, "strength"), (4, "id"),
                                                        (5, "field-count")]
    (tmp_path / "bad.json").write_text(
        '{"network": {"items": [{"id": 1, "label": "a", "cluster": 2000, "weights": {"Links": -1}},'
        ' {"id": 1, "label": "b"}, {"id": 3, "x": 1}],'
        ' "links": [{"source_id": 1, "target_id": 7, "strength": 1}, {"source_id": 1}]}}', encoding="utf-8")
    rules = sorted(v.rule for v in validate_json(tmp_path / "bad.json"))
    assert rules == ["cluster", "id", "link", "unknown-id", "weight", "x-y"]
    (tmp_path / "th.txt").write_text("term\treplacement\nsoils\tsoil\n\tx\n", encoding="utf-8")
    assert sorted((v.line, v.rule) for v in validate_thesaurus(tmp_path / "th.txt")) == [(1, "header"), (3, "label")]


def test_encoding_and_empty_files_are_reported(tmp_path):
    (tmp_path / "cp1251.txt").write_bytes("id\tlabel\tx\ty\n1\tпочва\t0\t0\n".encode("cp1251"))
    [v] = validate_map(tmp_path / "cp1251.txt")[0]
    assert (v.rule, v.line) == ("encoding", 2) and "UTF-8" in v.message
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert [v.rule for v in validate_network(tmp_path / "empty.txt")] == ["empty"]


def test_pajek_partition_and_vector_files(tmp_path):
    g = cyrillic_map()
    paths = write_pajek(g, tmp_path / "map.net")
    assert [p.name for p in paths] == ["map.net", "map.clu", "map.vec"]
    assert (tmp_path / "map.clu").read_text(encoding="utf-8").split() == ["*Vertices", "5", "1", "1", "2", "2", "3"]
    assert (tmp_path / "map.vec").read_text(encoding="utf-8").split()[2:] == ["10", "4", "7", "3", "5"]
    back = read_pajek(tmp_path / "map.net", tmp_path / "map.clu", tmp_path / "map.vec", weight="Occurrences")
    assert back.nodes[1]["label"] == "почва" and back.nodes[3]["weights"]["Occurrences"] == 7
    gml = read_gml(write_gml(g, tmp_path / "map.gml"))
    assert gml.nodes[1]["scores"]["Avg. pub. year"] == 2019.5 and gml.nodes[2]["label"] == "чернозём, типичный"
    assert (tmp_path / "map.gml").read_bytes().isascii()


def test_any_networkx_graph_can_be_written(tmp_path):
    g = nx.karate_club_graph()  # nodes 0..33: ids become 1..34 (VOSviewer Online reads id 0 as missing)
    write_vosviewer(g, tmp_path / "karate_map.txt")
    found = validate_files(tmp_path / "karate_map.txt", tmp_path / "karate_network.txt")
    # node 0's label "0", which VOSviewer Online would read as no label, is written with a word joiner: no finding
    assert found == []
    assert "0\u2060" in (tmp_path / "karate_map.txt").read_text(encoding="utf-8-sig")
    back = read_vosviewer(tmp_path / "karate_map.txt")
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[1]["label"] == "0"
    bad = nx.Graph([("a", "b")])
    bad.nodes["a"]["x"] = 0.5
    with pytest.raises(MapDataError, match="x/y"):
        write_vosviewer(bad, tmp_path / "bad.json")


def test_thesaurus_files_round_trip_and_apply(tmp_path):
    t = Thesaurus({"soils": "soil", "conclusion": None, "ВВП": "валовой внутренний продукт"})
    back = read_thesaurus(write_thesaurus(t, tmp_path / "thesaurus.txt"))
    assert back.rows() == t.rows()
    assert back.apply("Soils") == "soil" and back.apply("ввп") == "валовой внутренний продукт"
    assert back.apply("conclusion") is None and back.apply("carbon") == "carbon"
