"""``bibmine baseline``: the national reference of the S&T ratio (docs/baseline.md).

- ``openalex --country RU --from 2019 --to 2021 --sample 1000 [--seed 42] [--model default]
  [--counting whole|fractional] [--store DIR] --out baseline.csv``: a sample of the country's works
  per year from OpenAlex, classified into GRNTI, scaled to the country's totals (stored: a rerun
  makes no request);
- ``check FILE``: validate a baseline table (every bad line named; exit 3 when some were skipped,
  4 when nothing is usable);
- ``corpus --national-corpus --out baseline.csv``: the reference counted from the corpus itself,
  only when you say the corpus covers the whole country.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from bibmine.sources.redact import install_log_redaction, redact_text

app = typer.Typer(help="The national reference (baseline) of the S&T specialization ratio.", no_args_is_help=True,
                  add_completion=False)
err = Console(stderr=True)
EXIT_USAGE, EXIT_REJECTS, EXIT_UNREADABLE, EXIT_STOPPED = 2, 3, 4, 5


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[red]error[/red]: {escape(redact_text(message))}", highlight=False)
    return typer.Exit(code)


@app.command()
def openalex(
    out: Annotated[Path, typer.Option("--out", help="Baseline table to write (CSV).")],
    year_from: Annotated[int, typer.Option("--from", help="First publication year.")],
    year_to: Annotated[int, typer.Option("--to", help="Last publication year.")],
    country: Annotated[str, typer.Option("--country", help="Country code (ISO 3166-1 alpha-2).")] = "RU",
    sample: Annotated[int, typer.Option("--sample", help="Works sampled per year (1..10,000).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random sample (same seed, same works).")] = 42,
    model: Annotated[str, typer.Option("--model", help="GRNTI model: the one the corpus was classified with.")
                     ] = "default",
    counting: Annotated[str, typer.Option("--counting", help="whole or fractional (1 / number of rubrics).")
                        ] = "whole",
    work_type: Annotated[list[str] | None, typer.Option("--type", help="Work type (article, review, ...).")] = None,
    store: Annotated[Path, typer.Option("--store", help="Folder of the stored samples and classifications.")
                     ] = Path("baseline-store"),
    base_url: Annotated[str | None, typer.Option("--base-url", help="API root (a mirror or proxy).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Crawl config TOML (contact e-mail, rates).")
                      ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the requests, fetch nothing.")] = False,
) -> None:
    """A national baseline from a reproducible OpenAlex sample per year, classified by the corpus's model."""
    from bibmine.sources.crawl.baseline_openalex import OpenAlexSampler, openalex_baseline
    from bibmine.sources.crawl.config import ConfigError, load_config
    from bibmine.sources.http import HttpError, PoliteClient
    from bibmine.specialization.baseline import write_baseline

    if year_from > year_to:
        raise _fail(f"--from {year_from} is after --to {year_to}")
    if counting not in ("whole", "fractional"):
        raise _fail(f"--counting {counting!r}: use whole or fractional")
    install_log_redaction()
    try:
        cfg = load_config(config)
        if base_url:
            cfg.source("openalex").base_url = base_url
        if not dry_run:
            cfg.require_contact()
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    cfg.http.cache_path = None  # the sampler stores every page itself
    years = list(range(year_from, year_to + 1))
    with PoliteClient(cfg.http) as client:
        try:
            sampler = OpenAlexSampler(client, cfg.source("openalex"), country=country, sample=sample, seed=seed,
                                      store=store, mailto=cfg.http.contact_email, types=work_type or ())
        except ValueError as exc:
            raise _fail(str(exc)) from None
        if dry_run:
            for line in sampler.plan(years):
                typer.echo(line)
            return
        try:
            baseline = openalex_baseline(sampler, years, model=model, counting=counting,
                                         progress=lambda _y, note: err.print(escape(note), highlight=False))
        except HttpError as exc:
            raise _fail(f"stopped: {exc}; what was fetched is stored in {sampler.folder}: run the same command "
                        "to go on", EXIT_STOPPED) from None
        except FileNotFoundError as exc:
            raise _fail(str(exc)) from None
    write_baseline(baseline, out)
    sizes = baseline.details["sizes"]
    typer.echo(f"wrote {out}: {country} {year_from}-{year_to}, "
               + "; ".join(f"{y}: {s['total']:,} works, {s['classified']} of {s['sampled']} sampled classified"
                           for y, s in sizes.items())
               + f" ({baseline.details['requests']} requests; stored in {sampler.folder})")


@app.command()
def check(path: Annotated[Path, typer.Argument(help="Baseline table (CSV).", exists=True, dir_okay=False)]) -> None:
    """Validate a baseline table: every bad line named with what is wrong."""
    from bibmine.specialization.baseline import read_baseline

    try:
        baseline = read_baseline(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: cannot read ({exc})", EXIT_UNREADABLE) from None
    for problem in baseline.problems:
        err.print(escape(str(problem)), highlight=False)
    if baseline.table.empty:
        raise _fail(f"{path}: no usable row", EXIT_UNREADABLE)
    years = baseline.years
    typer.echo(f"{path}: {len(baseline.table)} rows, country {baseline.country or '(several)'}, years "
               f"{', '.join(map(str, years)) or 'none with a total'}; {len(baseline.problems)} problem(s)")
    if baseline.problems:
        raise typer.Exit(EXIT_REJECTS)


@app.command()
def corpus(
    out: Annotated[Path, typer.Option("--out", help="Baseline table to write (CSV).")],
    national_corpus: Annotated[bool, typer.Option(
        "--national-corpus", help="Say that the corpus covers the whole country (required).")] = False,
    corpus_path: Annotated[Path | None, typer.Option("--corpus", envvar="BIBMINE_CORPUS", help="Corpus file.")
                           ] = None,
    country: Annotated[str, typer.Option("--country", help="Country code of the totals.")] = "RU",
    counting: Annotated[str, typer.Option("--counting", help="whole or fractional.")] = "whole",
    share: Annotated[str, typer.Option("--share", help="Region share: affiliation or author.")] = "affiliation",
) -> None:
    """The national reference counted from the corpus itself (only with --national-corpus)."""
    from bibmine.cli_support import open_corpus
    from bibmine.corpus.store import default_corpus_path
    from bibmine.specialization.baseline import corpus_baseline, write_baseline
    from bibmine.specialization.corpus_counts import st_records

    if not national_corpus:
        raise _fail("a baseline from the corpus compares the regions with the corpus itself; it is right only when "
                    "the corpus holds the whole country's records. Say so with --national-corpus, or use "
                    "'bibmine baseline openalex' or a supplied table (docs/baseline.md)")
    path = corpus_path or default_corpus_path()
    with open_corpus(path) as c:
        table, _excluded = st_records(c, share=share)
    if table.empty:
        raise _fail("no record has both a placed region and a rubric")
    baseline = corpus_baseline(table, country=country, counting=counting)
    write_baseline(baseline, out)
    typer.echo(f"wrote {out}: {country}, years {', '.join(map(str, baseline.years))} from {path}")
