"""The summary: one page per region of the study, in plain language, before any evidence.

For each region: how many publications the corpus places there; its S&T competences by name; its
scenario lines (the candidate priorities); the three strongest and the three weakest rubrics with
their counts and intervals where the ratios were computed from counts; and what changed against the
previous period when the coefficients hold more than one year.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from bibmine.report.folder import StudyFolder
from bibmine.report.locale import fmt, percent
from bibmine.report.model import Notice, RegionSummary, ScenarioPart, Section, Text, is_missing
from bibmine.report.phrases import phrase
from bibmine.report.sections_spec import _line
from bibmine.specialization.vocab import MATRIX_LEVELS, SCENARIO_KEYS, Names
from bibmine.specialization.vocab import phrase as spec_phrase

MAX_LINES = 8


def _study_regions(sf: StudyFolder, st: pd.DataFrame | None) -> list[str]:
    regions = sf.parameter("regions", "regions")
    if isinstance(regions, list) and regions:
        return [str(r) for r in regions]
    return sorted(st.region.unique()) if st is not None and not st.empty else []


def _value(row: dict, lang: str) -> str:
    return fmt(float(row["value"]), lang, 2)


def _evidence(row: dict, lang: str) -> str:
    """``12 of 340 publications; interval 1.40–3.60`` where the counts are known, else ''."""
    count, total = row.get("count"), row.get("region_total")
    parts = []
    if count is not None and not is_missing(count) and total is not None and not is_missing(total):
        parts.append(phrase("sum_counts", lang, count=fmt(float(count), lang), total=fmt(float(total), lang)))
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is not None and not is_missing(low) and high is not None and not is_missing(high):
        parts.append(phrase("sum_interval", lang, low=fmt(float(low), lang, 2), high=fmt(float(high), lang, 2)))
    return "; ".join(parts)


def _rubric_item(row: dict, names: Names, lang: str) -> ScenarioPart:
    code = str(row["category"])
    text = phrase("sum_ratio", lang, name=names.rubric(code), value=_value(row, lang))
    evidence = _evidence(row, lang)
    return ScenarioPart(text + (f" ({evidence})" if evidence else ""), code)


def summary_section(sf: StudyFolder, coefficients: pd.DataFrame | None, threshold: float,
                    labels: dict[str, str]) -> Section:
    lang = sf.lang
    p = partial(phrase, lang=lang)
    section = Section("summary", p("sec_summary"))
    names = Names(coefficients, lang)
    st = None if coefficients is None else coefficients[coefficients["level"] == "st"]
    regions = _study_regions(sf, st)
    if not regions:
        section.notes.append(p("sum_no_regions"))
        return section
    indicators = sf.read_json("indicators/indicators.json") if sf.exists("indicators/indicators.json") else None
    counts = {r["name"]: r["documents"] for r in (indicators or {}).get("subjects") or [] if isinstance(r, dict)}
    documents = ((indicators or {}).get("main_information") or {}).get("documents")
    span = ((indicators or {}).get("main_information") or {}).get("timespan")
    scenarios = sf.scenarios()
    years = sorted(st["year"].dropna().unique()) if st is not None and not st.empty else []
    has_counts = st is not None and "count" in st.columns and st["count"].notna().any()
    section.blocks.append(Text([p("sum_intro", threshold=fmt(threshold, lang, 2)),
                                p("sum_counts_source") if has_counts else p("sum_tables_source")]))
    for region in regions:
        title = f"{labels[region]}"
        paragraphs = []
        if region in counts and documents:
            paragraphs.append(p("sum_records", n=fmt(counts[region], lang), share=percent(counts[region] / documents,
                                                                                        lang),
                                span=f"{span[0]}–{span[1]}" if span else "—"))
        block = RegionSummary(region, title, paragraphs, [], empty=p("sum_none"))
        mine = None if st is None else st[st.region == region]
        if mine is None or mine.empty:
            block.paragraphs.append(p("sum_no_st"))
        else:
            latest_year = mine["year"].max()
            now = mine[mine.year == latest_year].dropna(subset=["value"])
            rows = now.sort_values(["value", "category"], ascending=[False, True]).to_dict("records")
            comp = [r for r in rows if float(r["value"]) > threshold]
            window = now["window"].dropna().astype(str).iloc[0] if "window" in now.columns and \
                now["window"].notna().any() else str(int(latest_year))
            block.paragraphs.append(p("sum_competences_n", n=len(comp), total=len(rows),
                                      year=window.replace("-", "–")))
            block.lists.append((p("sum_competences"), [ScenarioPart(names.rubric(str(r["category"])),
                                                                    str(r["category"])) for r in comp]))
            block.lists.append((p("sum_strongest"), [_rubric_item(r, names, lang) for r in rows[:3]]))
            block.lists.append((p("sum_weakest"), [_rubric_item(r, names, lang) for r in rows[::-1][:3]]))
            if len(years) > 1:
                block.lists.append((p("sum_changes", before=int(years[-2]), after=int(latest_year)),
                                    _changes(mine, years[-2], latest_year, threshold, names, lang)))
        model = scenarios.get(region)
        if isinstance(model, dict):
            levels = model.get("levels") if isinstance(model.get("levels"), dict) else {}
            for level in MATRIX_LEVELS:
                for item in levels.get(SCENARIO_KEYS[level]) or []:
                    if isinstance(item, dict):
                        line = _line(item, lang, names)
                        line[0] = ScenarioPart(f"{spec_phrase(f'level_{level}', lang)}: {line[0].text}",
                                               line[0].codes)
                        block.lines.append(line)
            block.lines_title = p("sum_scenario", n=len(block.lines))
            if len(block.lines) > MAX_LINES:  # a page per region: the rest are in the scenario section
                more = len(block.lines) - MAX_LINES
                block.lines = block.lines[:MAX_LINES] + [[ScenarioPart(p("sum_more_lines", n=more))]]
        section.blocks.append(block)
    if not has_counts and st is not None and not st.empty:
        section.blocks.append(Notice([p("sum_no_counts")]))
    return section


def _changes(rows: pd.DataFrame, before, after, threshold: float, names: Names, lang: str) -> list[ScenarioPart]:
    old = {str(r["category"]) for r in rows[rows.year == before].to_dict("records") if float(r["value"]) > threshold}
    new = {str(r["category"]) for r in rows[rows.year == after].to_dict("records") if float(r["value"]) > threshold}
    out = [ScenarioPart(phrase("sum_gained", lang, name=names.rubric(c)), c) for c in sorted(new - old)]
    out += [ScenarioPart(phrase("sum_lost", lang, name=names.rubric(c)), c) for c in sorted(old - new)]
    return out
