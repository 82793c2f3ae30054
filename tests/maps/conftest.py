"""Hand-made records for the maps tests (INVENTED data, counted by hand in the tests)."""

from __future__ import annotations

import pytest

from bibmine.corpus.model import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reference,
    RubricAssignment,
    Text,
)

VOR = Affiliation("Voronezh State University, Voronezh, Russia", organization="Voronezh State University",
                  region="RU-VOR", country="RU")
BEL = Affiliation("Belgorod State University, Belgorod, Russia", organization="Belgorod State University",
                  region="RU-BEL", country="RU")
MOW = Affiliation("Moscow State University, Moscow, Russia", organization="Lomonosov Moscow State University",
                  region="RU-MOW", country="RU")


def keyword_docs() -> list[Record]:
    """D1..D4 of the keyword hand count (see test_counting.py)."""
    spec = [
        (["soil", "carbon", "climate"], 2019, 4, [VOR]),
        (["Soil", "climate"], 2020, 2, [VOR, BEL]),
        (["carbon", "forest"], 2021, None, [BEL]),
        (["soil", "carbon", "forest", "climate"], 2021, 0, []),
    ]
    out = []
    for n, (kws, year, cites, affs) in enumerate(spec, start=1):
        out.append(Record(
            kind=Kind.ARTICLE, titles=[Text(f"Invented keyword paper number {n} on soils", "en")],
            author_keywords=kws, year=year, affiliations=affs,
            authors=[Author(f"Author{n}, A.", affiliations=list(range(len(affs))))],
            citations=[CitationCount(cites, "scopus")] if cites is not None else [],
            ids=Identifiers(doi=f"10.5555/bibmine.maps.kw{n}"), source="invented",
        ))
    return out


def coauthor_docs() -> list[Record]:
    """The VOSviewer manual's example: D1 by A1, A2, A3; D2 by A1, A3; D3 by A2, A4."""
    people = {"A1": ("Ivanov, Ivan", VOR), "A2": ("Petrova, Anna", BEL), "A3": ("Сидоров, Пётр", VOR),
              "A4": ("Smith, John", MOW)}
    out = []
    for n, names in enumerate([["A1", "A2", "A3"], ["A1", "A3"], ["A2", "A4"]], start=1):
        affs = []
        authors = []
        for name in names:
            full, aff = people[name]
            if aff not in affs:
                affs.append(aff)
            authors.append(Author(full, affiliations=[affs.index(aff)]))
        out.append(Record(kind=Kind.ARTICLE, titles=[Text(f"Invented co-authored paper {n}", "en")],
                          authors=authors, affiliations=affs, year=2018 + n,
                          ids=Identifiers(doi=f"10.5555/bibmine.maps.ca{n}"), source="invented"))
    return out


def citing_docs() -> list[Record]:
    """P1 cites R1 R2 R3; P2 cites R1 R2; P3 cites R2 R4 (references by DOI)."""
    refs = {"R1": "10.5555/ref.1", "R2": "10.5555/ref.2", "R3": "10.5555/ref.3", "R4": "10.5555/ref.4"}
    out = []
    for n, cited in enumerate([["R1", "R2", "R3"], ["R1", "R2"], ["R2", "R4"]], start=1):
        out.append(Record(
            kind=Kind.ARTICLE, titles=[Text(f"Invented citing paper {n}", "en")], year=2020 + n,
            authors=[Author(f"Citer{n}, C.")],
            references=[Reference(raw=f"Ref {c}, 2010, J INVENTED", doi=refs[c]) for c in cited],
            ids=Identifiers(doi=f"10.5555/bibmine.maps.cite{n}"), source="invented",
        ))
    return out


def rubric_docs() -> list[Record]:
    spec = [["68.05.01", "87.21.00"], ["68.05.33", "87.21.09", "06.71.00"], ["06.71.02"]]
    return [Record(kind=Kind.ARTICLE, titles=[Text(f"Invented rubric paper {n}", "ru")], year=2020,
                   rubrics=[RubricAssignment("grnti", c) for c in codes],
                   ids=Identifiers(doi=f"10.5555/bibmine.maps.rub{n}"), source="invented")
            for n, codes in enumerate(spec, start=1)]


def all_docs() -> list[Record]:
    return keyword_docs() + coauthor_docs() + citing_docs() + rubric_docs()


def make_corpus(path, records: list[Record]):
    """A corpus file at ``path`` holding ``records``; returns the path."""
    from bibmine.corpus.ingest import Ingestor
    from bibmine.corpus.store import Corpus

    with Corpus(path) as corpus:
        ingestor = Ingestor(corpus)
        with corpus.transaction():
            batch = corpus.start_batch("file", "invented")
            for record in records:
                ingestor.add(record, batch)
            corpus.finish_batch(batch)
    return path


@pytest.fixture
def corpus_path(tmp_path):
    """A corpus file holding all the records above (13 works)."""
    from bibmine.corpus.store import Corpus

    path = make_corpus(tmp_path / "maps.sqlite", all_docs())
    with Corpus(path) as corpus:
        assert corpus.count() == 13
    return path
