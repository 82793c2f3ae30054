"""eLIBRARY crawler against a local server: lists, item pages, captcha stop and resume,
robots.txt, saved pages. The site is made of INVENTED pages (tests/fixtures/crawl/elibrary_*.html);
the real saved pages of ../shared are read, as extra coverage, by the last test only."""

from __future__ import annotations

import pytest

from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.elibrary import ElibraryCrawler, ElibrarySavedCrawler
from bibmine.sources.crawl.engine import CrawlStopped, run_crawl
from bibmine.sources.http import PoliteClient

from .conftest import FIXTURES, SAMPLES, Sleeps, fast_config, fixture_text, snapshot

ELIB = SAMPLES / "elibrary_html"
SAVER_IP = "198.51.100.23"  # the visitor's IP in the login panel of the invented elibrary_item_1003.html


def serve_site(httpserver, *, robots: str = "User-agent: *\nDisallow: /admin/\n", captcha_on: str | None = None):
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    for n in (1, 2):
        httpserver.expect_request("/author_items.asp", query_string={"authorid": "777", "pagenum": str(n)}
                                  ).respond_with_data(fixture_text(f"elibrary_author_list_p{n}.html"),
                                                      content_type="text/html; charset=utf-8")
    pages = {eid: fixture_text(f"elibrary_item_{eid}.html") for eid in ("1001", "1002", "1003")}
    for eid, html in pages.items():
        if eid == captcha_on:
            html = fixture_text("elibrary_captcha.html")
        httpserver.expect_request("/item.asp", query_string={"id": eid}).respond_with_data(
            html, content_type="text/html; charset=utf-8")


def make(httpserver, tmp_path, **kwargs):
    config = fast_config(tmp_path)
    config.source("elibrary").base_url = httpserver.url_for("/")
    client = PoliteClient(config.http, sleep=Sleeps())
    return client, ElibraryCrawler(client, config.source("elibrary"), **kwargs)


def test_author_crawl_lists_then_items(httpserver, tmp_path):
    serve_site(httpserver)
    client, crawler = make(httpserver, tmp_path, author="777")
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.total == 3
        assert job.counts == {"n_read": 3, "n_new": 3, "n_merged": 0, "n_duplicate": 0, "n_rejected": 0}
        assert [r.full_path.rstrip("?") for r, _ in httpserver.log] == [
            "/robots.txt", "/author_items.asp?authorid=777&pagenum=1", "/item.asp?id=1001", "/item.asp?id=1002",
            "/author_items.asp?authorid=777&pagenum=2", "/item.asp?id=1003"]
        r = c.find("elibrary", "1001")
        assert r.title == "Технологическое развитие Липецкой области в 2015–2020 гг."
        assert r.source == "elibrary_html"
        # the GRNTI rubric on the page is a manual assignment: it goes to the rubric table
        [grnti] = c.rubrics(r.id, scheme="grnti")
        assert (grnti["code"], grnti["source"], grnti["annotator"]) == ("06.61.33", "manual", "elibrary")
        third = c.find("elibrary", "1003")
        assert [a.name for a in third.authors] == ["Кузнецова Мария Олеговна", "Петров Пётр Алексеевич"]
        assert SAVER_IP in fixture_text("elibrary_item_1003.html")
        raw = c.sources_of(third.id)[0]["raw"]
        assert "eLIBRARY ID" in raw and SAVER_IP not in raw  # the saver's IP address is not kept
    client.close()


def test_captcha_stops_the_crawl_and_the_same_command_resumes(httpserver, tmp_path):
    serve_site(httpserver)
    client, crawler = make(httpserver, tmp_path, author="777")
    with Corpus(tmp_path / "clean.sqlite") as c:
        run_crawl(c, crawler)
    httpserver.clear()
    serve_site(httpserver, captcha_on="1002")
    with Corpus(tmp_path / "resumed.sqlite") as c:
        with pytest.raises(CrawlStopped) as info:
            run_crawl(c, crawler)
        message = str(info.value)
        assert info.value.status == "blocked"
        assert "captcha or block page" in message and "item.asp?id=1002" in message
        assert "nothing was lost: the 1 records read so far are stored" in message
        assert "run the same command again" in message
        assert info.value.job.cursor == {"page": 2, "queue": ["1002"], "list_done": False}
        assert c.count() == 1
        # it asked once and stopped: no retries into a ban
        assert sum(r.full_path == "/item.asp?id=1002" for r, _ in httpserver.log) == 1
        httpserver.clear()
        serve_site(httpserver)
        job = run_crawl(c, crawler)
        assert job.id == info.value.job.id and job.status == "done"
    assert snapshot(tmp_path / "resumed.sqlite") == snapshot(tmp_path / "clean.sqlite")
    client.close()


def test_list_only_skips_item_pages(httpserver, tmp_path):
    serve_site(httpserver)
    client, crawler = make(httpserver, tmp_path, author="777", list_only=True)
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.counts["n_new"] == 3
        assert not any(r.path == "/item.asp" for r, _ in httpserver.log)
        r = c.find("elibrary", "1002")
        assert (r.source, r.year, r.venue.name, r.venue.pages) == (
            "elibrary_list", 2020, "Аграрная наука Центрального Черноземья. Материалы конференции", "101-104")
    client.close()


def test_robots_txt_forbidding_items_stops_politely(httpserver, tmp_path):
    serve_site(httpserver, robots="User-agent: *\nDisallow: /item.asp\n")
    client, crawler = make(httpserver, tmp_path, author="777")
    with Corpus(tmp_path / "c.sqlite") as c, pytest.raises(CrawlStopped, match="robots.txt of .* disallows"):
        run_crawl(c, crawler)
    assert not any(r.path == "/item.asp" for r, _ in httpserver.log)
    client.close()


def test_forbidden_is_a_block(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/org_items.asp").respond_with_data("Forbidden", status=403)
    client, crawler = make(httpserver, tmp_path, org="5051")
    with Corpus(tmp_path / "c.sqlite") as c, pytest.raises(CrawlStopped, match=r"HTTP 403\): access blocked") as info:
        run_crawl(c, crawler)
    assert info.value.status == "blocked"
    client.close()


def test_saved_pages_folder(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("elibrary_item_1001.html", "elibrary_item_1003.html", "elibrary_author_list_p1.html",
                 "elibrary_author_list_p2.html"):
        (saved / name).write_text(fixture_text(name), encoding="utf-8")
    crawler = ElibrarySavedCrawler([saved, FIXTURES / "elibrary_captcha.html"])
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        # 2 item pages (1001, 1003) + 3 list rows (1001, 1002, 1003): an item page and its list row are one work
        assert job.counts == {"n_read": 5, "n_new": 3, "n_merged": 2, "n_duplicate": 0, "n_rejected": 1}
        [q] = c.quarantined()
        assert q["reason"] == "saved page is a captcha or block page (it says 'captcha')"
        assert q["location"].endswith("elibrary_captcha.html")
        merged = c.find("elibrary", "1001")
        assert {s["format"] for s in c.sources_of(merged.id)} == {"elibrary_html", "elibrary_list"}
        assert merged.title == "Технологическое развитие Липецкой области в 2015–2020 гг."  # the item page's
        assert c.find("elibrary", "1002").source == "elibrary_list"  # listed only
        raws = [s["raw"] for s in c.sources_of(c.find("elibrary", "1003").id)]
        assert len(raws) == 2 and not [r for r in raws if SAVER_IP in r]  # nor kept from a saved page
        job2 = run_crawl(c, ElibrarySavedCrawler([saved]))  # reading them again adds nothing
        assert job2.counts["n_new"] == 0 and job2.counts["n_duplicate"] == 5


@pytest.mark.skipif(not ELIB.exists(), reason="needs ../shared/data/samples/elibrary_html/ (real saved pages)")
def test_real_saved_pages_folder(tmp_path):
    crawler = ElibrarySavedCrawler([ELIB, FIXTURES / "elibrary_captcha.html"])
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        # 1 item page + 20 author-list rows + 1 search-result row (the same paper as the item page)
        assert job.counts == {"n_read": 22, "n_new": 21, "n_merged": 1, "n_duplicate": 0, "n_rejected": 1}
        merged = c.find("elibrary", "54754003")
        assert {s["format"] for s in c.sources_of(merged.id)} == {"elibrary_html", "elibrary_list"}
        assert "84.237.20.134" not in c.sources_of(merged.id)[0]["raw"] + c.sources_of(merged.id)[1]["raw"]
        job2 = run_crawl(c, ElibrarySavedCrawler([ELIB]))  # reading them again adds nothing
        assert job2.counts["n_new"] == 0 and job2.counts["n_duplicate"] == 22


def test_an_empty_page_is_fetched_again(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/item.asp", query_string={"id": "1001"}).respond_with_data(
        "", content_type="text/html; charset=utf-8")
    serve_site(httpserver)
    client, crawler = make(httpserver, tmp_path, author="777")
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.counts["n_new"] == 3
    assert sum(r.full_path == "/item.asp?id=1001" for r, _ in httpserver.log) == 2
    client.close()
