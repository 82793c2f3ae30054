"""Acronyms in titles and abstracts: found where they are defined, expanded where they are used.

An abstract writes "Bluetooth Low Energy (BLE)" once and "BLE" afterwards.  A terms map that
takes the text as written gets "bluetooth low energy", "ble" and "ble module" as three terms, and
"Goos-Hanchen (GH) shift" breaks into "goos-hanchen" and "shift".  Here, per record:

- a definition is a parenthesised short form of 2-10 characters with at least two capitals
  (``BLE``, ``IoT``, ``HBSTs``) after the words it abbreviates; the long form is found by
  Schwartz and Hearst's algorithm (A simple algorithm for identifying abbreviation definitions in
  biomedical text, PSB 2003): the short form's letters in order inside the words before the
  bracket, its first letter starting a word, as few words as that takes;
- the parenthesis of a definition is removed ("Goos-Hanchen shift"), and every later use of the
  short form in the record's titles and abstracts (a plural "HBSTs" too) is replaced by its long form;
- a text written in capitals (an old title) has no acronyms;
- a Russian short form ("Валовой региональный продукт (ВРП)") loses its parenthesis, but its uses stay
  as written: the long form would go in nominative where the sentence declines it ("рост ВРП").

Acronyms used without a definition are left in the text; :class:`AcronymLedger` remembers where
they went, and at the end of a corpus a term holding one becomes the term with the long form that
another record defined, or is kept if the acronym is in at least ``min_documents`` records
("COVID", "GIS": known to every reader of the field), and is dropped otherwise (a record's "TMN"
or "BCM" that no reader of the map can decode).

>>> expand_record(["Bluetooth Low Energy (BLE) beacons.", "A BLE module and two BLEs."])[0]
['Bluetooth Low Energy beacons.', 'A Bluetooth Low Energy module and two Bluetooth Low Energy.']
>>> long_form("HBST", "for HIV Home-based self-testing")
'Home-based self-testing'
"""

from __future__ import annotations

import re
from collections import Counter

_DEFINITION = re.compile(r"\s*\(\s*([^\W_][\w&/-]{1,11})\s*\)")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_CLAUSE_END = re.compile(r"[.;:!?()\[\]{}]|,\s")
_WORDS = re.compile(r"\S+")


def is_acronym(word: str) -> bool:
    """2-10 characters, at least two capitals and no more lower-case letters than capitals, not a
    Roman numeral: "BLE", "IoT", "mRNA", "COVID-19"; not "McDonald", "II", "A"."""
    if not 2 <= len(word) <= 10 or not word[:1].isalnum():
        return False
    upper = sum(c.isupper() for c in word)
    lower = sum(c.islower() for c in word)
    return upper >= 2 and lower <= upper and not _ROMAN.match(word)


def _short_form(sf: str) -> str | None:
    """The short form without a plural "s" ("HBSTs" -> "HBST"), or None when it is not one."""
    if len(sf) > 2 and sf.endswith("s") and sf[-2].isupper():
        sf = sf[:-1]
    return sf if is_acronym(sf) else None


def long_form(sf: str, before: str) -> str | None:
    """Schwartz-Hearst: the shortest end of ``before`` whose words hold the letters of ``sf`` in order,
    the first letter starting a word; at most min(len + 5, 2 * len) words; None when there is none."""
    words = _WORDS.findall(before)[-min(len(sf) + 5, 2 * len(sf)):]
    text = " ".join(w.strip("\"'“”‘’«»") for w in words)
    s, k = len(sf) - 1, len(text) - 1
    while s >= 0:
        c = sf[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while k >= 0 and (text[k].lower() != c or (s == 0 and k > 0 and text[k - 1].isalnum())):
            k -= 1
        if k < 0:
            return None
        k -= 1
        s -= 1
    start = text.rfind(" ", 0, k + 1) + 1
    found = text[start:].strip()
    if not found or len(found) <= len(sf) or " " not in found and "-" not in found and not found.isalpha():
        return None
    if sf.lower() in found.lower().split():
        return None
    return found


def written_in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 0 and sum(c.isupper() for c in letters) > 0.5 * len(letters)


def find_definitions(text: str) -> dict[str, str]:
    """Short form -> long form for every definition "long form (SF)" in ``text``."""
    if "(" not in text or written_in_capitals(text):
        return {}
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        sf = _short_form(m.group(1))
        if sf is None or sf in out:
            continue
        before = text[:m.start()]
        clause = _CLAUSE_END.split(before)[-1] if _CLAUSE_END.search(before) else before
        lf = long_form(sf, clause)
        if lf is not None:
            out[sf] = lf
    return out


def expand_text(text: str, definitions: dict[str, str]) -> str:
    """Definitions' parentheses out, later uses of each short form (and its plural) replaced by its long form."""
    if not definitions or written_in_capitals(text):
        return text
    alternatives = "|".join(re.escape(sf) for sf in sorted(definitions, key=len, reverse=True))
    text = re.sub(r"\s*\(\s*(?:" + alternatives + r")s?\s*\)", "", text)
    # Latin short forms only: a Russian long form would go in as written, in the wrong case ("рост ВРП")
    latin = [sf for sf in sorted(definitions, key=len, reverse=True) if sf.isascii()]
    if not latin:
        return text
    use = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, latin)) + r")s?(?![\w-])")
    return use.sub(lambda m: definitions[m.group(1)], text)


def expand_record(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """A record's texts with its acronyms expanded, and the definitions found (from any of its texts:
    a title uses the acronym its abstract defines)."""
    definitions: dict[str, str] = {}
    for text in texts:
        for sf, lf in find_definitions(text).items():
            definitions.setdefault(sf, lf)
    return [expand_text(t, definitions) for t in texts], definitions


class AcronymLedger:
    """What a corpus pass learned about acronyms: the long forms records defined, the records each
    acronym appears in, and the terms built with an acronym no record of theirs defined."""

    def __init__(self) -> None:
        self.definitions: dict[str, Counter[str]] = {}  # lower-case short form -> long forms (lower case)
        self.documents: Counter[str] = Counter()  # lower-case short form -> records using it
        self.undefined_in: dict[str, set[str]] = {}  # term key -> its words that were undefined acronyms

    def record(self, definitions: dict[str, str], used: set[str]) -> None:
        for sf, lf in definitions.items():
            self.definitions.setdefault(sf.lower(), Counter())[lf.lower()] += 1
        self.documents.update({sf.lower() for sf in definitions} | used)

    def term(self, key: str, acronym_words: set[str]) -> None:
        self.undefined_in.setdefault(key, set()).update(acronym_words)

    def resolve(self, key: str, min_documents: int, unify) -> str | None:
        """The term's final key: acronyms with a definition elsewhere expanded (``unify(words)`` makes
        the phrase), frequent ones kept, None when it holds a rare undefined acronym."""
        acronyms = self.undefined_in.get(key)
        if not acronyms:
            return key
        words = key.split()
        out: list[str] = []
        for word in words:
            if word not in acronyms:
                out.append(word)
            elif word in self.definitions:
                out += self.definitions[word].most_common(1)[0][0].split()
            elif self.documents[word] >= min_documents:
                out.append(word)
            else:
                return None
        return unify(out) if out != words else key
