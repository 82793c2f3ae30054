"""An on-disk HTTP cache (a requests-cache SQLite file) that never holds a secret.

``requests_cache.CachedSession`` is not used to send: it would read a streamed body
without bounds to store it, and it stores the redirect history with each hop's request,
``Authorization`` header and ``api_key`` parameter included.  Here the transport reads the
body under its bounds, then this class stores one :class:`requests_cache.CachedResponse`
built from safe parts only:

- the cache key is computed from the request *without* secret query parameters, secret
  headers or the User-Agent, so the same request with another key or token matches;
- the stored request and response URLs lose their secret query parameters and any
  ``user:password@``; secret headers, ``Cookie`` and ``Set-Cookie`` are not stored;
  registered secret values are masked wherever else they occur (body, other headers);
- no redirect history is stored (only the final answer, under the first request's key);
- a cache file written by ``CachedSession`` (bibmine before issue 17, which stored the
  secrets of redirected requests) is cleared when it is opened.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import requests
from requests.structures import CaseInsensitiveDict
from requests_cache import CachedRequest, CachedResponse, SQLiteCache, create_key

from bibmine.sources.redact import is_secret_header, is_secret_param, redact_bytes, redact_text, registered_secrets

log = logging.getLogger("bibmine.http")

_NOT_STORED = {"cookie", "set-cookie", "content-encoding", "content-length", "transfer-encoding"}


def strip_url(url: str | None) -> str:
    """The URL without secret query parameters and without ``user:password@``.

    >>> strip_url("https://u:p@api.x.org/works?api_key=k&q=a%20b&Token=t&mailto=m@x.org")
    'https://api.x.org/works?q=a+b&mailto=m%40x.org'
    """
    if not url:
        return ""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    pairs = []
    for item in parts.query.split("&") if parts.query else ():
        name, eq, value = item.partition("=")
        if not is_secret_param(name):
            pairs.append((name, value) if eq else (name, ""))
    query = urlencode([(unquote_plus(n), unquote_plus(v)) for n, v in pairs])
    return _mask(urlunsplit((parts.scheme, netloc, parts.path, query, "")))


def _mask(text: str) -> str:
    return redact_text(text) if any(s in text for s in registered_secrets()) else text


def safe_headers(headers) -> CaseInsensitiveDict:
    return CaseInsensitiveDict({k: _mask(str(v)) for k, v in (headers or {}).items()
                                if not is_secret_header(k) and k.lower() not in _NOT_STORED})


def _safe_body(body: bytes | str | None) -> bytes | None:
    if body is None:
        return None
    return redact_bytes(body.encode("utf-8") if isinstance(body, str) else bytes(body))


def _keyed(prepared: requests.PreparedRequest) -> requests.PreparedRequest:
    """The request as the cache key sees it: no secrets, no User-Agent."""
    bare = prepared.copy()
    bare.url = strip_url(prepared.url)
    bare.headers = CaseInsensitiveDict({k: v for k, v in prepared.headers.items()
                                        if not is_secret_header(k) and k.lower() != "user-agent"})
    return bare


class SecretFreeCache:
    """Responses by request, in a requests-cache SQLite file, without secrets."""

    def __init__(self, path: Path, expire_s: float):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(path)
        self.expire_s = expire_s
        self.backend = SQLiteCache(str(path))
        if len(self.backend.redirects):
            # only requests_cache.CachedSession (bibmine before issue 17) writes redirect aliases, and it
            # stored each redirect's request with its Authorization header and api_key: drop it all
            log.warning("http cache %s was written by an older bibmine that kept API keys and tokens of "
                        "redirected requests; it is cleared (responses will be fetched again)", self.path)
            self.backend.clear()  # drops the tables and VACUUMs, so the old bytes leave the file

    def key(self, prepared: requests.PreparedRequest) -> str:
        return create_key(_keyed(prepared), match_headers=False)

    def get(self, prepared: requests.PreparedRequest) -> CachedResponse | None:
        key = self.key(prepared)
        try:
            cached = self.backend.get_response(key)
        except Exception as exc:  # a damaged cache must not stop a crawl: go to the network
            log.warning("http cache %s lookup failed (%s); fetching from the network", self.path,
                        redact_text(exc))
            return None
        if cached is None:
            return None
        if cached.is_expired:
            self.backend.delete(key)
            return None
        return cached

    def put(self, prepared: requests.PreparedRequest, response: requests.Response) -> None:
        request = CachedRequest(method=prepared.method, url=strip_url(prepared.url),
                                headers=safe_headers(prepared.headers), body=_safe_body(prepared.body))
        cached = CachedResponse(content=response.content, status_code=response.status_code,
                                reason=response.reason, url=strip_url(response.url),
                                headers=safe_headers(response.headers), encoding=response.encoding,
                                request=request, history=[],
                                expires=datetime.now(UTC) + timedelta(seconds=self.expire_s))
        self.backend.responses[self.key(prepared)] = cached

    def forget(self, prepared: requests.PreparedRequest) -> None:
        self.backend.delete(self.key(prepared))

    def close(self) -> None:
        self.backend.close()
