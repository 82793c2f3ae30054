"""BibTeX fields -> :class:`Record`, for plain BibTeX and the WoS and Scopus dialects.

WoS writes Capitalised, hyphenated fields (``Unique-ID = {WOS:...}``, ``Cited-References``,
``Times-Cited``, an ``Affiliation`` block with one "Names, Address." per line); Scopus
writes lowercase ones (``author_keywords``, ``affiliations``, ``note = {Cited by: 52}``).
Field names arrive here lower-cased with a trailing counter removed ("funding_text 1").
"""

from __future__ import annotations

import re
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text

from bibmine.record import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    RubricAssignment,
    Venue,
    fold,
    normalize_doi,
    normalize_orcid,
    normalize_person,
    surname_key,
)
from bibmine.sources.readers._fieldnorm import (
    cited_by,
    clean,
    copy_fields,
    dedupe,
    doi_in_text,
    kind_for,
    language_code,
    make_author,
    page_range,
    parse_date,
    reference,
    scopus_eid,
    serial_numbers,
    texts,
)
from bibmine.sources.readers.base import parse_int, parse_year, split_multi
from bibmine.sources.textutil import unless_placeholder

Fields = dict[str, list[str]]

# ---------------------------------------------------------------- LaTeX

# Escapes WoS and Scopus use; replacing them needs no LaTeX parser.
_SIMPLE = (
    ("{[}", "["),
    ("{]}", "]"),
    ("\\&", "&"),
    ("\\%", "%"),
    ("\\_", "_"),
    ("\\#", "#"),
    ("\\$", "$"),
    ("\\~{}", "~"),
    ("\\{", "{"),
    ("\\}", "}"),
)
_MACRO = re.compile(r"\\(?:[A-Za-z]+|[\"'`^~=.])")
_TILDE = "\ue000"  # stands in for a literal "\~{}" while pylatexenc runs (it would drop it)


@cache
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim")


def decode_latex(value: str) -> str:
    """Plain Unicode for a BibTeX value: accents, escapes and grouping braces resolved.

    Only values with a LaTeX macro go through pylatexenc (what bibtexparser's
    LatexDecodingMiddleware uses); bare "%" is escaped first because LaTeX would read it
    as a comment and drop the rest of the line.  Cyrillic passes through unchanged.

    >>> decode_latex(r"M{\\"u}ller, {\\'E}mile and {[}Anonymous] 50% \\& {DNA}")
    'Müller, Émile and [Anonymous] 50% & DNA'
    >>> decode_latex("Иванов, {Иван} Иванович")
    'Иванов, Иван Иванович'
    """
    if "\\" not in value and "{" not in value:
        return value
    value = value.replace("{[}", "[").replace("{]}", "]")
    if _MACRO.search(value.replace("\\~{}", "")):
        protected = re.sub(r"(?<!\\)%", r"\\%", value.replace("\\~{}", _TILDE))
        try:
            return _latex().latex_to_text(protected).replace(_TILDE, "~")
        except Exception:  # pylatexenc gives up on odd input; fall back to the plain escapes
            pass
    for old, new in _SIMPLE:
        value = value.replace(old, new)
    return re.sub(r"(?<!\\)[{}]", "", value)


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_names(value: str) -> list[str]:
    """BibTeX name list split at "and" outside braces ("{Smith and Sons}" stays one name).

    >>> split_names("Li, W. and {Barnes and Noble} and Иванов, Иван Иванович")
    ['Li, W.', '{Barnes and Noble}', 'Иванов, Иван Иванович']
    """
    names, depth, last = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            names.append(value[last : m.start()])
            last = m.end()
    names.append(value[last:])
    return [n.strip() for n in names if n.strip()]


# ---------------------------------------------------------------- record


def build_record(entry_type: str, key: str, fields: Fields, raw: str, export_date: str | None) -> Record:
    """One Record from a parsed entry; ``export_date`` is the Scopus preamble's date, if any."""

    def get(name: str) -> str | None:
        values = fields.get(name)
        return clean(decode_latex(values[0])) if values else None

    def all_of(name: str) -> list[str]:
        return [decode_latex(v) for v in fields.get(name, ())]

    unique_id = (get("unique-id") or "").upper()
    is_wos = unique_id.startswith("WOS:") or key.upper().startswith("WOS:")
    url = get("url")
    is_scopus = (get("source") or "").lower() == "scopus" or bool(url and "scopus.com" in url)
    extra: dict[str, str] = {"bibtex_key": key} if key else {}

    kind = kind_for("bibtex", entry_type)
    doc_type = get("type") or get("document_type")
    if doc_type and (is_wos or is_scopus):
        extra["document_type"] = doc_type
        vocab = "wos" if is_wos else "scopus"
        # WoS joins types ("Article; Proceedings Paper"): the first one we know decides
        found = next((k for t in split_multi(doc_type) if (k := kind_for(vocab, t))), None)
        kind = found or kind
    if kind is None:
        extra["bibtex_type"] = entry_type

    year = parse_year(get("year"))
    month = get("month")
    date = parse_date(f"{year} {month}" if month else get("date") or get("year"), year)
    issns, isbns = serial_numbers([get("issn"), get("eissn"), get("isbn")])
    venue = Venue(
        name=get("journal") or get("journaltitle") or get("booktitle"),
        abbreviation=get("journal-iso") or get("abbrev_source_title") or get("shortjournal"),
        issn=issns,
        isbn=isbns,
        publisher=get("publisher"),
        volume=get("volume"),
        issue=get("number") or get("issue"),
        pages=page_range(get("pages")),
    )
    doi = normalize_doi(get("doi")) or doi_in_text(url if url and "doi.org" in url else None)
    ids = Identifiers(doi=doi, wos=unique_id if unique_id.startswith("WOS:") else None)
    if is_wos and not ids.wos and key.upper().startswith("WOS:"):
        ids.wos = key.upper()
    ids.scopus = scopus_eid(url)
    ids.pmid = unless_placeholder(get("pmid") or get("pubmed-id"))
    authors = [a for a in map(_author, split_names(" ".join(fields.get("author", ())))) if a]

    if is_wos:
        author_kw, indexed_kw = get("keywords"), get("keywords-plus")
    elif is_scopus:
        author_kw, indexed_kw = get("author_keywords"), get("keywords")
    else:
        author_kw, indexed_kw = get("keywords"), None
    sep = ";" if author_kw and ";" in author_kw else ","
    record = Record(
        kind=kind or Kind.OTHER,
        titles=texts(all_of("title")),
        abstracts=texts(all_of("abstract")),
        language=language_code(get("language") or get("langid")),
        author_keywords=dedupe(split_multi(author_kw, sep)),
        indexed_keywords=dedupe(split_multi(indexed_kw)),
        year=year,
        date=date,
        venue=venue,
        ids=ids,
        authors=authors,
        url=url,
        source="bibtex",
        raw=raw,
        extra=extra,
    )
    if is_wos:
        _wos_parts(record, fields, get)
    else:
        aff = get("affiliations") or get("affiliation")
        record.affiliations = [Affiliation(raw=a) for a in dedupe(split_multi(aff))]
        refs = (reference(r) for r in split_multi(get("references")))
        record.references = [r for r in refs if r is not None]
        record.funding = dedupe(clean(v) for v in all_of("funding_details"))
        count = next((n for note in all_of("note") if (n := cited_by(note)) is not None), None)
        if count is not None:
            record.citations.append(CitationCount(count=count, source="scopus", date=export_date))
    copy_fields(get, (("correspondence_address", "correspondence_address"),
                      ("publication_stage", "publication_stage"), ("article_number", "art_number"),
                      ("article_number", "article-number"), ("coden", "coden"), ("funding_text", "funding_text"),
                      ("funding_text", "funding-text")), extra)
    return record


def _author(name: str) -> Author | None:
    """A byline name; a fully braced one ("{Research Group on Soils}") is a group author."""
    group = name.startswith("{") and name.endswith("}") and "," not in name
    author = make_author(decode_latex(name))
    if author is not None and group:
        author.normalized = None  # "surname, initials" means nothing for a group name
    return author


def _wos_parts(record: Record, fields: Fields, get) -> None:
    """WoS-only fields: affiliation block, ORCIDs, cited references, counts, categories."""
    _wos_affiliations(record, decode_latex(fields.get("affiliation", [""])[0]))
    unmatched = []
    for scheme, field in (("orcid", "orcid-numbers"), ("researcherid", "researcherid-numbers")):
        for line in re.split(r"[\n;]", decode_latex(fields.get(field, [""])[0])):
            name, _, ident = line.strip().rpartition("/")
            value = normalize_orcid(ident) if scheme == "orcid" else clean(ident)
            if not (name and value):
                continue
            i = match_person(name, record.authors)
            if i is None:
                # e.g. a Cyrillic profile name beside a transliterated byline
                unmatched.append(line.strip())
            elif scheme == "orcid":
                record.authors[i].orcid = value
            else:
                record.authors[i].ids[scheme] = value
    if unmatched:
        record.extra["unmatched_author_ids"] = "; ".join(unmatched)
    refs = (reference(line) for line in decode_latex(fields.get("cited-references", [""])[0]).split("\n"))
    record.references = [r for r in refs if r is not None]
    record.funding = dedupe(split_multi(get("funding-acknowledgement")))
    times_cited = parse_int(get("times-cited"))
    if times_cited is not None:
        record.citations.append(CitationCount(count=times_cited, source="wos", date=parse_date(get("da"))))
    for scheme, field in (("wos_category", "web-of-science-categories"), ("wos_research_area", "research-areas")):
        for code in dedupe(split_multi(get(field))):
            record.rubrics.append(
                RubricAssignment(scheme=scheme, code=code, source="foreign", annotator="wos", label=code)
            )
    if orgs := get("affiliations"):
        record.extra["wos_organizations"] = orgs


_REPRINT = re.compile(r"\((?:Corresponding|Reprint) Author\),\s*")


def _wos_affiliations(record: Record, block: str) -> None:
    """WoS "Names; Names, Address." lines -> affiliations linked to the authors they name.

    The "(Corresponding Author)" lines repeat an address for the reprint author; they
    are kept in ``extra`` and used as affiliations only when no other line exists.
    """
    surnames = {surname_key(a.name) for a in record.authors}
    reprint, lines = [], []
    for line in block.split("\n"):
        line = clean(line)
        if not line:
            continue
        if _REPRINT.search(line):
            reprint.append(line)
        else:
            lines.append(line)
    if reprint:
        record.extra["reprint_address"] = "\n".join(reprint)
    if not lines:
        lines = [_REPRINT.split(line, 1)[-1] for line in reprint]
    index: dict[str, int] = {}
    for line in lines:
        names, address = _split_names_address(line, surnames)
        if address not in index:
            index[address] = len(record.affiliations)
            record.affiliations.append(Affiliation(raw=address))
        for name in names:
            i = match_person(name, record.authors)
            if i is not None and index[address] not in record.authors[i].affiliations:
                record.authors[i].affiliations.append(index[address])


def _split_names_address(line: str, surnames: set[str | None]) -> tuple[list[str], str]:
    """("Hsu, Jason C.; Lu, Christine Y., Harvard Univ, Boston, MA USA." -> names, address)."""
    parts = line.split("; ")
    last = parts[-1].split(", ", 2)
    if len(last) == 3:
        names = [*parts[:-1], f"{last[0]}, {last[1]}"]
        if all(surname_key(n) in surnames for n in names):
            return names, last[2]
    return [], line


_TOKENS = re.compile(r"[^\W\d_]+", re.UNICODE)


def match_person(name: str, authors: list[Author]) -> int | None:
    """Index of the author a name from another field means, or None when unsure.

    Tries the normalised form, then the same set of name words in any order (WoS writes
    "Antonio Gomez-Ruiz, Jose" in the byline but "Gomez-Ruiz, Jose Antonio" beside the
    ORCID), then a unique surname.
    """
    norm = normalize_person(name)
    hits = [i for i, a in enumerate(authors) if (a.normalized or normalize_person(a.name)) == norm]
    if len(hits) == 1:
        return hits[0]
    words = set(_TOKENS.findall(fold(name)))
    hits = [i for i, a in enumerate(authors) if set(_TOKENS.findall(fold(a.name))) == words]
    if len(hits) == 1:
        return hits[0]
    key = surname_key(name)
    hits = [i for i, a in enumerate(authors) if surname_key(a.name) == key]
    if len(hits) == 1:
        return hits[0]
    # "Pelaez, Jose I" beside the ORCID, "Ignacio Pelaez, Jose" in the byline: the surname
    # words are among the author's words and the first given initial matches
    surname, _, given = fold(name).partition(",")
    sur_words = set(_TOKENS.findall(surname))
    initial = next(iter(_TOKENS.findall(given)), "")[:1]
    hits = []
    for i, a in enumerate(authors):
        words = _TOKENS.findall(fold(a.name))
        rest = {w[0] for w in words if w not in sur_words}
        if sur_words and sur_words <= set(words) and (not initial or initial in rest):
            hits.append(i)
    return hits[0] if len(hits) == 1 else None
