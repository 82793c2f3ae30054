"""OpenAlex crawler: region -> institutions -> works, mapping, faults, resume."""

from __future__ import annotations

import json

import pytest

from bibmine.corpus.model import Kind
from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.engine import CrawlStopped, run_crawl
from bibmine.sources.crawl.openalex import OpenAlexCrawler
from bibmine.sources.crawl.regions import region
from bibmine.sources.http import PoliteClient

from .conftest import CONTACT, Sleeps, fast_config, fixture_json, serve_cursor_pages, snapshot

WORKS_FILTER = ("authorships.institutions.id:I900000001|I900000002|I900000003,"
                "from_publication_date:2019-01-01,to_publication_date:2021-12-31")


def serve_institutions(httpserver) -> None:
    for search, cursor, name in (("Lipetsk", "*", "openalex_institutions_lipetsk.json"),
                                 ("Lipetsk", "inst-c2", "openalex_institutions_lipetsk_p2.json"),
                                 ("Lipetsk", "inst-c3", "openalex_institutions_empty.json"),
                                 ("Yelets", "*", "openalex_institutions_yelets.json")):
        httpserver.expect_request("/institutions", query_string={
            "filter": "country_code:RU", "search": search, "cursor": cursor, "per_page": "100",
            "mailto": CONTACT}).respond_with_json(fixture_json(name))


def make(httpserver, tmp_path, **kwargs):
    config = fast_config(tmp_path)
    config.source("openalex").base_url = httpserver.url_for("/")
    client = PoliteClient(config.http, sleep=Sleeps())
    return client, OpenAlexCrawler(client, config.source("openalex"), mailto=CONTACT, **kwargs)


def test_region_crawl_maps_every_field(httpserver, tmp_path):
    serve_institutions(httpserver)
    works = fixture_json("openalex_works.json")["works"]
    serve_cursor_pages(httpserver, "/works", works, 2, query={"filter": WORKS_FILTER, "mailto": CONTACT})
    client, crawler = make(httpserver, tmp_path, region=region("RU-LIP"), year_from=2019, year_to=2021)
    with Corpus(tmp_path / "c.sqlite") as c:
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.cursor["done"] is True
        # the Moscow institution whose name mentions Lipetsk is not a Lipetsk institution
        assert job.cursor["institutions"] == ["I900000001", "I900000002", "I900000003"]
        assert job.cursor["found"]["I900000001"]["ror"] == "https://ror.org/00s6tnr74"
        assert job.counts == {"n_read": 2, "n_new": 2, "n_merged": 0, "n_duplicate": 0, "n_rejected": 1}
        assert job.total == 3 and job.n_pages == 7  # 4 institution pages, 3 works pages (the last empty)

        [bad] = c.quarantined()
        assert bad["reason"] == "work has neither a title nor an identifier (id, doi)"
        assert bad["location"] == "works chunk 1 page 2 result 1"
        assert json.loads(bad["raw"])["work_title"] == "A work whose id and title fields were renamed"

        r = c.find("openalex", "W4300000001")
        assert r.kind is Kind.ARTICLE
        assert [(t.text, t.lang) for t in r.titles] == [
            ("Почвенный покров Липецкой области: картографирование и оценка", "ru")]
        assert r.abstract == "Почвенный покров области картирован по данным 2019 года."
        assert (r.year, r.date, r.language) == (2020, "2020-03-15", "ru")
        assert r.ids.doi == "10.18324/2077-5415-2020-1-50-57"
        assert [a.name for a in r.authors] == ["Иван Петрович Смирнов", "Ольга Николаевна Ёлкина"]
        assert r.authors[0].orcid == "0000-0002-1825-0097" and r.authors[0].ids == {"openalex": "A5000000001"}
        assert [(a.raw, a.organization, a.country) for a in r.affiliations] == [
            ("Липецкий государственный технический университет, 398055, г. Липецк, ул. Московская, 30",
             "Lipetsk State Technical University", "RU"),
            ("Елецкий государственный университет им. И.А. Бунина, Елец", "Bunin Yelets State University", "RU")]
        assert [a.affiliations for a in r.authors] == [[0], [1]]
        assert (r.venue.name, r.venue.issn, r.venue.volume, r.venue.issue, r.venue.pages) == (
            "Вестник Липецкого государственного технического университета", ["2077-5415", "2658-5715"], "12", "1",
            "50-57")
        assert [(x.scheme, x.code, x.source, x.label) for x in r.rubrics] == [
            ("openalex_topic", "T10001", "foreign", "Soil Mapping and Classification")]
        assert [x.resolved for x in r.references] == ["W2000000001", "W2000000002"]
        assert [(x.count, x.source, x.date) for x in r.citations] == [(7, "openalex", "2024-05-01")]

        r2 = c.find("openalex", "W4300000002")
        assert [a.raw for a in r2.affiliations] == ["Lipetsk State Technical University, Lipetsk, Russia",
                                                    "NLMK, Lipetsk, Russia", "Novolipetsk Steel (Russia)"]
        assert c.sources_of(r.id)[0]["format"] == "openalex"
    # polite: the contact e-mail went with every request
    assert all(req.args.get("mailto") == CONTACT for req, _ in httpserver.log)
    client.close()


def test_api_key_is_sent_but_never_stored(httpserver, tmp_path):
    works = fixture_json("openalex_works.json")["works"][:2]
    serve_cursor_pages(httpserver, "/works", works, 5, query={
        "filter": "authorships.institutions.id:I900000001,type:article", "api_key": "OA-SECRET-KEY"})
    config = fast_config(tmp_path)
    config.source("openalex").base_url = httpserver.url_for("/")
    config.source("openalex").api_key = "OA-SECRET-KEY"
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c:
        crawler = OpenAlexCrawler(client, config.source("openalex"), institutions=["https://openalex.org/I900000001"],
                                  raw_filter="type:article")
        job = run_crawl(c, crawler)
        assert job.counts["n_new"] == 2
        assert "OA-SECRET-KEY" not in crawler.plan()[0] and "api_key=***" in crawler.plan()[0]
    stored = (tmp_path / "c.sqlite").read_bytes()
    assert b"OA-SECRET-KEY" not in stored


def test_renamed_envelope_stops_clearly_and_resumes(httpserver, tmp_path):
    works = fixture_json("openalex_works.json")["works"][:2]
    httpserver.expect_oneshot_request("/works").respond_with_json({"meta": {"count": 2}, "items": works})
    client, crawler = make(httpserver, tmp_path, institutions=["I900000001"])
    with Corpus(tmp_path / "c.sqlite") as c:
        with pytest.raises(CrawlStopped, match=r"no 'results' list \(it has: items, meta\); the OpenAlex API may "
                                               r"have changed") as info:
            run_crawl(c, crawler)
        assert info.value.status == "failed" and info.value.job.cursor == {
            "phase": "works", "chunk": 0, "cursor": "*", "institutions": ["I900000001"]}
        assert c.count() == 0
        serve_cursor_pages(httpserver, "/works", works, 1, query={"filter": "authorships.institutions.id:I900000001"})
        job = run_crawl(c, crawler)  # the same command resumes the same job
        assert job.id == info.value.job.id and job.status == "done" and c.count() == 2
    client.close()


def test_outage_then_resume_equals_a_clean_crawl(httpserver, tmp_path):
    works = fixture_json("openalex_works.json")["works"][:2]
    query = {"filter": "authorships.institutions.id:I900000001"}
    # clean crawl
    serve_cursor_pages(httpserver, "/works", works, 1, query=query)
    client, crawler = make(httpserver, tmp_path, institutions=["I900000001"])
    with Corpus(tmp_path / "clean.sqlite") as c:
        run_crawl(c, crawler)
    # the same crawl, with the server down (503) at page 2 for longer than the retries last
    httpserver.clear()
    httpserver.expect_oneshot_request("/works", query_string=_q(query, "*")).respond_with_json(
        {"meta": {"count": 2, "next_cursor": "c1"}, "results": works[:1]})
    httpserver.expect_request("/works", query_string=_q(query, "c1")).respond_with_data("down", status=503)
    with Corpus(tmp_path / "resumed.sqlite") as c:
        with pytest.raises(CrawlStopped, match="HTTP 503.*run the same command again to resume"):
            run_crawl(c, crawler)
        assert c.count() == 1
        httpserver.clear()
        serve_cursor_pages(httpserver, "/works", works, 1, query=query)
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.counts["n_read"] == 2
    assert snapshot(tmp_path / "resumed.sqlite") == snapshot(tmp_path / "clean.sqlite")
    client.close()


def _q(query: dict, cursor: str):
    from .conftest import SubsetQuery

    return SubsetQuery({**query, "cursor": cursor})
