-- bibmine corpus schema, version 7: source records stored packed.
-- A file import stores each source record as one zstd frame of the parsed record's JSON, a NUL
-- byte and the raw text as read: source_records.data holds that frame (a BLOB), raw is NULL and
-- raw_codec is 'packed' (bibmine.corpus.rawtext). Real Web of Science records with their cited
-- references take about 4 KB instead of 14.5 KB. Rows stored before (JSON text in data, raw as
-- read or compressed alone) stay as they are and read as before; the version number keeps an
-- older bibmine, which cannot read packed rows, from opening the corpus.
-- No table changes: raw_codec (version 6) names the new layout.
SELECT 1;
