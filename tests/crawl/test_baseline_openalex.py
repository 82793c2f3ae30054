"""OpenAlex national baseline: yearly totals, a seeded sample paged by ``page``, classification, scaling,
storage (a rerun makes no request), and faults (429 Retry-After, 5xx, truncated bodies, API changes).

The server is pytest-httpserver on 127.0.0.1 answering in the shape of OpenAlex ``/works`` responses;
the works are INVENTED (tests/specialization/invented.py).
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.sources.crawl import baseline_openalex as bo
from bibmine.sources.crawl.baseline_openalex import OpenAlexSampler, estimate_year, openalex_baseline
from bibmine.sources.http import HttpError, PoliteClient
from tests.specialization.invented import keyword_classifier, openalex_handler, sample_works

from .conftest import CONTACT, Sleeps, fast_config

FILTER_2021 = "authorships.countries:RU,publication_year:2021"


def sampler_for(httpserver, tmp_path, sleeps=None, *, sample=200, per_page=100, **http):
    config = fast_config(tmp_path, **http)
    source = config.source("openalex")
    source.base_url = httpserver.url_for("/")
    source.per_page = per_page
    client = PoliteClient(config.http, sleep=sleeps if sleeps is not None else Sleeps())
    return client, OpenAlexSampler(client, source, country="RU", sample=sample, seed=7, store=tmp_path / "store",
                                   mailto=CONTACT)


def test_sample_is_paged_classified_scaled_and_stored(httpserver, tmp_path):
    calls: list[dict] = []
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    client, sampler = sampler_for(httpserver, tmp_path)
    with client:
        baseline = openalex_baseline(sampler, [2021], model="kw", classify=keyword_classifier)
    # one count request, then pages 1 and 2 of the seeded sample (100 a page): never a cursor
    assert calls[0] == {"filter": FILTER_2021, "per_page": "1", "select": "id", "mailto": CONTACT}
    assert [(c["page"], c["sample"], c["seed"], c["per_page"]) for c in calls[1:]] == [
        ("1", "200", "7", "100"), ("2", "200", "7", "100")]
    assert all("cursor" not in c for c in calls)
    rows = baseline.table.set_index("rubric")
    # 196 of the 200 sampled works have a text: 22 metallurgy, 9 computer science, 165 agriculture
    assert rows.loc["*", "value"] == 1000 and math.isnan(rows.loc["*", "ci_low"])
    assert (rows.loc["53", "sample_count"], rows.loc["53", "sample_size"]) == (22, 196)
    assert rows.loc["53", "value"] == pytest.approx(1000 * 22 / 196, abs=1e-3)  # 112.245
    # Wilson 95% interval of 22/196: [0.0753, 0.1641], times the 1000 works
    assert (rows.loc["53", "ci_low"], rows.loc["53", "ci_high"]) == pytest.approx((75.3, 164.1), abs=0.1)
    assert rows.loc["20", "value"] == pytest.approx(45.918, abs=1e-3)
    assert rows.loc["68", "value"] == pytest.approx(841.837, abs=1e-3)
    assert rows.loc["31", "value"] == 0 and rows.loc["31", "ci_high"] > 0  # none sampled: 0, but maybe some
    folder = tmp_path / "store" / "openalex-RU-n200-seed7" / "2021"
    assert sorted(p.name for p in folder.iterdir()) == ["count.json", "page-0001.json", "page-0002.json",
                                                       "rubrics.kw.csv"]
    assert baseline.details["sizes"] == {"2021": {"total": 1000, "sampled": 200, "classified": 196}}

    # a rerun reads the store: no request, no classification
    def refuse(texts):
        raise AssertionError("classified again")

    n = len(httpserver.log)
    client, again = sampler_for(httpserver, tmp_path)
    with client:
        second = openalex_baseline(again, [2021], model="kw", classify=refuse)
    assert len(httpserver.log) == n and again.n_requests == 0
    assert second.table.equals(baseline.table)


def test_faults_are_retried_and_a_stop_resumes_at_the_missing_page(httpserver, tmp_path):
    calls: list[dict] = []
    works = sample_works(2021)
    page2 = {"filter": FILTER_2021, "sample": "200", "seed": "7", "per_page": "100", "page": "2"}
    httpserver.expect_oneshot_request("/works", query_string={"filter": FILTER_2021, "per_page": "1", "select": "id",
                                                              "mailto": CONTACT}).respond_with_data(
        "", status=429, headers={"Retry-After": "2"})
    httpserver.expect_oneshot_request("/works").respond_with_data("upstream error", status=503)
    body = json.dumps({"meta": {"count": 200, "page": 1, "per_page": 100}, "results": works[:100]})
    page1 = {**page2, "page": "1", "select": bo.SELECT, "mailto": CONTACT}
    httpserver.expect_oneshot_request("/works", query_string=page1).respond_with_data(
        body[: len(body) // 2], content_type="application/json")
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    sleeps = Sleeps()
    client, sampler = sampler_for(httpserver, tmp_path, sleeps)
    with client:
        assert sampler.total(2021) == 1000  # after a 429 with Retry-After and a 503
        assert len(sampler.works(2021)) == 200  # page 1 came truncated once
    assert 2.0 in sleeps  # Retry-After honoured
    assert client.n_retries == 3
    assert {k: v for k, v in calls[-1].items() if k in page2} == page2

    # a page that keeps failing stops the run; what came is stored and a rerun fetches only the rest
    other = tmp_path / "other"
    httpserver.clear()
    calls.clear()
    httpserver.expect_request("/works", query_string={"filter": "authorships.countries:RU,publication_year:2020",
                                                      "sample": "200", "seed": "7", "per_page": "100", "page": "2",
                                                      "select": bo.SELECT, "mailto": CONTACT}).respond_with_data(
        "busy", status=500)
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    client, sampler = sampler_for(httpserver, other)
    with client, pytest.raises(HttpError):
        sampler.works(2020)
    assert (other / "store" / "openalex-RU-n200-seed7" / "2020" / "page-0001.json").is_file()
    httpserver.clear()
    calls.clear()
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    client, sampler = sampler_for(httpserver, other)
    with client:
        assert len(sampler.works(2020)) == 200
    assert [c["page"] for c in calls] == ["2"]


def test_a_response_without_results_or_count_is_an_api_change(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_json({"meta": {"count": 5}, "error": "moved"})
    httpserver.expect_oneshot_request("/works").respond_with_json({"meta": {"count": "many"}, "results": []})
    client, sampler = sampler_for(httpserver, tmp_path)
    with client:
        with pytest.raises(bo.SchemaError, match="no 'results' list"):
            sampler.total(2021)
        with pytest.raises(bo.SchemaError, match="meta.count is 'many'"):
            sampler.total(2021)
    assert not (tmp_path / "store" / "openalex-RU-n200-seed7" / "2021" / "count.json").exists()


def test_estimates_whole_and_fractional():
    rubrics = [("W1", ["53", "20"]), ("W2", ["53"]), ("W3", []), ("W4", ["68"])]
    whole = {r["rubric"]: r for r in estimate_year(2021, 900, rubrics, country="RU")}
    assert (whole["53"]["value"], whole["20"]["value"], whole["*"]["value"]) == (600.0, 300.0, 900.0)
    frac = {r["rubric"]: r for r in estimate_year(2021, 900, rubrics, country="RU", counting="fractional")}
    assert (frac["53"]["value"], frac["20"]["value"], frac["68"]["value"]) == (450.0, 150.0, 300.0)


def test_bad_arguments_and_dry_run(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "oa-secret-key-123")
    runner = CliRunner()
    result = runner.invoke(app, ["baseline", "openalex", "--from", "2021", "--to", "2020", "--out", "x.csv"])
    assert result.exit_code == 2 and "--from 2021 is after --to 2020" in result.output
    result = runner.invoke(app, ["baseline", "openalex", "--from", "2020", "--to", "2020", "--sample", "20000",
                                 "--out", "x.csv", "--dry-run"])
    assert result.exit_code == 2 and "between 1 and 10,000" in " ".join(result.output.split())
    result = runner.invoke(app, ["baseline", "openalex", "--from", "2020", "--to", "2021", "--sample", "300",
                                 "--out", str(tmp_path / "x.csv"), "--dry-run", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("GET https://api.openalex.org/works?filter=authorships.countries:RU,"
                               "publication_year:2020&per_page=1&select=id")
    assert "sample=300&seed=42&per_page=100&page=1" in lines[1]
    assert "oa-secret-key-123" not in result.output and not (tmp_path / "s").exists()


def test_cli_writes_the_table_and_reruns_free(httpserver, tmp_path, monkeypatch):
    calls: list[dict] = []
    httpserver.expect_request("/works").respond_with_handler(openalex_handler(calls))
    monkeypatch.setattr(bo, "model_classifier", lambda model: keyword_classifier)
    config = tmp_path / "crawl.toml"
    config.write_text(f'[http]\ncontact_email = "{CONTACT}"\ndefault_rate = 0\nbackoff_base = 0.01\n', "utf-8")
    args = ["baseline", "openalex", "--country", "RU", "--from", "2020", "--to", "2021", "--sample", "200",
            "--out", str(tmp_path / "national.csv"), "--store", str(tmp_path / "store"), "--config", str(config),
            "--base-url", httpserver.url_for("/")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2020: 900 works, 200 of 200 sampled classified; 2021: 1,000 works, 196 of 200" in result.output
    assert len(calls) == 2 * 3  # per year: the count and two pages
    check = CliRunner().invoke(app, ["baseline", "check", str(tmp_path / "national.csv")])
    assert check.exit_code == 0 and "country RU, years 2020, 2021; 0 problem(s)" in check.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and len(calls) == 6 and "(0 requests;" in again.output
