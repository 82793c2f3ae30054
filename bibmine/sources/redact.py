"""The one place that knows what a secret looks like, and hides it.

Everything that can reach a message, a log record, an exception, the corpus, the crawl
state (``crawl_jobs``), ``bibmine crawl status`` or the HTTP cache goes through one of:

- :func:`redact_url` -- a URL (plus the ``params`` a request will add) with secret query
  parameters shown as ``***`` and the password of ``user:password@host`` hidden;
- :func:`redact_text` -- any text (an exception message, a log line): secret query
  parameters and secret headers written in it, ``user:password@`` in URLs, and every
  registered secret *value* wherever it occurs (also percent-encoded);
- :func:`redact_headers` -- a copy of request headers with secret headers as ``***``.

Secret query parameters: ``api_key``, ``apikey``, ``token``, ``access_token``, ``key``
(any case; ``mailto`` is not a secret).  Secret headers: ``Authorization``,
``Proxy-Authorization``, ``X-API-Key``.  Secret values are registered with
:func:`register_secret` (the crawl config registers ``OPENALEX_API_KEY``,
``ROSPATENT_TOKEN``, ``LENS_TOKEN`` and their config-file twins; the HTTP client registers
every value it sends under a secret name), so that an error text which carries a key
outside any ``name=value`` shape is still cleaned.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus, urlsplit

MASK = "***"
SECRET_PARAMS = frozenset({"api_key", "apikey", "token", "access_token", "key"})
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key"})
MIN_SECRET_LEN = 4  # shorter values are not registered: masking "ab" everywhere would garble every text

_secrets: set[str] = set()
_lock = threading.Lock()

_PARAM_RE = re.compile(r"(?i)(^|[?&;\s\"'(,])(" + "|".join(sorted(SECRET_PARAMS, key=len, reverse=True))
                       + r")=([^&;#\s\"'<>)]*?)(?=[.,:]?(?:[&;#\s\"'<>)]|$))")
_HEADER_RE = re.compile(r"(?i)(\b(?:proxy-authorization|authorization|x-api-key)[\"']?\s*[:=]\s*[\"']?)"
                        r"([^\r\n\"',}]+)")
_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*):([^/\s@]+)@")


def is_secret_param(name: str) -> bool:
    return name.strip().lower() in SECRET_PARAMS


def is_secret_header(name: str) -> bool:
    return name.strip().lower() in SECRET_HEADERS


def register_secret(value: str | None) -> None:
    """Remember a secret value so that :func:`redact_text` hides it wherever it appears.

    A header value such as ``Bearer TOKEN`` registers the token as well.  Values shorter
    than :data:`MIN_SECRET_LEN` are ignored.
    """
    if not value:
        return
    value = str(value).strip()
    parts = {value}
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() in ("bearer", "token", "basic", "apikey"):
        parts.add(rest.strip())
    with _lock:
        _secrets.update(p for p in parts if len(p) >= MIN_SECRET_LEN)


def registered_secrets() -> frozenset[str]:
    with _lock:
        return frozenset(_secrets)


def _forms(value: str) -> set[str]:
    """The value as written, percent-encoded (path and query styles)."""
    return {value, quote(value, safe=""), quote_plus(value), quote(value)}


def _mask_values(text: str, secrets: Iterable[str] | None) -> str:
    values = set(registered_secrets())
    values.update(s for s in (secrets or ()) if s and len(s) >= MIN_SECRET_LEN)
    # longest first, so that "Bearer TOKEN" goes before "TOKEN"
    for value in sorted({f for v in values for f in _forms(v)}, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def redact_text(text: object, secrets: Iterable[str] | None = None) -> str:
    """``text`` with every secret it carries replaced by ``***``.

    >>> redact_text("GET http://h/works?q=x&api_key=s3cr3t&mailto=a@b.org failed")
    'GET http://h/works?q=x&api_key=***&mailto=a@b.org failed'
    >>> redact_text("{'Authorization': 'Bearer abc.def'}")
    "{'Authorization': '***'}"
    >>> redact_text("proxy http://user:pa55@proxy:3128 refused")
    'proxy http://user:***@proxy:3128 refused'
    >>> redact_text("the key XYZ-123 was refused", secrets=["XYZ-123"])
    'the key *** was refused'
    """
    if text is None:
        return ""
    text = str(text)
    text = _mask_values(text, secrets)
    text = _PARAM_RE.sub(lambda m: m.group(0) if m.group(3).startswith(MASK) else f"{m.group(1)}{m.group(2)}={MASK}",
                         text)
    text = _HEADER_RE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _USERINFO_RE.sub(lambda m: f"{m.group(1)}:{MASK}@", text)


def redact_bytes(data: bytes) -> bytes:
    """``data`` (a body) with every registered secret value, as UTF-8, replaced by ``***``.

    Only the values: a body is data, so ``key=...`` in it is left alone.
    """
    for secret in registered_secrets():
        for form in _forms(secret):
            raw = form.encode("utf-8")
            if raw in data:
                data = data.replace(raw, MASK.encode())
    return data


def redact_url(url: str, params: Mapping | None = None) -> str:
    """The URL with the ``params`` a request adds, secrets replaced by ``***``.

    >>> redact_url("https://api.x.org/works?api_key=s3cret&page=2")
    'https://api.x.org/works?api_key=***&page=2'
    >>> redact_url("https://api.x.org/works", {"token": "t", "q": "Липецк", "mailto": "a@b.c"})
    'https://api.x.org/works?token=***&q=Липецк&mailto=a@b.c'
    >>> redact_url("https://u:pw@mirror.local/a?Key=1")
    'https://u:***@mirror.local/a?Key=***'
    """
    parts = urlsplit(url)
    pairs: list[tuple[str, str]] = []
    if parts.query:
        for item in parts.query.split("&"):
            name, _, value = item.partition("=")
            pairs.append((name, value))
    for name, value in (params or {}).items():
        if value is not None:
            pairs.append((str(name), str(value)))
    shown = [f"{n}={MASK if is_secret_param(n) else v}" for n, v in pairs]
    base = url.split("?", 1)[0].split("#", 1)[0]
    return redact_text(base + ("?" + "&".join(shown) if shown else ""))


def redact_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """A copy of ``headers`` with secret headers shown as ``***``.

    >>> redact_headers({"Authorization": "Bearer t0k3n", "Accept": "application/json"})
    {'Authorization': '***', 'Accept': 'application/json'}
    """
    return {k: (MASK if is_secret_header(k) else redact_text(v)) for k, v in (headers or {}).items()}


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (arguments included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError) as exc:  # a malformed format string: log it, redacted
            message = f"{record.msg!r} (unformattable log record: {exc})"
        record.msg = redact_text(message)
        record.args = None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Add a :class:`RedactingFilter` to every handler of ``logger`` (default: the root)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
