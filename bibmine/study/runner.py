"""``bibmine run study.toml``: the stages in order, skipping those whose inputs did not change.

Each stage's key is a hash of its parameters (its part of the study file), the content of
its input files, bibmine's version and the key of the stage before it, so a change
anywhere reruns that stage and everything downstream, and nothing else.  Keys are kept
in ``.bibmine-state.json`` in the study folder; ``manifest.json`` records the inputs
with their hashes, the parameters, package versions and the time of every stage.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bibmine import __version__
from bibmine.corpus.store import file_sha256, now
from bibmine.study import stages
from bibmine.study.config import Study

# stage name, function, config sections it reads, input files it reads
STAGES: list[tuple[str, Callable[[Study], str], tuple[str, ...], Callable[[Study], list[Path]]]] = [
    ("corpus", stages.stage_corpus, ("sources",), lambda s: s.files),
    ("regions", stages.stage_regions, ("regions",), lambda s: [s.gazetteer] if s.gazetteer else []),
    ("rubrics", stages.stage_rubrics, ("rubrics",), lambda s: s.manual_labels),
    ("specialization", stages.stage_specialization, ("specialization", "regions"),
     lambda s: [Path(c) for c in s.coefficients if not c.startswith("bundled:")] + s.values
     + ([s.concordance] if s.concordance else [])),
    ("maps", stages.stage_maps, ("maps", "study"), lambda s: []),
    ("report", stages.stage_report, ("study",), lambda s: []),
]
PACKAGES = ("bibmine", "numpy", "pandas", "scipy", "scikit-learn", "msgspec", "rapidfuzz", "networkx", "igraph",
            "leidenalg", "matplotlib", "openpyxl", "pymorphy3", "sentence-transformers", "torch")
STATE = ".bibmine-state.json"


@dataclass
class StageRun:
    name: str
    ran: bool
    seconds: float
    key: str
    note: str


def _key(study: Study, sections: tuple[str, ...], files: list[Path], upstream: str, hashes: dict) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(upstream.encode())
    h.update(json.dumps({k: study.raw.get(k, {}) for k in sections}, sort_keys=True, default=str).encode())
    for path in files:
        digest = hashes.setdefault(str(path), file_sha256(path))
        h.update(f"{path.name}:{digest}".encode())
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def run_study(study: Study, console: Console, *, force: bool = False) -> list[StageRun]:
    """Run (or skip) every stage; write manifest.json; return what happened per stage."""
    study.out.mkdir(parents=True, exist_ok=True)
    state_path = study.out / STATE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    hashes: dict[str, str] = {}
    runs: list[StageRun] = []
    upstream = ""
    for name, func, sections, inputs in STAGES:
        if name == "report":  # the report shows the run: parameters, inputs, timings so far
            _manifest(study, runs, hashes)
        key = _key(study, sections, inputs(study), upstream, hashes)
        if not force and state.get(name) == key:
            runs.append(StageRun(name, False, 0.0, key, "unchanged: skipped"))
            console.print(f"[dim]- {name}: inputs unchanged, skipped[/dim]")
        else:
            with console.status(f"{name} ..."):
                t0 = time.perf_counter()
                note = func(study)
                seconds = time.perf_counter() - t0
            runs.append(StageRun(name, True, seconds, key, note))
            console.print(f"[green]✓[/green] {name} ({seconds:.1f} s): {note}", highlight=False)
            state[name] = key
            state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
        upstream = key
    _manifest(study, runs, hashes)
    table = Table(title=f"Study '{study.name}'")
    for col in ("stage", "ran", "seconds", "result"):
        table.add_column(col)
    for r in runs:
        table.add_row(r.name, "yes" if r.ran else "skipped", f"{r.seconds:.1f}", r.note)
    console.print(table)
    return runs


def _manifest(study: Study, runs: list[StageRun], hashes: dict[str, str]) -> None:
    manifest = {
        "study": study.name, "written": now(), "bibmine": __version__,
        "config": {"path": str(study.path), "sha256": file_sha256(study.path)},
        "inputs": [{"path": p, "sha256": h, "bytes": Path(p).stat().st_size} for p, h in sorted(hashes.items())],
        "parameters": study.raw,
        "packages": _versions(),
        "stages": [{"name": r.name, "ran": r.ran, "seconds": round(r.seconds, 3), "key": r.key, "result": r.note}
                   for r in runs],
    }
    (study.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str),
                                             encoding="utf-8")
