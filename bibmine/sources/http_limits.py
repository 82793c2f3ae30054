"""The crawler's bounds: body size, inflated size, compression ratio, a wall-clock deadline
per request, and a redirect policy.

:func:`fetch_bounded` sends one prepared request with ``stream=True`` and redirects off,
follows redirects itself (http(s) only, allowed hosts only, no loops, at most
``max_redirects``), and reads the body in chunks of :data:`CHUNK` bytes, inflating gzip or
deflate itself with ``max_length`` so that no chunk inflates beyond :data:`CHUNK` bytes.
It stops as soon as a bound is crossed, so memory stays at the accumulated body (at most
``max_decompressed_mb``) plus a chunk.

The deadline is wall-clock time for the whole request (connect, every redirect, headers
and body).  A read timeout resets on every byte, so a server trickling one byte at a time
could hold a crawl forever; here a watchdog timer shuts the request's socket down when the
deadline passes, which ends a blocked read at once, wherever it is waiting.
"""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from bibmine.sources.http_errors import BadBodyError, DeadlineExceeded, HttpError, RedirectRefused, ResponseTooLarge
from bibmine.sources.redact import is_secret_header, redact_url

log = logging.getLogger("bibmine.http")

MiB = 1 << 20
CHUNK = 64 * 1024  # bytes read from the socket, and at most inflated, per step
RATIO_AFTER = MiB  # the ratio guard applies once the inflated body is bigger than this
ACCEPT_ENCODING = "gzip, deflate"  # what the transport can inflate under its bounds


def mb(n_bytes: int) -> str:
    return f"{n_bytes / MiB:,.1f} MiB"


# ------------------------------------------------------------------ the deadline
_local = threading.local()


class Deadline:
    """Wall-clock limit of one request; a watchdog shuts its sockets down when it passes."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self.start = time.monotonic()
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Deadline:
        self._previous = getattr(_local, "deadline", None)
        _local.deadline = self
        if self.seconds > 0:
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        _local.deadline = self._previous

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def passed(self) -> bool:
        if self.seconds > 0 and self.elapsed() >= self.seconds:
            self.expired = True
        return self.expired

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's method also ends a TLS read
    except OSError as exc:  # already closed by the other side: nothing left to stop
        log.debug("deadline: socket already closed (%s)", exc)


def _watch(conn: HTTPConnection) -> None:
    """Put the connection's socket under the current deadline.  The socket, not the
    connection: http.client hands a closing connection's socket over to its response."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None:
        deadline.watch(getattr(conn, "sock", None))


class _Watched:
    """Mixin: the connection's socket goes under the current deadline, fresh or kept alive."""

    def connect(self) -> None:
        super().connect()
        _watch(self)

    def request(self, *args, **kwargs) -> None:
        _watch(self)  # a kept-alive connection (a fresh one registers in connect)
        super().request(*args, **kwargs)


class WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections the current :class:`Deadline` can cut."""

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs) -> None:
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": WatchedHTTPConnectionPool,
                                                   "https": WatchedHTTPSConnectionPool}


def watched_session() -> requests.Session:
    session = requests.Session()
    adapter = WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["Accept-Encoding"] = ACCEPT_ENCODING
    return session


# ------------------------------------------------------------------ the body
class _Inflater:
    """gzip / deflate inflation in bounded steps (identity passes through)."""

    def __init__(self, encoding: str, shown: str):
        self.encoding = encoding
        self.shown = shown
        self._d: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise HttpError(f"GET {shown}: the server sent Content-Encoding {encoding!r}, which bibmine does not "
                            f"inflate (it asks for {ACCEPT_ENCODING})", url=shown)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.encoding in ("", "identity"):
            yield data
            return
        if self._d is None:  # deflate: zlib-wrapped as the RFC says, or raw as some servers send it
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        while True:
            try:
                out = self._d.decompress(data, CHUNK)
            except zlib.error as exc:
                raise BadBodyError(f"the {self.encoding} body could not be inflated ({exc})") from None
            if out:
                yield out
            data = self._d.unconsumed_tail
            if self._d.eof and self._d.unused_data and self.encoding != "deflate":
                data = self._d.unused_data + data  # another gzip member follows
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                continue
            if not data and len(out) < CHUNK:
                return

    def finish(self) -> None:
        if self._d is not None and not self._d.eof:
            raise BadBodyError(f"the {self.encoding} body was cut short")


def read_body(response: requests.Response, shown: str, deadline: Deadline, *, max_body: int,
              max_decompressed: int, max_ratio: float) -> bytes:
    """The whole body, inflated, or a :class:`ResponseTooLarge` as soon as a bound is crossed."""
    method = response.request.method if response.request is not None else "GET"
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > max_body:
        raise ResponseTooLarge(f"{method} {shown}: the server announces {mb(int(declared))} (Content-Length), more "
                               f"than max_body_mb={mb(max_body)}; nothing was read", url=shown)
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    inflater = _Inflater(encoding, shown)
    out = io.BytesIO()
    n_raw = 0
    while True:
        chunk = response.raw.read(CHUNK, decode_content=False)
        if deadline.passed():
            raise _late(method, shown, deadline, f"after {mb(n_raw)} of the body")
        if not chunk:
            break
        n_raw += len(chunk)
        if n_raw > max_body:
            raise ResponseTooLarge(f"{method} {shown}: the body is bigger than max_body_mb={mb(max_body)}; "
                                   f"stopped after reading {mb(n_raw)}", url=shown)
        for piece in inflater.feed(chunk):
            out.write(piece)
            n = out.tell()
            if n > max_decompressed:
                raise ResponseTooLarge(f"{method} {shown}: the body inflates to more than max_decompressed_mb="
                                       f"{mb(max_decompressed)} ({mb(n_raw)} read); stopped", url=shown)
            if n > RATIO_AFTER and n > n_raw * max_ratio:
                raise ResponseTooLarge(f"{method} {shown}: the {encoding} body inflates more than "
                                       f"max_compression_ratio={max_ratio:g} times ({mb(n_raw)} -> {mb(n)} so far; "
                                       "a decompression bomb?); stopped", url=shown)
    inflater.finish()
    return out.getvalue()


def _late(method: str, shown: str, deadline: Deadline, where: str) -> DeadlineExceeded:
    return DeadlineExceeded(f"{method} {shown}: no complete answer within deadline_s={deadline.seconds:g} s "
                            f"({where}; a server sending slowly cannot extend it); stopped", url=shown)


# ------------------------------------------------------------------ redirects
def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _redirected(session: requests.Session, prepared: requests.PreparedRequest, response: requests.Response,
                target: str) -> requests.PreparedRequest:
    """The next request of a redirect chain, as browsers and requests build it."""
    new = prepared.copy()
    method = prepared.method or "GET"
    status = response.status_code
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        new.method = "GET"
        new.body = None
        for name in ("Content-Length", "Content-Type", "Transfer-Encoding"):
            new.headers.pop(name, None)
    new.prepare_url(target, None)
    if _host(target) != _host(prepared.url or ""):
        for name in [h for h in new.headers if is_secret_header(h)]:
            del new.headers[name]  # credentials stay with the host they were meant for
    new.headers.pop("Cookie", None)
    new.prepare_cookies(session.cookies)
    return new


def fetch_bounded(session: requests.Session, prepared: requests.PreparedRequest, shown: str, *,
                  timeout: tuple[float, float], deadline_s: float, max_redirects: int, allowed_hosts: set[str],
                  max_body: int, max_decompressed: int, max_ratio: float) -> requests.Response:
    """Send ``prepared``, follow redirects by the policy, read the body within the bounds.

    The response returned has its body read (``.content``); ``history`` holds the redirects.
    Transport faults (resets, timeouts) propagate as ``requests`` exceptions for the caller
    to retry; a crossed bound raises a :class:`LimitExceeded` subclass.
    """
    method = prepared.method or "GET"
    allowed = {_host(prepared.url or "")} | {h.lower().removeprefix("www.") for h in allowed_hosts}
    chain = [prepared.url or ""]
    history: list[requests.Response] = []
    with Deadline(deadline_s) as deadline:
        request = prepared
        while True:
            try:
                response = session.send(request, stream=True, allow_redirects=False, timeout=timeout)
            except (requests.RequestException, OSError):
                if deadline.passed():
                    raise _late(method, shown, deadline, "waiting for the answer") from None
                raise
            if deadline.passed():
                response.close()
                raise _late(method, shown, deadline, "waiting for the answer")
            if not response.is_redirect:
                break
            response.close()
            location = session.get_redirect_target(response) or ""
            target = urljoin(request.url or "", location)
            where = f"{method} {shown} redirects to {redact_url(target)}"
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise RedirectRefused(f"{where}: only http(s) redirects are followed; refused", url=shown)
            if _host(target) not in allowed:
                raise RedirectRefused(f"{where}: that host is not one this crawl may visit (allowed: "
                                      f"{', '.join(sorted(allowed))}; add it to [http] redirect_hosts to allow it); "
                                      "refused", url=shown)
            if target in chain:
                loop = " -> ".join(redact_url(u) for u in [*chain[chain.index(target):], target])
                raise RedirectRefused(f"{method} {shown}: redirect loop ({loop}); refused", url=shown)
            if len(history) >= max_redirects:
                raise RedirectRefused(f"{where}: more than max_redirects={max_redirects} redirects; refused",
                                      url=shown)
            history.append(response)
            chain.append(target)
            request = _redirected(session, request, response, target)
        try:
            content = read_body(response, shown, deadline, max_body=max_body, max_decompressed=max_decompressed,
                                max_ratio=max_ratio)
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError):
            response.close()
            if deadline.passed():  # the watchdog cut the socket in the middle of a read
                raise _late(method, shown, deadline, "while reading the body") from None
            raise  # a reset or a read timeout: the caller retries
        except BaseException:
            response.close()
            raise
    response._content = content
    response._content_consumed = True
    response.history = history
    return response
