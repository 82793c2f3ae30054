"""The managed thesaurus: one set of merges applied the same way in every map.

A thesaurus maps an item (matched on its folded form, see :func:`norm_key`) to the label
that replaces it, or to nothing, which drops the item (VOSviewer's rule: an empty
``replace by`` means "ignore").  Two files hold one:

- a VOSviewer thesaurus file, tab-separated with the header ``label<TAB>replace by``
  (:func:`read_thesaurus` / :func:`write_thesaurus`);
- the review file that :mod:`bibmine.maps.candidates` writes, a CSV with ``label``,
  ``replace_by``, ``reason``, ``score``, ``support`` and ``accept``; only rows whose
  ``accept`` is yes/y/1/true/x/да are used.

>>> t = Thesaurus({"gdp": "gross domestic product", "conclusion": None})
>>> t.apply("GDP"), t.apply("Conclusion"), t.apply("soil")
('gross domestic product', None, 'soil')
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bibmine.maps.items import norm_key
from bibmine.safe_csv import restore_cell

ACCEPT_VALUES = frozenset({"yes", "y", "1", "true", "x", "да", "+"})
HEADER = ("label", "replace by")
_KEEP = object()


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be used; the message names the file and line."""


class Thesaurus:
    """Replacement labels by folded label; ``None`` as a replacement drops the item."""

    def __init__(self, mapping: dict[str, str | None] | None = None):
        self._raw: dict[str, str | None] = {}
        for label, replacement in (mapping or {}).items():
            self.add(label, replacement)

    def add(self, label: str, replacement: str | None) -> None:
        key = norm_key(label)
        if not key:
            raise ThesaurusError(f"empty label in thesaurus (replace by {replacement!r})")
        replacement = " ".join(replacement.split()) if replacement and replacement.strip() else None
        if replacement is not None and norm_key(replacement) == key:
            return  # a self-merge changes nothing
        self._raw[key] = replacement

    def __len__(self) -> int:
        return len(self._raw)

    def __bool__(self) -> bool:
        return bool(self._raw)

    def apply(self, label: str) -> str | None:
        """The label to use instead (chains followed), ``label`` itself, or None to drop it."""
        key = norm_key(label)
        seen = {key}
        current: str | None = label
        while key in self._raw:
            current = self._raw[key]
            if current is None:
                return None
            key = norm_key(current)
            if key in seen:  # a cycle a -> b -> a: stop at the first replacement
                break
            seen.add(key)
        return current

    def rows(self) -> list[tuple[str, str]]:
        """(label, replace by) pairs, sorted, "" for a dropped label."""
        return sorted((k, v or "") for k, v in self._raw.items())


def read_thesaurus(path: str | Path) -> Thesaurus:
    """A VOSviewer thesaurus file or a reviewed candidates CSV (accepted rows only)."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ("," if "," in first else ";")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ThesaurusError(f"{path}: empty thesaurus file")
    header = [h.strip().lower() for h in rows[0]]
    thesaurus = Thesaurus()
    if header[:2] == ["label", "replace by"]:
        for n, row in enumerate(rows[1:], start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if not row[0].strip():
                raise ThesaurusError(f"{path}: line {n}: empty label")
            thesaurus.add(restore_cell(row[0]), restore_cell(row[1]) if len(row) > 1 else None)
        return thesaurus
    if "label" in header and "replace_by" in header and "accept" in header:
        li, ri, ai = header.index("label"), header.index("replace_by"), header.index("accept")
        for n, row in enumerate(rows[1:], start=2):
            if len(row) <= max(li, ri, ai):
                if any(c.strip() for c in row):
                    raise ThesaurusError(f"{path}: line {n}: {len(row)} columns, the header has {len(header)}")
                continue
            if row[ai].strip().lower() in ACCEPT_VALUES:
                thesaurus.add(restore_cell(row[li]), restore_cell(row[ri]))
        return thesaurus
    raise ThesaurusError(
        f"{path}: line 1 must be 'label<TAB>replace by' (VOSviewer) or a review CSV with "
        f"label, replace_by and accept columns; found {rows[0]!r}"
    )


def write_thesaurus(thesaurus: Thesaurus, path: str | Path) -> Path:
    """Write a VOSviewer thesaurus file (UTF-8 with BOM, tab-separated, quoted where needed)."""
    from bibmine.maps.vos_text import quote_field

    path = Path(path)
    lines = ["\t".join(HEADER)]
    lines += [f"{quote_field(label)}\t{quote_field(repl)}" for label, repl in thesaurus.rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path
