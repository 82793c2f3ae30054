"""``bibmine report build FOLDER [--lang en|ru]``: the report and workbook of a study folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(name="report", help="Reports of a study folder (docs/study-layout.md).", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_show_locals=False)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def main() -> None:
    """Reports of a study folder (docs/study-layout.md)."""


@app.command("build")
def build_cmd(
    folder: Annotated[Path, typer.Argument(help="The study folder (what 'bibmine run' wrote).", exists=True,
                                           file_okay=False, dir_okay=True)],
    lang: Annotated[str, typer.Option("--lang", help="Language of the report and workbook: en or ru.")] = "en",
) -> None:
    """Write report.LANG.html (self-contained) and workbook.LANG.xlsx into FOLDER."""
    from bibmine.report.build import build_report
    from bibmine.report.phrases import LANGS

    if lang not in LANGS:
        raise typer.BadParameter(f"choose one of {', '.join(LANGS)}", param_hint="--lang")
    written = build_report(folder, lang)
    for section, notes in written["notes"].items():
        for note in notes:
            err.print(f"[yellow]{section}[/yellow]: {escape(note)}", highlight=False)
    typer.echo(f"report: {written['report']}")
    typer.echo(f"workbook: {written['workbook']}")
