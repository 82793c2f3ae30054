"""The one redaction module (issue 17.2): what counts as a secret and how it is hidden."""

from __future__ import annotations

import json
import logging

from typer.testing import CliRunner

from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.cli import app
from bibmine.sources.crawl.state import JobStore
from bibmine.sources.redact import (
    RedactingFilter,
    redact_bytes,
    redact_headers,
    redact_text,
    redact_url,
    register_secret,
    registered_secrets,
)


def test_secret_query_parameters_in_any_case_and_mailto_kept():
    url = "https://h.org/w?API_KEY=a1&apikey=a2&Token=a3&access_token=a4&key=a5&mailto=me@x.org&monkey=ok&page=2"
    assert redact_url(url) == ("https://h.org/w?API_KEY=***&apikey=***&Token=***&access_token=***&key=***"
                               "&mailto=me@x.org&monkey=ok&page=2")
    assert redact_url("http://h/w", {"q": "x", "api_key": "k", "per_page": None}) == "http://h/w?q=x&api_key=***"


def test_a_requests_error_text_loses_the_key_and_keeps_the_rest():
    text = ("HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: "
            "/works?filter=x%3A1&api_key=Zq9-secret (Caused by NewConnectionError('refused'))")
    assert redact_text(text) == ("HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: "
                                 "/works?filter=x%3A1&api_key=*** (Caused by NewConnectionError('refused'))")


def test_secret_headers_in_text_and_mappings():
    assert redact_text("headers: {'X-API-Key': 'abcd1234', 'Accept': '*/*'}") == \
        "headers: {'X-API-Key': '***', 'Accept': '*/*'}"
    assert redact_text("Proxy-Authorization: Basic dXNlcjpwYXNz\nHost: h") == "Proxy-Authorization: ***\nHost: h"
    assert redact_headers({"authorization": "Bearer t", "x-api-key": "k", "User-Agent": "bibmine"}) == {
        "authorization": "***", "x-api-key": "***", "User-Agent": "bibmine"}


def test_registered_values_are_hidden_anywhere_also_percent_encoded():
    register_secret("Bearer sk/LIVE+4242=")
    assert {"Bearer sk/LIVE+4242=", "sk/LIVE+4242="} <= registered_secrets()
    assert redact_text("path /v1/sk/LIVE+4242=/x and sk%2FLIVE%2B4242%3D in a query") == \
        "path /v1/***/x and *** in a query"
    assert redact_bytes(b'{"echo": "sk/LIVE+4242="}') == b'{"echo": "***"}'
    register_secret("abc")  # too short to mask without garbling every text
    assert "abc" not in registered_secrets() and redact_text("abc") == "abc"


def test_userinfo_in_urls_is_hidden():
    assert redact_url("https://bob:hunter22@mirror.local/api") == "https://bob:***@mirror.local/api"


def test_the_log_filter_redacts_message_and_arguments():
    record = logging.LogRecord("urllib3", logging.DEBUG, __file__, 1, '%s "GET %s HTTP/1.1" 200', (
        "http://h:80", "/w?token=T0KEN-1"), None)
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == 'http://h:80 "GET /w?token=*** HTTP/1.1" 200'


def test_job_state_and_crawl_status_never_show_a_secret(tmp_path):
    path = tmp_path / "c.sqlite"
    with Corpus(path) as corpus:
        store = JobStore(corpus)
        job = store.create("openalex", {"base_url": "http://u:pw-9911@mirror/api?key=K-9911"}, {"cursor": "*"})
        store.set_status(job, "failed", "GET http://mirror/works?api_key=K-9911: ConnectionError")
        # a row written by an older bibmine, unredacted
        corpus.db.execute("INSERT INTO crawl_jobs(source, query, key, status, cursor, started, updated, error) "
                          "VALUES ('crossref', '{}', 'k', 'failed', '{}', 'now', 'now', "
                          "'GET http://h/works?access_token=OLD-5150 failed')")
    rows = corpus_rows(path)
    assert rows == [("{\"base_url\":\"http://u:***@mirror/api?key=***\"}",
                     "GET http://mirror/works?api_key=***: ConnectionError"),
                    ("{}", "GET http://h/works?access_token=OLD-5150 failed")]
    runner = CliRunner()
    shown = runner.invoke(app, ["status", "--corpus", str(path)]).output
    as_json = runner.invoke(app, ["status", "--json", "--corpus", str(path)]).output
    for out in (shown, as_json):
        assert "OLD-5150" not in out and "K-9911" not in out and "pw-9911" not in out
    assert [json.loads(line)["error"] for line in as_json.splitlines()] == [
        "GET http://mirror/works?api_key=***: ConnectionError", "GET http://h/works?access_token=*** failed"]


def corpus_rows(path) -> list[tuple]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT query, error FROM crawl_jobs ORDER BY id").fetchall()
    finally:
        db.close()
