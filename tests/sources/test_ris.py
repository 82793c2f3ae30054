"""RIS reader: real Scopus/SciELO/rispy samples, invented Cyrillic and broken fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.model import Kind, Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.readers.ris import read_ris

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/ris"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/*ris*/ "
                                                                "(real Scopus, SciELO and rispy RIS files)")


def read(path: Path) -> list[Record | Reject]:
    return list(open_export(path).records())


def records(items: list[Record | Reject]) -> list[Record]:
    return [r for r in items if isinstance(r, Record)]


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "scopus_ris/synthesisr_scopus.ris",
        "scopus_ris/synthesisr_Scopus_ris_example.ris",
        "ris_nonascii/synthesisr_scielo.ris",
        "ris_nonascii/rispy_example_utf_chars.ris",
    ],
)
def test_samples_are_detected_as_ris(name):
    assert open_export(SAMPLES / name).reader.name == "ris"


@needs_samples
def test_scopus_ris_sample():
    items = read(SAMPLES / "scopus_ris/synthesisr_scopus.ris")
    recs = records(items)
    assert len(items) == len(recs) == 92
    first = recs[0]
    assert (
        first.title
        == "Black-backed woodpecker occupancy in burned and beetle-killed forests: Disturbance agent matters"
    )
    assert [a.name for a in first.authors] == [
        "Tingley, M.W.",
        "Stillman, A.N.",
        "Wilkerson, R.L.",
        "Sawyer, S.C.",
        "Siegel, R.B.",
    ]
    assert first.authors[0].normalized == "tingley m.w."
    assert len(first.affiliations) == 3
    assert (
        first.affiliations[2].raw == "USDA Forest Service, Pacific Southwest Region, Vallejo, CA  94592, United States"
    )
    assert first.ids.doi == "10.1016/j.foreco.2019.117694"
    assert first.ids.scopus == "2-s2.0-85074800841"
    assert first.year == 2020
    assert first.venue.name == "Forest Ecology and Management"
    assert first.venue.volume == "455"
    assert first.author_keywords == [
        "Bark beetle",
        "California",
        "Drought",
        "Habitat",
        "Occupancy",
        "Picoides arcticus",
        "Wildfire",
    ]
    assert first.extra["article_number"] == "117694"
    # M3 (Scopus document type) decides the kind: 83 Article, 5 Conference Paper, 2 Review,
    # 1 Book Chapter, 1 Erratum (-> other)
    kinds = [r.kind for r in recs]
    assert (kinds.count(Kind.ARTICLE), kinds.count(Kind.CONFERENCE_PAPER), kinds.count(Kind.REVIEW)) == (83, 5, 2)
    chapter = next(r for r in recs if r.kind is Kind.CHAPTER)
    assert chapter.title == "Using Bird Ecology to Learn About the Benefits of Severe Fire"
    assert chapter.venue.name == "The Ecological Importance of Mixed-Severity Fires: Nature's Phoenix"
    assert chapter.venue.pages == "55-88"
    # "N1  - Cited By :8" with "N1  - Export Date: 11 January 2020"
    assert [(c.count, c.source, c.date) for c in chapter.citations] == [(8, "scopus", "2020-01-11")]
    assert sum(1 for r in recs if r.citations) == 83


@needs_samples
def test_scopus_ris_notes_funding_and_index_keywords():
    recs = records(read(SAMPLES / "scopus_ris/synthesisr_Scopus_ris_example.ris"))
    assert len(recs) == 3  # the file ends "ER  - " with no trailing newline
    assert recs[0].funding == [
        "University of Twente",
        "Special Fund for Forest Scientific Research in the Public Welfare, 201404305, 200904001, CAFYBB2011007",
    ]
    assert recs[0].extra["correspondence_address"].startswith("Cui, L.; Institute of Wetland Research")
    assert recs[0].venue.issn == ["2096-4129"]  # "20964129 (ISSN) "
    assert recs[0].language == "en"
    third = recs[2]
    assert [a.name for a in third.authors] == ["Tang, H.", "Geng, G.", "zhou, M."]
    assert third.affiliations[1].raw == "Xi’an University of Finance and Economics, Xi’an, Shaanxi  710100, China"
    # author and index keywords share KW; "Digital" appears in both and is kept once
    assert len(third.author_keywords) == 18
    assert third.author_keywords.count("Digital") == 1


@needs_samples
def test_scielo_bom_crlf_translated_title_and_last_record():
    items = read(SAMPLES / "ris_nonascii/synthesisr_scielo.ris")
    recs = records(items)
    assert len(items) == len(recs) == 38
    first = recs[0]
    assert [t.text for t in first.titles] == [
        "The importance of isolated patches for maintaining local bird biodiversity and ecosystem function: "
        "a case study from the Pernambuco Center of Endemism, Northeast Brazil",
        "A importância dos fragmentos isolados para a manutenção da avifauna local e funções ecossistêmicas: "
        "caso de estudo no Centro de Endemismo Pernambuco, Nordeste do Brasil",
    ]
    # the script test cannot tell Portuguese from English: the second Latin title gets no language
    assert [t.lang for t in first.titles] == ["en", None]
    assert len(first.abstracts) == 2 and first.abstracts[1].text.startswith("RESUMO A Mata Atlântica")
    assert [a.name for a in first.authors] == ["Campos, Leila F. A. S.", "Teixeira, Bruno P.", "Efe, Márcio A."]
    assert first.venue.name == "Iheringia. Série Zoologia"
    assert first.venue.abbreviation == "Iheringia, Sér. Zool."
    assert first.venue.issue is None  # "IS  - " is empty
    assert (first.ids.doi, first.date, first.year) == ("10.1590/1678-4766e2018021", "2018-06-21", 2018)
    assert first.raw.startswith("TY  - JOUR\r\nAU  - Campos")  # BOM gone, CRLF kept in raw
    assert not first.title.endswith("\r")
    last = recs[-1]  # "ER  -" without trailing space and without a newline
    assert last.title == "Effects of forest fragmentation on amazonian understory bird communities"
    assert last.raw.endswith("ER  -")
    assert last.ids.doi == "10.1590/1809-43921989191241"


@needs_samples
def test_rispy_cyrillic_sample_with_continuation_line():
    [rec] = read(SAMPLES / "ris_nonascii/rispy_example_utf_chars.ris")
    assert isinstance(rec, Record)
    assert rec.kind is Kind.ARTICLE  # "TY  - Journal Article"
    # no TI: the short title stands in
    assert rec.title == (
        "Состояние рецепторного аппарата эндометрия и метаболизм эстрогенов при гиперплазиях "
        "эндометрия в позднем репродуктивном периоде"
    )
    assert rec.titles[0].lang == "ru"
    # the untagged English line continues the Russian AB
    assert rec.abstract.endswith("estrogen metabolism in endometrial hyperplasia in the late reproductive period")
    assert rec.authors[0].name == "Dobrokhotova, Yu E."
    assert len(rec.authors) == 5
    assert (rec.venue.volume, rec.venue.issue, rec.venue.pages) == ("8", "3", "52-57")  # VO read as VL
    assert rec.extra["notes"] == "Ä,Ö,Ü,ä,ö,ü,ß"


def test_invented_cyrillic_records():
    recs = read(FIXTURES / "cyrillic.ris")
    assert len(recs) == 3 and all(isinstance(r, Record) for r in recs)
    art, conf, third = recs
    assert [(t.text, t.lang) for t in art.titles] == [
        ("Почвенный покров Воронежской области: современное состояние", "ru"),
        ("Soil cover of the Voronezh region: current state", "en"),
    ]
    assert art.title_in("en") == "Soil cover of the Voronezh region: current state"
    assert [a.name for a in art.authors] == ["Иванов, Иван Иванович", "Петрова, Анна Сергеевна"]
    assert art.authors[0].normalized == "иванов и.и."
    assert art.affiliations[0].raw == "Воронежский государственный университет, Воронеж, Россия"
    assert art.abstracts[0].text == (
        "В статье рассмотрено состояние почвенного покрова Воронежской области по данным наблюдений 2015–2020 гг."
    )
    assert art.author_keywords == ["почвы", "Воронежская область", "soil cover"]
    assert (art.year, art.date, art.language) == (2021, "2021-03-15", "ru")
    assert art.ids.doi == "10.1234/vsu.2021.1.15"  # "https://doi.org/10.1234/VSU..." normalised
    assert art.venue.abbreviation == "Вестн. ВГУ. Сер. Геогр."
    assert (art.venue.issn, art.venue.pages) == (["1609-0683"], "15-27")

    assert conf.kind is Kind.CONFERENCE_PAPER
    assert conf.venue.isbn == ["9785927300001"]
    assert [(c.count, c.source, c.date) for c in conf.citations] == [(3, "scopus", "2022-01-11")]
    assert [r.raw for r in conf.references] == [
        "Иванов, И.И., Почвы, 2019, 10.1234/ref.one",
        "Smith, J., Regional science, 2018",
    ]
    assert conf.references[0].doi == "10.1234/ref.one"
    assert conf.ids.scopus == "2-s2.0-85000000001"

    assert third.kind is Kind.ARTICLE
    assert third.abstract == "Краткий обзор. Second line of the abstract."
    assert third.venue.volume == "3"


SCOPUS_RIS = """TY  - JOUR
TI  - Почвенная фауна восстановленных болот Воронежской области
T2  - Вестник ВГУ. Серия: Химия. Биология
J2  - Вестн. ВГУ
VO  - 7
IS  - 2
PY  - 2021
SN  - 16090683 (ISSN) \nAU  - Иванов, И.И.
AU  - Петрова, А.С.
AD  - Воронежский государственный университет, Воронеж, Россия
KW  - болота
KW  - почвенная фауна
KW  - болота
N1  - Export Date: 15 March 2022
M3  - Review
DB  - Scopus
N1  - Correspondence Address: Иванов, И.И.; Воронежский государственный университет; email: ivanov@example.org
N1  - Funding details: Russian Science Foundation, 22-27-00001
N1  - Funding details: Voronezh State University
N1  - Cited By :4
ER  - \n
TY  - CHAP
TI  - Chernozem in Voronezh
T2  - Soils of Central Russia
PY  - 2019
SP  - 55
EP  - 88
AU  - Smirnova, A.
M3  - Book Chapter
ER  - \n
TY  - JOUR
TI  - Erratum: Chernozem
T2  - Soils
PY  - 2020
M3  - Erratum
ER  - \n
TY  - CONF
TI  - Soil maps for smart specialization
T2  - Proceedings of the Conference on Soils
PY  - 2020
M3  - Conference Paper
ER  - """  # INVENTED, in the shape of a Scopus RIS export; the file ends "ER  - " with no newline


def test_invented_scopus_ris_document_types_notes_and_keywords(tmp_path):
    path = tmp_path / "scopus.ris"
    path.write_text(SCOPUS_RIS, encoding="utf-8")
    recs = records(read(path))
    # M3 (Scopus document type) decides the kind, over TY
    assert [r.kind for r in recs] == [Kind.REVIEW, Kind.CHAPTER, Kind.OTHER, Kind.CONFERENCE_PAPER]
    review = recs[0]
    assert (review.venue.name, review.venue.abbreviation, review.venue.issn) == (
        "Вестник ВГУ. Серия: Химия. Биология", "Вестн. ВГУ", ["1609-0683"])  # "16090683 (ISSN) "
    assert (review.venue.volume, review.venue.issue) == ("7", "2")  # VO read as VL
    assert review.author_keywords == ["болота", "почвенная фауна"]  # a repeated keyword kept once
    assert review.funding == ["Russian Science Foundation, 22-27-00001", "Voronezh State University"]
    assert review.extra["correspondence_address"].startswith("Иванов, И.И.; Воронежский")
    # "N1  - Cited By :4", dated by "N1  - Export Date: 15 March 2022"
    assert [(c.count, c.source, c.date) for c in review.citations] == [(4, "scopus", "2022-03-15")]
    assert recs[1].venue.pages == "55-88" and recs[1].venue.name == "Soils of Central Russia"
    assert recs[3].raw.endswith("M3  - Conference Paper\nER  - ")  # the last record, no trailing newline


def test_broken_file_keeps_good_records_and_locates_rejects():
    items = read(FIXTURES / "broken.ris")
    assert [r.title for r in items if isinstance(r, Record)] == ["Первая хорошая запись", "Вторая хорошая запись"]
    rejects = [(r.location, r.reason) for r in items if isinstance(r, Reject)]
    assert rejects == [
        ("line 7", "RIS record has no TY (type of reference) line"),
        ("line 12", "RIS record has no ER line before the next TY at line 16"),
        ("line 21", "RIS record has neither a title (TI/T1) nor a DOI"),
        ("line 26", "RIS record truncated: the file ends before its ER line"),
    ]
    no_ty = next(r for r in items if isinstance(r, Reject))
    assert no_ty.raw == "AU  - Безтипов, Запись\nTI  - Record without TY\nPY  - 2019\nER  - \n"


def test_crlf_bom_no_trailing_newline_and_loose_tags(tmp_path):
    text = (FIXTURES / "cyrillic.ris").read_text(encoding="utf-8")
    path = tmp_path / "crlf.ris"
    path.write_bytes(b"\xef\xbb\xbf" + text.rstrip("\n").replace("\n", "\r\n").encode("utf-8"))
    recs = read(path)
    assert [r.title for r in recs] == [r.title for r in read(FIXTURES / "cyrillic.ris")]
    assert recs[0].authors[1].name == "Петрова, Анна Сергеевна"
    loose = tmp_path / "loose.ris"
    loose.write_text("TY - JOUR\nTI - Одиночный пробел\nPY - 2020\nER - \n", encoding="utf-8")
    [rec] = read_ris(loose, "utf-8")
    assert (rec.title, rec.year) == ("Одиночный пробел", 2020)


def test_elibrary_item_link_gives_the_elibrary_id():
    from bibmine.demo import demo_folder

    records = [r for r in open_export(demo_folder() / "cbe_elibrary.ris").records()]
    assert [r.ids.elibrary for r in records] == ["90000001", "90000002", "90000003", "90000004"]


def test_guess_lang_counts_cyrillic_against_latin_letters():
    """The fast script guess (a long Russian abstract skips the Latin count) answers as its definition: Cyrillic
    characters (U+0400-U+04FF) against ASCII letters, 'ru' on a tie, None with neither."""
    import random

    from bibmine.record import guess_lang

    def by_definition(text):
        cyr = sum("\u0400" <= c <= "\u04ff" for c in text or "")
        lat = sum(c.isascii() and c.isalpha() for c in text or "")
        return None if cyr == lat == 0 else "ru" if cyr >= lat else "en"

    texts = ["", " ", "1999", "Café", "Почвы", "\ud800", "a\ud800б", "\U0001f600б", "\U00010400a", "ab" + "б" * 2,
             "abc" + "бв", "жж" + "x" * 3]
    rnd = random.Random(18)
    letters = "aZ 1бЖё–é\u0400\u04ff\u0500."
    texts += ["".join(rnd.choice(letters) for _ in range(rnd.randint(1, 12))) for _ in range(5000)]
    grnti = SAMPLES.parent / "grnti/labeled/gisnauka_samples_valid.csv"
    if grnti.is_file():
        texts += grnti.read_text(encoding="utf-8").splitlines()
    assert [guess_lang(t) for t in texts] == [by_definition(t) for t in texts]


@pytest.mark.parametrize("chunk", [1, 7, 97])
def test_reads_the_same_whatever_the_chunk_size(chunk, monkeypatch, tmp_path):
    """Records, ER and TY lines, CRLF pairs and multi-byte characters cut between two decoded pieces:
    the same records and rejects, the same line numbers and byte offsets."""
    import msgspec

    from bibmine.sources.readers import ris

    hostile = FIXTURES.parent / "hostile"
    paths = [FIXTURES / "broken.ris", FIXTURES / "cyrillic.ris", hostile / "bad_byte.ris", hostile / "lone_cr.ris",
             hostile / "voronezh_cp1251.ris"]
    # INVENTED: an ER line first in the file and one after a record (reported at the record begun last),
    # a record cut by the next TY, a line that only starts with ER, a last record without ER
    odd = tmp_path / "odd_er_lines.ris"
    odd.write_text("ER  - \n\nTY  - JOUR\nTI  - One\nER  - \n\nER  - \nTY  - JOUR\nTI  - Two\nTY  - JOUR\n"
                   "TI  - Three\nERRATA in the abstract\nER  - \nTY  - JOUR\nTI  - Four\n", encoding="utf-8")
    paths.append(odd)
    crlf = tmp_path / "broken_crlf.ris"
    crlf.write_bytes((FIXTURES / "broken.ris").read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    paths.append(crlf)
    def read_ris(path):
        return [msgspec.to_builtins(r) for r in open_export(path, "ris").records()]

    expected = [read_ris(path) for path in paths]
    monkeypatch.setattr(ris, "_CHUNK", chunk)
    assert [read_ris(path) for path in paths] == expected
