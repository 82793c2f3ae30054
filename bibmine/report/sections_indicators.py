"""Sections of charts: bibliometric indicators, topics and the map of Russia.

They read ``indicators/indicators.json`` (written by the report stage from the corpus with
:func:`bibmine.indicators.compute_all`) and ``specialization/coefficients.csv``; each chart carries the
table it is drawn from (one click away in the report, a sheet in the workbook).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd

from bibmine.report.charts_tables import field_label, indicator_tables, organization_name, rubric_label
from bibmine.report.folder import StudyFolder
from bibmine.report.locale import fmt, percent
from bibmine.report.model import Chart, Column, Figures, Notice, Section, Table, TableBlock, Text
from bibmine.report.phrases import phrase
from bibmine.report.russia_map import subject_map, subject_name
from bibmine.report.svg import bar_chart, line_chart, range_chart, sankey, scatter_chart
from bibmine.specialization.coefficients import latest

REL = "indicators/indicators.json"
ZONE_COLOURS = {1: "#08519c", 2: "#6baed6", 3: "#c6dbef"}
VERBATIM = {"ind-cited": (0, 2), "ind-sources": (0,), "ind-authors": (0,), "ind-affiliations": (0,),
            "ind-trends": (0,), "ind-thematic": (0, 1), "ind-threefield": (1,)}


def read_indicators(sf: StudyFolder) -> tuple[dict | None, dict[str, Table]]:
    data = sf.read_json(REL) if sf.exists(REL) else None
    if data is None:
        return None, {}
    tables = {t.key: t for t in indicator_tables(data, sf.lang)}
    for key, columns in VERBATIM.items():
        for j in columns:
            tables[key].columns[j].verbatim = True
    return data, tables


def _missing(sf: StudyFolder, section: Section) -> None:
    if not sf.exists(REL):
        section.notes.append(phrase("note_missing", sf.lang, file=REL, stage=phrase("stage_report", sf.lang)))
    else:
        section.notes += [x.text(sf.lang, "report") for x in sf.problems_for(REL)]


def _start(sf: StudyFolder, section_id: str) -> tuple:
    """The phrase function, the section, and the indicators with their tables (None: the section says why)."""
    p = partial(phrase, lang=sf.lang)
    section = Section(section_id, p(f"sec_{section_id}"))
    data, tables = read_indicators(sf)
    if data is None:
        _missing(sf, section)
    return p, section, data, tables


def indicators_section(sf: StudyFolder) -> Section:
    lang = sf.lang
    p, section, data, tables = _start(sf, "indicators")
    if data is None:
        return section
    info = data.get("main_information") or {}
    span = info.get("timespan")
    section.blocks.append(Text([p("ind_intro", year=info.get("year", "—"))]))
    section.blocks.append(Figures([
        (p("ind_timespan"), f"{span[0]}–{span[1]}" if span else "—"),
        (p("ind_documents"), fmt(info.get("documents"), lang)), (p("ind_sources"), fmt(info.get("sources"), lang)),
        (p("ind_authors"), fmt(info.get("authors"), lang)),
        (p("ind_annual_growth_rate"), percent(_share(info.get("annual_growth_rate")), lang)),
        (p("ind_document_average_age"), fmt(info.get("document_average_age"), lang, 1)),
        (p("ind_citations_per_doc"), fmt(info.get("citations_per_doc"), lang, 2)),
        (p("ind_coauthors_per_doc"), fmt(info.get("coauthors_per_doc"), lang, 2)),
        (p("ind_international_coauthorship"), percent(info.get("international_coauthorship"), lang)),
        (p("ind_interregional_coauthorship"), percent(info.get("interregional_coauthorship"), lang))]))
    section.blocks.append(TableBlock(tables["ind-main"]))
    annual = data.get("annual_production") or []
    section.blocks.append(Chart("annual", p("ind_annual"), line_chart(
        [(p("ind_col_documents"), [(r["year"], r["documents"]) for r in annual])], p("ind_annual_alt"), lang,
        p("ind_col_documents")), p("ind_annual_alt"), tables["ind-annual"]))
    section.blocks.append(Chart("citations", p("ind_citations"), line_chart(
        [(p("ind_col_mean_citations"), [(r["year"], r["mean_citations"]) for r in annual]),
         (p("ind_col_mean_citations_per_year"), [(r["year"], r["mean_citations_per_year"]) for r in annual])],
        p("ind_citations_alt"), lang), p("ind_citations_alt"), replace(tables["ind-annual"], sheet=None)))
    cited = data.get("most_cited") or []
    section.blocks.append(Chart("cited", p("ind_cited"), bar_chart(
        [(f"{r['title']} ({r['year']})", r["citations"]) for r in cited], p("ind_cited_alt"), lang,
        label_width=330, verbatim=True), p("ind_cited_alt"), tables["ind-cited"]))
    sources = data.get("sources") or []
    section.blocks.append(Chart("sources", p("ind_sources_chart"), bar_chart(
        [(r["source"], r["documents"]) for r in sources[:15]], p("ind_sources_alt"), lang,
        colours=[ZONE_COLOURS[r["zone"]] for r in sources[:15]], verbatim=True), p("ind_sources_alt"),
        tables["ind-sources"],
        caption=p("ind_bradford_note", n1=sum(r["zone"] == 1 for r in sources),
                  n2=sum(r["zone"] == 2 for r in sources), n3=sum(r["zone"] == 3 for r in sources))))
    authors = data.get("authors") or []
    section.blocks.append(Chart("authors", p("ind_authors_chart"), bar_chart(
        [(r["author"], r["documents"]) for r in authors[:15]], p("ind_authors_alt"), lang, verbatim=True),
        p("ind_authors_alt"), tables["ind-authors"], caption=p("ind_hgm_note")))
    lotka = data.get("lotka") or {}
    rows = lotka.get("rows") or []
    section.blocks.append(Chart("lotka", p("ind_lotka"), line_chart(
        [(p("ind_col_share"), [(r["documents"], r["share"]) for r in rows]),
         (p("ind_col_lotka_share"), [(r["documents"], r["lotka_share"]) for r in rows])], p("ind_lotka_alt"), lang),
        p("ind_lotka_alt"), tables["ind-lotka"], caption=tables["ind-lotka"].note))
    section.blocks.append(Chart("affiliations", p("ind_affiliations"), bar_chart(
        [(r[0], r[1]) for r in tables["ind-affiliations"].rows[:15]], p("ind_affiliations_alt"),
        lang, label_width=330, verbatim=True), p("ind_affiliations_alt"), tables["ind-affiliations"]))
    countries = tables["ind-countries"].rows[:15]
    section.blocks.append(Chart("countries", p("ind_countries"), bar_chart(
        [(r[1], r[2]) for r in countries], p("ind_countries_alt"), lang), p("ind_countries_alt"),
        tables["ind-countries"]))
    collab = data.get("subject_collaboration") or []
    section.blocks.append(Chart("collaboration", p("ind_collaboration"), bar_chart(
        [(f"{subject_name(r['a'], lang)} — {subject_name(r['b'], lang)}", r["documents"]) for r in collab[:15]],
        p("ind_collaboration_alt"), lang, label_width=360), p("ind_collaboration_alt"), tables["ind-collaboration"]))
    pubs = sf.read_csv("indicators/publications.csv", ("id",)) if sf.exists("indicators/publications.csv") else None
    if pubs is not None:
        keys = ("id", "doi", "wos", "scopus", "openalex", "elibrary", "year", "kind", "title", "source", "subjects",
                "organizations", "rubrics_manual", "rubrics_automatic")
        section.blocks.append(TableBlock(Table(
            "publications", p("ind_publications"),
            [Column(p(f"pub_col_{k}")) for k in keys],
            [[_publication_cell(k, r.get(k) or "", lang) for k in keys] for r in pubs],
            sheet=p("ind_sheet_publications"), show=False)))
    return section


def _publication_cell(key: str, value: str, lang: str):
    if key == "kind":
        return kind_name(value, lang)
    if key == "year":
        return int(value) if value.isdigit() else None
    if key == "organizations":
        return "; ".join(organization_name(o, lang) for o in value.split("; ") if o)
    return value


def kind_name(kind: str, lang: str) -> str:
    """A document kind in words (``article`` -> Article / Статья)."""
    key = f"kind_{kind}"
    from bibmine.report.phrases import phrases

    return phrase(key, lang) if key in phrases() else kind


def _share(rate: float | None) -> float | None:
    return None if rate is None else rate / 100


def topics_section(sf: StudyFolder) -> Section:
    lang = sf.lang
    p, section, data, tables = _start(sf, "topics")
    if data is None:
        return section
    trends = (data.get("trend_topics") or [])[-30:]
    section.blocks.append(Chart("trends", p("ind_trends"), range_chart(
        [(r["keyword"], r["q1"], r["median"], r["q3"], r["documents"]) for r in trends], p("ind_trends_alt"), lang),
        p("ind_trends_alt"), tables["ind-trends"], caption=p("ind_trends_note")))
    themes = data.get("thematic_map") or []
    split = None
    if themes:
        cs, ds = sorted(r["centrality"] for r in themes), sorted(r["density"] for r in themes)
        split = (cs[len(cs) // 2], ds[len(ds) // 2])
    section.blocks.append(Chart("thematic", p("ind_thematic"), scatter_chart(
        [(r["centrality"], r["density"], r["label"], r["documents"]) for r in themes[:14]], p("ind_thematic_alt"),
        lang, p("ind_col_centrality"), p("ind_col_density"), split,
        (p("ind_q_niche"), p("ind_q_motor"), p("ind_q_emerging_or_declining"), p("ind_q_basic"))),
        p("ind_thematic_alt"), tables["ind-thematic"], caption=p("ind_thematic_note")))
    tf = data.get("three_field") or {}
    columns = [[(f"{prefix}:{k}", field_label(f"{prefix}:{k}", lang), n) for k, n in tf.get(field) or []]
               for prefix, field in (("s", "subjects"), ("r", "rubrics"), ("k", "keywords"))]
    section.blocks.append(Chart("threefield", p("ind_threefield"), sankey(
        columns, [tuple(x) for x in tf.get("links") or []], p("ind_threefield_alt"), lang),
        p("ind_threefield_alt"), tables["ind-threefield"], caption=p("ind_threefield_note")))
    return section


def russia_section(sf: StudyFolder, coefficients: pd.DataFrame | None, threshold: float) -> Section:
    lang = sf.lang
    p = partial(phrase, lang=lang)
    section = Section("russia", p("sec_russia"))
    study = sf.parameter("regions", "regions") or []
    study = set(study) if isinstance(study, list) else set()
    data, tables = read_indicators(sf)
    section.blocks.append(Text([p("russia_intro")]))
    if data is None:
        _missing(sf, section)
    else:
        counts = {r["name"]: r["documents"] for r in data.get("subjects") or []}
        section.blocks.append(Chart("russia-records", p("russia_records"), subject_map(
            counts, p("russia_records_alt"), lang, highlight=study, legend=p("ind_col_documents")),
            p("russia_records_alt"), tables["ind-subjects"], caption=p("russia_caption")))
    st = None if coefficients is None else latest(coefficients, "st")
    if st is None or st.empty:
        section.notes.append(p("russia_no_st"))
        return section
    competences = {r: int((g["value"] > threshold).sum()) for r, g in st.groupby("region")}
    rows = [[r, subject_name(r, lang), n] for r, n in sorted(competences.items(), key=lambda kv: (-kv[1], kv[0]))]
    table = Table("russia-competences", p("russia_competences"),
                  [Column(p("ind_col_code")), Column(p("ind_col_subject")), Column(p("russia_col_competences"), "int")],
                  rows, sheet=p("russia_sheet_competences"), frozen_columns=2)
    section.blocks.append(Chart("russia-competences", p("russia_competences"), subject_map(
        competences, p("russia_competences_alt"), lang, highlight=study, legend=p("russia_col_competences")),
        p("russia_competences_alt"), table, caption=p("russia_caption")))
    mine = st[st.region.isin(study)] if study else st
    top = (mine.assign(c=mine["count"] if "count" in mine.columns else mine["value"])
           .groupby("category")["c"].sum().sort_values(ascending=False).index[:3])
    for code in top:
        values = {r["region"]: float(r["value"]) for r in st[st.category == code].to_dict("records")
                  if pd.notna(r["value"])}
        name = rubric_label(str(code), lang)
        ratios = Table(f"russia-st-{code}", p("russia_ratio", rubric=name),
                       [Column(p("ind_col_code")), Column(p("ind_col_subject")), Column(p("russia_col_ratio"), "coef")],
                       [[r, subject_name(r, lang), v] for r, v in sorted(values.items(), key=lambda kv: -kv[1])],
                       threshold=threshold, frozen_columns=2)
        section.blocks.append(Chart(f"russia-st-{code}", p("russia_ratio", rubric=name), subject_map(
            values, p("russia_ratio_alt", rubric=name), lang, highlight=study, digits=2, threshold=threshold,
            legend=p("russia_ratio_legend", threshold=fmt(threshold, lang, 2))),
            p("russia_ratio_alt", rubric=name), ratios))
    if not study:
        section.blocks.append(Notice([p("russia_no_study")]))
    return section
