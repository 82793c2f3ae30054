"""Shared test helpers: fast polite-client settings, fixture loading, a raw TCP server
that resets connections, and corpus snapshots for comparing crawls.

Every crawler test talks to a real HTTP server on 127.0.0.1 (pytest-httpserver);
nothing here reaches the internet.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver.httpserver import QueryMatcher

from bibmine.sources.crawl.config import CrawlConfig, load_config
from bibmine.sources.http import HttpConfig, PoliteClient

FIXTURES = Path(__file__).parent.parent / "fixtures" / "crawl"
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "samples"
CONTACT = "tester@example.org"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def fixture_json(name: str) -> dict:
    return json.loads(fixture_text(name))


def fast_http(**overrides) -> HttpConfig:
    """Polite in shape, quick in tests: tiny backoff, no rate limit to 127.0.0.1, no cache."""
    values = dict(contact_email=CONTACT, connect_timeout=2.0, read_timeout=2.0, max_retries=3, backoff_base=0.01,
                  backoff_max=0.05, jitter=0.5, max_retry_after=5.0, default_rate=0.0, cache_path=None)
    values.update(overrides)
    return HttpConfig(**values)


def fast_config(tmp_path: Path, **http) -> CrawlConfig:
    config = load_config(path=None, env={})
    config.http = fast_http(**http)
    for source in config.sources.values():
        source.delay_s = 0.0
    return config


class Sleeps(list):
    """A sleep function that records what it was asked to wait and waits a little."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps):
    with PoliteClient(fast_http(), sleep=sleeps) as c:
        yield c


def serve_cursor_pages(httpserver, path: str, items: list, per_page: int, *, style: str = "openalex",
                       query: dict | None = None) -> None:
    """Serve ``items`` at ``path`` as cursor pages (OpenAlex meta/results or Crossref message/items)."""
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] + [[]]
    for n, page in enumerate(pages):
        cursor = "*" if n == 0 else f"c{n}"
        nxt = f"c{n + 1}" if n + 1 < len(pages) else None
        if style == "openalex":
            body = {"meta": {"count": len(items), "per_page": per_page, "next_cursor": nxt}, "results": page}
        else:
            body = {"status": "ok", "message-type": "work-list",
                    "message": {"total-results": len(items), "items-per-page": per_page, "next-cursor": nxt,
                                "items": page}}
        params = {**(query or {}), "cursor": cursor}
        httpserver.expect_request(path, query_string=_subset(params)).respond_with_json(body)


class SubsetQuery(QueryMatcher):
    """Matches a request whose query holds these parameters (others, such as per_page, are ignored)."""

    def __init__(self, params: dict):
        self.params = {k: str(v) for k, v in params.items()}

    def get_comparing_values(self, request_query_string: bytes) -> tuple:
        got = dict(parse_qsl(request_query_string.decode("utf-8"), keep_blank_values=True))
        return {k: got.get(k) for k in self.params}, self.params


def _subset(params: dict) -> SubsetQuery:
    return SubsetQuery(params)


class ResettingServer:
    """A real TCP server on 127.0.0.1 whose first ``resets`` connections are reset (RST),
    then answers every request with ``body`` as JSON."""

    def __init__(self, resets: int, body: dict):
        self.resets = resets
        self.body = json.dumps(body).encode()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        import struct
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.connections <= self.resets:
                conn.recv(65536)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()  # RST: "connection reset by peer"
                continue
            conn.recv(65536)
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(self.body)}\r\n"
                    "Connection: close\r\n\r\n").encode()
            conn.sendall(head + self.body)
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.sock.close()


def snapshot(path: Path) -> dict:
    """What a corpus holds, without times and row ids: for comparing two crawls."""
    db = sqlite3.connect(path)
    try:
        return {
            "works": sorted(db.execute("SELECT uid, kind, year, title, doi, n_sources, data FROM works").fetchall()),
            "sources": sorted(db.execute("SELECT fingerprint, format, data, raw FROM source_records").fetchall()),
            "ids": sorted(db.execute("SELECT scheme, value FROM identifiers").fetchall()),
            "quarantine": sorted(db.execute("SELECT location, reason, raw FROM quarantine").fetchall()),
            "rubrics": sorted(db.execute("SELECT scheme, code, source FROM rubric_assignments").fetchall()),
        }
    finally:
        db.close()
