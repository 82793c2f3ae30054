"""The scenario model of one region: level by level, one line per category it is specialized in.

    <category> + S&T competences of the region in <linked competent rubrics>
               + cross-cutting S&T competences in <cross-cutting competent rubrics>

(on one line; a part without rubrics is left out). Text uses names, in English or Russian; the
JSON form (:meth:`ScenarioModel.to_dict`) has the codes:
``{"region": CODE, "levels": {"global": [...], "national": [...], "macroregional": [...]},
"related": [...]}``, each level item ``{"category", "name", "value", "competences",
"cross_cutting"}``. The related (possible-to-develop) rubrics are shown with the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from bibmine.specialization.concordance import Concordance, default_cross_cutting
from bibmine.specialization.matrix import managerial_matrix
from bibmine.specialization.relatedness import RelatedCompetences, related_competences
from bibmine.specialization.vocab import MATRIX_LEVELS, SCENARIO_KEYS, Names, phrase


@dataclass
class ScenarioLine:
    category: str
    name: str
    value: float
    competences: list[str]
    competence_names: list[str]
    cross_cutting: list[str]
    cross_cutting_names: list[str]

    def text(self, lang: str) -> str:
        parts = [self.name]
        if self.competence_names:
            parts.append(f"{phrase('st_part', lang)} {', '.join(self.competence_names)}")
        if self.cross_cutting_names:
            parts.append(f"{phrase('cc_part', lang)} {', '.join(self.cross_cutting_names)}")
        return " + ".join(parts)

    def to_dict(self) -> dict:
        return {"category": self.category, "name": self.name, "value": self.value,
                "competences": list(self.competences), "cross_cutting": list(self.cross_cutting)}


@dataclass
class ScenarioModel:
    region: str
    region_name: str
    lang: str
    threshold: float
    cross_cutting_set: tuple[str, ...]
    levels: dict[str, list[ScenarioLine]]  # global, national, macroregional
    years: dict[str, int] = field(default_factory=dict)
    related: RelatedCompetences | None = None
    related_names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"region": self.region,
               "levels": {key: [line.to_dict() for line in self.levels.get(key, [])]
                          for key in SCENARIO_KEYS.values()}}
        if self.related is not None:
            out["related"] = [{"rubric": code, "name": self.related_names[code], "density": density}
                              for code, density in self.related.top]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        lang = self.lang
        region = self.region_name if self.region_name == self.region else f"{self.region_name} ({self.region})"
        out = [phrase("scenario_title", lang, region=region),
               phrase("scenario_note", lang, threshold=f"{self.threshold:.2f}",
                      rubrics=", ".join(self.cross_cutting_set))]
        for level in MATRIX_LEVELS:
            key = SCENARIO_KEYS[level]
            if key not in self.levels:
                continue
            out += ["", f"{phrase(f'level_{level}', lang)}, {self.years[key]}"]
            lines = self.levels[key]
            out += [f"  - {line.text(lang)}" for line in lines] or [f"  {phrase('no_lines', lang)}"]
        if self.related is not None:
            out += ["", phrase("related_title", lang)]
            digits = 1 if self.related.method["scale"] == 100 else 3
            out += [f"  - {phrase('related_item', lang, name=self.related_names[code], density=f'{d:.{digits}f}')}"
                    for code, d in self.related.top] or [f"  {phrase('related_none', lang)}"]
            m = self.related.method
            out.append("  " + phrase("related_method", lang, proximity=m["proximity"],
                                     density=f"{m['density']} ({m['presence']})", regions=m["regions"]))
        return "\n".join(out) + "\n"


def scenario_model(coefficients: pd.DataFrame, concordance: Concordance, region: str, *,
                   threshold: float = 1.0, cross_cutting: tuple[str, ...] | None = None, lang: str = "en",
                   related_top: int = 5, proximity: str = "hidalgo", density: str = "econgeo") -> ScenarioModel:
    """Build the scenario model of ``region`` (latest year of each level); ``related_top=0`` skips
    the related competences."""
    cross_cutting = tuple(cross_cutting) if cross_cutting is not None else default_cross_cutting()
    known = sorted(set(coefficients["region"]))
    if region not in known:
        raise ValueError(f"region {region!r} is not in the coefficients; known: {', '.join(known)}")
    names = Names(coefficients, lang)
    levels: dict[str, list[ScenarioLine]] = {}
    years: dict[str, int] = {}
    for level in MATRIX_LEVELS:
        if not (coefficients["level"] == level).any():
            continue
        matrix = managerial_matrix(coefficients, concordance, level, threshold=threshold,
                                   cross_cutting=cross_cutting, lang=lang, regions=[region])
        key = SCENARIO_KEYS[level]
        years[key] = matrix.year
        levels[key] = []
        for category in matrix.specialized(region):
            cell = matrix.cell(category, region)
            levels[key].append(ScenarioLine(
                category, names.category(level, category), cell.value, cell.competences,
                [names.rubric(r) for r in cell.competences], cell.cross_cutting,
                [names.rubric(r) for r in cell.cross_cutting]))
    related = None
    has_st = ((coefficients["level"] == "st") & (coefficients["region"] == region)).any()
    if related_top > 0 and has_st:
        related = related_competences(coefficients, region, threshold=threshold, proximity_method=proximity,
                                      density=density, top=related_top)
    related_names = {code: names.rubric(code) for code, _ in (related.top if related else [])}
    return ScenarioModel(region, names.region(region), lang, threshold, cross_cutting, levels, years,
                         related, related_names)
