"""Phrase index over the gazetteer: a trie of token keys, walked once per affiliation.

It does what spaCy's PhraseMatcher would do (every gazetteer phrase found in a token
stream, longest first) but over the cached lemma/transliteration keys of
:mod:`bibmine.regions.text`, so inflected Russian and romanized forms match without
running a morphological analyser per token, and stop words and initials inside a
phrase may be skipped (``Russian Acad Sci`` = ``Russian Academy of Sciences``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pycountry

from bibmine.regions.gazetteer import City, Gazetteer, Organization
from bibmine.regions.text import SINGLE, STOP, TITLE, KeyMaker, Token, Vocabulary, is_cyrillic, translit_key

END = ""  # terminal marker in a trie node (no token key is empty)
MAX_PATHS = 64


@dataclass(frozen=True)
class Entry:
    """What a phrase names.  kind: subject, city, org, acronym, adj, country, foreign_city,
    us_state, trap; value: a subject code, City, Organization, alpha-2 code(s) ..."""

    kind: str
    value: object
    source: str = "shipped"  # or "user"


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # exclusive
    entries: tuple[Entry, ...]


class PhraseIndex:
    def __init__(self, gazetteer: Gazetteer, morph=None):
        self.gazetteer = gazetteer
        self.vocabulary = Vocabulary(gazetteer.vocabulary)
        self.keys = KeyMaker(self.vocabulary, morph)
        self.root: dict = {}
        self.known_latin: set[str] = set()  # every Latin key of every phrase (no fuzzy on these)
        self.fuzzy_names: dict[str, list[Entry]] = {}  # one-word place names for the fuzzy fallback
        self._build()
        self.keys.starts = self.root  # from now on each word knows whether it can begin a phrase
        self.keys.info_cache.clear()

    # ------------------------------------------------------------------ building

    def add(self, phrase: str, entry: Entry, translit: bool = False, override: bool = False) -> None:
        """Index one phrase; ``translit`` also indexes the romanized key path of a Russian phrase."""
        tokens = [t for t in self.keys.tokenize(phrase)]
        content = [t for t in tokens if not self.vocabulary.has(t.low, "stop")] or tokens
        if not content:
            return
        key_sets = [t.keys for t in content]
        paths = list(itertools.islice(itertools.product(*key_sets), MAX_PATHS))
        if translit and is_cyrillic(phrase):
            paths.append(tuple(translit_key(t.low) for t in content))
        for path in paths:
            self._insert(path, entry, override)
        if len(content) == 1 and entry.kind in ("city", "subject"):
            name = content[0].low if content[0].cyr else content[0].keys[0]
            if len(name) >= 5:
                self.fuzzy_names.setdefault(name, []).append(entry)
                if translit and content[0].cyr:
                    self.fuzzy_names.setdefault(translit_key(content[0].low), []).append(entry)

    def _insert(self, path: tuple[str, ...], entry: Entry, override: bool) -> None:
        node = self.root
        for key in path:
            node = node.setdefault(key, {})
            if key.isascii():
                self.known_latin.add(key)
        entries = node.get(END)
        if entries is None or override and (entry.source == "user" or all(e.source != "user" for e in entries)):
            node[END] = [entry]
        elif entry not in entries:
            entries.append(entry)

    def _build(self) -> None:
        g = self.gazetteer
        city_adjs = {}
        for c in g.cities:
            e = Entry("city", c)
            for name in (c.name_ru, *c.aliases_ru):
                self.add(name, e, translit=True)
            for name in (c.name_en, *c.aliases_en):
                self.add(name, e)
            if c.adj_ru:
                for key in self.keys.keys(c.adj_ru.lower()):
                    city_adjs.setdefault(key, c.subject)
                self.add(c.adj_ru, Entry("adj", c.subject))
        for s in g.subjects.values():
            e = Entry("subject", s.code)
            for name in _subject_names_ru(s):
                self.add(name, e, translit=True)
            for name in _subject_names_en(s):
                self.add(name, e)
            if s.type not in ("republic", "federal_city"):
                keys = self.keys.keys(s.stem_ru.lower())
                if all(city_adjs.get(k, s.code) == s.code for k in keys):
                    self.add(s.stem_ru, Entry("adj", s.code))
        for o in g.organizations:
            e = Entry("org", o)
            for name in (o.name_ru, o.name_en, *o.aliases_ru, *o.aliases_en):
                self.add(name, e)
            for acro in o.acronyms:
                self.add(acro, Entry("acronym", o))
        self._build_countries()
        for row in g.traps:
            self.add(row["phrase"], Entry("trap", row["value"] or None), override=True)
        self._build_user()

    def _build_countries(self) -> None:
        g = self.gazetteer
        for c in pycountry.countries:
            if c.alpha_2 == "GE":  # Georgia: the country or the US state, decided in the matcher
                self.add("Georgia", Entry("country", "GE|US-GA"))
                continue
            for name in {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}:
                if "," in name:  # "Korea, Republic of" -> also "Republic of Korea"
                    head, _, tail = name.partition(",")
                    self.add(f"{tail.strip()} {head}", Entry("country", c.alpha_2))
                self.add(name, Entry("country", c.alpha_2))
        for row in g.countries_extra:  # replaces pycountry's reading of the same words ("Congo")
            self.add(row["alias"], Entry("country", row["alpha2"]), override=True)
        for row in g.foreign_cities:
            e = Entry("foreign_city", row["alpha2"])
            for name in (row["name"], *[a for a in row["aliases"].split("|") if a]):
                self.add(name, e)
        for sub in pycountry.subdivisions.get(country_code="US"):
            if sub.name != "Georgia":
                self.add(sub.name, Entry("us_state", sub.code))

    def _build_user(self) -> None:
        g = self.gazetteer
        for u in g.user:
            if u.kind == "city":
                city = City(u.city or u.alias, u.city or u.alias, u.subject or "", "user", None, False)
                entry = Entry("city", city, "user")
            elif u.kind == "organization":
                name = u.organization or u.alias
                org = Organization(f"user:{u.line}", name, name, u.city, u.subject, "user")
                entry = Entry("org", org, "user")
            elif u.kind == "subject":
                entry = Entry("subject", u.subject, "user")
            elif u.kind == "country":
                entry = Entry("country", (u.country or "").upper(), "user")
            else:
                entry = Entry("trap", None, "user")
            self.add(u.alias, entry, translit=True, override=True)

    # ------------------------------------------------------------------ matching

    @staticmethod
    def skippable(tok: Token) -> bool:
        return bool(tok.flags & (SINGLE | STOP | TITLE))

    def find(self, tokens: list[Token]) -> list[Match]:
        """Every phrase occurrence (overlapping ones included), as token spans."""
        root = self.root
        out: list[Match] = []
        n = len(tokens)
        skip = [self.skippable(t) for t in tokens]
        for i in range(n):
            if not tokens[i].start:
                continue
            frontier = [c for k in tokens[i].keys if (c := root.get(k)) is not None]
            if not frontier:
                continue
            for node in frontier:
                if END in node:
                    out.append(Match(i, i + 1, tuple(node[END])))
            j, skips = i, 0
            while frontier and j + 1 < n and j - i < 16:
                j += 1
                keys = tokens[j].keys
                nxt = [c for node in frontier for k in keys if (c := node.get(k)) is not None]
                for node in nxt:
                    if END in node:
                        out.append(Match(i, j + 1, tuple(node[END])))
                if skip[j] and skips < 3:
                    skips += 1
                    nxt.extend(frontier)
                frontier = nxt
        return out


def _subject_names_ru(s) -> list[str]:
    names = [s.name_ru, *s.aliases_ru]
    stem = s.stem_ru
    if s.type == "oblast":
        names += [f"{stem} область", f"{stem} регион"]
    elif s.type == "krai":
        names += [f"{stem} край", f"{stem} регион"]
    elif s.type == "republic":
        names += [f"Республика {stem}", stem]
    elif s.type in ("autonomous_okrug", "autonomous_oblast"):
        names += [f"{stem} автономный округ", f"{stem} автономная область", f"{stem} АО"]
    return names


def _subject_names_en(s) -> list[str]:
    names = [s.name_en, *s.aliases_en]
    stem = s.stem_en
    if s.type == "oblast":
        names += [f"{stem} Oblast", f"{stem} Region", f"{stem} Province"]
    elif s.type == "krai":
        names += [f"{stem} Krai", f"{stem} Territory", f"{stem} Region"]
    elif s.type == "republic":
        names += [f"Republic of {stem}", f"{stem} Republic", stem]
    elif s.type in ("autonomous_okrug", "autonomous_oblast"):
        names += [f"{stem} Autonomous Okrug", f"{stem} Autonomous District", f"{stem} Autonomous Region"]
    return names
