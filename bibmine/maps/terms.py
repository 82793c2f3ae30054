"""Terms from titles and abstracts: noun phrases in English and Russian, unified as VOSviewer does.

VOSviewer's term identification (Manual 1.6.18, 3.5.4): copyright statements removed, noun
phrases = the longest runs of adjectives and nouns ending in a noun (no prepositions, no
very general adjectives), unified by dropping most non-alphanumeric characters and accents,
lower case, and the last word made singular.  Here:

- tokens come from spaCy *blank* pipelines (``spacy.blank("en")`` / ``"ru"``: tokenizer,
  stop words, ``like_num``; no model is downloaded);
- Russian words are tagged by pymorphy3: a phrase is a run of NOUN/ADJF/PRTF ending in a
  NOUN; the first noun (the head) becomes nominative singular, the adjectives before it
  agree with it, the words after it (genitive dependents) stay as written:
  "инновационные кластеры региона" -> "инновационный кластер региона";
- English has no tagger in a blank pipeline, so rules stand in for it (the word lists are data,
  ``data/general_words.csv``, and editable): stop words, numbers, punctuation, ``-ly`` adverbs,
  listed verbs and ``-ize``/``-ify`` verbs end a phrase; an ``-ed`` word ends it too unless it is
  listed (``ed_word``: "supervised", "unmanned", "infrared") or ends a hyphenated modifier
  ("home-based"); an ``-ing`` word that starts a phrase is a verb ("by measuring the", "completing
  missing values") unless listed as a noun (``ing_word``: "learning", "training") or an adjective
  (``ing_adjective``: "missing", "citing"), or capitalised inside a sentence ("Beijing"); after a
  noun it belongs to the term ("contact tracing app"); trailing adjectives (suffixes, and the
  ``adjective`` list: "incomplete", "robust") are trimmed, and a lone word after an adverb or a
  copula is taken for a predicate ("is highly accurate", "devices are cheap") and dropped; the
  last word is made singular with suffix rules and the exceptions in ``data/en_plurals.csv``;
- acronyms (``acronyms.py``): "Bluetooth Low Energy (BLE)" defines BLE for the whole record (title
  and abstracts), the parenthesis goes and every "BLE" becomes "Bluetooth Low Energy"; a term with
  an acronym its record did not define takes the long form another record gave, is kept if the
  acronym is in at least ``acronym_min_documents`` records (3), and is dropped otherwise
  (:meth:`TermExtractor.final_key`, applied by ``collect`` at the end of the corpus);
- whole terms in ``data/stop_terms.csv`` (editable) are never kept: "vol", "paper", generic nouns
  of abstracts such as "detail", "role", "статья";
- known limit of the English rules: a verb that is not listed and has no ``-ed`` ending
  joins the phrase before it ("spillovers matter"); the relevance filter and the minimum
  number of occurrences usually drop such phrases.  No English part-of-speech model installs
  from PyPI (spaCy's en_core_web_sm is published outside it; see docs/maps.md);
- phrases longer than ``max_words`` keep their last ``max_words`` words (English) or first
  (Russian, where the head comes first).

>>> ex = TermExtractor()
>>> ex.phrases("The artificial neural networks are highly accurate.", "en")
[('artificial neural network', 'artificial neural network')]
>>> singular("studies"), singular("analyses"), singular("process"), singular("economics")
('study', 'analysis', 'process', 'economics')
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from bibmine.corpus.model import Record, fold, guess_lang
from bibmine.maps.acronyms import AcronymLedger, expand_record, is_acronym, written_in_capitals
from bibmine.maps.labels import plain_text

_COPYRIGHT = re.compile(r"(?:©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b).*$", re.IGNORECASE | re.DOTALL)
_NON_ALNUM = re.compile(r"[^\w\s-]+", re.UNICODE)
_EN_ADJ_END = ("ous", "ful", "less", "ical", "al", "ic", "ive", "ary", "able", "ible")
_EN_VERB_END = ("ize", "izes", "ise", "ises", "ify", "ifies")
_RU_PHRASE_POS = {"NOUN", "ADJF", "PRTF"}
_COPULAS = frozenset(["is", "are", "was", "were", "be", "been", "being", "become", "becomes", "became", "remain",
                      "remains", "remained", "seem", "seems", "seemed", "appear", "appears", "appeared"])


def _data(name: str):
    return resources.files("bibmine.maps") / "data" / name


@lru_cache(maxsize=1)
def _general_words() -> dict[tuple[str, str], frozenset[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    with _data("general_words.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault((row["lang"], row["kind"]), set()).add(row["word"])
    return {k: frozenset(v) for k, v in out.items()}


def general_words(lang: str, kind: str) -> frozenset[str]:
    return _general_words().get((lang, kind), frozenset())


@lru_cache(maxsize=1)
def _stop_terms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    with _data("stop_terms.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["lang"], set()).add(row["term"].strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


def stop_terms(lang: str) -> frozenset[str]:
    """Terms never kept (``data/stop_terms.csv``, editable): "vol", "paper", "статья", ..."""
    return _stop_terms().get(lang, frozenset())


@lru_cache(maxsize=1)
def _compounds() -> dict[str, list[tuple[str, ...]]]:
    """First word -> English compound terms holding a preposition (``data/en_compound_terms.csv``), longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    with _data("en_compound_terms.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            words = tuple(row["term"].lower().split())
            out.setdefault(words[0], []).append(words)
    return {k: sorted(v, key=len, reverse=True) for k, v in out.items()}


def _merge_compounds(tokens: list[Token]) -> list[Token]:
    """Listed compounds ("internet of things") become one word of a phrase."""
    compounds = _compounds()
    out: list[Token] = []
    k = 0
    while k < len(tokens):
        for words in compounds.get(tokens[k][0], ()):
            got = [t[0] for t in tokens[k:k + len(words)]]
            if len(got) == len(words) and got[:-1] == list(words[:-1]) and singular(got[-1]) == singular(words[-1]):
                out.append((" ".join(words[:-1] + (singular(words[-1]),)), True, False, False))
                k += len(words)
                break
        else:
            out.append(tokens[k])
            k += 1
    return out


def _adjective_like(word: str) -> bool:
    """An adjective, trimmed from the end of a phrase ("values are missing", "is incomplete")."""
    if word in general_words("en", "adjective") or word in general_words("en", "ing_adjective"):
        return True
    return word.endswith(_EN_ADJ_END) and word not in general_words("en", "noun_like_adjective")


@lru_cache(maxsize=1)
def _plurals() -> dict[str, str]:
    with _data("en_plurals.csv").open(encoding="utf-8") as fh:
        return {row["plural"]: row["singular"] for row in csv.DictReader(fh)}


def singular(word: str) -> str:
    """English singular of a (lower-case) noun by suffix rules, with listed exceptions."""
    exceptions = _plurals()
    if word in exceptions:
        return exceptions[word]
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ics", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=4)
def _nlp(lang: str):
    import spacy

    return spacy.blank(lang)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


Token = tuple[str, bool, bool, bool]
_SENTENCE_END = frozenset(".!?:;")


def _tokens(doc, acronyms: bool = True) -> list[Token]:
    """(lower-case text, can be in a phrase, written as an acronym, capitalised inside a sentence) per
    word; hyphenated words ("co-authorship", "научно-технический") are joined back into one word."""
    out: list[Token] = []
    tokens = list(doc)
    k = 0
    while k < len(tokens):
        t = tokens[k]
        text = t.lower_
        proper = t.text[:1].isupper() and k > 0 and tokens[k - 1].text not in _SENTENCE_END
        ok = t.is_alpha and not t.is_stop
        acronym = acronyms and is_acronym(t.text)
        if acronym and len(t.text) > 2 and t.text.endswith("s") and t.text[-2].isupper():
            text = text[:-1]  # "HBSTs": the plural of an acronym
        while (k + 2 < len(tokens) and tokens[k + 1].text == "-" and not t.whitespace_ and not
               tokens[k + 1].whitespace_ and tokens[k + 2].is_alpha and (t.is_alpha or "-" in text)):
            k += 2
            t = tokens[k]
            text = f"{text}-{t.lower_}"
            ok = True
            acronym = acronym or (acronyms and is_acronym(t.text))
        out.append((text, ok and not t.like_num and len(text) > 1, acronym, proper))  # "k", "l": never a term
        k += 1
    return out


def _split_at_verbs(run: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """A run without the unlisted -ing words that start it: verbs ("by measuring the", "completing
    missing values"); after a noun an -ing word is part of the term ("contact tracing app")."""
    k = 0
    while k < len(run) and run[k][2]:
        k += 1
    return run[k:]


class TermExtractor:
    """Noun phrases of titles and abstracts; see the module docstring for the rules."""

    def __init__(self, max_words: int = 5, ignore_copyright: bool = True, ignore_structured_labels: bool = True,
                 acronym_min_documents: int = 3):
        self.max_words = max_words
        self.ignore_copyright = ignore_copyright
        self.ignore_structured_labels = ignore_structured_labels
        self.acronym_min_documents = acronym_min_documents
        self.acronyms = AcronymLedger()
        self._used: set[str] = set()
        self._ru_cache: dict[str, tuple[str, object] | None] = {}

    # ------------------------------------------------------------ public
    def record_terms(self, record: Record) -> list[tuple[str, str]]:
        """Every term occurrence (key, label) in the record's titles and abstracts, repeats kept;
        acronyms the record defines are expanded (``acronyms.py``), the others noted in
        :attr:`acronyms` for :meth:`final_key`."""
        texts, langs = [], []
        for text in [*record.titles, *record.abstracts]:
            if not text.text:
                continue
            # the script decides between English and Russian: sources tag a Russian title "en" too
            langs.append((guess_lang(text.text) or text.lang) if text.lang in (None, "en", "ru") else text.lang)
            texts.append(self._clean(text.text))
        texts, definitions = expand_record(texts)
        self._used = set()
        out: list[tuple[str, str]] = []
        for text, lang in zip(texts, langs, strict=True):
            out += self._phrases(text, lang)
        self.acronyms.record(definitions, self._used)
        return out

    def phrases(self, text: str, lang: str | None) -> list[tuple[str, str]]:
        """The terms of one text, its own acronym definitions expanded."""
        if not text or lang not in ("en", "ru"):
            return []
        texts, _ = expand_record([self._clean(text)])
        return self._phrases(texts[0], lang)

    def final_key(self, key: str) -> str | None:
        """After a corpus pass: the key of a term that holds an acronym no record of its own defined -
        expanded with the long form another record gave, kept when the acronym is in at least
        ``acronym_min_documents`` records, None (dropped) otherwise."""
        return self.acronyms.resolve(key, self.acronym_min_documents, self._unify)

    def _unify(self, words: list[str]) -> str:
        words = [fold(w) for w in words]
        words[-1] = singular(words[-1])
        return _NON_ALNUM.sub("", " ".join(words)).strip()

    def _clean(self, text: str) -> str:
        text = plain_text(text)  # "<inf>", "<i>", "&amp;" out before tokenizing
        return _COPYRIGHT.sub("", text) if self.ignore_copyright else text

    def _phrases(self, text: str, lang: str | None) -> list[tuple[str, str]]:
        if not text or lang not in ("en", "ru"):
            return []
        doc = _nlp(lang)(text)
        if lang == "ru":
            return self._phrases_ru(doc)
        return self._phrases_en(doc, not written_in_capitals(text))

    # ------------------------------------------------------------ English
    def _en_word_ok(self, w: str, ok: bool) -> bool:
        if not ok:
            return False
        if w in general_words("en", "general_adjective") or w in general_words("en", "verb"):
            return False
        if len(w) > 4 and w.endswith("ly"):
            return False
        if len(w) > 5 and w.endswith(_EN_VERB_END) and w not in general_words("en", "noun_ending_like_verb"):
            return False  # emphasize, utilises, identify
        if len(w) > 5 and w.endswith("ed"):  # a participle, unless listed or the end of "home-based"
            return "-" in w or w in general_words("en", "ed_word")
        return True

    def _phrases_en(self, doc, acronyms: bool = True) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        run: list[tuple[str, bool, bool]] = []  # (folded word, acronym, -ing verb)
        # "is highly accurate", "devices are cheap": a lone word after an adverb or a copula is a predicate
        after_adverb = previous_adverb = False
        for word, ok, acronym, proper in [*_merge_compounds(_tokens(doc, acronyms)), ("", False, False, False)]:
            if acronym:
                self._used.add(word)
            if " " in word or self._en_word_ok(word, ok):
                if not run:
                    after_adverb = previous_adverb
                verb = (len(word) > 5 and word.endswith("ing") and not proper and not acronym and "-" not in word
                        and " " not in word and word not in general_words("en", "ing_word")
                        and word not in general_words("en", "ing_adjective"))
                run.append((fold(word), acronym, verb))
                previous_adverb = False
                continue
            previous_adverb = (len(word) > 4 and word.endswith("ly")) or word in _COPULAS
            self._emit(_split_at_verbs(run), after_adverb, out)
            run = []
        return out

    def _emit(self, run: list[tuple[str, bool, bool]], after_adverb: bool, out: list[tuple[str, str]]) -> None:
        while run and " " not in run[-1][0] and not run[-1][1] and _adjective_like(run[-1][0]):
            run = run[:-1]
        if not run or (len(run) == 1 and after_adverb):
            return
        kept = run[-self.max_words:]
        words = [w for w, _, _ in kept]
        if not kept[-1][1]:  # an acronym stays as written ("SARS")
            words[-1] = singular(words[-1])
        phrase = _NON_ALNUM.sub("", " ".join(words)).strip()
        label_only = len(words) == 1 and phrase in general_words("en", "structured_label")
        if not phrase or phrase in stop_terms("en") or (self.ignore_structured_labels and label_only):
            return
        out.append((phrase, phrase))
        marked = {_NON_ALNUM.sub("", w) for w, (_, a, _) in zip(words, kept, strict=True) if a}
        if marked:
            self.acronyms.term(phrase, marked)

    # ------------------------------------------------------------ Russian
    def _ru_parse(self, word: str):
        """(POS, parse) of a Russian word form, or None when it cannot be in a phrase."""
        if word in self._ru_cache:
            return self._ru_cache[word]
        result = None
        p = _morph().parse(word)[0]  # pymorphy3's most probable reading
        if p.tag.POS in _RU_PHRASE_POS and p.normal_form.replace("ё", "е") not in general_words("ru",
                                                                                                 "general_adjective"):
            result = (p.tag.POS, p)
        self._ru_cache[word] = result
        return result

    def _phrases_ru(self, doc) -> list[tuple[str, str]]:
        out = []
        run: list[tuple[str, object, str]] = []
        for word, ok, _, _ in [*_tokens(doc, False), ("", False, False, False)]:
            if ok and any("\u0400" <= c <= "\u04ff" for c in word):
                parsed = self._ru_parse(word)
                if parsed is not None:
                    run.append((parsed[0], parsed[1], word))
                    continue
            while run and run[-1][0] != "NOUN":
                run.pop()
            if run:
                phrase = self._unify_ru(run[: self.max_words] if run[0][0] == "NOUN" else run)
                if phrase:
                    out.append((phrase, phrase))
            run = []
        return out

    def _unify_ru(self, run: list[tuple[str, object, str]]) -> str | None:
        head = next(k for k, (pos, _, _) in enumerate(run) if pos == "NOUN")
        run = run[max(0, head - self.max_words + 1): head + self.max_words]
        head = next(k for k, (pos, _, _) in enumerate(run) if pos == "NOUN")
        noun = run[head][1]
        lemma = noun.normal_form
        nominative = noun.inflect({"nomn", "sing"}) or noun.inflect({"nomn"})
        if nominative is not None:
            lemma = nominative.word
        number = "plur" if nominative is not None and "plur" in nominative.tag else "sing"
        gender = noun.tag.gender
        words = []
        for _, parse, _ in run[:head]:
            grammemes = {"nomn", number} | ({gender} if gender and number == "sing" else set())
            agreed = parse.inflect(grammemes)
            words.append(agreed.word if agreed is not None else parse.normal_form)
        words.append(lemma)
        words += [surface for _, _, surface in run[head + 1:]]
        phrase = " ".join(w.replace("ё", "е") for w in words)
        if phrase in stop_terms("ru"):
            return None
        if self.ignore_structured_labels and len(words) == 1 and phrase in general_words("ru", "structured_label"):
            return None
        return phrase
