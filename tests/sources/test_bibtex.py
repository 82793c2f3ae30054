"""BibTeX reader: invented WoS-, Scopus-shaped, Cyrillic and broken fixtures; real samples as extra coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.readers._bibtex_map import decode_latex, split_names

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/bibtex"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/*_bibtex/ "
                                                                "(real WoS and Scopus BibTeX exports)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "wos_bibtex/pybibx_wos_m.bib",
        "bibtex_nonascii/pybibx_mcda_wos.bib",
        "scopus_bibtex/pybibx_scopus_m.bib",
        "scopus_bibtex/synthesisr_Scopus_bib_example.bib",
    ],
)
def test_samples_are_detected_as_bibtex(name):
    assert open_export(SAMPLES / name).reader.name == "bibtex"


@needs_samples
def test_wos_bibtex_sample():
    items = read(SAMPLES / "wos_bibtex/pybibx_wos_m.bib")
    assert len(items) == 29 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.title == "Estimation of missing judgments in AHP pairwise matrices using a neural network-based model"
    assert [a.name for a in rec.authors] == ["Antonio Gomez-Ruiz, Jose", "Karanik, Marcelo", "Ignacio Pelaez, Jose"]
    assert rec.ids.wos == "WOS:000278542800018"
    assert rec.ids.doi == "10.1016/j.amc.2010.04.009"
    assert (rec.year, rec.date) == (2010, "2010-07-15")  # Month = {JUL 15}
    assert rec.venue.name == "APPLIED MATHEMATICS AND COMPUTATION"
    assert rec.venue.abbreviation == "Appl. Math. Comput."
    assert rec.venue.issn == ["0096-3003", "1873-5649"]
    assert (rec.venue.volume, rec.venue.issue, rec.venue.pages) == ("216", "10", "2959-2975")
    # "\&" decoded; the "(Corresponding Author)" line repeats an address and is kept aside
    assert [a.raw for a in rec.affiliations] == [
        "Univ Malaga, Dept Comp Sci & Artificial Intelligence, E-29071 Malaga, Spain.",
        "Natl Technol Univ, Artificial Intelligence Res Grp, RA-3500 Resistencia, Argentina.",
    ]
    assert [a.affiliations for a in rec.authors] == [[0], [1], [0]]
    assert rec.extra["reprint_address"].startswith("Gomez-Ruiz, JA (Corresponding Author), Univ Malaga")
    # ORCID-Numbers name "Gomez-Ruiz, Jose Antonio" and "Pelaez, Jose I" for the byline names
    assert [a.orcid for a in rec.authors] == ["0000-0001-7469-8112", "0000-0001-8848-3681", "0000-0002-2606-3849"]
    assert rec.authors[0].ids == {"researcherid": "K-7689-2014"}
    assert rec.author_keywords == [
        "AHP",
        "Pairwise matrix reconstruction",
        "Decision support systems",
        "Multi-Layer Perceptron",
        "Neural networks",
    ]
    assert rec.indexed_keywords == ["ANALYTIC HIERARCHY PROCESS", "CONSISTENCY", "DECISION"]
    assert len(rec.references) == 18  # Number-of-Cited-References = {18}
    assert rec.references[1].raw == "[Anonymous], 2005, NEURAL NETWORKS COMP."
    assert rec.references[0].doi == "10.1016/0022-2496(83)90028-7"
    assert [(c.count, c.source, c.date) for c in rec.citations] == [(29, "wos", "2023-07-08")]
    assert rec.funding[0] == "Ministry of Education of Spain [TIN2006-14285]"
    assert [(r.scheme, r.code) for r in rec.rubrics] == [
        ("wos_category", "Mathematics, Applied"),
        ("wos_research_area", "Mathematics"),
    ]
    assert rec.kind is Kind.ARTICLE and rec.language == "en"
    # address-only affiliation lines (no names before the address) are kept, unlinked
    hu = items[1]
    assert [a.raw for a in hu.affiliations] == [
        "Chung Yuan Christian Univ, Dept Business Adm, Chungli 320, Taiwan.",
        "Natl Taipei Univ Technol, Dept Business Management, Taipei 106, Taiwan.",
    ]
    assert len(hu.references) == 28


@needs_samples
def test_wos_bibtex_with_cyrillic_reference_and_profile_names():
    items = read(SAMPLES / "bibtex_nonascii/pybibx_mcda_wos.bib")
    assert len(items) == 210 and all(isinstance(r, Record) for r in items)
    kinds = [r.kind for r in items]
    assert (kinds.count(Kind.ARTICLE), kinds.count(Kind.CONFERENCE_PAPER), kinds.count(Kind.REVIEW)) == (157, 45, 2)
    korol = next(r for r in items if r.ids.wos == "WOS:000449660800192")
    assert korol.kind is Kind.CONFERENCE_PAPER  # @inproceedings, Type = {Proceedings Paper}
    assert [a.name for a in korol.authors] == ["Korol, Elena", "Mostovoy, Daniil", "Pleshivcev, Alexander"]
    assert korol.affiliations[0].raw == "Moscow State Univ Civil Engn, Yaroslavskoe Shosse 26, Moscow 129337, Russia."
    assert len(korol.references) == 17
    assert (
        "[КОРОЛЬ Елена Анатольевна KOROL Elena A.], 2011, [Промышленное и гражданское строительство, "
        "Promyshlennoe i grazhdanskoe stroitel'stvo], P43."
    ) in [r.raw for r in korol.references]
    romanov = next(r for r in items if r.ids.wos == "WOS:000869941700001")
    # a Cyrillic profile name cannot be matched to the transliterated byline: kept, not guessed
    assert romanov.authors[0].name == "Romanov, Daniil" and romanov.authors[0].orcid is None
    assert "Романов, Даниил/0000-0003-3642-5580" in romanov.extra["unmatched_author_ids"]


@needs_samples
def test_scopus_bibtex_sample_with_preamble():
    items = read(SAMPLES / "scopus_bibtex/pybibx_scopus_m.bib")
    assert len(items) == 24 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.title == "Base-criterion on multi-criteria decision-making method and its applications"
    assert [a.name for a in rec.authors] == ["Haseli, Gholamreza", "Sheikh, Reza", "Sana, Shib Sankar"]
    assert rec.venue.pages == "79-88"  # "79 – 88"
    assert rec.venue.issn == ["1750-9653"]
    assert rec.venue.abbreviation == "Int. J. Manage. Sci. Eng. Manage."
    assert rec.ids.scopus == "2-s2.0-85083087417"
    assert rec.ids.doi == "10.1080/17509653.2019.1633964"
    assert [a.raw for a in rec.affiliations] == [
        "Department of Management, School of Industrial Engineering and Management, "
        "Shahrood University of Technology, Shahrood, Iran",
        "Department of Mathematics, Kishore Bharati Bhagini Nivedita College, Kolkata, India",
    ]
    assert rec.author_keywords[:2] == ["consistency ratio", "incomplete data"]
    # "Cited by: 52", dated by the "EXPORT DATE: 08 July 2023" preamble line
    assert [(c.count, c.source, c.date) for c in rec.citations] == [(52, "scopus", "2023-07-08")]
    assert items[-1].citations[0].count == 38  # last entry; the file has no trailing newline


@needs_samples
def test_scopus_bibtex_duplicate_fields_are_kept():
    items = read(SAMPLES / "scopus_bibtex/synthesisr_Scopus_bib_example.bib")
    assert len(items) == 3 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert len(rec.authors) == 10 and rec.authors[2].name == "Cui, L."
    assert rec.author_keywords[:2] == ["Environmental factors", "Lake Taihu"]
    assert len(rec.funding) == 2  # funding_details appears twice in the entry
    assert [(c.count, c.source, c.date) for c in rec.citations] == [(0, "scopus", None)]  # "cited By 0"
    assert rec.extra["article_number"] == "1722034"
    assert rec.extra["funding_text"].startswith("The Special Fund for Forest Scientific Research")


def test_invented_cyrillic_entries():
    first, second = read(FIXTURES / "cyrillic.bib")
    assert first.title == "Почвенный покров Воронежской области: современное состояние"
    assert first.titles[0].lang == "ru"
    assert [a.name for a in first.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна", "Müller, Jörg"]
    assert first.authors[0].normalized == "иванов и.и."
    assert [a.raw for a in first.affiliations] == [
        "Воронежский государственный университет, Воронеж, Россия",
        "Институт почвоведения, Воронеж, Россия",
    ]
    assert first.abstract == "Рассмотрено состояние почв на 50% территории & [обзор]."
    assert first.author_keywords == ["почвы", "Воронежская область", "soil cover"]
    assert (first.year, first.date, first.language) == (2021, "2021-03", "ru")
    assert (first.venue.pages, first.ids.doi) == ("15-27", "10.1234/vsu.2021.1.15")
    assert second.kind is Kind.CONFERENCE_PAPER
    assert [a.name for a in second.authors] == ["Sméth, José", "Research Group on Soils and Maps"]
    assert second.authors[1].normalized is None  # a group author has no "surname, initials"
    assert second.title == "Soil maps of Central Russia"


def test_invented_wos_bibtex_export():
    [rec] = read(FIXTURES / "wos_export.bib")
    assert rec.title == ("Winter wheat yields on typical chernozems of the Lipetsk region under mineral "
                         "fertilizers")  # the wrapped title joined with one space
    assert (rec.ids.wos, rec.ids.doi) == ("WOS:000000000000777", "10.1234/acr.2022.14.3.101")
    assert rec.kind is Kind.CONFERENCE_PAPER  # Type = {Proceedings Paper}
    assert (rec.year, rec.date) == (2022, "2022-07-15")  # Month = {JUL 15}
    # the "(Corresponding Author)" line repeats an address: kept aside, not an affiliation
    assert [a.raw for a in rec.affiliations] == ["Lipetsk State Tech Univ, Dept Agron, Lipetsk 398055, Russia.",
                                                 "Voronezh State Agr Univ, Voronezh 394087, Russia."]
    assert rec.extra["reprint_address"].startswith("Ivanova, MP (Corresponding Author), Lipetsk State Tech Univ")
    assert [a.affiliations for a in rec.authors] == [[0], [1], [0]]
    # ORCID-Numbers and ResearcherID-Numbers matched to the byline names; Frolov has neither
    assert [(a.orcid, a.ids) for a in rec.authors] == [("0000-0002-1825-0097", {"researcherid": "Z-0001-2020"}),
                                                       ("0000-0001-5109-3700", {}), (None, {})]
    v = rec.venue
    assert (v.name, v.abbreviation, v.issn, v.publisher) == (
        "AGRONOMY OF CENTRAL RUSSIA", "Agron. Cent. Russ.", ["1234-5678", "1234-5686"], "INVENTED PRESS")
    assert rec.author_keywords == ["winter wheat", "chernozem", "mineral fertilizers", "Lipetsk region"]
    assert rec.indexed_keywords == ["NITROGEN", "YIELD"]
    assert [(x.raw, x.doi) for x in rec.references] == [
        ("Dokuchaev VV, 1883, RUSSIAN CHERNOZEM.", None),
        ("Lal R, 2004, SCIENCE, V304, P1623, DOI 10.1126/science.1097396.", "10.1126/science.1097396"),
        ("[Anonymous], 2015, SOIL ATLAS.", None)]  # "{[}" decoded
    assert [(c.count, c.source, c.date) for c in rec.citations] == [(6, "wos", "2024-02-01")]  # Times-Cited, DA
    assert rec.funding == ["Russian Science Foundation [22-16-00001]"]
    assert [(r.scheme, r.code) for r in rec.rubrics] == [
        ("wos_category", "Agronomy"), ("wos_category", "Soil Science"), ("wos_research_area", "Agriculture")]


def test_invented_scopus_bibtex_export_with_preamble_and_repeated_fields():
    [rec] = read(FIXTURES / "scopus_export.bib")  # the file ends with "}" and no newline
    assert rec.title == "Sugar beet in the Central Black Earth region"
    assert [a.name for a in rec.authors] == ["Kozlova, Marina", "Frolov, Dmitry"]
    assert rec.venue.pages == "45-53"  # "45 – 53"
    assert (rec.venue.issn, rec.venue.abbreviation) == (["1234-5678"], "Invented J. Agron.")  # "12345678"
    assert rec.author_keywords == ["sugar beet", "yield", "Central Black Earth"]
    assert rec.funding == ["Russian Science Foundation", "Ministry of Agriculture"]  # funding_details twice
    assert rec.extra["article_number"] == "045"
    # "Cited by: 12", dated by the preamble's "EXPORT DATE: 05 March 2024"
    assert [(c.count, c.source, c.date) for c in rec.citations] == [(12, "scopus", "2024-03-05")]
    assert [a.raw for a in rec.affiliations] == ["Tambov State University, Tambov, Russian Federation",
                                                 "Michurinsk State Agrarian University, Michurinsk, Russian Federation"]


def test_broken_entry_is_rejected_at_its_line_and_the_rest_is_read():
    items = read(FIXTURES / "broken.bib")
    good = [r for r in items if isinstance(r, Record)]
    assert [r.title for r in good] == ["Хорошая запись", "Another good entry", "Uses a string macro"]
    assert good[2].venue.name == "Вестник ВГУ"  # @string defined after the broken entry
    rejects = [r for r in items if isinstance(r, Reject)]
    assert [r.location for r in rejects] == ["line 8", "line 17"]
    assert "unbalanced braces" in rejects[0].reason
    assert rejects[0].raw.startswith("@article{broken1,")
    assert rejects[1].reason == "BibTeX entry 'notitle' has neither a title nor a DOI"


def test_latex_decoding_and_name_splitting():
    assert decode_latex(r"{\"O}zt{\"u}rk, {\c{C}}a{\u{g}}r{\i}") == "Öztürk, Çağrı"
    assert decode_latex(r"p109\~{}121 and 40\% of {[}x]") == "p109~121 and 40% of [x]"
    assert decode_latex("Иванов, {И.~И.}") == "Иванов, И.~И."
    assert split_names("A, B and {C and D} AND E, F") == ["A, B", "{C and D}", "E, F"]
