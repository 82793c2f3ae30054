"""Small helpers several readers need on their hot path (not a reader: no READERS here)."""

from __future__ import annotations

import re
from functools import lru_cache

from bibmine.corpus.model import guess_lang, normalize_person

_LATIN = re.compile(r"[A-Za-z]")


def text_lang(text: str | None) -> str | None:
    """Same answer as :func:`bibmine.corpus.model.guess_lang`, faster for ASCII text.

    guess_lang walks the text in Python (about 10 us for a title); most vendor titles
    are ASCII, where the answer is simply "en" if there is a Latin letter.

    >>> text_lang("Soil maps"), text_lang("Почвы Воронежа"), text_lang("2021")
    ('en', 'ru', None)
    """
    if not text:
        return None
    if text.isascii():
        return "en" if _LATIN.search(text) else None
    return guess_lang(text)


# Authors recur across the records of one corpus (and within it, in C1/OI/RI), so a
# cache pays off; normalize_person costs 2-3 us per call.
person_key = lru_cache(maxsize=1 << 16)(normalize_person)
