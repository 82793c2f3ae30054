"""OpenAlex work object -> :class:`~bibmine.record.Record`.

Shared by the ``openalex_json`` file reader and the OpenAlex API crawler: both get
the same work objects (``/works`` responses, snapshot JSON Lines).  The mapping is
written for speed (plain dict access, no copies): a JSON Lines import runs it once
per line.

>>> r = work_to_record({"id": "https://openalex.org/W1", "title": "Почвы",
...                     "abstract_inverted_index": {"Почвы": [0], "области": [2], "Воронежской": [1]}})
>>> r.ids.openalex, r.titles[0].lang, r.abstract
('W1', 'ru', 'Почвы Воронежской области')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

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
    normalize_person,
)
from bibmine.sources.readers._fieldnorm import kind_for
from bibmine.sources.readers.base import parse_year


def work_kind(work_type: object, source_type: object = None) -> Kind:
    """The :class:`Kind` of an OpenAlex work from its ``type`` (``vocabularies.toml`` [kind.openalex], read by
    the JSON and CSV readers alike) and its primary source's ``type``: OpenAlex types a conference paper
    "article", so an article in a conference source is a conference paper.  Unknown types are OTHER.

    >>> [k.value for k in (work_kind("book-part"), work_kind("article", "conference"), work_kind("libguides"))]
    ['chapter', 'conference_paper', 'other']
    """
    kind = (kind_for("openalex", work_type) if isinstance(work_type, str) else None) or Kind.OTHER
    if kind is Kind.ARTICLE and source_type == "conference":
        return Kind.CONFERENCE_PAPER
    return kind


_PREFIX = "https://openalex.org/"  # 21 characters


def short_id(value: str | None) -> str | None:
    """Short OpenAlex id from a URL or short form.

    >>> short_id("https://openalex.org/W2068311567"), short_id("w12"), short_id(None)
    ('W2068311567', 'W12', None)
    """
    if not value or not isinstance(value, str):
        return None
    tail = value.rsplit("/", 1)[-1].strip()
    return tail[:1].upper() + tail[1:] if tail else None


def rebuild_abstract(inverted: dict[str, list[int]] | None) -> str | None:
    """Abstract text from OpenAlex's ``abstract_inverted_index`` (word -> positions).

    Positions that are missing leave no gap; bad positions are ignored.

    >>> rebuild_abstract({"soil": [1, 3], "The": [0], "is": [2]})
    'The soil is soil'
    """
    if not inverted or not isinstance(inverted, dict):
        return None
    try:
        words: list[Any] = [None] * sum(map(len, inverted.values()))
        for word, positions in inverted.items():  # the hot loop of a JSON Lines import
            for p in positions:
                words[p] = word
    except (IndexError, TypeError):
        return _rebuild_sparse(inverted)  # positions with gaps or junk: the slow, careful way
    if None in words:
        words = [w for w in words if w is not None]
    return " ".join(words) or None


def _rebuild_sparse(inverted: dict) -> str | None:
    pairs = sorted(
        (p, w) for w, ps in inverted.items() if isinstance(ps, list) for p in ps if isinstance(p, int) and p >= 0
    )
    return " ".join(w for _, w in pairs) or None


def work_to_record(work: dict, *, source: str = "openalex", raw: str | None = None) -> Record:
    """Map one OpenAlex work object to a Record.

    Raises ValueError for a work with neither a title nor an identifier and TypeError
    when ``work`` is not a JSON object; the reader turns both into Rejects.
    """
    if not isinstance(work, dict):
        raise TypeError(f"expected a work object, got {type(work).__name__}")
    get = work.get
    ids_in = get("ids") or {}
    openalex = short_id(get("id") or ids_in.get("openalex"))
    doi = normalize_doi(get("doi") or ids_in.get("doi"))
    title = get("title") or get("display_name")
    if not title and not openalex and not doi:
        raise ValueError("work has neither a title nor an identifier (id, doi)")

    pmid = ids_in.get("pmid")
    ids = Identifiers(doi=doi, openalex=openalex, pmid=pmid.rsplit("/", 1)[-1] if pmid else None)
    rec = Record(ids=ids, source=source, raw=raw)
    if title:
        rec.titles = [Text(title, guess_lang(title))]
    abstract = rebuild_abstract(get("abstract_inverted_index"))
    if abstract:
        rec.abstracts = [Text(abstract, guess_lang(abstract))]
    rec.language = get("language")
    year = get("publication_year")
    rec.year = year if isinstance(year, int) else parse_year(year)  # a string year from a reworked dump
    rec.date = get("publication_date")

    type_ = get("type")
    location = get("primary_location") or {}
    src = location.get("source") or {}
    rec.kind = work_kind(type_, src.get("type"))
    rec.venue = _venue(src, get("biblio"))
    rec.url = location.get("landing_page_url") or (f"https://doi.org/{doi}" if doi else None)
    extra = rec.extra
    if type_:
        extra["source_type"] = type_
    if src.get("type"):
        extra["venue_type"] = src["type"]

    authorships = get("authorships")
    if authorships:
        _authors(authorships, rec)
    rec.indexed_keywords = [
        k.get("display_name") or k.get("keyword") for k in get("keywords") or () if isinstance(k, dict)
    ]
    rec.rubrics = _rubrics(get("topics"), "openalex_topic") + _rubrics(get("concepts"), "openalex_concept")
    rec.references = [
        Reference(resolved=w[21:] if w.startswith(_PREFIX) else short_id(w))
        for w in get("referenced_works") or ()
        if isinstance(w, str)
    ]
    cited = get("cited_by_count")
    if isinstance(cited, int):
        updated = get("updated_date")
        rec.citations = [CitationCount(cited, "openalex", updated[:10] if updated else None)]
    grants = get("grants")
    if grants:
        rec.funding = [_grant(g) for g in grants if g.get("funder_display_name") or g.get("award_id")]
    return rec


def _venue(src: dict, biblio: dict | None) -> Venue:
    issn = src.get("issn") or []
    issn_l = src.get("issn_l")
    if issn_l and issn_l not in issn:
        issn = [issn_l, *issn]
    elif issn_l and issn[0] != issn_l:
        issn = [issn_l, *(i for i in issn if i != issn_l)]  # the linking ISSN first
    venue = Venue(name=src.get("display_name"), issn=issn, publisher=src.get("host_organization_name"))
    if biblio:
        venue.volume = biblio.get("volume")
        venue.issue = biblio.get("issue")
        first, last = biblio.get("first_page"), biblio.get("last_page")
        venue.pages = f"{first}-{last}" if first and last and last != first else first or last
    return venue


def _authors(authorships: list, rec: Record) -> None:
    authors = rec.authors
    affiliations = rec.affiliations
    seen: dict[tuple, int] = {}  # one Affiliation per distinct (raw, organization, country)

    def index(raw: str, org: str | None, country: str | None) -> int:
        key = (raw, org, country)
        i = seen.get(key)
        if i is None:
            i = seen[key] = len(affiliations)
            affiliations.append(Affiliation(raw=raw, organization=org, country=country))
        return i

    for a in authorships:
        person = a.get("author") or {}
        name = person.get("display_name") or a.get("raw_author_name")
        if not name:
            continue  # an authorship with no name at all cannot be a byline entry
        author = Author(name=name, normalized=person_key(name), orcid=normalize_orcid(person.get("orcid")))
        oa_id = short_id(person.get("id"))
        if oa_id:
            author.ids = {"openalex": oa_id}
        author.affiliations = [index(*pair) for pair in _pair_affiliations(a)]
        authors.append(author)


@lru_cache(maxsize=1 << 16)  # the same authors recur across a corpus
def person_key(display_name: str) -> str:
    """normalize_person for OpenAlex display names, which put the given names first.

    normalize_person reads a Cyrillic "Иван Иванов" as Russian order (surname first);
    OpenAlex never uses that order, so the last word is moved in front.

    >>> person_key("Иван Иванов"), person_key("Elena N. Naumova"), person_key("В. Г. Кузнецов")
    ('иванов и.', 'naumova e.n.', 'кузнецов в.г.')
    """
    if "," not in display_name:
        given, _, surname = display_name.strip().rpartition(" ")
        if given:
            return normalize_person(f"{surname}, {given}")
    return normalize_person(display_name)


def _pair_affiliations(a: dict) -> list[tuple[str, str | None, str | None]]:
    """(raw string, institution name, country) for one authorship.

    OpenAlex does not say which raw string belongs to which institution except in the
    newer ``affiliations`` list, so: use that list when present; else pair a raw string
    with the institution whose name it contains, or the only one when there is one of
    each.  Institutions that match no raw string still count (their country matters to
    the regions stage), with their name as the raw text.
    """
    institutions = [i for i in a.get("institutions") or () if i and i.get("display_name")]
    raws = a.get("raw_affiliation_strings") or (
        [a["raw_affiliation_string"]] if a.get("raw_affiliation_string") else []
    )
    # OpenAlex keeps line breaks from PDFs inside raw strings ("Boston\r\nUniversity")
    raws = [" ".join(r.split()) for r in raws if isinstance(r, str)]
    if not institutions:
        return [(r, None, None) for r in raws if r]
    by_id = {i.get("id"): i for i in institutions}
    out = []
    used: set[int] = set()
    listed = a.get("affiliations")
    for r in raws:
        if not r:
            continue
        match = None
        if listed:
            for entry in listed:
                text = " ".join((entry.get("raw_affiliation_string") or "").split())
                if text == r and entry.get("institution_ids"):
                    match = by_id.get(entry["institution_ids"][0])
                    break
        if match is None:
            low = r.lower()
            match = next((i for i in institutions if i["display_name"].lower() in low), None)
        if match is None and len(raws) == 1 and len(institutions) == 1:
            match = institutions[0]
        if match is None:
            out.append((r, None, None))
        else:
            used.add(id(match))
            out.append((r, match["display_name"], match.get("country_code")))
    for i in institutions:
        if id(i) not in used:
            out.append((i["display_name"], i["display_name"], i.get("country_code")))
    return out


def _rubrics(items: list | None, scheme: str) -> list[RubricAssignment]:
    if not items:
        return []
    return [
        RubricAssignment(
            scheme=scheme,
            code=short_id(t.get("id")) or t.get("display_name"),
            source="foreign",
            annotator="openalex",
            score=t.get("score"),
            label=t.get("display_name"),
        )
        for t in items
        if t.get("id") or t.get("display_name")
    ]


def _grant(g: dict) -> str:
    name = g.get("funder_display_name") or ""
    award = g.get("award_id")
    return f"{name} ({award})" if name and award else name or award
