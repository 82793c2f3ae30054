"""Crawl jobs in the corpus database (table ``crawl_jobs``, migration 0002).

A job is one command's crawl: its source, its parameters (``query``), where the next
page starts (``cursor``, a JSON object each crawler defines) and its counts.  The same
command run again finds its unfinished job by ``key`` and goes on from ``cursor``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from bibmine.corpus.store import Batch, Corpus, now
from bibmine.sources.redact import redact_text

COUNTS = ("n_read", "n_new", "n_merged", "n_duplicate", "n_rejected")
UNFINISHED = ("running", "failed", "blocked", "interrupted")


def canonical(params: dict[str, Any]) -> str:
    """Stable JSON of a job's parameters (sorted keys, None dropped)."""
    return json.dumps({k: v for k, v in params.items() if v not in (None, [], "")}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))


def job_key(source: str, params: dict[str, Any]) -> str:
    return hashlib.sha1(f"{source}\0{canonical(params)}".encode()).hexdigest()


@dataclass
class Job:
    id: int
    source: str
    query: str
    key: str
    status: str
    cursor: dict[str, Any]
    batch_id: int | None
    started: str
    updated: str
    finished: str | None = None
    error: str | None = None
    n_pages: int = 0
    total: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    @property
    def params(self) -> dict[str, Any]:
        return json.loads(self.query)

    def batch(self) -> Batch:
        """The import batch of this job with the counts stored so far."""
        return Batch(id=self.batch_id, kind="api", source=f"{self.source} {self.query}", **self.counts)


class JobStore:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.db = corpus.db

    def resumable(self, source: str, params: dict[str, Any]) -> Job | None:
        """The latest unfinished job of the same command, if any."""
        row = self._row("SELECT * FROM crawl_jobs WHERE key=? AND status IN (?,?,?,?) ORDER BY id DESC LIMIT 1",
                        (job_key(source, params), *UNFINISHED))
        return _job(row) if row else None

    def create(self, source: str, params: dict[str, Any], cursor: dict[str, Any]) -> Job:
        query = redact_text(canonical(params))  # the key below hashes the parameters as given
        batch = self.corpus.start_batch("api", f"{source} {query}", format=source)
        stamp = now()
        cur = self.db.execute(
            "INSERT INTO crawl_jobs(source, query, key, status, cursor, batch_id, started, updated) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (source, query, job_key(source, params), "running", json.dumps(cursor, ensure_ascii=False),
             batch.id, stamp, stamp))
        return self.get(cur.lastrowid)

    def get(self, job_id: int) -> Job:
        row = self._row("SELECT * FROM crawl_jobs WHERE id=?", (job_id,))
        if row is None:
            raise KeyError(f"no crawl job {job_id}")
        return _job(row)

    def all(self) -> list[Job]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return [_job(r) for r in cur.execute("SELECT * FROM crawl_jobs ORDER BY id").fetchall()]

    def advance(self, job: Job, cursor: dict[str, Any], batch: Batch, *, pages: int = 1,
                total: int | None = None) -> None:
        """Store the next cursor and the counts; call inside the page's transaction."""
        job.cursor = cursor
        job.n_pages += pages
        if total is not None:
            job.total = total
        job.counts = {c: getattr(batch, c) for c in COUNTS}
        job.updated = now()
        self.db.execute(
            "UPDATE crawl_jobs SET cursor=?, n_pages=?, total=?, n_read=?, n_new=?, n_merged=?, n_duplicate=?, "
            "n_rejected=?, status='running', error=NULL, updated=? WHERE id=?",
            (json.dumps(cursor, ensure_ascii=False), job.n_pages, job.total, *job.counts.values(), job.updated,
             job.id))

    def set_status(self, job: Job, status: str, error: str | None = None) -> None:
        job.status = status
        job.error = None if error is None else redact_text(error)
        job.updated = now()
        job.finished = job.updated if status == "done" else None
        self.db.execute("UPDATE crawl_jobs SET status=?, error=?, updated=?, finished=? WHERE id=?",
                        (status, job.error, job.updated, job.finished, job.id))

    def _row(self, sql: str, params: tuple) -> sqlite3.Row | None:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchone()


def _job(row: sqlite3.Row) -> Job:
    return Job(id=row["id"], source=row["source"], query=row["query"], key=row["key"], status=row["status"],
               cursor=json.loads(row["cursor"]), batch_id=row["batch_id"], started=row["started"],
               updated=row["updated"], finished=row["finished"], error=row["error"], n_pages=row["n_pages"],
               total=row["total"], counts={c: row[c] for c in COUNTS})
