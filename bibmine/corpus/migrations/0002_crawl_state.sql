-- bibmine corpus schema, version 2: crawl jobs, so that `bibmine crawl ...` resumes
-- exactly where it stopped (Ctrl-C, kill -9, a captcha page, a network outage).
-- A page of records and the job's next cursor are committed in one transaction:
-- after a crash the job points at the first page whose records are not stored.

CREATE TABLE crawl_jobs (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,             -- openalex | crossref | elibrary | rospatent | fips | lens | ...
    query       TEXT NOT NULL,             -- the job's parameters as canonical JSON (never a secret)
    key         TEXT NOT NULL,             -- sha1 of source + query: the same command finds its job
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'blocked', 'interrupted')),
    cursor      TEXT NOT NULL,             -- JSON: where the next page starts (phase, cursor/page/offset, ...)
    n_pages     INTEGER NOT NULL DEFAULT 0,
    n_read      INTEGER NOT NULL DEFAULT 0,
    n_new       INTEGER NOT NULL DEFAULT 0,
    n_merged    INTEGER NOT NULL DEFAULT 0,
    n_duplicate INTEGER NOT NULL DEFAULT 0,
    n_rejected  INTEGER NOT NULL DEFAULT 0,
    total       INTEGER,                   -- records the source says match, when it says
    batch_id    INTEGER REFERENCES batches(id),
    started     TEXT NOT NULL,
    updated     TEXT NOT NULL,
    finished    TEXT,
    error       TEXT                       -- why the job stopped (failed, blocked, interrupted)
);
CREATE INDEX crawl_jobs_key ON crawl_jobs(key, status);
