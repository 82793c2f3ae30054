"""Check files against VOSviewer's file rules and report every violation, not just the first.

Rules come from the VOSviewer Manual 1.6.18 (ch. 4: map files need an id or label column,
sublabel needs label, x and y go together, weight and normalized weight exclude each other,
score excludes red/green/blue which go together, clusters are integers 1..1000, weights
non-negative, colours 0..255, network files have 2 or 3 columns with ids present in the map
and positive strengths; thesaurus files have a ``label`` / ``replace by`` header) and from
VOSviewer Online's file checks (at least three items, unique non-empty ids, numeric x/y and
scores, balanced quotes, no duplicate columns, items not all on one point).

>>> str(Violation("map.txt", 3, "cluster", "cluster 0 is not an integer 1..1000"))
'map.txt:3: error [cluster] cluster 0 is not an integer 1..1000'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bibmine.maps.labels import misread_reason
from bibmine.safe_csv import restore_cell

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
KNOWN_COLUMNS = {"id", "label", "sublabel", "description", "url", "x", "y", "cluster", "weight",
                 "normalized weight", "score", "red", "green", "blue"}


@dataclass(frozen=True)
class Violation:
    file: str
    line: int | None
    rule: str
    message: str
    severity: str = "error"  # error: VOSviewer refuses or misreads the file; warning: suspicious

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity} [{self.rule}] {self.message}"


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _decode(path: Path, out: list[Violation]) -> str | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.append(Violation(str(path), line, "encoding", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset "
                                                           f"{exc.start}; save the file as UTF-8"))
        return None
    if not text.strip():
        out.append(Violation(str(path), None, "empty", "the file is empty"))
        return None
    return text


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_rows(text: str, sep: str) -> list[tuple[int, list[str], list[str]]]:
    """(line number, fields, quote problems) per row; quoted fields may hold separators and line breaks."""
    if '"' not in text:  # no quoted field: a row is a line (a network file of 200,000 links in C, not per character)
        return [(k, fields, []) for k, fields in enumerate((line.split(sep) for line in _LINE_BREAK.split(text)),
                                                         start=1) if len(fields) > 1 or fields[0].strip()]
    return _split_quoted(text, sep)


def _split_quoted(text: str, sep: str) -> list[tuple[int, list[str], list[str]]]:
    rows: list[tuple[int, list[str], list[str]]] = []
    fields: list[str] = []
    buf: list[str] = []
    problems: list[str] = []
    line, start_line = 1, 1
    i, n = 0, len(text)
    in_quotes = after_quote = False
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    buf.append('"')
                    i += 1
                else:
                    in_quotes, after_quote = False, True
            else:
                if c == "\n":
                    line += 1
                buf.append(c)
        elif c == sep:
            fields.append("".join(buf))
            buf, after_quote = [], False
        elif c in "\r\n":
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            fields.append("".join(buf))
            if any(f.strip() for f in fields) or len(fields) > 1:
                rows.append((start_line, fields, problems))
            fields, buf, problems, after_quote = [], [], [], False
            line += 1
            start_line = line
        elif c == '"' and not buf:
            in_quotes = True
        else:
            if after_quote and not c.isspace():
                problems.append("text after a closing quote")
                after_quote = False
            elif c == '"':
                problems.append("a quote inside an unquoted field")
            buf.append(c)
        i += 1
    if in_quotes:
        problems.append("a quote that is never closed")
    fields.append("".join(buf))
    if any(f.strip() for f in fields) or len(fields) > 1:
        rows.append((start_line, fields, problems))
    return rows


def _separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first else (";" if ";" in first else ",")


def _rows(path: Path, out: list[Violation]) -> list[tuple[int, list[str]]] | None:
    text = _decode(path, out)
    if text is None:
        return None
    rows = []
    for line, fields, problems in split_rows(text, _separator(text)):
        for p in problems:
            sev = "warning" if p.startswith("a quote inside") else "error"
            out.append(Violation(str(path), line, "quotes", p, sev))
        rows.append((line, fields))
    return rows


# ---------------------------------------------------------------- map files


def validate_map(path: str | Path, *, with_network: bool = False) -> tuple[list[Violation], set[str]]:
    """Violations of a map file, and its item ids (for checking a network file)."""
    path = Path(path)
    out: list[Violation] = []
    rows = _rows(path, out)
    if not rows:
        return out, set()
    f = str(path)
    (_, header), data = rows[0], rows[1:]
    cols = [h.strip() for h in header]

    def bad(line, rule, msg, severity="error"):
        out.append(Violation(f, line, rule, msg, severity))

    if not cols[0]:
        bad(1, "header", "the first column has no header; line 1 must name the columns")
    seen: set[str] = set()
    for c in cols:
        if c in seen:
            bad(1, "duplicate-column", f"column {c!r} appears more than once")
        seen.add(c)
        base = re.sub(r"<.*>$", "", c)
        if c and base not in KNOWN_COLUMNS:
            bad(1, "unknown-column", f"column {c!r} is not a VOSviewer map column", "warning")
    has = set(cols)
    if "id" not in has and "label" not in has:
        bad(1, "columns", "there must be an id column or a label column")
    if with_network and "id" not in has:
        bad(1, "columns", "an id column is needed when a network file is used")
    if "sublabel" in has and "label" not in has:
        bad(1, "columns", "a sublabel column needs a label column")
    if ("x" in has) != ("y" in has):
        bad(1, "columns", "the x and y columns must be used together")
    if not with_network and not ({"x", "y"} <= has):
        bad(1, "columns", "without a network file the map needs x and y columns")
    if "weight" in has and "normalized weight" in has:
        bad(1, "columns", "the weight and normalized weight columns cannot be used together")
    rgb = {"red", "green", "blue"} & has
    if rgb and rgb != {"red", "green", "blue"}:
        bad(1, "columns", "the red, green and blue columns must be used together")
    if rgb and any(c == "score" or c.startswith("score<") for c in cols):
        bad(1, "columns", "score columns and red/green/blue columns cannot be used together")
    if len(data) < 3:
        bad(None, "items", f"{len(data)} items; VOSviewer Online needs at least 3")

    ids: dict[str, int] = {}
    coords: set[tuple[str, str]] = set()
    for line, row in data:
        if len(row) != len(cols):
            bad(line, "field-count", f"{len(row)} fields, the header has {len(cols)}")
            continue
        rec = dict(zip(cols, row, strict=True))
        if "id" in rec:
            iid = rec["id"].strip()
            if not iid:
                bad(line, "id", "the id is empty")
            elif iid in ids:
                bad(line, "id", f"id {iid!r} is not unique (first on line {ids[iid]})")
            else:
                ids[iid] = line
        for c in ("x", "y"):
            if c in rec and not _is_number(rec[c]):
                bad(line, "x-y", f"{c} is not a number: {rec[c]!r}")
        if "x" in rec and "y" in rec:
            coords.add((rec["x"].strip(), rec["y"].strip()))
        for c, v in zip(cols, row, strict=True):  # by position: a duplicated column is checked twice
            if c == "weight" or c.startswith("weight<") or c == "normalized weight":
                if not _is_number(v) or float(v) < 0:
                    bad(line, "weight", f"{c} must be a non-negative number, not {v!r}")
            elif (c == "score" or c.startswith("score<")) and v.strip() and not _is_number(v):
                bad(line, "score", f"{c} is not a number: {v!r}")
            elif c in ("red", "green", "blue") and not (v.strip().isdigit() and 0 <= int(v) <= 255):
                bad(line, "color", f"{c} must be an integer 0..255, not {v!r}")
        if "label" in rec:
            reason = misread_reason(restore_cell(rec["label"]))
            if reason is not None:
                bad(line, "label", f"label {rec['label']!r}: {reason}", "warning")
        cl = rec.get("cluster", "").strip()
        if cl and not (re.fullmatch(r"[+-]?\d+", cl) and 1 <= int(cl) <= 1000):
            bad(line, "cluster", f"cluster {cl!r} is not an integer 1..1000")
    if len(data) >= 2 and len(coords) == 1:
        bad(None, "x-y", "all items have the same coordinates")
    return out, set(ids)


# ---------------------------------------------------------------- network files


def validate_network(path: str | Path, map_ids: set[str] | None = None) -> list[Violation]:
    path = Path(path)
    out: list[Violation] = []
    rows = _rows(path, out)
    if not rows:
        return out
    f = str(path)
    width = len(rows[0][1])
    if width not in (2, 3):
        out.append(Violation(f, rows[0][0], "field-count", f"{width} fields; a network file has 2 or 3 columns"))
    for line, row in rows:
        if len(row) != width:
            out.append(Violation(f, line, "field-count", f"{len(row)} fields, line {rows[0][0]} has {width}"))
            continue
        a, b = row[0].strip(), row[1].strip()
        for iid in (a, b):
            if not iid or iid == "0":
                out.append(Violation(f, line, "id", f"id {iid!r} is empty or 0 (VOSviewer Online reads it as missing)"))
            elif map_ids is not None and iid not in map_ids:
                out.append(Violation(f, line, "unknown-id", f"id {iid!r} is not in the map file"))
        if a and a == b:
            out.append(Violation(f, line, "self-link", f"a link from {a!r} to itself", "warning"))
        if len(row) == 3:
            s = row[2].strip()
            if not _is_number(s) or float(s) < 0:
                out.append(Violation(f, line, "strength", f"strength must be a positive number, not {s!r}"))
            elif float(s) == 0:
                out.append(Violation(f, line, "strength", "strength 0 (the manual asks for positive numbers)",
                                     "warning"))
    return out


def validate_files(map_path: str | Path | None = None, network_path: str | Path | None = None) -> list[Violation]:
    """A map file, a network file, or the pair (network ids checked against the map)."""
    out: list[Violation] = []
    ids = None
    if map_path is not None:
        found, ids = validate_map(map_path, with_network=network_path is not None)
        out += found
    if network_path is not None:
        out += validate_network(network_path, ids if map_path is not None else None)
    return out


def validate_path(path: str | Path) -> list[Violation]:
    """Guess the file type (JSON, thesaurus, map or network) and validate it alone."""
    from bibmine.maps.validate_json import validate_json, validate_thesaurus

    path = Path(path)
    if path.suffix.lower() == ".json":
        return validate_json(path)
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").split("\n", 1)[0].lower()
    if head.replace('"', "").startswith(("label\treplace by", "label,replace by", "label;replace by")):
        return validate_thesaurus(path)
    cells = [c.strip().strip('"') for c in re.split(r"[\t;,]", head)]
    if cells and (cells[0] in ("id", "label") or any(c.startswith("weight<") for c in cells)):
        return validate_map(path)[0]
    return validate_network(path)
