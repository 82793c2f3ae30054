"""Patents and registrations: Rospatent API, Lens API (invented records; real Lens records from ../shared
as extra coverage), FIPS software/database registers."""

from __future__ import annotations

import copy
import json

import pytest

from bibmine.corpus.model import Kind
from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.config import ConfigError
from bibmine.sources.crawl.engine import CrawlStopped, run_crawl
from bibmine.sources.crawl.fips import FipsRegisterCrawler
from bibmine.sources.crawl.lens import LensCrawler
from bibmine.sources.crawl.regions import region
from bibmine.sources.crawl.rospatent import RospatentCrawler
from bibmine.sources.http import PoliteClient

from .conftest import SAMPLES, Sleeps, fast_config, fixture_json, fixture_text

LENS_SAMPLE = SAMPLES / "patents_lens_jsonl" / "patentslens_biopoly_10records_majority_reconstructed.jsonl"


def config_for(httpserver, tmp_path, source: str, token: str | None = "TOKEN-XYZ"):
    config = fast_config(tmp_path)
    config.source(source).base_url = httpserver.url_for("/")
    config.source(source).token = token
    return config


def test_rospatent_without_a_token_says_how_to_get_one(httpserver, tmp_path):
    config = config_for(httpserver, tmp_path, "rospatent", token=None)
    with PoliteClient(config.http) as client, pytest.raises(ConfigError, match="ROSPATENT_TOKEN"):
        RospatentCrawler(client, config, region=region("RU-LIP"))


def test_rospatent_region_search(httpserver, tmp_path):
    httpserver.expect_request("/patsearch/v0.2/search", method="POST", headers={"Authorization": "Bearer TOKEN-XYZ"}
                              ).respond_with_json(fixture_json("rospatent_search.json"))
    config = config_for(httpserver, tmp_path, "rospatent")
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c:
        crawler = RospatentCrawler(client, config, region=region("RU-LIP"), year_from=2019, year_to=2021)
        job = run_crawl(c, crawler)
        assert job.status == "done" and job.total == 3
        assert job.counts == {"n_read": 2, "n_new": 2, "n_merged": 0, "n_duplicate": 0, "n_rejected": 1}
        sent = json.loads(httpserver.log[0][0].get_data())
        assert sent == {"q": '"Липецк" OR "Елец"', "limit": 100, "offset": 0, "sort": "publication_date:asc",
                        "datasets": ["ru_since_1994"],
                        "filter": {"date_published": {"range": {"gte": "20190101", "lte": "20211231"}}}}
        r = c.find("patent", "RU2750001C1")
        assert (r.kind, r.ids.patent.kind_code, r.date, r.year) == (Kind.PATENT, "C1", "2021-06-21", 2021)
        assert [(t.text, t.lang) for t in r.titles] == [("Способ охлаждения горячекатаной полосы", "ru"),
                                                        ("Method of cooling hot-rolled strip", "en")]
        assert [(a.name, a.normalized) for a in r.authors] == [
            ("Кузнецов Андрей Викторович", "кузнецов а.в."), ("Белова Наталья Сергеевна", "белова н.с.")]
        assert [(a.raw, a.country) for a in r.affiliations] == [
            ('Публичное акционерное общество "Новолипецкий металлургический комбинат" [RU]', "RU"),
            ('398040, г. Липецк, пл. Металлургов, 2, ПАО "НЛМК"', "RU")]
        assert [(x.scheme, x.code) for x in r.rubrics] == [("ipc", "C21D9/573"), ("ipc", "B21B45/02"),
                                                           ("cpc", "C21D9/5735")]
        assert (r.abstract, r.extra["abstract_from"], r.extra["filing_date"]) == (
            "Изобретение относится к прокатному производству.", "snippet", "2020-07-14")
        um = c.find("patent", "RU205001U1")
        assert (um.kind, um.ids.patent.number) == (Kind.UTILITY_MODEL, "205001")
        [q] = c.quarantined()
        assert q["reason"] == "hit has no common.publishing_office + common.document_number"
    stored = (tmp_path / "c.sqlite").read_bytes()
    assert b"TOKEN-XYZ" not in stored


def test_rospatent_rejected_token(httpserver, tmp_path):
    httpserver.expect_request("/patsearch/v0.2/search").respond_with_json({"error": "unauthorized"}, status=401)
    config = config_for(httpserver, tmp_path, "rospatent", token="WRONG")
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c, \
            pytest.raises(CrawlStopped, match=r"Rospatent rejected the API token \(HTTP 401\)"):
        run_crawl(c, RospatentCrawler(client, config, query="сталь"))


def invented_lens_records(n: int) -> list[dict]:
    """lens_ru_patent.json and n - 1 copies of it, each its own Lens ID and WO number (INVENTED)."""
    first = fixture_json("lens_ru_patent.json")
    docs = [first]
    for i in range(2, n + 1):
        doc = copy.deepcopy(first)
        doc["lens_id"] = f"000-000-000-000-{i:03d}"
        doc["doc_number"] = doc["biblio"]["publication_reference"]["doc_number"] = f"2021123{i:03d}"
        doc["doc_key"] = f"WO_2021_123{i:03d}_A1_20210624"
        doc["biblio"]["invention_title"][1]["text"] = f"Method for producing steel strip, variant {i}"
        docs.append(doc)
    return docs


LIPETSK_QUERY = ('(applicant.address:("Lipetsk" OR "Yelets") OR inventor.address:("Lipetsk" OR "Yelets")) '
                 "AND year_published:[2019 TO 2021]")


def crawl_lens_pages(httpserver, tmp_path, docs: list[dict]):
    """Serve ``docs`` four a page, crawl Lipetsk 2019-2021; (job, request bodies, corpus path)."""
    for offset in range(0, len(docs), 4):
        httpserver.expect_oneshot_request("/patent/search", method="POST").respond_with_json(
            {"total": len(docs), "results": len(docs[offset:offset + 4]), "data": docs[offset:offset + 4]})
    config = config_for(httpserver, tmp_path, "lens")
    config.source("lens").per_page = 4
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c:
        crawler = LensCrawler(client, config, region=region("RU-LIP"), year_from=2019, year_to=2021)
        job = run_crawl(c, crawler)
    return job, [json.loads(r.get_data()) for r, _ in httpserver.log], tmp_path / "c.sqlite"


def assert_invented_first_record(c: Corpus) -> None:
    r = c.find("lens", "000-000-000-000-001")
    assert (r.ids.patent.office, r.ids.patent.number, r.ids.patent.kind_code) == ("WO", "2021123456", "A1")
    assert [(a.raw, a.country) for a in r.affiliations] == [
        ("NOVOLIPETSK STEEL, pl. Metallurgov 2, Lipetsk 398040, RU", "RU"), ("Lipetsk, RU", "RU")]
    assert r.authors[0].affiliations == [1]


def test_lens_pages_and_addresses(httpserver, tmp_path):
    job, bodies, path = crawl_lens_pages(httpserver, tmp_path, invented_lens_records(10))
    # 10 records, 4 a page: pages from 0, 4 and 8 (the last holds 2)
    assert job.status == "done" and job.n_pages == 3
    assert job.counts == {"n_read": 10, "n_new": 10, "n_merged": 0, "n_duplicate": 0, "n_rejected": 0}
    assert [(b["from"], b["size"]) for b in bodies] == [(0, 4), (4, 4), (8, 4)]
    assert bodies[0]["query"]["query_string"]["query"] == LIPETSK_QUERY
    with Corpus(path) as c:
        assert_invented_first_record(c)
        last = c.find("lens", "000-000-000-000-010")
        assert (last.ids.patent.number, last.titles[1].text) == ("2021123010", "Method for producing steel strip, "
                                                                              "variant 10")


@pytest.mark.skipif(not LENS_SAMPLE.exists(), reason="needs ../shared/data/samples/patents_lens_jsonl/ "
                                                     "(real Lens records)")
def test_lens_pages_real_records_and_addresses(httpserver, tmp_path):
    real = [json.loads(line) for line in LENS_SAMPLE.read_text("utf-8-sig").splitlines() if line.strip()]
    job, bodies, path = crawl_lens_pages(httpserver, tmp_path, [fixture_json("lens_ru_patent.json"), *real])
    assert job.status == "done" and job.counts["n_read"] == 11 and job.n_pages == 3
    assert [b["from"] for b in bodies] == [0, 4, 8]
    assert bodies[0]["query"]["query_string"]["query"] == LIPETSK_QUERY
    with Corpus(path) as c:
        assert_invented_first_record(c)
        first_real = c.find("lens", "038-066-141-127-891")
        assert (first_real.title, first_real.ids.patent.kind_code) == (
            "Molecular distillation separation method of bio-oil", "A")


def test_lens_without_a_token(httpserver, tmp_path):
    config = config_for(httpserver, tmp_path, "lens", token=None)
    with PoliteClient(config.http) as client, pytest.raises(ConfigError, match="LENS_TOKEN"):
        LensCrawler(client, config, query="steel")


def serve_fips(httpserver, captcha: bool = False):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    pages = {"2021612345": "fips_evm_2021612345.html", "2021612346": "fips_not_found.html",
             "2021612347": "fips_captcha.html" if captcha else "fips_not_found.html"}
    for number, name in pages.items():
        httpserver.expect_request("/fips_servl/fips_servlet", query_string={
            "DB": "EVM", "DocNumber": number, "TypeFile": "html"}).respond_with_data(
            fixture_text(name), content_type="text/html; charset=utf-8")


def test_fips_software_register(httpserver, tmp_path):
    serve_fips(httpserver)
    config = config_for(httpserver, tmp_path, "fips", token=None)
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c:
        crawler = FipsRegisterCrawler(client, config.source("fips"), register="evm", span="2021612345-2021612347")
        job = run_crawl(c, crawler)
        assert job.counts == {"n_read": 1, "n_new": 1, "n_merged": 0, "n_duplicate": 0, "n_rejected": 2}
        r = c.find("patent", "RU2021612345")
        assert (r.kind, r.title, r.date, r.source) == (
            Kind.SOFTWARE, "Программа мониторинга технологического развития региона", "2021-02-15", "fips_evm")
        assert [a.name for a in r.authors] == ["Петров Пётр Алексеевич", "Сидорова Анна Ивановна"]
        assert [a.raw for a in r.affiliations] == [
            "Федеральное государственное бюджетное образовательное учреждение высшего образования "
            "«Липецкий государственный технический университет» [RU]",
            "398055, г. Липецк, ул. Московская, 30, ЛГТУ"]
        assert r.extra["application_number"] == "2021611000"
        assert sorted(q["location"] for q in c.quarantined()) == ["number 2021612346", "number 2021612347"]


def test_fips_block_page_stops(httpserver, tmp_path):
    serve_fips(httpserver, captcha=True)
    config = config_for(httpserver, tmp_path, "fips", token=None)
    with PoliteClient(config.http, sleep=Sleeps()) as client, Corpus(tmp_path / "c.sqlite") as c:
        crawler = FipsRegisterCrawler(client, config.source("fips"), register="evm", span="2021612345-2021612347")
        with pytest.raises(CrawlStopped, match="FIPS answered .*DocNumber=2021612347.* block page") as info:
            run_crawl(c, crawler)
        assert info.value.status == "blocked" and info.value.job.cursor == {"index": 2} and c.count() == 1
