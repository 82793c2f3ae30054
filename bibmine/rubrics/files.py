"""Classifying texts outside any corpus: a CSV in, the same CSV with rubric columns out."""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bibmine.rubrics.text import join_parts
from bibmine.safe_csv import safe_writer
from bibmine.sources.encoding import DecodedText, detect_encoding, read_head
from bibmine.sources.files import require_regular_file
from bibmine.sources.readers._csv_rows import guess_delimiter

BATCH = 512


def decoded_csv(path: Path):
    """``(encoding, DecodedText, delimiter)`` of a CSV: a FIFO, device or folder is refused unopened
    (:class:`~bibmine.sources.files.NotRegularFileError`, a ValueError); bytes not valid in the
    detected encoding become U+FFFD and are noted per line (``DecodedText.take_issues``)."""
    require_regular_file(path)
    encoding = detect_encoding(path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    return encoding, DecodedText(path, encoding), guess_delimiter(read_head(path, encoding))


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]], str, dict[int, str]]:
    """Header, rows, the encoding detected (UTF-8 with or without BOM, UTF-16, cp1251) and the rows
    holding undecodable bytes ``{row number: what and where}`` (row 1 is the header)."""
    encoding, fh, delimiter = decoded_csv(path)
    bad: dict[int, str] = {}
    rows = []
    with fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        header = list(reader.fieldnames or [])
        fh.take_issues(reader.line_num)  # the header's own bad bytes show in the column names
        for row in reader:
            issues = fh.take_issues(reader.line_num)
            if issues:
                bad[len(rows) + 2] = "; ".join(i.describe() for i in issues[:3])
            rows.append({k: (v if v is not None else "") for k, v in row.items() if k is not None})
    return header, rows, encoding, bad


def classify_csv(
    model,
    src: Path,
    dst: Path,
    text_columns: list[str],
    top_k: int = 3,
    level: int = 1,
    threshold: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
    group_column: str | None = None,
) -> dict:
    """Write ``dst``: every row of ``src`` in order, plus ``rubric_1,score_1,...,rubric_k,score_k``.

    A row with no text in the text columns keeps empty rubric cells (its row number is
    returned under ``empty_rows``); so does a row holding bytes not valid in the file's encoding
    (``bad_rows``: row number -> the bytes and where they are); the run goes on.

    ``group_column`` (level 1 only): the collective mode, rows with the same non-empty value there (e.g. the
    performing organization of EGISU rows) have their class prior adapted together
    (:func:`bibmine.rubrics.collective.adapt_to_groups`, the file being the batch); rows with an empty value
    are classified as without it.  ``groups``: how many groups were adapted.
    """
    header, rows, encoding, bad = read_csv_rows(src)
    missing = [c for c in text_columns if c not in header]
    if missing:
        raise ValueError(f"{src}: no column {', '.join(missing)}; columns are: {', '.join(header)}")
    if group_column is not None and group_column not in header:
        raise ValueError(f"{src}: no group column {group_column}; columns are: {', '.join(header)}")
    if group_column is not None and level != 1:
        raise ValueError("the group column (collective mode) works with level 1 only")
    added = [name for i in range(1, top_k + 1) for name in (f"rubric_{i}", f"score_{i}")]
    clash = [c for c in added if c in header]
    if clash:
        raise ValueError(f"{src}: already has column(s) {', '.join(clash)}")
    texts = [join_parts([row.get(c, "") for c in text_columns]) for row in rows]
    todo = [i for i, t in enumerate(texts) if t and i + 2 not in bad]
    results: dict[int, list[tuple[str, float]]] = {}
    start = time.perf_counter()
    probas = []
    for b in range(0, len(todo), BATCH):
        idx = todo[b : b + BATCH]
        if group_column is None:
            ranked = model.classify([texts[i] for i in idx], k=top_k, level=level, threshold=threshold)
            results.update(zip(idx, ranked, strict=True))
        else:
            probas.append(model.predict_proba([texts[i] for i in idx]))
        if progress:
            progress(min(b + BATCH, len(todo)), len(todo))
    n_groups = 0
    if group_column is not None and todo:
        import numpy as np

        from bibmine.rubrics.collective import adapt_to_groups

        groups = [rows[i].get(group_column, "").strip() or None for i in todo]
        n_groups = len({g for g in groups if g is not None})
        proba = adapt_to_groups(np.vstack(probas), groups)
        results.update(zip(todo, model.rank(proba, k=top_k, threshold=threshold), strict=True))
    elapsed = time.perf_counter() - start
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        writer = safe_writer(fh)
        writer.writerow(header + added)
        for i, row in enumerate(rows):
            cells = []
            for code, score in results.get(i, [])[:top_k]:
                cells += [code, f"{score:.4f}"]
            cells += [""] * (2 * top_k - len(cells))
            writer.writerow([row.get(c, "") for c in header] + cells)
    return {
        "rows": len(rows),
        "classified": len(todo),
        "empty_rows": [i + 2 for i, t in enumerate(texts) if not t],  # CSV row numbers (header is row 1)
        "bad_rows": bad,
        "encoding": encoding,
        "seconds": elapsed,
        "groups": n_groups,
    }
