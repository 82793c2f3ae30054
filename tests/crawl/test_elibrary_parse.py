"""eLIBRARY page parsing, on invented pages (tests/fixtures/crawl: item pages, author list pages, GRNTI,
block pages) and, as extra coverage, on the real saved pages in ../shared (read there, never copied)."""

from __future__ import annotations

import pytest

from bibmine.corpus.model import Kind
from bibmine.sources.crawl.elibrary_parse import block_reason, page_type, parse_item, parse_list

from .conftest import SAMPLES, fixture_text

ELIB = SAMPLES / "elibrary_html"
needs_samples = pytest.mark.skipif(not ELIB.exists(), reason="needs ../shared/data/samples/elibrary_html/ "
                                                             "(real saved pages)")


def sample(name: str) -> str:
    return (ELIB / name).read_text("utf-8")


@needs_samples
def test_real_item_page_field_by_field():
    html = sample("dimkiss_elibrary_item_article.html")
    assert page_type(html) == "item" and block_reason(html) is None
    r = parse_item(html)
    assert r.ids.elibrary == "54754003" and r.extra["edn"] == "TAPCKR"
    assert r.ids.doi == "10.31951/2658-3518-2023-a-4-119"
    assert [(t.text, t.lang) for t in r.titles] == [(
        "Annual temperature regime of the shallow zone of Lake Baikal inferred from high-resolution data from "
        "temperature loggers", "en")]
    assert [(a.name, a.normalized, a.ids, a.affiliations) for a in r.authors] == [
        ("Федотов Анатолий Петрович", "федотов а.п.", {"elibrary": "604971"}, [0]),
        ("Ханаев Игорь Вениаминович", "ханаев и.в.", {"elibrary": "1708"}, [0])]
    [aff] = r.affiliations
    assert (aff.raw, aff.organization, aff.city) == (
        "Limnological Institute Siberian Branch of the Russian Academy of Sciences",
        "Лимнологический институт СО РАН", "Иркутск")
    assert (r.kind, r.extra["elibrary_type"], r.language, r.year) == (
        Kind.ARTICLE, "статья в журнале - научная статья", "en", 2023)
    assert (r.venue.name, r.venue.issn, r.venue.issue, r.venue.pages, r.venue.rsci_core) == (
        "LIMNOLOGY AND FRESHWATER BIOLOGY", ["2658-3518"], "4", "119-125", True)
    assert r.author_keywords == ["LAKE BAIKAL", "SHALLOW ZONE", "TEMPERATURE REGIME", "UPWELLING", "RENEWAL"]
    assert r.abstract.startswith("Annual changes in temperature characteristic of the shallow zone during 2017-2022")
    assert r.abstract.endswith("by cooling of the zone by deep waters during upwellings.")
    assert [(c.count, c.source) for c in r.citations] == [(2, "elibrary_rinc")]
    assert (r.extra["in_rinc"], r.extra["rinc_core_citations"]) == ("да", "2")
    # this page shows no GRNTI rubric ("нет"): none is invented; OECD is kept as a foreign rubric
    assert [(x.scheme, x.code, x.source) for x in r.rubrics] == [("oecd", "Biological sciences", "foreign")]


@needs_samples
def test_real_author_list_page():
    html = sample("lfdd_elibrary_author_items_page_3.html")
    assert page_type(html) == "list" and block_reason(html) is None
    page = parse_list(html)
    assert (page.total, page.shown_to, len(page.rows), page.rejects) == (116, 60, 20, [])
    assert page.has_next(20)
    first = page.rows[0].record
    assert page.rows[0].elibrary_id == "41376400"
    assert first.title == ("ГЕНЕТИЧЕСКИЕ ОСОБЕННОСТИ ФОРМИРОВАНИЯ КОМОРБИДНОСТИ БОЛЕЗНЕЙ "
                           "СЕРДЕЧНО-СОСУДИСТОГО КОНТИНУУМА")
    assert [a.name for a in first.authors][:3] == ["Гончарова И.А.", "Назаренко Л.П.", "Марков А.В."]
    assert len(first.authors) == 9
    assert (first.kind, first.year, first.venue.pages) == (Kind.CHAPTER, 2019, "20-22")
    assert first.venue.name.startswith("Генетика человека и патология")
    journal = next(row.record for row in page.rows if row.elibrary_id == "35357002")
    assert (journal.kind, journal.venue.name, journal.venue.volume, journal.venue.issue, journal.venue.pages,
            journal.year) == (Kind.ARTICLE, "Кардиология", "58", "8", "33-44", 2018)
    assert [(c.count, c.source) for c in journal.citations] == [(3, "elibrary_rinc")]


@needs_samples
def test_real_search_results_page():
    page = parse_list(sample("dimkiss_elibrary_query_results.html"))
    assert page.total == 1 and [r.elibrary_id for r in page.rows] == ["54754003"]
    assert not page.has_next(20)
    r = page.rows[0].record
    assert ([a.name for a in r.authors], r.venue.name, r.venue.issue, r.year) == (
        ["Fedotov A.P.", "Khanaev I.V."], "Limnology and Freshwater Biology", "4", 2023)


def test_invented_item_with_grnti_and_two_affiliations():
    r = parse_item(fixture_text("elibrary_item_1001.html"))
    assert r.title == "Технологическое развитие Липецкой области в 2015–2020 гг." and r.titles[0].lang == "ru"
    assert [(a.name, a.affiliations) for a in r.authors] == [("Петров Пётр Алексеевич", [0]),
                                                            ("Сидорова Анна Ивановна", [0, 1])]
    assert [(a.raw, a.organization, a.city) for a in r.affiliations] == [
        ("Липецкий государственный технический университет", "Липецкий государственный технический университет",
         "Липецк"),
        ("ПАО «НЛМК»", "Новолипецкий металлургический комбинат", "Липецк")]
    assert (r.venue.name, r.venue.issn, r.venue.volume, r.venue.issue, r.venue.pages, r.venue.rsci_core) == (
        "ВЕСТНИК ВОРОНЕЖСКОГО ГОСУДАРСТВЕННОГО ТЕХНИЧЕСКОГО УНИВЕРСИТЕТА", ["1729-6501"], "17", "3", "8-17", False)
    assert (r.language, r.year, r.ids.doi) == ("ru", 2021, "10.25987/vstu.2021.17.3.001")
    assert [(x.scheme, x.code, x.source, x.label) for x in r.rubrics] == [
        ("grnti", "06.61.33", "manual", "Региональная экономика"),
        ("oecd", "Economics and business", "foreign", "Economics and business"),
        ("vak", "5.2.3", "foreign", "Региональная и отраслевая экономика")]
    assert r.author_keywords == ["ТЕХНОЛОГИЧЕСКОЕ РАЗВИТИЕ", "РЕГИОН", "ЛИПЕЦКАЯ ОБЛАСТЬ"]


def test_invented_conference_paper():
    r = parse_item(fixture_text("elibrary_item_1002.html"))
    assert (r.kind, r.year, r.venue.name, r.venue.pages, r.rubrics) == (
        Kind.CONFERENCE_PAPER, 2020, "АГРАРНАЯ НАУКА ЦЕНТРАЛЬНОГО ЧЕРНОЗЕМЬЯ", "101-104", [])
    assert r.affiliations[0].city == "Елец"
    # an author without a SCIENCE INDEX profile has no tooltip: the byline form is kept
    assert [(a.name, a.ids, a.affiliations) for a in r.authors] == [
        ("Орлова Елена Викторовна", {"elibrary": "333"}, [0]), ("ПЕТРОВ П.А.", {}, [0])]


def test_invented_english_item_page_with_a_login_panel():
    html = fixture_text("elibrary_item_1003.html")
    assert page_type(html) == "item" and block_reason(html) is None
    r = parse_item(html)
    assert (r.ids.elibrary, r.extra["edn"], r.ids.doi) == ("1003", "GHIJKL", None)
    # the title as the page's <title> writes it, not the upper-case heading
    assert [(t.text, t.lang) for t in r.titles] == [("Soil organic carbon of typical chernozems under long-term "
                                                     "tillage", "en")]
    assert [(a.name, a.normalized, a.ids) for a in r.authors] == [
        ("Кузнецова Мария Олеговна", "кузнецова м.о.", {"elibrary": "444"}),
        ("Петров Пётр Алексеевич", "петров п.а.", {"elibrary": "111"})]
    assert [(a.raw, a.city) for a in r.affiliations] == [("Voronezh State Agrarian University", "Воронеж")]
    assert (r.kind, r.language, r.year) == (Kind.ARTICLE, "en", 2022)
    assert (r.venue.name, r.venue.issn, r.venue.volume, r.venue.issue, r.venue.pages) == (
        "CHERNOZEM SOILS REVIEW", ["2949-0001"], None, "2", "45-53")
    assert r.author_keywords == ["CHERNOZEM", "SOIL ORGANIC CARBON"]
    assert (r.citations, r.rubrics) == ([], [])  # the page shows neither


def test_invented_author_list_pages():
    first = parse_list(fixture_text("elibrary_author_list_p1.html"))
    assert page_type(fixture_text("elibrary_author_list_p1.html")) == "list"
    assert (first.total, first.shown_to, len(first.rows), first.rejects) == (3, 2, 2, [])
    assert first.has_next(2)  # 2 of 3 shown
    assert [row.elibrary_id for row in first.rows] == ["1001", "1002"]
    journal, book = (row.record for row in first.rows)
    assert journal.title == "ТЕХНОЛОГИЧЕСКОЕ РАЗВИТИЕ ЛИПЕЦКОЙ ОБЛАСТИ В 2015–2020 ГГ."
    assert [a.name for a in journal.authors] == ["Петров П.А.", "Сидорова А.И."]
    assert (journal.kind, journal.venue.name, journal.venue.volume, journal.venue.issue, journal.venue.pages,
            journal.year) == (Kind.ARTICLE, "Вестник Воронежского государственного технического университета",
                              "17", "3", "8-17", 2021)
    assert [(c.count, c.source) for c in journal.citations] == [(5, "elibrary_rinc")]
    # "В сборнике: ..." is a part of a book
    assert (book.kind, book.venue.name, book.venue.pages, book.year) == (
        Kind.CHAPTER, "Аграрная наука Центрального Черноземья. Материалы конференции", "101-104", 2020)
    assert [(c.count, c.source) for c in book.citations] == [(0, "elibrary_rinc")]
    last = parse_list(fixture_text("elibrary_author_list_p2.html"))
    assert (last.total, last.shown_to, [r.elibrary_id for r in last.rows]) == (3, 3, ["1003"])
    assert not last.has_next(2)
    assert (last.rows[0].record.venue.issue, last.rows[0].record.venue.volume) == ("2", None)


def test_block_pages_are_recognised():
    html = fixture_text("elibrary_captcha.html")
    assert block_reason(html) == "captcha" and page_type(html) is None
    assert block_reason("<html>Ваш IP-адрес заблокирован за превышение лимита</html>") == "ip-адрес заблокирован"
    with pytest.raises(ValueError, match="not an eLIBRARY item page"):
        parse_item(html)
