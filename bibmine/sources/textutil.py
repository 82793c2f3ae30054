"""Small text helpers shared by the JSON/XML source mappings."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from bibmine.corpus.model import normalize_person

# authors recur across a corpus; normalize_person costs a few microseconds per call
person_key = lru_cache(maxsize=1 << 16)(normalize_person)

_LATIN = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_LATIN_RE = re.compile("[A-Za-z]")


def script_lang(text: str | None) -> str | None:
    """Same rule as :func:`bibmine.corpus.model.guess_lang`, counted in C.

    guess_lang loops over characters in Python (about 1 ms for a long abstract); a
    JSON Lines import calls this for every title and abstract.  Cyrillic (U+0400 to
    U+04FF) is exactly the UTF-8 lead bytes D0 to D3, and Latin letters are ASCII
    bytes, so both counts are byte counts.  (guess_lang also counts the few non-ASCII
    letters whose lower case is ASCII, such as the Kelvin sign; this does not.)

    >>> script_lang("Почвы Воронежа (Voronezh)"), script_lang("Soil"), script_lang("1999"), script_lang("")
    ('ru', 'en', None, None)
    """
    if not text:
        return None
    if text.isascii():  # most titles: one regex step finds the first letter
        return "en" if _LATIN_RE.search(text) else None
    data = text.encode("utf-8", "surrogatepass")
    cyr = data.count(0xD0) + data.count(0xD1) + data.count(0xD2) + data.count(0xD3)
    lat = len(data) - len(data.translate(None, _LATIN))
    if cyr == 0 and lat == 0:
        return None
    return "ru" if cyr >= lat else "en"


_TAG = re.compile(r"<[^<>]{0,200}>")
_BLOCK_END = re.compile(
    r"</(?:[\w-]+:)?(?:p|sec|title|list-item|list|label|caption|div|li)\s*>|<br\s*/?>", re.IGNORECASE
)
_TITLE = re.compile(r"<((?:[\w-]+:)?title)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ABSTRACT_LABELS = frozenset({"abstract", "summary", "аннотация", "резюме", "реферат", "abstracts"})


def strip_markup(text: str | None, *, paragraphs: bool = False) -> str | None:
    """Plain text from JATS/HTML markup: tags dropped, entities unescaped, spaces collapsed.

    With ``paragraphs`` block ends (``</jats:p>``, ``</jats:sec>`` ...) become line
    breaks and a leading "Abstract" heading is dropped; otherwise everything is one line.

    >>> strip_markup("<jats:title>Abstract</jats:title><jats:p>CO<jats:sub>2</jats:sub> &amp; soil</jats:p>"
    ...              "<jats:p>Second.</jats:p>", paragraphs=True)
    'CO2 & soil\\nSecond.'
    >>> strip_markup("The <i>Voronezh</i>  region")
    'The Voronezh region'
    """
    if not text:
        return None
    if "<" in text:
        if paragraphs:
            text = _TITLE.sub(_drop_label, text)
            text = _BLOCK_END.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if paragraphs:
        lines = (" ".join(line.split()) for line in text.split("\n"))
        out = "\n".join(line for line in lines if line)
    else:
        out = " ".join(text.split())
    return out or None


def _drop_label(m: re.Match) -> str:
    label = _TAG.sub("", m.group(2)).strip().rstrip(".:").strip().lower()
    # "Abstract" says nothing; section headings ("Background", "Methods") are content
    return "" if label in _ABSTRACT_LABELS else m.group(2) + "\n"
