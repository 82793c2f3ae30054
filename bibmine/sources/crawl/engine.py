"""The crawl loop: fetch a page, store its records and the next cursor in one transaction.

A crawler is an object with ``source``, ``params()``, ``start()``, ``fetch(cursor)``
and ``plan()``.  ``fetch`` does the network work for one page and returns a
:class:`Page`: the records and rejects it produced, the cursor after it, and whether
the crawl is done.  :func:`run_crawl` commits each page atomically, so a crawl killed
at any instant resumes from the first page whose records are not stored: no
duplicates, no gaps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bibmine.corpus.dedup import DedupConfig
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.store import Corpus
from bibmine.record import Record
from bibmine.sources.crawl.state import Job, JobStore
from bibmine.sources.http import BlockedError, HttpError, LimitExceeded, RateLimitedError, RobotsDisallowedError
from bibmine.sources.redact import redact_text

log = logging.getLogger("bibmine.crawl")


@dataclass
class Reject:
    """A source record a crawler could not map: it goes to quarantine with where and why."""

    location: str  # e.g. "page 3 item 7", "line 12", "item.asp?id=123"
    reason: str
    raw: str | None = None


@dataclass
class Page:
    cursor: dict[str, Any]  # where the crawl goes on after this page
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    done: bool = False
    total: int | None = None  # records the source says match, when it says
    url: str | None = None  # the (redacted) request, stored with rejects
    note: str | None = None  # shown in the progress bar, e.g. "institutions 3/7"


class Crawler(Protocol):
    source: str

    def params(self) -> dict[str, Any]: ...  # identity of the job; never secrets

    def start(self) -> dict[str, Any]: ...  # the first cursor

    def fetch(self, cursor: dict[str, Any]) -> Page: ...

    def plan(self) -> list[str]: ...  # the requests a --dry-run prints


class CrawlStopped(RuntimeError):
    """The crawl stopped before the end; the job is saved and the same command resumes it."""

    def __init__(self, message: str, job: Job, status: str):
        super().__init__(redact_text(message))
        self.job = job
        self.status = status


def run_crawl(corpus: Corpus, crawler: Crawler, *, restart: bool = False, max_pages: int | None = None,
              fuzzy: bool = True, dedup: DedupConfig | None = None,
              on_page: Callable[[Job, Page], None] | None = None) -> Job:
    """Run (or resume) the crawl of ``crawler`` into ``corpus``; return the job.

    ``max_pages`` stops after that many pages (the job stays resumable).  Raises
    :class:`CrawlStopped` when a captcha, a block, robots.txt, a long Retry-After or
    an outage stops it, and re-raises KeyboardInterrupt after saving the status.
    """
    store = JobStore(corpus)
    params = crawler.params()
    job = None if restart else store.resumable(crawler.source, params)
    if job is None:
        job = store.create(crawler.source, params, crawler.start())
    else:
        log.info("resuming %s job %d at %s", job.source, job.id, job.cursor)
    batch = job.batch()
    ingestor = Ingestor(corpus, dedup, fuzzy=fuzzy)
    pages = 0
    try:
        while job.cursor.get("done") is not True:
            if max_pages is not None and pages >= max_pages:
                return job
            page = crawler.fetch(dict(job.cursor))
            cursor = dict(page.cursor)
            if page.done:
                cursor["done"] = True
            with corpus.transaction():
                for record in page.records:
                    ingestor.add(record, batch)
                for rej in page.rejects:
                    corpus.quarantine(batch, page.url, rej.location, rej.reason, rej.raw)
                store.advance(job, cursor, batch, total=page.total)
            pages += 1
            if on_page is not None:
                on_page(job, page)
    except KeyboardInterrupt:
        store.set_status(job, "interrupted", "stopped by the user (Ctrl-C); run the same command to resume")
        raise
    except BlockedError as exc:
        read = job.counts["n_read"]
        _stop(store, job, "blocked", f"{exc} -- nothing was lost: the {read} records read so far are stored; "
              "wait (hours, not minutes) and run the same command again to resume")
    except (RateLimitedError, RobotsDisallowedError) as exc:
        _stop(store, job, "blocked", str(exc))
    except LimitExceeded as exc:
        _stop(store, job, "failed", f"{exc} -- the job is saved: raise the limit in [http] of the crawl config "
              "(docs/sources.md, Bounds) or wait for the site to be fixed, then run the same command to resume")
    except HttpError as exc:
        _stop(store, job, "failed", f"{exc} -- run the same command again to resume")
    except Exception as exc:  # a bug or a full disk: record it on the job, then let it surface
        store.set_status(job, "failed", f"{type(exc).__name__}: {redact_text(exc)}")
        raise
    store.set_status(job, "done")
    corpus.finish_batch(batch)
    return job


def _stop(store: JobStore, job: Job, status: str, message: str) -> None:
    store.set_status(job, status, message)
    raise CrawlStopped(f"{job.source} crawl (job {job.id}) stopped at {_where(job.cursor)}: {message}", job, status)


def _where(cursor: dict[str, Any]) -> str:
    hidden = ("queue", "seen", "institutions", "found", "counts")
    shown = {k: v for k, v in cursor.items() if k not in hidden and v not in (None, "")}
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or "the start"


def dry_run(crawler: Crawler) -> list[str]:
    """The requests the crawl would start with, secrets redacted."""
    return crawler.plan()
