"""Lens.org scholarly works CSV reader (the "Export -> CSV" of a Lens scholarly search).

One row per work; multi-valued cells are joined with "; " (authors, ISSNs, fields of
study, keywords, references as Lens IDs), "Source URLs" with spaces.  Authors come as
"First Last" without affiliations; Lens exports no affiliation column.
"""

from __future__ import annotations

from pathlib import Path

from bibmine.record import (
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reference,
    Reject,
    RubricAssignment,
    Venue,
    normalize_doi,
)
from bibmine.sources.readers._csv_rows import header_cells, read_csv_records
from bibmine.sources.readers._fieldnorm import (
    clean,
    copy_fields,
    dedupe,
    kind_for,
    make_author,
    page_range,
    parse_date,
    serial_numbers,
    texts,
)
from bibmine.sources.readers.base import ReaderSpec, ReadResult, parse_int, parse_year, split_multi
from bibmine.sources.textutil import unless_placeholder


def sniff_lens_csv(head: str, path: Path) -> bool:
    """True when the header row has "Lens ID" and Lens's "Citing Works Count"/"Source Title"."""
    cells = set(header_cells(head))
    return "Lens ID" in cells and bool(cells & {"Citing Works Count", "Source Title", "Author/s"})


def read_lens_csv(path: Path, encoding: str) -> ReadResult:
    """Stream Records (and Rejects at their line) from a Lens scholarly CSV export."""
    return read_csv_records(path, encoding, "Lens CSV", _record)


def _record(row: dict[str, str], raw: str, where: str) -> Record | Reject:
    def get(column: str) -> str | None:
        return clean(row.get(column))

    lens_id = unless_placeholder(get("Lens ID"))
    doi = normalize_doi(get("DOI"))
    titles = texts([get("Title")])
    if not titles and not doi:
        return Reject(location=where, reason=f"Lens row {lens_id or '?'} has neither a title nor a DOI", raw=raw)
    extra: dict[str, str] = {}
    pub_type = get("Publication Type")
    kind = kind_for("lens", pub_type)
    if pub_type:
        extra["document_type"] = pub_type
    year = parse_year(get("Publication Year")) or parse_year(get("Date Published"))
    issns, isbns = serial_numbers([get("ISSNs"), get("ISBNs")])
    urls = (get("Source URLs") or "").split()
    citations = []
    if (count := parse_int(get("Citing Works Count"))) is not None:
        citations.append(CitationCount(count=count, source="lens"))
    rubrics = [
        RubricAssignment(scheme="lens_field_of_study", code=f, source="foreign", annotator="lens", label=f)
        for f in dedupe(split_multi(get("Fields of Study")))
    ]
    copy_fields(get, (("source_country", "Source Country"), ("pmcid", "PMCID"), ("mag_id", "Microsoft Academic ID"),
                      ("citing_patents_count", "Citing Patents Count"), ("is_open_access", "Is Open Access"),
                      ("open_access_license", "Open Access License"), ("open_access_colour", "Open Access Colour"),
                      ("chemicals", "Chemicals")), extra)
    return Record(
        kind=kind or Kind.OTHER,
        titles=titles,
        abstracts=texts([get("Abstract")]),
        author_keywords=dedupe(split_multi(get("Keywords"))),
        indexed_keywords=dedupe(split_multi(get("MeSH Terms"))),
        year=year,
        date=parse_date(get("Date Published")) or (str(year) if year else None),
        venue=Venue(
            name=get("Source Title"),
            issn=issns,
            isbn=isbns,
            publisher=get("Publisher"),
            volume=get("Volume"),
            issue=get("Issue Number"),
            pages=page_range(get("Start Page"), get("End Page")),
        ),
        ids=Identifiers(doi=doi, lens=lens_id, pmid=unless_placeholder(get("PMID"))),
        authors=[a for n in split_multi(get("Author/s")) if (a := make_author(n, given_first=True))],
        # Lens lists cited works by Lens ID only; "lens:" says which scheme the id is in
        references=[Reference(resolved=f"lens:{r}") for r in dedupe(split_multi(get("References")))],
        citations=citations,
        rubrics=rubrics,
        funding=dedupe(split_multi(get("Funding"))),
        url=get("External URL") or (urls[0] if urls else None),
        source="lens_csv",
        raw=raw,
        extra=extra,
    )


READERS = [ReaderSpec("lens_csv", "Lens.org scholarly CSV", sniff_lens_csv, read_lens_csv, priority=40)]
