"""Crossref work (``message`` of api.crossref.org/works) -> :class:`~bibmine.record.Record`.

Shared by the ``crossref_json`` file reader and a Crossref API crawler.

>>> r = work_to_record({"DOI": "10.1234/X", "title": ["Почвы"], "original-title": ["Soils"],
...                     "author": [{"family": "Иванов", "given": "Иван", "sequence": "first"}],
...                     "issued": {"date-parts": [[2021, 5]]}, "type": "journal-article"})
>>> r.ids.doi, [(t.text, t.lang) for t in r.titles], r.authors[0].name, r.date, r.kind.value
('10.1234/x', [('Почвы', 'ru'), ('Soils', 'en')], 'Иванов, Иван', '2021-05', 'article')
"""

from __future__ import annotations

from bibmine.record import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    Reference,
    RubricAssignment,
    Text,
    Venue,
    guess_lang,
    normalize_doi,
    normalize_orcid,
)
from bibmine.sources.readers._fieldnorm import kind_for
from bibmine.sources.textutil import person_key, strip_markup

# where the publication date is, best first ("issued" is the earliest of print/online)
_DATE_FIELDS = ("issued", "published", "published-print", "published-online", "posted")


def work_kind(work_type: object, subtype: object = None) -> Kind:
    """The :class:`Kind` of a Crossref work: its ``type`` through ``vocabularies.toml`` [kind.crossref], a
    "posted-content" work by its ``subtype`` ([kind.crossref_posted]); unknown ones are OTHER.

    >>> work_kind("book-part"), work_kind("posted-content", "working_paper"), work_kind("posted-content", "other")
    (<Kind.CHAPTER: 'chapter'>, <Kind.PREPRINT: 'preprint'>, <Kind.OTHER: 'other'>)
    """
    if work_type == "posted-content" and subtype:
        found = kind_for("crossref_posted", subtype) if isinstance(subtype, str) else None
    else:
        found = kind_for("crossref", work_type) if isinstance(work_type, str) else None
    return found or Kind.OTHER


def date_parts(value: dict | None) -> tuple[int | None, str | None]:
    """(year, ISO date as precise as given) from a Crossref ``{"date-parts": [[y, m, d]]}``.

    >>> date_parts({"date-parts": [[2009, 9]]}), date_parts({"date-parts": [[None]]})
    ((2009, '2009-09'), (None, None))
    """
    try:
        parts = value["date-parts"][0]  # type: ignore[index]
        year = int(parts[0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None, None
    if not 1000 <= year <= 2999:
        return None, None
    iso = f"{year:04d}"
    try:
        month = int(parts[1])
        if 1 <= month <= 12:
            iso += f"-{month:02d}"
            day = int(parts[2])
            if 1 <= day <= 31:
                iso += f"-{day:02d}"
    except (IndexError, TypeError, ValueError):
        pass  # a year or year-month date is as precise as Crossref knows it
    return year, iso


def _strings(value) -> list[str]:
    """Crossref multi-valued text fields are lists; tolerate a bare string."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str) and v.strip()]


def work_to_record(work: dict, *, source: str = "crossref", raw: str | None = None) -> Record:
    """Map one Crossref work (the ``message`` object) to a Record.

    Raises ValueError for a work with neither a title nor a DOI and TypeError when
    ``work`` is not a JSON object; the reader turns both into Rejects.
    """
    if not isinstance(work, dict):
        raise TypeError(f"expected a work object, got {type(work).__name__}")
    get = work.get
    doi = normalize_doi(get("DOI"))
    titles = _titles(work)
    if not titles and not doi:
        raise ValueError("work has neither a title nor a DOI")
    rec = Record(ids=Identifiers(doi=doi), titles=titles, source=source, raw=raw)

    abstract = strip_markup(get("abstract"), paragraphs=True)
    if abstract:
        rec.abstracts = [Text(abstract, guess_lang(abstract))]
    rec.language = get("language")
    for field in _DATE_FIELDS:
        rec.year, rec.date = date_parts(get(field))
        if rec.year:
            break

    type_ = get("type")
    rec.kind = work_kind(type_, get("subtype"))
    if type_:
        rec.extra["source_type"] = type_ + (f"/{get('subtype')}" if get("subtype") else "")

    containers = _strings(get("container-title"))
    short = _strings(get("short-container-title"))
    rec.venue = Venue(
        name=strip_markup(containers[0]) if containers else get("group-title"),
        abbreviation=short[0] if short else None,
        issn=list(dict.fromkeys(_strings(get("ISSN")))),
        isbn=list(dict.fromkeys(_strings(get("ISBN")))),
        publisher=get("publisher"),
        volume=get("volume"),
        issue=get("issue") or (get("journal-issue") or {}).get("issue"),
        pages=get("page") or get("article-number"),
    )
    resource = (get("resource") or {}).get("primary") or {}
    rec.url = resource.get("URL") or get("URL")

    _authors(get("author") or (), rec)
    rec.references = [r for r in map(_reference, get("reference") or ()) if r is not None]
    if get("reference-count"):
        rec.extra["reference_count"] = str(get("reference-count"))  # what Crossref says it holds
    cited = get("is-referenced-by-count")
    if isinstance(cited, int):
        indexed = (get("indexed") or {}).get("date-time")
        rec.citations = [CitationCount(cited, "crossref", indexed[:10] if indexed else None)]
    rec.rubrics = [
        RubricAssignment(scheme="crossref_subject", code=s, source="foreign", annotator="crossref", label=s)
        for s in _strings(get("subject"))
    ]
    rec.funding = [_funder(f) for f in get("funder") or () if isinstance(f, dict) and f.get("name")]
    return rec


def _titles(work: dict) -> list[Text]:
    """Main titles (with the subtitle joined to the first), then original-language titles."""
    titles = [strip_markup(t) for t in _strings(work.get("title"))]
    subtitles = [strip_markup(t) for t in _strings(work.get("subtitle"))]
    if titles and subtitles and subtitles[0] and subtitles[0].lower() not in titles[0].lower():
        titles[0] = f"{titles[0]}: {subtitles[0]}"
    for t in _strings(work.get("original-title")):
        titles.append(strip_markup(t))
    out: list[Text] = []
    seen: set[str] = set()
    for t in titles:
        if t and t not in seen:
            seen.add(t)
            out.append(Text(t, guess_lang(t)))
    return out


def _authors(people, rec: Record) -> None:
    entries = [p for p in people if isinstance(p, dict)]
    # byline order is the array order; a "first" listed later still goes first (stable)
    if any(p.get("sequence") == "first" for p in entries[1:]):
        entries.sort(key=lambda p: p.get("sequence") != "first")
    seen: dict[str, int] = {}
    for p in entries:
        family, given = p.get("family"), p.get("given")
        # "name" without family/given is an organization as author
        name = f"{family}, {given}" if family and given else family or given or p.get("name")
        if not name:
            continue
        author = Author(name=name, normalized=person_key(name), orcid=normalize_orcid(p.get("ORCID")))
        for aff in p.get("affiliation") or ():
            text = aff.get("name") if isinstance(aff, dict) else None
            if not text:
                continue
            text = " ".join(text.split())
            i = seen.get(text)
            if i is None:
                i = seen[text] = len(rec.affiliations)
                rec.affiliations.append(Affiliation(raw=text))
            author.affiliations.append(i)
        rec.authors.append(author)


def _reference(ref: dict) -> Reference | None:
    """A cited reference: its DOI, and its text (``unstructured`` or the fields joined)."""
    if not isinstance(ref, dict):
        return None
    doi = normalize_doi(ref.get("DOI"))
    text = ref.get("unstructured")
    if not text:
        year = ref.get("year")
        parts = [
            ref.get("author"),
            year if year and year != "0" else None,  # Crossref pads unknown years with "0"
            ref.get("article-title") or ref.get("volume-title"),
            ref.get("journal-title") or ref.get("series-title"),
            ref.get("volume"),
            ref.get("first-page"),
        ]
        text = ", ".join(str(p) for p in parts if p) or None
    if not text and not doi:
        return None  # {"key": "ref17", "year": "0"}: nothing to cite by
    return Reference(raw=text, doi=doi)


def _funder(f: dict) -> str:
    awards = _strings(f.get("award"))
    return f"{f['name']} ({'; '.join(awards)})" if awards else f["name"]
