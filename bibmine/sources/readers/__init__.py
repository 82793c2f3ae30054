"""File readers, found by format sniffing; see :mod:`bibmine.sources.readers.base`.

Every module in this package that defines ``READERS`` (a list of ReaderSpec) is
registered automatically.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bibmine.sources.readers.base import ReaderSpec


@cache
def all_readers() -> tuple[ReaderSpec, ...]:
    """Every registered reader, in sniffing order (specific formats before generic ones)."""
    specs: list[ReaderSpec] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        specs.extend(getattr(module, "READERS", ()))
    return tuple(sorted(specs, key=lambda s: (s.priority, s.name)))


def reader_by_name(name: str) -> ReaderSpec:
    for spec in all_readers():
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in all_readers())
    raise KeyError(f"unknown format {name!r}; known formats: {known}")
