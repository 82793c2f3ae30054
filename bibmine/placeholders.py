"""Placeholder values: what vendors print where a field is empty.

Lens.org writes ``NA`` in an empty PMID column, Scopus ``[No author name available]``,
Web of Science ``[Anonymous]``.  Taken at face value they make unrelated records share
an "identifier" or a "first author"; bibmine treats them as missing everywhere
(identifiers, author names, titles).  The list is data: ``bibmine/corpus/data/placeholders.txt``.

A leaf module (it imports no stage): the readers and the corpus both use it.

>>> is_placeholder("NA"), is_placeholder(" [No author name available] "), is_placeholder("0")
(True, True, True)
>>> is_placeholder("Nakamura"), is_placeholder("10.1000/x")
(False, False)
>>> is_placeholder(None), is_placeholder("   ")
(True, True)
"""

from __future__ import annotations

from importlib import resources


def _load() -> frozenset[str]:
    # the corpus package's data folder, reached from bibmine's root so that bibmine.corpus is not imported
    text = (resources.files("bibmine") / "corpus" / "data" / "placeholders.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("# "))


PLACEHOLDERS = _load()


def is_placeholder(value: str | None) -> bool:
    """True for a missing value: None, blank, or a vendor's placeholder (``NA``, ``[Anonymous]``, ...)."""
    if value is None:
        return True
    key = value.strip().casefold()
    return not key or key in PLACEHOLDERS


def clean(value: str | None) -> str | None:
    """The value, or None when it is a placeholder."""
    return None if is_placeholder(value) else value
