"""Errors of the polite transport: every one stops its request with a message that names
the (redacted) URL; the crawl engine saves the job, so the same command resumes it."""

from __future__ import annotations

from bibmine.sources.redact import redact_text


class HttpError(RuntimeError):
    """A request that failed for good; the message and ``url`` are redacted."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(redact_text(message))
        self.url = None if url is None else redact_text(url)
        self.status = status


class RetriesExhaustedError(HttpError):
    """Transient faults (429, 5xx, resets, timeouts, bad bodies) outlasted every retry."""


class RateLimitedError(HttpError):
    """The server asked us to wait longer than ``max_retry_after``: stop and resume later."""


class RobotsDisallowedError(HttpError):
    """robots.txt of the site forbids the URL for our User-Agent."""


class BlockedError(HttpError):
    """A site answered with a captcha or block page (detected by the caller's ``check``)."""


class BadBodyError(ValueError):
    """Raised by a ``check`` callback for a body worth one more try (empty, cut short)."""


class LimitExceeded(HttpError):
    """A response crossed one of the crawler's bounds; never retried (it would cross it again)."""


class ResponseTooLarge(LimitExceeded):
    """The body (as sent, or inflated) is bigger than ``max_body_mb`` / ``max_decompressed_mb``,
    or inflates more than ``max_compression_ratio`` times."""


class DeadlineExceeded(LimitExceeded):
    """The request (connect, redirects, headers and body together) took longer than ``deadline_s``."""


class RedirectRefused(LimitExceeded):
    """A redirect to a scheme other than http(s), to a host the crawler is not allowed to
    visit, a redirect loop, or more than ``max_redirects`` redirects."""
