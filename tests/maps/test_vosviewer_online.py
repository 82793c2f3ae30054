"""Every kind of map bibmine writes, read with VOSviewer Online's parsing rules; hostile labels come out plain.

The records are INVENTED: the maps test corpus (conftest.py) plus records whose keywords,
organizations, titles and references carry what vendors send (Scopus ``<inf>``, ``<i>``,
``&amp;``, a bare ``<``, unbalanced brackets, placeholders) - the cases of issue 21.

VOSviewer Online 1.2.2 (the ``vosviewer-online`` npm package) reads a map file with a header
row of known columns and the same number of fields on every row; types every field of a map
(text or JSON) as its worker's ``qt()`` does (trimmed; ``""``, ``null``, ``nan`` missing; what
JavaScript's ``Number()`` reads a number: ``1e3``, ``0x1A``, ``007``) and shows
``(label || id).toString()``; draws labels as HTML (so a tag or entity is not shown as written);
and refuses a network file without a row of at least two columns.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from bibmine.corpus.model import Affiliation, Author, Identifiers, Kind, Record, Reference, Text
from bibmine.maps.cli import app
from tests.maps.conftest import all_docs, make_corpus

runner = CliRunner()
KNOWN = {"id", "label", "sublabel", "description", "url", "x", "y", "cluster", "weight", "normalized weight",
         "score", "red", "green", "blue"}
MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d+|#x[0-9A-Fa-f]+);")
JS_FLOAT = re.compile(r"^\s*-?(\d+\.?|\.\d+|\d+\.\d+)([eE][-+]?\d+)?\s*$")  # papaparse's dynamicTyping
JS_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|"
                       r"[+-]?Infinity")  # what Number() reads


def shown_label(raw: str, item_id: str) -> str:
    """The label VOSviewer Online 1.2.2 shows: its worker's qt(), then (label || id).toString()."""
    s = raw.strip()
    if not s or s.lower() in ("null", "nan"):
        return item_id
    if JS_NUMBER.fullmatch(s):
        value = float(int(s, 0)) if s[:2].lower() in ("0x", "0b", "0o") else float(s)
        if value == 0:
            return item_id
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    return raw
HOSTILE_AFF = Affiliation("Inst. of R&amp;D, Voronezh", organization="Institute of R&amp;D <i>Voronezh</i>",
                          region="RU-VOR", country="RU")
ABSTRACT = ("Superconducting yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf> thin films were grown on "
            "strontium titanate substrates. The critical current density of thin films depends on the oxygen "
            "content of the thin films. Strontium titanate substrates give the highest critical current density.")


def international_doc() -> Record:
    """INVENTED: a paper of three countries (the countries map needs three items to be written)."""
    affs = [Affiliation("Voronezh State University, Voronezh, Russia", organization="Voronezh State University",
                        region="RU-VOR", country="RU"),
            Affiliation("Al-Farabi Kazakh National University, Almaty", organization="Al-Farabi Kazakh National "
                        "University", country="KZ"),
            Affiliation("Belarusian State University, Minsk", organization="Belarusian State University", country="BY")]
    return Record(kind=Kind.ARTICLE, year=2022, titles=[Text("Invented international paper", "en")],
                  author_keywords=["soil", "R&amp;D"], affiliations=affs,
                  authors=[Author(f"Country{n}, C.", affiliations=[n]) for n in range(3)],
                  ids=Identifiers(doi="10.5555/bibmine.maps.international"), source="invented")


def hostile_docs() -> list[Record]:
    """INVENTED: three records with vendor markup in every field a map reads."""
    keywords = [["yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>", "<i>in vivo</i>", "R&amp;D; smart specialization",
                 "Bluetooth Low Energy (BLE)", "null"],
                ["a<b", "<i>in vivo</i>", "R&amp;D", '"smart specialization"', "nan"],
                ["yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>", "a<b", "Bluetooth Low Energy (BLE)", "0", "1e3",
                 "0x1A"]]
    out = []
    for n, kws in enumerate(keywords, start=1):
        out.append(Record(
            kind=Kind.ARTICLE, year=2020 + n, author_keywords=kws, affiliations=[HOSTILE_AFF],
            titles=[Text(f"Critical current density of <i>yba<inf>2</inf>cu<inf>3</inf>o<inf>7</inf></i> thin "
                         f"films {n}", "en")],
            abstracts=[Text(ABSTRACT, "en")],
            authors=[Author("[Anonymous]"), Author(f"Hostile{n}, H.", orcid="0000-0002-1825-0097", affiliations=[0]),
                     Author("Gupta, N.", affiliations=[0])],
            references=[Reference(raw="Smith J, 2001, J <i>SUPERCOND</i> &amp; NOVEL MAGN, V1, P1"),
                        Reference(raw=f"Jones K, 2005, R&amp;D MANAGE, V{n}, P2"),
                        Reference(raw="Doe A, 1999, <sup>13</sup>C NMR, V2, P3")],
            ids=Identifiers(doi=f"10.5555/bibmine.maps.hostile{n}"), source="invented"))
    return out


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("online") / "hostile.sqlite",
                       all_docs() + hostile_docs() + [international_doc()])


def online_read(folder) -> tuple[list[dict], list[list[str]] | None]:
    """Read map.txt (and network.txt when present) as VOSviewer Online does; assert its rules."""
    text = (folder / "map.txt").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header = [h.strip().lower() for h in rows[0]]
    for col in header:
        assert col in KNOWN or re.fullmatch(r"(weight|score)<[^<>]+>", col), col
    items = []
    for row in rows[1:]:
        assert len(row) == len(header), row
        item = dict(zip(header, row, strict=True))
        label = item["label"]
        assert not MARKUP.search(label), label
        assert shown_label(label, item["id"]) == label, label  # shown as written (a word joiner may end it)
        for col in header:  # coordinates, cluster, weights and scores: numbers (papaparse's typing) or empty
            if col in ("x", "y", "cluster", "weight", "normalized weight", "score") or col.startswith(("weight<",
                                                                                                       "score<")):
                assert item[col] == "" or JS_FLOAT.match(item[col]), (col, item[col])
        items.append(item)
    assert len(items) >= 3
    network = None
    if (folder / "network.txt").exists():
        network = [r for r in csv.reader(io.StringIO((folder / "network.txt").read_bytes().decode("utf-8-sig")),
                                         delimiter="\t") if r]
        assert network, "VOSviewer Online: there must be at least two columns"
        ids = {i["id"] for i in items}
        for r in network:
            assert len(r) >= 2 and r[0] in ids and r[1] in ids, r
            assert len(r) == 2 or (JS_FLOAT.match(r[2]) and float(r[2]) > 0), r  # a positive strength
    doc = json.loads((folder / "map.json").read_text(encoding="utf-8"))
    for obj in doc["network"]["items"]:
        assert isinstance(obj["label"], str) and not MARKUP.search(obj["label"]), obj["label"]
        assert shown_label(obj["label"], str(obj["id"])) == obj["label"], obj["label"]  # qt() types JSON too
    return items, network


# every kind of map the maps CLI writes (collect.KINDS), each command's variants
KINDS = [("keywords", "keywords", []), ("keywords-all-fields", "keywords", ["--field", "all"]),
         ("terms", "terms", ["--min-occurrences", "2"]), ("authors", "authors", []), ("orgs", "orgs", []),
         ("regions", "regions", []), ("countries", "regions", ["--level", "country"]), ("rubrics", "rubrics", []),
         ("coupling", "coupling", []), ("cocitation", "cocitation", [])]


def test_the_list_covers_every_kind():
    from bibmine.maps.collect import KINDS as ALL_KINDS

    assert {name for name, _, _ in KINDS} >= set(ALL_KINDS)


@pytest.mark.parametrize("counting", ["full", "fractional", "binary"])
@pytest.mark.parametrize(("name", "command", "extra"), KINDS, ids=[k for k, _, _ in KINDS])
def test_every_map_reads_in_vosviewer_online(hostile_corpus, tmp_path, name, command, extra, counting):
    out = tmp_path / counting
    result = runner.invoke(app, [command, "--corpus", str(hostile_corpus), "--out", str(out), "--counting", counting,
                                 *extra], catch_exceptions=False)
    assert result.exit_code == 0, (counting, result.output)
    items, network = online_read(out)
    doc = json.loads((out / "map.json").read_text(encoding="utf-8"))
    assert len(doc["network"]["items"]) == len(items)
    assert network is None or len(doc["network"]["links"]) == len(network)


def test_hostile_labels_come_out_as_plain_text(hostile_corpus, tmp_path):
    shown = {}
    for kind in ("keywords", "orgs", "cocitation", "authors"):
        result = runner.invoke(app, [kind, "--corpus", str(hostile_corpus), "--out", str(tmp_path / kind)],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        shown[kind] = {i["label"] for i in online_read(tmp_path / kind)[0]}
    assert {"YBa2Cu3O7−z", "in vivo", "a < b", "r&d", "smart specialization",
            "bluetooth low energy (BLE)"} <= shown["keywords"]
    assert not {"null", "nan", "0", "r&amp", "d"} & shown["keywords"]
    assert {"1e3\u2060", "0x1a\u2060"} <= shown["keywords"]  # shown as written, not as 1000 and 26
    assert "Institute of R&D Voronezh" in shown["orgs"]
    assert {"Smith J, 2001, J SUPERCOND & NOVEL MAGN, V1, P1", "Doe A, 1999, 13C NMR, V2, P3"} <= shown["cocitation"]
    assert "Gupta, N." in shown["authors"] and not any("Anonymous" in a for a in shown["authors"])
    # one ORCID, three name forms: one person (the first form seen names them)
    assert len({a for a in shown["authors"] if a.startswith("Hostile")}) == 1
