"""OpenAlex web-UI CSV reader (openalex.org "Download -> CSV").

Columns are dotted paths into the OpenAlex Work object (``authorships.author.display_name``,
``primary_location.source.display_name``); list values are joined with "|".  The
``authorships.*`` columns are flattened over authors *and* their institutions, so an
author with two institutions adds two institution values: institutions and countries are
linked to authors only when there is exactly one value per author; otherwise they are
kept as unlinked affiliations.  ORCIDs are positional ("" for an author without one).
"""

from __future__ import annotations

from pathlib import Path

from bibmine.record import (
    Affiliation,
    CitationCount,
    Identifiers,
    Record,
    Reference,
    Reject,
    RubricAssignment,
    Venue,
    normalize_doi,
    normalize_orcid,
)
from bibmine.sources.openalex_map import work_kind
from bibmine.sources.readers._csv_rows import header_cells, read_csv_records
from bibmine.sources.readers._fieldnorm import (
    clean,
    copy_fields,
    dedupe,
    language_code,
    make_author,
    page_range,
    parse_date,
    serial_numbers,
    texts,
)
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_int, parse_year
from bibmine.sources.textutil import unless_placeholder

_OA = "https://openalex.org/"


def sniff_openalex_csv(head: str, path: Path) -> bool:
    """True when the header has OpenAlex's ``id`` and dotted ``authorships.*`` columns."""
    cells = set(header_cells(head))
    return (
        "id" in cells
        and ("display_name" in cells or "title" in cells)
        and any(c.startswith("authorships.") for c in cells)
    )


def read_openalex_csv(path: Path, encoding: str) -> ReadResult:
    """Stream Records (and Rejects at their line) from an OpenAlex CSV download."""
    return read_csv_records(path, encoding, "OpenAlex CSV", _record)


def _bare(value: str | None, prefix: str = _OA) -> str | None:
    """'W2755950973' from 'https://openalex.org/W2755950973'."""
    value = clean(value)
    return value[len(prefix) :] if value and value.startswith(prefix) else value


def _record(row: dict[str, str], raw: str, where: str) -> Record | Reject:
    def get(column: str) -> str | None:
        return clean(row.get(column))

    def many(column: str) -> list[str]:
        value = row.get(column) or ""
        return [v.strip() for v in value.split("|")] if value.strip() else []

    work_id = unless_placeholder(_bare(get("id")))
    doi = normalize_doi(get("doi"))
    titles = texts([get("display_name") or get("title")])
    if not titles and not doi:
        return Reject(location=where, reason=f"OpenAlex row {work_id or '?'} has neither a title nor a DOI", raw=raw)
    extra: dict[str, str] = {}
    work_type = get("type")
    if work_type:
        extra["document_type"] = work_type

    names = many("authorships.author.display_name")
    authors = [make_author(n, given_first=True) for n in names]
    orcids = many("authorships.author.orcid")
    author_ids = many("authorships.author.id")
    for i, author in enumerate(authors):
        if author is None:
            continue
        if len(orcids) == len(names):
            author.orcid = normalize_orcid(orcids[i])
        if len(author_ids) == len(names) and author_ids[i]:
            author.ids["openalex"] = _bare(author_ids[i]) or author_ids[i]
    affiliations: list[Affiliation] = []
    raw_affs = many("authorships.raw_affiliation_strings")
    institutions = raw_affs or many("authorships.institutions.display_name")
    countries = many("authorships.countries")
    per_author = len(institutions) == len(names)
    for i, inst in enumerate(institutions):
        if not inst:
            continue
        found = next((k for k, a in enumerate(affiliations) if a.raw == inst), None)
        if found is None:
            country = countries[i] if per_author and len(countries) == len(names) and countries[i] else None
            affiliations.append(Affiliation(raw=inst, country=country))
            found = len(affiliations) - 1
        if per_author and authors[i] is not None:
            authors[i].affiliations.append(found)  # type: ignore[union-attr]

    citations = []
    if (count := parse_int(get("cited_by_count"))) is not None:
        citations.append(CitationCount(count=count, source="openalex"))
    rubrics = []
    topic_ids = [_bare(t) for t in many("primary_topic.id")]
    for j, label in enumerate(many("primary_topic.display_name")):
        code = topic_ids[j] if j < len(topic_ids) and topic_ids[j] else label
        rubrics.append(
            RubricAssignment(
                scheme="openalex_topic", code=code or label, source="foreign", annotator="openalex", label=label
            )
        )
    issns, _ = serial_numbers([get("primary_location.source.issn_l"), *many("primary_location.source.issn")])
    pmid = unless_placeholder(_bare(get("ids.pmid"), "https://pubmed.ncbi.nlm.nih.gov/"))
    copy_fields(get, (("is_retracted", "is_retracted"), ("oa_status", "open_access.oa_status"), ("fwci", "fwci"),
                      ("source_type", "primary_location.source.type")), extra)
    year = parse_year(get("publication_year"))
    return Record(
        kind=work_kind(work_type, get("primary_location.source.type")),
        titles=titles,
        abstracts=texts([get("abstract")]),
        language=language_code(get("language")),
        indexed_keywords=dedupe(many("keywords.display_name")),
        year=year,
        date=parse_date(get("publication_date")) or (str(year) if year else None),
        venue=Venue(
            name=get("primary_location.source.display_name"),
            issn=issns,
            publisher=get("primary_location.source.host_organization_name"),
            volume=get("biblio.volume"),
            issue=get("biblio.issue"),
            pages=page_range(get("biblio.first_page"), get("biblio.last_page")),
        ),
        ids=Identifiers(doi=doi, openalex=work_id, pmid=pmid),
        authors=[a for a in authors if a is not None],
        affiliations=affiliations,
        references=[Reference(resolved=_bare(r)) for r in dedupe(many("referenced_works"))],
        citations=citations,
        rubrics=rubrics,
        funding=dedupe(many("funders.display_name")),
        url=get("primary_location.landing_page_url") or get("doi"),
        source="openalex_csv",
        raw=raw,
        extra=extra,
    )


READERS = [ReaderSpec("openalex_csv", "OpenAlex CSV download", sniff_openalex_csv, read_openalex_csv, priority=40)]
