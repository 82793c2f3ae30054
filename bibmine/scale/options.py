"""The command-line options every ``--engine`` command shares.

A typer command that takes a parameter ``engine: EngineChoice`` and is decorated with
:func:`engine_options` gets ``--engine``, ``--scheduler``, ``--workers``, ``--exchange`` and
``--part-size``, checked once here, and receives them as one :class:`EngineChoice`.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from bibmine.corpus.parquet import DEFAULT_PART_SIZE

# Each option's typer annotation; its default is the EngineChoice field of the same name.
_OPTIONS = {
    "engine": Annotated[str, typer.Option("--engine", help="local (this process) or dask (a Dask cluster).")],
    "scheduler": Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster here).")],
    "workers": Annotated[int | None, typer.Option(
        "--workers", min=1, help="Worker processes of the LocalCluster (default: one per core).")],
    "exchange": Annotated[Path | None, typer.Option(
        "--exchange", help="Folder for the Parquet dataset the workers read (default: <corpus>.exchange beside "
        "the corpus; on a multi-node cluster, a shared filesystem).")],
    "part_size": Annotated[int, typer.Option("--part-size", min=1, help="Works per Parquet part (one task each).")],
}


@dataclass(frozen=True)
class EngineChoice:
    """Where a command runs its heavy stage: this process, or a Dask cluster over a Parquet exchange."""

    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    exchange: Path | None = None
    part_size: int = DEFAULT_PART_SIZE

    @property
    def local(self) -> bool:
        return self.engine == "local"

    def distributed(self, corpus):
        """``(dataset, running engine)`` for ``corpus``; see :func:`bibmine.scale.exchange.distributed`."""
        from bibmine.scale.exchange import distributed

        return distributed(corpus, self.engine, self.scheduler, self.workers, self.exchange, self.part_size)


LOCAL = EngineChoice()


def check_engine(engine: str, scheduler: str | None) -> None:
    """A usage error (exit 2) for an unknown engine or a scheduler without dask."""
    from bibmine.scale.engine import ENGINES

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--engine")
    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")


def engine_options(command):
    """Give a typer command the engine options in place of its ``engine: EngineChoice`` parameter.

    >>> @engine_options
    ... def count(corpus: str = "c.sqlite", engine: EngineChoice = LOCAL):
    ...     return engine
    >>> list(inspect.signature(count).parameters)
    ['corpus', 'engine', 'scheduler', 'workers', 'exchange', 'part_size']
    >>> count(engine="dask", workers=2).workers
    2
    """
    signature = inspect.signature(command, eval_str=True)  # typer reads real annotations, not strings
    own = [p for p in signature.parameters.values() if p.name != "engine"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=getattr(LOCAL, name),
                               annotation=annotation) for name, annotation in _OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        chosen = EngineChoice(**{name: kwargs.pop(name, getattr(LOCAL, name)) for name in _OPTIONS})
        check_engine(chosen.engine, chosen.scheduler)
        return command(*args, engine=chosen, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + added)
    wrapper.__annotations__ = {p.name: p.annotation for p in wrapper.__signature__.parameters.values()}
    return wrapper
