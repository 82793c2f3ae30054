"""Rules that read an affiliation's tokens before and after the gazetteer look-up.

* masks: tokens that must not be read as places (street names: ``ул. Воронежская``,
  ``Moskovsky prospekt``, ``Carrer de Palau``; personal names: ``им. С.П. Королёва``,
  ``named after M.V. Lomonosov``, ``S.P. Korolev Samara University``);
* name parts: an English city word right before an organization word
  (``Voronezh State University``) says less than a city in an address;
* the country: the rightmost strong country signal wins, so an address's own
  country beats a country word inside an organization's name (``Beth Israel``,
  ``Russian-Armenian University, Yerevan, Armenia``); ``Georgia`` is the US state when
  the string carries any US signal; ``Congo`` and ``Korea`` alone stay undecided
  unless a city settles them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

from bibmine.regions.text import (
    CITY_MARKER,
    PERSON,
    SINGLE,
    STREET,
    STREET_ANY,
    STREET_POSTFIX,
    STREET_PREFIX,
    TITLE,
    Token,
    Vocabulary,
    translit_key,
)

US_STATE_CODES = frozenset(s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US"))


@dataclass
class Mask:
    reason: str  # "street" or "person"
    marker: str  # the token that triggered it


def compute_masks(tokens: list[Token], vocab: Vocabulary) -> dict[int, Mask]:
    masks: dict[int, Mask] = {}
    n = len(tokens)
    for i, tok in enumerate(tokens):
        flags = tok.flags
        if not flags & (STREET_ANY | PERSON | SINGLE) and tok.low != "named":
            continue
        low = tok.low
        prefix = flags & STREET_PREFIX
        postfix = flags & STREET_POSTFIX
        both = flags & STREET
        if prefix or postfix or both:
            nxt = tokens[i + 1] if i + 1 < n and tokens[i + 1].seg == tok.seg else None
            if low == "st" and nxt is not None and not nxt.digit:
                continue  # St. Petersburg, St Louis: a saint, not a street
            if (postfix or both) and (nxt is None or nxt.digit) and i > 0:
                prev = tokens[i - 1]
                if prev.seg == tok.seg and not prev.digit:
                    masks.setdefault(i - 1, Mask("street", tok.text))
            if prefix or (both and nxt is not None and not nxt.digit):
                for j in range(i + 1, min(i + 3, n)):
                    if tokens[j].seg != tok.seg or tokens[j].digit:
                        break
                    masks.setdefault(j, Mask("street", tok.text))
            continue
        surname_at = _person_name_start(tokens, i, vocab)
        if surname_at is not None and surname_at < n:
            masks.setdefault(surname_at, Mask("person", tok.text))
    return masks


def _person_name_start(tokens: list[Token], i: int, vocab: Vocabulary) -> int | None:
    """Index of the surname that follows a name marker or initials starting at token i."""
    tok = tokens[i]
    low = tok.low
    n = len(tokens)
    j = None
    if low in ("им", "имени", "imeni", "im") or (low == "named" and i + 1 < n and tokens[i + 1].low == "after"):
        j = i + (2 if low == "named" else 1)
    elif low == "n" and tok.dot and i + 1 < n and tokens[i + 1].low == "a":
        j = i + 2
    elif (
        len(tok.text) == 1 and tok.text.isupper() and tok.dot
        and not tok.flags & (CITY_MARKER | STREET_PREFIX)
        and (i == 0 or not (len(tokens[i - 1].text) == 1 and tokens[i - 1].dot))
    ):
        j = i  # initials: "S.P. Korolev", "Н.Н. Бурденко"
    if j is None:
        return None
    while j < n and (len(tokens[j].text) == 1 or tokens[j].flags & TITLE):
        j += 1
    if j < n and j != i and tokens[j].text[:1].isupper() and not tokens[j].digit:
        return j
    return None


def is_name_part(tokens: list[Token], end: int, org_keys: frozenset[str]) -> bool:
    """An English place word followed by an organization word (``Kursk State Medical University``)."""
    if end >= len(tokens):
        return False
    nxt = tokens[end]
    return not nxt.cyr and nxt.seg == tokens[end - 1].seg and nxt.keys[0] in org_keys


def org_word_keys(vocab: Vocabulary) -> frozenset[str]:
    return frozenset(translit_key(w) for w in vocab.kinds.get("org_word", ()))


@dataclass
class CountrySignal:
    pos: int  # token index of the end of the signal: the rightmost one wins
    code: str  # alpha-2, "RU", or candidates joined by "|"
    rule: str
    text: str


def decide_country(signals: list[CountrySignal]) -> tuple[str | None, CountrySignal | None, str | None]:
    """(country, deciding signal, note) from the strong signals of one affiliation."""
    if not signals:
        return None, None, None
    us = any(s.code == "US" for s in signals)
    resolved = []
    note = None
    for s in signals:
        code = s.code
        if code == "GE|US-GA":
            code = "US" if us else "GE"
            note = "Georgia read as the US state (the string has a US signal)" if us else (
                "Georgia read as the country (no US signal in the string)")
        elif "|" in code:
            options = code.split("|")
            settled = [o for o in options if any(t.code == o for t in signals if t is not s)]
            if len(settled) == 1:
                code = settled[0]
                note = f"{s.text!r} settled as {code} by another signal"
            else:
                note = f"{s.text!r} is ambiguous ({' or '.join(options)}); left undecided"
                code = None
        if code:
            resolved.append(CountrySignal(s.pos, code, s.rule, s.text))
    if not resolved:
        return None, None, note
    best = max(resolved, key=lambda s: s.pos)
    return best.code, best, note


def us_zip_signals(tokens: list[Token]) -> list[CountrySignal]:
    """``TN 37830``-style state code + ZIP: a US address even without 'USA'."""
    out = []
    for i in range(1, len(tokens)):
        t = tokens[i]
        if t.digit and len(t.text) == 5:
            prev = tokens[i - 1]
            if prev.text in US_STATE_CODES and prev.seg == t.seg:
                out.append(CountrySignal(i, "US", "us-zip", f"{prev.text} {t.text}"))
    return out
