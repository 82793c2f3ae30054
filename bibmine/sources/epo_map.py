"""EPO OPS ``exchange-document`` (published-data biblio) -> :class:`~bibmine.record.Record`.

Works on :mod:`xml.etree.ElementTree` elements in the ``http://www.epo.org/exchange``
namespace, so an OPS crawler can reuse it on responses it parsed itself.  Patent
conventions (inventors as authors, applicants as affiliations ...) are those of
:mod:`bibmine.sources.patent_map`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bibmine.record import (
    Identifiers,
    Kind,
    PatentNumber,
    Record,
    Text,
)
from bibmine.sources.patent_map import (
    applicant_affiliation,
    class_rubrics,
    inventor,
    npl_reference,
    patent_kind,
    patent_reference,
)

NS = "http://www.epo.org/exchange"
_X = "{" + NS + "}"
# name formats in OPS parties, best first: DOCDB/EPODOC are normalized upper case
_NAME_FORMATS = ("docdb", "epodoc", "original")


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def _iso(date: str | None) -> str | None:
    """'20111228' -> '2011-12-28' (OPS dates are compact)."""
    if not date or not date.isdigit():
        return None
    if len(date) == 8:
        return f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return date[:4] if len(date) >= 4 else None


def _doc_id(ref: ET.Element | None, id_type: str) -> ET.Element | None:
    if ref is None:
        return None
    for d in ref.iter(_X + "document-id"):
        if d.get("document-id-type") == id_type:
            return d
    return None


def _date_of(ref: ET.Element | None) -> str | None:
    for id_type in ("docdb", "epodoc", "original"):
        d = _doc_id(ref, id_type)
        date = _iso(_text(d.find(_X + "date"))) if d is not None else None
        if date:
            return date
    return None


def exchange_document_to_record(doc: ET.Element, *, source: str = "epo_ops", raw: str | None = None) -> Record:
    """Map one ``exchange-document`` element to a Record.

    Raises ValueError for a document OPS reports as missing (``status`` attribute) or
    one without a publication number.
    """
    status = doc.get("status")
    if status:
        raise ValueError(f"OPS reports this document as {status!r}")
    biblio = doc.find(_X + "bibliographic-data")
    if biblio is None:
        biblio = ET.Element(_X + "bibliographic-data")  # an abstract-only response
    pub = biblio.find(_X + "publication-reference")
    docdb = _doc_id(pub, "docdb")
    office = doc.get("country") or (_text(docdb.find(_X + "country")) if docdb is not None else None)
    number = doc.get("doc-number") or (_text(docdb.find(_X + "doc-number")) if docdb is not None else None)
    code = doc.get("kind") or (_text(docdb.find(_X + "kind")) if docdb is not None else None)
    if not office or not number:
        raise ValueError("exchange-document without a publication number (country, doc-number)")

    rec = Record(
        kind=patent_kind(office, code),
        ids=Identifiers(patent=PatentNumber(office=office, number=number, kind_code=code)),
        source=source,
        raw=raw,
        url=f"https://worldwide.espacenet.com/patent/search?q=pn%3D{office}{number}{code or ''}",
    )
    for t in biblio.findall(_X + "invention-title"):
        text = _text(t)
        if text:
            lang = t.get("lang")
            rec.titles.append(Text(text, None if lang in (None, "ol") else lang))  # "ol": original, unnamed
    for a in doc.findall(_X + "abstract"):
        paras = [p for p in map(_text, a.findall(_X + "p")) if p] or [_text(a)]
        text = "\n".join(p for p in paras if p)
        if text:
            lang = a.get("lang")
            rec.abstracts.append(Text(text, None if lang in (None, "ol") else lang))

    priorities = sorted(d for d in (_date_of(p) for p in biblio.iter(_X + "priority-claim")) if d)
    published = _date_of(pub)
    rec.date = published or (priorities[0] if priorities else None)
    rec.year = int(rec.date[:4]) if rec.date else None
    extra = rec.extra
    if priorities:
        extra["priority_date"] = priorities[0]
    filing = _date_of(biblio.find(_X + "application-reference"))
    if filing:
        extra["filing_date"] = filing
    if doc.get("family-id"):
        extra["family_id"] = doc.get("family-id")
    if code:
        extra["kind_code"] = code
    if rec.kind is Kind.OTHER:
        extra["patent_type"] = "design"

    parties = biblio.find(_X + "parties")
    if parties is not None:
        for name, _country in _parties(parties, "inventor"):
            rec.authors.append(inventor(name))
        for name, country in _parties(parties, "applicant"):
            rec.affiliations.append(applicant_affiliation(name, country))

    ipc = [_text(c.find(_X + "text")) for c in biblio.iter(_X + "classification-ipcr")]
    ipc += [_text(c) for c in biblio.iter(_X + "main-classification")]  # pre-2006 IPC layout
    ipc += [_text(c) for c in biblio.iter(_X + "further-classification")]
    cpc = [_cpc_symbol(c) for c in biblio.iter(_X + "patent-classification") if _is_cpc(c)]
    rec.rubrics = class_rubrics(ipc, "ipc", "epo_ops") + class_rubrics(cpc, "cpc", "epo_ops")
    rec.references = _references(biblio.find(_X + "references-cited"))
    return rec


def _parties(parties: ET.Element, role: str) -> list[tuple[str, str | None]]:
    """(name, country) of inventors or applicants in one name format, in sequence order."""
    people = parties.findall(f"{_X}{role}s/{_X}{role}")
    by_format: dict[str, list[ET.Element]] = {}
    for p in people:
        by_format.setdefault(p.get("data-format") or "", []).append(p)
    chosen = next((by_format[f] for f in _NAME_FORMATS if f in by_format), people)
    chosen = sorted(chosen, key=lambda p: int(p.get("sequence") or 0) if (p.get("sequence") or "0").isdigit() else 0)
    out = []
    for p in chosen:
        name = _text(p.find(f"{_X}{role}-name/{_X}name"))
        if not name:
            continue
        country = _text(p.find(f"{_X}residence/{_X}country"))
        # EPODOC appends the country: "HERRALA SAMI [FI]"
        if name.endswith("]") and "[" in name:
            head, _, tail = name.rpartition("[")
            if len(tail) == 3 and tail[:2].isalpha():
                name, country = head.strip(), country or tail[:2]
        name = name.strip(" ,")  # "original" names end in ", "
        if name:
            out.append((name, country))
    return out


def _is_cpc(c: ET.Element) -> bool:
    scheme = c.find(_X + "classification-scheme")
    return scheme is not None and (scheme.get("scheme") or "").upper().startswith("CPC")


def _cpc_symbol(c: ET.Element) -> str | None:
    parts = [_text(c.find(_X + tag)) or "" for tag in ("section", "class", "subclass", "main-group", "subgroup")]
    if not all(parts[:4]):
        return None
    return f"{parts[0]}{parts[1]}{parts[2]}{parts[3]}/{parts[4] or '00'}"


def _references(cited: ET.Element | None) -> list:
    if cited is None:
        return []
    out: dict[str, object] = {}  # a document cited in several phases counts once
    for c in cited.findall(_X + "citation"):
        pat = c.find(_X + "patcit")
        if pat is not None:
            d = _doc_id(pat, "docdb")
            if d is not None:
                ref = patent_reference(
                    _text(d.find(_X + "country")), _text(d.find(_X + "doc-number")), _text(d.find(_X + "kind"))
                )
            else:  # EPODOC numbers carry the office: "WO02054790"
                e = _doc_id(pat, "epodoc")
                num = _text(e.find(_X + "doc-number")) if e is not None else None
                ref = patent_reference(num[:2], num[2:], None) if num and len(num) > 2 else None
        else:
            ref = npl_reference(_text(c.find(f"{_X}nplcit/{_X}text")) or _text(c.find(_X + "nplcit")))
        if ref is not None:
            out.setdefault(ref.resolved or ref.raw or ref.doi or "", ref)
    return list(out.values())
