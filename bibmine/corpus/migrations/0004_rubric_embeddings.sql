-- Vectors of pretrained embedders (the rubrics stage), cached by record, text hash and model,
-- so reclassifying an unchanged record with the same model embeds nothing again.

CREATE TABLE rubric_embeddings (
    uid         TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    model_id    TEXT NOT NULL,
    dim         INTEGER NOT NULL,
    vector      BLOB NOT NULL,              -- float32, little-endian
    PRIMARY KEY (uid, text_hash, model_id)
) WITHOUT ROWID;
