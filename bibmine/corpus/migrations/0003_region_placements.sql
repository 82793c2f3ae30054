-- Where the regions stage placed each affiliation of a work (bibmine regions assign):
-- one row per (work, affiliation index), with the method, a confidence and the evidence
-- (JSON: which tokens matched which gazetteer entry by which rule).  Rows of a work are
-- deleted when the work is rebuilt from its sources (a merge), so assign places it again.

CREATE TABLE region_placements (
    work_id      INTEGER NOT NULL,
    aff_index    INTEGER NOT NULL,
    raw          TEXT NOT NULL,
    country      TEXT,
    region       TEXT,
    city         TEXT,
    organization TEXT,
    macroregion  TEXT,
    confidence   REAL,
    method       TEXT,
    status       TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    created      TEXT NOT NULL,
    PRIMARY KEY (work_id, aff_index)
) WITHOUT ROWID;
CREATE INDEX region_placements_region ON region_placements(region);
