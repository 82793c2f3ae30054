"""``bibmine specialization``: coefficients, managerial matrices and scenario models (fixed CLI).

- ``coefficients --values FILE [--values FILE ...] [--reference country|macroregion] --out FILE``
- ``matrix --coefficients FILE --concordance FILE --level export|national|macroregional --out FILE.(csv|xlsx|html)``
- ``scenario --coefficients FILE --concordance FILE --region CODE [--threshold 1.0]
  [--cross-cutting 50,20,28] [--lang en|ru] [--json]``

Bad rows are reported on stderr with file, row and reason, and the run goes on; a file with
nothing usable is an error (exit code 1). ``--concordance`` may be left out to use the shipped
default (``bibmine/specialization/data/concordance_default.csv``).
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bibmine.scale.options import LOCAL, EngineChoice, engine_options

if TYPE_CHECKING:  # the stage's modules load pandas: imported where a command runs, not for --help
    from bibmine.specialization.concordance import Concordance
    from bibmine.specialization.inputs import InputProblem

app = typer.Typer(
    help="Specialization coefficients, managerial matrices and scenario models of regions.",
    no_args_is_help=True,
    add_completion=False,
)


class Reference(enum.StrEnum):
    country = "country"
    macroregion = "macroregion"


class Level(enum.StrEnum):
    export = "export"
    national = "national"
    macroregional = "macroregional"


class Lang(enum.StrEnum):
    en = "en"
    ru = "ru"


_FILE = {"exists": True, "dir_okay": False, "readable": True}
CoefficientsFile = Annotated[Path, typer.Option("--coefficients", **_FILE, help="Coefficients table.")]
ConcordanceFile = Annotated[Path | None, typer.Option(
    "--concordance", **_FILE, help="Concordance CSV level,category,rubric (default: the shipped one).")]


def _report(problems: list[InputProblem]) -> None:
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _load_coefficients(path: Path):
    from bibmine.specialization.inputs import read_coefficients

    table, problems = read_coefficients(path)
    _report(problems)
    if table.empty:
        raise _fail(f"{path}: no usable coefficient rows")
    return table


def _load_concordance(path: Path | None) -> Concordance:
    from bibmine.specialization.concordance import read_concordance

    concordance = read_concordance(path)
    _report(concordance.problems)
    if concordance.links.empty:
        raise _fail(f"{path}: no usable concordance rows")
    return concordance


@app.command()
def coefficients(
    values: Annotated[list[Path], typer.Option(
        "--values", **_FILE, help="Tidy CSV/XLSX level,year,category,region,value (repeatable).")],
    out: Annotated[Path, typer.Option("--out", help="Output table (.csv or .xlsx).")],
    reference: Annotated[Reference | None, typer.Option(
        "--reference", help="Reference area for every level: the country total rows or the macroregion. "
        "Default: export and S&T against the country, output against both (national and "
        "macroregional levels).", show_default=False)] = None,
) -> None:
    """Compute location quotients (threshold > 1; S&T ratios with a 95% interval and a solid flag)."""
    from bibmine.specialization.coefficients import location_quotients
    from bibmine.specialization.inputs import read_values, write_table

    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise typer.BadParameter("the output must be a .csv or .xlsx file", param_hint="--out")
    table, problems = read_values(values)
    _report(problems)
    if table.empty:
        raise _fail("no usable value rows in " + ", ".join(map(str, values)))
    try:
        result = location_quotients(table, reference.value if reference else None)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    write_table(result, out)
    undefined = int(result["value"].isna().sum())
    used = reference.value if reference else "by level"
    typer.echo(f"wrote {len(result)} coefficients ({undefined} undefined, reference: {used}) to {out}")


@app.command()
def matrix(
    coefficients: CoefficientsFile,
    level: Annotated[Level, typer.Option("--level", help="Matrix level.")],
    out: Annotated[Path, typer.Option("--out", help="Output: .csv, .xlsx or .html.")],
    concordance: ConcordanceFile = None,
) -> None:
    """Write the managerial matrix of one level (rows: categories; columns: regions)."""
    from bibmine.specialization.matrix import managerial_matrix
    from bibmine.specialization.render import write_matrix

    if out.suffix.lower() not in (".csv", ".xlsx", ".html"):
        raise typer.BadParameter("the output must be a .csv, .xlsx or .html file", param_hint="--out")
    table = _load_coefficients(coefficients)
    links = _load_concordance(concordance)
    try:
        built = managerial_matrix(table, links, level.value)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    write_matrix(built, out)
    typer.echo(f"wrote the {level.value} matrix ({len(built.categories)} rows x {len(built.regions)} regions) "
               f"to {out}")


@app.command()
def scenario(
    coefficients: CoefficientsFile,
    region: Annotated[str, typer.Option("--region", help="Region code, e.g. RU-LIP.")],
    concordance: ConcordanceFile = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="Competence: coefficient strictly above this.")] = 1.0,
    cross_cutting: Annotated[str, typer.Option(
        "--cross-cutting", help="Cross-cutting GRNTI rubrics, comma-separated.")] = "50,20,28",
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the text.")] = Lang.en,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (codes) instead of text.")] = False,
) -> None:
    """Print the scenario model of one region, level by level, with its possible-to-develop rubrics."""
    from bibmine.specialization.concordance import parse_cross_cutting
    from bibmine.specialization.scenario import scenario_model
    from bibmine.study.checks import option_regions

    option_regions([region], "--region")
    try:
        rubrics = parse_cross_cutting(cross_cutting)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--cross-cutting") from None
    table = _load_coefficients(coefficients)
    links = _load_concordance(concordance)
    try:
        model = scenario_model(table, links, region, threshold=threshold, cross_cutting=rubrics,
                               lang=lang.value)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(model.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(model.to_text(), nl=False)


def _years(text: str | None) -> tuple[int, int] | None:
    """``2019-2021`` or ``2020`` as an inclusive window; a usage error (exit 2) for anything else."""
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        window = (int(first), int(last or first))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a year window; expected e.g. 2019-2021 or 2020",
                                 param_hint="--years") from None
    if window[0] > window[1]:
        raise typer.BadParameter(f"{text!r}: first year after last", param_hint="--years")
    return window


@app.command("st-counts")
@engine_options
def st_counts(
    out: Annotated[Path, typer.Option("--out", help="Values table to write (CSV or XLSX).")],
    corpus: Annotated[Path | None, typer.Option("--corpus", envvar="BIBMINE_CORPUS", help="Corpus file.")] = None,
    rubrics: Annotated[str, typer.Option("--rubrics", help="manual, automatic or prefer-manual.")] = "prefer-manual",
    counting: Annotated[str, typer.Option("--counting", help="whole or fractional.")] = "whole",
    share: Annotated[str, typer.Option("--share", help="Fractional region share by affiliation or author.")
                     ] = "affiliation",
    years: Annotated[str | None, typer.Option("--years", help="Inclusive window, e.g. 2019-2021.")] = None,
    sources: Annotated[str, typer.Option("--sources", help="Comma list: publications, rsci_core, patents, "
                                         "utility_models, software, databases.")] = "publications",
    national_corpus: Annotated[bool, typer.Option(
        "--national-corpus", help="Add country rows (RU) counted from the corpus: only for a corpus that covers "
        "the whole country (else use a baseline table, docs/baseline.md).")] = False,
    engine: EngineChoice = LOCAL,
) -> None:
    """S&T counts per region x GRNTI rubric from the corpus (placed regions, stored rubrics)."""
    from bibmine.cli_support import open_corpus
    from bibmine.corpus.store import default_corpus_path
    from bibmine.regions.counting import MODES
    from bibmine.specialization.corpus_counts import st_records
    from bibmine.specialization.counting import SOURCES, count_st
    from bibmine.specialization.inputs import write_table
    from bibmine.study.checks import option_choice

    option_choice(rubrics, ("manual", "automatic", "prefer-manual"), "--rubrics")
    option_choice(counting, ("whole", "fractional"), "--counting")
    option_choice(share, MODES, "--share")
    for source in sources.split(","):
        option_choice(source, SOURCES, "--sources")
    window = _years(years)
    options = {"counting": counting, "years": window, "sources": sources.split(","),
               "country": "RU" if national_corpus else None}
    with open_corpus(corpus or default_corpus_path()) as c:
        if engine.local:
            table, excluded = st_records(c, rubric_source=rubrics, share=share)
            counted = table.record_id.nunique()
            result = count_st(table, **options) if counted else None
        else:
            from bibmine.specialization.partitions import count_dataset

            with engine.distributed(c) as (ds, e):
                result, counted, excluded = count_dataset(e, ds, rubric_source=rubrics, share=share, **options)
    if not counted:
        raise _fail(f"no record has both a placed region and a {rubrics} rubric "
                    "(run 'bibmine regions assign' and 'bibmine rubrics classify' first)")
    write_table(result.values, out)
    typer.echo(f"wrote {out}: {counted} records counted; {len(excluded)} excluded "
               f"(no region or no rubric), {len(result.excluded)} left out by the filters")
