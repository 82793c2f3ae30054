"""Vocabularies of the specialization stage, read from the package data (see ``data/SOURCES.md``).

Levels of the method and the classification each one uses:

- ``export``: foreign-trade commodity groups (HS / FEACN chapters grouped as regional statistics do);
- ``national`` and ``macroregional``: economic-activity sections A..U (NACE rev. 2 / OKVED2);
- ``st``: GRNTI level-1 rubrics.

>>> hs_chapter_group("73"), hs_chapter_group(8), hs_chapter_group("94")
('72-83', '01-24', 'other')
>>> category_names("national", "en")["C"], category_names("macroregional", "ru")["C"]
('Manufacturing', 'Обрабатывающие производства')
>>> category_names("st", "en")["53"]
'Metallurgy'
>>> phrase("st_part", "en")
'S&T competences of the region in'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"
CASE_DIR = DATA_DIR / "cases" / "central_black_earth"

LEVELS = ("export", "national", "macroregional", "st")
MATRIX_LEVELS = ("export", "national", "macroregional")
SCENARIO_KEYS = {"export": "global", "national": "national", "macroregional": "macroregional"}
LANGS = ("en", "ru")
DEFAULT_CONCORDANCE = DATA_DIR / "concordance_default.csv"


def read_data_csv(path: Path) -> pd.DataFrame:
    """A vocabulary CSV with every column as text ("05" stays "05", empty stays "")."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return lang


@cache
def _phrases() -> dict[str, dict[str, str]]:
    table = read_data_csv(DATA_DIR / "phrases.csv")
    return {row.key: {"en": row.en, "ru": row.ru} for row in table.itertuples(index=False)}


def phrase(key: str, lang: str, **values: object) -> str:
    """A user-facing phrase from ``data/phrases.csv``, with ``{placeholders}`` filled in."""
    text = _phrases()[key][check_lang(lang)]
    return text.format(**values) if values else text


@cache
def _hs_chapters() -> dict[str, str]:
    table = read_data_csv(DATA_DIR / "hs_chapters.csv")
    return dict(zip(table["chapter"], table["group"], strict=True))


def hs_chapter_group(chapter: str | int) -> str:
    """The commodity group of an HS / FEACN chapter (01..97); ValueError for anything else."""
    key = f"{int(chapter):02d}" if str(chapter).strip().isdigit() else str(chapter)
    try:
        return _hs_chapters()[key]
    except KeyError:
        raise ValueError(f"{chapter!r} is not an HS chapter 01..97") from None


@cache
def _vocabulary(level: str) -> pd.DataFrame:
    if level == "export":
        table = read_data_csv(DATA_DIR / "commodity_groups.csv").rename(columns={"group": "code"})
    elif level in ("national", "macroregional"):
        table = read_data_csv(DATA_DIR / "activity_sections.csv").rename(columns={"section": "code"})
    elif level == "st":
        table = read_data_csv(DATA_DIR / "grnti_level1.csv")
    else:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return table[["code", "name_en", "name_ru"]]


def category_names(level: str, lang: str) -> dict[str, str]:
    """Code -> name of the shipped vocabulary of a level, in vocabulary order."""
    table = _vocabulary(level)
    return dict(zip(table["code"], table[f"name_{check_lang(lang)}"], strict=True))


def category_order(level: str) -> list[str]:
    """Codes of a level's vocabulary in their natural order (groups by chapter, sections A..U)."""
    return list(_vocabulary(level)["code"])


@cache
def region_names(lang: str) -> dict[str, str]:
    """Names of the regions the package knows (the bundled case's regions)."""
    table = read_data_csv(CASE_DIR / "regions.csv")
    return dict(zip(table["region"], table[f"name_{check_lang(lang)}"], strict=True))


class Names:
    """Display names of categories and regions in one language.

    A coefficients table may carry its own names: ``category_name_en`` / ``category_name_ru``
    columns win for their language; a plain ``category_name`` column is taken to be English (as in
    the published case). Otherwise the shipped vocabulary gives the name, and the code itself is
    the last resort.
    """

    def __init__(self, coefficients: pd.DataFrame | None, lang: str):
        self.lang = check_lang(lang)
        self._own: dict[tuple[str, str], str] = {}
        if coefficients is not None:
            columns = [f"category_name_{lang}"] + (["category_name"] if lang == "en" else [])
            for column in reversed(columns):  # the more specific column is applied last and wins
                if column not in coefficients.columns:
                    continue
                named = coefficients[["level", "category", column]].dropna()
                for level, code, name in named.itertuples(index=False):
                    if str(name).strip():
                        self._own[(_vocabulary_level(level), code)] = str(name).strip()

    def category(self, level: str, code: str) -> str:
        key = (_vocabulary_level(level), code)
        if key in self._own:
            return self._own[key]
        return category_names(level, self.lang).get(code, code)

    def rubric(self, code: str) -> str:
        return self.category("st", code)

    def region(self, code: str) -> str:
        return region_names(self.lang).get(code, code)


def _vocabulary_level(level: str) -> str:
    return "national" if level == "macroregional" else level
