-- bibmine corpus schema, version 1.
-- A *work* is what the corpus shows; each *source record* is one source's version of
-- it, exactly as read (raw) and as parsed (data). Works are rebuilt from their source
-- records by the merge policy, so nothing a user imported is ever lost.

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,             -- file | api | labels | review
    source      TEXT NOT NULL,             -- file path, or API + query
    format      TEXT,
    encoding    TEXT,
    sha256      TEXT,
    started     TEXT NOT NULL,
    finished    TEXT,
    n_read      INTEGER NOT NULL DEFAULT 0,
    n_new       INTEGER NOT NULL DEFAULT 0,
    n_merged    INTEGER NOT NULL DEFAULT 0,
    n_duplicate INTEGER NOT NULL DEFAULT 0, -- the same source record imported before
    n_rejected  INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);

CREATE TABLE works (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,      -- stable internal id, derived from the first source record
    kind        TEXT NOT NULL,
    year        INTEGER,
    title       TEXT,
    title_keys  TEXT,                      -- every title's comparable key, newline-separated
    doi         TEXT,
    first_author TEXT,                     -- folded surname of the first author
    n_sources   INTEGER NOT NULL DEFAULT 1,
    data        TEXT,                      -- merged Record as JSON; NULL = its one source record's data
    provenance  TEXT,                      -- JSON {field: source_record id}; NULL = all from the one source
    updated     TEXT NOT NULL
);
CREATE INDEX works_year ON works(year);

CREATE TABLE source_records (
    id          INTEGER PRIMARY KEY,
    work_id     INTEGER NOT NULL REFERENCES works(id),
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    format      TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,      -- sha1 of format + raw text: the same record twice is one
    data        TEXT NOT NULL,             -- parsed Record as JSON (without raw)
    raw         TEXT
);
CREATE INDEX source_records_work ON source_records(work_id);
CREATE INDEX source_records_batch ON source_records(batch_id);

CREATE TABLE identifiers (
    scheme      TEXT NOT NULL,
    value       TEXT NOT NULL,
    work_id     INTEGER NOT NULL,
    PRIMARY KEY (scheme, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_work ON identifiers(work_id);

-- Blocking keys for fuzzy dedup: only works sharing a key are ever compared.
CREATE TABLE blocks (
    key         TEXT NOT NULL,
    work_id     INTEGER NOT NULL,
    PRIMARY KEY (key, work_id)
) WITHOUT ROWID;
CREATE INDEX blocks_work ON blocks(work_id);

CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    work_id     INTEGER NOT NULL,          -- the work that absorbed the source record
    source_record_id INTEGER NOT NULL,
    rule        TEXT NOT NULL,             -- doi | wos | scopus | ... | fuzzy_title
    score       REAL NOT NULL,
    detail      TEXT,
    created     TEXT NOT NULL,
    undone      TEXT                       -- time the merge was reversed
);
CREATE INDEX merges_work ON merges(work_id);

-- Pairs of source records a user declared distinct (an undone merge): never merged again.
CREATE TABLE distinct_pairs (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;

CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER REFERENCES batches(id),
    path        TEXT,
    location    TEXT,
    reason      TEXT NOT NULL,
    raw         TEXT,
    created     TEXT NOT NULL
);

CREATE TABLE rubric_assignments (
    id          INTEGER PRIMARY KEY,
    work_id     INTEGER NOT NULL REFERENCES works(id),
    scheme      TEXT NOT NULL,             -- grnti, ...
    code        TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('manual', 'automatic', 'foreign')),
    annotator   TEXT NOT NULL DEFAULT '',  -- person, vendor, or model id
    score       REAL,
    batch_id    INTEGER REFERENCES batches(id),
    created     TEXT NOT NULL,
    UNIQUE (work_id, scheme, code, source, annotator)
);
CREATE INDEX rubric_assignments_code ON rubric_assignments(scheme, code);

-- Works with their record JSON: a single-source work stores no copy of its source's data.
CREATE VIEW work_data AS
SELECT w.id, w.uid, w.kind, w.year, w.title, w.doi, w.n_sources,
       COALESCE(w.data, (SELECT s.data FROM source_records s WHERE s.work_id = w.id)) AS data
FROM works w;
