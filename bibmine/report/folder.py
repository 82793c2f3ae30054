"""Read the files of a study folder (``docs/study-layout.md``) for the report.

Every file is optional. A file that is absent, unreadable or of the wrong shape gives ``None``
and a :class:`Problem` naming the file and what is wrong; the report shows it where the data
would have been. Nothing here raises for bad input.
"""

from __future__ import annotations

import base64
import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bibmine.report.phrases import LANGS, check_lang, phrase

# Parameter names whose values are never shown (API keys, tokens, e-mail of a crawler's User-Agent).
SECRET_KEY = re.compile(r"key|token|secret|passw|auth|cookie|credential|mail|session", re.IGNORECASE)
SECRET_VALUE = re.compile(r"(api[_-]?key|token|secret|passw\w*|access[_-]?key|mailto)=[^&\s]+", re.IGNORECASE)


@dataclass
class Problem:
    file: str  # relative to the study folder
    kind: str  # missing | unreadable | rows | other_lang
    detail: str = ""

    def text(self, lang: str, stage: str = "") -> str:
        if self.kind == "missing":
            return phrase("note_missing", lang, file=self.file, stage=stage or "?")
        if self.kind == "other_lang":
            return phrase("note_other_lang", lang, file=self.file, other=self.detail)
        return phrase(f"note_{self.kind}", lang, file=self.file, detail=self.detail)


@dataclass
class StudyFolder:
    folder: Path
    lang: str
    problems: list[Problem] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        check_lang(self.lang)

    # ---- low level ------------------------------------------------------------------------------------
    def _problem(self, rel: str, kind: str, detail: str = "") -> None:
        self.problems.append(Problem(rel, kind, detail))

    def problems_for(self, prefix: str) -> list[Problem]:
        return [p for p in self.problems if p.file.startswith(prefix)]

    def exists(self, rel: str) -> bool:
        return (self.folder / rel).is_file()

    def read_json(self, rel: str, expect: type = dict):
        """The JSON file ``rel`` (read once: later calls give the same value and add no problem)."""
        key = ("json", rel, expect)
        if key not in self._cache:
            self._cache[key] = self._read_json(rel, expect)
        return self._cache[key]

    def _read_json(self, rel: str, expect: type):
        path = self.folder / rel
        if not path.is_file():
            self._problem(rel, "missing")
            return None
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._problem(rel, "unreadable", f"{type(exc).__name__}: {exc}")
            return None
        if not isinstance(data, expect):
            self._problem(rel, "unreadable", f"expected a JSON {expect.__name__}, found {type(data).__name__}")
            return None
        return data

    def read_csv(self, rel: str, required: tuple[str, ...] = ()) -> list[dict] | None:
        path = self.folder / rel
        if not path.is_file():
            self._problem(rel, "missing")
            return None
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = list(reader)
                header = reader.fieldnames or []
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self._problem(rel, "unreadable", f"{type(exc).__name__}: {exc}")
            return None
        missing = [c for c in required if c not in header]
        if missing:
            self._problem(rel, "unreadable", f"missing column(s) {', '.join(missing)}")
            return None
        return rows

    def png_uri(self, rel: str) -> str | None:
        """A PNG of the folder as a data URI; None (and a problem) when absent or not a PNG."""
        path = self.folder / rel
        if not path.is_file():
            self._problem(rel, "missing")
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._problem(rel, "unreadable", str(exc))
            return None
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            self._problem(rel, "unreadable", "not a PNG image")
            return None
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    def lang_path(self, pattern: str) -> str | None:
        """``pattern`` with ``{lang}`` in the report's language, else in another one (noted); None if neither."""
        for lang in (self.lang, *[x for x in LANGS if x != self.lang]):
            rel = pattern.format(lang=lang)
            if self.exists(rel):
                if lang != self.lang:
                    self._problem(pattern.format(lang=self.lang), "other_lang", lang)
                return rel
        self._problem(pattern.format(lang=self.lang), "missing")
        return None

    # ---- the contract's files -------------------------------------------------------------------------
    def manifest(self) -> dict | None:
        return self.read_json("manifest.json")

    def parameter(self, section: str, name: str, default=None):
        """A study parameter (``manifest.json`` -> parameters -> section -> name) or ``default``."""
        params = (self.manifest() or {}).get("parameters")
        if isinstance(params, dict) and isinstance(params.get(section), dict):
            return params[section].get(name, default)
        return default

    def coefficients(self) -> pd.DataFrame | None:
        rel = "specialization/coefficients.csv"
        if not self.exists(rel):
            self._problem(rel, "missing")
            return None
        from bibmine.specialization.inputs import read_coefficients

        try:
            table, problems = read_coefficients(self.folder / rel)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self._problem(rel, "unreadable", f"{type(exc).__name__}: {exc}")
            return None
        if problems:
            self._problem(rel, "rows", f"{len(problems)} row(s) skipped; first: {problems[0]}")
        return table if not table.empty else None

    def scenarios(self) -> dict[str, dict | str]:
        """Region -> scenario JSON (dict), or its text when only the ``.txt`` is there."""
        folder = self.folder / "specialization" / "scenarios"
        if not folder.is_dir():
            self._problem("specialization/scenarios/", "missing")
            return {}
        found = {p.name.split(".")[0] for p in folder.iterdir() if p.suffix in (".json", ".txt")}
        study = self.parameter("regions", "regions") or []
        order = {r: i for i, r in enumerate(study)} if isinstance(study, list) else {}
        regions = sorted(found, key=lambda r: (order.get(r, len(order)), r))  # the study's order, then the rest
        out: dict[str, dict | str] = {}
        for region in regions:
            rel = self.lang_path(f"specialization/scenarios/{region}.{{lang}}.json")
            data = self.read_json(rel) if rel else None
            if data is not None:
                out[region] = data
                continue
            text_rel = self.lang_path(f"specialization/scenarios/{region}.{{lang}}.txt")
            if text_rel:
                try:
                    out[region] = (self.folder / text_rel).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    self._problem(text_rel, "unreadable", str(exc))
        return out

    def map_folders(self) -> list[str]:
        folder = self.folder / "maps"
        if not folder.is_dir():
            self._problem("maps/", "missing")
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir())


def redact(value: object, key: str = "") -> object:
    """A parameter value safe to show: secrets (by key name or ``key=...`` in text) replaced.

    >>> redact("abc", "api_key"), redact("https://x.org/?api_key=123&q=1"), redact({"token": "t", "n": 3})
    ('[redacted]', 'https://x.org/?api_key=[redacted]&q=1', {'token': '[redacted]', 'n': 3})
    """
    if key and SECRET_KEY.search(key):
        return "[redacted]"
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return SECRET_VALUE.sub(lambda m: f"{m.group(1)}=[redacted]", value)
    return value


def flatten(data: object, prefix: str = "", limit: int = 200) -> list[tuple[str, str]]:
    """Nested dicts as ``(dotted.key, value)`` rows, lists joined; secrets redacted.

    >>> flatten({"a": {"b": 1, "c": [1, 2]}, "password": "x"})
    [('a.b', '1'), ('a.c', '1, 2'), ('password', '[redacted]')]
    """
    rows: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            rows += [(name, "[redacted]")] if SECRET_KEY.search(str(key)) else flatten(value, name, limit)
            if len(rows) >= limit:
                return rows[:limit]
    elif isinstance(data, list):
        shown = redact(data)
        text = ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v) for v in shown)
        rows.append((prefix, text))
    else:
        rows.append((prefix, str(redact(data))))
    return rows
