"""Search seeds for ``--region``: a federal subject's names and its main towns.

>>> r = region("ru-lip")
>>> r.iso, r.cities_en, r.cities_ru
('RU-LIP', ('Lipetsk', 'Yelets'), ('Липецк', 'Елец'))
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Region:
    iso: str
    name_en: str
    name_ru: str
    cities_en: tuple[str, ...]
    cities_ru: tuple[str, ...]


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Every federal subject in ``data/crawl_regions.csv`` by ISO 3166-2 code."""
    text = (resources.files("bibmine.sources.crawl") / "data" / "crawl_regions.csv").read_text("utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["iso"]] = Region(
            iso=row["iso"], name_en=row["name_en"], name_ru=row["name_ru"],
            cities_en=tuple(c.strip() for c in row["cities_en"].split(";") if c.strip()),
            cities_ru=tuple(c.strip() for c in row["cities_ru"].split(";") if c.strip()))
    return out


def region(code: str) -> Region:
    """The region with this ISO code (case-insensitive, ``RU-`` optional); KeyError names the valid ones."""
    key = code.strip().upper()
    if not key.startswith("RU-"):
        key = "RU-" + key
    table = regions()
    if key not in table:
        raise KeyError(f"unknown region {code!r}; use an ISO 3166-2:RU code such as RU-LIP, RU-VOR "
                       f"({len(table)} known: {', '.join(sorted(table)[:6])}, ...)")
    return table[key]
