"""Public names of a stage, imported on first use.

A stage's ``__init__`` lists what it offers; importing the stage (as every one of its modules
does, the command line included) must not load what the caller does not use: scikit-learn for
a corpus script, the readers for ``bibmine --help``.  ``lazy_exports`` gives the module-level
``__getattr__`` and ``__dir__`` of PEP 562 for a ``{name: "module"}`` table.

>>> getattr_, dir_ = lazy_exports("demo", {"sqrt": "math"})
>>> getattr_("sqrt")(9.0), "sqrt" in dir_()
(3.0, True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, table: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """(``__getattr__``, ``__dir__``) that import ``table[name]`` and return its ``name`` when first asked."""

    def __getattr__(name: str) -> object:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted(table)

    return __getattr__, __dir__
