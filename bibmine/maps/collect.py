"""From records to a sparse incidence matrix: which items occur in which documents.

One pass over an iterable of :class:`~bibmine.corpus.model.Record` (a corpus streams them)
fills flat arrays - nothing per record is kept - so a million records fit in memory:
item ids per document, their counts, the document's year, citation count and regions.
Each raw mention (a keyword string, an author name, ...) is resolved to an item once and
cached, with the thesaurus applied, so repeated mentions cost a dictionary lookup.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from bibmine.corpus.model import Record, display_name, normalize_doi, normalize_person
from bibmine.corpus.placeholders import is_placeholder
from bibmine.maps import items as it
from bibmine.maps.labels import clean_label, unescape_entities
from bibmine.maps.thesaurus import Thesaurus

_MISSING = object()


@dataclass(frozen=True)
class KindSpec:
    """What a map kind counts, and how VOSviewer should name things in it."""

    name: str
    item: str
    link: str
    link_strength: str
    weight: str  # the occurrence weight: Occurrences, Documents, Citations, ...
    multiplicity: bool = False  # count repeated mentions in a document (terms)
    transpose: bool = False  # items are the documents, linked through what they mention (coupling)
    thesaurus: bool = True  # controlled codes (regions, rubrics) are not rewritten

    def terminology(self) -> dict[str, str]:
        plural = plural_noun(self.item)
        return {"item": self.item, "items": plural, "link": self.link, "links": self.link + "s",
                "link_strength": self.link_strength, "total_link_strength": "Total " + self.link_strength.lower()}


def plural_noun(noun: str) -> str:
    """English plural of a terminology noun: Country -> Countries, Address -> Addresses, Keyword -> Keywords.

    >>> [plural_noun(w) for w in ("Country", "Keyword", "Address", "Key", "Cited reference")]
    ['Countries', 'Keywords', 'Addresses', 'Keys', 'Cited references']
    """
    if noun.endswith(("s", "x", "sh", "ch")):
        return noun + "es"
    if noun.endswith("y") and len(noun) > 1 and noun[-2].lower() not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


KINDS: dict[str, KindSpec] = {
    "keywords": KindSpec("keywords", "Keyword", "Co-occurrence link", "Co-occurrences", "Occurrences"),
    "terms": KindSpec("terms", "Term", "Co-occurrence link", "Co-occurrences", "Occurrences", multiplicity=True),
    "rubrics": KindSpec("rubrics", "Rubric", "Co-occurrence link", "Co-occurrences", "Occurrences",
                        thesaurus=False),
    "authors": KindSpec("authors", "Author", "Co-authorship link", "Co-authored documents", "Documents"),
    "orgs": KindSpec("orgs", "Organization", "Co-authorship link", "Co-authored documents", "Documents"),
    "regions": KindSpec("regions", "Region", "Co-authorship link", "Co-authored documents", "Documents",
                        thesaurus=False),
    "countries": KindSpec("countries", "Country", "Co-authorship link", "Co-authored documents", "Documents",
                          thesaurus=False),
    "coupling": KindSpec("coupling", "Document", "Bibliographic coupling link", "Shared references",
                         "Cited references", transpose=True),
    "cocitation": KindSpec("cocitation", "Cited reference", "Co-citation link", "Co-citations", "Citations"),
}


def _reference_mentions(record: Record) -> Iterable[Hashable]:
    return ((r.resolved, r.doi, r.raw) for r in record.references)


def _resolve_reference(raw: tuple) -> tuple[str, str] | None:
    resolved, doi, text = raw
    if resolved and resolved.strip():
        return "id:" + resolved.strip().lower(), clean_label(text or resolved)[:200]
    ndoi = normalize_doi(doi) or normalize_doi(text)
    if ndoi:
        return "doi:" + ndoi, clean_label(text or ndoi)[:200]
    if text and text.strip() and it.norm_key(text):
        return "raw:" + it.norm_key(text), clean_label(text)[:200]
    return None


def _keyword_mentions(field_name: str) -> Callable[[Record], Iterable[Hashable]]:
    if field_name not in ("author", "indexed", "all"):
        raise ValueError(f"keyword field must be author, indexed or all, not {field_name!r}")

    def mentions(record: Record) -> Iterable[Hashable]:
        values = record.author_keywords if field_name == "author" else (
            record.indexed_keywords if field_name == "indexed" else record.author_keywords + record.indexed_keywords)
        for v in values:
            if "&" in v:  # "R&amp;D; policy": the ";" of an entity does not separate keywords
                v = unescape_entities(v)
            if ";" in v:
                yield from (p for p in v.split(";") if p.strip())
            else:
                yield v
    return mentions


def _rubric_mentions(level: int, scheme: str, source: str | None):
    def mentions(record: Record) -> Iterable[Hashable]:
        for r in record.rubrics:
            if r.scheme == scheme and (source is None or r.source == source):
                parts = [p for p in r.code.strip().split(".") if p]
                if len(parts) >= level:
                    yield ".".join(parts[:level])
    return mentions


def _resolve_keyword(raw: str) -> tuple[str, str] | None:
    """(key, shown label) of a keyword; None for an empty one or a vendor placeholder ("null", "NA", "0")."""
    key = it.norm_key(raw)
    if not key or is_placeholder(key):
        return None
    return key, it.display(raw)


def _resolve_author(raw: tuple[str, str | None]) -> tuple[str, str] | None:
    """One form per person: ``Surname, I.`` as label, its comparable form as key (placeholders: None).
    An ORCID is kept beside the key so that :func:`collect` merges name variants sharing it."""
    name, orcid = raw
    shown = display_name(name)
    if not shown:
        return None
    key = normalize_person(shown)
    return (key, shown) if key else None


def held_rubric_level(records: Iterable[Record], scheme: str = "grnti", source: str | None = None) -> int:
    """The rubric level the records hold: the most common depth of their codes (ties: the coarser); 1 if none.

    ``rubrics classify`` stores level-1 codes ("06"), manual labels may be deeper ("06.71.57").
    """
    depths: dict[int, int] = {}
    for record in records:
        for r in record.rubrics:
            if r.scheme == scheme and (source is None or r.source == source):
                d = min(3, len([p for p in r.code.strip().split(".") if p]))
                if d:
                    depths[d] = depths.get(d, 0) + 1
    return max(sorted(depths), key=lambda d: depths[d]) if depths else 1


def _label_key(kind: str) -> Callable[[str], str]:
    if kind == "authors":
        return normalize_person
    if kind in ("coupling", "cocitation"):
        return lambda label: "raw:" + it.norm_key(label)
    return it.norm_key


def kind_functions(kind: str, *, keyword_field: str = "author", rubric_level: int | None = 2,
                   rubric_scheme: str = "grnti", rubric_source: str | None = None,
                   lang: str = "ru", term_extractor=None):
    """(mentions(record) -> raw mentions, resolve(raw) -> (key, label) or None) for a kind."""
    if kind == "keywords":
        return _keyword_mentions(keyword_field), _resolve_keyword
    if kind == "terms":
        if term_extractor is None:
            from bibmine.maps.terms import TermExtractor

            term_extractor = TermExtractor()
        return term_extractor.record_terms, lambda pair: pair
    if kind == "rubrics":
        return (_rubric_mentions(rubric_level or 1, rubric_scheme, rubric_source),
                lambda code: (code, it.rubric_label(code, rubric_scheme, lang)))
    if kind == "authors":
        return (lambda r: ((a.name, a.orcid) for a in r.authors if a.name and a.name.strip()), _resolve_author)
    if kind == "orgs":
        return (lambda r: (a.organization for a in r.affiliations if a.organization and a.organization.strip()),
                lambda s: (it.norm_key(s), clean_label(s)) if it.norm_key(s) and not is_placeholder(s) else None)
    if kind == "regions":
        return (lambda r: (a.region.upper() for a in r.affiliations if a.region),
                lambda code: (code, it.region_label(code, lang)))
    if kind == "countries":
        return (lambda r: (a.country.upper() for a in r.affiliations if a.country), lambda code: (code, code))
    if kind in ("coupling", "cocitation"):
        return _reference_mentions, _resolve_reference
    raise ValueError(f"unknown map kind {kind!r}; choose one of {', '.join(KINDS)}")


@dataclass
class Incidence:
    """Documents x mentioned things (counts), with per-document year, citations and regions."""

    matrix: sp.csr_matrix
    keys: list[str]
    labels: list[str]
    doc_year: np.ndarray  # NaN: unknown
    doc_cites: np.ndarray  # NaN: unknown
    doc_regions: sp.csr_matrix  # documents x region codes, 0/1
    region_codes: list[str]
    docs: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # key, label, title, doi
    stats: dict[str, int] = field(default_factory=dict)


COAUTHORSHIP_KINDS = ("authors", "orgs", "regions", "countries")


def collect(records: Iterable[Record], kind: str, *, record_filter: it.RecordFilter | None = None,
            thesaurus: Thesaurus | None = None, keep_docs: bool = False, max_per_document: int | None = None,
            **kind_options) -> Incidence:
    """One pass over ``records``; see the module docstring.

    ``max_per_document``: a document with more distinct items is left out (VOSviewer's "maximum
    number of authors per document", 25 by default in its co-authorship maps: a consortium paper
    with 2,000 authors would otherwise be one clique larger than the rest of the map).
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown map kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "terms" and kind_options.get("term_extractor") is None:
        from bibmine.maps.terms import TermExtractor

        kind_options["term_extractor"] = TermExtractor()
    mentions, resolve = kind_functions(kind, **kind_options)
    use_thesaurus = thesaurus if (thesaurus and spec.thesaurus) else None
    label_key = _label_key(kind)
    cache: dict[Hashable, int] = {}
    orcid_key: dict[str, str] = {}
    keys: list[str] = []
    index: dict[str, int] = {}
    votes: dict[Hashable, int] = {}
    raw_label: dict[Hashable, str] = {}
    indptr, indices, counts = array("q", [0]), array("i"), array("f")
    years, cites = array("f"), array("f")
    reg_ptr, reg_idx = array("q", [0]), array("i")
    region_index: dict[str, int] = {}
    docs: list[tuple[str, str, str | None, str | None]] = []
    stats = {"records": 0, "used": 0, "without_items": 0, "ignored_by_thesaurus": 0}
    multiplicity = spec.multiplicity

    for n, record in enumerate(records):
        stats["records"] += 1
        if record_filter is not None:
            reason = record_filter.reason_to_skip(record)
            if reason is not None:
                stats[f"skipped: {reason}"] = stats.get(f"skipped: {reason}", 0) + 1
                continue
        found: dict[int, int] = {}
        for raw in mentions(record):
            idx = cache.get(raw, _MISSING)
            if idx is _MISSING:
                idx = -1
                resolved = resolve(raw)
                if resolved is not None and resolved[0]:
                    key, label = resolved
                    if kind == "authors" and raw[1]:  # the first name form seen with an ORCID keys them all
                        key = orcid_key.setdefault(raw[1].strip().lower(), key)
                    if use_thesaurus is not None:
                        replaced = use_thesaurus.apply(label)
                        if replaced is None:
                            stats["ignored_by_thesaurus"] += 1
                            key = None
                        elif replaced != label:
                            key, label = label_key(replaced), replaced
                    if key:
                        idx = index.get(key)
                        if idx is None:
                            idx = index[key] = len(keys)
                            keys.append(key)
                        raw_label[raw] = label
                cache[raw] = idx
            if idx < 0:
                continue
            votes[raw] = votes.get(raw, 0) + 1
            if multiplicity:
                found[idx] = found.get(idx, 0) + 1
            else:
                found[idx] = 1
        if not found:
            stats["without_items"] += 1
            continue
        if max_per_document and len(found) > max_per_document:
            reason = f"skipped: more than {max_per_document} {kind} in the document"
            stats[reason] = stats.get(reason, 0) + 1
            continue
        stats["used"] += 1
        indices.extend(found.keys())
        counts.extend(found.values())
        indptr.append(len(indices))
        years.append(float(record.year) if record.year is not None else np.nan)
        best = it.best_citation_count(record)
        cites.append(float(best) if best is not None else np.nan)
        for code in {a.region.upper() for a in record.affiliations if a.region}:
            reg_idx.append(region_index.setdefault(code, len(region_index)))
        reg_ptr.append(len(reg_idx))
        if keep_docs:
            docs.append((it.document_key(record, n), it.document_label(record), record.title, record.ids.doi))

    n_docs = len(indptr) - 1
    matrix = sp.csr_matrix((np.frombuffer(counts, dtype=np.float32).astype(np.float64),
                            np.frombuffer(indices, dtype=np.int32), np.frombuffer(indptr, dtype=np.int64)),
                           shape=(n_docs, len(keys)))
    regions = sp.csr_matrix((np.ones(len(reg_idx)), np.frombuffer(reg_idx, dtype=np.int32),
                             np.frombuffer(reg_ptr, dtype=np.int64)), shape=(n_docs, len(region_index)))
    labels = _choose_labels(keys, cache, votes, raw_label)
    if kind == "terms" and hasattr(kind_options["term_extractor"], "final_key"):
        matrix, keys, labels = _final_terms(matrix, keys, labels, kind_options["term_extractor"], use_thesaurus,
                                            stats)
    return Incidence(matrix, keys, labels, np.frombuffer(years, dtype=np.float32).astype(np.float64),
                     np.frombuffer(cites, dtype=np.float32).astype(np.float64), regions,
                     sorted(region_index, key=region_index.get), docs, stats)


def _final_terms(matrix: sp.csr_matrix, keys: list[str], labels: list[str], extractor, thesaurus, stats: dict
                 ) -> tuple[sp.csr_matrix, list[str], list[str]]:
    """Terms once the whole corpus is read: those holding an acronym their record did not define are
    expanded with another record's definition, kept when the acronym is frequent, or dropped
    (:meth:`TermExtractor.final_key`); spellings with and without hyphens are one term ("light-beam",
    "light beam"), shown as the more frequent; columns that become one term are added up."""
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    new_index: dict[str, int] = {}
    new_keys: list[str] = []
    best: list[tuple[float, str]] = []  # per new term: (count of its most frequent spelling, that spelling)
    spelled: dict[tuple[int, str], float] = {}
    target = np.full(len(keys), -1, dtype=np.int64)
    for k, (key, label) in enumerate(zip(keys, labels, strict=True)):
        final = extractor.final_key(key)
        if not final:
            stats["terms_with_rare_acronyms"] = stats.get("terms_with_rare_acronyms", 0) + 1
            continue
        if final != key:
            label = final
            if thesaurus is not None:
                label = final = thesaurus.apply(final)
                if final is None:
                    stats["ignored_by_thesaurus"] += 1
                    continue
        canonical = final.replace("-", " ")
        idx = new_index.get(canonical)
        if idx is None:
            idx = new_index[canonical] = len(new_keys)
            new_keys.append(canonical)
            best.append((-1.0, label))
        target[k] = idx
        count = spelled[(idx, label)] = spelled.get((idx, label), 0.0) + float(totals[k])
        if count > best[idx][0]:
            best[idx] = (count, label)
    new_labels = [label for _, label in best]
    if new_keys == keys and np.array_equal(target, np.arange(len(keys))):
        return matrix, keys, new_labels
    cols = np.flatnonzero(target >= 0)
    merge = sp.csr_matrix((np.ones(len(cols)), (cols, target[cols])), shape=(len(keys), len(new_keys)))
    return sp.csr_matrix(matrix @ merge), new_keys, new_labels


def _choose_labels(keys: list[str], cache: dict, votes: dict, raw_label: dict) -> list[str]:
    """Each item's most frequent label variant (ties: the first seen)."""
    tally: dict[int, dict[str, int]] = {}
    for raw, count in votes.items():
        per_item = tally.setdefault(cache[raw], {})
        label = raw_label[raw]
        per_item[label] = per_item.get(label, 0) + count
    return [max(tally[i].items(), key=lambda kv: kv[1])[0] if i in tally else keys[i] for i in range(len(keys))]
