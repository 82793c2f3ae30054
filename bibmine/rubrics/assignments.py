"""Rubric assignment files: ``record_id,rubric[,annotator][,score]``, one row per label.

Read from CSV (any encoding bibmine detects) or XLSX; a cell may hold several codes
separated by ``;``.  Several annotators in one file are kept apart.  The record id is a
bibmine work id, a DOI or an eLIBRARY id; :func:`resolve_ids` maps them onto a corpus.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
>>> _ = p.write_text("record_id,rubric,annotator\\nr1,06.81.23,anna\\nr1,20,anna\\nr2,34,boris\\n")
>>> rows, rejects = read_assignments(p)
>>> by_annotator(rows)
{'anna': {'r1': ['06', '20']}, 'boris': {'r2': ['34']}}
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bibmine.corpus.model import normalize_doi
from bibmine.corpus.store import Corpus
from bibmine.rubrics.vocabulary import normalize_code
from bibmine.safe_csv import safe_writer

ID_COLUMNS = ("record_id", "id", "doi", "elibrary_id", "uid")
RUBRIC_COLUMNS = ("rubric", "code", "grnti", "rubrics")
DEFAULT_ANNOTATOR = "manual"


@dataclass(frozen=True)
class Assignment:
    record_id: str
    rubric: str  # as written (full depth); cut to a level when compared
    annotator: str
    score: float | None
    location: str  # "row 7" of the file


def _cells(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], dict[int, str]]:
    """Header, numbered rows, and the rows holding undecodable bytes (number -> what and where)."""
    from bibmine.rubrics.files import decoded_csv
    from bibmine.sources.files import require_regular_file

    require_regular_file(path)  # a FIFO would block: refused before it is opened
    with open(path, "rb") as fh:
        zipped = fh.read(4) == b"PK\x03\x04"
    if zipped:  # XLSX is a zip file
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        rows = [[("" if c is None else str(c)).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
        return (rows[0] if rows else []), list(enumerate(rows[1:], start=2)), {}
    _, fh, _ = decoded_csv(path)
    bad: dict[int, str] = {}
    out = []
    with fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        fh.take_issues(reader.line_num)
        for n, row in enumerate(reader, start=2):
            issues = fh.take_issues(reader.line_num)
            if issues:
                bad[n] = "bytes not valid in the file's encoding: " + "; ".join(i.describe() for i in issues[:3])
            out.append((n, row))
    return header, out, bad


def is_review_file(path: str | Path) -> bool:
    """True for a review list written by ``bibmine compare`` (it has a ``reviewed_rubric`` column)."""
    header, _, _ = _cells(Path(path))
    return "reviewed_rubric" in [h.strip().lower().lstrip("\ufeff") for h in header]


def read_assignments(path: str | Path, *, annotator: str | None = None
                     ) -> tuple[list[Assignment], list[tuple[str, str]]]:
    """Rows of an assignment file and the rejects ``(location, reason)``; never raises on a bad row."""
    path = Path(path)
    header, rows, bad = _cells(path)
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    review = "reviewed_rubric" in names  # a review list filled by analysts (bibmine compare)
    id_col = next((names.index(c) for c in ID_COLUMNS if c in names), None)
    code_col = names.index("reviewed_rubric") if review else next(
        (names.index(c) for c in RUBRIC_COLUMNS if c in names), None)
    if id_col is None or code_col is None:
        raise ValueError(f"{path}: needs a record id column ({'/'.join(ID_COLUMNS)}) and a rubric column "
                         f"({'/'.join(RUBRIC_COLUMNS)}); found: {', '.join(header)}")
    who_column = "reviewer" if review else "annotator"
    ann_col = names.index(who_column) if who_column in names else None
    score_col = names.index("score") if "score" in names and not review else None
    out: list[Assignment] = []
    rejects: list[tuple[str, str]] = []
    for n, row in rows:
        where = f"{path.name} row {n}"
        if not any(c.strip() for c in row):
            continue
        if n in bad:
            rejects.append((where, bad[n]))
            continue
        if len(row) <= max(id_col, code_col):
            rejects.append((where, f"{len(row)} cells, fewer than the header's columns"))
            continue
        rid = row[id_col].strip()
        if not rid:
            rejects.append((where, "no record id"))
            continue
        who = annotator or (row[ann_col].strip() if ann_col is not None and len(row) > ann_col else "")
        score = None
        if score_col is not None and len(row) > score_col and row[score_col].strip():
            try:
                score = float(row[score_col])
            except ValueError:
                rejects.append((where, f"score {row[score_col]!r} is not a number"))
                continue
        codes = [c for c in row[code_col].split(";") if c.strip()]
        if not codes and review:
            continue  # not reviewed (yet): nothing to import
        if not codes:
            rejects.append((where, "no rubric code"))
            continue
        for raw in codes:
            code = normalize_code(raw)
            if code is None:
                rejects.append((where, f"{raw.strip()!r} is not a GRNTI code"))
                continue
            out.append(Assignment(rid, code, who or ("review" if review else DEFAULT_ANNOTATOR), score, where))
    return out, rejects


def by_annotator(rows: list[Assignment], level: int = 1) -> dict[str, dict[str, list[str]]]:
    """``{annotator: {record_id: [codes]}}`` with codes cut to ``level``, best first, no repeats.

    Rows with scores are ordered by score (highest first); otherwise file order is kept.
    """
    grouped: dict[str, dict[str, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[row.annotator][row.record_id].append(row)
    out: dict[str, dict[str, list[str]]] = {}
    for who, records in grouped.items():
        out[who] = {}
        for rid, items in records.items():
            if all(i.score is not None for i in items):
                items = sorted(items, key=lambda i: -i.score)
            codes: list[str] = []
            for i in items:
                code = normalize_code(i.rubric, level)
                if code and code not in codes:
                    codes.append(code)
            out[who][rid] = codes
    return out


def merge_annotators(labels: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """One assignment from several annotators: the first annotator (by name) who labelled a record wins."""
    merged: dict[str, list[str]] = {}
    for who in sorted(labels):
        for rid, codes in labels[who].items():
            merged.setdefault(rid, codes)
    return merged


def resolve_ids(corpus: Corpus, ids: list[str]) -> dict[str, str]:
    """Map label-file record ids (work id, DOI or eLIBRARY id) to corpus work ids; unknown ids are left out."""
    out = {}
    for rid in ids:
        if corpus.work_id(rid) is not None:
            out[rid] = rid
            continue
        doi = normalize_doi(rid)
        found = corpus.find("doi", doi) if doi else corpus.find("elibrary", rid.strip())
        if found is not None:
            out[rid] = found.id
    return out


def corpus_assignments(corpus: Corpus, source: str, *, level: int = 1, annotator: str | None = None
                       ) -> dict[str, dict[str, list[str]]]:
    """GRNTI assignments stored in the corpus (``manual`` or ``automatic``), per annotator or model."""
    rows = [Assignment(r["uid"], r["code"], r["annotator"] or source, r["score"], "corpus")
            for r in corpus.rubrics(source=source) if annotator is None or r["annotator"] == annotator]
    return by_annotator(rows, level)


def write_assignments(labels: dict[str, dict[str, list[str]]], path: Path,
                      scores: dict[tuple[str, str], float] | None = None) -> int:
    """Write ``{annotator: {record_id: [codes]}}`` as ``record_id,rubric,annotator,score``."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(["record_id", "rubric", "annotator", "score"])
        for who in sorted(labels):
            for rid, codes in labels[who].items():
                for code in codes:
                    score = (scores or {}).get((rid, code))
                    w.writerow([rid, code, who, "" if score is None else f"{score:.4f}"])
                    n += 1
    return n
