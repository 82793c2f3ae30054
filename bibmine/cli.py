"""The ``bibmine`` command line."""

from __future__ import annotations

import typer

from bibmine import __version__

app = typer.Typer(
    name="bibmine",
    help="Text mining and bibliometrics for regional smart specialization.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bibmine {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """bibmine: sources -> corpus -> regions -> rubrics -> specialization -> maps -> report."""


def run() -> None:  # console-script entry point
    app()
