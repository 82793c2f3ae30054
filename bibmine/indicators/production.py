"""Main information, annual production, most cited documents, sources with Bradford's zones.

The definitions follow bibliometrix (Aria & Cuccurullo, 2017), so that users of biblioshiny find the
numbers they know; ``year`` is the year of reference (the current year by default), as there:

- annual growth rate: ``((n_last / n_first) ** (1 / (last - first)) - 1) * 100``, first and last
  year of the timespan (None, with a reason, when the first year has no document or the span is 0);
- document average age: ``year - publication year``, averaged over dated documents;
- citations per year of a document: ``citations / (year - publication year + 1)``;
- Bradford's zones: sources sorted by documents, cumulated; zone 1 while the cumulative count is
  at most ``round(0.33 n)``, zone 2 while at most ``round(0.67 n)``, zone 3 after (bibliometrix's cut).

Undefined values are None, never 0: a mean over no cited document, a rate over no year.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from statistics import fmean

from bibmine.indicators.docs import Doc


def _year(year: int | None) -> int:
    return date.today().year if year is None else year


def growth_rate(first: int, last: int, n_first: int, n_last: int) -> float | None:
    """Compound annual growth rate in percent.

    >>> round(growth_rate(2018, 2020, 4, 9), 2)
    50.0
    >>> growth_rate(2018, 2018, 4, 4) is None, growth_rate(2018, 2020, 0, 3) is None
    (True, True)
    """
    if last <= first or n_first <= 0:
        return None
    return ((n_last / n_first) ** (1 / (last - first)) - 1) * 100


def annual_counts(docs: list[Doc]) -> dict[int, int]:
    """Documents per year, every year of the timespan present (0 where none)."""
    years = Counter(d.year for d in docs if d.year is not None)
    if not years:
        return {}
    return {y: years.get(y, 0) for y in range(min(years), max(years) + 1)}


def main_information(docs: list[Doc], year: int | None = None) -> dict:
    """The main-information table: one value per indicator (None where undefined, see ``reasons``)."""
    year = _year(year)
    counts = annual_counts(docs)
    reasons: dict[str, str] = {}
    first = min(counts) if counts else None
    last = max(counts) if counts else None
    rate = growth_rate(first, last, counts[first], counts[last]) if counts else None
    if rate is None:
        reasons["annual_growth_rate"] = ("no dated document" if not counts else
                                         "the timespan is a single year" if first == last else
                                         "no document in the first year")
    dated = [d for d in docs if d.year is not None]
    cited = [d for d in dated if d.citations is not None]
    if not cited:
        reasons["citations_per_doc"] = reasons["citations_per_doc_per_year"] = "no document has a citation count"
    authors = {a for d in docs for a in d.authors}
    with_authors = [d for d in docs if d.authors]
    placed = [d for d in docs if d.countries]
    regional = [d for d in docs if d.subjects]
    out = {
        "timespan": [first, last] if counts else None,
        "sources": len({d.source for d in docs if d.source}),
        "documents": len(docs),
        "annual_growth_rate": rate,
        "document_average_age": fmean(year - d.year for d in dated) if dated else None,
        "citations_per_doc": fmean(d.citations for d in cited) if cited else None,
        "citations_per_doc_per_year": fmean(d.citations / (year - d.year + 1) for d in cited) if cited else None,
        "references": sum(d.references for d in docs),
        "keywords": len({k for d in docs for k in d.keywords}),
        "authors": len(authors),
        "single_authored_docs": sum(1 for d in docs if len(d.authors) == 1),
        "coauthors_per_doc": fmean(len(d.authors) for d in with_authors) if with_authors else None,
        "international_coauthorship": sum(len(d.countries) > 1 for d in placed) / len(placed) if placed else None,
        "interregional_coauthorship": sum(len(d.subjects) > 1 for d in regional) / len(regional) if regional else None,
        "year": year,
    }
    if not placed:
        reasons["international_coauthorship"] = "no affiliation is placed in a country"
    if not regional:
        reasons["interregional_coauthorship"] = "no affiliation is placed in a federal subject"
    out["reasons"] = reasons
    return out


def annual_production(docs: list[Doc], year: int | None = None) -> list[dict]:
    """Per year: documents, mean citations per document and mean citations per citable year."""
    year = _year(year)
    rows = []
    for y, n in annual_counts(docs).items():
        cited = [d.citations for d in docs if d.year == y and d.citations is not None]
        mean = fmean(cited) if cited else None
        rows.append({"year": y, "documents": n, "mean_citations": mean,
                     "mean_citations_per_year": None if mean is None else mean / (year - y + 1)})
    return rows


def most_cited(docs: list[Doc], n: int = 10, year: int | None = None) -> list[dict]:
    """The ``n`` most cited documents (ties by year, then id)."""
    year = _year(year)
    cited = sorted((d for d in docs if d.citations is not None), key=lambda d: (-d.citations, d.year or 0, d.id))
    return [{"id": d.id, "doi": d.doi, "title": d.title, "year": d.year, "source": d.source,
             "citations": d.citations,
             "citations_per_year": None if d.year is None else d.citations / (year - d.year + 1)}
            for d in cited[:n]]


def bradford(docs: list[Doc]) -> list[dict]:
    """Every source with its documents, cumulative documents and Bradford zone (1, 2 or 3)."""
    counts = Counter(d.source for d in docs if d.source)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(counts.values())
    one, two = round(0.33 * total), round(0.67 * total)
    rows, cumulative = [], 0
    for rank, (source, n) in enumerate(ranked, start=1):
        cumulative += n
        zone = 1 if cumulative <= one or rank == 1 else 2 if cumulative <= two else 3
        rows.append({"source": source, "rank": rank, "documents": n, "cumulative": cumulative, "zone": zone})
    return rows
