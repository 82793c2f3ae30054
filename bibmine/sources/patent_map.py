"""Patent documents -> :class:`~bibmine.record.Record`: shared rules and the
Lens.org patent JSON mapping (:func:`lens_patent_to_record`, also for a Lens API crawler).

Conventions for every patent source:

* ``ids.patent`` is the publication number (office, number, kind code);
* inventors are the authors; applicants are the affiliations (``raw`` is the name
  with the country in brackets, as EPO prints it: ``9SOLUTIONS OY [FI]``);
* IPC/CPC symbols are rubrics (scheme ``ipc``/``cpc``, source ``foreign``);
* ``year``/``date`` are the publication date (the priority date when there is no
  publication date); ``extra`` keeps ``priority_date``, ``filing_date``, ``family_id``;
* cited patents are references with ``resolved`` = office+number+kind (the form
  :meth:`~bibmine.record.Identifiers.pairs` uses), non-patent literature keeps
  its text and DOI.
"""

from __future__ import annotations

import re

from bibmine.record import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    PatentNumber,
    Record,
    Reference,
    RubricAssignment,
    Text,
    normalize_doi,
    normalize_person,
)

# offices whose "Y" kind codes are utility models (CN before 2010, JP/KR examined UMs)
_Y_UTILITY_OFFICES = frozenset({"CN", "JP", "KR", "TW"})


def patent_kind(office: str | None, kind_code: str | None, publication_type: str | None = None) -> Kind:
    """Kind of a patent publication from its kind code (and Lens publication type).

    >>> patent_kind("RU", "U1").value, patent_kind("RU", "C1").value, patent_kind("CN", "Y").value
    ('utility_model', 'patent', 'utility_model')
    >>> patent_kind("US", "S1").value, patent_kind("EP", "A1", "UTILITY_MODEL").value
    ('other', 'utility_model')
    """
    ptype = (publication_type or "").upper()
    code = (kind_code or "").upper()
    if "UTILITY" in ptype or code.startswith("U"):
        return Kind.UTILITY_MODEL
    if code.startswith("Y") and (office or "").upper() in _Y_UTILITY_OFFICES:
        return Kind.UTILITY_MODEL
    if ptype == "DESIGN_RIGHT" or code.startswith("S"):
        return Kind.OTHER  # industrial designs: no Kind for them (see extra["patent_type"])
    return Kind.PATENT


_IPC = re.compile(r"^\s*([A-HY]\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")


def normalize_ipc(symbol: str | None) -> str | None:
    """Compact IPC/CPC symbol from any spacing (EPO pads fields with blanks).

    >>> normalize_ipc("H04W  84/    20            A I"), normalize_ipc("C07C39/04"), normalize_ipc(" ")
    ('H04W84/20', 'C07C39/04', None)
    """
    if not symbol:
        return None
    m = _IPC.match(symbol)
    if m:
        return f"{m.group(1)}{int(m.group(2))}/{m.group(3)}"
    compact = "".join(symbol.split())
    return compact or None


def class_rubrics(symbols, scheme: str, annotator: str) -> list[RubricAssignment]:
    """Distinct classification symbols, in source order, as foreign rubrics."""
    out: dict[str, RubricAssignment] = {}
    for s in symbols:
        code = normalize_ipc(s)
        if code and code not in out:
            out[code] = RubricAssignment(scheme=scheme, code=code, source="foreign", annotator=annotator)
    return list(out.values())


def applicant_affiliation(name: str, country: str | None) -> Affiliation:
    """An applicant as an affiliation: ``raw`` names the country the way EPO does."""
    country = country.upper() if country else None
    return Affiliation(raw=f"{name} [{country}]" if country else name, organization=name, country=country)


def inventor(name: str) -> Author:
    """An inventor as an author; patent offices print the surname first (``COHEN DANIEL L``)."""
    if "," in name:
        normalized = normalize_person(name)
    else:
        surname, _, given = name.partition(" ")
        normalized = normalize_person(f"{surname}, {given}") if given else normalize_person(name)
    return Author(name=name, normalized=normalized)


_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s\"<>,;]+")


def npl_reference(text: str | None, external_ids=()) -> Reference | None:
    """Non-patent literature: the citation text and a DOI from the ids or the text."""
    doi = next((d for d in map(normalize_doi, external_ids or ()) if d), None)
    if doi is None and text:
        m = _DOI_IN_TEXT.search(text)
        doi = normalize_doi(m.group(0)) if m else None
    if not text and not doi:
        return None
    return Reference(raw=" ".join(text.split()) if text else None, doi=doi)


def patent_reference(office: str | None, number: str | None, kind: str | None) -> Reference | None:
    if not office or not number:
        return None
    return Reference(raw=" ".join(p for p in (office, number, kind) if p), resolved=f"{office}{number}{kind or ''}")


# ------------------------------------------------------------------ Lens.org


def lens_patent_to_record(doc: dict, *, source: str = "lens", raw: str | None = None) -> Record:
    """Map one Lens.org patent record (JSON export line or API ``data`` item) to a Record.

    Raises ValueError when the record has neither a Lens id nor a publication number.
    """
    if not isinstance(doc, dict):
        raise TypeError(f"expected a patent object, got {type(doc).__name__}")
    biblio = doc.get("biblio") or {}
    pub = biblio.get("publication_reference") or {}
    office = doc.get("jurisdiction") or pub.get("jurisdiction")
    number = doc.get("doc_number") or pub.get("doc_number")
    code = doc.get("kind") or pub.get("kind")
    lens_id = doc.get("lens_id")
    if not lens_id and not (office and number):
        raise ValueError("patent record has neither lens_id nor jurisdiction + doc_number")

    patent = PatentNumber(office=office, number=number, kind_code=code) if office and number else None
    rec = Record(
        kind=patent_kind(office, code, doc.get("publication_type")),
        ids=Identifiers(lens=lens_id, patent=patent),
        source=source,
        raw=raw,
        language=doc.get("lang"),
        url=f"https://www.lens.org/lens/patent/{lens_id}" if lens_id else None,
    )
    rec.titles = _texts(biblio.get("invention_title"))
    rec.abstracts = _texts(doc.get("abstract"))

    priority = ((biblio.get("priority_claims") or {}).get("earliest_claim") or {}).get("date")
    date = doc.get("date_published") or pub.get("date") or priority
    rec.date = date
    rec.year = int(date[:4]) if date and date[:4].isdigit() else None
    extra = rec.extra
    for key, value in (
        ("priority_date", priority),
        ("filing_date", (biblio.get("application_reference") or {}).get("date")),
        ("publication_type", doc.get("publication_type")),
        ("kind_code", code),
    ):
        if value:
            extra[key] = value
    if rec.kind is Kind.OTHER:
        extra["patent_type"] = "design"

    parties = biblio.get("parties") or {}
    people = sorted(parties.get("inventors") or (), key=lambda p: p.get("sequence") or 0)
    for p in people:
        name = _party_name(p)
        if name:
            rec.authors.append(inventor(name))
    for a in parties.get("applicants") or ():
        name = _party_name(a)
        if name:
            rec.affiliations.append(applicant_affiliation(name, a.get("residence")))

    ipcr = (biblio.get("classifications_ipcr") or {}).get("classifications") or ()
    cpc = (biblio.get("classifications_cpc") or {}).get("classifications") or ()
    rec.rubrics = class_rubrics((c.get("symbol") for c in ipcr), "ipc", "lens") + class_rubrics(
        (c.get("symbol") for c in cpc), "cpc", "lens"
    )
    rec.references = _lens_references((biblio.get("references_cited") or {}).get("citations") or ())
    cited = (biblio.get("cited_by") or {}).get("patent_count")
    if isinstance(cited, int):
        rec.citations = [CitationCount(cited, "lens")]
    return rec


def _texts(items) -> list[Text]:
    out = []
    for t in items or ():
        text = " ".join((t.get("text") or "").split()) if isinstance(t, dict) else None
        if text:
            out.append(Text(text, t.get("lang")))
    return out


def _party_name(p: dict) -> str | None:
    name = (p.get("extracted_name") or {}).get("value") or p.get("name")
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else None


def _lens_references(citations) -> list[Reference]:
    out: dict[str, Reference] = {}  # the same document cited in several phases counts once
    for c in citations:
        if "patcit" in c:
            d = (c["patcit"] or {}).get("document_id") or {}
            ref = patent_reference(d.get("jurisdiction"), d.get("doc_number"), d.get("kind"))
        else:
            npl = c.get("nplcit") or {}
            ref = npl_reference(npl.get("text"), npl.get("external_ids"))
        if ref is not None:
            out.setdefault(ref.resolved or ref.raw or ref.doi or "", ref)
    return list(out.values())
