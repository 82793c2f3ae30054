"""Small text helpers shared by the JSON/XML source mappings and the file readers."""

from __future__ import annotations

import html
import re
import tomllib
from functools import cache, lru_cache
from pathlib import Path

from bibmine.corpus.model import normalize_person

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


@cache
def _placeholders() -> tuple[frozenset[str], frozenset[str]]:
    with open(Path(__file__).with_name("placeholders.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return frozenset(data["exact"]), frozenset(v.casefold() for v in data["any_case"])


def is_placeholder(value: object) -> bool:
    """True for a value that stands for "no value" (``placeholders.toml``): None, empty,
    "NA", "N/A", "null", "0", "-", "[No author name available]", "[Anonymous]" ...

    Readers must not turn these into identifiers, author names or titles.

    >>> [is_placeholder(v) for v in ("NA", " n/a ", "", None, "0", "[No author name available]", "ANONYMOUS")]
    [True, True, True, True, True, True, True]
    >>> [is_placeholder(v) for v in ("Na J.", "10.1000/x", "31452104", "Nature", "Anonymous reviewers' role")]
    [False, False, False, False, False]
    """
    if not value:
        return True  # None, ""
    if not isinstance(value, str):
        value = str(value)
    if len(value) > 60:  # the hot path: real names and titles are mostly longer than any placeholder
        return False
    text = value.strip()
    if not text:
        return True
    exact, any_case = _placeholders()
    return text in exact or text.casefold() in any_case


def unless_placeholder(value: str | None) -> str | None:
    """``value`` stripped, or None when it is a placeholder (see :func:`is_placeholder`).

    >>> unless_placeholder(" 31452104 "), unless_placeholder("NA")
    ('31452104', None)
    """
    return None if is_placeholder(value) else value.strip()  # type: ignore[union-attr]
