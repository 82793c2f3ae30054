"""The polite transport against a real HTTP server on 127.0.0.1: retries, Retry-After,
timeouts, resets, truncated bodies, robots.txt, rate limit, User-Agent, secrets, cache."""

from __future__ import annotations

import logging
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from bibmine.sources.http import (
    BadBodyError,
    HttpError,
    PoliteClient,
    RateLimitedError,
    RetriesExhaustedError,
    RobotsDisallowedError,
    redact,
)

from .conftest import CONTACT, ResettingServer, Sleeps, fast_http


def test_429_with_retry_after_is_honoured(httpserver, client, sleeps):
    httpserver.expect_oneshot_request("/works").respond_with_json({"error": "slow down"}, status=429,
                                                                   headers={"Retry-After": "3"})
    httpserver.expect_oneshot_request("/works").respond_with_json({"results": [1, 2]})
    assert client.get_json(httpserver.url_for("/works")) == {"results": [1, 2]}
    assert sleeps == [3.0]  # exactly what the server asked, not the (tiny) backoff
    assert client.n_retries == 1


def test_lens_style_retry_header_is_honoured(httpserver, client, sleeps):
    httpserver.expect_oneshot_request("/patent/search").respond_with_data(
        "", status=429, headers={"x-rate-limit-retry-after-seconds": "2"})
    httpserver.expect_oneshot_request("/patent/search").respond_with_json({"data": []})
    assert client.post_json(httpserver.url_for("/patent/search"), {"query": "x"}) == {"data": []}
    assert sleeps == [2.0]


def test_retry_after_beyond_the_limit_stops_with_a_clear_message(httpserver, client, sleeps):
    httpserver.expect_request("/works").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitedError, match="asks to wait 3600 s.*resumed later"):
        client.get_json(httpserver.url_for("/works"))
    assert sleeps == []  # it never slept an hour


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_growing_backoff(httpserver, client, sleeps, status):
    for _ in range(2):
        httpserver.expect_oneshot_request("/x").respond_with_data("oops", status=status)
    httpserver.expect_oneshot_request("/x").respond_with_json({"ok": True})
    assert client.get_json(httpserver.url_for("/x")) == {"ok": True}
    assert len(sleeps) == 2
    # backoff_base 0.01 doubling, plus up to 50% jitter
    assert 0.01 <= sleeps[0] <= 0.015 and 0.02 <= sleeps[1] <= 0.03


def test_retries_run_out_with_the_url_and_last_error(httpserver, client, sleeps):
    httpserver.expect_request("/x").respond_with_data("down", status=503)
    with pytest.raises(RetriesExhaustedError, match=r"GET http://.*/x\?api_key=\*\*\*: failed after 4 attempts; "
                                                    r"last error: HTTP 503"):
        client.get_json(httpserver.url_for("/x"), {"api_key": "s3cret-key"})
    assert len(sleeps) == 3  # no pointless sleep after the last attempt


def test_client_errors_are_not_retried(httpserver, client, sleeps):
    httpserver.expect_request("/x").respond_with_data("nope", status=400)
    with pytest.raises(HttpError, match="HTTP 400") as info:
        client.get_json(httpserver.url_for("/x"))
    assert info.value.status == 400 and sleeps == []
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    assert client.get_json(httpserver.url_for("/missing"), ok_statuses=(404,)) is None


def test_connection_reset_is_retried(sleeps):
    server = ResettingServer(resets=2, body={"results": ["after resets"]})
    try:
        with PoliteClient(fast_http(), sleep=sleeps) as client:
            assert client.get_json(server.url("/works")) == {"results": ["after resets"]}
        assert server.connections == 3 and len(sleeps) == 2
    finally:
        server.close()


def test_read_timeout_is_retried(sleeps):
    calls = []

    def slow_once(request):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.5)  # longer than the 0.2 s read timeout
        return Response('{"late": %s}' % ("true" if len(calls) == 1 else "false"), content_type="application/json")

    server = HTTPServer(threaded=True)  # the retry is served while the first request still sleeps
    server.start()
    try:
        server.expect_request("/slow").respond_with_handler(slow_once)
        with PoliteClient(fast_http(read_timeout=0.2), sleep=sleeps) as client:
            assert client.get_json(server.url_for("/slow")) == {"late": False}
        assert len(sleeps) == 1 and len(calls) == 2
    finally:
        server.clear()
        server.stop()


def test_truncated_json_is_retried_and_never_cached(httpserver, tmp_path, sleeps):
    cache = tmp_path / "cache.sqlite"
    httpserver.expect_oneshot_request("/works").respond_with_data('{"meta": {"count": 2}, "results": [{"id"',
                                                                   content_type="application/json")
    httpserver.expect_oneshot_request("/works").respond_with_json({"results": ["whole"]})
    with PoliteClient(fast_http(cache_path=cache), sleep=sleeps) as client:
        assert client.get_json(httpserver.url_for("/works")) == {"results": ["whole"]}
        assert client.n_requests == 2
        # the good answer is cached; the broken one was forgotten
        assert client.get_json(httpserver.url_for("/works")) == {"results": ["whole"]}
        assert client.n_requests == 2
    assert len(httpserver.log) == 2


def test_empty_html_page_is_retried(httpserver, client, sleeps):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_oneshot_request("/page").respond_with_data("", content_type="text/html")
    httpserver.expect_oneshot_request("/page").respond_with_data("<html><p>Почвы</p></html>",
                                                                  content_type="text/html; charset=utf-8")
    assert "Почвы" in client.get_text(httpserver.url_for("/page"))
    assert len(sleeps) == 1


def test_check_callback_can_ask_for_one_more_try(httpserver, client, sleeps):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_oneshot_request("/p").respond_with_data("<html>half", content_type="text/html")
    httpserver.expect_oneshot_request("/p").respond_with_data("<html>whole</html>", content_type="text/html")

    def check(response, text):
        if "</html>" not in text:
            raise BadBodyError("page cut short")

    assert client.get_text(httpserver.url_for("/p"), check=check) == "<html>whole</html>"


def test_robots_txt_disallow_and_crawl_delay(httpserver, sleeps):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\nCrawl-delay: 4\n", content_type="text/plain")
    httpserver.expect_request("/open").respond_with_data("<html>ok</html>", content_type="text/html")
    with PoliteClient(fast_http(), sleep=sleeps) as client:
        with pytest.raises(RobotsDisallowedError, match="disallows .*/private"):
            client.get_text(httpserver.url_for("/private/page"))
        assert client.get_text(httpserver.url_for("/open")) == "<html>ok</html>"
        assert client.get_text(httpserver.url_for("/open")) == "<html>ok</html>"
    assert any(3.0 < s <= 4.0 for s in sleeps)  # Crawl-delay became the host's interval
    assert not any(r.path == "/private/page" for r, _ in httpserver.log)


def test_rate_limit_per_host(httpserver, sleeps):
    httpserver.expect_request("/x").respond_with_json({})
    host = f"localhost:{httpserver.port}"
    with PoliteClient(fast_http(rates={host: 2.0}), sleep=sleeps) as client:
        client.get_json(httpserver.url_for("/x"))
        client.get_json(httpserver.url_for("/x"))
    assert len(sleeps) == 1 and 0.3 < sleeps[0] <= 0.5


def test_user_agent_names_bibmine_and_the_contact(httpserver, client):
    httpserver.expect_request("/x").respond_with_json({})
    client.get_json(httpserver.url_for("/x"))
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("bibmine/") and f"mailto:{CONTACT}" in agent


def test_secrets_stay_out_of_logs_messages_and_the_cache(httpserver, tmp_path, caplog):
    cache = tmp_path / "cache.sqlite"
    httpserver.expect_oneshot_request("/works").respond_with_data("", status=503)
    httpserver.expect_oneshot_request("/works").respond_with_json({"results": []})
    httpserver.expect_request("/search", method="POST").respond_with_json({"hits": []})
    with caplog.at_level(logging.WARNING, logger="bibmine.http"), \
            PoliteClient(fast_http(cache_path=cache), sleep=Sleeps()) as client:
        client.get_json(httpserver.url_for("/works"), {"api_key": "KEY-123-SECRET", "q": "x"})
        client.post_json(httpserver.url_for("/search"), {"q": "x"}, headers={"Authorization": "Bearer TOK-SECRET"})
    assert "api_key=***" in caplog.text and "KEY-123-SECRET" not in caplog.text
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("cache.sqlite*"))
    assert b"KEY-123-SECRET" not in stored and b"TOK-SECRET" not in stored
    assert httpserver.log[-1][0].headers["Authorization"] == "Bearer TOK-SECRET"  # sent, just never stored


def test_redact_keeps_the_rest_of_the_query():
    assert redact("https://x.org/a?token=t&mailto=a@b.c&page=2") == "https://x.org/a?token=***&mailto=a@b.c&page=2"
