-- bibmine corpus schema, version 6: faster, more compact imports.
-- 1. Each work's title keys with their words sorted (newline-separated, in the order of
--    title_keys): the form the fuzzy matcher compares (token_sort_ratio), computed once when
--    the work is written instead of at every comparison. NULL (a work written before
--    version 6) is computed when read.
ALTER TABLE works ADD COLUMN title_sorted TEXT;

-- 2. A file import stores each source record's raw text compressed: raw holds the bytes and
--    raw_codec names the codec ('zstd', or 'zlib' where the zstandard package is missing).
--    raw_codec NULL: raw is the text as read (every record stored before version 6, and
--    records added one at a time, e.g. by crawls). bibmine.corpus.rawtext.decode_raw (used by
--    Corpus.sources_of) gives the text back either way.
ALTER TABLE source_records ADD COLUMN raw_codec TEXT
