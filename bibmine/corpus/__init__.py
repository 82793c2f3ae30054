"""corpus stage of bibmine: one record model, one SQLite file, deduplicated with provenance.

    from bibmine.corpus import Corpus, import_files, review_candidates
    with Corpus("study.sqlite") as corpus:
        import_files(corpus, ["savedrecs.txt", "scopus.csv"])   # one batch per file, rejects quarantined
        review_candidates(corpus)                                # look-alike pairs a rule kept apart
        for work in corpus.iter_works(): ...                     # merged Records

Names are imported on first use (``bibmine._exports``), so ``bibmine --help`` loads no reader.
"""

from bibmine._exports import lazy_exports

_MODEL = ("Record", "Kind", "Text", "Author", "Affiliation", "Venue", "Identifiers", "PatentNumber",
          "Reference", "CitationCount", "RubricAssignment", "Reject", "display_name", "normalize_doi")
_TABLE = {
    **dict.fromkeys(_MODEL, "bibmine.record"),
    "Corpus": "bibmine.corpus.store", "NotACorpusError": "bibmine.corpus.store", "Batch": "bibmine.corpus.store",
    "import_files": "bibmine.corpus.importer", "FileReport": "bibmine.corpus.importer",
    "DiskFullError": "bibmine.corpus.importer",
    "DedupConfig": "bibmine.corpus.dedup",
    "run_dedup": "bibmine.corpus.dedup_run", "review_candidates": "bibmine.corpus.dedup_run",
    "merge_by_hand": "bibmine.corpus.dedup_run", "undo_merge": "bibmine.corpus.dedup_run",
    "merge_report": "bibmine.corpus.dedup_run",
    "evaluate_folder": "bibmine.corpus.dedup_eval", "pair_scores": "bibmine.corpus.dedup_eval",
    "corpus_stats": "bibmine.corpus.stats",
    "write_csv": "bibmine.corpus.export", "write_jsonl": "bibmine.corpus.export", "write_ris": "bibmine.corpus.export",
    "is_placeholder": "bibmine.placeholders",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
