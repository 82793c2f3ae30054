"""Sub-commands loaded only when they run: ``bibmine --help`` and ``--version`` import no stage.

Each stage's command line (``bibmine/<stage>/cli.py``) imports its scientific stack
(pandas, scipy, networkx, spaCy...), which costs more than a second.  The top-level
group lists every stage by name and help text without importing it; the stage's
module is imported when its sub-command is invoked (``bibmine map --help`` included).

Register a stage in :func:`bibmine.cli._register_stages` with one line::

    lazy_typer("map", "bibmine.maps.cli:app", "VOSviewer maps: ...")          # a typer sub-app
    lazy_command("compare", "bibmine.report.compare_cli:compare_cmd", "...")  # one command function

tests/test_cli_lazy.py checks that the listing and every stage's help import no scientific stack.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyStage:
    name: str
    target: str  # "package.module:attribute"
    help: str  # shown in ``bibmine --help`` without importing the module
    kind: str  # "typer" (a typer.Typer sub-app) or "command" (a command function)

    def load(self):
        """Import the stage and build its click command (a group for a sub-app)."""
        import typer
        import typer.main

        module, attr = self.target.split(":")
        obj = getattr(importlib.import_module(module), attr)
        if self.kind == "typer":
            cmd = typer.main.get_group(obj)
        else:
            single = typer.Typer()
            single.command(self.name)(obj)
            cmd = typer.main.get_command(single)
        cmd.name = self.name
        return cmd


LAZY: dict[str, LazyStage] = {}  # name -> stage, in registration order (the order --help lists them)


def lazy_typer(name: str, target: str, help: str) -> None:
    """Register a typer sub-app (``module:app``) as sub-command ``name``."""
    LAZY[name] = LazyStage(name, target, help, "typer")


def lazy_command(name: str, target: str, help: str) -> None:
    """Register a command function (``module:function``) as command ``name``."""
    LAZY[name] = LazyStage(name, target, help, "command")


class _Placeholder(TyperCommand):
    """Stands for a stage in the command list until the stage is invoked."""

    def __init__(self, stage: LazyStage):
        super().__init__(name=stage.name, help=stage.help, short_help=stage.help)
        self.stage = stage


class LazyGroup(TyperGroup):
    """The top-level group: eager commands as usual, stages of :data:`LAZY` imported on use."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for stage in LAZY.values():
            self.commands.setdefault(stage.name, _Placeholder(stage))

    def resolve_command(self, ctx, args):
        if args:
            self._load(args[0])
            if ctx.token_normalize_func is not None:
                self._load(ctx.token_normalize_func(args[0]))
        return super().resolve_command(ctx, args)

    def _load(self, name: str) -> None:
        cmd = self.commands.get(name)
        if isinstance(cmd, _Placeholder):
            self.commands[name] = cmd.stage.load()
