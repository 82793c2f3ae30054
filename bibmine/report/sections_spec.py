"""Sections of the method's results: heat maps of the four coefficients, managerial matrices, scenarios."""

from __future__ import annotations

import math
import re
from functools import partial

import pandas as pd

from bibmine.report.folder import StudyFolder
from bibmine.report.model import (
    Column,
    Image,
    Notice,
    Scenario,
    ScenarioLevel,
    ScenarioPart,
    Section,
    Table,
    TableBlock,
    Text,
    is_missing,
)
from bibmine.report.phrases import phrase
from bibmine.report.sections_data import number
from bibmine.specialization.coefficients import is_competence, latest
from bibmine.specialization.vocab import LEVELS, MATRIX_LEVELS, SCENARIO_KEYS, Names, category_order
from bibmine.specialization.vocab import phrase as spec_phrase

_CODE = re.compile(r"\b(\d{2})\b")


def region_labels(sf: StudyFolder, names: Names) -> dict[str, str]:
    """Region code -> display name: the package's name (as the specialization stage writes it), else
    the name in regions/stats.json, else the code."""
    own: dict[str, str] = {}
    stats = sf.read_json("regions/stats.json") if sf.exists("regions/stats.json") else None
    for item in (stats or {}).get("by_region") or []:
        if isinstance(item, dict) and item.get("region"):
            name = item.get(f"name_{sf.lang}") or (item.get("name") if sf.lang == "en" else None)
            if name:
                own[str(item["region"])] = str(name)

    class Labels(dict):
        def __missing__(self, code: str) -> str:
            known = names.region(code)
            return known if known != code else own.get(code, code)

    return Labels()


def _solid(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {"true": True, "false": False, "1": True, "0": False}.get(text)


def coefficient_table(coefficients: pd.DataFrame, level: str, lang: str, threshold: float,
                      labels: dict[str, str], order: list[str] | None = None, year: int | None = None
                      ) -> Table | None:
    """Categories x regions of one level and year (the latest unless given), coloured, competences marked,
    counts as tooltips."""
    rows = latest(coefficients, level, year)
    if rows.empty:
        return None
    names = Names(coefficients, lang)
    latest_year = int(coefficients.loc[coefficients["level"] == level, "year"].max())
    year = int(rows["year"].iloc[0])
    suffix = "" if year == latest_year else f"-{year}"  # the latest year keeps the plain id and sheet name
    first = {r: i for i, r in enumerate(order or [])}  # the study's region order, then as they come
    regions = sorted(dict.fromkeys(rows["region"]), key=lambda r: first.get(r, len(first)))
    rank = {code: i for i, code in enumerate(category_order(level))}
    categories = sorted(dict.fromkeys(rows["category"]), key=lambda c: (rank.get(c, len(rank)), c))
    by_cell = {(r["category"], r["region"]): r for r in rows.to_dict("records")}
    sheet = phrase(f"sheet_coef_{level}", lang)
    table = Table(f"coef-{level}{suffix}", phrase("tbl_coef", lang, level=spec_phrase(f"level_{level}", lang),
                                                  year=year),
                  [Column(phrase("col_code", lang)), Column(phrase("col_name", lang))]
                  + [Column(labels[r], "coef") for r in regions], [],
                  sheet=f"{sheet[:26]} {year}" if suffix else sheet,
                  threshold=threshold, frozen_columns=2)
    for i, category in enumerate(categories):
        values = []
        for j, region in enumerate(regions, start=2):
            row = by_cell.get((category, region))
            value = None if row is None or is_missing(row["value"]) else float(row["value"])
            values.append(value)
            table.tips[(i, j)] = _tip(row, lang, labels[region])
            if value is not None and row is not None and is_competence(value, threshold) \
                    and _solid(row.get("solid")) is False:
                table.weak.add((i, j))
        table.rows.append([category, names.category(level, category), *values])
    return table


def _tip(row: dict | None, lang: str, region: str) -> str:
    if row is None:
        return f"{region}: {phrase('no_coefficient', lang)}"
    parts = [region]
    if is_missing(row["value"]):
        reason = row.get("reason")
        parts.append(phrase("undefined_because", lang, reason=reason if reason and not is_missing(reason) else "?"))
    count, total = row.get("count"), row.get("region_total")
    if count is not None and not is_missing(count) and total is not None and not is_missing(total):
        parts.append(phrase("tip_counts", lang, count=f"{count:g}", total=f"{total:g}"))
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is not None and not is_missing(low) and high is not None and not is_missing(high):
        parts.append(phrase("tip_interval", lang, low=f"{low:.2f}", high=f"{high:.2f}"))
    return "; ".join(parts)


def heatmaps_section(sf: StudyFolder, coefficients: pd.DataFrame | None, threshold: float,
                     labels: dict[str, str]) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("heatmaps", p("sec_heatmaps"))
    section.notes += [x.text(sf.lang, "specialization") for x in sf.problems_for("specialization/coefficients")]
    section.blocks.append(Text([p("heatmaps_intro", threshold=f"{threshold:.2f}")]))
    for level in LEVELS:
        title = spec_phrase(f"level_{level}", sf.lang)
        order = sf.parameter("regions", "regions")
        table = None if coefficients is None else coefficient_table(
            coefficients, level, sf.lang, threshold, labels, order if isinstance(order, list) else None)
        section.blocks.append(Text([], heading=title))
        if table is not None:
            if table.weak:
                table.note = p("weak_note", n=len(table.weak), threshold=f"{threshold:.2f}")
            section.blocks.append(TableBlock(table))
            if level == "st":  # every year the study computed, not only the latest (latest first)
                years = sorted({int(y) for y in coefficients.loc[coefficients["level"] == "st", "year"]})[::-1]
                for year in years[1:]:
                    older = coefficient_table(coefficients, level, sf.lang, threshold, labels,
                                              order if isinstance(order, list) else None, year=year)
                    if older is not None:
                        section.blocks.append(TableBlock(older))
        rel = f"specialization/heatmaps/heatmap_{level}.{sf.lang}.png"
        uri = sf.png_uri(rel) if sf.exists(rel) else None
        if uri:
            section.blocks.append(Image(uri, p("heatmap_alt", level=title), p("heatmap_figure"),
                                        collapsed=table is not None))
        if table is None and uri is None:
            section.blocks.append(Notice([p("no_level", level=title)]))
    counts = sf.read_csv("specialization/st_counts.csv", ("category", "region", "value")) \
        if sf.exists("specialization/st_counts.csv") else None
    if counts:
        names = Names(coefficients, sf.lang)
        rubric = {code: names.rubric(code) for code in {r["category"] for r in counts}}
        rows = [[number(r.get("year")), r["region"], labels[r["region"]], r["category"], rubric[r["category"]],
                 number(r["value"])] for r in counts]
        section.blocks.append(TableBlock(Table(
            "st-counts", p("tbl_st_counts"), [Column(p(f"col_{k}")) for k in ("year", "region", "name", "rubric")]
            + [Column(p("col_rubric_name")), Column(p("col_count"), "int")], rows, sheet=p("sheet_st_counts"),
            show=False)))
    return section


def matrices_section(sf: StudyFolder, threshold: float, labels: dict[str, str], names: Names) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("matrices", p("sec_matrices"))
    section.blocks.append(Text([spec_phrase("legend_sign", sf.lang, threshold=f"{threshold:.2f}"),
                                spec_phrase("legend_st", sf.lang), spec_phrase("legend_cc", sf.lang)]))
    found = False
    for level in MATRIX_LEVELS:
        title = spec_phrase(f"level_{level}", sf.lang)
        rel = sf.lang_path(f"specialization/matrices/matrix_{level}.{{lang}}.csv")
        rows = sf.read_csv(rel, ("category", "name")) if rel else None
        if rows is None:
            section.blocks.append(Notice([x.text(sf.lang, "specialization")
                                          for x in sf.problems_for(f"specialization/matrices/matrix_{level}.")]))
            continue
        found = True
        regions = [c for c in (rows[0].keys() if rows else []) if c not in ("category", "name")]
        table = Table(f"matrix-{level}", p("tbl_matrix", level=title),
                      [Column(p("col_code")), Column(p("col_name"))] + [Column(labels[r], "matrix") for r in regions],
                      [[r["category"], r["name"], *[r.get(x, "") for x in regions]] for r in rows],
                      sheet=p(f"sheet_matrix_{level}"), threshold=threshold, frozen_columns=2)
        codes = sorted({code for r in rows for x in regions for code in _codes(r.get(x) or "", r["category"])})
        for i, r in enumerate(rows):  # hover a cell for the names of its rubrics
            for j, x in enumerate(regions, start=2):
                named = [f"{c} {names.rubric(c)}" for c in _codes(r.get(x) or "", r["category"])]
                if named:
                    table.tips[(i, j)] = "; ".join(named)
        if codes:
            table.note = p("rubric_codes") + " " + "; ".join(f"{c} {names.rubric(c)}" for c in codes)
        section.blocks.append(TableBlock(table))
    if not found:
        section.notes.append(p("no_matrices"))
    section.notes += _other_lang(sf, "specialization/matrices/")
    return section


def _other_lang(sf: StudyFolder, prefix: str) -> list[str]:
    return [x.text(sf.lang) for x in sf.problems_for(prefix) if x.kind == "other_lang"]


def _codes(cell: str, category: str) -> list[str]:
    """Rubric codes of a matrix cell: after the first ``;`` (the coefficient comes first), or all of
    the cross-cutting row."""
    text = cell if category == "cross-cutting" else cell.partition(";")[2]
    return _CODE.findall(text)


def scenarios_section(sf: StudyFolder, labels: dict[str, str], names: Names) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("scenarios", p("sec_scenarios"))
    models = sf.scenarios()
    if not models:
        section.notes += [x.text(sf.lang, "specialization") for x in sf.problems_for("specialization/scenarios")]
        return section
    section.notes += _other_lang(sf, "specialization/scenarios/")
    section.blocks.append(Text([p("scenarios_intro")]))
    lines_rows, related_rows = [], []
    for region, model in models.items():
        title = spec_phrase("scenario_title", sf.lang, region=f"{labels[region]} ({region})")
        if isinstance(model, str):
            section.blocks.append(Text([model], heading=title, pre=True))
            continue
        block = Scenario(region, title, [])
        levels = model.get("levels") if isinstance(model.get("levels"), dict) else {}
        for level in MATRIX_LEVELS:
            key = SCENARIO_KEYS[level]
            if key not in levels:
                continue
            items = [x for x in levels[key] or [] if isinstance(x, dict)]
            level_title = spec_phrase(f"level_{level}", sf.lang)
            block.levels.append(ScenarioLevel(level_title, [_line(x, sf.lang, names) for x in items],
                                              spec_phrase("no_lines", sf.lang)))
            for x in items:
                lines_rows.append([region, level_title, x.get("category"), x.get("name"), number(x.get("value")),
                                   _named(x.get("competences"), names), _named(x.get("cross_cutting"), names),
                                   " + ".join(part.text for part in _line(x, sf.lang, names))])
        if "related" in model:
            block.related_title = spec_phrase("related_title", sf.lang)
            block.related_empty = spec_phrase("related_none", sf.lang)
            for item in model.get("related") or []:
                if not isinstance(item, dict):
                    continue
                code = str(item.get("rubric", ""))
                name = names.rubric(code) if names.rubric(code) != code else str(item.get("name") or code)
                density = number(item.get("density"))
                shown = "—" if density is None else f"{density:.1f}" if density > 1 else f"{density:.3f}"
                block.related.append(spec_phrase("related_item", sf.lang, name=f"{name} ({code})", density=shown))
                related_rows.append([region, code, name, density])
        section.blocks.append(block)
    section.blocks.append(TableBlock(Table("scenario-lines", p("sheet_scenarios"),
                                           [Column(p(f"col_{k}")) for k in ("region", "level", "code", "name")]
                                           + [Column(p("col_value"), "coef"), Column(p("col_competences")),
                                              Column(p("col_cross_cutting")), Column(p("col_line"))],
                                           lines_rows, sheet=p("sheet_scenarios"), frozen_columns=1, show=False)))
    if related_rows:
        section.blocks.append(TableBlock(Table("scenario-related", p("sheet_related"),
                                               [Column(p("col_region")), Column(p("col_rubric")),
                                                Column(p("col_name")), Column(p("col_density"), "num3")],
                                               related_rows, sheet=p("sheet_related"), show=False)))
    return section


def _named(codes: object, names: Names) -> str:
    return "; ".join(f"{c} {names.rubric(str(c))}" for c in codes or [])


def _line(item: dict, lang: str, names: Names) -> list[ScenarioPart]:
    value = number(item.get("value"))
    head = f"{item.get('category', '')}" + ("" if value is None or math.isnan(value) else f", {value:.2f}")
    parts = [ScenarioPart(str(item.get("name") or item.get("category") or ""), head)]
    for key, lead in (("competences", "st_part"), ("cross_cutting", "cc_part")):
        codes = [str(c) for c in item.get(key) or []]
        if codes:
            parts.append(ScenarioPart(f"{spec_phrase(lead, lang)} {', '.join(names.rubric(c) for c in codes)}",
                                      ", ".join(codes)))
    return parts
