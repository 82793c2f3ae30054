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

VOSviewer Online 1.2.2 reads every field of a map (text or JSON) as its worker's ``qt()`` does:
trimmed, ``""``/``null``/``nan`` become missing, whatever JavaScript's ``Number()`` reads becomes
a number, and the label shown is ``(label || id).toString()``.  So ``0`` shows the item's id, and
``1e3``, ``0x1A``, ``007`` and ``1.50`` show as 1000, 26, 7 and 1.5.  :func:`viewer_label` gives
such a label a trailing WORD JOINER (U+2060: invisible, not white space to JavaScript), which keeps
it text; readers of bibmine's files take it off again.

>>> misread_reason("null")
'VOSviewer Online reads null as a missing label (it shows the item id)'
>>> misread_reason("1e3")
'VOSviewer Online reads 1e3 as the number 1000'
>>> misread_reason("<i>x</i>"), misread_reason("soil"), misread_reason("2020")
('markup <i> is drawn as HTML', None, None)
>>> [misread_reason(viewer_label(x)) for x in ("1e3", "0", "null", "2020", "soil")]
[None, None, None, None, None]
"""

from __future__ import annotations

import csv
import decimal
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
_NULL_WORDS = {"null", "nan"}  # VOSviewer Online's qt(), case-insensitive
# JavaScript's white space (String.prototype.trim and Number() skip it)
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_JS_RADIX = re.compile(r"0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+")
WORD_JOINER = "\u2060"


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


def js_number(text: str) -> float | None:
    """JavaScript's ``Number(text)``, or None where it gives NaN (``""`` gives 0)."""
    s = text.strip(_JS_SPACE)
    if not s:
        return 0.0
    if _JS_DECIMAL.fullmatch(s):
        return float(s)
    if _JS_RADIX.fullmatch(s):
        return float(int(s, 0))
    if s in ("Infinity", "+Infinity", "-Infinity"):
        return float(s.replace("Infinity", "inf"))
    return None


def js_string(x: float) -> str:
    """JavaScript's ``String(x)`` of a number (Number::toString, ECMA-262 7.1.12.1).

    >>> [js_string(v) for v in (1000.0, 1.5, 1e21, 1e-7, 0.000001, 123456789012345680000.0)]
    ['1000', '1.5', '1e+21', '1e-7', '0.000001', '123456789012345680000']
    """
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digits, exp = decimal.Decimal(repr(abs(x))).normalize().as_tuple()
    s = "".join(map(str, digits))
    k, n = len(s), len(s) + exp  # x = s * 10^(n - k)
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * -n + s
    else:
        out = s[0] + ("." + s[1:] if k > 1 else "") + "e" + ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))
    return sign + out


def viewer_value(text: str) -> None | float | str:
    """What VOSviewer Online 1.2.2 makes of a map field: None (missing), a number, or the trimmed text."""
    s = text.strip(_JS_SPACE)
    if not s or s.lower() in _NULL_WORDS:
        return None
    value = js_number(s)
    return s if value is None else value


def viewer_label(label: str) -> str:
    """``label`` as written to a map, so that VOSviewer Online shows it as written: a label it would
    read as missing or as another number gets a trailing WORD JOINER (U+2060)."""
    value = viewer_value(label)
    if label and (value is None or (isinstance(value, float) and (value == 0 or js_string(value) != label.strip()))):
        return label + WORD_JOINER
    return label


def misread_reason(label: str) -> str | None:
    """Why VOSviewer Online would not show ``label`` as written (markup, null-like, a number), or None."""
    s = label.strip()
    if _MARKUP_LIKE.search(s):
        tag = re.search(r"<\s*/?\s*[^\s>]*>?", s)
        return f"markup {tag.group(0) if tag else '<'} is drawn as HTML"
    if _ENTITY_LIKE.search(s):
        return f"HTML entity {_ENTITY_LIKE.search(s).group(0)} is drawn as a character"
    value = viewer_value(s)
    if not s:
        return "an empty label shows as the item id"
    if value is None or value == 0:
        return f"VOSviewer Online reads {s} as a missing label (it shows the item id)"
    if isinstance(value, float) and js_string(value) != s:
        return f"VOSviewer Online reads {s} as the number {js_string(value)}"
    return None  # "2020" is read as the number 2020 and shown as written
