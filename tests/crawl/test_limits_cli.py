"""``bibmine crawl`` meeting a bound (issue 17.3): exit 5 with a message naming the URL and
the limit, no traceback, the job saved and resumed by the same command; limits from the
crawl config TOML, checked."""

from __future__ import annotations

import json
import time
import zlib

from typer.testing import CliRunner
from werkzeug import Request, Response

from bibmine.sources.crawl.cli import app
from bibmine.sources.crawl.config import ConfigError, load_config

from .conftest import CONTACT, fixture_json

runner = CliRunner()
MiB = 1 << 20


def env_for(tmp_path, http: str = "") -> dict[str, str]:
    config = tmp_path / "crawl.toml"
    config.write_text(f'[http]\nmax_retries = 1\nbackoff_base = 0.01\ndefault_rate = 0\ncache_path = ""\n{http}',
                      "utf-8")
    return {"BIBMINE_CRAWL_CONFIG": str(config), "BIBMINE_CONTACT_EMAIL": CONTACT, "OPENALEX_API_KEY": ""}


def small_bomb() -> bytes:
    """64 MiB of zeros, gzipped (about 64 KB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MiB)
    return b"".join([packer.compress(zeros) for _ in range(64)] + [packer.flush()])


def crawl(httpserver, tmp_path, env) -> tuple[int, str]:
    result = runner.invoke(app, ["openalex", "--institution", "I4210097436", "--base-url", httpserver.url_for("/"),
                                 "--corpus", str(tmp_path / "c.sqlite")], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def status(tmp_path, env) -> list[dict]:
    result = runner.invoke(app, ["status", "--json", "--corpus", str(tmp_path / "c.sqlite")], env=env)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_bomb_stops_the_crawl_with_exit_5_and_the_same_command_resumes(httpserver, tmp_path):
    env = env_for(tmp_path)
    httpserver.expect_request("/works").respond_with_data(small_bomb(), headers={"Content-Encoding": "gzip"},
                                                          content_type="application/json")
    code, out = crawl(httpserver, tmp_path, env)
    assert code == 5, out
    text = " ".join(out.split())  # the console folds long lines
    assert "stopped: openalex crawl (job 1) stopped at phase=works, chunk=0, cursor=*: GET http://localhost:" in text
    assert "the gzip body inflates more than max_compression_ratio=100 times" in text
    assert "raise the limit in [http] of the crawl config" in text
    [job] = status(tmp_path, env)
    assert (job["status"], job["cursor"]["cursor"], job["n_read"]) == ("failed", "*", 0)
    assert "max_compression_ratio=100" in job["error"]

    httpserver.clear()  # the site is fixed
    httpserver.expect_request("/works").respond_with_json(
        {"meta": {"count": 1, "next_cursor": None}, "results": fixture_json("openalex_works.json")["works"][:1]})
    code, out = crawl(httpserver, tmp_path, env)
    assert code == 0, out
    assert "openalex job 1: done; read 1, new 1" in out  # the same job, resumed
    assert [(j["id"], j["status"]) for j in status(tmp_path, env)] == [(1, "done")]


def test_a_trickling_server_stops_the_crawl_at_the_configured_deadline(httpserver, tmp_path):
    def trickle(request: Request) -> Response:
        def body():
            for _ in range(60):
                time.sleep(0.05)
                yield b" "
        return Response(body(), content_type="application/json")

    httpserver.expect_request("/works").respond_with_handler(trickle)
    env = env_for(tmp_path, "deadline_s = 0.5\nread_timeout = 5\n")
    start = time.monotonic()
    code, out = crawl(httpserver, tmp_path, env)
    assert code == 5 and time.monotonic() - start < 3.0, out  # the server would go on for 3 s, then fail
    assert "no complete answer within deadline_s=0.5 s" in " ".join(out.split())
    assert status(tmp_path, env)[0]["status"] == "failed"


def test_a_redirect_to_a_file_stops_the_crawl_cleanly(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_response(Response(status=302,
                                                                       headers={"Location": "file:///etc/passwd"}))
    code, out = crawl(httpserver, tmp_path, env_for(tmp_path))
    assert code == 5, out
    assert "redirects to file:///etc/passwd: only http(s) redirects are followed; refused" in " ".join(out.split())


def test_limits_come_from_the_crawl_config_and_are_checked(tmp_path):
    path = tmp_path / "crawl.toml"
    path.write_text('[http]\nmax_body_mb = 5\nmax_decompressed_mb = 20.5\nmax_compression_ratio = 30\n'
                    'deadline_s = 0\nmax_redirects = 2\nredirect_hosts = ["cdn.example.org"]\n', "utf-8")
    http = load_config(path, env={}).http
    assert (http.max_body_mb, http.max_decompressed_mb, http.max_compression_ratio, http.deadline_s,
            http.max_redirects, http.redirect_hosts) == (5, 20.5, 30, 0, 2, ["cdn.example.org"])
    assert load_config(None, env={}).http.max_body_mb == 50.0  # the defaults
    for line, message in [('max_body_mb = "big"', "[http] max_body_mb must be a number >= 0.001, not 'big'"),
                          ("deadline_s = -1", "[http] deadline_s must be a number >= 0 (0 = no deadline), not -1"),
                          ("max_redirects = 2.5", "[http] max_redirects must be a whole number >= 0, not 2.5"),
                          ("max_compression_ratio = inf", "[http] max_compression_ratio must be a number >= 1"),
                          ('redirect_hosts = "cdn.example.org"', "[http] redirect_hosts must be a list of host")]:
        path.write_text(f"[http]\n{line}\n", "utf-8")
        try:
            load_config(path, env={})
        except ConfigError as exc:
            assert message in str(exc), (line, str(exc))
        else:
            raise AssertionError(f"{line} was accepted")
    result = runner.invoke(app, ["openalex", "--institution", "I1", "--corpus", str(tmp_path / "c.sqlite")],
                           env={"BIBMINE_CRAWL_CONFIG": str(path), "BIBMINE_CONTACT_EMAIL": CONTACT})
    assert result.exit_code == 2 and "redirect_hosts must be a list of host names" in result.output
