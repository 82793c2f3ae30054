"""Web of Science field tags -> :class:`Record`, shared by the plain-text and tab-delimited readers.

Both WoS export formats carry the same two-letter field tags; only the framing differs.
Each reader turns one record into :data:`Fields` -- tag -> value, where a list tag
(:data:`LIST_TAGS`: authors, addresses, cited references) has one item per line and any
other value is one line of text (wrapped lines joined with a space) -- and calls
:func:`build_record`.  Tags this module does not map go to ``Record.extra`` unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, filterfalse, repeat

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
from bibmine.sources.readers._fieldnorm import kind_for, language_code
from bibmine.sources.readers._shared import person_key
from bibmine.sources.readers.base import parse_int
from bibmine.sources.textutil import unless_placeholder

Fields = dict[str, str]

# Tags whose value is a list with one item per line (tab-delimited: "; "-separated);
# Z2 holds the authors in the original language (RSCI, CSCD), one per line like AU.
LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "C1", "CR", "Z2"})

# Tags mapped to Record fields; everything else (DT, PT, NR, C3, FX, RP, ...) is kept in
# Record.extra because the Record has no field for it or the mapping loses detail.
_MAPPED = frozenset(
    {
        "TI", "Z1", "AB", "Z4", "DE", "ID", "PY", "PD", "EA", "SO", "J9", "JI", "SN", "EI", "BN", "PU",
        "VL", "IS", "BP", "EP", "DI", "UT", "PM", "AU", "AF", "BA", "BF", "OI", "RI", "C1", "CR", "TC",
        "Z9", "WC", "SC", "FU", "LA",
    }
)  # fmt: skip

# Every tag of current and past WoS exports, so the readers can accept a tag with a
# set lookup; other well-formed tags are accepted too (see TAG_SHAPE).
KNOWN_TAGS = _MAPPED | frozenset(
    {
        "FN", "VR", "PT", "DT", "CT", "CY", "CL", "SP", "HO", "SE", "BS", "C3", "RP", "EM", "FX", "FP",
        "NR", "U1", "U2", "PI", "PA", "PN", "SU", "SI", "MA", "AR", "D2", "DL", "PG", "GA", "HC", "HP",
        "DA", "OA", "WE", "ER", "EF", "CA", "GP", "BE", "Z2", "Z3", "Z5", "Z6", "Z7", "Z8", "ZA", "ZB",
    }
)  # fmt: skip
TAG_SHAPE = re.compile(r"[A-Z][A-Z0-9]\Z")

MISSING_TITLE_AND_ID = "record has neither a title (TI) nor a WoS accession number (UT)"

# "DOI 10.x", "DOI DOI 10.x", "DOI [10.x, 10.y]", "DOI [DOI 10.x, ...]": take the first;
# the DOI ends before whitespace, "," or "]" and never on a full stop
_CR_DOI = re.compile(r"DOI (?:DOI )?\[?(?:DOI )?(10\.\d{4,9}/[^\s,\]]*[^\s,\].;])")
# ";" between funders, but not inside a grant list "[A; B]"
_FUNDER_SPLIT = re.compile(r";\s*(?![^\[]*\])")
_C1_SPLIT = re.compile(r";\s*(?=\[)")
_MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d\Z")
# PT, the publication type code of the export format itself (not a vocabulary)
_PT_KIND = {"J": Kind.ARTICLE, "B": Kind.BOOK, "S": Kind.BOOK, "C": Kind.CONFERENCE_PAPER, "P": Kind.PATENT}
# more specific kinds win when DT lists several ("Article; Proceedings Paper")
_KIND_ORDER = (Kind.CHAPTER, Kind.CONFERENCE_PAPER, Kind.REVIEW, Kind.BOOK, Kind.ARTICLE, Kind.PATENT, Kind.OTHER)


def split_list_cell(tag: str, value: str) -> list[str]:
    """Items of a tab-delimited LIST_TAGS cell; C1 keeps "[A; B] address" together."""
    if tag == "C1" and value.startswith("["):
        return _C1_SPLIT.split(value)
    return value.split("; ")


def _split(value: str | None, sep: str = ";") -> list[str]:
    if not value:
        return []
    return [p for p in map(str.strip, value.split(sep)) if p]


def build_record(f: Fields, source: str, raw: str, sep: str = "\n") -> Record:
    """Record for one WoS record given as :data:`Fields`; ``raw`` is stored as Record.raw.

    Values are stripped single-line strings, except LIST_TAGS: items ``sep`` apart (one
    per line; the plain-text reader passes its continuation lines as they are, "\\n   ").
    """
    get = f.get
    titles = _texts(get("TI"), get("Z1"))  # Z1/Z4: title/abstract in the original language (RSCI)
    abstracts = _texts(get("AB"), get("Z4"))
    year, date = _year_date(get("PY"), get("PD"), get("EA"))
    bp, ep = get("BP"), get("EP")
    venue = Venue(
        name=get("SO"),
        abbreviation=get("JI") or get("J9"),
        issn=[v for v in (get("SN"), get("EI")) if v],
        isbn=_split(get("BN")),
        publisher=get("PU"),
        volume=get("VL"),
        issue=get("IS"),
        pages=f"{bp}-{ep}" if bp and ep and bp != ep else bp,
    )
    doi = get("DI")
    pmid = unless_placeholder(get("PM"))
    ids = Identifiers(doi=normalize_doi(doi) if doi else None, wos=_wos_id(get("UT")), pmid=pmid)
    authors, affiliations = _authors(f, sep)
    cr = get("CR")
    funders = get("FU")
    if funders:
        funding = _split(funders) if "[" not in funders else _split_funders(funders)
    else:  # funding text only: keep it whole rather than guess the funders
        funding = [f["FX"]] if get("FX") else []
    unmapped = list(filterfalse(_MAPPED.__contains__, f))  # in C: the tags Record has no field for
    extra = dict(zip(unmapped, map(f.__getitem__, unmapped), strict=True))
    if "" in extra.values():
        extra = {tag: value for tag, value in extra.items() if value}
    for tag in LIST_TAGS.intersection(extra):  # CA, GP, BE, Z2: keep their items readable
        extra[tag] = extra[tag].replace(sep, "; ")
    if "AU" in f:  # book authors BA/BF are mapped only when there are no AU
        for tag in ("BA", "BF"):
            if get(tag):
                extra[tag] = f[tag].replace(sep, "; ")
    return Record(
        kind=_kind(get("DT"), get("PT")),
        titles=titles,
        abstracts=abstracts,
        language=_language(get("LA")),
        author_keywords=_split(get("DE")),
        indexed_keywords=_split(get("ID")),
        year=year,
        date=date,
        venue=venue,
        ids=ids,
        authors=authors,
        affiliations=affiliations,
        references=_references(cr, sep) if cr else [],
        citations=_citations(get("TC"), get("Z9"), get("DA")),
        rubrics=_rubrics(get("WC"), get("SC")),
        funding=funding,
        source=source,
        raw=raw,
        extra=extra,
    )


def _texts(main: str | None, original: str | None) -> list[Text]:
    texts = [Text(main, guess_lang(main))] if main else []
    if original:
        texts.append(Text(original, guess_lang(original)))
    return texts


def _citations(tc: str | None, z9: str | None, da: str | None) -> list[CitationCount]:
    date = da if da and _ISO_DAY.match(da) else None  # DA: the day the export was made
    out = []
    if tc and tc.isdecimal():
        out.append(CitationCount(int(tc), "wos", date))
    if z9 and z9.isdecimal():
        out.append(CitationCount(int(z9), "wos_all_databases", date))
    return out


def _rubrics(wc: str | None, sc: str | None) -> list[RubricAssignment]:
    """WoS categories (WC) and research areas (SC): the vendor's own subject classification."""
    out = []
    for scheme, value in (("wos_category", wc), ("wos_research_area", sc)):
        if value:  # positional: scheme, code, source, annotator
            codes = _codes(value)
            out += map(RubricAssignment, repeat(scheme, len(codes)), codes, repeat("foreign"), repeat("wos"))
    return out


@lru_cache(maxsize=4096)  # a journal's categories repeat in each of its records
def _codes(value: str) -> tuple[str, ...]:
    return tuple(_split(value))


def _split_funders(value: str) -> list[str]:
    return [p for p in map(str.strip, _FUNDER_SPLIT.split(value)) if p]


@lru_cache(maxsize=4096)
def _language(value: str | None) -> str | None:
    # "Russian; English": the first language is the document's
    return language_code(value.split(";", 1)[0]) if value else None


@lru_cache(maxsize=4096)
def _kind(dt: str | None, pt: str | None) -> Kind:
    if dt:
        found = {kind_for("wos", part) for part in dt.split(";")}
        for kind in _KIND_ORDER:
            if kind in found:
                return kind
    # DT missing or only modifiers ("Early Access"): fall back to the PT code
    return _PT_KIND.get(pt or "", Kind.OTHER)


def _wos_id(ut: str | None) -> str | None:
    """UT in the "WOS:" form; old exports print "ISI:..." or the bare number."""
    bare = unless_placeholder(ut.removeprefix("WOS:").removeprefix("ISI:")) if ut else None
    return "WOS:" + bare if bare else None


@lru_cache(maxsize=1 << 14)
def _year_date(py: str | None, pd: str | None, ea: str | None) -> tuple[int | None, str | None]:
    """Year and ISO date from PY + PD ("DEC 31", "JAN-FEB", "2026 FEB 25"), else early access EA."""
    year = parse_int(py) if py else None
    when = pd
    if year is None and ea:  # early-access records have no PY yet: "EA FEB 2026"
        when = ea
    if not when:
        return year, (str(year) if year else None)
    month = day = None
    for token in when.replace("-", " ").split():
        if token.isdecimal():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None and 1 <= int(token) <= 31:
                day = int(token)
        elif month is None:
            month = _MONTHS.get(token[:3].upper())
    if year is None:
        return None, None
    if month is None:
        return year, str(year)
    if day is None:
        return year, f"{year:04d}-{month:02d}"
    return year, f"{year:04d}-{month:02d}-{day:02d}"


def _authors(f: Fields, sep: str) -> tuple[list[Author], list[Affiliation]]:
    short = f.get("AU") or f.get("BA")
    full = f.get("AF") or f.get("BF")
    names = (full or short or "").split(sep)
    if full and short and full.count(sep) != short.count(sep):
        names = short.split(sep)  # AF does not line up with AU: trust AU
    names = list(filter(None, map(str.strip, names)))
    authors = list(map(Author, names, map(person_key, names)))  # positional: name, normalized
    affiliations: list[Affiliation] = []
    c1 = f.get("C1")
    if c1:
        affiliations = _link_addresses(c1.split(sep), authors)
    if "OI" in f or "RI" in f:
        _link_person_ids(f, authors)
    return authors, affiliations


def _address(line: str) -> str:
    # WoS ends every address with "."; the regions stage wants the bare "..., Russia"
    return line.strip().rstrip(".").rstrip()


def _link_addresses(lines: list[str], authors: list[Author]) -> list[Affiliation]:
    """Affiliations from C1 lines, and each author's indexes into them.

    "[Ivanov, Ivan; Petrov, Petr] Address" names its authors (as in AF); an address
    without brackets (older exports) applies to every author.
    """
    affiliations: list[Affiliation] = []
    index: dict[str, int] = {}
    by_name: dict[str, Author] | None = None
    for line in lines:
        names = None
        if line.startswith("["):
            close = line.find("]")
            if close > 0:
                names, line = line[1:close].split(";"), line[close + 1 :]
        raw = _address(line)
        if not raw:
            continue
        i = index.get(raw)
        if i is None:
            i = index[raw] = len(affiliations)
            affiliations.append(Affiliation(raw=raw))
        if names is None:
            targets = authors
        else:
            if by_name is None:
                by_name = {}
                for a in authors:
                    by_name.setdefault(a.name, a)
                    by_name.setdefault(a.normalized or a.name, a)
            get = by_name.get
            targets = [a for n in map(str.strip, names) if (a := get(n) or get(person_key(n))) is not None]
        for a in targets:
            if i not in a.affiliations:
                a.affiliations.append(i)
    return affiliations


def _link_person_ids(f: Fields, authors: list[Author]) -> None:
    """ORCID (OI) and ResearcherID (RI) given as "Surname, Given/ID; ..." onto matching authors."""
    # Surname + first initial: AU gives "Powell, WW" where RI gives "Powell, Walter".
    keys: dict[str, list[Author]] = {}
    for a in authors:
        keys.setdefault((a.normalized or a.name).split(".")[0], []).append(a)
    for tag in ("OI", "RI"):
        for part in (f.get(tag) or "").split(";"):
            name, sep, ident = part.rpartition("/")
            if not sep or not name.strip():
                continue
            found = keys.get(person_key(name.strip()).split(".")[0])
            if not found or len(found) > 1:  # unknown or ambiguous name: do not guess
                continue
            if tag == "OI":
                orcid = normalize_orcid(ident)
                if orcid and not found[0].orcid:
                    found[0].orcid = orcid
            elif ident.strip():
                found[0].ids.setdefault("researcherid", ident.strip())


def _references(value: str, sep: str = "\n") -> list[Reference]:
    """Cited references (``sep`` apart) with the DOI WoS appends to many of them."""
    lines = value.split(sep)
    if "" in lines:  # an empty continuation line is no reference
        lines = [line for line in lines if line]
    # map() runs the regex over all lines and makes the structs in C; Python touches only
    # the lines with a DOI.  The DOI pattern fixes the shape, so lower-casing is all
    # normalize_doi would add.
    found = list(map(_CR_DOI.search, lines))
    refs = list(map(Reference, lines))
    for i in compress(range(len(lines)), found):
        refs[i].doi = found[i].group(1).lower()
    return refs
