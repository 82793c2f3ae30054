"""The command-line options every ``--engine`` command shares (typer annotations)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EngineOpt = Annotated[str, typer.Option("--engine", help="local (this process) or dask (a Dask cluster).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster here).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Worker processes of the LocalCluster (default: one per core).")]
ExchangeOpt = Annotated[Path | None, typer.Option(
    "--exchange", help="Folder for the Parquet dataset the workers read (default: <corpus>.exchange beside the "
    "corpus; on a multi-node cluster, a shared filesystem).")]
PartSizeOpt = Annotated[int, typer.Option("--part-size", min=1, help="Works per Parquet part (one task each).")]


def check_engine(engine: str, scheduler: str | None) -> None:
    """A usage error (exit 2) for an unknown engine or a scheduler without dask."""
    from bibmine.scale.engine import ENGINES

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--engine")
    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
