"""Lens.org scholarly CSV reader: the real bibliometrix sample and an invented Cyrillic/broken file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/lens_csv"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/lens_csv/ "
                                                                "(a real Lens export)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


@needs_samples
def test_sample_is_detected_as_lens():
    assert open_export(SAMPLES / "lens_csv/bibliometrix_lens_sample.csv").reader.name == "lens_csv"
    assert open_export(FIXTURES / "cyrillic.csv").reader.name == "lens_csv"


@needs_samples
def test_lens_sample():
    items = read(SAMPLES / "lens_csv/bibliometrix_lens_sample.csv")
    assert len(items) == 8 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.ids.lens == "000-360-106-493-122"
    assert rec.title == (
        "Dynamic real-time risk analytics of uncontrollable states in complex internet of things systems: "
        "cyber risk at the edge"
    )
    assert rec.kind is Kind.ARTICLE  # "journal article"
    assert [a.name for a in rec.authors][:3] == ["Petar Radanliev", "David De Roure", "Max Van Kleek"]
    assert rec.authors[-1].name == "La’Treall Maddox"
    assert len(rec.authors) == 10
    # Lens writes "Given Surname": the last word is the surname, even when it is short
    assert rec.authors[3].normalized == "ani u."
    assert (rec.ids.doi, rec.ids.pmid) == ("10.1007/s10669-020-09792-x", "33251087")
    assert (rec.year, rec.date) == (2020, "2020-11-22")
    assert rec.venue.name == "Environment systems & decisions"
    assert rec.venue.issn == ["2194-5411", "2194-5403"]
    assert (rec.venue.volume, rec.venue.issue, rec.venue.pages) == ("41", "2", "1-12")
    assert rec.author_keywords[:2] == ["Cyber risk regulations", "Cyber risk self-assessment"]
    assert len(rec.author_keywords) == 10
    assert rec.funding == [
        "Engineering and Physical Sciences Research Council",
        "Cisco Systems",
        "University of Oxford",
    ]
    assert len(rec.references) == 46
    assert rec.references[0].resolved == "lens:000-928-794-577-264"
    assert [(c.count, c.source) for c in rec.citations] == [(10, "lens")]
    assert rec.rubrics[0].scheme == "lens_field_of_study" and rec.rubrics[0].code == "Risk assessment"
    assert rec.url == "http://dx.doi.org/10.1007/s10669-020-09792-x"
    assert rec.extra["pmcid"] == "PMC7680653"
    assert items[6].citations[0].count == 182 and len(items[6].references) == 157
    assert items[7].title.startswith("Un análisis bibliométrico del brand equity")


def test_invented_row_names_ids_funding_and_counts(tmp_path):
    """An INVENTED row written under the fixture's header: names as "Given Surname", identifiers, funding."""
    header = next(csv.reader((FIXTURES / "cyrillic.csv").open(encoding="utf-8")))
    cells = {"Lens ID": "000-111-222-333-901", "Title": "Yields of winter wheat", "Date Published": "2020-11-22",
             "Publication Year": "2020", "Publication Type": "journal article", "Source Title": "Agronomy",
             "ISSNs": "21945411; 21945403", "Author/s": "Elena Orlova; Olga Li",
             "Funding": "Russian Science Foundation; Voronezh State University",
             "External URL": "http://dx.doi.org/10.1234/agr.2020.1", "PMID": "99000011", "PMCID": "PMC9000011",
             "DOI": "10.1234/agr.2020.1", "Citing Works Count": "10", "References": "000-928-794-577-264"}
    path = tmp_path / "lens.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerow([cells.get(h, "") for h in header])
    [rec] = read(path)
    # Lens writes "Given Surname": the last word is the surname, even when it is short
    assert [(a.name, a.normalized) for a in rec.authors] == [("Elena Orlova", "orlova e."), ("Olga Li", "li o.")]
    assert (rec.ids.lens, rec.ids.doi, rec.ids.pmid, rec.extra["pmcid"]) == (
        "000-111-222-333-901", "10.1234/agr.2020.1", "99000011", "PMC9000011")
    assert (rec.year, rec.date, rec.venue.issn) == (2020, "2020-11-22", ["2194-5411", "2194-5403"])
    assert rec.funding == ["Russian Science Foundation", "Voronezh State University"]
    assert rec.url == "http://dx.doi.org/10.1234/agr.2020.1"
    assert [(c.count, c.source) for c in rec.citations] == [(10, "lens")]
    assert [r.resolved for r in rec.references] == ["lens:000-928-794-577-264"]


def test_invented_cyrillic_and_broken_rows():
    items = read(FIXTURES / "cyrillic.csv")
    good = [r for r in items if isinstance(r, Record)]
    assert [r.title for r in good] == [
        "Почвенный покров Воронежской области",
        "Regional specialisation of Belgorod oblast",
    ]
    ru = good[0]
    assert [a.name for a in ru.authors] == ["Иван Иванович Иванов", "Анна Сергеевна Петрова"]
    assert [a.normalized for a in ru.authors] == ["иванов и.и.", "петрова а.с."]
    assert ru.titles[0].lang == "ru"
    assert ru.author_keywords == ["почвы", "Воронежская область"]
    assert ru.venue.name == "Вестник Воронежского государственного университета"
    assert ru.venue.issn == ["1609-0683"]
    assert [r.resolved for r in ru.references] == ["lens:000-999-888-777-666", "lens:000-555-444-333-222"]
    assert good[1].kind is Kind.CONFERENCE_PAPER
    rejects = [(r.location, r.reason) for r in items if isinstance(r, Reject)]
    assert rejects == [
        ("line 4", "Lens CSV row skipped: bad quoting: ',' expected after '\"'"),
        ("line 5", "Lens CSV row skipped: row has 34 cells, the header has 32"),
        ("line 6", "Lens row 000-111-222-333-888 has neither a title nor a DOI"),
    ]
