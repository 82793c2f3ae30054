"""OpenAlex web-UI CSV reader: the real bibliometrix sample and an invented Cyrillic file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/openalex_csv"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/openalex_csv/ "
                                                                "(a real OpenAlex download)")


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


def test_invented_rows_institutions_aligned_with_authors(tmp_path):
    """INVENTED rows under the fixture's header: one institution per author is linked, with its country; an
    author without institution ("RU|RU||RU") keeps the others aligned."""
    header = next(csv.reader((FIXTURES / "cyrillic.csv").open(encoding="utf-8")))
    rows = [
        {"id": "https://openalex.org/W9000000011", "authorships.author.display_name": "Мария Козлова|Олег Фролов",
         "authorships.author.id": "https://openalex.org/A9000000011|https://openalex.org/A9000000012",
         "authorships.countries": "RU|DE",
         "authorships.institutions.display_name": "Тамбовский государственный университет|University of Bonn",
         "cited_by_count": "3", "display_name": "Sugar beet yields", "publication_year": "2022",
         "publication_date": "2022-05-01", "type": "article", "language": "en"},
        {"id": "https://openalex.org/W9000000012", "authorships.author.display_name": "A One|B Two|C Three|D Four",
         "authorships.countries": "RU|RU||RU",
         "authorships.institutions.display_name": "Липецкий государственный технический университет|"
                                                  "Липецкий государственный технический университет||ПАО НЛМК",
         "display_name": "Steel and regions", "publication_year": "2021", "type": "article"}]
    path = tmp_path / "works.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows([[row.get(h, "") for h in header] for row in rows])
    beet, steel = read(path)
    assert [(a.name, a.ids, a.affiliations) for a in beet.authors] == [
        ("Мария Козлова", {"openalex": "A9000000011"}, [0]), ("Олег Фролов", {"openalex": "A9000000012"}, [1])]
    assert [(a.raw, a.country) for a in beet.affiliations] == [("Тамбовский государственный университет", "RU"),
                                                               ("University of Bonn", "DE")]
    assert [(c.count, c.source) for c in beet.citations] == [(3, "openalex")]
    assert (beet.year, beet.date, beet.language) == (2022, "2022-05-01", "en")
    assert [a.affiliations for a in steel.authors] == [[0], [0], [], [1]]  # one institution named twice: one
    assert [a.raw for a in steel.affiliations] == ["Липецкий государственный технический университет", "ПАО НЛМК"]


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
