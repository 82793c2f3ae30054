"""Sections: co-occurrence maps (interactive, from maps/*/map.json) and methodology and limitations."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pandas as pd

from bibmine.report.folder import StudyFolder, flatten
from bibmine.report.model import Column, Figures, Image, MapView, Notice, Section, Table, TableBlock, Text
from bibmine.report.phrases import phrase
from bibmine.report.sections_data import number
from bibmine.report.viewer import cluster_colour, cluster_labels, script_json, viewer_data
from bibmine.specialization.coefficients import is_competence


def maps_section(sf: StudyFolder) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("maps", p("sec_maps"))
    networks = sf.map_folders()
    if not networks:
        section.notes += [x.text(sf.lang, "maps") for x in sf.problems_for("maps/")] or [p("no_maps")]
        return section
    section.blocks.append(Text([p("maps_intro")]))
    used: set[str] = set()
    for name in networks:
        rel = f"maps/{name}/map.json"
        title = p("map_title", network=_known(p, "network", name))
        doc = sf.read_json(rel) if sf.exists(rel) else None
        if doc is None:
            preview = f"maps/{name}/preview.png"
            uri = sf.png_uri(preview) if sf.exists(preview) else None
            problems = [x.text(sf.lang, "maps") for x in sf.problems_for(rel)] or [p("note_missing", file=rel,
                                                                                     stage="maps")]
            section.blocks.append(Text([], heading=title))
            section.blocks.append(Notice(problems))
            if uri:
                section.blocks.append(Image(uri, title, p("map_preview")))
            continue
        data, problems = viewer_data(doc)
        key = _unique(re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "map", used)
        labels = cluster_labels(doc, "")
        clusters = [(int(c), labels.get(int(c), p("cluster_n", n=c)), cluster_colour(int(c)))
                    for c in sorted(data["colours"], key=int)]
        info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
        facts = [(p("map_items"), str(len(data["items"]))), (p("map_links"), str(len(data["links"]))),
                 (p("map_clusters"), str(len(clusters)))]
        if info.get("title"):  # the file's own words, as VOSviewer shows them
            facts.insert(0, (p("map_source_title"), str(info["title"])))
        if not data["items"]:
            section.blocks.append(Text([], heading=title))
            section.blocks.append(Notice([p("map_empty", file=rel)] + problems))
            continue
        weights = [_known(p, "weight", w) for w in data["weights"]]
        section.blocks.append(MapView(key, title, script_json(data), facts, weights, clusters, data["weight"],
                                      verbatim=(0,) if info.get("title") else ()))
        if problems:
            section.blocks.append(Notice([f"{rel}: {x}" for x in problems]))
    return section


def _known(p, prefix: str, name: str) -> str:
    """The phrase ``prefix_name`` (a network kind, a VOSviewer weight) in the report's language, else the name."""
    from bibmine.report.phrases import phrases

    key = f"{prefix}_" + re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")
    return p(key) if key in phrases() else str(name)


def _unique(key: str, used: set[str]) -> str:
    candidate, n = key, 2
    while candidate in used:
        candidate, n = f"{key}-{n}", n + 1
    used.add(candidate)
    return candidate


def method_section(sf: StudyFolder, coefficients: pd.DataFrame | None, threshold: float) -> Section:
    p = partial(phrase, lang=sf.lang)
    section = Section("method", p("sec_method"))
    counting = sf.parameter("specialization", "counting")
    share = sf.parameter("regions", "share")
    st_source = sf.parameter("specialization", "st")
    cross = sf.parameter("specialization", "cross_cutting")
    if cross is None:
        from bibmine.specialization.concordance import default_cross_cutting

        cross = list(default_cross_cutting())
    unknown = p("not_recorded")
    paragraphs = [p("method_coefficients"), p("method_threshold", threshold=f"{threshold:.2f}"),
                  p("method_reference"),
                  p("method_counting", counting=p(f"counting_{counting}") if counting in ("whole", "fractional")
                    else (counting or unknown), share=_known(p, "share", share) if share else unknown),
                  _st_source(sf, st_source), p("method_st_meaning"), _small_counts(sf, coefficients, threshold),
                  _automatic(sf), p("method_cross_cutting", rubrics=", ".join(map(str, cross)))]
    map_counting = sf.parameter("maps", "counting")
    if map_counting:
        paragraphs.append(p("method_maps", counting=_known(p, "map_counting", map_counting),
                            min=sf.parameter("maps", "min_occurrences", unknown)))
    paragraphs.append(p("method_source"))
    section.blocks.append(Text(paragraphs))
    _run(sf, section)
    return section


def _st_source(sf: StudyFolder, st_source: object) -> str:
    p = partial(phrase, lang=sf.lang)
    reference = sf.read_json("specialization/reference.json") if sf.exists("specialization/reference.json") else None
    sentence = (reference or {}).get("sentence") if isinstance(reference, dict) else None
    if st_source != "coefficients" and isinstance(sentence, dict) and isinstance(sentence.get(sf.lang), str):
        return sentence[sf.lang]  # the reference actually used, its years and sizes (bibmine.specialization.study_st)
    if st_source == "corpus":
        sources = sf.parameter("specialization", "sources") or ["publications"]
        years = sf.parameter("specialization", "years")
        shown = f"{years[0]}–{years[1]}" if isinstance(years, list) and len(years) == 2 else p("all_years")
        return p("method_st_corpus", sources=", ".join(map(str, sources)), years=shown)
    if st_source == "coefficients":
        return p("method_st_tables")
    return p("method_st_unknown")


def _small_counts(sf: StudyFolder, coefficients: pd.DataFrame | None, threshold: float) -> str:
    p = partial(phrase, lang=sf.lang)
    st = None if coefficients is None else coefficients[coefficients["level"] == "st"]
    if st is None or st.empty or "solid" not in st.columns or "count" not in st.columns:
        return p("method_small_counts") + " " + p("method_no_counts")
    competences = st[[is_competence(v, threshold) for v in st["value"]]]
    counted = competences[competences["count"].notna()]
    if counted.empty:
        return p("method_small_counts") + " " + p("method_no_counts")
    weak = sum(str(s).strip().lower() in ("false", "0") for s in counted["solid"])
    return p("method_small_counts") + " " + p("method_weak", counted=len(counted), total=len(competences),
                                              weak=weak)


def _automatic(sf: StudyFolder) -> str:
    p = partial(phrase, lang=sf.lang)
    model = sf.read_json("rubrics/model.json") if sf.exists("rubrics/model.json") else None
    name = str((model or {}).get("name") or sf.parameter("rubrics", "model") or p("not_recorded"))
    text = p("method_automatic", model=name)
    metrics = sf.read_json("compare/metrics.json") if sf.exists("compare/metrics.json") else None
    accuracy, kappa = number((metrics or {}).get("accuracy")), number((metrics or {}).get("kappa"))
    if metrics and accuracy is not None:
        kappa_text = "—" if kappa is None else f"{kappa:.2f}"
        return text + " " + p("method_checked", n=metrics.get("n", "?"), accuracy=f"{100 * accuracy:.0f}%",
                              kappa=kappa_text)
    return text + " " + p("method_unchecked")


def _run(sf: StudyFolder, section: Section) -> None:
    p = partial(phrase, lang=sf.lang)
    manifest = sf.manifest()
    if manifest is None:
        section.blocks.append(Notice([x.text(sf.lang, "run") for x in sf.problems_for("manifest.json")]))
        return
    config = manifest.get("config") if isinstance(manifest.get("config"), dict) else {}
    section.blocks.append(Text([], heading=p("run_heading")))
    section.blocks.append(Figures([(p("run_study"), str(manifest.get("study") or "—")),
                                   (p("run_config"), Path(str(config.get("path") or "—")).name),
                                   (p("run_config_hash"), str(config.get("sha256") or "—")[:12]),
                                   (p("run_written"), str(manifest.get("written") or "—")),
                                   (p("run_bibmine"), str(manifest.get("bibmine") or "—"))], verbatim=(0,)))
    stages = [s for s in manifest.get("stages") or [] if isinstance(s, dict)]
    if stages:
        # the stages' notes are English text: shown in the English report, kept in manifest.json otherwise
        rows = [[_known(p, "stage", s.get("name")), p("stage_ran") if s.get("ran") else p("stage_skipped"),
                 number(s.get("seconds"))] + ([str(s.get("result") or "")] if sf.lang == "en" else [])
                for s in stages]
        section.blocks.append(TableBlock(Table("run-stages", p("tbl_stages"),
                                               [Column(p("col_stage")), Column(p("col_status")),
                                                Column(p("col_seconds"), "num")]
                                               + ([Column(p("col_result"))] if sf.lang == "en" else []),
                                               rows, sheet=p("sheet_run"),
                                               note="" if sf.lang == "en" else p("stage_results_note"))))
    inputs = [i for i in manifest.get("inputs") or [] if isinstance(i, dict)]
    if inputs:
        rows = [[Path(str(i.get("path", ""))).name, str(i.get("sha256") or "")[:16], number(i.get("bytes"))]
                for i in inputs]
        section.blocks.append(TableBlock(Table("run-inputs", p("tbl_inputs"),
                                               [Column(p("col_file")), Column(p("col_sha256")),
                                                Column(p("col_bytes"), "int")], rows, sheet=p("sheet_inputs"))))
    params = flatten(manifest.get("parameters") or {})
    if params:
        section.blocks.append(TableBlock(Table("run-parameters", p("tbl_parameters"),
                                               [Column(p("col_parameter")), Column(p("col_value"), verbatim=True)],
                                               [list(r) for r in params], sheet=p("sheet_parameters"))))
    packages = manifest.get("packages")
    if isinstance(packages, dict) and packages:
        section.blocks.append(TableBlock(Table("run-packages", p("tbl_packages"),
                                               [Column(p("col_package")), Column(p("col_version"))],
                                               [[str(k), str(v)] for k, v in packages.items()])))
