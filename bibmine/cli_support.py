"""What every command line of bibmine shares: opening the corpus a command names, and its progress bar.

Light on purpose (no stage is imported): ``bibmine --help`` imports this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

    from bibmine.corpus.store import Corpus

err = Console(stderr=True, soft_wrap=True)


def open_corpus(path: Path, *, create: bool = False) -> Corpus:
    """Open a corpus (an existing one unless ``create``); exit 2 with a clear message if it cannot be:
    no file there, a file that is not a bibmine corpus, or a corpus of a newer bibmine."""
    from bibmine.corpus.store import Corpus, NotACorpusError, SchemaTooNewError

    try:
        corpus = Corpus(path, must_exist=not create)
    except (FileNotFoundError, NotACorpusError, SchemaTooNewError) as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    if corpus.interrupted:
        err.print(f"note: {len(corpus.interrupted)} import batch(es) were interrupted (process killed) and are "
                  "marked so; `bibmine stats` lists them", highlight=False)
    return corpus


def progress(*fields: str, eta: bool = False, transient: bool = True, console: Console | None = None,
             percent: bool = False) -> Progress:
    """A progress bar on stderr: spinner, description, bar, done/total (with ``percent``: the share done,
    for a total that is no count, such as a file's bytes), then each of ``fields`` (a format such as
    ``"{task.fields[rate]}"``), the time elapsed and, with ``eta``, the time left."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    done = TaskProgressColumn() if percent else MofNCompleteColumn()
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), done,
               *(TextColumn(f) for f in fields), TimeElapsedColumn()]
    if eta:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    return Progress(*columns, console=console or err, transient=transient)
