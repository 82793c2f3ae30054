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
    """:func:`bibmine.record.guess_lang` of ``text`` (same answer), with two shortcuts for long texts.

    guess_lang counts Cyrillic characters (UTF-8 lead bytes D0-D3) and Latin letters (by
    deleting them from the UTF-8 bytes, a copy).  On a 2,500-character Russian abstract the
    deletion was most of a RIS record's parse time, so: no Cyrillic -> Latin letters decide
    alone (one regex step finds the first); Cyrillic for at least half of the characters ->
    'ru' without counting Latin letters, since they are ASCII characters, at most
    len(text) - cyrillic of them.  Only mixed texts pay for the full count.

    >>> text_lang("Почвы Воронежа (Voronezh)"), text_lang("Café"), text_lang("1999 – 2000"), text_lang(None)
    ('ru', 'en', None, None)
    """
    if not text:
        return None
    if text.isascii():
        return "en" if _LATIN.search(text) else None
    data = text.encode("utf-8", "surrogatepass")
    cyr = data.count(0xD0) + data.count(0xD1) + data.count(0xD2) + data.count(0xD3)
    if cyr == 0:
        return "en" if _LATIN.search(text) else None
    if 2 * cyr >= len(text):
        return "ru"
    lat = len(data) - len(data.translate(None, _LATIN_BYTES))
    return "ru" if cyr >= lat else "en"
