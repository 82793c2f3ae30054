"""The S&T part of a study's specialization stage: counts, the national baseline, ratios, and what they mean.

:func:`study_st` writes into the study's ``specialization/`` folder

- ``st_counts.csv``: the regions' counts per year window (never a country row: the corpus is not the country);
- ``baseline.csv``: the national reference actually used (docs/baseline.md), when there is one;
- ``reference.json``: which reference (``file``, ``openalex``, ``national-corpus`` or none), its
  source, years and sizes, the minimum count, the windows, and one sentence in English and in
  Russian for the report's methodology (or why the S&T ratios were not computed);

and returns the S&T ratio rows for ``coefficients.csv`` (None when there are none).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from bibmine.specialization.baseline import Baseline, corpus_baseline, read_baseline, write_baseline
from bibmine.specialization.st_ratios import st_ratios


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if value >= 10_000 else f"{value:g}"


_RU_REASONS = {
    "no national baseline was given": "не задана национальная база сравнения ([specialization] baseline), а "
    "отношение к итогу самого корпуса сравнивало бы регионы исследования лишь друг с другом, а не со страной",
    "no record has both a placed region and a GRNTI rubric": "ни у одной записи нет одновременно региона и рубрики "
    "ГРНТИ, считать нечего",
}


def reference_sentences(info: dict) -> dict[str, str]:
    """One sentence per language saying what the S&T ratios were computed against (or why not)."""
    if not info.get("computed"):
        reason = str(info.get("reason") or "")
        ru = _RU_REASONS.get(reason.split(" (", 1)[0].split(",", 1)[0], reason)
        return {"en": f"The S&T ratios were not computed: {reason}.",
                "ru": f"Коэффициенты НТ-специализации не рассчитаны: {ru}."}
    years = ", ".join(map(str, info["years"]))
    sizes = "; ".join(f"{y}: {_fmt(v)}" for y, v in info["totals"].items())
    mode = {"en": "year by year" if info["years_mode"] == "each" else f"pooled over {info['window']}",
            "ru": "по каждому году" if info["years_mode"] == "each" else f"суммарно за {info['window']}"}
    tail = {"en": f"counted {mode['en']} (years {years}; national totals {sizes}); a ratio from fewer than "
                  f"{info['min_count']:g} records of a region in a rubric is shown as \"too few records\" and is "
                  "never a competence.",
            "ru": f"подсчёт {mode['ru']} (годы {years}; итоги по стране {sizes}); коэффициент, рассчитанный по "
                  f"менее чем {info['min_count']:g} записям региона в рубрике, показан как «слишком мало "
                  "записей» и не считается компетенцией."}
    country = info.get("country") or "?"
    kind = info["kind"]
    if kind == "file":
        head = {"en": f"The S&T ratios compare each region's share of records in a GRNTI rubric with the share of "
                      f"the country ({country}) in the supplied baseline table {Path(info['source']).name}, ",
                "ru": f"Коэффициенты НТ-специализации сравнивают долю региона в рубрике ГРНТИ с долей страны "
                      f"({country}) по приложенной базовой таблице {Path(info['source']).name}; "}
    elif kind == "openalex":
        head = {"en": f"The S&T ratios compare each region's share of records in a GRNTI rubric with the share of "
                      f"the country ({country}) estimated from OpenAlex: a random sample of {info['sample']:,} works "
                      f"per year (seed {info['seed']}) classified by the model {info['model']} and scaled to the "
                      "country's yearly totals, each national count with its 95% interval; ",
                "ru": f"Коэффициенты НТ-специализации сравнивают долю региона в рубрике ГРНТИ с долей страны "
                      f"({country}), оценённой по OpenAlex: случайная выборка {info['sample']} работ за год "
                      f"(seed {info['seed']}), классифицированная моделью {info['model']} и пересчитанная на итоги "
                      "страны по годам, каждое число по стране — с 95%-ным интервалом; "}
    else:
        head = {"en": f"The S&T ratios compare each region's share of records in a GRNTI rubric with the share of "
                      f"the country ({country}) counted from the corpus itself, which the study declares to cover "
                      "the whole country (baseline = \"national-corpus\"), ",
                "ru": f"Коэффициенты НТ-специализации сравнивают долю региона в рубрике ГРНТИ с долей страны "
                      f"({country}), подсчитанной по самому корпусу, который, по заявлению исследования, охватывает "
                      "всю страну (baseline = \"national-corpus\"); "}
    return {lang: head[lang] + tail[lang] for lang in ("en", "ru")}


def count_options(study) -> dict:
    """The study's counting, sources and source weights, for :func:`.counting.count_st`."""
    from bibmine.specialization.counting import Weights

    options: dict = {"counting": study.counting, "sources": study.st_sources}
    if study.source_weights:
        options["weights"] = Weights(source=dict(study.source_weights))
    return options


def load_baseline(study, records: pd.DataFrame, years: list[int]) -> tuple[Baseline | None, list[str]]:
    """The study's national reference (``[specialization] baseline``) and notes about it."""
    kind = getattr(study, "baseline", None)
    if kind is None:
        return None, []
    if kind == "file":
        baseline = read_baseline(study.baseline_file, counting=study.counting)
        return baseline, [f"baseline: {p}" for p in baseline.problems]
    if kind == "national-corpus":
        return corpus_baseline(records, years=years or None, **count_options(study)), []
    if kind == "openalex":
        return _openalex(study, years), []
    raise ValueError(f"unknown baseline {kind!r}")


def _openalex(study, years: list[int]) -> Baseline:
    from bibmine.sources.crawl.baseline_openalex import OpenAlexSampler, openalex_baseline
    from bibmine.sources.crawl.config import load_config
    from bibmine.sources.http import PoliteClient

    config = load_config(study.crawl_config)
    config.require_contact()
    config.http.cache_path = None  # the sampler stores every page itself
    store = study.baseline_store or study.out / "baseline-store"
    with PoliteClient(config.http) as client:
        sampler = OpenAlexSampler(client, config.source("openalex"), country="RU", sample=study.baseline_sample,
                                  seed=study.baseline_seed, store=store, mailto=config.http.contact_email)
        return openalex_baseline(sampler, years, model=study.model or "default", counting=study.counting)


def study_st(study, folder: Path, records: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str], str]:
    """Counts, reference and ratios of the study's S&T section: (ratio rows or None, notes, one-line summary)."""
    folder.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    years = list(range(study.years[0], study.years[1] + 1)) if study.years else []
    if not years and study.baseline in ("openalex", "national-corpus") and "year" in records.columns:
        years = sorted({int(y) for y in records["year"].dropna()})
    info: dict = {"kind": study.baseline, "min_count": study.min_count, "years_mode": study.years_mode,
                  "counting": study.counting, "computed": False}
    baseline = None
    if records.empty:
        info["reason"] = "no record has both a placed region and a GRNTI rubric, so there is nothing to count"
        info["sentence"] = reference_sentences(info)
        (folder / "reference.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        return None, [info["sentence"]["en"]], info["sentence"]["en"]
    try:
        baseline, found = load_baseline(study, records, years)
        notes += found
    except Exception as exc:  # noqa: BLE001 - any failure of the reference is reported, the study goes on
        from bibmine.sources.redact import redact_text

        info["reason"] = f"the {study.baseline} baseline could not be obtained ({redact_text(str(exc))})"
        notes.append(info["reason"])
    span = tuple(study.years) if study.years else ((min(years), max(years)) if years else None)
    options = count_options(study)
    result = st_ratios(records, baseline, years=span, years_mode=study.years_mode, regions=study.regions or None,
                       min_count=study.min_count, threshold=study.threshold, **options)
    if not result.counts.empty:
        result.counts.to_csv(folder / "st_counts.csv", index=False, encoding="utf-8")
    if baseline is not None:
        write_baseline(baseline, folder / "baseline.csv")
        info.update(baseline.describe())
        info["kind"] = study.baseline
    info["windows"] = [f"{a}-{b}" if a != b else str(b) for a, b in result.windows]
    if span:
        info["window"] = f"{span[0]}–{span[1]}"
    if "reason" not in info and result.reason:
        info["reason"] = result.reason
    info["computed"] = not result.ratios.empty and "reason" not in info
    if info["computed"]:
        defined = result.ratios["value"].notna()
        info.update(ratios=int(defined.sum()), undefined=int((~defined).sum()),
                    too_few=int(result.ratios["too_few"].sum()))
    info["sentence"] = reference_sentences(info)
    (folder / "reference.json").write_text(json.dumps(info, ensure_ascii=False, indent=2, default=str),
                                           encoding="utf-8")
    if not info["computed"]:
        notes.append(info["sentence"]["en"])
        return None, notes, info["sentence"]["en"]
    summary = (f"S&T ratios against the {study.baseline} baseline: {info['ratios']} defined, {info['too_few']} with "
               f"too few records, windows {', '.join(info['windows'])}")
    return result.ratios, notes, summary
