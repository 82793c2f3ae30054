"""The one record type that flows through every stage of bibmine.

A :class:`Record` describes a publication or a patent-like document as one source
reported it (a *source record*) or as the corpus shows it after merging several
sources (a *work*).  Records are plain ``msgspec`` structs so they encode to and
from JSON quickly; every field is optional except ``kind`` so that partial
sources (a bare DOI list, a patent abstract) still fit.

A leaf module: it imports no stage of bibmine, and both the file readers (``bibmine.sources``) and the
corpus (``bibmine.corpus``, which still exports these names) import it, so neither imports the other
for the model.

>>> r = Record(kind=Kind.ARTICLE, titles=[Text("Почвы Воронежа", "ru")], year=2021)
>>> r.title
'Почвы Воронежа'
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata

import msgspec

from bibmine.placeholders import is_placeholder

__all__ = ["Kind", "Text", "Affiliation", "Author", "Venue", "PatentNumber", "ID_SCHEMES", "Identifiers",
           "Reference", "CitationCount", "RubricAssignment", "Record", "Reject", "normalize_doi",
           "normalize_orcid", "fold", "title_key", "surname_key", "is_initials_only", "normalize_person",
           "display_name", "guess_lang", "to_json", "from_json"]


class Kind(enum.StrEnum):
    """Document kinds, publications and patent-office registrations alike."""

    ARTICLE = "article"
    CONFERENCE_PAPER = "conference_paper"
    BOOK = "book"
    CHAPTER = "chapter"
    THESIS = "thesis"
    PREPRINT = "preprint"
    REVIEW = "review"
    PATENT = "patent"  # patent for invention
    UTILITY_MODEL = "utility_model"
    SOFTWARE = "software_registration"
    DATABASE = "database_registration"
    OTHER = "other"

    @property
    def is_patent_like(self) -> bool:
        return self in (Kind.PATENT, Kind.UTILITY_MODEL, Kind.SOFTWARE, Kind.DATABASE)


class Text(msgspec.Struct, array_like=False, omit_defaults=True):
    """A title or abstract with its language (ISO 639-1, or None if unknown)."""

    text: str
    lang: str | None = None


class Affiliation(msgspec.Struct, omit_defaults=True):
    """An affiliation as printed, and where the regions stage placed it."""

    raw: str
    organization: str | None = None
    city: str | None = None
    region: str | None = None  # ISO 3166-2 code, e.g. RU-VOR
    country: str | None = None  # ISO 3166-1 alpha-2


class Author(msgspec.Struct, omit_defaults=True):
    """An author in byline order.

    ``affiliations`` holds indexes into :attr:`Record.affiliations`.
    """

    name: str
    normalized: str | None = None
    orcid: str | None = None
    affiliations: list[int] = msgspec.field(default_factory=list)
    ids: dict[str, str] = msgspec.field(default_factory=dict)  # e.g. scopus author id

    @property
    def display(self) -> str:
        """The name in bibmine's one printed form (``Gupta, N.``); :attr:`name` keeps it as the source gave it."""
        return display_name(self.name) or self.name


class Venue(msgspec.Struct, omit_defaults=True):
    name: str | None = None
    abbreviation: str | None = None
    issn: list[str] = msgspec.field(default_factory=list)
    isbn: list[str] = msgspec.field(default_factory=list)
    publisher: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    rsci_core: bool | None = None


class PatentNumber(msgspec.Struct, omit_defaults=True):
    office: str  # e.g. RU, EP, WO
    number: str
    kind_code: str | None = None  # e.g. C1, U1, A1


ID_SCHEMES = ("doi", "openalex", "wos", "scopus", "elibrary", "pmid", "lens")


class Identifiers(msgspec.Struct, omit_defaults=True):
    doi: str | None = None
    openalex: str | None = None
    wos: str | None = None  # WoS UT, e.g. WOS:000123456700001
    scopus: str | None = None  # Scopus EID, e.g. 2-s2.0-85012345678
    elibrary: str | None = None
    pmid: str | None = None
    lens: str | None = None
    patent: PatentNumber | None = None

    def pairs(self) -> list[tuple[str, str]]:
        """(scheme, value) pairs of every identifier that is set, for exact matching.

        Placeholders (``NA``, ``0``, ``-``...) are missing values, never identifiers.

        >>> Identifiers(doi="10.1/x", pmid="NA").pairs()
        [('doi', '10.1/x')]
        """
        out = []
        for scheme in ID_SCHEMES:
            value = getattr(self, scheme)
            if value and not is_placeholder(value):
                out.append((scheme, value))
        if self.patent is not None and not is_placeholder(self.patent.number):
            kind = self.patent.kind_code or ""
            out.append(("patent", f"{self.patent.office}{self.patent.number}{kind}"))
        return out


class Reference(msgspec.Struct, omit_defaults=True):
    raw: str | None = None
    doi: str | None = None
    resolved: str | None = None  # an identifier of the cited work, e.g. an OpenAlex id


class CitationCount(msgspec.Struct, omit_defaults=True):
    count: int
    source: str  # e.g. wos, scopus, openalex, crossref
    date: str | None = None  # ISO date the count was taken, when known


class RubricAssignment(msgspec.Struct, omit_defaults=True):
    scheme: str  # grnti, wos_category, openalex_topic, asjc, ipc, ...
    code: str
    source: str = "manual"  # manual | automatic | foreign (a vendor's own classification)
    annotator: str | None = None  # person, vendor or model id
    score: float | None = None
    label: str | None = None


class Record(msgspec.Struct, omit_defaults=True, kw_only=True):
    """One publication or patent; see the module docstring."""

    kind: Kind = Kind.OTHER
    id: str | None = None  # stable internal id, assigned by the store
    titles: list[Text] = msgspec.field(default_factory=list)
    abstracts: list[Text] = msgspec.field(default_factory=list)
    language: str | None = None  # language of the document body
    author_keywords: list[str] = msgspec.field(default_factory=list)
    indexed_keywords: list[str] = msgspec.field(default_factory=list)
    year: int | None = None
    date: str | None = None  # ISO 8601, as precise as known (2021, 2021-05, 2021-05-17)
    venue: Venue = msgspec.field(default_factory=Venue)
    ids: Identifiers = msgspec.field(default_factory=Identifiers)
    authors: list[Author] = msgspec.field(default_factory=list)
    affiliations: list[Affiliation] = msgspec.field(default_factory=list)
    references: list[Reference] = msgspec.field(default_factory=list)
    citations: list[CitationCount] = msgspec.field(default_factory=list)
    rubrics: list[RubricAssignment] = msgspec.field(default_factory=list)
    funding: list[str] = msgspec.field(default_factory=list)
    url: str | None = None
    source: str | None = None  # reader that produced it, e.g. wos_plaintext
    raw: str | None = None  # the source record exactly as read
    extra: dict[str, str] = msgspec.field(default_factory=dict)

    @property
    def title(self) -> str | None:
        """The first title (the one the source printed first)."""
        return self.titles[0].text if self.titles else None

    def title_in(self, lang: str) -> str | None:
        for t in self.titles:
            if t.lang == lang:
                return t.text
        return None

    @property
    def abstract(self) -> str | None:
        return self.abstracts[0].text if self.abstracts else None

    @property
    def first_author_surname(self) -> str | None:
        """Folded surname of the first author; None when there is none or it is a placeholder."""
        if not self.authors:
            return None
        return surname_key(self.authors[0].name)


class Reject(msgspec.Struct, kw_only=True):
    """A record a reader could not accept; it goes to quarantine, never lost."""

    location: str  # "line 120", "row 7", "offset 5321", "entry 3"
    reason: str
    raw: str | None = None


# ---------------------------------------------------------------- normalizers

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalize_doi(value: str | None) -> str | None:
    """Lower-case bare DOI, or None when the value is not a DOI.

    >>> normalize_doi("https://doi.org/10.1016/J.RESPOL.2020.104123 ")
    '10.1016/j.respol.2020.104123'
    >>> normalize_doi("not a doi") is None
    True
    """
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".;,")
    doi = doi.lower()
    return doi if _DOI_SHAPE.match(doi) else None


def normalize_orcid(value: str | None) -> str | None:
    """Bare ORCID iD (0000-0002-1825-0097) from any common spelling, else None."""
    if not value:
        return None
    m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])", value)
    return m.group(1).upper() if m else None


def fold(text: str) -> str:
    """Lower-case and strip Latin diacritics; Cyrillic keeps й, only ё becomes е.

    >>> fold("Voronež Йошкар-Ола Ёлки")
    'voronez йошкар-ола елки'
    """
    text = text.lower().replace("ё", "е")
    if text.isascii():
        return text
    # only characters outside ASCII and Cyrillic change: one regex pass finds their runs
    return _TO_FOLD.sub(_fold_run, text)


_TO_FOLD = re.compile("[^\x00-\x7f\u0400-\u04ff]+")


def _fold_run(m: re.Match) -> str:
    return "".join(_fold_char(c) for c in m.group())


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c.isascii() or "\u0400" <= c <= "\u04ff":
        return c
    return "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"<[^>]{1,20}>")


def title_key(title: str | None) -> str:
    """Comparable form of a title: folded, punctuation and markup removed.

    >>> title_key("The <i>Voronezh</i> Region: A Case-Study!")
    'the voronezh region a case study'
    """
    if not title or is_placeholder(title):
        return ""
    if "<" in title:
        title = _MARKUP.sub(" ", title)
    return " ".join(_WORD.findall(fold(title)))  # the runs of word characters: what is left between the rest


_INITIALS = re.compile(r"^(?:[^\W\d_]\.?[\s-]*){1,3}$", re.UNICODE)


def surname_key(name: str | None) -> str | None:
    """Folded surname of a personal name in any of the usual orders.

    >>> surname_key("Иванов, И. И.")
    'иванов'
    >>> surname_key("I.I. Ivanov")
    'ivanov'
    >>> surname_key("Smith J")
    'smith'
    """
    if not name or is_placeholder(name):
        return None
    name = name.strip()
    if "," in name:
        part = name.split(",", 1)[0]
    else:
        tokens = name.replace(".", ". ").split()
        if not tokens:
            return None
        # "Smith J" / "Smith JA": the surname comes first, initials follow
        if len(tokens) > 1 and _INITIALS.match(" ".join(tokens[1:])) and not _INITIALS.match(tokens[0]):
            part = tokens[0]
        else:
            part = tokens[-1]
    key = _NON_WORD.sub("", fold(part))
    return key or None


def is_initials_only(name: str) -> bool:
    """True when the given names of a personal name are only initials ("Ivanov, I.I.")."""
    if "," in name:
        given = name.split(",", 1)[1]
    else:
        tokens = name.replace(".", ". ").split()
        given = " ".join(tokens[1:]) if len(tokens) > 1 else ""
    given = given.strip()
    return not given or bool(_INITIALS.match(given))


def _split_person(name: str) -> tuple[str, list[str]]:
    """(surname, given-name parts) of a personal name in any of the usual orders."""
    name = " ".join(name.split())
    if "," in name:
        surname, given = name.split(",", 1)
    else:
        tokens = name.replace(".", ". ").split()
        if len(tokens) > 1 and _INITIALS.match(" ".join(tokens[1:])) and not _INITIALS.match(tokens[0]):
            surname, given = tokens[0], " ".join(tokens[1:])
        elif len(tokens) > 1 and _looks_cyrillic(name) and not _INITIALS.match(tokens[0]):
            # Russian order: Фамилия Имя Отчество
            surname, given = tokens[0], " ".join(tokens[1:])
        else:
            surname, given = (tokens[-1] if tokens else ""), " ".join(tokens[:-1])
    return surname.strip(), [p for p in re.split(r"[\s.\-]+", given.strip()) if p]


def normalize_person(name: str) -> str:
    """Canonical 'surname, initials' form used to compare author names across sources.

    >>> normalize_person("Иванов Иван Иванович")
    'иванов и.и.'
    >>> normalize_person("Ivanov, I. I.")
    'ivanov i.i.'
    >>> normalize_person("Zhao, ZQ"), normalize_person("Zhao, Zhi-Qiang")
    ('zhao z.q.', 'zhao z.q.')
    """
    surname, given = _split_person(name)
    initials = "".join(_initials_of(p) for p in given)
    out = _NON_WORD.sub("", fold(surname))
    return f"{out} {fold(initials)}".strip()


def display_name(name: str) -> str | None:
    """One printed form of a personal name, whatever the source's order: ``Surname, I.I.``.

    WoS ("GUPTA, N"), Scopus ("Gupta N."), OpenAlex ("N. Gupta") and Russian sources
    ("Иванов Иван Иванович") print one author differently; shown side by side they look
    like different people.  None for a placeholder ("[Anonymous]").

    >>> display_name("Gupta, N."), display_name("N. Gupta"), display_name("Gupta N"), display_name("GUPTA, N")
    ('Gupta, N.', 'Gupta, N.', 'Gupta, N.', 'Gupta, N.')
    >>> display_name("Иванов Иван Иванович"), display_name("Zhao, Zhi-Qiang"), display_name("[Anonymous]")
    ('Иванов, И.И.', 'Zhao, Z.Q.', None)
    """
    if is_placeholder(name):
        return None
    surname, given = _split_person(name)
    if not surname:
        return name.strip() or None
    if surname.isupper() and len(surname) > 1:
        surname = "-".join(part.capitalize() for part in surname.split("-"))
    initials = "".join(_initials_of(p).upper() for p in given)
    return f"{surname}, {initials}" if initials else surname


def _initials_of(part: str) -> str:
    # "ZQ" (WoS AU style) is two initials; "Zhao" or "Ivan" is one name.
    if part.isupper() and len(part) <= 3:
        return "".join(c + "." for c in part)
    return part[0] + "."


def _looks_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def guess_lang(text: str | None) -> str | None:
    """'ru' when Cyrillic letters dominate, 'en' for Latin, None when there are no letters.

    A cheap script test, not a language identifier: good enough to tell the Russian
    and English titles of a bilingual record apart.  Counted in C: Cyrillic characters
    (U+0400-U+04FF) are the UTF-16 code units whose high byte is 04, deleted in one pass from
    the high bytes; at least half of the text Cyrillic -> 'ru' at once (Latin letters are
    ASCII, at most len(text) - Cyrillic of them: a long Russian abstract needs no more); no
    Cyrillic -> the first Latin letter decides; only mixed texts count their Latin letters
    (in the Latin-1 bytes).

    >>> guess_lang("Почвы Воронежа (Voronezh)"), guess_lang("Soil"), guess_lang("1999"), guess_lang("")
    ('ru', 'en', None, None)
    >>> guess_lang("Café"), guess_lang("1999 – 2000")
    ('en', None)
    """
    if not text:
        return None
    if text.isascii():  # most vendor titles: one regex step finds a letter
        return "en" if _LATIN.search(text) else None
    high = text.encode("utf-16-be", "surrogatepass")[::2]  # surrogates (D8-DF) are never 04
    cyr = len(high) - len(high.translate(None, b"\x04"))
    if cyr == 0:
        return "en" if _LATIN.search(text) else None
    if 2 * cyr >= len(text):
        return "ru"
    latin1 = text.encode("latin-1", "ignore")  # ASCII letters keep their bytes
    lat = len(latin1) - len(latin1.translate(None, _LATIN_BYTES))
    return "ru" if cyr >= lat else "en"


_LATIN = re.compile(r"[A-Za-z]")
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def to_json(record: Record) -> bytes:
    return _ENCODER.encode(record)


def from_json(data: bytes | str) -> Record:
    return _DECODER.decode(data)


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Record)
