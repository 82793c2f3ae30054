"""Small helpers several readers need on their hot path (not a reader: no READERS here)."""

from __future__ import annotations

import re
from functools import lru_cache

from bibmine.record import normalize_person

# Authors recur across the records of one corpus (and within it, in C1/OI/RI), so a
# cache pays off; normalize_person costs 2-3 us per call.
person_key = lru_cache(maxsize=1 << 16)(normalize_person)

_LATIN = re.compile(r"[A-Za-z]")
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def text_lang(text: str | None) -> str | None:
    """:func:`bibmine.record.guess_lang` of ``text`` (same answer), computed faster for long texts.

    guess_lang counts Cyrillic characters and Latin letters in the text's UTF-8 bytes (four
    ``bytes.count`` passes and a deletion): on a realistic RIS file, with a Russian abstract of
    up to 2,500 characters in each record, a quarter of the parse.  Here Cyrillic characters
    (U+0400-U+04FF) are the UTF-16 code units whose high byte is 04, deleted in one pass from
    the high bytes; at least half of the text Cyrillic -> 'ru' at once (Latin letters are
    ASCII, at most len(text) - Cyrillic of them); no Cyrillic -> the first Latin letter
    decides; only mixed texts count their Latin letters (in the Latin-1 bytes).

    >>> text_lang("Почвы Воронежа (Voronezh)"), text_lang("Café"), text_lang("1999 – 2000"), text_lang(None)
    ('ru', 'en', None, None)
    """
    if not text:
        return None
    if text.isascii():
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
