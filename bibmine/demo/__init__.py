"""``bibmine demo``: the bundled demo study (invented records + the published CBE case).

The demo study reads the small hand-written exports of ``data/`` (``cbe_*``: the same works in four
vendor formats, to show merging) and a few thousand generated works (:mod:`bibmine.demo.generate`),
written into ``OUT/inputs/`` on the first run (deterministic, so a rerun finds the same bytes and
skips the unchanged stages).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bibmine.study.config import Study, load_study

GENERATED_WORKS = 3000
STATE = ".bibmine-state.json"


def demo_folder() -> Path:
    return Path(str(resources.files("bibmine.demo") / "data"))


def demo_files() -> list[Path]:
    """The bundled demo export files (see ``bibmine/demo/data/README.md``: all invented)."""
    return sorted(p for p in demo_folder().iterdir() if p.name.startswith("cbe_"))


def generated_inputs(out: Path, n: int = GENERATED_WORKS) -> tuple[Path, Path]:
    """The generated works and their manual labels in ``out/inputs`` (written once; a new or empty ``out``
    becomes a study folder first, so the study may write there)."""
    from bibmine.demo.generate import write_demo_files

    folder = out / "inputs"
    works, labels = folder / "cbe_generated.jsonl", folder / "labels_generated.csv"
    if works.is_file() and labels.is_file():
        return works, labels
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        out.mkdir(parents=True, exist_ok=True)
        (out / STATE).write_text("{}", encoding="utf-8")
    if (out / STATE).is_file():
        folder.mkdir(parents=True, exist_ok=True)
        return write_demo_files(folder, n)
    return works, labels  # not a study folder: the run refuses it and says why


def demo_study(out: Path, generated: int = GENERATED_WORKS) -> Study:
    """The demo study, writing into ``out`` (the bundled files stay where they are); ``generated``
    invented works are added to the hand-written ones (0: none)."""
    study = load_study(demo_folder() / "study.toml")
    study.out = Path(out).resolve()
    study.corpus = study.out / "corpus.sqlite"
    if generated:
        works, labels = generated_inputs(study.out, generated)
        if works.is_file():
            study.files = [*study.files, works]
            study.manual_labels = [*study.manual_labels, labels]
    return study
