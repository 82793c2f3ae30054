"""File readers, found by format sniffing; see :mod:`bibmine.sources.readers.base`.

Every module in this package that defines ``READERS`` (a list of ReaderSpec) is
registered automatically.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

from bibmine.record import Record
from bibmine.sources.readers.base import ReaderSpec, ReadResult, drop_placeholders


@cache
def all_readers() -> tuple[ReaderSpec, ...]:
    """Every registered reader, in sniffing order (specific formats before generic ones)."""
    specs: list[ReaderSpec] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        specs.extend(dataclasses.replace(s, read=_guarded(s.read)) for s in getattr(module, "READERS", ()))
    return tuple(sorted(specs, key=lambda s: (s.priority, s.name)))


def _guarded(read: Callable[[Path, str], ReadResult]) -> Callable[[Path, str], ReadResult]:
    """``read`` with placeholder ids, names and titles dropped from every Record (one guard for all readers)."""

    @functools.wraps(read)
    def guarded(path: Path, encoding: str) -> ReadResult:
        for item in read(path, encoding):
            yield drop_placeholders(item) if isinstance(item, Record) else item

    return guarded


def reader_by_name(name: str) -> ReaderSpec:
    for spec in all_readers():
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in all_readers())
    raise KeyError(f"unknown format {name!r}; known formats: {known}")
