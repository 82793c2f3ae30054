"""What the report stage reads from the corpus: ``indicators/indicators.json`` (every indicator of
:func:`bibmine.indicators.compute_all`) and ``indicators/publications.csv`` (the study regions'
publications: identifiers, rubrics with scores, placements), written before the report is built so
that the report itself reads only the study folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from bibmine.corpus.store import Corpus
from bibmine.safe_csv import safe_writer

PUBLICATION_COLUMNS = ("id", "doi", "wos", "scopus", "openalex", "elibrary", "year", "kind", "title", "source",
                       "subjects", "organizations", "rubrics_manual", "rubrics_automatic")


def _rubrics(record, source: str) -> str:
    parts = []
    for r in record.rubrics:
        if r.scheme == "grnti" and r.source == source:
            parts.append(r.code if r.score is None else f"{r.code} ({r.score:.2f})")
    return "; ".join(dict.fromkeys(parts))


def write_indicators(corpus_path: Path, out: Path, regions: list[str] | None = None, year: int | None = None) -> dict:
    """Write both files into ``out / "indicators"``; returns the indicators."""
    from bibmine.indicators import compute_all, doc_from_record

    folder = Path(out) / "indicators"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(regions or [])
    docs = []
    with Corpus(corpus_path) as corpus, open(folder / "publications.csv", "w", encoding="utf-8",
                                             newline="") as fh:
        w = safe_writer(fh)
        w.writerow(PUBLICATION_COLUMNS)
        for record in corpus.iter_works():
            doc = doc_from_record(record)
            docs.append(doc)
            if wanted and not wanted & set(doc.subjects):
                continue
            ids = record.ids
            w.writerow([record.id, ids.doi or "", ids.wos or "", ids.scopus or "", ids.openalex or "",
                        ids.elibrary or "", record.year or "", record.kind.value, record.title or "",
                        doc.source or "", "; ".join(doc.subjects), "; ".join(doc.organizations),
                        _rubrics(record, "manual"), _rubrics(record, "automatic")])
    result = compute_all(docs, year)
    (folder / "indicators.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result
