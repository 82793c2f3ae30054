"""Crawler bounds (issue 17.3) against real servers on 127.0.0.1: a gzip bomb, a 200 MB page,
servers that trickle a byte at a time (body and headers), and redirects to file://, to
another host, in a loop and beyond max_redirects.  Peak memory is measured with tracemalloc
(Python allocations of every thread, the test server's included)."""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
import zlib

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bibmine.sources.http import DeadlineExceeded, PoliteClient, RedirectRefused, ResponseTooLarge

from .conftest import Sleeps, fast_http

MiB = 1 << 20


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """1 GiB of zeros, gzipped: 1,043,656 bytes (built in 1 MiB steps, never 1 GiB at once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    data = b"".join([packer.compress(zeros) for _ in range(1024)] + [packer.flush()])
    assert len(data) < 1.1 * MiB
    return data


@pytest.fixture
def threaded():
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def peak_mib(action) -> tuple[float, BaseException | None]:
    """Peak of traced memory above the start while ``action`` runs, in MiB, and what it raised."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    error = None
    try:
        action()
    except Exception as exc:  # returned for the test to check
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak {(peak - base) / MiB:.1f} MiB; {type(error).__name__}: {error}")  # shown with pytest -s
    return (peak - base) / MiB, error


def client(**http) -> PoliteClient:
    return PoliteClient(fast_http(**http), sleep=Sleeps())


def stream(n_chunks: int, chunk: bytes):
    for _ in range(n_chunks):
        yield chunk


def test_a_gzip_bomb_stops_at_the_ratio_guard_with_little_memory(httpserver, bomb):
    httpserver.expect_request("/works").respond_with_data(bomb, headers={"Content-Encoding": "gzip"},
                                                          content_type="application/json")
    with client() as c:
        peak, error = peak_mib(lambda: c.get_json(httpserver.url_for("/works")))
    assert isinstance(error, ResponseTooLarge)
    assert f"GET {httpserver.url_for('/works')}: the gzip body inflates more than max_compression_ratio=100 times" \
        in str(error)
    assert peak < 100, f"peak {peak:.1f} MiB"  # the bomb inflates to 1024 MiB
    assert len(httpserver.log) == 1  # a crossed bound is never retried


def test_a_gzip_bomb_stops_at_max_decompressed_when_the_ratio_allows_it(httpserver, bomb):
    httpserver.expect_request("/works").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with client(max_compression_ratio=1e9, max_decompressed_mb=20) as c:
        peak, error = peak_mib(lambda: c.get_json(httpserver.url_for("/works")))
    assert isinstance(error, ResponseTooLarge) and "inflates to more than max_decompressed_mb=20.0 MiB" in str(error)
    assert 20 <= peak < 60, f"peak {peak:.1f} MiB"


def test_a_200_mb_page_announced_by_content_length_is_refused_unread(threaded):
    def big(request: Request) -> Response:
        return Response(stream(200, bytes(MiB)), headers={"Content-Length": str(200 * MiB)},
                        content_type="text/html")

    threaded.expect_request("/page").respond_with_handler(big)
    with client() as c:
        peak, error = peak_mib(lambda: c.get_json(threaded.url_for("/page")))
    assert isinstance(error, ResponseTooLarge)
    assert "announces 200.0 MiB (Content-Length), more than max_body_mb=50.0 MiB; nothing was read" in str(error)
    assert peak < 25, f"peak {peak:.1f} MiB"  # measured 1.1 to 10.6 (the test server writing), never 200


def test_a_200_mb_page_without_a_length_is_cut_at_max_body(threaded):
    sent = []

    def big(request: Request) -> Response:  # streamed: no Content-Length, chunked
        def body():
            chunk = b"x" * MiB
            for _ in range(200):
                sent.append(1)
                yield chunk
        return Response(body(), content_type="text/html")

    threaded.expect_request("/page").respond_with_handler(big)
    with client() as c:
        peak, error = peak_mib(lambda: c.get_json(threaded.url_for("/page")))
    assert isinstance(error, ResponseTooLarge)
    assert "the body is bigger than max_body_mb=50.0 MiB; stopped after reading 50.1 MiB" in str(error)
    assert peak < 120, f"peak {peak:.1f} MiB"  # at most the 50 MiB kept so far, plus its growth; never 200 MiB
    assert len(sent) < 200


def trickle(request: Request) -> Response:
    def body():
        for _ in range(400):  # 20 s at one byte per 50 ms: far past the deadline, never past the read timeout
            time.sleep(0.05)
            yield b" "
    return Response(body(), content_type="application/json")


def test_a_trickling_body_ends_at_the_deadline(threaded):
    threaded.expect_request("/slow").respond_with_handler(trickle)
    with client(deadline_s=1.0, read_timeout=2.0) as c:
        start = time.monotonic()
        with pytest.raises(DeadlineExceeded, match=r"no complete answer within deadline_s=1 s \(.*a server sending "
                                                   r"slowly cannot extend it\)"):
            c.get_json(threaded.url_for("/slow"))
        took = time.monotonic() - start
    assert 1.0 <= took < 3.0, took  # the server would go on for 20 s
    assert len(threaded.log) <= 1  # not retried


class TrickleHeaders:
    """A raw TCP server that sends its status line, then one header byte every 50 ms."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(400):
                    time.sleep(0.05)
                    conn.sendall(b"a")
            except OSError:  # the client hung up: what we wanted
                return

    def close(self) -> None:
        self.sock.close()


def test_trickling_headers_end_at_the_deadline_too():
    server = TrickleHeaders()
    try:
        with client(deadline_s=1.0, read_timeout=2.0) as c:
            start = time.monotonic()
            with pytest.raises(DeadlineExceeded, match="waiting for the answer"):
                c.get_json(f"http://127.0.0.1:{server.port}/x")
            assert 1.0 <= time.monotonic() - start < 3.0  # the server would go on for 20 s
    finally:
        server.close()


def redirect(to: str, status: int = 302):
    return lambda request: Response(status=status, headers={"Location": to})


def test_a_redirect_to_file_is_refused(httpserver):
    httpserver.expect_request("/x").respond_with_handler(redirect("file:///etc/passwd"))
    with client() as c, pytest.raises(RedirectRefused) as info:
        c.get_json(httpserver.url_for("/x"), {"api_key": "K-REDIRECT-1"})
    assert str(info.value) == (f"GET {httpserver.url_for('/x')}?api_key=*** redirects to file:///etc/passwd: "
                               "only http(s) redirects are followed; refused")


def test_a_redirect_to_another_host_is_refused_unless_allowed(httpserver):
    other = f"http://127.0.0.1:{httpserver.port}/y"  # the same server under another host name
    httpserver.expect_request("/x").respond_with_handler(redirect(other, 307))
    httpserver.expect_request("/y").respond_with_json({"where": "y"})
    with client() as c, pytest.raises(RedirectRefused, match=r"redirects to http://127\.0\.0\.1:\d+/y: that host is "
                                                            r"not one this crawl may visit \(allowed: localhost;"):
        c.post_json(httpserver.url_for("/x"), {"q": 1}, headers={"Authorization": "Bearer T-REDIRECT-2"})
    with client(redirect_hosts=["127.0.0.1"]) as c:
        assert c.post_json(httpserver.url_for("/x"), {"q": 1}, headers={"Authorization": "Bearer T-2"}) == {
            "where": "y"}
    final = httpserver.log[-1][0]
    assert (final.method, final.host.split(":")[0]) == ("POST", "127.0.0.1")
    assert "Authorization" not in final.headers  # credentials stay with the host they were meant for


def test_a_redirect_loop_and_too_many_redirects_are_refused(httpserver):
    httpserver.expect_request("/a").respond_with_handler(redirect("/b"))
    httpserver.expect_request("/b").respond_with_handler(redirect("/a"))
    for n in range(5):
        httpserver.expect_request(f"/r{n}").respond_with_handler(redirect(f"/r{n + 1}", 301))
    base = httpserver.url_for("/").rstrip("/")
    with client() as c, pytest.raises(RedirectRefused) as info:
        c.get_json(base + "/a")
    assert str(info.value) == f"GET {base}/a: redirect loop ({base}/a -> {base}/b -> {base}/a); refused"
    with client(max_redirects=3) as c, pytest.raises(RedirectRefused) as info:
        c.get_json(base + "/r0")
    assert str(info.value) == f"GET {base}/r0 redirects to {base}/r4: more than max_redirects=3 redirects; refused"


def test_a_same_host_redirect_is_followed_and_cached(httpserver, tmp_path):
    httpserver.expect_request("/old").respond_with_handler(redirect("/new", 301))
    httpserver.expect_request("/new").respond_with_json({"ok": 1})
    with client(cache_path=tmp_path / "cache.sqlite") as c:
        assert c.get_json(httpserver.url_for("/old")) == {"ok": 1}
        assert c.get_json(httpserver.url_for("/old")) == {"ok": 1}
        assert c.n_requests == 1
    assert [r.path for r, _ in httpserver.log] == ["/old", "/new"]


def test_gzip_and_deflate_bodies_are_inflated(httpserver):
    body = b'{"results": ["\xd0\x9b\xd0\xb8\xd0\xbf\xd0\xb5\xd1\x86\xd0\xba"]}'
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    httpserver.expect_request("/gz").respond_with_data(zlib.compress(body, wbits=31),
                                                       headers={"Content-Encoding": "gzip"})
    httpserver.expect_request("/zlib").respond_with_data(zlib.compress(body), headers={"Content-Encoding": "deflate"})
    httpserver.expect_request("/raw").respond_with_data(raw_deflate.compress(body) + raw_deflate.flush(),
                                                        headers={"Content-Encoding": "deflate"})
    with client() as c:
        for path in ("/gz", "/zlib", "/raw"):
            assert c.get_json(httpserver.url_for(path)) == {"results": ["Липецк"]}, path
