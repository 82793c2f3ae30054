"""Labels, files, defaults and layout of issue 21 (INVENTED records and matrices, checked by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

from bibmine.corpus.model import Author, Identifiers, Kind, Record, RubricAssignment, Text
from bibmine.maps.build import MapOptions, build_network
from bibmine.maps.collect import KINDS, held_rubric_level
from bibmine.maps.labels import balance, clean_label, keyword_label, misread_reason, plain_text
from bibmine.maps.layout import LayoutParams, separate, vos_layout
from bibmine.maps.output import write_all
from bibmine.maps.validate import validate_files
from bibmine.maps.vos_text import write_map

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "samples"


@pytest.mark.parametrize(("raw", "plain"), [
    ("yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>", "yba2cu3o7−z"),
    ("R&amp;D", "R&D"), ("R&amp;amp;D", "R&D"), ("a<b", "a < b"), ("x > 0", "x > 0"),
    ("<i>in vivo</i> imaging", "in vivo imaging"),
    ('<mml:math><mml:msub><mml:mi>H</mml:mi><mml:mn>2</mml:mn></mml:msub></mml:math>O', "H2O"),
    ("<jats:italic>E. coli</jats:italic>", "E. coli"), ("line<br/>break", "line break"),
    ("&lt;i&gt;escaped&lt;/i&gt; tag", "escaped tag"), ("caf&eacute; &#8212; bar", "café — bar"),
])
def test_plain_text(raw, plain):
    assert plain_text(raw) == plain


@pytest.mark.parametrize(("raw", "shown"), [
    ("bluetooth low energy (ble", "bluetooth low energy ble"), ('smart "specialization', "smart specialization"),
    ('"smart specialization"', "smart specialization"), ("(a) and (b)", "(a) and (b)"),
    ("covid-19)", "covid-19"), ("«цифровая экономика»", "цифровая экономика"), ("[[x]", "x"),
])
def test_balance(raw, shown):
    assert balance(raw) == shown


def test_keyword_label_keeps_formulas_and_acronyms():
    assert keyword_label("yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>") == "YBa2Cu3O7−z"
    assert keyword_label("Bluetooth Low Energy (BLE)") == "bluetooth low energy (BLE)"
    assert keyword_label("SOIL CARBON") == "soil carbon"  # all caps is not an acronym
    assert keyword_label("h<sub>2</sub>so<sub>4</sub> aerosol") == "H2SO4 aerosol"
    assert keyword_label("h2o") == "h2o"  # no subscript markup: not taken for a formula
    assert clean_label("  Smart  Specialisation; ") == "Smart Specialisation"


@pytest.mark.parametrize(("label", "reason"), [
    ("null", "missing"), ("NaN", "missing"), ("0", "missing"), ("1e3", "number 1000"), ("<i>x</i>", "markup"),
    ("R&amp;D", "entity"), ("soil", None), ("a < b", None), ("2020", None), ("007", "number 7"),
    ("0x1A", "number 26"), ("1.50", "number 1.5"), ("+5", "number 5"), ("Infinity", None), ("true", None),
    ("none", None), ("-0.0", "missing"), ("1e21", "number 1e+21"),
])
def test_misread_reason(label, reason):
    found = misread_reason(label)
    assert (found is None) if reason is None else (reason in found)


def test_validator_warns_on_misread_labels_with_the_line(tmp_path):
    import networkx as nx

    g = nx.Graph()
    for n, label in enumerate(["soil", "null", "1e3", "<i>x</i>"], start=1):
        g.add_node(n, label=label, x=float(n), y=0.0)
    path = write_map(g, tmp_path / "map.txt")
    assert validate_files(path) == []  # the writer strips markup and protects "null" and "1e3" (WORD JOINER)
    # write the raw labels back to see the validator catch them
    text = path.read_text(encoding="utf-8-sig").replace("\tx\t", "\t<i>x</i>\t").replace("\u2060", "")
    path.write_text(text, encoding="utf-8-sig")
    found = {(v.line, v.rule, v.severity) for v in validate_files(path)}
    assert {(3, "label", "warning"), (4, "label", "warning"), (5, "label", "warning")} <= found
    assert not any(v.line == 2 and v.rule == "label" for v in validate_files(path))


def test_terminology_plurals():
    assert KINDS["countries"].terminology()["items"] == "Countries"
    assert KINDS["cocitation"].terminology()["items"] == "Cited references"
    assert KINDS["keywords"].terminology()["items"] == "Keywords"


def _lonely_docs() -> list[Record]:
    """INVENTED: three single-author papers - items without links."""
    return [Record(kind=Kind.ARTICLE, titles=[Text(f"Lonely paper {n}", "en")], year=2020,
                   authors=[Author(name)], ids=Identifiers(doi=f"10.5555/lonely.{n}"), source="invented")
            for n, name in enumerate(["Alpha, A.", "Beta, B.", "Gamma, G."], start=1)]


def test_map_without_links_omits_the_network_file_and_says_so(tmp_path):
    from bibmine.maps.build import analyze

    g = analyze(build_network(_lonely_docs(), "authors"))
    (tmp_path / "network.txt").write_text("stale\n")
    paths, violations = write_all(g, tmp_path)
    assert "network" not in paths and not (tmp_path / "network.txt").exists()
    assert [v for v in violations if v.severity == "error"] == []
    doc = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert "network.txt is not written" in doc["info"]["notes"][0]
    assert doc["network"]["links"] == []


def test_cli_map_without_links_exits_0_with_a_note(tmp_path):
    from bibmine.maps.cli import app
    from tests.maps.conftest import make_corpus

    path = make_corpus(tmp_path / "lonely.sqlite", _lonely_docs())
    result = runner.invoke(app, ["authors", "--corpus", str(path), "--out", str(tmp_path / "out")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "note: no links between the items: network.txt is not written" in " ".join(result.output.split())
    assert not (tmp_path / "out" / "network.txt").exists()
    # two items and --min-occurrences already 1: no advice to lower it
    result = runner.invoke(app, ["authors", "--corpus", str(path), "--out", str(tmp_path / "o2"),
                                 "--year-from", "2021"], catch_exceptions=False)
    assert result.exit_code == 2 and "--min-occurrences" not in result.output


def _level1_docs() -> list[Record]:
    """INVENTED: level-1 GRNTI codes, as ``rubrics classify`` stores them."""
    return [Record(kind=Kind.ARTICLE, titles=[Text(f"Рубрика {n}", "ru")], year=2020,
                   rubrics=[RubricAssignment("grnti", c, source="automatic") for c in codes],
                   ids=Identifiers(doi=f"10.5555/level1.{n}"), source="invented")
            for n, codes in enumerate([["06", "68"], ["06", "87"], ["68", "87", "06"]])]


def test_cli_rubric_map_follows_rubrics_classify(tmp_path):
    from bibmine.maps.cli import app
    from tests.maps.conftest import make_corpus

    path = make_corpus(tmp_path / "rub.sqlite", _level1_docs())
    result = runner.invoke(app, ["rubrics", "--corpus", str(path), "--out", str(tmp_path / "o")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "GRNTI level 1" in result.output and "3 items" in result.output


def test_rubric_maps_default_to_the_level_the_corpus_holds():
    docs = _level1_docs()
    assert held_rubric_level(docs) == 1
    g = build_network(docs, "rubrics", MapOptions())
    assert sorted(g.nodes) == ["06", "68", "87"] and g.graph["stats"]["rubric_level"] == 1
    assert held_rubric_level([Record(rubrics=[RubricAssignment("grnti", "06.71.57")])]) == 3
    assert held_rubric_level([]) == 1


def _cliques(sizes: list[int], bridge: float = 0.0) -> sp.csr_matrix:
    """Block-diagonal cliques of unit links; ``bridge`` links the first item of each block to the next."""
    n = sum(sizes)
    A = np.zeros((n, n))
    start = 0
    for k, m in enumerate(sizes):
        A[start:start + m, start:start + m] = 1.0
        if bridge and k + 1 < len(sizes):
            A[start, start + m] = A[start + m, start] = bridge
        start += m
    np.fill_diagonal(A, 0.0)
    return sp.csr_matrix(A)


def _min_linked_distance(X: np.ndarray, C: sp.csr_matrix) -> float:
    coo = sp.triu(C, k=1).tocoo()
    return float(np.sqrt(((X[coo.row] - X[coo.col]) ** 2).sum(axis=1)).min())


@pytest.mark.parametrize("repulsion", [-1, 0, 1])
def test_no_two_linked_items_coincide(repulsion):
    from bibmine.maps.normalize import normalize

    # a big clique weakly tied to small ones: association strength pulls the small ones to a point
    C = _cliques([30, 2, 3, 2, 4], bridge=0.01) + _cliques([1] * 41)[:41, :41] * 0
    N, w = normalize(C, "association")
    X = vos_layout(N, w, LayoutParams(attraction=2, repulsion=repulsion, seed=1))
    assert _min_linked_distance(X, C) > 0.01
    diff = X[:, None, :] - X[None, :, :]
    d = np.sqrt((diff ** 2).sum(axis=2)) + np.eye(len(X)) * 9
    assert d.min() > 0.01


def test_components_are_laid_out_apart_and_not_squeezed():
    from bibmine.maps.normalize import normalize

    C = _cliques([10, 2, 2, 3] + [1] * 5)  # four components with links, five isolated items
    N, w = normalize(C, "association")
    X = vos_layout(N, w, LayoutParams(seed=0))
    assert np.isfinite(X).all() and len(np.unique(X.round(6), axis=0)) == len(X)
    pair = X[10] - X[11]
    assert np.hypot(*pair) > 0.05  # the two items of a pair component stay visibly apart


def test_separate_pushes_apart_items_on_one_spot():
    X = separate(np.zeros((5, 2)), 0.1, seed=0)
    d = np.sqrt(((X[:, None] - X[None]) ** 2).sum(axis=2)) + np.eye(5)
    assert d.min() >= 0.099


def test_coauthorship_leaves_out_documents_with_more_than_25_authors():
    """INVENTED: a consortium paper of 30 authors and a paper of two; VOSviewer's default limit is 25."""
    big = Record(kind=Kind.ARTICLE, titles=[Text("Consortium", "en")], year=2020,
                 authors=[Author(f"Member{k}, M.") for k in range(30)])
    small = Record(kind=Kind.ARTICLE, titles=[Text("Pair", "en")], year=2020,
                   authors=[Author("Alpha, A."), Author("Beta, B.")])
    g = build_network([big, small], "authors")
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == ["Alpha, A.", "Beta, B."]
    assert g.graph["stats"]["skipped: more than 25 authors in the document"] == 1
    assert build_network([big, small], "authors", MapOptions(max_per_document=None)).number_of_nodes() == 32
    assert build_network([big, small], "keywords").graph["stats"]["used"] == 0  # the limit is for co-authorship


@pytest.mark.skipif(not (SAMPLES / "wos_plaintext").is_dir(),
                    reason="needs ../shared/data/samples/wos_plaintext (real WoS exports)")
def test_no_two_items_coincide_in_the_authors_map_of_the_samples(tmp_path):
    """Hundreds of small teams, laid out together (layout._layout_small): every item at least 0.015 of the
    mean distance from every other, linked or not."""
    from itertools import islice

    from scipy.spatial import cKDTree

    from bibmine.corpus.importer import import_files
    from bibmine.corpus.store import Corpus
    from bibmine.maps.build import build_map

    files = sorted(p for d in ("wos_plaintext", "scopus_csv") for p in (SAMPLES / d).iterdir() if p.is_file())
    with Corpus(tmp_path / "s.sqlite") as corpus:
        import_files(corpus, files, processes=1)
        g = build_map(list(islice(corpus.iter_works(), 500)), "authors")
    X = np.array([(d["x"], d["y"]) for _, d in g.nodes(data=True)])
    assert len(X) > 300
    d, _ = cKDTree(X).query(X, k=2)
    assert d[:, 1].min() > 0.015
