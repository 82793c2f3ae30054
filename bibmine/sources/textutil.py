"""Small text helpers shared by the JSON/XML source mappings and the file readers."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from bibmine.placeholders import is_placeholder
from bibmine.record import normalize_person

__all__ = ["is_placeholder", "person_key", "strip_markup", "unless_placeholder"]

# authors recur across a corpus; normalize_person costs a few microseconds per call
person_key = lru_cache(maxsize=1 << 16)(normalize_person)



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


# ---------------------------------------------------------------- placeholders
# One list and one test for the whole system: bibmine.placeholders (data in
# bibmine/corpus/data/placeholders.txt, sources named there); readers import it from here.


def unless_placeholder(value: str | None) -> str | None:
    """``value`` stripped, or None when it is a placeholder ("NA", "0", "[Anonymous]" ...).

    >>> unless_placeholder(" 31452104 "), unless_placeholder("NA"), unless_placeholder("[No author name available]")
    ('31452104', None, None)
    """
    return None if is_placeholder(value) else value.strip()  # type: ignore[union-attr]
