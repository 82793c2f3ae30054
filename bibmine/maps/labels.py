"""Plain-text labels: vendor markup out, brackets and quotes balanced, formulas and acronyms readable.

VOSviewer Online draws labels as HTML, so a label must hold no markup: Scopus keeps
``<inf>``/``<sup>`` in keywords, Crossref and publishers JATS (``<jats:italic>``) and
MathML (``<mml:math>``), and many exports escape ``&`` as ``&amp;``.  :func:`plain_text`
turns all of that into the text a reader sees; a ``<`` that starts no tag stays a
less-than sign with spaces around it (``a<b`` -> ``a < b``), which HTML shows as text.

:func:`balance` drops brackets and quotes without a partner, and unwraps a label wrapped
whole in a pair.  :func:`keyword_label` is the shown form of a keyword: lower case as
VOSviewer shows keywords, except acronyms (``BLE``) and chemical formulas, which keep or get
their case (``yba<inf>2</inf>cu<inf>3</inf>o<inf>7-z</inf>`` -> ``YBa2Cu3O7-z``; element
symbols from ``data/elements.csv``).

>>> plain_text("yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>"), plain_text("R&amp;D"), plain_text("a<b")
('yba2cu3o7−z', 'R&D', 'a < b')
>>> plain_text("<i>in vivo</i> imaging"), balance("bluetooth low energy (ble"), balance('"smart specialization"')
('in vivo imaging', 'bluetooth low energy ble', 'smart specialization')
>>> keyword_label("yba<inf>2</inf>cu<inf>3</inf>o<inf>7−z</inf>"), keyword_label("Bluetooth Low Energy (BLE)")
('YBa2Cu3O7−z', 'bluetooth low energy (BLE)')
>>> misread_reason("null"), misread_reason("1e3")
('VOSviewer Online reads null as a missing label', 'VOSviewer Online reads 1e3 as the number 1000')
>>> misread_reason("<i>x</i>"), misread_reason("soil")
('markup <i> is drawn as HTML', None)
"""

from __future__ import annotations

import csv
import html
import re
from functools import lru_cache
from importlib import resources

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_SUBSCRIPT = re.compile(r"<(?:inf|sub|sup)\b", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<(?:br|p|/p|div|/div|li|/li)\b[^<>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->|<!\[CDATA\[|\]\]>", re.DOTALL)
_LOOSE_LT = re.compile(r"\s*<\s*")
_LOOSE_GT = re.compile(r"\s*>\s*")
_ENTITY_LIKE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")
_MARKUP_LIKE = re.compile(r"<[A-Za-z/!?]")  # how HTML opens a tag: "a < b" is text
_SPACES = re.compile(r"\s+")
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_SYMMETRIC_QUOTES = ('"',)
_EDGE = " \t.,;:!?*-–—/\\|_"
_NULL_WORDS = {"null", "nan", "none", "undefined", "n/a", "na", "nil"}
_JS_FLOAT = re.compile(r"^\s*-?(\d+\.?|\.\d+|\d+\.\d+)([eE][-+]?\d+)?\s*$")  # papaparse's dynamic typing


def unescape_entities(text: str) -> str:
    """HTML entities decoded, also when escaped more than once (``&amp;amp;`` -> ``&``)."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def plain_text(text: str | None) -> str:
    """Markup and entities out, one space; the text a reader of the source sees."""
    if not text:
        return ""
    s = text
    for _ in range(3):  # "&amp;lt;" and "&amp;amp;" are escaped more than once
        unescaped = html.unescape(s)
        if unescaped == s:
            break
        s = unescaped
        if "<" in s and _TAG.search(s):
            break
    s = _COMMENT.sub("", s)
    s = _BREAK_TAG.sub(" ", s)
    s = _TAG.sub("", s)
    if "<" in s:
        s = _LOOSE_LT.sub(" < ", s)
    if ">" in s:
        s = _LOOSE_GT.sub(" > ", s)
    return _SPACES.sub(" ", s).strip()


def balance(text: str) -> str:
    """Drop brackets and quotes without a partner; unwrap a label wrapped whole in one pair."""
    s = text.strip(_EDGE)
    stack: list[int] = []
    drop: set[int] = set()
    for k, c in enumerate(s):
        if c in _PAIRS:
            stack.append(k)
        elif c in _CLOSERS:
            if stack and s[stack[-1]] == _CLOSERS[c]:
                stack.pop()
            else:
                drop.add(k)
    drop.update(stack)
    for q in _SYMMETRIC_QUOTES:
        where = [k for k, c in enumerate(s) if c == q]
        if len(where) % 2:
            drop.update(where)
    if drop:
        s = "".join(c for k, c in enumerate(s) if k not in drop)
        s = _SPACES.sub(" ", s).strip(_EDGE)
    while len(s) > 2 and ((s[0] in _PAIRS and s[-1] == _PAIRS[s[0]]) or (s[0] == s[-1] and s[0] in "\"'")):
        inner = s[1:-1]
        if balance(inner) != inner.strip(_EDGE):  # "(a) and (b)": the outer pair is not one pair
            break
        s = inner.strip(_EDGE)
    return s


def clean_label(text: str | None) -> str:
    """:func:`plain_text` then :func:`balance`: the label as written to a map file."""
    return balance(plain_text(text))


@lru_cache(maxsize=1)
def _elements() -> frozenset[str]:
    path = resources.files("bibmine.maps") / "data" / "elements.csv"
    with path.open(encoding="utf-8") as fh:
        return frozenset(row["symbol"] for row in csv.DictReader(fh))


_FORMULA_PART = re.compile(r"([a-z]+)|([0-9.,+\-−–xyzδ]+)")


def formula_case(token: str) -> str | None:
    """``yba2cu3o7−z`` -> ``YBa2Cu3O7−z`` when the letters split into element symbols, else None."""
    if not any(ch.isdigit() for ch in token):
        return None
    elements = _elements()
    out = []
    pos = 0
    low = token.lower()
    while pos < len(low):
        m = _FORMULA_PART.match(low, pos)
        if m is None:
            return None
        if m.group(1):
            letters = m.group(1)
            parsed = _split_elements(letters, elements)
            if parsed is None:
                if pos > 0 and letters in ("x", "y", "z", "δ"):  # a variable index: O7-z
                    out.append(letters)
                    pos = m.end()
                    continue
                return None
            out.append("".join(parsed))
        else:
            out.append(m.group(2))
        pos = m.end()
    return "".join(out)


def _split_elements(letters: str, elements: frozenset[str]) -> list[str] | None:
    """Letters as a sequence of element symbols (two-letter symbols tried first), or None."""
    if not letters:
        return []
    for size in (2, 1):
        head = letters[:size]
        symbol = head[0].upper() + head[1:]
        if len(head) == size and symbol in elements:
            rest = _split_elements(letters[size:], elements)
            if rest is not None:
                return [symbol, *rest]
    return None


_WORD = re.compile(r"[^\W_][\w.\-−–+]*", re.UNICODE)


def keyword_label(text: str | None) -> str:
    """Shown form of a keyword-like label: plain, balanced, lower case; acronyms and formulas keep case."""
    raw = text or ""
    had_subscripts = bool(_SUBSCRIPT.search(html.unescape(raw)))
    s = clean_label(raw)

    def word(m: re.Match) -> str:
        w = m.group(0)
        if had_subscripts:
            formula = formula_case(w)
            if formula is not None:
                return formula
        letters = [c for c in w if c.isalpha()]
        if 2 <= len(letters) <= 6 and all(c.isupper() for c in letters) and not s.isupper():
            return w  # an acronym in mixed-case text: BLE, GIS, ВВП
        return w.lower()

    return _WORD.sub(word, s)


def misread_reason(label: str) -> str | None:
    """Why VOSviewer Online would not show ``label`` as written (markup, null-like, a number), or None."""
    s = label.strip()
    if _MARKUP_LIKE.search(s):
        tag = re.search(r"<\s*/?\s*[^\s>]*>?", s)
        return f"markup {tag.group(0) if tag else '<'} is drawn as HTML"
    if _ENTITY_LIKE.search(s):
        return f"HTML entity {_ENTITY_LIKE.search(s).group(0)} is drawn as a character"
    if not s:
        return "an empty label shows as the item id"
    if s.lower() in _NULL_WORDS:
        return f"VOSviewer Online reads {s} as a missing label"
    if not _JS_FLOAT.match(s):
        return None
    value = float(s)
    if s in ("0", "-0") or value == 0:
        return f"VOSviewer Online reads {s} as a missing label"
    shown = int(value) if value.is_integer() and abs(value) < 1e15 else value
    if str(shown) != s:
        return f"VOSviewer Online reads {s} as the number {shown}"
    return None  # "2020" is read as the number 2020 and shown as written
