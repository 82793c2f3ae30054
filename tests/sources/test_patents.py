"""Patent readers: Lens.org JSON Lines and EPO OPS biblio XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, PatentNumber, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.patent_map import normalize_ipc, patent_kind
from bibmine.sources.readers.epo_ops import read_epo_ops
from bibmine.sources.readers.lens_patent import read_lens_patent

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/patents_*/ "
                                                                "(real Lens and EPO OPS files)")

LENS = SAMPLES / "patents_lens_jsonl/patentslens_biopoly_10records_majority_reconstructed.jsonl"
EPO_ONE = SAMPLES / "patents_epo_ops_xml/epo_ops_get_biblio_EP2400812A1.xml"
EPO_MULTI = SAMPLES / "patents_epo_ops_xml/epo_ops_get_biblio_multiple.xml"
EPO_SEARCH = SAMPLES / "patents_epo_ops_xml/epo_ops_search_biblio_pa_Siemens_1-3.xml"


def read(path: Path) -> tuple[list[Record], list[Reject]]:
    items = list(open_export(path).records())
    return [r for r in items if isinstance(r, Record)], [r for r in items if isinstance(r, Reject)]


def rubric_codes(r: Record, scheme: str) -> list[str]:
    return [x.code for x in r.rubrics if x.scheme == scheme]


# ------------------------------------------------------------------ Lens


@needs_samples
def test_lens_sample_with_bom():
    records, rejects = read(LENS)
    assert len(records) == 10 and rejects == []
    first = records[0]  # the line that starts with the BOM
    assert first.ids.lens == "038-066-141-127-891"
    assert first.ids.patent == PatentNumber("CN", "102206141", "A")
    assert first.raw.startswith('{"lens_id":"038-066-141-127-891"')
    assert all(r.kind is Kind.PATENT for r in records)
    wo = records[6]
    assert wo.ids.patent == PatentNumber("WO", "2017205695", "A1")
    assert [(t.text, t.lang) for t in wo.titles] == [
        ("3D PRINTABLE BIO GEL AND METHOD OF USE", "en"),
        ("BIOGEL IMPRIMABLE EN 3D ET PROCÉDÉ D'UTILISATION", "fr"),
    ]
    assert [a.name for a in wo.authors] == ["COHEN DANIEL L", "PELLETIER CHRIS"]
    assert wo.authors[0].normalized == "cohen d.l."
    assert [(a.raw, a.organization, a.country) for a in wo.affiliations] == [("TDBT IP INC [US]", "TDBT IP INC", "US")]
    assert (wo.year, wo.date, wo.extra["priority_date"]) == (2017, "2017-11-30", "2016-05-26")
    assert rubric_codes(wo, "ipc") == ["A61L27/24", "A61L15/32"]
    assert rubric_codes(wo, "cpc")[:2] == ["A61L27/24", "A61L27/3804"]
    assert len(wo.references) == 8
    assert (wo.references[0].raw, wo.references[0].resolved) == ("EP 0419111 A1", "EP0419111A1")
    assert wo.references[1].doi == "10.1021/acsami.6b00815"
    assert wo.citations[0].count == 1 and wo.citations[0].source == "lens"
    ro = records[3]
    assert ro.titles[1].text.startswith("COMPOZIŢIE ŞI PROCEDEU DE OBŢINERE")
    assert ro.affiliations[1].raw == "UNIV DIN BUCURESTI [RO]"


def test_lens_invented_russian_utility_model():
    records, rejects = read(FIXTURES / "lens_patent_jsonl/ru_patents.jsonl")
    assert [r.ids.patent for r in records] == [PatentNumber("RU", "212345", "U1"), PatentNumber("RU", "2790001", "C1")]
    um, patent = records
    assert um.kind is Kind.UTILITY_MODEL and patent.kind is Kind.PATENT
    assert [(t.text, t.lang) for t in um.titles] == [
        ("Почвообрабатывающее орудие", "ru"),
        ("Soil cultivating implement", "en"),
    ]
    assert um.abstract == "Полезная модель относится к сельскому хозяйству."
    # inventors in "sequence" order, not file order
    assert [a.name for a in um.authors] == ["Иванов Иван Иванович", "Петрова Мария Александровна"]
    assert um.authors[0].normalized == "иванов и.и."
    aff = um.affiliations[0]
    assert aff.raw.endswith('"Воронежский государственный университет" [RU]') and aff.country == "RU"
    assert rubric_codes(um, "ipc") == ["A01B13/08", "A01B49/02"] and rubric_codes(um, "cpc") == ["A01B13/08"]
    # the cited patent appears in two phases: counted once
    assert [(x.resolved, x.doi) for x in um.references] == [("RU2650001C1", None), (None, "10.5555/invented.77")]
    assert (um.date, um.extra["priority_date"], um.extra["filing_date"]) == ("2022-07-15", "2022-01-20", "2022-01-20")
    assert [(r.location, r.reason.split(": ", 1)[1][:12]) for r in rejects] == [
        ("line 2", "invalid JSON"),
        ("line 3", "patent recor"),
    ]


def test_lens_bom_without_utf8_sig(tmp_path):
    """A caller that forces plain UTF-8 still gets the first line."""
    items = list(read_lens_patent(FIXTURES / "lens_patent_jsonl/ru_patents.jsonl", "utf-8"))
    assert items[0].ids.lens == "000-000-000-000-01X"


def test_patent_rules():
    assert patent_kind("RU", "U1") is Kind.UTILITY_MODEL
    assert patent_kind("CN", "Y") is Kind.UTILITY_MODEL and patent_kind("US", "Y1") is Kind.PATENT
    assert patent_kind("RU", "C2") is Kind.PATENT and patent_kind("RU", "S") is Kind.OTHER
    assert normalize_ipc("F03D  17/    00            C I") == "F03D17/00"


# ------------------------------------------------------------------ EPO OPS


@needs_samples
def test_epo_single_biblio():
    records, rejects = read(EPO_ONE)
    assert len(records) == 1 and rejects == []
    r = records[0]
    assert r.ids.patent == PatentNumber("EP", "2400812", "A1") and r.kind is Kind.PATENT
    assert [(t.text, t.lang) for t in r.titles] == [
        ("BLUETOOTH-VERNETZUNG", "de"),
        ("MISE EN RÉSEAU BLUETOOTH", "fr"),
        ("BLUETOOTH NETWORKING", "en"),
    ]
    assert r.abstract.startswith("An apparatus enabling establishment of a Bluetooth mesh network comprises")
    # the EPODOC name format is used, its "[FI]" suffix becomes the country
    assert [a.name for a in r.authors] == ["HERRALA SAMI", "KYLMAENEN JARI", "NIEMI JAAKKO"]
    assert [(a.raw, a.organization, a.country) for a in r.affiliations] == [
        ("9SOLUTIONS OY [FI]", "9SOLUTIONS OY", "FI")
    ]
    assert (r.year, r.date) == (2011, "2011-12-28")
    assert r.extra == {"priority_date": "2010-06-24", "filing_date": "2010-06-24", "family_id": "43088294",
                       "kind_code": "A1"}  # fmt: skip
    assert rubric_codes(r, "ipc") == ["H04W84/20"] and rubric_codes(r, "cpc") == ["H04W84/20", "H04W88/04"]
    assert [x.resolved for x in r.references] == [
        "WO02054790A2", "US2003060222A1", "WO03067954A2", "US2004097263A1", "US2004136338A1", "EP1542377A2",
    ]  # fmt: skip
    assert r.raw.startswith('<exchange-document xmlns="http://www.epo.org/exchange" system="ops.epo.org"')
    assert r.raw.endswith("</exchange-document>")


@needs_samples
def test_epo_multiple_and_search_responses():
    multi, rejects = read(EPO_MULTI)
    assert [r.ids.patent.kind_code for r in multi] == ["A1", "A1", "B1"] and rejects == []
    npl = multi[1].references
    assert len(npl) == 1 and npl[0].doi == "10.1109/wcnc.2006.1683515"
    assert npl[0].raw.startswith('- SEWOOK JUNG ET AL, "Performance comparison of overlaid bluetooth piconets')
    search, rejects = read(EPO_SEARCH)
    assert [r.ids.patent for r in search] == [
        PatentNumber("AU", "2024270787", "A1"), PatentNumber("AU", "2024265697", "A1"),
        PatentNumber("DK", "3740998", "T3"),
    ]  # fmt: skip
    dk = search[2]
    assert [(t.text, t.lang) for t in dk.titles] == [("ENERGILAGRINGSSYSTEM", None)]  # lang "ol": original
    assert [a.name for a in dk.authors] == ["BERGE TORE", "SKJETNE ARVE", "BØRSHEIM EIRIK"]
    assert dk.extra["priority_date"] == "2018-01-17"  # the earlier of two priority claims
    assert search[1].affiliations[0].raw == "SIEMENS ENERGY GLOBAL GMBH & CO KG"


def test_epo_invented_russian_utility_model_and_missing_document():
    items = list(read_epo_ops(FIXTURES / "epo_ops_xml/ru_utility_model.xml"))
    um, missing = items
    assert isinstance(um, Record) and um.kind is Kind.UTILITY_MODEL
    assert um.ids.patent == PatentNumber("RU", "212345", "U1")
    assert um.titles[0].text == "ПОЧВООБРАБАТЫВАЮЩЕЕ ОРУДИЕ" and um.titles[0].lang == "ru"
    assert um.abstract == "Полезная модель относится к сельскому хозяйству."
    assert um.affiliations[0].country == "RU" and [a.name for a in um.authors] == ["IVANOV IVAN IVANOVICH"]
    assert isinstance(missing, Reject) and missing.location == "item 2" and "not found" in missing.reason


def test_epo_invented_search_response():
    path = FIXTURES / "epo_ops_xml/search_two.xml"
    records, rejects = read(path)
    assert rejects == []
    assert [r.ids.patent for r in records] == [PatentNumber("RU", "212345", "U1"), PatentNumber("RU", "2790001", "C1")]
    assert [r.kind for r in records] == [Kind.UTILITY_MODEL, Kind.PATENT]
    um = records[0]
    # lang "ol" is the original language, not a language code
    assert [(t.text, t.lang) for t in um.titles] == [("ПОЧВООБРАБАТЫВАЮЩЕЕ ОРУДИЕ", None),
                                                     ("SOIL CULTIVATING IMPLEMENT", "en")]
    assert um.extra == {"priority_date": "2021-11-05", "filing_date": "2022-01-20", "family_id": "90000001",
                        "kind_code": "U1"}  # the earlier of two priority claims
    assert rubric_codes(um, "ipc") == ["A01B13/08"]
    # a cited patent resolved to its number, a non-patent citation kept as printed with its DOI
    assert [(x.resolved, x.doi) for x in um.references] == [("RU2650001C1", None), (None, "10.5555/invented.npl.1")]
    assert um.references[1].raw.startswith('- IVANOV I.I. ET AL, "Soil tillage in the forest-steppe"')
    assert um.raw.startswith('<exchange-document xmlns="http://www.epo.org/exchange" system="ops.epo.org"')
    assert um.raw.endswith("</exchange-document>")


def test_epo_truncated_file():
    items = list(read_epo_ops(FIXTURES / "epo_ops_xml/truncated.xml"))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].location == "line 49" and "broken XML at line 49" in items[0].reason


# ------------------------------------------------------------------ sniffing


@needs_samples
@pytest.mark.parametrize(
    ("folder", "name"), [("patents_lens_jsonl", "lens_patent_jsonl"), ("patents_epo_ops_xml", "epo_ops_xml")]
)
def test_samples_detected(folder, name):
    paths = sorted((SAMPLES / folder).glob("*"))
    assert paths and all(open_export(p).reader.name == name for p in paths)



