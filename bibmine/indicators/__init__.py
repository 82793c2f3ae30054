"""Descriptive bibliometric indicators over the corpus (bibliometrix's set), as plain functions of
:class:`~bibmine.indicators.docs.Doc` lists; :func:`compute_all` gathers them into one JSON-ready dict
(what ``bibmine indicators --json`` prints and the report's charts read from ``indicators/indicators.json``).
"""

from __future__ import annotations

from bibmine.indicators.docs import Doc, doc_from_record, docs_from_corpus
from bibmine.indicators.people import (
    affiliations,
    authors,
    countries,
    g_index,
    h_index,
    lotka,
    subject_collaboration,
    subjects,
)
from bibmine.indicators.production import annual_production, bradford, growth_rate, main_information, most_cited
from bibmine.indicators.topics import thematic_map, three_field, trend_topics

__all__ = ["Doc", "affiliations", "annual_production", "authors", "bradford", "compute_all", "countries",
           "doc_from_record", "docs_from_corpus", "g_index", "growth_rate", "h_index", "lotka", "main_information",
           "most_cited", "subject_collaboration", "subjects", "thematic_map", "three_field", "trend_topics"]


def compute_all(docs: list[Doc], year: int | None = None, *, top: int = 20, min_freq: int = 3) -> dict:
    """Every indicator of ``docs``; ``year`` is the year of reference (ages, citations per year, m-index)."""
    info = main_information(docs, year)
    year = info["year"]
    return {
        "main_information": info,
        "annual_production": annual_production(docs, year),
        "most_cited": most_cited(docs, 10, year),
        "sources": bradford(docs),
        "authors": authors(docs, top, year),
        "lotka": lotka(docs),
        "affiliations": affiliations(docs, top),
        "subjects": subjects(docs),
        "countries": countries(docs),
        "subject_collaboration": subject_collaboration(docs),
        "trend_topics": trend_topics(docs, max(min_freq, 3)),
        "thematic_map": thematic_map(docs, min_freq),
        "three_field": three_field(docs, 10),
    }
