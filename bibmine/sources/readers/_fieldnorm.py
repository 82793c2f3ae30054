"""Field clean-up shared by the bibliographic file readers (RIS, BibTeX, CSV exports, MEDLINE).

Small, pure functions: whitespace, languages, document kinds, ISSN/ISBN, dates, pages,
cited-reference strings.  Vocabularies live in ``vocabularies.toml`` beside this module.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

from bibmine.placeholders import PLACEHOLDERS
from bibmine.record import (
    Author,
    Kind,
    Reference,
    Text,
    guess_lang,
    normalize_doi,
    normalize_person,
)
from bibmine.sources.readers._textio import open_text  # noqa: F401  (readers import it from here)
from bibmine.sources.textutil import is_placeholder

_WS = re.compile(r"\s+")
# casefolding never shortens a string: a cleaned value longer than every placeholder is none
_LONGEST_PLACEHOLDER = max(map(len, PLACEHOLDERS))


def _short_placeholder(text: str) -> bool:
    """:func:`is_placeholder` for a cleaned (stripped) value, skipping long values cheaply."""
    return len(text) <= _LONGEST_PLACEHOLDER and is_placeholder(text)


def clean(value: object) -> str | None:
    """Text with runs of whitespace collapsed to one space; None when empty.

    >>> clean("  Estimation of\\n   missing  judgments ")
    'Estimation of missing judgments'
    >>> clean("   ") is None
    True
    """
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    # most values have no inner whitespace runs; skip the regex for them (RIS hot path)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        text = _WS.sub(" ", text)
    return text.strip() or None


def dedupe(values: Iterable[str | None]) -> list[str]:
    """Non-empty values in first-seen order, exact duplicates dropped."""
    return [v for v in dict.fromkeys(values) if v]


def texts(values: Iterable[str | None], lang: str | None = None) -> list[Text]:
    """Titles or abstracts as :class:`Text`, language given or guessed from the script.

    :func:`guess_lang` only tells Cyrillic from Latin, so when two texts of one record
    get the same guess (an English and a Portuguese title) the later ones get None
    rather than a language that is likely wrong.

    >>> [t.lang for t in texts(["Почвы Воронежа", "Soils of Voronezh", "Solos de Voronej"])]
    ['ru', 'en', None]
    """
    if type(values) in (list, tuple) and len(values) == 1:  # one title or abstract: nothing to dedupe
        text = clean(values[0])
        if not text or _short_placeholder(text):
            return []
        return [Text(text, lang or guess_lang(text))]
    out: list[Text] = []
    seen: list[str | None] = []
    for v in dedupe([c for v in values if (c := clean(v)) and not _short_placeholder(c)]):
        guess = lang or guess_lang(v)
        out.append(Text(v, None if guess in seen and not lang else guess))
        seen.append(guess)
    return out




def make_author(name: str, orcid: str | None = None, given_first: bool = False) -> Author | None:
    """An :class:`Author` with its comparison form, or None for an empty name.

    ``given_first``: the source always writes "Given Surname" (Lens, OpenAlex display
    names), so the last word is the surname even for Cyrillic names or short surnames,
    which :func:`normalize_person` would otherwise read as "Surname Given" / initials.

    >>> make_author("Иван Иванович Иванов", given_first=True).normalized
    'иванов и.и.'
    >>> make_author("Uchenna Ani", given_first=True).normalized
    'ani u.'
    """
    found = _author_name(name if isinstance(name, str) else "" if name is None else str(name), given_first)
    return None if found is None else Author(found[0], found[1], orcid)


@lru_cache(maxsize=1 << 16)  # names recur across the records of an export (and in the benchmark's copies)
def _author_name(name: str, given_first: bool) -> tuple[str, str | None] | None:
    """(cleaned name, comparison form) for :func:`make_author`, None for an empty name or a placeholder."""
    name = clean(name) or ""
    if not name or _short_placeholder(name):  # "[No author name available]", "[Anonymous]", "NA" ...
        return None
    key = name
    if given_first and "," not in name and " " in name:
        given, _, surname = name.rpartition(" ")
        key = f"{surname}, {given}"
    return name, _person_key(key) or None


# Names recur across the records of one export; normalize_person costs a few us a call
_person_key = lru_cache(maxsize=1 << 16)(normalize_person)


# ---------------------------------------------------------------- vocabularies


@cache
def _vocabularies() -> dict:
    with open(Path(__file__).with_name("vocabularies.toml"), "rb") as fh:
        return tomllib.load(fh)


def _key(value: str) -> str:
    return _WS.sub(" ", value).strip().lower()


@lru_cache(maxsize=4096)  # labels repeat in every record of an export
def kind_for(vocabulary: str, value: str | None) -> Kind | None:
    """The :class:`Kind` a source's document-type label means, None when unknown.

    >>> kind_for("scopus", "Conference Paper"), kind_for("ris", "Journal Article")
    (<Kind.CONFERENCE_PAPER: 'conference_paper'>, <Kind.ARTICLE: 'article'>)
    >>> kind_for("ris", "XYZ") is None
    True
    """
    if not value:
        return None
    found = _vocabularies()["kind"].get(vocabulary, {}).get(_key(value))
    return Kind(found) if found else None


@lru_cache(maxsize=1024)
def language_code(value: str | None) -> str | None:
    """ISO 639-1 code for a language name or code ('English', 'rus', 'ru'), else None.

    >>> language_code("English"), language_code("rus"), language_code("RU"), language_code("Klingon")
    ('en', 'ru', 'ru', None)
    """
    if not value:
        return None
    key = _key(value)
    found = _vocabularies()["language"].get(key)
    if found:
        return found
    return key if len(key) == 2 and key.isascii() and key.isalpha() else None


# ---------------------------------------------------------------- serial numbers

_ISSN = re.compile(r"^(\d{4})-?(\d{3}[\dXx])$")
_SERIAL_SPLIT = re.compile(r"[;,]\s*|\s+(?=\d{4}-?\d{3}[\dXx]\b)")


def normalize_issn(value: str | None) -> str | None:
    """ISSN as NNNN-NNNC, or None when the value is not ISSN-shaped.

    >>> normalize_issn("20964129"), normalize_issn("0073-4721"), normalize_issn("123") is None
    ('2096-4129', '0073-4721', True)
    """
    if not value:
        return None
    m = _ISSN.match(value.strip())
    return f"{m.group(1)}-{m.group(2).upper()}" if m else None


_ISBN_SEP = re.compile(r"[\s-]")
_ISBN = re.compile(r"\d{9}[\dX]|\d{13}")


def normalize_isbn(value: str | None) -> str | None:
    """ISBN-10/13 as bare digits (and a final X), or None when not ISBN-shaped."""
    if not value:
        return None
    digits = _ISBN_SEP.sub("", value.strip()).upper()
    if _ISBN.fullmatch(digits):
        return digits
    return None


def serial_numbers(values: Iterable[str | None]) -> tuple[list[str], list[str]]:
    """Split SN-like cells into (ISSNs, ISBNs); Scopus marks them "(ISSN)" / "(ISBN)".

    >>> serial_numbers(["20964129 (ISSN)", "978-0-12-802749-3 (ISBN); 1751-1577"])
    (['2096-4129', '1751-1577'], ['9780128027493'])
    """
    issns: list[str] = []
    isbns: list[str] = []
    for value in values:
        if not value:
            continue
        found_issns, found_isbns = _serials_of(value)
        issns += found_issns
        isbns += found_isbns
    if len(issns) > 1 or len(isbns) > 1:
        issns, isbns = dedupe(issns), dedupe(isbns)
    return issns, isbns


_SERIAL_NOTE = re.compile(r"\((?:e?issn|isbn|print|electronic|online|linking)\)", re.IGNORECASE)


@lru_cache(maxsize=1 << 14)  # a journal's ISSN cell repeats in every one of its records
def _serials_of(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    issns: list[str] = []
    isbns: list[str] = []
    for part in _SERIAL_SPLIT.split(value):
        part = _SERIAL_NOTE.sub("", part).strip()
        if issn := normalize_issn(part):
            issns.append(issn)
        elif isbn := normalize_isbn(part):
            isbns.append(isbn)
    return tuple(issns), tuple(isbns)


# ---------------------------------------------------------------- dates and pages

_MONTH_NAMES = "january february march april may june july august september october november december"
# "jan", "sept", "january": the first three letters, "sept", and the full name
_MONTHS = {n: i for i, name in enumerate(_MONTH_NAMES.split(), 1) for n in (name[:3], name)} | {"sept": 9}
# RIS dates may carry a trailing "/other info" part; ISO ones a time
_ISO_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:/.*|T\d.*|\s+\d{1,2}:\d\d.*)?$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_WORDS = re.compile(r"[A-Za-z]+|\d+")


@lru_cache(maxsize=1 << 14)  # dates repeat across records (years, issue dates)
def parse_date(value: str | None, year: int | None = None) -> str | None:
    """ISO date as precise as the value says: '2021', '2021-05' or '2021-05-17'.

    Reads ISO and RIS forms ('2009/05/12/'), Russian '17.05.2021', MEDLINE/WoS month
    words ('2016 Jan 15', 'JUL 15' with ``year`` given) and '08 July 2023'.

    >>> parse_date("2009/05/12/"), parse_date("2016 Jan 15"), parse_date("JUL 15", 2010)
    ('2009-05-12', '2016-01-15', '2010-07-15')
    >>> parse_date("08 July 2023"), parse_date("2015 Sep-Oct"), parse_date("n.d.")
    ('2023-07-08', '2015-09', None)
    """
    value = (value or "").strip()
    if not value:
        return None
    if m := _ISO_DATE.match(value):
        return _iso(int(m.group(1)), m.group(2), m.group(3))
    if m := _DMY.match(value):
        return _iso(int(m.group(3)), m.group(2), m.group(1))
    y = year
    month = day = None
    for tok in _WORDS.findall(value):
        low = tok.lower()
        if low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif tok.isdigit() and len(tok) == 4 and y in (None, year):
            y = int(tok)
        elif tok.isdigit() and len(tok) <= 2 and day is None and month is not None:
            day = int(tok)
        elif tok.isdigit() and len(tok) <= 2 and day is None and month is None:
            day = int(tok)  # "08 July 2023": the day comes first
    if y is None or not 1500 <= y <= 2100:
        return None
    return _iso(y, month, day if month else None)


def _iso(year: int, month: object, day: object) -> str | None:
    if not 1500 <= year <= 2100:
        return None
    try:
        m = int(month) if month else 0  # type: ignore[arg-type]
        d = int(day) if day else 0  # type: ignore[arg-type]
    except ValueError:
        return str(year)
    if not 1 <= m <= 12:
        return str(year)
    if not 1 <= d <= 31:
        return f"{year:04d}-{m:02d}"
    return f"{year:04d}-{m:02d}-{d:02d}"


_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def page_range(start: str | None, end: str | None = None) -> str | None:
    """'first-last' from a start/end pair or one range cell; en-dashes become '-'.

    MEDLINE abbreviates the last page ('466-75'); it is expanded to '466-475'.

    >>> page_range("79 \u2013 88"), page_range("52", "57"), page_range("466-75"), page_range("e0268950")
    ('79-88', '52-57', '466-475', 'e0268950')
    """
    start = clean(start)
    end = clean(end)
    if start and not end and _DASHES.search(start):
        start, _, end = _DASHES.sub("-", start).partition("-")
        start, end = start or None, end or None
    if not start:
        return None
    if not end or end == start:
        return start
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{start}-{end}"


def copy_fields(get: Callable[[str], str | None], fields: Iterable[tuple[str, str]], into: dict[str, str]) -> None:
    """``into[key] = get(field)`` for each ``(key, field)`` whose value is there (a record's ``extra``).

    >>> extra = {}
    >>> copy_fields({"coden": "ABC"}.get, [("coden", "coden"), ("stage", "publication_stage")], extra)
    >>> extra
    {'coden': 'ABC'}
    """
    for key, field in fields:
        if value := get(field):
            into[key] = value


# ---------------------------------------------------------------- references, ids, counts

_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s,;\]\"<>]+)")


def doi_in_text(text: str | None) -> str | None:
    """First DOI found anywhere in a free-text string, normalised.

    >>> doi_in_text("Cao D, 2008, DECIS SUPPORT SYST, V44, P944, DOI 10.1016/j.dss.2007.11.002.")
    '10.1016/j.dss.2007.11.002'
    """
    if not text or "10." not in text:
        return None
    m = _DOI_IN_TEXT.search(text)
    return normalize_doi(m.group(1)) if m else None


def reference(raw: str | None) -> Reference | None:
    """A cited reference from its printed string, with the DOI pulled out when present."""
    raw = (clean(raw) or "").rstrip(";").strip()  # "a; b;" lists leave a ';' on the last one
    if not raw:
        return None
    return Reference(raw=raw, doi=doi_in_text(raw))


_EID = re.compile(r"[?&]eid=(2-s2\.0-\d+)")


_ELIBRARY_ITEM = re.compile(r"elibrary\.ru/item\.asp\?(?:[^#\s]*&)?id=(\d+)", re.IGNORECASE)


def elibrary_id(url: str | None) -> str | None:
    """The eLIBRARY item id from an ``item.asp?id=`` link (as eLIBRARY and Zotero exports carry), else None.

    >>> elibrary_id("https://elibrary.ru/item.asp?id=90000001"), elibrary_id("https://doi.org/10.1/x")
    ('90000001', None)
    """
    m = _ELIBRARY_ITEM.search(url or "")
    return m.group(1) if m else None


def scopus_eid(url: str | None) -> str | None:
    """The Scopus EID from a scopus.com record link, else None.

    >>> scopus_eid("https://www.scopus.com/inward/record.uri?eid=2-s2.0-85079532227&doi=10.1080")
    '2-s2.0-85079532227'
    """
    if not url or "eid=" not in url:
        return None
    m = _EID.search(url)
    return m.group(1) if m else None


_CITED_BY = re.compile(r"^\s*cited\s+by\s*:?\s*(\d+)\s*$", re.IGNORECASE)


def cited_by(note: str | None) -> int | None:
    """The count in a Scopus "Cited By :8" / "Cited by: 52" / "cited By 0" note, else None.

    >>> cited_by("Cited By :8"), cited_by("cited By 0"), cited_by("Export Date: 11 January 2020")
    (8, 0, None)
    """
    if not note:
        return None
    m = _CITED_BY.match(note)
    return int(m.group(1)) if m else None
