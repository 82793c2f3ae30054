"""Label files: texts with manual GRNTI rubrics, read into one shape for training and evaluation.

Known layouts are recognised by their columns (see ``../shared/data/grnti/labeled/``):

- gisnauka records: ``top_code,top_label,title,abstract,grnti_codes``;
- gisnauka segments: ``doc_id,segment_index,segment_text,top_code,top_label,grnti_codes``;
- free-text labels: ``annotation,GRNTI`` with labels such as ``06. экономика``;
- RuSciBench JSON Lines: ``{"text": ..., "label": "650000"}``;
- EGISU open data: ``registration_number,organization,source_kind,rid_type,title,abstract,keywords,
  grnti_codes,label,codes_l1`` (keywords join the text; the organization is the CV group; the record
  kind comes from ``source_kind``/``rid_type``);
- any other CSV: text from ``text_columns`` (default: title/abstract/text/annotation) and the code
  from ``label_column`` (default: code/label/rubric/grnti/top_code).

A row without text or without a code is not an error: it goes to ``rejects`` with its row number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bibmine.rubrics.text import join_parts
from bibmine.rubrics.vocabulary import normalize_code

TEXT_COLUMNS = ("title", "abstract", "keywords", "text", "annotation", "segment_text")
# EGISU rid_type -> record kind (reports are stage reports of R&D projects)
RID_KINDS = {"заключительный": "report", "промежуточный": "report", "программа для эвм": "software",
             "алгоритм(*)": "software", "база данных": "database", "изобретение": "patent",
             "полезная модель": "patent", "промышленный образец": "patent",
             "топология интегральных микросхем": "patent", "селекционные достижения": "patent"}
KINDS = ("report", "software", "database", "patent", "article", "other")
_KIND_PATTERNS = (
    ("software", re.compile(r"программ\w* (для|эвм)|программн\w+ (обеспечени|комплекс|средств)|эвм")),
    ("database", re.compile(r"баз\w* данных")),
    ("patent", re.compile(r"изобретени|полезн\w+ модел|патент")),
)


def guess_kind(text: str, default: str = "report") -> str:
    """The record kind a text reads as (software, database, patent) from its first 300 characters.

    >>> guess_kind("Программа для ЭВМ «Учёт проб»"), guess_kind("База данных пациентов"), guess_kind("Почвы")
    ('software', 'database', 'report')
    """
    head = text[:300].lower()
    return next((kind for kind, pat in _KIND_PATTERNS if pat.search(head)), default)
LABEL_COLUMNS = ("top_code", "code", "label", "rubric", "grnti", "GRNTI", "rubric_1")


@dataclass
class LabeledSet:
    """Texts with their level-1 code, every manual level-1 code (for in-set accuracy) and deeper codes."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # the record's main level-1 code
    label_sets: list[frozenset[str]] = field(default_factory=list)  # all its manual level-1 codes
    fine: list[tuple[str, ...]] = field(default_factory=list)  # its level-2/3 codes, when given
    groups: list[str] = field(default_factory=list)  # organization / document of a segment (grouped CV), else row id
    kinds: list[str] = field(default_factory=list)  # record kind (KINDS): given by the file or guessed from the text
    rejects: list[tuple[str, str]] = field(default_factory=list)  # (location, reason)
    source: str = ""

    def __len__(self) -> int:
        return len(self.texts)

    def add(self, text: str, code: str, fine: list[str], group: str, kind: str | None = None,
            codes: list[str] | None = None) -> None:
        """``codes``: further level-1 codes of the record (e.g. a ``codes_l1`` column) for its label set."""
        self.kinds.append(kind or guess_kind(text))
        self.texts.append(text)
        self.labels.append(code)
        self.label_sets.append(frozenset([code, *(normalize_code(f, 1) or code for f in fine), *(codes or ())]))
        self.fine.append(tuple(fine))
        self.groups.append(group)

    def subset(self, idx) -> LabeledSet:
        out = LabeledSet(source=self.source)
        for i in idx:
            out.texts.append(self.texts[i])
            out.labels.append(self.labels[i])
            out.label_sets.append(self.label_sets[i])
            out.fine.append(self.fine[i])
            out.groups.append(self.groups[i])
            out.kinds.append(self.kinds[i])
        return out

    def extend(self, other: LabeledSet) -> LabeledSet:
        for name in ("texts", "labels", "label_sets", "fine", "groups", "kinds", "rejects"):
            getattr(self, name).extend(getattr(other, name))
        return self

    def digest(self) -> str:
        """SHA-256 over texts and labels: the training-data hash of a model card."""
        h = hashlib.sha256()
        for t, y in zip(self.texts, self.labels, strict=True):
            h.update(t.encode("utf-8"))
            h.update(b"\x1f" + y.encode() + b"\x1e")
        return h.hexdigest()


def _split_codes(value: str | None) -> list[str]:
    out = []
    for part in (value or "").replace(",", ";").split(";"):
        code = normalize_code(part)
        if code:
            out.append(code)
    return out


def read_labels(
    path: str | Path,
    text_columns: list[str] | None = None,
    label_column: str | None = None,
    max_chars: int | None = None,
) -> LabeledSet:
    """Read a label file (CSV or JSON Lines) into a :class:`LabeledSet`."""
    path = Path(path)
    out = LabeledSet(source=path.name)
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    rows = _read_jsonl(path, out) if jsonl else _read_csv(path)
    kw = {"max_chars": max_chars} if max_chars else {}
    from bibmine.rubrics.vocabulary import load_vocabulary

    known = set(load_vocabulary().codes(level=1))
    unit = "line" if path.suffix.lower() in (".jsonl", ".ndjson") else "row"
    for number, row in rows:
        where = f"{unit} {number}"
        cols = text_columns or [c for c in TEXT_COLUMNS if c in row]
        missing = [c for c in cols if c not in row]
        if missing:
            raise ValueError(f"{path}: no column {', '.join(missing)} (columns: {', '.join(row)})")
        text = join_parts([str(row.get(c) or "") for c in cols], **kw)
        label_col = label_column or next((c for c in LABEL_COLUMNS if c in row), None)
        if label_col is None or label_col not in row:
            raise ValueError(f"{path}: no label column (columns: {', '.join(row)})")
        code = normalize_code(row.get(label_col), level=1)
        fine = [c for c in _split_codes(row.get("grnti_codes")) if c.count(".") >= 1 and c[:2] in known]
        deep = normalize_code(row.get(label_col))
        if deep and "." in deep and deep not in fine:
            fine.insert(0, deep)
        if not text:
            out.rejects.append((where, "no text"))
        elif not code:
            out.rejects.append((where, f"no GRNTI code in {label_col}={row.get(label_col)!r}"))
        elif code not in known:
            out.rejects.append((where, f"{label_col}={row.get(label_col)!r}: {code} is not a GRNTI level-1 rubric"))
        else:
            group = f"org:{row['organization']}" if row.get("organization") else row.get("doc_id")
            out.add(text, code, fine, str(group or f"{path.stem}:{number}"), _kind(row, text, path),
                    [c for c in (normalize_code(x, 1) for x in (row.get("codes_l1") or "").split(";")) if c in known])
    return out


def _kind(row: dict, text: str, path: Path) -> str:
    rid = (row.get("rid_type") or "").strip().lower()
    if rid or row.get("source_kind"):
        return RID_KINDS.get(rid, "report" if row.get("source_kind") == "project" else "other")
    return guess_kind(text, "article" if ("annotation" in row or path.suffix == ".jsonl") else "report")


def read_translated(path: str | Path, translations: list[str | Path]) -> LabeledSet:
    """Translations of rows of a label file, with the labels of the rows they translate.

    Each translation file is a CSV ``row,title_en,abstract_en`` where ``row`` is the 0-based data
    row of ``path``; a translated row keeps the original's group (``<stem>:<line>``), so it can be
    matched to the original in cross-validation.  Rows the original file rejected are rejected.
    """
    path = Path(path)
    base = read_labels(path)
    index = {g: i for i, g in enumerate(base.groups)}
    out = LabeledSet(source=f"{path.name} (translated)")
    for tpath in map(Path, translations):
        for number, row in _read_csv(tpath):
            group = f"{path.stem}:{int(row['row']) + 2}"
            i = index.get(group)
            text = join_parts([row.get("title_en") or "", row.get("abstract_en") or ""])
            if i is None:
                out.rejects.append((f"{tpath.name} row {number}", f"{group} is not a labelled row of {path.name}"))
            elif not text:
                out.rejects.append((f"{tpath.name} row {number}", "no text"))
            else:
                out.add(text, base.labels[i], list(base.fine[i]), group)
    return out


def _read_csv(path: Path):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            yield number, {(k or "").strip(): v for k, v in row.items() if k is not None}


def _read_jsonl(path: Path, out: LabeledSet):
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.rejects.append((f"line {number}", f"not JSON: {exc.msg}"))
                continue
            if not isinstance(row, dict):
                out.rejects.append((f"line {number}", "not a JSON object"))
                continue
            yield number, {k: ("" if v is None else str(v)) for k, v in row.items()}
