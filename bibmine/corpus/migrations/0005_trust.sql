-- bibmine corpus schema, version 5: a trustworthy corpus.
-- 1. One identifier value may belong to several works: two records with the same DOI but
--    different WoS UTs are two works, and both must stay findable by that DOI.
CREATE TABLE identifiers_v5 (
    scheme      TEXT NOT NULL,
    value       TEXT NOT NULL,
    work_id     INTEGER NOT NULL,
    PRIMARY KEY (scheme, value, work_id)
) WITHOUT ROWID;
INSERT INTO identifiers_v5(scheme, value, work_id) SELECT scheme, value, work_id FROM identifiers;
DROP TABLE identifiers;
ALTER TABLE identifiers_v5 RENAME TO identifiers;
CREATE INDEX identifiers_work ON identifiers(work_id);

-- 2. Pairs that look like one work but that a rule keeps apart (identifiers or numbers
--    that differ, a generic title, an ambiguous match): an analyst reviews them
--    (bibmine dedup --candidates) and merges by hand (bibmine dedup --merge A B).
--    uid_a / uid_b are work uids when the pair was found (bm + a source record's fingerprint
--    prefix), so each side can be traced to its source record even after later merges.
CREATE TABLE dedup_candidates (
    id          INTEGER PRIMARY KEY,
    uid_a       TEXT NOT NULL,
    uid_b       TEXT NOT NULL,
    score       REAL,
    reason      TEXT NOT NULL,
    created     TEXT NOT NULL,
    resolved    TEXT,                      -- "merged" or "distinct", with the time
    UNIQUE (uid_a, uid_b)
);

-- 3. Batches know who writes them, so a batch left by a killed process is found and
--    marked interrupted (status: running | done | failed | interrupted).
ALTER TABLE batches ADD COLUMN status TEXT;
ALTER TABLE batches ADD COLUMN pid INTEGER;
ALTER TABLE batches ADD COLUMN host TEXT;
UPDATE batches SET status = CASE WHEN finished IS NULL THEN 'interrupted' ELSE 'done' END;
