"""Tokens and look-up keys for affiliation strings.

Every token of an affiliation is turned into a small tuple of *keys* once, and the
key tuple is cached, so a corpus of millions of affiliations lemmatizes each distinct
word only once:

* Cyrillic words: the folded surface form plus every normal form pymorphy3 gives
  (``Воронеже`` -> ``воронеж``, ``Липецкой`` -> ``липецкий``); gender and case
  therefore do not matter (``Липецкая область`` and ``Липецкой обл.`` share keys).
* Latin words: a transliteration key that makes the usual romanizations of a Russian
  name equal (``Voronezh``, ``Voronež``; ``Nizhny``, ``Nizhnii``, ``Nizhniy``;
  ``Lipetsk``, ``Lipeck``), after WoS abbreviations are expanded (``Univ`` ->
  ``university``).

The gazetteer side goes through the same functions, so the two sides always agree.
"""

from __future__ import annotations

import re
import unicodedata

from bibmine.corpus.model import fold

_CYR = re.compile(r"[\u0400-\u04ff]")
# words (letters only), numbers, and the punctuation that separates address parts
_TOKEN = re.compile(r"([^\W\d_]+|\d+)(\.?)|([,;()\[\]«»\"/])", re.UNICODE)
_SEGMENT_BREAK = frozenset(",;()[]«»\"/")
_WOS_AUTHORS = re.compile(r"^\s*\[[^\]]*\]\s*")  # "[Ivanov, I.; Petrov, P.] Voronezh State Univ"

# Romanization equivalences, applied left to right (longest first).
_TRANSLIT_SEQ = re.compile(r"shch|tsch|sch|tch|ch|zh|kh|sh|ts|tz|cz|yu|ju|iu|ya|ja|ia|ye|je|ie|yo|jo|io|ks|y|j|w|'")
_TRANSLIT_MAP = {
    "shch": "s", "tsch": "c", "sch": "s", "tch": "c", "ch": "c", "zh": "z", "kh": "h", "sh": "s",
    "ts": "c", "tz": "c", "cz": "c", "yu": "u", "ju": "u", "iu": "u", "ya": "a", "ja": "a", "ia": "a",
    "ye": "e", "je": "e", "ie": "e", "yo": "o", "jo": "o", "io": "o", "ks": "x", "y": "i", "j": "i",
    "w": "v", "'": "",
}
_DOUBLE = re.compile(r"(.)\1+")
# Cyrillic -> Latin letters for keys; the result then goes through translit_key too.
_CYR2LAT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "z", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a",
})


def is_cyrillic(word: str) -> bool:
    return bool(_CYR.search(word))


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def translit_key(word: str) -> str:
    """Key under which the romanizations of one Russian name coincide.

    >>> translit_key("Voronezh") == translit_key("Voronež") == translit_key("воронеж")
    True
    >>> translit_key("Nizhniy") == translit_key("Nizhnii") == translit_key("нижний")
    True
    >>> translit_key("Lipetsk") == translit_key("Lipeck")
    True
    """
    word = word.lower()
    if is_cyrillic(word):
        word = word.translate(_CYR2LAT)
    elif not word.isascii():
        word = strip_diacritics(word)
    word = _TRANSLIT_SEQ.sub(lambda m: _TRANSLIT_MAP[m.group(0)], word)
    return _DOUBLE.sub(r"\1", word)


class Vocabulary:
    """Token classes read from ``vocabulary.csv``: canonical forms, stop words, markers."""

    def __init__(self, rows: list[dict[str, str]]):
        self.canon: dict[str, tuple[str, ...]] = {}
        self.kinds: dict[str, set[str]] = {}
        hyphenated = []
        self.multi: set[str] = set()  # canonical forms of more than one word (госуниверситет)
        for row in rows:
            token, kind = row["token"].lower(), row["kind"]
            if kind == "canon":
                self.canon[token] = tuple(row["value"].split())
                if len(self.canon[token]) > 1:
                    self.multi.add(token)
                if "-" in token:
                    hyphenated.append(token)
            else:
                self.kinds.setdefault(kind, set()).add(token)
        self.pre = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(h) for h in hyphenated) + r")(?!\w)", re.IGNORECASE)
            if hyphenated
            else None
        )

    def has(self, token: str, kind: str) -> bool:
        return token in self.kinds.get(kind, ())


# flag bits of a word, computed once per distinct word
STOP, TITLE, STREET_PREFIX, STREET_POSTFIX, STREET, CITY_MARKER, PERSON, SINGLE = (1 << i for i in range(8))
_FLAG_KINDS = {"stop": STOP, "title": TITLE, "street_prefix": STREET_PREFIX, "street_postfix": STREET_POSTFIX,
               "street": STREET, "city_marker": CITY_MARKER, "person": PERSON}
STREET_ANY = STREET_PREFIX | STREET_POSTFIX | STREET


class Token:
    """One token of an affiliation: its text, keys and where it stands."""

    __slots__ = ("text", "low", "keys", "cyr", "digit", "upper", "flags", "start", "seg", "dot")

    def __init__(self, text: str, info: tuple, seg: int, dot: bool):
        self.text = text
        self.low, self.keys, self.cyr, self.digit, self.upper, self.flags, self.start = info
        self.seg = seg
        self.dot = dot  # followed by a full stop (an abbreviation or an initial)

    def __repr__(self) -> str:
        return f"Token({self.text!r}, seg={self.seg})"


class KeyMaker:
    """Turns words into cached key tuples; one instance per gazetteer."""

    def __init__(self, vocabulary: Vocabulary, morph=None, cache_size: int = 500_000):
        self.vocabulary = vocabulary
        self.morph = morph
        self.cache: dict[str, tuple[str, ...]] = {}
        self.info_cache: dict[str, tuple] = {}
        self.cache_size = cache_size
        self.lemmatized = 0  # how many distinct words went through pymorphy3
        self.starts: set[str] | dict = set()  # keys that begin some phrase (set by the index)

    def keys(self, low: str) -> tuple[str, ...]:
        """Keys of one lower-case word (its canonical expansion's keys, flattened to the first word)."""
        cached = self.cache.get(low)
        if cached is not None:
            return cached
        if len(self.cache) >= self.cache_size:
            self.cache.clear()
        out = self._keys(low)
        self.cache[low] = out
        return out

    def _keys(self, low: str) -> tuple[str, ...]:
        if low.isdigit():
            return (low,)
        if is_cyrillic(low):
            word = fold(low)
            canon = self.vocabulary.canon.get(word)
            if canon and len(canon) == 1:
                word = canon[0]
            found = {word}
            if self.morph is not None and len(word) > 2:
                self.lemmatized += 1
                for parse in self.morph.parse(word)[:4]:
                    found.add(fold(parse.normal_form))
            return tuple(sorted(found, key=lambda k: (k != word, k)))
        word = strip_diacritics(low) if not low.isascii() else low
        canon = self.vocabulary.canon.get(word)
        if canon and len(canon) == 1:
            word = canon[0]
        return (translit_key(word),)

    def info(self, word: str, low: str | None = None) -> tuple:
        """(low, keys, cyrillic, digit, upper, flags, starts-a-phrase) of one word as written; cached."""
        cached = self.info_cache.get(word) if low is None else None
        if cached is not None:
            return cached
        if len(self.info_cache) >= self.cache_size:
            self.info_cache.clear()
        own = low is None
        low = word.lower() if own else low
        digit = low.isdigit()
        upper = sum(1 for c in word if c.isupper()) >= 2 or (len(word) > 1 and word.isupper())
        flags = SINGLE if len(low) == 1 else 0
        for kind, bit in _FLAG_KINDS.items():
            if self.vocabulary.has(low, kind):
                flags |= bit
        keys = self.keys(low)
        starts = any(k in self.starts for k in keys)
        out = (low, keys, not digit and is_cyrillic(low), digit, upper, flags, starts)
        if own:
            self.info_cache[word] = out
        return out

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of an affiliation, canonical expansions applied (``госуниверситет`` -> 2 tokens)."""
        text = _WOS_AUTHORS.sub("", text)
        if self.vocabulary.pre is not None and "-" in text:
            text = self.vocabulary.pre.sub(lambda m: " " + self.vocabulary.canon[m.group(1).lower()][0] + " ", text)
        tokens: list[Token] = []
        seg = 0
        canon = self.vocabulary.canon
        multi = self.vocabulary.multi
        info_cache = self.info_cache
        for word, dot, brk in _TOKEN.findall(text):
            if brk:
                if tokens and tokens[-1].seg == seg:
                    seg += 1
                continue
            info = info_cache.get(word) or self.info(word)
            if info[2] and info[0] in multi:
                for part in canon[info[0]]:
                    tokens.append(Token(word, self.info(word, part), seg, False))
                continue
            tokens.append(Token(word, info, seg, bool(dot)))
        return tokens

    def phrase_keys(self, phrase: str) -> list[tuple[str, ...]]:
        """Key tuples of a gazetteer phrase, one per token, with the same rules as affiliations."""
        return [t.keys for t in self.tokenize(phrase)]
