"""PubMed MEDLINE reader: real PubMed exports, invented Cyrillic fixture with a truncated record."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/medline"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/pubmed_medline/ "
                                                                "(real PubMed exports)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


@needs_samples
@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "pubmed_medline").glob("*")) or ["none"])
def test_samples_are_detected_as_medline(name):
    assert open_export(SAMPLES / "pubmed_medline" / name).reader.name == "medline"


@needs_samples
def test_pubmed_crlf_sample():
    items = read(SAMPLES / "pubmed_medline/pybibx_mcda_pubmed.txt")
    assert len(items) == 10 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.ids.pmid == "36206242"
    assert rec.title == "On the Monte Carlo weights in multiple criteria decision analysis."
    assert rec.abstract.startswith(
        "In multiple-criteria decision making/aiding/analysis (MCDM/MCDA) weights of criteria"
    )
    assert "\r" not in rec.abstract  # CRLF file, 6-space continuation lines joined with one space
    assert [a.name for a in rec.authors] == ["Mazurek, Jiří", "Strzałka, Dominik"]
    assert [a.orcid for a in rec.authors] == [None, "0000-0002-8887-4321"]
    assert [a.raw for a in rec.affiliations] == [
        "Department of Informatics and Mathematics, School of Business Administration in Karvina, "
        "Silesian University in Opava, Opava, Czech Republic.",
        "Department of Complex Systems, Faculty of Electrical and Computer Engineering, "
        "Rzesźow University of Technology, Rzesźow, Poland.",
    ]
    assert [a.affiliations for a in rec.authors] == [[0], [0, 1]]  # AD lines belong to the author above
    assert rec.ids.doi == "10.1371/journal.pone.0268950"  # from "LID - ... [doi]"
    assert (rec.year, rec.date, rec.language) == (2022, "2022", "en")
    assert (rec.venue.name, rec.venue.abbreviation, rec.venue.issn) == ("PloS one", "PLoS One", ["1932-6203"])
    assert (rec.venue.volume, rec.venue.issue, rec.venue.pages) == ("17", "10", "e0268950")
    assert rec.indexed_keywords == ["Decision Making", "Decision Support Techniques", "Entropy", "Monte Carlo Method"]
    assert rec.extra["pmcid"] == "PMC9543698"
    assert [r.kind for r in items].count(Kind.REVIEW) == 1  # PMID 27021745 has PT Review


@needs_samples
def test_truncated_last_record_is_rejected():
    items = read(SAMPLES / "pubmed_medline/metaknowledge_medline_test.medline")
    assert len(items) == 175
    assert sum(isinstance(r, Record) for r in items) == 174
    last = items[-1]
    assert isinstance(last, Reject)
    assert last.location == "line 14925"
    assert last.reason.startswith("MEDLINE record truncated")
    assert last.raw.startswith("PMID- 26153366\n")
    first = items[0]
    assert (first.ids.pmid, first.title) == ("26524502", "Bioinformatic survey of ABC transporters in dermatophytes.")
    assert (first.date, first.venue.issue, first.venue.pages) == ("2016-01-15", "1 Pt 3", "466-475")
    assert first.author_keywords == ["ABC transporters", "Dermatophytes", "Drug resistance", "Phylogenetics"]
    assert first.venue.issn == ["1879-0038", "0378-1119"]


@needs_samples
def test_last_record_without_trailing_newline_is_complete():
    items = read(SAMPLES / "pubmed_medline/synthesisr_PubMed_example.txt")
    assert len(items) == 3 and all(isinstance(r, Record) for r in items)
    assert items[0].date == "2017-11-15"  # DP - 2017 Nov 15
    last = items[-1]
    assert (last.ids.pmid, last.ids.doi) == ("29967742", "10.7717/peerj.5082")
    assert [a.name for a in last.authors] == ["Bavougian, Christina M", "Read, Paul E"]
    assert last.raw.endswith("eCollection 2018.")


def test_invented_cyrillic_records_and_truncation():
    items = read(FIXTURES / "cyrillic.nbib")
    art, review, cut = items
    # NLM brackets the English translation of a non-English title; TT is the original
    assert [(t.text, t.lang) for t in art.titles] == [
        ("Soil cover of the Voronezh region and public health", "en"),
        ("Почвенный покров Воронежской области и здоровье населения.", "ru"),
    ]
    assert art.language == "ru"
    assert [a.name for a in art.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна"]
    assert art.authors[1].orcid == "0000-0002-1825-0097"
    assert [a.raw for a in art.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия.",
        "Воронежский государственный медицинский университет им. Н.Н. Бурденко, Воронеж, Россия.",
    ]
    assert [a.affiliations for a in art.authors] == [[0], [0, 1]]
    assert art.author_keywords == ["почвы", "Воронежская область"]
    assert art.indexed_keywords == ["Humans", "Soil/chemistry"]  # "*" (major topic) dropped
    assert (art.date, art.ids.doi) == ("2021-03", "10.1234/vsu.2021.1.15")
    assert review.kind is Kind.REVIEW and review.date == "2020-11"  # DP - 2020 Nov-Dec
    assert isinstance(cut, Reject) and cut.location == "line 47"
    assert "last field read: TI" in cut.reason


def test_invented_last_record_without_trailing_newline_is_complete(tmp_path):
    text = (FIXTURES / "cyrillic.nbib").read_text(encoding="utf-8")
    # the first two records only, the file ending right after the last field (no newline); a day in DP
    two = text[:text.index("PMID- 99000003")].rstrip("\n").replace("DP  - 2020 Nov-Dec", "DP  - 2020 Nov 15")
    path = tmp_path / "two.nbib"
    path.write_text(two, encoding="utf-8")
    art, review = read(path)
    assert isinstance(review, Record) and review.ids.pmid == "99000002"
    assert review.date == "2020-11-15"  # DP - 2020 Nov 15
    assert review.raw.endswith("SO  - Reg Stud Rev. 2020 Nov-Dec;4(6):1-10.")
    assert [a.name for a in review.authors] == ["Sidorov, Petr N"]
    v = art.venue  # JT, TA, IS, VI, IP, PG
    assert (v.name, v.abbreviation, v.issn, v.volume, v.issue, v.pages) == (
        "Vestnik Voronezhskogo gosudarstvennogo universiteta", "Vestn Voronezh Gos Univ", ["1609-0683"], "12", "1",
        "15-27")


def test_crlf_copy_reads_the_same(tmp_path):
    path = tmp_path / "crlf.nbib"
    path.write_bytes((FIXTURES / "cyrillic.nbib").read_bytes().replace(b"\n", b"\r\n"))
    items = read(path)
    assert [type(r).__name__ for r in items] == ["Record", "Record", "Reject"]
    assert items[0].affiliations[1].raw.endswith("Бурденко, Воронеж, Россия.")
