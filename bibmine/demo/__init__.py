"""``bibmine demo``: the bundled demo study (invented records + the published CBE case)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bibmine.study.config import Study, load_study


def demo_folder() -> Path:
    return Path(str(resources.files("bibmine.demo") / "data"))


def demo_files() -> list[Path]:
    """The bundled demo export files (see ``bibmine/demo/data/README.md``: all invented)."""
    return sorted(p for p in demo_folder().iterdir() if p.name.startswith("cbe_"))


def demo_study(out: Path) -> Study:
    """The demo study, writing into ``out`` (the bundled files stay where they are)."""
    study = load_study(demo_folder() / "study.toml")
    study.out = Path(out).resolve()
    study.corpus = study.out / "corpus.sqlite"
    return study
