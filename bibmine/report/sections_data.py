"""Sections about the data: corpus, region coverage, rubric distribution, manual vs automatic agreement."""

from __future__ import annotations

import math
from functools import partial

from bibmine.report.charts_tables import country_name
from bibmine.report.folder import StudyFolder, flatten
from bibmine.report.model import (
    Column,
    Figures,
    Group,
    Image,
    Notice,
    Section,
    Table,
    TableBlock,
    format_number,
    is_missing,
)
from bibmine.report.phrases import phrase
from bibmine.report.russia_map import macroregion_name, subject_name

HEADLINE = ("accuracy", "macro_f1", "micro_f1", "kappa", "in_set", "jaccard", "mean_rubric_kappa")
STATUSES = ("placed", "country", "ambiguous", "unresolved")


def number(text: object) -> float | int | None:
    """A count or share from a CSV/JSON cell; None for empty or non-numeric text.

    >>> number("12"), number("0.5"), number(""), number("n/a"), number(3)
    (12, 0.5, None, None, 3)
    """
    if isinstance(text, bool):
        return int(text)
    if isinstance(text, int | float):
        return None if isinstance(text, float) and math.isnan(text) else text
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    return int(value) if value.is_integer() and "." not in str(text) else value


def _shown(value: object, kind: str = "int") -> str:
    if is_missing(value) or not isinstance(value, int | float):
        return "—"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    return format_number(value)


def _empty(sf: StudyFolder, section: Section, rel: str, stage: str) -> None:
    section.notes += [p.text(sf.lang, stage) for p in sf.problems_for(rel)]


def _open(sf: StudyFolder, section_id: str, rel: str, stage: str) -> tuple:
    """The phrase function, the new section, and the JSON file it starts from (None: noted why)."""
    p = partial(phrase, lang=sf.lang)
    section = Section(section_id, p(f"sec_{section_id}"))
    data = sf.read_json(rel)
    if data is None:
        _empty(sf, section, rel, stage)
    return p, section, data


def _label(p, group: str, key: str) -> str:
    """A kind, language or field in words (a phrase ``kind_article``, ``lang_ru``, ``field_title``), else as is."""
    from bibmine.report.phrases import phrases

    prefix = {"by_kind": "kind", "by_language": "lang", "field": "field"}.get(group)
    if prefix is None:
        return key
    name = f"{prefix}_{key or 'unknown'}"
    return p(name) if name in phrases() else key


def corpus_section(sf: StudyFolder) -> Section:
    p, section, stats = _open(sf, "corpus", "corpus/stats.json", "corpus")
    if stats is not None:
        section.blocks.append(Figures([(p("works"), _shown(stats.get("works"))),
                                       (p("source_records"), _shown(stats.get("source_records"))),
                                       (p("quarantined"), _shown(stats.get("quarantined")))]))
        combined, small = [], Group([])
        for group in ("by_kind", "by_year", "by_language", "by_source"):
            data = stats.get(group)
            if not isinstance(data, dict) or not data:
                continue
            if group == "by_year":
                items = sorted(data.items(), key=lambda kv: (not str(kv[0]).isdigit(), str(kv[0])))
            else:
                items = sorted(data.items(), key=lambda kv: (-(number(kv[1]) or 0), str(kv[0])))
            rows = [[_label(p, group, str(k)), number(v)] for k, v in items]
            combined += [[p(group), *row] for row in rows]
            small.blocks.append(TableBlock(Table(f"corpus-{group}", p(group), [Column(p(f"col_{group}")),
                                                                                Column(p("col_n"), "bar")], rows)))
        section.blocks.append(small)
        section.blocks.append(TableBlock(Table("corpus-stats", p("tbl_corpus_stats"),
                                               [Column(p("col_breakdown")), Column(p("col_value")),
                                                Column(p("col_n"), "int")], combined, sheet=p("sheet_corpus"),
                                               show=False)))
        completeness = stats.get("completeness")
        if isinstance(completeness, dict) and completeness:
            formats = sorted(completeness)
            fields = list(dict.fromkeys(f for fmt in formats if isinstance(completeness[fmt], dict)
                                        for f in completeness[fmt]))
            rows = [[_label(p, "field", field), *[number((completeness[fmt] or {}).get(field)) for fmt in formats]]
                    for field in fields]
            section.blocks.append(TableBlock(Table("completeness", p("tbl_completeness"),
                                                   [Column(p("col_field"))] + [Column(f, "share") for f in formats],
                                                   rows, sheet=p("sheet_completeness"),
                                                   note=p("completeness_note"))))
    imports = sf.read_csv("corpus/imports.csv", ("file",))
    if imports is None:
        _empty(sf, section, "corpus/imports.csv", "corpus")
    else:
        keys = ("file", "format", "encoding", "read", "new", "merged", "duplicate", "rejected", "error")
        kinds = ("text", "text", "text", "int", "int", "int", "int", "int", "text")
        rows = [[row.get(k) if kind == "text" else number(row.get(k)) for k, kind in zip(keys, kinds, strict=True)]
                for row in imports]
        section.blocks.append(TableBlock(Table("imports", p("tbl_imports"),
                                               [Column(p(f"col_{k}"), kind) for k, kind in zip(keys, kinds,
                                                                                               strict=True)],
                                               rows, sheet=p("sheet_imports"))))
    return section


def regions_section(sf: StudyFolder) -> Section:
    p, section, stats = _open(sf, "regions", "regions/stats.json", "regions")
    if stats is None:
        return section
    counting = stats.get("counting")
    section.blocks.append(Figures([(p("records_placed_base"), _shown(stats.get("records"))),
                                   (p("unplaced_records"), _shown(stats.get("unplaced_records"))),
                                   (p("unresolved_share"), _shown(stats.get("unresolved_share"), "pct"))]
                                  + ([(p("region_counting"), _share_name(p, str(counting)))] if counting else [])))
    placements = stats.get("placements")
    if isinstance(placements, dict) and placements:
        order = sorted(placements, key=lambda s: (STATUSES.index(s) if s in STATUSES else len(STATUSES), s))
        rows = [[p(f"status_{s}") if s in STATUSES else str(s), number(placements[s])] for s in order]
        section.blocks.append(TableBlock(Table("placements", p("tbl_placements"),
                                               [Column(p("col_status")), Column(p("col_affiliations"), "bar")],
                                               rows, sheet=p("sheet_placements"), note=p("placements_note"))))
    by_region = stats.get("by_region")
    if isinstance(by_region, list) and by_region:
        rows = []
        for item in by_region:
            if not isinstance(item, dict):
                continue
            code = str(item.get("region") or "")
            if code.startswith("RU-"):
                name = item.get(f"name_{sf.lang}") or (item.get("name") if sf.lang == "en" else None) \
                    or subject_name(code, sf.lang)
            else:  # a country: its name in the report's language, never "US | US"
                name = country_name(code, sf.lang)
            macro = item.get("macroregion")
            rows.append([code, name, macroregion_name(str(macro), sf.lang) if macro else "",
                         number(item.get("records")), number(item.get("share"))])
        section.blocks.append(TableBlock(Table("by-region", p("tbl_by_region"),
                                               [Column(p("col_region")), Column(p("col_name")),
                                                Column(p("col_macroregion")), Column(p("col_records"), "bar"),
                                                Column(p("col_share"), "pct")], rows, sheet=p("sheet_regions"),
                                               frozen_columns=2)))
    else:
        section.notes.append(p("no_regions"))
    top = stats.get("top_unresolved")
    if isinstance(top, list) and top:
        rows = [[str(t.get("text", "")), number(t.get("n"))] for t in top if isinstance(t, dict)]
        section.blocks.append(TableBlock(Table("unresolved", p("tbl_unresolved"),
                                               [Column(p("col_affiliation")), Column(p("col_n"), "bar")], rows,
                                               sheet=p("sheet_unresolved"), note=p("unresolved_note"))))
    return section


def _share_name(p, counting: str) -> str:
    from bibmine.report.phrases import phrases

    return p(f"share_{counting}") if f"share_{counting}" in phrases() else counting


def rubric_name(code: str, lang: str, fallback: str = "") -> str:
    """The GRNTI name of a rubric code in ``lang``; the given name, then the code, when unknown."""
    from bibmine.rubrics.vocabulary import load_vocabulary

    name = load_vocabulary().name(code, lang) if code else None
    return name or fallback or code


def rubrics_section(sf: StudyFolder) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("rubrics", p("sec_rubrics"))
    model = sf.read_json("rubrics/model.json")
    figures = Figures([(p("rubric_model"), str(model.get("name") or model.get("model") or "?"))] if model else [])
    section.blocks.append(figures)
    rows_in = sf.read_csv("rubrics/distribution.csv", ("rubric", "manual", "automatic"))
    if rows_in is None:
        _empty(sf, section, "rubrics/distribution.csv", "rubrics")
    else:
        rows = [[r["rubric"], rubric_name(r["rubric"], sf.lang, r.get("name", "")), number(r["manual"]),
                 number(r["automatic"])] for r in sorted(rows_in, key=lambda r: r["rubric"])]
        figures.items += [(p("works_manual"), format_number(sum(r[2] or 0 for r in rows))),
                          (p("works_automatic"), format_number(sum(r[3] or 0 for r in rows)))]
        section.blocks.append(TableBlock(Table("rubric-distribution", p("tbl_rubrics"),
                                               [Column(p("col_rubric")), Column(p("col_name")),
                                                Column(p("col_manual"), "bar"), Column(p("col_automatic"), "bar")],
                                               rows, sheet=p("sheet_rubrics"), frozen_columns=2,
                                               note=p("rubrics_note"))))
    if model is None:
        _empty(sf, section, "rubrics/model.json", "rubrics")
        return section
    rows = [[k, v] for k, v in flatten(model, limit=40) if k not in ("name", "model")]
    if rows:
        # the classifier's card is provenance: workbook and model.json, not the report's body
        section.blocks.append(TableBlock(Table("rubric-model", p("tbl_rubric_model"),
                                               [Column(p("col_parameter")), Column(p("col_value"))], rows,
                                               show=False)))
    return section


def agreement_section(sf: StudyFolder) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("agreement", p("sec_agreement"))
    if not sf.exists("compare/metrics.json"):
        rows = sf.read_csv("rubrics/distribution.csv", ("manual", "automatic")) \
            if sf.exists("rubrics/distribution.csv") else None
        manual = sum(number(r["manual"]) or 0 for r in rows or [])
        automatic = sum(number(r["automatic"]) or 0 for r in rows or [])
        key = "no_agreement" if rows is None or not manual else "no_agreement_automatic" if not automatic \
            else "no_agreement_compared"
        section.notes.append(p(key))
        return section
    metrics = sf.read_json("compare/metrics.json")
    if metrics is None:
        _empty(sf, section, "compare/metrics.json", "rubrics")
        return section
    section.blocks.append(Figures([(p("agree_n"), _shown(metrics.get("n"))),
                                   (p("agree_only_manual"), _shown(metrics.get("only_manual"))),
                                   (p("agree_only_automatic"), _shown(metrics.get("only_automatic")))]))
    intervals = metrics.get("intervals") if isinstance(metrics.get("intervals"), dict) else {}
    rows = []
    for key in HEADLINE:
        if key not in metrics:
            continue
        low, high = (intervals.get(key) or [None, None])[:2] if isinstance(intervals.get(key), list) else (None, None)
        rows.append([p(f"metric_{key}"), number(metrics[key]), number(low), number(high)])
    section.blocks.append(TableBlock(Table("agreement-headline", p("tbl_agreement"),
                                           [Column(p("col_metric")), Column(p("col_value"), "num3"),
                                            Column(p("col_ci_low"), "num3"), Column(p("col_ci_high"), "num3")],
                                           rows, sheet=p("sheet_agreement"), note=p("agreement_note"))))
    per_rubric = metrics.get("per_rubric")
    if isinstance(per_rubric, list) and per_rubric:
        keys = ("precision", "recall", "f1", "support", "kappa")
        rows = []
        for r in per_rubric:
            if not isinstance(r, dict):
                continue
            values = [number(r.get(k)) for k in keys]
            if not values[3]:  # no record has it first in the manual labels: P, R, F1 are undefined, not 0
                values[:3] = [None, None, None]
            rows.append([r.get("rubric"), rubric_name(str(r.get("rubric", "")), sf.lang), *values])
        section.blocks.append(TableBlock(Table("agreement-per-rubric", p("tbl_agreement_rubric"),
                                               [Column(p("col_rubric")), Column(p("col_name")),
                                                *[Column(p(f"col_{k}"), "int" if k == "support" else "num3")
                                                  for k in keys]],
                                               rows, sheet=p("sheet_agreement_rubric"), frozen_columns=2,
                                               note=p("support_zero") if any(r[5] == 0 for r in rows) else "")))
    confusion = "compare/confusion.png"
    if sf.exists(confusion):
        uri = sf.png_uri(confusion)
        if uri:
            section.blocks.append(Image(uri, p("confusion_alt"), p("confusion_alt"), collapsed=True))
    _effect(sf, section, metrics.get("effect"))
    return section


def _effect(sf: StudyFolder, section: Section, effect: object) -> None:
    p = partial(phrase, lang=sf.lang)
    if not isinstance(effect, dict):
        return
    if "skipped" in effect:
        section.blocks.append(Notice([p("effect_skipped", reason=str(effect["skipped"]))]))
        return
    flips = effect.get("flips") or []
    rows = [[f.get("region"), f.get("rubric"), rubric_name(str(f.get("rubric", "")), sf.lang),
             p(f"change_{f.get('change')}") if f.get("change") in ("appears", "disappears") else f.get("change"),
             number(f.get("manual")), number(f.get("automatic"))] for f in flips if isinstance(f, dict)]
    section.blocks.append(TableBlock(Table("agreement-flips", p("tbl_flips"),
                                           [Column(p("col_region")), Column(p("col_rubric")), Column(p("col_name")),
                                            Column(p("col_change")), Column(p("col_manual_ratio"), "coef"),
                                            Column(p("col_automatic_ratio"), "coef")], rows,
                                           sheet=p("sheet_flips"), threshold=number(effect.get("threshold")) or 1.0,
                                           note=p("flips_note", n=len(rows)))))
