"""Place an affiliation string: organization, city, federal subject, country, macroregion.

>>> m = Matcher()
>>> p = m.locate("Воронежский государственный университет, г. Воронеж, Россия")
>>> (p.country, p.region, p.city, p.macroregion)
('RU', 'RU-VOR', 'Voronezh', 'CBE')

How a subject is chosen (strongest class first; see :data:`CLASS_RANK`): a city named in
the address, a postal code, a subject name, a known organization, an acronym, an
adjective or a city word inside a name, a fuzzy near-miss.  Names shared by several
subjects (Zheleznogorsk, Kirovsk, Troitsk, ТГУ ...) are settled by the other signals or
left unplaced with an ``ambiguous`` evidence item; nothing is guessed silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bibmine.regions.gazetteer import City, Gazetteer, Organization, read_gazetteer
from bibmine.regions.index import Entry, Match, PhraseIndex
from bibmine.regions.rules import (
    CountrySignal,
    compute_masks,
    decide_country,
    is_name_part,
    org_word_keys,
    us_zip_signals,
)

CLASS_RANK = {"city": 0, "postal": 1, "subject": 2, "org": 3, "acronym": 4, "adjective": 5, "fuzzy": 6}
# The match score of a placement decided by each rule class: a hand-set ranking of how direct the
# evidence is, NOT a probability (it was never fitted to labelled affiliations; docs/regions.md).
BASE_SCORE = {"city": 0.95, "postal": 0.9, "subject": 0.95, "org": 0.93, "acronym": 0.8,
              "adjective": 0.7, "fuzzy": 0.6}
FOREIGN_SCORE = 0.9  # a foreign country, decided by the country rules
COUNTRY_ONLY_SCORE = 0.8  # Russia, with no federal subject
KIND_ORDER = {"trap": 0, "org": 1, "subject": 2, "city": 3, "country": 4, "us_state": 4,
              "foreign_city": 4, "acronym": 5, "adj": 6}
PLACE_KINDS = frozenset(("city", "subject", "adj", "country", "foreign_city", "us_state"))


@dataclass
class Placement:
    """Where one affiliation string was placed, and why."""

    text: str
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None  # ISO 3166-2 code (bibmine's own code where ISO has none)
    city: str | None = None
    organization: str | None = None
    macroregion: str | None = None
    # how direct the deciding evidence is, 0..0.99: a hand-set score per rule (BASE_SCORE), not a
    # calibrated probability; compare placements by it, do not read it as a chance of being right
    match_score: float = 0.0
    method: str | None = None  # the rule class that decided the subject (or the country)
    status: str = "unresolved"  # placed | country | ambiguous | unresolved
    evidence: list[dict] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """The former name of :attr:`match_score` (kept so that old code and outputs still read)."""
        return self.match_score

    def to_dict(self) -> dict:
        """Fields as JSON; ``confidence`` repeats ``match_score`` for readers of the old output."""
        return {"text": self.text, "country": self.country, "region": self.region, "city": self.city,
                "organization": self.organization, "macroregion": self.macroregion,
                "match_score": self.match_score, "confidence": self.match_score, "method": self.method,
                "status": self.status, "evidence": self.evidence}


@dataclass
class _Vote:
    cls: str
    subject: str
    pos: int
    text: str
    city: City | None = None
    org: Organization | None = None


class Matcher:
    def __init__(self, gazetteer: Gazetteer | None = None, user_file=None, fuzzy: bool = True, morph=None):
        if morph is None:
            import pymorphy3

            morph = pymorphy3.MorphAnalyzer()
        self.morph = morph
        self.gazetteer = gazetteer or read_gazetteer(user_file=user_file)
        self.index = PhraseIndex(self.gazetteer, morph)
        self.vocab = self.index.vocabulary
        self.org_keys = org_word_keys(self.vocab)
        self.fuzzy = fuzzy
        self._fuzzy_names = list(self.index.fuzzy_names)
        self._known_cache: dict[str, bool] = {}
        self._cities = {c.key: c for c in self.gazetteer.cities}

    # ------------------------------------------------------------------ public

    def locate(self, text: str) -> Placement:
        p = Placement(text=text)
        tokens = self.index.keys.tokenize(text or "")
        if not tokens:
            p.evidence.append({"rule": "empty", "text": text, "value": None})
            return p
        masks = compute_masks(tokens, self.vocab)
        chosen = self._select(tokens, self.index.find(tokens), masks, p.evidence)
        self._ambiguous_ru = False
        votes, ambiguous, orgs, csignals = self._signals(tokens, chosen, p.evidence)
        csignals += us_zip_signals(tokens)
        self._postal(tokens, chosen, votes, p.evidence)
        country, decider, note = decide_country(csignals)
        if note:
            p.evidence.append({"rule": "country-rule", "text": decider.text if decider else None, "value": note})
        if country and country != "RU":
            p.country, p.status, p.method, p.match_score = country, "country", decider.rule, FOREIGN_SCORE
            p.evidence.append({"rule": decider.rule, "text": decider.text, "value": country})
            if votes:
                p.evidence.append({"rule": "russian-place-ignored", "text": votes[0].text,
                                   "value": f"the address names {country} after it"})
            return p
        if not votes and self.fuzzy and country in (None, "RU"):
            self._fuzzy(tokens, chosen, masks, votes)
        self._settle_ambiguous(votes, ambiguous, p.evidence)
        self._decide_subject(p, votes, orgs, tokens)
        if p.region:
            p.country = "RU"
            if decider is not None and decider.code == "RU":
                p.evidence.append({"rule": decider.rule, "text": decider.text, "value": "RU"})
        elif country == "RU" or (orgs and all(o.country == "RU" for o in orgs)) or (
                country is None and self._ambiguous_ru):
            p.country = "RU"
            if p.status == "unresolved":
                p.status, p.match_score = "country", COUNTRY_ONLY_SCORE
                p.method = p.method or (decider.rule if decider else "org")
        return p

    def locate_many(self, texts) -> list[Placement]:
        """Place many strings, computing each distinct string once."""
        done: dict[str, Placement] = {}
        return [done.setdefault(t, self.locate(t)) if t not in done else done[t] for t in texts]

    # ------------------------------------------------------------------ steps

    def _select(self, tokens, matches: list[Match], masks, evidence) -> list[Match]:
        """Longest non-overlapping matches, after dropping masked places and lower-case acronyms."""
        kept = []
        for m in matches:
            entries = []
            for e in m.entries:
                if e.kind == "acronym" and not tokens[m.start].upper:
                    continue
                mask = masks.get(m.start)
                if mask is not None and e.kind in PLACE_KINDS:
                    item = {"rule": f"{mask.reason}-ignored", "text": _span(tokens, m),
                            "value": f"after/near {mask.marker!r}"}
                    if item not in evidence:
                        evidence.append(item)
                    continue
                entries.append(e)
            if entries:
                kept.append(Match(m.start, m.end, tuple(entries)))
        kept.sort(key=lambda m: (m.start - m.end, min(KIND_ORDER[e.kind] for e in m.entries), m.start))
        taken = [False] * len(tokens)
        chosen = []
        for m in kept:
            if any(taken[m.start:m.end]):
                continue
            for i in range(m.start, m.end):
                taken[i] = True
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _signals(self, tokens, chosen, evidence):
        votes: list[_Vote] = []
        ambiguous: list[tuple[str, list[_Vote]]] = []
        orgs: list[Organization] = []
        csignals: list[CountrySignal] = []
        for m in chosen:
            text = _span(tokens, m)
            pos = m.end - 1
            kinds = {e.kind for e in m.entries}
            if "trap" in kinds:
                value = next(e.value for e in m.entries if e.kind == "trap")
                evidence.append({"rule": "trap", "text": text, "value": value or "not a place"})
                if value:
                    csignals.append(CountrySignal(pos, value, "trap", text))
                continue
            cities = [e.value for e in m.entries if e.kind == "city"]
            if cities:
                self._city_votes(tokens, m, cities, text, votes, ambiguous, evidence)
            for e in m.entries:
                if e.kind == "subject":
                    votes.append(_Vote("subject", e.value, pos, text))
                    evidence.append({"rule": _rule("subject", e), "text": text, "value": e.value})
                elif e.kind == "org":
                    orgs.append(e.value)
                    evidence.append({"rule": _rule("organization", e), "text": text, "value": e.value.name_en})
                    if e.value.subject:
                        votes.append(_Vote("org", e.value.subject, pos, text, org=e.value))
                elif e.kind == "adj":
                    votes.append(_Vote("adjective", e.value, pos, text))
                    evidence.append({"rule": "adjective", "text": text, "value": e.value})
                elif e.kind in ("country", "foreign_city", "us_state"):
                    code = "US" if e.kind == "us_state" else e.value
                    csignals.append(CountrySignal(pos, code, _rule(e.kind.replace("_", "-"), e), text))
            acronyms = [e.value for e in m.entries if e.kind == "acronym"]
            if acronyms:
                options = [_Vote("acronym", o.subject, pos, text, org=o) for o in acronyms if o.subject]
                evidence.append({"rule": "acronym", "text": text, "value": sorted({o.name_en for o in acronyms})})
                if len({v.subject for v in options}) == 1:
                    votes.append(options[0])
                    orgs.append(options[0].org)
                elif options:
                    ambiguous.append((text, options))
        for v in votes:
            if v.cls in ("city", "subject", "org", "postal"):
                csignals.append(CountrySignal(v.pos, "RU", f"russian-{v.cls}", v.text))
        return votes, ambiguous, orgs, csignals

    def _city_votes(self, tokens, m, cities, text, votes, ambiguous, evidence):
        pos = m.end - 1
        common = all(c.common_word for c in cities)
        if common and not self._has_marker(tokens, m):
            options = [_Vote("city", c.subject, pos, text, city=c) for c in cities]
            ambiguous.append((text, options))  # accepted only if another signal names the subject
            evidence.append({"rule": "common-word-city", "text": text,
                             "value": "needs a marker (г., city) or another signal"})
            return
        cls = "adjective" if is_name_part(tokens, m.end, self.org_keys) else "city"
        options = [_Vote(cls, c.subject, pos, text, city=c) for c in cities]
        if len({v.subject for v in options}) == 1:
            votes.append(options[0])
            rule = "city-in-name" if cls == "adjective" else "city"
            evidence.append({"rule": rule, "text": text, "value": f"{options[0].city.name_en} ({options[0].subject})"})
        else:
            ambiguous.append((text, options))

    def _has_marker(self, tokens, m) -> bool:
        i = m.start - 1
        if i >= 0 and self.vocab.has(tokens[i].low, "city_marker"):
            return True
        seg = tokens[m.start].seg
        alone = sum(1 for t in tokens if t.seg == seg and not t.digit) == m.end - m.start
        return alone and tokens[-1].seg > 0 and tokens[m.start].text[:1].isupper()

    def _postal(self, tokens, chosen, votes, evidence):
        near = {i for m in chosen for i in (m.start - 1, m.end)}
        for i, t in enumerate(tokens):
            if not (t.digit and len(t.text) == 6):
                continue
            first_in_seg = i == 0 or tokens[i - 1].seg != t.seg
            if not (first_in_seg or i in near):
                continue
            subject = self.gazetteer.postal_subject(t.text)
            if subject:
                votes.append(_Vote("postal", subject, i, t.text))
                evidence.append({"rule": "postal-code", "text": t.text, "value": subject})

    def _fuzzy(self, tokens, chosen, masks, votes):
        covered = {i for m in chosen for i in range(m.start, m.end)}
        for i, t in enumerate(tokens):
            if i in covered or i in masks or t.digit or len(t.low) < 5 or self._known(t):
                continue
            key = t.low if t.cyr else t.keys[0]
            cutoff = 85 if len(key) >= 7 else 90
            hit = process.extractOne(key, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit is None or hit[0][:1] != key[:1]:
                continue
            entries = self.index.fuzzy_names[hit[0]]
            subjects = {e.value.subject if e.kind == "city" else e.value for e in entries}
            if len(subjects) == 1:
                e = entries[0]
                city = e.value if e.kind == "city" else None
                votes.append(_Vote("fuzzy", subjects.pop(), i, f"{t.text} ~ {hit[0]} ({hit[1]:.0f})", city=city))

    def _known(self, t) -> bool:
        """A dictionary word or a word of some gazetteer phrase: never a misspelt place."""
        cached = self._known_cache.get(t.low)
        if cached is None:
            cached = self.morph.word_is_known(t.low) if t.cyr else t.keys[0] in self.index.known_latin
            self._known_cache[t.low] = cached
        return cached

    def _settle_ambiguous(self, votes, ambiguous, evidence):
        for text, options in ambiguous:
            named = {v.subject for v in votes}
            fits = [o for o in options if o.subject in named]
            if len({o.subject for o in fits}) == 1:
                chosen = fits[0]
                votes.append(chosen)
                if chosen.org is not None:
                    evidence.append({"rule": "acronym-settled", "text": text, "value": chosen.org.name_en})
                else:
                    evidence.append({"rule": "city-settled", "text": text,
                                     "value": f"{chosen.city.name_en} ({chosen.subject})"})
            elif len(options) == 1 or all(o.city is not None and o.city.common_word for o in options):
                continue
            elif sum(1 for o in options if o.city is not None and o.city.kind == "capital") == 1:
                chosen = next(o for o in options if o.city.kind == "capital")
                votes.append(_Vote("adjective", chosen.subject, chosen.pos, text, city=chosen.city))
                evidence.append({"rule": "regional-centre-preferred", "text": text,
                                 "value": f"{chosen.city.name_en} ({chosen.subject}) over "
                                          f"{sorted({o.subject for o in options} - {chosen.subject})}"})
            else:
                evidence.append({"rule": "ambiguous", "text": text,
                                 "value": sorted({o.subject for o in options})})
                self._ambiguous_ru = True

    def _decide_subject(self, p: Placement, votes: list[_Vote], orgs, tokens) -> None:
        if not votes:
            if any(e["rule"] == "ambiguous" for e in p.evidence):
                p.status = "ambiguous"
            return
        weight: dict[str, float] = {}
        for v in votes:
            weight[v.subject] = weight.get(v.subject, 0.0) + (7 - CLASS_RANK[v.cls])
        best_rank = min(CLASS_RANK[v.cls] for v in votes)
        top = {v.subject for v in votes if CLASS_RANK[v.cls] == best_rank}
        ranked = sorted(top, key=lambda s: -weight[s])
        if len(ranked) > 1 and weight[ranked[0]] == weight[ranked[1]]:
            p.status = "ambiguous"
            p.evidence.append({"rule": "conflict", "text": None, "value": sorted(top)})
            return
        subject = ranked[0]
        winners = [v for v in votes if v.subject == subject]
        method = min(winners, key=lambda v: CLASS_RANK[v.cls]).cls
        classes = {v.cls for v in winners}
        score = BASE_SCORE[method] + 0.02 * (len(classes) - 1)  # each further rule class that agrees
        losers = sorted({v.subject for v in votes} - {subject})
        if losers:
            score *= 0.85  # another subject was named too
            p.evidence.append({"rule": "conflict", "text": None, "value": f"{subject} preferred over {losers}"})
        p.region, p.method, p.status = subject, method, "placed"
        p.match_score = round(min(score, 0.99), 2)
        p.macroregion = self.gazetteer.macroregion_of(subject)
        if method == "fuzzy":
            fz = next(v for v in winners if v.cls == "fuzzy")
            p.evidence.append({"rule": "fuzzy", "text": fz.text, "value": subject})
        city = next((v.city for v in winners if v.city is not None and v.cls in ("city", "fuzzy")), None)
        org = next((v.org for v in winners if v.org is not None), None)
        if city is None and org is not None and org.city:
            city = self._cities.get((org.city, org.subject))
        if city is None:
            city = next((v.city for v in winners if v.city is not None), None)
        p.city = city.name_en if city else None
        if org is None:
            org = next((o for o in orgs if o.subject is None), None)
        p.organization = org.name_en if org else None


def _span(tokens, m: Match) -> str:
    return " ".join(t.text for t in tokens[m.start:m.end])


def _rule(name: str, entry: Entry) -> str:
    return f"user-{name}" if entry.source == "user" else name
