"""The text a classifier sees for a record: titles (ru and en), abstract, keywords, venue.

>>> from bibmine.corpus.model import Record, Text, Venue
>>> r = Record(titles=[Text("Почвы Воронежа", "ru"), Text("Soils of Voronezh", "en")],
...            abstracts=[Text("<p>Изучены  чернозёмы.</p>", "ru")],
...            author_keywords=["чернозём", "почва"], venue=Venue(name="Почвоведение"))
>>> record_text(r)
'Почвы Воронежа. Soils of Voronezh. Изучены чернозёмы. Ключевые слова: чернозём; почва. Почвоведение'
>>> lemmatize("Изучены чернозёмы Воронежской области")
'изучить чернозем воронежский область'
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache

from bibmine.corpus.model import Record

MAX_CHARS = 4000  # long abstracts carry their topic in the first paragraphs

_TAG = re.compile(r"<[^>]{1,40}>")
_SPACE = re.compile(r"\s+")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*\d{4}.*$", re.IGNORECASE)


def clean_text(text: str | None) -> str:
    """Unescape entities, drop markup, trailing copyright lines and extra whitespace.

    >>> clean_text("A &amp; B <i>x</i>\\n\\n y. © 2021 Elsevier Ltd. All rights reserved.")
    'A & B x y.'
    """
    if not text:
        return ""
    text = html.unescape(text)
    text = _TAG.sub(" ", text)
    text = _COPYRIGHT.sub("", text)
    return _SPACE.sub(" ", text).strip()


def truncate(text: str, max_chars: int = MAX_CHARS) -> str:
    """Cut at a word boundary so that at most ``max_chars`` characters remain.

    >>> truncate("один два три", 8)
    'один два'
    """
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return cut[:space] if space > max_chars // 2 else cut


def join_parts(parts: list[str], max_chars: int = MAX_CHARS) -> str:
    """Clean each part, drop empty and repeated ones, join with '. ' and truncate."""
    out: list[str] = []
    seen: set[str] = set()
    for p in parts:
        c = clean_text(p).rstrip(". ")
        if c and c.lower() not in seen:
            seen.add(c.lower())
            out.append(c)
    return truncate(". ".join(out), max_chars)


def record_text(record: Record, max_chars: int = MAX_CHARS) -> str:
    """Titles (every language), abstracts, keywords and venue name of a record as one string."""
    parts = [t.text for t in record.titles]
    parts += [a.text for a in record.abstracts]
    keywords = list(dict.fromkeys(k.strip() for k in record.author_keywords + record.indexed_keywords if k))
    if keywords:
        parts.append("Ключевые слова: " + "; ".join(keywords))
    if record.venue and record.venue.name:
        parts.append(record.venue.name)
    return join_parts(parts, max_chars)


def text_hash(text: str) -> str:
    """Stable short hash of a text, the key of cached embeddings.

    >>> text_hash("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_WORD = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# 200,000 words cover nearly every token of real text (Zipf) and cap a worker's memory (~100 MB) on any corpus
WORD_CACHE_SIZE = 200_000


@lru_cache(maxsize=WORD_CACHE_SIZE)
def lemma(word: str) -> str:
    """Normal form of a lower-case Russian word (pymorphy3); other words unchanged."""
    if not _CYRILLIC.search(word):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е") if len(word) > 2 else word


def lemmatize(text: str) -> str:
    """Lower-cased words of a text, Russian ones lemmatized (pymorphy3), joined by spaces."""
    return " ".join(lemma(w) for w in _WORD.findall(text.lower()))
