"""``bibmine indicators``: the descriptive indicators of a corpus (main information, annual production,
sources with Bradford's zones, authors with Lotka, h, g, m, places, collaboration, topics).

Exit codes: 0 done; 2 usage error (no corpus).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bibmine.cli_support import open_corpus
from bibmine.corpus.store import ENV_VAR, default_corpus_path

app = typer.Typer(name="indicators", help="Descriptive bibliometric indicators of the corpus.",
                  add_completion=False, pretty_exceptions_show_locals=False, invoke_without_command=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
CorpusOpt = Annotated[Path, typer.Option("--corpus", envvar=ENV_VAR, help="Corpus SQLite file.",
                                         default_factory=default_corpus_path, show_default="corpus/bibmine.sqlite")]


@app.callback()
def main(
    corpus: CorpusOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print every indicator as JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write every indicator's table to this workbook.")]
    = None,
    year: Annotated[int | None, typer.Option(help="Year of reference for ages and per-year rates "
                                                   "(default: this year).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the workbook: en or ru.")] = "en",
    min_freq: Annotated[int, typer.Option(help="Least documents of a keyword in the topic indicators.")] = 3,
) -> None:
    """Main information of the corpus; --json for every indicator, --xlsx for a workbook of their tables."""
    from bibmine.indicators import compute_all, docs_from_corpus

    if lang not in ("en", "ru"):
        raise typer.BadParameter("choose en or ru", param_hint="--lang")
    with open_corpus(corpus) as c:
        docs = list(docs_from_corpus(c))
    result = compute_all(docs, year, min_freq=min_freq)
    if xlsx is not None:
        from bibmine.report.charts_tables import indicator_tables
        from bibmine.report.workbook import write_workbook

        write_workbook(indicator_tables(result, lang), xlsx, lang, title="bibmine indicators")
        err.print(f"workbook: {escape(str(xlsx))}")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    if xlsx is None:
        table = Table(title=f"Main information ({len(docs)} documents)")
        table.add_column("indicator")
        table.add_column("value", justify="right")
        for key, value in result["main_information"].items():
            if key == "reasons":
                continue
            shown = "—" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)
            why = result["main_information"]["reasons"].get(key)
            table.add_row(key, shown + (f" ({why})" if why else ""))
        console.print(table)
