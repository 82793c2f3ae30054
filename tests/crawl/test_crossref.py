"""Crossref crawler: DOI lists in batches, query paging, JATS abstracts, faults."""

from __future__ import annotations

import pytest

from bibmine.corpus.model import Kind
from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.crossref import CrossrefCrawler, read_doi_file
from bibmine.sources.crawl.engine import CrawlStopped, run_crawl
from bibmine.sources.http import PoliteClient

from .conftest import CONTACT, FIXTURES, Sleeps, SubsetQuery, fast_config, fixture_json, serve_cursor_pages

ITEMS = fixture_json("crossref_works.json")["items"]


def make(httpserver, tmp_path, **kwargs):
    config = fast_config(tmp_path)
    config.source("crossref").base_url = httpserver.url_for("/")
    config.source("crossref").per_page = 2
    client = PoliteClient(config.http, sleep=Sleeps())
    return client, CrossrefCrawler(client, config.source("crossref"), mailto=CONTACT, **kwargs)


def test_doi_file_lines():
    dois, rejects = read_doi_file(FIXTURES / "crossref_dois.txt")
    assert dois == [(2, "10.21685/2072-3059-2021-2-5"), (3, "10.1134/s1019331621030011"),
                    (4, "10.9999/not-in-crossref.2021")]  # the repeated DOI on line 6 counts once
    assert [(r.location, r.reason) for r in rejects] == [("crossref_dois.txt line 5", "not a DOI: 'this-is-not-a-doi'")]


def test_dois_in_one_batch_request_with_misses_quarantined(httpserver, tmp_path):
    wanted = "doi:10.21685/2072-3059-2021-2-5,doi:10.1134/s1019331621030011,doi:10.9999/not-in-crossref.2021"
    httpserver.expect_request("/works", query_string=SubsetQuery({"filter": wanted, "rows": 3, "mailto": CONTACT})
                              ).respond_with_json({"status": "ok", "message-type": "work-list",
                                                   "message": {"total-results": 2, "items": ITEMS[:2]}})
    client, crawler = make(httpserver, tmp_path, doi_file=FIXTURES / "crossref_dois.txt")
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.status == "done" and len(httpserver.log) == 1  # one request for three DOIs
        assert job.counts == {"n_read": 2, "n_new": 2, "n_merged": 0, "n_duplicate": 0, "n_rejected": 2}
        assert sorted((q["location"], q["reason"]) for q in c.quarantined()) == [
            ("crossref_dois.txt line 4", "DOI 10.9999/not-in-crossref.2021 not found in Crossref"),
            ("crossref_dois.txt line 5", "not a DOI: 'this-is-not-a-doi'")]
        r = c.find("doi", "10.21685/2072-3059-2021-2-5")
        assert [(t.text, t.lang) for t in r.titles] == [
            ("Инновационная активность предприятий Воронежской области", "ru"),
            ("Innovation activity of enterprises in the Voronezh region", "en")]
        # JATS markup gone, the "Аннотация" heading dropped, paragraphs kept
        assert r.abstract == ("Исследована инновационная активность предприятий & организаций.\n"
                              "Выводы сделаны по данным 2019 г.")
        assert [a.name for a in r.authors] == ["Кузнецова, Мария Сергеевна", "Orlov, Pavel"]
        assert r.authors[0].orcid == "0000-0001-5109-3700"
        assert [a.raw for a in r.affiliations] == ["Воронежский государственный университет, Воронеж, Россия",
                                                   "Voronezh State Technical University, Voronezh, Russia"]
        assert (r.kind, r.year, r.date, r.language) == (Kind.ARTICLE, 2021, "2021-06-30", "ru")
        assert (r.venue.name, r.venue.issn, r.venue.volume, r.venue.issue, r.venue.pages) == (
            "Известия высших учебных заведений. Поволжский регион", ["2072-3059"], "15", "2", "45-58")
        assert [(x.count, x.source) for x in r.citations] == [(3, "crossref")]
        assert [(x.doi, x.raw) for x in r.references] == [
            ("10.1016/j.respol.2020.104123", None), (None, "Иванов И.И. Региональная экономика. М., 2018.")]
    client.close()


def test_query_with_cursor_paging_and_dates(httpserver, tmp_path):
    serve_cursor_pages(httpserver, "/works", ITEMS, 2, style="crossref", query={
        "query.affiliation": "Lipetsk", "filter": "from-pub-date:2019-01-01,until-pub-date:2021-12-31",
        "rows": 2, "mailto": CONTACT})
    client, crawler = make(httpserver, tmp_path, affiliation="Lipetsk", year_from=2019, year_to=2021)
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.total == 3 and job.counts["n_new"] == 3
        assert [r.args["cursor"] for r, _ in httpserver.log] == ["*", "c1"]  # page 2 came back short: done
        assert c.find("doi", "10.17308/econ.2020.3/3099").kind is Kind.CONFERENCE_PAPER
    client.close()


def test_truncated_json_then_503_then_resume(httpserver, tmp_path):
    query = {"query": "регион"}
    httpserver.expect_oneshot_request("/works", query_string=SubsetQuery({**query, "cursor": "*"})).respond_with_data(
        '{"status": "ok", "message": {"items": [{"DOI": "10.1/x"', content_type="application/json")
    serve_cursor_pages(httpserver, "/works", ITEMS[:2], 2, style="crossref", query=query)
    client, crawler = make(httpserver, tmp_path, query="регион")
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler, max_pages=1)  # the truncated body was retried, page 1 stored
        assert c.count() == 2 and job.status == "running"
        httpserver.clear()
        httpserver.expect_request("/works").respond_with_data("busy", status=503)
        with pytest.raises(CrawlStopped, match="failed after 4 attempts; last error: HTTP 503"):
            run_crawl(c, crawler)
        httpserver.clear()
        serve_cursor_pages(httpserver, "/works", ITEMS[:2], 2, style="crossref", query=query)
        job = run_crawl(c, crawler)
        assert job.status == "done" and c.count() == 2 and job.counts["n_duplicate"] == 0
    client.close()
