"""The GRNTI rubricator, levels 1-3, as shipped package data (see ``data/SOURCES.md``).

>>> v = load_vocabulary()
>>> v["27"].name_ru, v["27"].name_en, v["27.17"].parent, v["27.17"].level
('Математика', 'Mathematics', '27', 2)
>>> len(v.codes(level=1)), v["27.17.19"].parent
(69, '27.17')
>>> normalize_code("650000"), normalize_code("34.17. Биология / Биофизика"), normalize_code("6")
('65', '34.17', '06')
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

SCHEME = "grnti"


@dataclass(frozen=True)
class Rubric:
    code: str  # "27", "27.17", "27.17.19"
    name_ru: str
    name_en: str | None = None
    parent: str | None = None
    excluded: bool = False  # withdrawn from the rubricator (old records may still carry it)

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


@dataclass
class Vocabulary:
    """All rubrics by code, with children lists and zero-shot descriptions."""

    rubrics: dict[str, Rubric]
    children: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.children:
            for r in self.rubrics.values():
                if r.parent:
                    self.children.setdefault(r.parent, []).append(r.code)

    def __getitem__(self, code: str) -> Rubric:
        return self.rubrics[code]

    def __contains__(self, code: object) -> bool:
        return code in self.rubrics

    def codes(self, level: int, include_excluded: bool = False) -> list[str]:
        return sorted(
            c for c, r in self.rubrics.items() if r.level == level and (include_excluded or not r.excluded)
        )

    def name(self, code: str, lang: str = "ru") -> str | None:
        r = self.rubrics.get(code)
        if r is None:
            return None
        if lang == "en" and r.name_en:
            return r.name_en
        return r.name_ru

    def descendants(self, code: str, include_excluded: bool = False) -> list[str]:
        out: list[str] = []
        for child in self.children.get(code, []):
            if include_excluded or not self.rubrics[child].excluded:
                out.append(child)
                out.extend(self.descendants(child, include_excluded))
        return out

    def description(self, code: str, depth: int = 2, lang: str = "ru") -> str:
        """A rubric's own name followed by the names of its sub-rubrics (``depth`` levels down).

        >>> load_vocabulary().description("27.17", depth=1)[:60]
        'Алгебра. Полугруппы; Группы; Кольца и модули; Структуры; Уни'
        """
        r = self.rubrics[code]
        parts = [self.name(code, lang) or r.name_ru]
        names = []
        frontier = [code]
        for _ in range(depth):
            nxt = []
            for c in frontier:
                for child in self.children.get(c, []):
                    if not self.rubrics[child].excluded:
                        nxt.append(child)
                        en = lang == "en" and self.rubrics[child].name_en
                        child_name = en or clean_name(self.rubrics[child].name_ru)
                        if not is_generic_name(child_name, "en" if en else "ru"):
                            names.append(child_name)
            frontier = nxt
        seen: set[str] = set()
        uniq = [n for n in names if not (n.lower() in seen or seen.add(n.lower()))]
        return ". ".join(p for p in parts if p) + (". " + "; ".join(uniq) if uniq else "")


_HYPHENATION = re.compile(r"(?<=[а-яё])-(?=(?:ск|ств|ни|ци|ов|ан|ен|ческ|тель|ров|ль|ваны|ны)[а-яё]*\b)")


def clean_name(name: str) -> str:
    """Join the PDF hyphenation left in a few names and drop generic boilerplate.

    >>> clean_name("Организация научно-исследователь-ской работы")
    'Организация научно-исследовательской работы'
    """
    return _HYPHENATION.sub("", name).strip()


# Sub-rubrics that every section repeats ("Общие вопросы ...", "Кадры", ...) say nothing about
# a rubric's topic, so descriptions leave them out.
_GENERIC = re.compile(
    r"^(?:Общие вопросы|Общие проблемы|Международное сотрудничество|Информационная деятельность|"
    r"Современное состояние|Руководящие материалы|Терминология|Материалы общего|Научные и техни|"
    r"Организация научно|Кадры|Персоналии|Научные общества|Патентное дело|Стандартизация|"
    r"Методология|История|Документы|Учебные|Справочн|Библиограф|Теоретические основы|"
    r"Экономика и организация|Правовые вопросы|Материально-техническ)",
    re.IGNORECASE,
)


_GENERIC_EN = re.compile(
    r"^(?:General (?:issues|problems|questions|materials)|International cooperation|Information (?:activit|support)|"
    r"Current state|Guid(?:ance|ing) (?:documents|materials)|Terminology|Scientific and technical|"
    r"Organization of (?:research|scientific)|Personnel|Personalia|Scientific societies|Patent|Standardi[sz]ation|"
    r"Methodology|History|Documents|Textbooks|Educational|Reference|Bibliograph|Theoretical foundations|"
    r"Economics and organi[sz]ation|Legal (?:issues|aspects|questions)|Material and technical)",
    re.IGNORECASE,
)
_GENERIC_BY_LANG = {"ru": _GENERIC, "en": _GENERIC_EN}


def is_generic_name(name: str, lang: str = "ru") -> bool:
    """True for boilerplate sub-rubric names that every section has (Russian or English names).

    >>> is_generic_name("Общие вопросы алгебры"), is_generic_name("Полугруппы")
    (True, False)
    >>> is_generic_name("General issues of algebra", "en"), is_generic_name("Semigroups", "en")
    (True, False)
    """
    return bool(_GENERIC_BY_LANG[lang].match(name))


_CODE_PREFIX = re.compile(r"^\s*(\d{1,2})(?:\.(\d{2}))?(?:\.(\d{2}))?(?!\d)")


def normalize_code(value: str | int | None, level: int | None = None) -> str | None:
    """A GRNTI code from the spellings label files use, cut to ``level`` when given.

    Accepts "06", "6", "06.81.23", "06.81", "06. экономика ...", and RuSciBench's six-digit
    "650000" (= 65.00.00, also as "60000" = 06.00.00 when a spreadsheet lost the zero).
    Returns None when the value holds no code.

    >>> normalize_code("06.81.23", level=1), normalize_code("x") is None, normalize_code("271700")
    ('06', True, '27.17')
    """
    if value is None:
        return None
    s = str(value).strip()
    if re.fullmatch(r"\d{5,6}", s):  # RuSciBench: 650000, or 60000 with the zero lost
        s = s.zfill(6)
        parts = [s[0:2], s[2:4], s[4:6]]
        while len(parts) > 1 and parts[-1] == "00":
            parts.pop()
    else:
        m = _CODE_PREFIX.match(s)
        if not m:
            return None
        parts = [m.group(1).zfill(2)] + [g for g in m.groups()[1:] if g]
    if level is not None:
        parts = parts[:level]
    return ".".join(parts)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The shipped GRNTI vocabulary (levels 1-3)."""
    base = resources.files("bibmine.rubrics") / "data"
    rubrics: dict[str, Rubric] = {}
    with (base / "level1.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            rubrics[code] = Rubric(code, row["name_ru"].strip(), (row.get("name_en") or "").strip() or None)
    for name in ("level2.csv", "level3.csv"):
        with (base / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = row["code"].strip()
                rubrics[code] = Rubric(
                    code,
                    row["name_ru"].strip(),
                    (row.get("name_en") or "").strip() or None,
                    row["parent"].strip() or None,
                    (row.get("excluded") or "0").strip() == "1",
                )
    return Vocabulary(rubrics)
