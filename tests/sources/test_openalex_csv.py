"""OpenAlex web-UI CSV reader: the real bibliometrix sample and an invented Cyrillic file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/openalex_csv"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"vendor samples not found at {SAMPLES}")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


@needs_samples
def test_sample_is_detected_as_openalex_csv():
    assert open_export(SAMPLES / "openalex_csv/bibliometrix_openalex_sample.csv").reader.name == "openalex_csv"
    assert open_export(FIXTURES / "cyrillic.csv").reader.name == "openalex_csv"


@needs_samples
def test_openalex_csv_sample():
    items = read(SAMPLES / "openalex_csv/bibliometrix_openalex_sample.csv")
    assert len(items) == 8 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.ids.openalex == "W2755950973"
    assert rec.title == "bibliometrix : An R-tool for comprehensive science mapping analysis"
    assert rec.kind is Kind.ARTICLE and rec.language == "en"
    assert [a.name for a in rec.authors] == ["Massimo Aria", "Corrado Cuccurullo"]
    assert [a.orcid for a in rec.authors] == ["0000-0002-8517-9411", "0000-0002-7401-8575"]
    assert rec.authors[0].ids == {"openalex": "A5069892096"}
    assert [(a.raw, a.country) for a in rec.affiliations] == [
        ("University of Naples Federico II", "IT"),
        ('University of Campania "Luigi Vanvitelli"', "IT"),
    ]
    assert [a.affiliations for a in rec.authors] == [[0], [1]]
    assert (rec.ids.doi, rec.year, rec.date) == ("10.1016/j.joi.2017.08.007", 2017, "2017-09-12")
    assert (rec.venue.name, rec.venue.issn) == ("Journal of Informetrics", ["1751-1577"])
    assert [(c.count, c.source) for c in rec.citations] == [(13235, "openalex")]
    assert [(r.scheme, r.code) for r in rec.rubrics] == [("openalex_topic", "Data Analysis with R")]
    # two authors with two institutions each: four values, not linkable to authors
    eco = items[2]
    assert [a.raw for a in eco.affiliations] == [
        "Government Medical College",
        "Thapar Institute of Engineering & Technology",
    ]
    assert [a.affiliations for a in eco.authors] == [[], []]
    # an author without institution ("IT|IT||IT") keeps the others aligned
    tourism = items[6]
    assert [a.affiliations for a in tourism.authors] == [[0], [0], [], [1]]
    assert tourism.ids.pmid == "33957813"
    assert items[7].authors[0].name == "Serap BÜYÜKKIDIK"


def test_invented_cyrillic_row_and_unclosed_quote():
    items = read(FIXTURES / "cyrillic.csv")
    rec, bad = items
    assert rec.title == "Почвенный покров Воронежской области"
    assert (rec.titles[0].lang, rec.language) == ("ru", "ru")
    assert [a.name for a in rec.authors] == ["Иван Иванович Иванов", "Анна Сергеевна Петрова"]
    assert [a.normalized for a in rec.authors] == ["иванов и.и.", "петрова а.с."]
    assert [a.orcid for a in rec.authors] == [None, "0000-0002-1825-0097"]
    assert [a.raw for a in rec.affiliations] == ["Воронежский государственный университет", "Институт почвоведения"]
    assert [a.affiliations for a in rec.authors] == [[], []]  # three institutions for two authors
    assert (rec.ids.doi, rec.ids.pmid) == ("10.1234/vsu.2021.1.15", "99000001")
    assert isinstance(bad, Reject) and bad.location == "line 3"
    assert bad.reason == "OpenAlex CSV row skipped: unclosed quote: the file ends inside a quoted cell"
