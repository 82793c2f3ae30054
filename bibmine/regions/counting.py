"""Counting rules: how much of a record each region gets.

Pure functions over :class:`bibmine.corpus.model.Record` whose affiliations the
regions stage has placed (``Affiliation.region`` / ``.country``).  A *unit* is the
region code for Russian affiliations (``RU-VOR``), the country code for foreign ones
(``DE``), or the macroregion / country when counting at those levels.

Modes
-----
``whole``
    Each distinct unit among the record's placed affiliations counts 1 (a record with
    Voronezh and Moscow affiliations adds 1 to each; totals exceed the record count).
``affiliation``
    Fractional by affiliation: each of the record's N affiliations carries 1/N; an
    affiliation that could not be placed keeps its share in ``unplaced``.
``author``
    Fractional by author: each of the A authors carries 1/A, split equally over that
    author's affiliations; an author linked to no affiliation, or only to unplaced
    ones, keeps the share in ``unplaced``.  Records whose authors carry no affiliation
    links cannot be counted this way: their whole share goes to ``unplaced`` with the
    note ``no author-affiliation links`` (never silently re-counted by affiliation).

In the fractional modes every record adds exactly 1 (placed shares + unplaced share).
Records with no placed affiliation at all are listed in :attr:`CountTable.unplaced_records`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bibmine.corpus.model import Affiliation, Record

MODES = ("whole", "affiliation", "author")
LEVELS = ("subject", "macroregion", "country")


@dataclass
class RecordCount:
    record_id: str | None
    shares: dict[str, float]
    unplaced: float  # share that stayed unplaced (0 in whole mode)
    note: str | None = None


@dataclass
class CountTable:
    mode: str
    level: str
    totals: dict[str, float] = field(default_factory=dict)
    records: int = 0
    unplaced_share: float = 0.0
    unplaced_records: list[str | None] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)

    @property
    def share_unplaced_records(self) -> float | None:
        return len(self.unplaced_records) / self.records if self.records else None


def unit_of(aff: Affiliation, level: str = "subject", macro_of: Callable[[str], str | None] | None = None):
    """The counting unit of one placed affiliation, or None when it is not placed."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if level == "country":
        return aff.country
    if aff.region:
        if level == "macroregion":
            if macro_of is None:
                raise ValueError("counting by macroregion needs macro_of")
            return macro_of(aff.region)
        return aff.region
    if aff.country and aff.country != "RU":
        return aff.country
    return None


def record_shares(record: Record, mode: str = "whole", level: str = "subject", macro_of=None) -> RecordCount:
    """Shares of one record by unit; see the module docstring for the modes."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    units = [unit_of(a, level, macro_of) for a in record.affiliations]
    if not record.affiliations:
        return RecordCount(record.id, {}, 0.0 if mode == "whole" else 1.0, "no affiliations")
    if mode == "whole":
        return RecordCount(record.id, {u: 1.0 for u in dict.fromkeys(u for u in units if u)}, 0.0)
    shares: dict[str, float] = {}
    unplaced = 0.0
    if mode == "affiliation":
        part = 1.0 / len(units)
        for u in units:
            if u:
                shares[u] = shares.get(u, 0.0) + part
            else:
                unplaced += part
        return RecordCount(record.id, shares, unplaced)
    if not record.authors or not any(a.affiliations for a in record.authors):
        return RecordCount(record.id, {}, 1.0, "no author-affiliation links")
    part = 1.0 / len(record.authors)
    for author in record.authors:
        links = [i for i in author.affiliations if 0 <= i < len(units)]
        if not links:
            unplaced += part
            continue
        sub = part / len(links)
        for i in links:
            if units[i]:
                shares[units[i]] = shares.get(units[i], 0.0) + sub
            else:
                unplaced += sub
    return RecordCount(record.id, shares, unplaced)


def count_records(records: Iterable[Record], mode: str = "whole", level: str = "subject",
                  macro_of=None) -> CountTable:
    """Totals over many records, with the unplaced share and the unplaced records reported."""
    table = CountTable(mode=mode, level=level)
    for record in records:
        rc = record_shares(record, mode, level, macro_of)
        table.records += 1
        for unit, value in rc.shares.items():
            table.totals[unit] = table.totals.get(unit, 0.0) + value
        table.unplaced_share += rc.unplaced
        if not rc.shares:
            table.unplaced_records.append(rc.record_id)
        if rc.note:
            table.notes[rc.note] += 1
    return table
