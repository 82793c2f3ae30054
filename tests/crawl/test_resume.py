"""kill -9 (or Ctrl-C) a crawl in a subprocess, run the same command again, and compare the corpus
with an uninterrupted crawl: identical works, source records, identifiers, quarantine."""

from __future__ import annotations

import copy
import json
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug import Request, Response

from bibmine.corpus.store import Corpus
from bibmine.sources.crawl.state import JobStore

from .conftest import CONTACT, fixture_json, snapshot

ROOT = Path(__file__).resolve().parents[2]
PER_PAGE = 3
N_WORKS = 30


def works() -> list[dict]:
    """N_WORKS works after the invented fixture work, each its own id, DOI and title."""
    template = fixture_json("openalex_works.json")["works"][0]
    out = []
    for i in range(N_WORKS):
        w = copy.deepcopy(template)
        w["id"] = f"https://openalex.org/W43100{i:05d}"
        w["ids"] = {"openalex": w["id"]}
        w["doi"] = f"https://doi.org/10.9999/test.{i}"
        w["title"] = w["display_name"] = f"Тестовая работа номер {i} о почвах Липецкой области"
        out.append(w)
    bad = fixture_json("openalex_works.json")["works"][2]  # renamed fields: one quarantined record
    out.insert(13, bad)
    return out


class WorksServer:
    """Cursor pages of works; can hold the requests for some cursors until told to go on."""

    def hold(self, *cursors: str) -> None:
        for c in cursors:
            self.holds[c] = threading.Event()
            self.reached[c] = threading.Event()

    def release_all(self) -> None:
        for event in self.holds.values():
            event.set()


    def __init__(self, items: list[dict]):
        self.pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] + [[]]
        self.holds: dict[str, threading.Event] = {}  # cursor -> released when set
        self.reached: dict[str, threading.Event] = {}

    def __call__(self, request: Request) -> Response:
        cursor = request.args.get("cursor", "*")
        n = 0 if cursor == "*" else int(cursor[1:])
        nxt = f"c{n + 1}" if n + 1 < len(self.pages) else None
        body = {"meta": {"count": N_WORKS + 1, "per_page": PER_PAGE, "next_cursor": nxt}, "results": self.pages[n]}
        if cursor in self.holds:
            self.reached[cursor].set()
            self.holds[cursor].wait(10)
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")


def crawl_cmd(base_url: str, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "bibmine.sources.crawl.cli", "openalex", "--institution", "I900000001",
            "--base-url", base_url, "--corpus", str(corpus), "--no-cache"]


def env_for(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "crawl.toml"
    config.write_text('[http]\nmax_retries = 2\nbackoff_base = 0.01\nbackoff_max = 0.05\ndefault_rate = 0\n'
                      'cache_path = ""\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIBMINE_", "OPENALEX_"))}
    env.update(BIBMINE_CRAWL_CONFIG=str(config), BIBMINE_CONTACT_EMAIL=CONTACT, PYTHONPATH=str(ROOT))
    return env


@pytest.mark.parametrize("kill_at", ["request in flight", "while storing a page", "ctrl-c"])
def test_kill_9_then_resume_equals_uninterrupted(httpserver, tmp_path, kill_at):
    server = WorksServer(works())
    httpserver.expect_request("/works").respond_with_handler(server)
    base = httpserver.url_for("/").rstrip("/")
    env = env_for(tmp_path)

    clean = tmp_path / "clean.sqlite"
    done = subprocess.run(crawl_cmd(base, clean), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr  # 3: finished, one record quarantined

    resumed = tmp_path / "resumed.sqlite"
    server.hold("c5", "c6")
    proc = subprocess.Popen(crawl_cmd(base, resumed), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert server.reached["c5"].wait(30), "the crawl never reached page 6"
        if kill_at == "while storing a page":
            server.holds["c5"].set()  # page 6 goes out; kill while it is parsed and written (or just after)
            threading.Event().wait(random.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGINT if kill_at == "ctrl-c" else signal.SIGKILL)
        proc.wait(10)
    finally:
        server.release_all()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == (130 if kill_at == "ctrl-c" else -signal.SIGKILL)

    with Corpus(resumed) as c:
        [killed] = JobStore(c).all()
        assert killed.status == ("interrupted" if kill_at == "ctrl-c" else "running")
        assert killed.cursor["cursor"] in ("c5", "c6")
        stored_before = c.count()
    assert stored_before in (14, 17)  # pages 1-5 (15 works, one of them quarantined), perhaps page 6 too

    server.holds.clear()
    again = subprocess.run(crawl_cmd(base, resumed), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 3, again.stderr
    assert f"openalex job {killed.id}: done" in again.stdout

    assert snapshot(resumed) == snapshot(clean)
    with Corpus(resumed) as c1, Corpus(clean) as c2:
        [job1], [job2] = JobStore(c1).all(), JobStore(c2).all()
        assert job1.counts == job2.counts == {"n_read": N_WORKS, "n_new": N_WORKS, "n_merged": 0,
                                              "n_duplicate": 0, "n_rejected": 1}
        assert c1.count() == N_WORKS
