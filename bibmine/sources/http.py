"""The one polite HTTP transport every crawler uses.

:class:`PoliteClient` wraps a ``requests`` session (and, when a cache path is configured,
a requests-cache SQLite file) and adds what a long crawl needs:

- a per-host rate limit (minimum interval between requests to one host; cached
  answers do not count), raised to a site's ``Crawl-delay`` when robots.txt sets one;
- retries with exponential backoff and jitter for 429, 5xx, connection resets, read
  timeouts, truncated JSON and empty pages; ``Retry-After`` (seconds or HTTP date)
  is honoured, and a server that asks for more than ``max_retry_after`` seconds stops
  the crawl with a clear message instead of a silent long sleep;
- connect and read timeouts;
- robots.txt for HTML sites (``robots=True``);
- a User-Agent naming bibmine and a contact e-mail;
- bounds (:mod:`bibmine.sources.http_limits`): a maximum body size, a maximum inflated
  size and compression ratio, a wall-clock deadline per request, and redirects only over
  http(s) to the hosts the crawl may visit; a crossed bound stops the request with a
  :class:`LimitExceeded` subclass and is never retried;
- secrets (API keys, tokens, Authorization headers) never in logs, messages or the
  cache file (:mod:`bibmine.sources.redact`, :mod:`bibmine.sources.http_cache`).

Every setting lives in :class:`HttpConfig`; :mod:`bibmine.sources.crawl.config` loads
it from a TOML file and environment variables.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from bibmine import __version__
from bibmine.sources.http_errors import (
    BadBodyError,
    BlockedError,
    DeadlineExceeded,
    HttpError,
    LimitExceeded,
    RateLimitedError,
    RedirectRefused,
    ResponseTooLarge,
    RetriesExhaustedError,
    RobotsDisallowedError,
)
from bibmine.sources.http_limits import MiB, fetch_bounded, watched_session
from bibmine.sources.redact import (
    is_secret_header,
    is_secret_param,
    redact_bytes,
    redact_text,
    redact_url,
    register_secret,
)

__all__ = ["BadBodyError", "BlockedError", "DeadlineExceeded", "HttpConfig", "HttpError", "LimitExceeded",
           "PoliteClient", "RateLimitedError", "RedirectRefused", "ResponseTooLarge", "RetriesExhaustedError",
           "RobotsDisallowedError", "describe", "parse_retry_after", "redact"]

log = logging.getLogger("bibmine.http")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
redact = redact_url  # the one redaction of a URL, under its old name

# Requests per second per host when the config says nothing (the sites' documented or
# customary limits, kept well below them).
DEFAULT_RATES: dict[str, float] = {
    "api.openalex.org": 5.0,
    "api.crossref.org": 3.0,
    "api.ror.org": 2.0,
    "www.elibrary.ru": 0.1,
    "elibrary.ru": 0.1,
    "searchplatform.rospatent.gov.ru": 1.0,
    "www1.fips.ru": 0.2,
    "api.lens.org": 0.8,
}


@dataclass
class HttpConfig:
    """Every knob of the transport, in one place."""

    contact_email: str | None = None
    user_agent: str | None = None  # overrides the default "bibmine/VERSION (+mailto:EMAIL)"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 5
    backoff_base: float = 2.0  # seconds before the first retry; doubles each time
    backoff_max: float = 300.0
    jitter: float = 0.5  # up to this fraction of the backoff is added at random
    max_retry_after: float = 900.0  # a longer Retry-After stops the crawl (resume later)
    default_rate: float = 1.0  # requests per second to a host not in ``rates``; 0 = no limit (local mirrors)
    rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    cache_path: Path | None = None  # requests-cache SQLite file; None: no cache
    cache_expire_s: float = 7 * 24 * 3600
    respect_robots: bool = True
    # bounds of one request (docs/sources.md, "Bounds"); a crossed bound stops the crawl, resumable
    max_body_mb: float = 50.0  # body as sent (compressed), MiB; a bigger Content-Length is refused unread
    max_decompressed_mb: float = 200.0  # body after gzip/deflate inflation, MiB
    max_compression_ratio: float = 100.0  # inflated/sent, checked once more than 1 MiB is inflated
    deadline_s: float = 120.0  # wall clock for the whole request (redirects, headers, body); 0 = none
    max_redirects: int = 10
    redirect_hosts: list[str] = field(default_factory=list)  # hosts a redirect may go to besides the request's own

    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        contact = f"; mailto:{self.contact_email}" if self.contact_email else ""
        return f"bibmine/{__version__} (+https://pypi.org/project/bibmine{contact})"


def describe(method: str, url: str, params: dict | None = None, body: Any = None) -> str:
    """One line for ``--dry-run`` and logs: method, redacted URL, and the JSON body."""
    line = f"{method} {redact(url, params)}"
    if body is not None:
        line += " " + json.dumps(body, ensure_ascii=False, sort_keys=True)
    return line


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date).

    >>> parse_retry_after("7"), parse_retry_after(None), parse_retry_after("soon")
    (7.0, None, None)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteClient:
    """Polite GET/POST with retries, rate limits, cache and robots.txt.

    ``sleep`` and ``clock`` are injectable so tests can observe waits.
    """

    def __init__(self, config: HttpConfig | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rng: random.Random | None = None):
        self.config = config or HttpConfig()
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()
        self.session = watched_session()
        self.session.headers["User-Agent"] = self.config.agent()
        self.cache = None
        if self.config.cache_path is not None:
            from bibmine.sources.http_cache import SecretFreeCache

            self.cache = SecretFreeCache(self.config.cache_path, self.config.cache_expire_s)
        self._last: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self.n_requests = 0  # requests that went to the network
        self.n_retries = 0

    def close(self) -> None:
        self.session.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ public API
    def get_json(self, url: str, params: dict | None = None, headers: dict | None = None,
                 ok_statuses: tuple[int, ...] = ()) -> Any:
        """GET and decode JSON; truncated or invalid JSON is retried, then raised.

        A status in ``ok_statuses`` (e.g. 404) returns ``None`` instead of raising.
        """
        return self.request("GET", url, params=params, headers=headers, decode="json", ok_statuses=ok_statuses)

    def post_json(self, url: str, body: Any, headers: dict | None = None) -> Any:
        return self.request("POST", url, json_body=body, headers=headers, decode="json")

    def get_text(self, url: str, params: dict | None = None, *, robots: bool = True,
                 check: Callable[[requests.Response, str], None] | None = None,
                 ok_statuses: tuple[int, ...] = ()) -> str | None:
        """GET an HTML page: robots.txt checked, empty bodies retried, ``check`` may raise
        :class:`BlockedError` (captcha) or :class:`BadBodyError` (retry)."""
        return self.request("GET", url, params=params, decode="text", robots=robots, check=check,
                            ok_statuses=ok_statuses)

    def request(self, method: str, url: str, *, params: dict | None = None, json_body: Any = None,
                headers: dict | None = None, decode: str = "json", robots: bool = False,
                check: Callable[[requests.Response, str], None] | None = None,
                ok_statuses: tuple[int, ...] = ()) -> Any:
        shown = redact_url(url, params)
        for name, value in (params or {}).items():
            if is_secret_param(str(name)):
                register_secret(None if value is None else str(value))
        for name, value in (headers or {}).items():
            if is_secret_header(name):
                register_secret(value)
        if robots and self.config.respect_robots:
            self._check_robots(url, shown)
        try:
            prepared = self.session.prepare_request(
                requests.Request(method, url, params=_clean(params), json=json_body, headers=headers))
        except (requests.RequestException, ValueError) as exc:  # a malformed URL (e.g. a --base-url typo)
            raise HttpError(f"{method} {shown}: not a URL bibmine can request ({type(exc).__name__}: "
                            f"{_short(exc)})", url=shown) from None
        cfg = self.config
        last_error = "no attempt made"
        for attempt in range(cfg.max_retries + 1):
            if attempt:
                self.n_retries += 1
            wait: float | None = None
            try:
                response = self._send(prepared, shown)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    urllib3.exceptions.HTTPError) as exc:
                last_error = f"{type(exc).__name__}: {_short(exc)}"
                self._warn(method, shown, attempt, last_error)
                self._backoff(attempt)
                continue
            except BadBodyError as exc:  # a compressed body cut short or garbled
                last_error = str(exc)
                self._warn(method, shown, attempt, last_error)
                self._backoff(attempt)
                continue
            except requests.RequestException as exc:  # not transient (an invalid redirect URL, ...)
                raise HttpError(f"{method} {shown}: {type(exc).__name__}: {_short(exc)}", url=shown) from None
            status = response.status_code
            if status in ok_statuses:
                return None
            if status in RETRY_STATUSES:
                last_error = f"HTTP {status}"
                wait = parse_retry_after(response.headers.get("Retry-After")
                                         or response.headers.get("x-rate-limit-retry-after-seconds"))
                if wait is not None and wait > cfg.max_retry_after:
                    raise RateLimitedError(
                        f"{method} {shown}: the server asks to wait {wait:.0f} s (HTTP {status}), more than "
                        f"max_retry_after={cfg.max_retry_after:.0f} s; the crawl stopped and can be resumed later",
                        url=shown, status=status)
                self._warn(method, shown, attempt, last_error + (f", Retry-After {wait:.0f} s" if wait else ""))
                self._backoff(attempt, wait)
                continue
            if status >= 400:
                raise HttpError(f"{method} {shown}: HTTP {status} {response.reason or ''}".rstrip(),
                                url=shown, status=status)
            from_cache = getattr(response, "from_cache", False)
            try:
                result = self._decode(response, decode, check)
            except BlockedError as exc:
                self._forget(prepared)
                exc.url = shown
                raise
            except (BadBodyError, ValueError) as exc:
                self._forget(prepared)  # never serve a bad body from the cache again
                last_error = f"{exc}" if isinstance(exc, BadBodyError) else f"invalid JSON ({_short(exc)})"
                self._warn(method, shown, attempt, last_error)
                self._backoff(attempt)
                continue
            if self.cache is not None and not from_cache and status == 200:
                self.cache.put(prepared, response)  # only a body that passed its checks is kept
            return result
        raise RetriesExhaustedError(
            f"{method} {shown}: failed after {cfg.max_retries + 1} attempts; last error: {last_error}",
            url=shown)

    # ------------------------------------------------------------ internals
    def _send(self, prepared: requests.PreparedRequest, shown: str) -> requests.Response:
        if self.cache is not None:
            cached = self.cache.get(prepared)
            if cached is not None:
                return cached
        host = urlsplit(prepared.url).netloc
        self._throttle(host)
        cfg = self.config
        self.n_requests += 1
        response = fetch_bounded(
            self.session, prepared, shown, timeout=(cfg.connect_timeout, cfg.read_timeout),
            deadline_s=cfg.deadline_s, max_redirects=cfg.max_redirects, allowed_hosts=set(cfg.redirect_hosts),
            max_body=int(cfg.max_body_mb * MiB), max_decompressed=int(cfg.max_decompressed_mb * MiB),
            max_ratio=cfg.max_compression_ratio)
        response._content = redact_bytes(response.content)  # a server echoing our key must not put it in the corpus
        return response

    def _forget(self, prepared: requests.PreparedRequest) -> None:
        if self.cache is not None:
            self.cache.forget(prepared)

    def _throttle(self, host: str) -> None:
        rate = self.config.rates.get(host, self.config.default_rate)
        interval = 1.0 / rate if rate and rate > 0 else 0.0
        interval = max(interval, self._crawl_delay.get(host, 0.0))
        with self._lock:
            last = self._last.get(host)
            now = self.clock()
            if last is not None and now - last < interval:
                self.sleep(interval - (now - last))
                now = self.clock()
            self._last[host] = now

    def _backoff(self, attempt: int, retry_after: float | None = None) -> None:
        cfg = self.config
        if attempt >= cfg.max_retries:
            return  # no retry follows: do not sleep for nothing
        delay = min(cfg.backoff_max, cfg.backoff_base * (2 ** attempt))
        delay += self.rng.uniform(0, cfg.jitter * delay)
        if retry_after is not None:
            delay = max(retry_after, min(delay, cfg.max_retry_after))
        self.sleep(delay)

    def _decode(self, response: requests.Response, decode: str,
                check: Callable[[requests.Response, str], None] | None) -> Any:
        if decode == "json":
            if not response.content.strip():
                raise BadBodyError("empty body where JSON was expected")
            return json.loads(response.content)
        if response.encoding is None or response.encoding.lower() == "iso-8859-1":
            # HTML sites that omit the charset: trust the page's own declaration or detection
            response.encoding = response.apparent_encoding
        text = response.text
        if check is not None:
            check(response, text)
        elif not text.strip():
            raise BadBodyError("empty page")
        return text

    def _warn(self, method: str, shown: str, attempt: int, error: str) -> None:
        left = self.config.max_retries - attempt
        if left > 0:
            log.warning("%s %s: %s; retrying (%d left)", method, shown, error, left)
        else:
            log.warning("%s %s: %s; no retries left", method, shown, error)

    def _check_robots(self, url: str, shown: str) -> None:
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            self._robots[host] = self._load_robots(f"{parts.scheme}://{host}/robots.txt")
            rules = self._robots[host]
            if rules is not None:
                delay = rules.crawl_delay("bibmine") or rules.crawl_delay("*")
                if delay:
                    self._crawl_delay[host] = float(delay)
        rules = self._robots[host]
        if rules is None:
            raise RobotsDisallowedError(
                f"{host}/robots.txt could not be read (server error); crawling stays off until it can",
                url=shown)
        if not rules.can_fetch(self.config.agent(), url):
            raise RobotsDisallowedError(f"robots.txt of {host} disallows {shown} for bibmine", url=shown)

    def _load_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            text = self.request("GET", robots_url, decode="text", check=_accept_any, ok_statuses=(
                400, 401, 403, 404, 410))
        except HttpError as exc:
            log.warning("robots.txt %s unavailable: %s", redact_url(robots_url), exc)
            return None
        parser.parse((text or "").splitlines())  # 4xx: no robots.txt, everything allowed
        return parser


def _accept_any(response: requests.Response, text: str) -> None:
    """A ``check`` that accepts every body (robots.txt may well be empty)."""


def _clean(params: dict | None) -> dict | None:
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None}


def _short(exc: BaseException) -> str:
    text = redact_text(exc)
    return text if len(text) < 300 else text[:297] + "..."

