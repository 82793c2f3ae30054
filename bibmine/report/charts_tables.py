"""The tables behind the indicator charts (what the report shows one click away and the workbook holds).

``indicator_tables(result, lang)`` turns :func:`bibmine.indicators.compute_all`'s dict into report
:class:`~bibmine.report.model.Table` values, keyed ``ind-*``; :mod:`.sections_indicators` draws a chart
from each. Names, not codes: subjects by their gazetteer name, countries by their ISO 3166 name in the
report's language (pycountry's translations), rubrics by their GRNTI name.
"""

from __future__ import annotations

import gettext
from functools import cache, partial

from bibmine.report.locale import fmt, percent
from bibmine.report.model import Column, Table
from bibmine.report.phrases import phrase
from bibmine.report.russia_map import subject_name

MAIN_KEYS = ("timespan", "sources", "documents", "annual_growth_rate", "document_average_age", "citations_per_doc",
             "citations_per_doc_per_year", "references", "keywords", "authors", "single_authored_docs",
             "coauthors_per_doc", "international_coauthorship", "interregional_coauthorship")

REASONS = {"no dated document": "ind_reason_growth_none", "the timespan is a single year": "ind_reason_growth_single",
           "no document in the first year": "ind_reason_growth_first",
           "no document has a citation count": "ind_reason_citations",
           "no affiliation is placed in a country": "ind_reason_countries",
           "no affiliation is placed in a federal subject": "ind_reason_subjects"}


@cache
def _country_translation(lang: str):
    import pycountry

    if lang == "en":
        return None
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


def country_name(code: str, lang: str) -> str:
    """Examples:

    >>> country_name("DE", "ru"), country_name("DE", "en"), country_name("ZZ", "ru")
    ('Германия', 'Germany', 'ZZ')
    """
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    translation = _country_translation(lang)
    return translation.gettext(country.name) if translation else name


@cache
def _organization_names() -> dict[str, dict[str, str]]:
    import csv
    from importlib import resources

    out: dict[str, dict[str, str]] = {}
    with resources.files("bibmine.regions").joinpath("data/organizations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = {"en": row["name_en"] or row["name_ru"], "ru": row["name_ru"] or row["name_en"]}
            for name in names.values():
                out[name] = names
    return out


def organization_name(name: str, lang: str) -> str:
    """A gazetteer organization in the report's language (others as printed).

    >>> organization_name("Voronezh State University", "ru")
    'Воронежский государственный университет'
    """
    known = _organization_names().get(name)
    return known[lang] if known else name


def rubric_label(code: str, lang: str) -> str:
    from bibmine.report.sections_data import rubric_name

    return rubric_name(code, lang)


def indicator_tables(result: dict, lang: str) -> list[Table]:
    p = partial(phrase, lang=lang)
    c = lambda key, kind="text": Column(p(f"ind_col_{key}"), kind)  # noqa: E731
    out = []
    info = result.get("main_information") or {}
    rows = []
    for key in MAIN_KEYS:
        value = info.get(key)
        if key == "timespan":
            value = f"{value[0]}–{value[1]}" if value else "—"
        elif key in ("international_coauthorship", "interregional_coauthorship", "annual_growth_rate"):
            value = percent(value / 100 if key == "annual_growth_rate" and value is not None else value, lang)
        else:
            value = fmt(value, lang, None if isinstance(value, int) else 2)
        why = (info.get("reasons") or {}).get(key, "")
        rows.append([p(f"ind_{key}"), value, p(REASONS[why]) if why in REASONS else why])
    main = Table("ind-main", p("ind_main"), [c("indicator"), c("value"), c("note")], rows,
                 sheet=p("ind_sheet_main"))
    out.append(main)
    out.append(Table("ind-annual", p("ind_annual"), [c("year"), c("documents", "int"), c("mean_citations", "num"),
                                                    c("mean_citations_per_year", "num")],
                     [[str(r["year"]), r["documents"], r["mean_citations"], r["mean_citations_per_year"]]
                      for r in result.get("annual_production") or []], sheet=p("ind_sheet_annual")))
    out.append(Table("ind-cited", p("ind_cited"), [c("title"), c("year"), c("source"), c("doi"),
                                                  c("citations", "int"), c("citations_per_year", "num")],
                     [[r["title"], str(r["year"] or ""), r["source"] or "", r["doi"] or r["id"], r["citations"],
                       r["citations_per_year"]] for r in result.get("most_cited") or []],
                     sheet=p("ind_sheet_cited")))
    out.append(Table("ind-sources", p("ind_sources_chart"), [c("source"), c("documents", "int"), c("cumulative", "int"),
                                                      c("zone")],
                     [[r["source"], r["documents"], r["cumulative"], p("ind_zone", zone=r["zone"])]
                      for r in result.get("sources") or []], sheet=p("ind_sheet_sources")))
    out.append(Table("ind-authors", p("ind_authors_chart"), [c("author"), c("documents", "int"), c("fractional", "num"),
                                                      c("citations", "int"), c("h", "int"), c("g", "int"),
                                                      c("m", "num"), c("first_year")],
                     [[r["author"], r["documents"], r["fractional"], r["citations"], r["h"], r["g"], r["m"],
                       str(r["first_year"] or "")] for r in result.get("authors") or []],
                     sheet=p("ind_sheet_authors")))
    lotka = result.get("lotka") or {}
    out.append(Table("ind-lotka", p("ind_lotka"), [c("documents"), c("authors", "int"), c("share", "pct"),
                                                  c("lotka_share", "pct"), c("fitted_share", "pct")],
                     [[str(r["documents"]), r["authors"], r["share"], r["lotka_share"], r["fitted_share"]]
                      for r in lotka.get("rows") or []], sheet=p("ind_sheet_lotka"),
                     note=p("ind_lotka_note", beta=_num(lotka.get("beta"), lang), c=_num(lotka.get("c"), lang, 3),
                            r2=_num(lotka.get("r2"), lang))))
    out.append(Table("ind-affiliations", p("ind_affiliations"), [c("organization"), c("documents", "int")],
                     [[organization_name(r["name"], lang), r["documents"]] for r in result.get("affiliations") or []],
                     sheet=p("ind_sheet_affiliations")))
    out.append(Table("ind-subjects", p("ind_subjects"), [c("code"), c("subject"), c("documents", "int"),
                                                        c("with_other_subjects", "int")],
                     [[r["name"], subject_name(r["name"], lang), r["documents"], r["with_other_subjects"]]
                      for r in result.get("subjects") or []], sheet=p("ind_sheet_subjects"), frozen_columns=2))
    out.append(Table("ind-countries", p("ind_countries"), [c("code"), c("country"), c("documents", "int"),
                                                          c("scp", "int"), c("mcp", "int"), c("mcp_share", "pct")],
                     [[r["name"], country_name(r["name"], lang), r["documents"], r["scp"], r["mcp"], r["mcp_share"]]
                      for r in result.get("countries") or []], sheet=p("ind_sheet_countries"), frozen_columns=2))
    out.append(Table("ind-collaboration", p("ind_collaboration"), [c("subject_a"), c("subject_b"),
                                                                  c("documents", "int")],
                     [[subject_name(r["a"], lang), subject_name(r["b"], lang), r["documents"]]
                      for r in result.get("subject_collaboration") or []], sheet=p("ind_sheet_collaboration")))
    out.append(Table("ind-trends", p("ind_trends"), [c("keyword"), c("documents", "int"), c("q1"), c("median"),
                                                    c("q3")],
                     [[r["keyword"], r["documents"], str(r["q1"]), str(r["median"]), str(r["q3"])]
                      for r in result.get("trend_topics") or []], sheet=p("ind_sheet_trends")))
    out.append(Table("ind-thematic", p("ind_thematic"), [c("theme"), c("keywords"), c("documents", "int"),
                                                        c("centrality", "num"), c("density", "num"), c("quadrant")],
                     [[r["label"], ", ".join(r["keywords"][:10]), r["documents"], r["centrality"], r["density"],
                       p(f"ind_q_{r['quadrant']}")] for r in result.get("thematic_map") or []],
                     sheet=p("ind_sheet_thematic")))
    tf = result.get("three_field") or {}
    out.append(Table("ind-threefield", p("ind_threefield"), [c("from"), c("to"), c("documents", "int")],
                     [[field_label(a, lang), field_label(b, lang), n] for a, b, n in tf.get("links") or []],
                     sheet=p("ind_sheet_threefield")))
    return out


def field_label(node: str, lang: str) -> str:
    """A three-field node id (``s:RU-VOR``, ``r:68``, ``k:soil``) as a name."""
    kind, _, value = node.partition(":")
    if kind == "s":
        return subject_name(value, lang)
    if kind == "r":
        return rubric_label(value, lang)
    return value


def _num(value: float | None, lang: str, digits: int = 2) -> str:
    from bibmine.report.locale import fmt

    return fmt(value, lang, digits)
