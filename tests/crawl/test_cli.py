"""``bibmine crawl ...`` commands: dry runs, configuration errors, exit codes, status."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bibmine.sources.crawl.cli import app

from .conftest import CONTACT, FIXTURES, fixture_json, fixture_text

runner = CliRunner()


def env_for(tmp_path, **extra) -> dict[str, str]:
    config = tmp_path / "crawl.toml"
    config.write_text('[http]\nmax_retries = 1\nbackoff_base = 0.01\ndefault_rate = 0\ncache_path = ""\n'
                      '[elibrary]\ndelay_s = 0\n[fips]\ndelay_s = 0\n', "utf-8")
    env = {"BIBMINE_CRAWL_CONFIG": str(config), "BIBMINE_CONTACT_EMAIL": CONTACT, "OPENALEX_API_KEY": "",
           "ROSPATENT_TOKEN": "", "LENS_TOKEN": ""}
    env.update(extra)
    return env


def test_dry_run_prints_requests_with_secrets_redacted(tmp_path):
    result = runner.invoke(app, ["openalex", "--region", "RU-LIP", "--from", "2019", "--to", "2021", "--dry-run",
                                 "--corpus", str(tmp_path / "c.sqlite")],
                           env=env_for(tmp_path, OPENALEX_API_KEY="OA-KEY-SECRET"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("GET https://api.openalex.org/institutions?filter=country_code:RU&search=Lipetsk&cursor=*"
                        f"&per_page=100&mailto={CONTACT}&api_key=***")
    assert "from_publication_date:2019-01-01,to_publication_date:2021-12-31" in result.stdout
    assert "OA-KEY-SECRET" not in result.output
    assert not (tmp_path / "c.sqlite").exists()  # a dry run touches nothing


def test_base_url_and_dry_run_for_every_source(tmp_path):
    env = env_for(tmp_path)
    cases = [
        (["crossref", "--dois", str(FIXTURES / "crossref_dois.txt")], "GET http://mirror.local/works?filter=doi:"),
        (["elibrary", "--org", "5051"], "GET http://mirror.local/org_items.asp?orgsid=5051&pagenum=1"),
        (["patents", "--region", "RU-VOR"], "POST http://mirror.local/patsearch/v0.2/search"),
        (["patents", "--source", "lens", "--query", "steel"], "POST http://mirror.local/patent/search"),
        (["patents", "--source", "fips", "--range", "2021610001-2021610002"],
         "GET http://mirror.local/fips_servl/fips_servlet?DB=EVM&DocNumber=2021610001&TypeFile=html"),
    ]
    for args, first in cases:
        result = runner.invoke(app, [*args, "--base-url", "http://mirror.local", "--dry-run"], env=env)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.splitlines()[0].startswith(first), (args, result.stdout)


def test_missing_token_and_missing_contact_are_usage_errors(tmp_path):
    result = runner.invoke(app, ["patents", "--region", "RU-LIP", "--corpus", str(tmp_path / "c.sqlite")],
                           env=env_for(tmp_path))
    assert result.exit_code == 2 and "ROSPATENT_TOKEN" in result.output
    result = runner.invoke(app, ["crossref", "--query", "x", "--corpus", str(tmp_path / "c.sqlite")],
                           env=env_for(tmp_path, BIBMINE_CONTACT_EMAIL=""))
    assert result.exit_code == 2 and "BIBMINE_CONTACT_EMAIL" in result.output
    result = runner.invoke(app, ["openalex", "--region", "RU-XXX", "--dry-run"], env=env_for(tmp_path))
    assert result.exit_code == 2 and "unknown region" in result.output
    result = runner.invoke(app, ["openalex", "--dry-run"], env=env_for(tmp_path))
    assert result.exit_code == 2 and "never crawls all of OpenAlex" in result.output


def test_crawl_then_status(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_json(
        {"status": "ok", "message": {"total-results": 2, "items": fixture_json("crossref_works.json")["items"][:2]}})
    corpus = str(tmp_path / "c.sqlite")
    result = runner.invoke(app, ["crossref", "--dois", str(FIXTURES / "crossref_dois.txt"), "--base-url",
                                 httpserver.url_for("/"), "--corpus", corpus], env=env_for(tmp_path))
    assert result.exit_code == 3, result.output  # done, with records in quarantine
    assert "crossref job 1: done; read 2, new 2, merged 0, duplicate 0, quarantined 2" in result.stdout
    result = runner.invoke(app, ["status", "--json", "--corpus", corpus], env=env_for(tmp_path))
    [job] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (job["source"], job["status"], job["n_new"], job["n_rejected"]) == ("crossref", "done", 2, 2)
    assert job["query"]["dois"].endswith("crossref_dois.txt")
    result = runner.invoke(app, ["status", "--corpus", corpus], env=env_for(tmp_path))
    assert result.exit_code == 0 and "1 crawl jobs" in result.stdout


def test_captcha_exits_5_and_status_says_why(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/org_items.asp").respond_with_data(fixture_text("elibrary_captcha.html"),
                                                                 content_type="text/html; charset=utf-8")
    corpus = str(tmp_path / "c.sqlite")
    result = runner.invoke(app, ["elibrary", "--org", "5051", "--base-url", httpserver.url_for("/"), "--corpus",
                                 corpus], env=env_for(tmp_path))
    assert result.exit_code == 5
    assert "captcha or block page" in result.output
    result = runner.invoke(app, ["status", "--json", "--corpus", corpus], env=env_for(tmp_path))
    job = json.loads(result.stdout)
    assert job["status"] == "blocked" and "captcha" in job["error"] and job["cursor"]["page"] == 1
