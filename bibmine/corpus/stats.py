"""Corpus statistics: what is in it, and how complete each field is per source."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bibmine.corpus.rawtext import load_record
from bibmine.corpus.store import Corpus
from bibmine.record import Record, guess_lang

# Field name -> test of presence, for the completeness table.
COMPLETENESS_FIELDS: dict[str, object] = {
    "title": lambda r: bool(r.titles),
    "abstract": lambda r: bool(r.abstracts),
    "authors": lambda r: bool(r.authors),
    "affiliations": lambda r: bool(r.affiliations),
    "year": lambda r: r.year is not None,
    "doi": lambda r: bool(r.ids.doi),
    "venue": lambda r: bool(r.venue.name),
    "author_keywords": lambda r: bool(r.author_keywords),
    "indexed_keywords": lambda r: bool(r.indexed_keywords),
    "references": lambda r: bool(r.references),
    "citations": lambda r: bool(r.citations),
    "grnti": lambda r: any(x.scheme == "grnti" for x in r.rubrics),
}


@dataclass
class CorpusStats:
    works: int = 0
    source_records: int = 0
    quarantined: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_year: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)  # source records per format
    completeness: dict[str, dict[str, float]] = field(default_factory=dict)  # format -> field -> share
    batches: Counter = field(default_factory=Counter)  # import batches by status (done, failed, interrupted...)
    unfinished: list[dict] = field(default_factory=list)  # interrupted or failed batches: what they stored

    def as_dict(self) -> dict:
        return {
            "works": self.works, "source_records": self.source_records, "quarantined": self.quarantined,
            "by_kind": dict(self.by_kind),
            "by_year": {str(k): v for k, v in sorted(self.by_year.items(), key=_year_order)},
            "by_language": dict(self.by_language), "by_source": dict(self.by_source),
            "completeness": self.completeness, "batches": dict(self.batches), "unfinished_batches": self.unfinished,
        }


def _year_order(item: tuple) -> tuple[int, int]:
    """Years in order, works with no year ("unknown") last; mixing them must not fail."""
    year = item[0]
    return (1, 0) if not isinstance(year, int) else (0, year)


def record_language(record: Record) -> str:
    """The document language if given, else the script of its first title ('unknown' if none)."""
    return record.language or guess_lang(record.title) or "unknown"


def corpus_stats(corpus: Corpus) -> CorpusStats:
    st = CorpusStats()
    db = corpus.db
    st.works = corpus.count()
    st.quarantined = db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    for kind, n in db.execute("SELECT kind, count(*) FROM works GROUP BY kind"):
        st.by_kind[kind] = n
    for year, n in db.execute("SELECT year, count(*) FROM works GROUP BY year"):
        st.by_year["unknown" if year is None else year] = n
    for batch_id, source, status, n_new, n_merged, error in db.execute(
            "SELECT id, source, coalesce(status, 'done'), n_new, n_merged, error FROM batches ORDER BY id"):
        st.batches[status] += 1
        if status in ("interrupted", "failed"):
            st.unfinished.append({"batch": batch_id, "source": source, "status": status,
                                  "stored": n_new + n_merged, "error": error})
    for rec in corpus.iter_works():
        st.by_language[record_language(rec)] += 1
    present: dict[str, Counter] = defaultdict(Counter)
    for fmt, data in db.execute("SELECT format, data FROM source_records"):
        rec = load_record(data)
        st.source_records += 1
        st.by_source[fmt] += 1
        for name, test in COMPLETENESS_FIELDS.items():
            if test(rec):
                present[fmt][name] += 1
    for fmt, total in st.by_source.items():
        st.completeness[fmt] = {name: present[fmt][name] / total for name in COMPLETENESS_FIELDS}
    return st
