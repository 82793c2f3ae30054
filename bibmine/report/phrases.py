"""Fixed texts of the report and workbook in English and Russian, read from ``data/phrases.csv``.

>>> phrase("sec_corpus", "en"), phrase("sec_corpus", "ru")
('Corpus summary and completeness', 'Корпус: состав и полнота')
>>> phrase("note_missing", "en", file="corpus/stats.json", stage="corpus")[:40]
'corpus/stats.json is not in the study fo'
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from bibmine.specialization.vocab import LANGS, check_lang

DATA_DIR = Path(__file__).resolve().parent / "data"
__all__ = ["LANGS", "check_lang", "phrase", "phrases"]


@cache
def phrases() -> dict[str, dict[str, str]]:
    """Every phrase: key -> {"en": ..., "ru": ...}."""
    with open(DATA_DIR / "phrases.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = {}
    for number, row in enumerate(rows, start=2):
        if not row.get("key") or not row.get("en") or not row.get("ru"):
            raise ValueError(f"{DATA_DIR / 'phrases.csv'}, line {number}: a phrase needs key, en and ru")
        out[row["key"]] = {"en": row["en"], "ru": row["ru"]}
    return out


def phrase(key: str, lang: str, **values: object) -> str:
    """The phrase ``key`` in ``lang`` with its ``{placeholders}`` filled in."""
    try:
        text = phrases()[key][check_lang(lang)]
    except KeyError:
        raise KeyError(f"no phrase {key!r} in {DATA_DIR / 'phrases.csv'}") from None
    return text.format(**values) if values else text
