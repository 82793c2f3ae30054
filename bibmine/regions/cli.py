"""``bibmine regions``: place affiliations in organizations, cities, subjects, macroregions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bibmine.scale.options import LOCAL, EngineChoice, engine_options

app = typer.Typer(
    help="Place affiliations in an organization, city, Russian federal subject and macroregion, with evidence.",
    no_args_is_help=True,
    add_completion=False,
)



@app.callback()
def regions() -> None:
    """Place affiliations in an organization, city, Russian federal subject and macroregion."""


GAZETTEER_HELP = "User gazetteer CSV (kind,alias,subject,city,organization,country); its entries override shipped ones."


def _matcher(gazetteer: Path | None):
    from bibmine.regions.matcher import Matcher

    matcher = Matcher(user_file=gazetteer)
    for r in matcher.gazetteer.rejects:
        typer.echo(f"{r.file}: line {r.line}: {r.reason} (row skipped)", err=True)
    return matcher


@app.command()
def locate(
    text: Annotated[list[str] | None, typer.Argument(help="Affiliation strings to place.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", exists=True, dir_okay=False,
                                              help="A file with one affiliation string per line.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    gazetteer: Annotated[Path | None, typer.Option("--gazetteer", exists=True, dir_okay=False,
                                                   help=GAZETTEER_HELP)] = None,
) -> None:
    """Place affiliation strings given on the command line or one per line in a file (no corpus needed)."""
    texts = list(text or [])
    if file is not None:
        with open(file, encoding="utf-8-sig") as fh:
            texts += [line.rstrip("\r\n") for line in fh if line.strip()]
    if not texts:
        raise typer.BadParameter("give affiliation strings as arguments or --file FILE")
    matcher = _matcher(gazetteer)
    for placement in matcher.locate_many(texts):
        d = placement.to_dict()
        if as_json:
            typer.echo(json.dumps(d, ensure_ascii=False))
        else:
            where = " / ".join(str(v) for v in (d["country"], d["region"], d["city"], d["organization"]) if v)
            typer.echo(f"{d['text']}\t{where or '-'}\t{d['status']}\t{d['match_score']}")


CorpusOpt = Annotated[Path | None, typer.Option("--corpus", envvar="BIBMINE_CORPUS", help="Corpus SQLite file.")]


def _corpus(path: Path | None):
    from bibmine.cli_support import open_corpus
    from bibmine.corpus.store import default_corpus_path

    return open_corpus(path or default_corpus_path())


@app.command()
@engine_options
def assign(
    corpus: CorpusOpt = None,
    gazetteer: Annotated[Path | None, typer.Option("--gazetteer", exists=True, dir_okay=False,
                                                   help=GAZETTEER_HELP)] = None,
    engine: EngineChoice = LOCAL,
) -> None:
    """Place every affiliation of the corpus and store the placements with method and evidence."""
    from bibmine.cli_support import progress

    matcher = _matcher(gazetteer)
    with _corpus(corpus) as c, progress(eta=True) as bar:
        task = bar.add_task("placing affiliations", total=c.count())
        if engine.local:
            from bibmine.regions.store import assign as do_assign

            counts = do_assign(c, matcher, progress=lambda n: bar.advance(task, n))
        else:
            from bibmine.regions.partitions import assign_dataset

            with engine.distributed(c) as (ds, e):
                counts = assign_dataset(c, e, ds, gazetteer, progress=lambda n: bar.advance(task, n))
    typer.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))


@app.command()
def stats(
    corpus: CorpusOpt = None,
    mode: Annotated[str, typer.Option(help="whole | affiliation | author (see bibmine.regions.counting)")] = "whole",
    level: Annotated[str, typer.Option(help="subject | macroregion | country")] = "subject",
) -> None:
    """Records per subject (or macroregion, country) and the share of records left unplaced."""
    from bibmine.regions.counting import LEVELS, MODES, count_records
    from bibmine.study.checks import option_choice

    option_choice(mode, MODES, "--mode")
    option_choice(level, LEVELS, "--level")
    from bibmine.regions.gazetteer import read_gazetteer
    from bibmine.regions.store import placed_records

    gaz = read_gazetteer()
    with _corpus(corpus) as c:
        table = count_records(placed_records(c), mode, level, gaz.macroregion_of)
    for unit, value in sorted(table.totals.items(), key=lambda kv: (-kv[1], kv[0])):
        typer.echo(f"{unit}\t{value:g}")
    share = table.share_unplaced_records
    typer.echo(f"records\t{table.records}")
    typer.echo(f"unplaced records\t{len(table.unplaced_records)}\t{'' if share is None else f'{share:.1%}'}")


@app.command()
def explain(record: Annotated[str, typer.Argument(help="Record id (uid).")], corpus: CorpusOpt = None) -> None:
    """Show how each affiliation of one record was placed, with the evidence."""
    from bibmine.regions.store import placements

    with _corpus(corpus) as c:
        rows = placements(c, record)
    if not rows:
        typer.echo(f"no placements for {record} (unknown id, or run `bibmine regions assign` first)", err=True)
        raise typer.Exit(1)
    for r in rows:
        typer.echo(json.dumps(r, ensure_ascii=False))


@app.command()
def unresolved(corpus: CorpusOpt = None, limit: Annotated[int, typer.Option(help="How many groups.")] = 50) -> None:
    """Affiliation strings that could not be placed, grouped and counted (add aliases to a user gazetteer)."""
    from bibmine.regions.store import unresolved as query

    with _corpus(corpus) as c:
        for raw, n, status in query(c, limit):
            typer.echo(f"{n}\t{status}\t{raw}")
