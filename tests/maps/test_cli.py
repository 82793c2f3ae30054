"""``bibmine map ...`` on a small corpus built here with Corpus + Ingestor (INVENTED records)."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from bibmine.maps import read_vosviewer
from bibmine.maps.cli import app
from bibmine.maps.validate import validate_files
from bibmine.maps.validate_json import validate_json

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def test_keywords_map_writes_four_valid_files(corpus_path, tmp_path):
    out = tmp_path / "kw"
    result = invoke("keywords", "--corpus", corpus_path, "--out", out, "--counting", "fractional")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["clusters.csv", "map.json", "map.txt", "network.txt",
                                                     "preview.png"]
    assert validate_files(out / "map.txt", out / "network.txt") == [] and validate_json(out / "map.json") == []
    assert (out / "preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    g = read_vosviewer(out / "map.txt")
    labels = {d["label"]: d for _, d in g.nodes(data=True)}
    assert set(labels) == {"soil", "carbon", "climate", "forest"}
    assert labels["soil"]["weights"]["Occurrences"] == 3
    # fractional strengths as counted in test_counting.py: soil-climate 11/6
    soil, climate = (next(n for n, d in g.nodes(data=True) if d["label"] == x) for x in ("soil", "climate"))
    assert g[soil][climate]["strength"] == pytest.approx(11 / 6)
    assert "4 of 13 records used" in result.output
    with open(out / "clusters.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["leading_region"] for r in rows} <= {"RU-VOR", "RU-BEL"}


def test_every_kind_of_map(corpus_path, tmp_path):
    expected = {"authors": {"Ivanov, I.", "Petrova, A.", "Сидоров, П.", "Smith, J."},
                "orgs": {"Voronezh State University", "Belgorod State University", "Lomonosov Moscow State University"},
                "regions": {"Воронежская область", "Белгородская область", "Москва"},
                "coupling": {"citer1 (2021)", "citer2 (2022)", "citer3 (2023)"},
                "cocitation": {f"Ref R{k}, 2010, J INVENTED" for k in range(1, 5)},
                "rubrics": {"68.05 ", "87.21 ", "06.71 "}}
    for kind, labels in expected.items():
        out = tmp_path / kind
        level = ["--level", "2"] if kind == "rubrics" else []  # the corpus holds level 3
        result = invoke(kind, "--corpus", corpus_path, "--out", out, *level)
        assert result.exit_code == 0, (kind, result.output)
        got = {d["label"] for _, d in read_vosviewer(out / "map.json").nodes(data=True)}
        if kind == "rubrics":
            got = {label[:6] for label in got}
        # single-author documents add unlinked authors (and their organizations): still items of the map
        assert got == labels if kind in ("coupling", "cocitation", "rubrics", "regions") else got >= labels, kind
        assert validate_files(out / "map.txt", out / "network.txt") == []


def test_regions_at_country_level_and_filters(corpus_path, tmp_path):
    result = invoke("regions", "--corpus", corpus_path, "--out", tmp_path / "c", "--level", "country")
    assert result.exit_code == 2 and "only 1 item" in result.output  # one country: VOSviewer needs 3 items
    # D2 (2020, Voronezh + Belgorod) and D3 (2021, Belgorod) pass; D1 is 2019, D4 has no region
    result = invoke("keywords", "--corpus", corpus_path, "--out", tmp_path / "y", "--year-from", "2020",
                    "--region", "RU-BEL", "--source", "invented")
    assert result.exit_code == 0, result.output
    assert "2 of 13 records used; 4 items, 2 links" in result.output
    result = invoke("keywords", "--corpus", corpus_path, "--out", tmp_path / "z", "--source", "wos_plaintext")
    assert result.exit_code == 2 and "skipped: not from the selected sources: 13" in result.output


def test_terms_map_from_titles(corpus_path, tmp_path):
    result = invoke("terms", "--corpus", corpus_path, "--out", tmp_path / "t", "--min-occurrences", "3",
                    "--relevance", "1")  # "citing paper" links to no term: least relevant
    assert result.exit_code == 0, result.output
    labels = {d["label"] for _, d in read_vosviewer(tmp_path / "t" / "map.txt").nodes(data=True)}
    # "Invented keyword paper number 1 on soils": "invented" (-ed) ends a phrase, "1" and "on" too
    assert {"keyword paper number", "citing paper", "soil"} <= labels


def test_usage_errors_exit_2(tmp_path, corpus_path):
    assert invoke("keywords", "--corpus", tmp_path / "none.sqlite", "--out", tmp_path / "o").exit_code == 2
    r = runner.invoke(app, ["keywords", "--corpus", str(corpus_path), "--out", str(tmp_path), "--counting", "x"])
    assert r.exit_code == 2
    r = invoke("keywords", "--corpus", corpus_path, "--out", tmp_path / "o", "--min-occurrences", "99")
    assert r.exit_code == 2 and "nothing to map" in r.output


def test_corpus_from_environment(corpus_path, tmp_path):
    result = invoke("authors", "--out", tmp_path / "a", env={"BIBMINE_CORPUS": str(corpus_path)})
    assert result.exit_code == 0, result.output


def test_validate_command_lists_violations(tmp_path):
    (tmp_path / "map.txt").write_text("id\tlabel\tx\ty\tcluster\n1\ta\t0\t0\t0\n1\tb\t1\t1\t1\n", encoding="utf-8")
    result = invoke("validate", tmp_path / "map.txt")
    assert result.exit_code == 1
    assert "[cluster]" in result.output and "[id]" in result.output and "[items]" in result.output


def test_thesaurus_candidates_review_and_export(corpus_path, tmp_path):
    cand = tmp_path / "candidates.csv"
    result = invoke("thesaurus-candidates", "--corpus", corpus_path, "--out", cand)
    assert result.exit_code == 0, result.output
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text("label,replace_by,reason,score,support,label_occurrences,replace_by_occurrences,accept\n"
                        "forest,woodland,manual,100,0,2,0,yes\nsoil,ground,manual,100,0,3,0,\n", encoding="utf-8")
    result = invoke("thesaurus-export", reviewed, "--out", tmp_path / "thesaurus.txt")
    assert result.exit_code == 0 and "1 entries" in result.output
    assert (tmp_path / "thesaurus.txt").read_text(encoding="utf-8-sig").splitlines() == ["label\treplace by",
                                                                                         "forest\twoodland"]
    result = invoke("keywords", "--corpus", corpus_path, "--out", tmp_path / "k", "--thesaurus", reviewed)
    labels = {d["label"] for _, d in read_vosviewer(tmp_path / "k" / "map.txt").nodes(data=True)}
    assert labels == {"soil", "carbon", "climate", "woodland"}
