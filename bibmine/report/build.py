"""The report stage: ``report.{lang}.html`` and ``workbook.{lang}.xlsx`` from a study folder.

The folder is the one ``bibmine run`` fills (``docs/study-layout.md``); the report reads nothing
else, so it can be rebuilt from a folder alone. Every input is optional: a missing or broken file
leaves its section saying why. The HTML is self-contained: CSS and JS inline, images as data
URIs, and a Content-Security-Policy that allows no network request and no script but its own.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from bibmine import __version__
from bibmine.report.folder import StudyFolder
from bibmine.report.locale import when
from bibmine.report.model import Figures, Section, _ru_number
from bibmine.report.phrases import check_lang, phrase
from bibmine.report.sections_data import agreement_section, corpus_section, number, regions_section, rubrics_section
from bibmine.report.sections_indicators import indicators_section, russia_section, topics_section
from bibmine.report.sections_method import maps_section, method_section
from bibmine.report.sections_spec import heatmaps_section, matrices_section, region_labels, scenarios_section
from bibmine.report.sections_summary import summary_section
from bibmine.report.workbook import write_workbook
from bibmine.specialization.vocab import Names

HERE = Path(__file__).resolve().parent
SECTION_IDS = ("summary", "indicators", "topics", "russia", "corpus", "regions", "rubrics", "agreement", "heatmaps",
               "matrices", "scenarios", "maps", "method")


def build_sections(sf: StudyFolder) -> list[Section]:
    """Every section of the report, in order (ids: :data:`SECTION_IDS`): the summary first, then the charts,
    then the evidence; the methodology and the run's provenance last (the appendix)."""
    coefficients = sf.coefficients()
    threshold = number(sf.parameter("specialization", "threshold", 1.0))
    threshold = 1.0 if threshold is None else float(threshold)
    names = Names(coefficients, sf.lang)
    labels = region_labels(sf, names)
    sections = [summary_section(sf, coefficients, threshold, labels), indicators_section(sf), topics_section(sf),
                russia_section(sf, coefficients, threshold), corpus_section(sf), regions_section(sf),
                rubrics_section(sf), agreement_section(sf), heatmaps_section(sf, coefficients, threshold, labels),
                matrices_section(sf, threshold, labels, names), scenarios_section(sf, labels, names), maps_section(sf),
                method_section(sf, coefficients, threshold)]
    for section in sections:
        for table in section.tables():
            table.lang = sf.lang
        if sf.lang == "ru" and section.id != "method":  # the appendix keeps versions and hashes as written
            for block in section.blocks:
                if isinstance(block, Figures):
                    block.items = [(label, _ru_number(value)) for label, value in block.items]
    return sections


@cache
def _asset(name: str) -> str:
    return (HERE / "assets" / name).read_text(encoding="utf-8")


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=False, lstrip_blocks=False)


def content_security_policy(script: str) -> str:
    """No network, no plugin, no script but the report's own (by hash), images only as data URIs."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def render_html(sf: StudyFolder, sections: list[Section]) -> str:
    lang = sf.lang
    manifest = sf.manifest() or {}
    script = _asset("mapviewer.js")
    written = when(datetime.now(UTC), lang) + " UTC"
    template = _environment().get_template("report.html")
    return template.render(
        lang=lang, title=phrase("report_title", lang), study=str(manifest.get("study") or ""),
        generated=phrase("generated", lang, when=written, version=__version__), version=__version__,
        sections=sections, css=_asset("report.css") + _asset("charts.css"), js=script,
        csp=content_security_policy(script),
        t=lambda key, **values: phrase(key, lang, **values))


def build_report(folder: str | Path, lang: str = "en") -> dict:
    """Write ``report.{lang}.html`` and ``workbook.{lang}.xlsx`` into ``folder``.

    Returns ``{"report": Path, "workbook": Path, "notes": {section id: [why it is empty or partial]}}``.
    Raises FileNotFoundError when ``folder`` is not a folder, ValueError for an unknown language.
    """
    check_lang(lang)
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such study folder")
    sf = StudyFolder(folder, lang)
    sections = build_sections(sf)
    report = folder / f"report.{lang}.html"
    report.write_text(render_html(sf, sections), encoding="utf-8")
    tables = [t for s in sections for t in s.tables()]
    study = str((sf.manifest() or {}).get("study") or "")
    title = phrase("report_title", lang) + (f": {study}" if study else "")
    workbook = write_workbook(tables, folder / f"workbook.{lang}.xlsx", lang, title=title)
    return {"report": report, "workbook": workbook, "notes": {s.id: s.notes for s in sections if s.notes}}
