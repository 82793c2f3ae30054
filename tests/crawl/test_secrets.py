"""Secrets (issue 17.2): crawls with an OpenAlex key and Rospatent/Lens tokens set, through
redirects (the key and a token in the Location too), a server echoing the request URL, and
a connection failure; then every file bibmine wrote (corpus, HTTP cache as raw bytes, crawl
state) and every stream it printed to are searched for the secret values."""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
from pathlib import Path
from urllib.parse import quote

from typer.testing import CliRunner
from werkzeug import Request, Response

from bibmine.sources.crawl.cli import app

from .conftest import CONTACT, fixture_json

runner = CliRunner()
OA_KEY, RP_TOKEN, LENS_TOKEN = "OA-KEY-7f3a9c51", "RP-TOKEN-51be02d4", "LENS-TOKEN-c0ffee99"
SECRETS = (OA_KEY, RP_TOKEN, LENS_TOKEN)


def forms(secret: str) -> list[bytes]:
    return [secret.encode(), quote(secret, safe="").encode(), secret.encode("utf-16-le")]


def leaks(data: bytes) -> list[str]:
    return [s for s in SECRETS if any(f in data for f in forms(s))]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(tmp_path: Path, **extra) -> dict[str, str]:
    config = tmp_path / "crawl.toml"
    config.write_text(f'[http]\nmax_retries = 1\nbackoff_base = 0.01\ndefault_rate = 0\nconnect_timeout = 2\n'
                      f'cache_path = "{(tmp_path / "cache" / "http_cache.sqlite").as_posix()}"\n', "utf-8")
    env = {"BIBMINE_CRAWL_CONFIG": str(config), "BIBMINE_CONTACT_EMAIL": CONTACT, "OPENALEX_API_KEY": OA_KEY,
           "ROSPATENT_TOKEN": RP_TOKEN, "LENS_TOKEN": LENS_TOKEN}
    env.update(extra)
    return env


def serve(httpserver) -> None:
    """OpenAlex, Rospatent and Lens behind redirects that carry the secrets on."""
    work = fixture_json("openalex_works.json")["works"][0]

    def old_works(request: Request) -> Response:  # 301 to the new path, query (api_key included) kept
        return Response(status=301, headers={"Location": f"/new/works?{request.query_string.decode()}"})

    def new_works(request: Request) -> Response:  # a server that echoes the request URL into the record
        body = {"meta": {"count": 1, "next_cursor": None, "echo": request.url},
                "results": [{**work, "echo": request.url}]}
        return Response(json.dumps(body), content_type="application/json")

    def moved(to: str):
        def handler(request: Request) -> Response:  # 307/308 keep the POST; the Location adds a token
            return Response(status=307, headers={"Location": f"{to}?token={RP_TOKEN}&access_token={LENS_TOKEN}"})
        return handler

    httpserver.expect_request("/old/works").respond_with_handler(old_works)
    httpserver.expect_request("/new/works").respond_with_handler(new_works)
    httpserver.expect_request("/rp/patsearch/v0.2/search", method="POST").respond_with_handler(
        moved("/rp2/patsearch/v0.2/search"))
    httpserver.expect_request("/rp2/patsearch/v0.2/search", method="POST",
                              headers={"Authorization": f"Bearer {RP_TOKEN}"}).respond_with_json(
        fixture_json("rospatent_search.json"))
    httpserver.expect_request("/lens/patent/search", method="POST").respond_with_handler(
        moved("/lens2/patent/search"))
    httpserver.expect_request("/lens2/patent/search", method="POST",
                              headers={"Authorization": f"Bearer {LENS_TOKEN}"}).respond_with_json(
        {"total": 1, "data": [fixture_json("lens_ru_patent.json")]})


def test_no_secret_in_any_file_or_stream_bibmine_wrote(httpserver, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # urllib3 logs every URL at DEBUG: it must be redacted too
    serve(httpserver)
    corpus = str(tmp_path / "corpus" / "c.sqlite")
    env = env_for(tmp_path)
    outputs = []

    def crawl(*args: str, code: int, **extra) -> str:
        result = runner.invoke(app, [*args, "--corpus", corpus], env={**env, **extra})
        outputs.append(result.output)
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    crawl("openalex", "--institution", "I4210097436", "--base-url", httpserver.url_for("/old"), code=0)
    crawl("patents", "--source", "rospatent", "--query", "сталь", "--base-url", httpserver.url_for("/rp"), code=3)
    crawl("patents", "--source", "lens", "--query", "steel", "--base-url", httpserver.url_for("/lens"), code=0)
    port = closed_port()
    out = crawl("openalex", "--ror", "02d7m8w45", "--base-url", f"http://127.0.0.1:{port}", code=5)
    assert f"GET http://127.0.0.1:{port}/works?" in out and "api_key=***" in out and "ConnectionError" in out
    status = crawl("status", "--json", code=0)
    outputs.append(crawl("status", code=0))

    # the tokens were sent where they belong ...
    sent = {r.path: r for r, _ in httpserver.log}
    assert sent["/old/works"].args["api_key"] == OA_KEY and sent["/new/works"].args["api_key"] == OA_KEY
    assert sent["/rp2/patsearch/v0.2/search"].headers["Authorization"] == f"Bearer {RP_TOKEN}"
    # ... the echo reached the corpus, masked
    db = sqlite3.connect(corpus)
    [raw] = [r for (r,) in db.execute("SELECT raw FROM source_records WHERE format='openalex'")]
    assert '"echo":"http://localhost' in raw and "api_key=***" in raw
    [error] = [r for (r,) in db.execute("SELECT error FROM crawl_jobs WHERE status='failed'")]
    db.close()
    assert "api_key=***" in error and "resume" in error
    jobs = [json.loads(line) for line in status.splitlines()]
    assert [(j["source"], j["status"]) for j in jobs] == [("openalex", "done"), ("rospatent", "done"),
                                                          ("lens", "done"), ("openalex", "failed")]

    written = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.name != "crawl.toml")
    names = {p.name for p in written}
    assert {"c.sqlite", "http_cache.sqlite"} <= names, names
    cache = (tmp_path / "cache" / "http_cache.sqlite").read_bytes()
    assert b"/new/works" in cache and b"rp2/patsearch" in cache  # the redirected answers are cached ...
    for path in written:
        assert leaks(path.read_bytes()) == [], path  # ... and no file holds a secret, in any form
    captured = capfd.readouterr()  # anything written past the runner, at the file-descriptor level
    streams = "\n".join([*outputs, captured.out, captured.err])
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert "api_key=***" in logged  # urllib3's DEBUG lines are there, redacted
    assert leaks(streams.encode()) == [] and leaks(logged.encode()) == []


def test_the_cache_matches_a_request_without_its_key(httpserver, tmp_path):
    serve(httpserver)
    corpus = str(tmp_path / "c.sqlite")
    args = ["openalex", "--institution", "I4210097436", "--base-url", httpserver.url_for("/old"), "--corpus", corpus]
    first = runner.invoke(app, args, env=env_for(tmp_path))
    assert first.exit_code == 0, first.output
    n = len(httpserver.log)
    assert n == 2  # the 301 and the answer
    again = runner.invoke(app, [*args, "--restart"], env=env_for(tmp_path, OPENALEX_API_KEY="OTHER-KEY-0001"))
    assert again.exit_code == 0, again.output
    assert len(httpserver.log) == n  # another key, the same request: answered from the cache
    assert "duplicate 1" in again.stdout


def test_a_connection_failure_names_the_url_without_the_key(tmp_path, caplog):
    from bibmine.sources.http import PoliteClient, RetriesExhaustedError

    from .conftest import Sleeps, fast_http

    port = closed_port()
    with caplog.at_level(logging.DEBUG), PoliteClient(fast_http(max_retries=1), sleep=Sleeps()) as client:
        try:
            client.get_json(f"http://127.0.0.1:{port}/w", {"api_key": "KEY-FOR-A-CLOSED-PORT"})
        except RetriesExhaustedError as exc:
            message = str(exc)
    assert message.startswith(f"GET http://127.0.0.1:{port}/w?api_key=***: failed after 2 attempts; last error: "
                              "ConnectionError: ")
    assert "Max retries exceeded with url: /w?api_key=*** (Caused by NewConnectionError" in message
    assert "KEY-FOR-A-CLOSED-PORT" not in message + caplog.text


def test_an_old_cache_holding_secrets_is_cleared_when_opened(httpserver, tmp_path, caplog):
    """bibmine before issue 17 cached through requests_cache.CachedSession, which stored each
    redirect's request, api_key and Authorization included."""
    import requests_cache

    from bibmine.sources.http import PoliteClient

    from .conftest import Sleeps, fast_http

    httpserver.expect_request("/old").respond_with_handler(
        lambda request: Response(status=301, headers={"Location": f"/new?{request.query_string.decode()}"}))
    httpserver.expect_request("/new").respond_with_json({"ok": 1})
    path = tmp_path / "http_cache.sqlite"
    with requests_cache.CachedSession(str(path), backend="sqlite", allowable_codes=(200,),
                                      ignored_parameters=("api_key", "Authorization"), match_headers=False) as old:
        old.get(httpserver.url_for("/old"), params={"api_key": "OLD-CACHE-KEY-1"},
                headers={"Authorization": "Bearer OLD-CACHE-TOKEN-2"})
    before = path.read_bytes()
    assert b"OLD-CACHE-KEY-1" in before and b"OLD-CACHE-TOKEN-2" in before  # what issue 17 found
    with caplog.at_level(logging.WARNING), PoliteClient(fast_http(cache_path=path), sleep=Sleeps()) as client:
        assert client.get_json(httpserver.url_for("/old"), {"api_key": "OLD-CACHE-KEY-1"}) == {"ok": 1}
    after = path.read_bytes()
    assert b"OLD-CACHE-KEY-1" not in after and b"OLD-CACHE-TOKEN-2" not in after and b"/new" in after
    assert "was written by an older bibmine" in caplog.text
