"""Merge policy: how the shown values of a work are chosen from its source records.

Every source record is kept; the work shows, field by field:

- titles and abstracts: one per language; a mixed-case text beats an ALL-CAPS one,
  then the longest wins (vendors truncate and upper-case titles);
- authors: the list with the most full given names ("Ivanov, Ivan" over "Ivanov, I."),
  then the longest list, then the longest names ("Ivanov, Ivan Ivanovich" over
  "Ivan I. Ivanov"); affiliations come from the same source so author links stay
  right, else from the source with most affiliations when the author counts agree;
  ORCIDs missing there are filled from other sources by byline position;
- citation counts: every source's count is kept, the highest first (with its source);
- year: the value most sources give (ties: the first source); date: the most precise
  date with that year;
- identifiers, venue fields, language, url: the first source that has them, in import
  order; ISSN/ISBN, keywords, funding and rubric assignments: union;
- references: the source with the most references.

``merge_records`` returns the merged record and its provenance, ``{field: [source
record ids]}``, so every shown value can be traced to the import batch that supplied it.
"""

from __future__ import annotations

from collections import Counter

import msgspec

from bibmine.record import (
    CitationCount,
    Identifiers,
    Record,
    Text,
    Venue,
    guess_lang,
    is_initials_only,
)

Sources = list[tuple[int, Record]]


def merge_records(sources: Sources) -> tuple[Record, dict[str, list[int]]]:
    """Merge source records ``[(source_record_id, record), ...]`` (import order) into one."""
    if len(sources) == 1:
        sid, rec = sources[0]
        return msgspec.structs.replace(rec, raw=None), {}
    prov: dict[str, list[int]] = {}
    out = Record(kind=_pick_kind(sources, prov))
    out.titles = _pick_texts(sources, "titles", prov)
    out.abstracts = _pick_texts(sources, "abstracts", prov)
    out.author_keywords = _union_str(sources, "author_keywords", prov)
    out.indexed_keywords = _union_str(sources, "indexed_keywords", prov)
    out.funding = _union_str(sources, "funding", prov)
    out.year, out.date = _pick_year(sources, prov)
    out.venue = _pick_venue(sources, prov)
    out.ids = _pick_ids(sources, prov)
    out.authors, out.affiliations = _pick_authors(sources, prov)
    out.citations = _pick_citations(sources, prov)
    out.references = _pick_most(sources, "references", prov)
    out.rubrics = _union_rubrics(sources, prov)
    for name in ("language", "url"):
        for sid, rec in sources:
            value = getattr(rec, name)
            if value:
                setattr(out, name, value)
                prov[name] = [sid]
                break
    out.source = "+".join(sorted({rec.source or "?" for _, rec in sources}))
    for _, rec in reversed(sources):
        out.extra.update(rec.extra)
    return out, prov


def _pick_kind(sources: Sources, prov: dict) -> object:
    for sid, rec in sources:
        if rec.kind.value != "other":
            prov["kind"] = [sid]
            return rec.kind
    prov["kind"] = [sources[0][0]]
    return sources[0][1].kind


def _text_rank(text: str) -> tuple[bool, int]:
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and all(c.isupper() for c in letters)
    return (not shouting, len(text.strip()))


def _pick_texts(sources: Sources, field: str, prov: dict) -> list[Text]:
    best: dict[str | None, tuple[tuple, Text, int]] = {}
    order: list[str | None] = []
    for sid, rec in sources:
        for t in getattr(rec, field):
            lang = t.lang or guess_lang(t.text)
            rank = _text_rank(t.text)
            if lang not in best:
                order.append(lang)
                best[lang] = (rank, Text(t.text, lang), sid)
            elif rank > best[lang][0]:
                best[lang] = (rank, Text(t.text, lang), sid)
    if order:
        prov[field] = sorted({best[lang][2] for lang in order})
    return [best[lang][1] for lang in order]


def _union_str(sources: Sources, field: str, prov: dict) -> list[str]:
    seen: dict[str, str] = {}
    who: set[int] = set()
    for sid, rec in sources:
        for value in getattr(rec, field):
            key = value.casefold().strip()
            if key and key not in seen:
                seen[key] = value
                who.add(sid)
    if who:
        prov[field] = sorted(who)
    return list(seen.values())


def _pick_year(sources: Sources, prov: dict) -> tuple[int | None, str | None]:
    years = [rec.year for _, rec in sources if rec.year]
    if not years:
        return None, None
    counts = Counter(years)
    top = max(counts.values())
    year = next(y for y in years if counts[y] == top)
    prov["year"] = [sid for sid, rec in sources if rec.year == year]
    dates = [(len(rec.date), sid, rec.date) for sid, rec in sources
             if rec.date and rec.date.startswith(str(year))]
    if not dates:
        return year, None
    _, sid, date = max(dates, key=lambda d: d[0])
    prov["date"] = [sid]
    return year, date


def _pick_venue(sources: Sources, prov: dict) -> Venue:
    venue = Venue()
    who: set[int] = set()
    for sid, rec in sources:
        v = rec.venue
        for name in ("name", "abbreviation", "publisher", "volume", "issue", "pages"):
            if getattr(venue, name) is None and getattr(v, name):
                setattr(venue, name, getattr(v, name))
                who.add(sid)
        for name in ("issn", "isbn"):
            for code in getattr(v, name):
                if code not in getattr(venue, name):
                    getattr(venue, name).append(code)
                    who.add(sid)
        if v.rsci_core is not None and venue.rsci_core is not True:
            venue.rsci_core = v.rsci_core
            who.add(sid)
    if who:
        prov["venue"] = sorted(who)
    return venue


def _pick_ids(sources: Sources, prov: dict) -> Identifiers:
    ids = Identifiers()
    for field in Identifiers.__struct_fields__:
        for sid, rec in sources:
            value = getattr(rec.ids, field)
            if value:
                setattr(ids, field, value)
                prov[f"ids.{field}"] = [sid]
                break
    return ids


def _pick_authors(sources: Sources, prov: dict):
    with_authors = [(sid, rec) for sid, rec in sources if rec.authors]
    if not with_authors:
        return [], _pick_most(sources, "affiliations", prov)

    def rank(item):
        _, rec = item
        full = sum(1 for a in rec.authors if not is_initials_only(a.name))
        return (full, len(rec.authors), sum(len(a.name) for a in rec.authors))

    a_sid, a_rec = max(with_authors, key=rank)  # max keeps the first of equals
    authors = [msgspec.structs.replace(a, affiliations=list(a.affiliations)) for a in a_rec.authors]
    prov["authors"] = [a_sid]
    affiliations = list(a_rec.affiliations)
    if affiliations:
        prov["affiliations"] = [a_sid]
    else:
        donors = [(sid, rec) for sid, rec in sources if rec.affiliations]
        if donors:
            f_sid, f_rec = max(donors, key=lambda item: len(item[1].affiliations))
            affiliations = list(f_rec.affiliations)
            prov["affiliations"] = [f_sid]
            if len(f_rec.authors) == len(authors):
                for mine, theirs in zip(authors, f_rec.authors, strict=True):
                    mine.affiliations = list(theirs.affiliations)
    for sid, rec in sources:  # fill ORCIDs by byline position where the lists agree
        if sid == a_sid or len(rec.authors) != len(authors):
            continue
        for mine, theirs in zip(authors, rec.authors, strict=True):
            if not mine.orcid and theirs.orcid:
                mine.orcid = theirs.orcid
                prov.setdefault("authors", [a_sid]).append(sid)
    return authors, affiliations


def _pick_citations(sources: Sources, prov: dict) -> list[CitationCount]:
    best: dict[str, tuple[CitationCount, int]] = {}
    for sid, rec in sources:
        for c in rec.citations:
            if c.source not in best or c.count > best[c.source][0].count:
                best[c.source] = (c, sid)
    if best:
        prov["citations"] = sorted({sid for _, sid in best.values()})
    return sorted((c for c, _ in best.values()), key=lambda c: -c.count)


def _pick_most(sources: Sources, field: str, prov: dict) -> list:
    sid, rec = max(sources, key=lambda item: len(getattr(item[1], field)))
    values = list(getattr(rec, field))
    if values:
        prov[field] = [sid]
    return values


def _union_rubrics(sources: Sources, prov: dict) -> list:
    seen = {}
    for sid, rec in sources:
        for r in rec.rubrics:
            key = (r.scheme, r.code, r.source, r.annotator)
            if key not in seen:
                seen[key] = r
                prov.setdefault("rubrics", []).append(sid)
    if "rubrics" in prov:
        prov["rubrics"] = sorted(set(prov["rubrics"]))
    return list(seen.values())

