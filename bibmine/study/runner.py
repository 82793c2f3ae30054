"""``bibmine run study.toml``: the stages in order, skipping those whose inputs did not change.

Each stage's key is a hash of its parameters (its part of the study file), the content of
its input files, the package data it reads (gazetteer, vocabularies, ...: :data:`PACKAGE_DATA`),
the files of the rubric model it uses (not its name), the code of the installed bibmine (every
module's content, not ``__version__``) and the key of the stage before it.  A stage also reruns
when a file it wrote is gone, and once a stage runs every stage after it runs too, so a change
anywhere reruns that stage and everything downstream, and nothing else.  Keys and the files each
stage wrote are kept in ``.bibmine-state.json`` in the study folder; ``manifest.json`` records the
inputs with their hashes, the parameters, package versions and the time of every stage.
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
from rich.markup import escape
from rich.table import Table

from bibmine import __version__
from bibmine.corpus.store import file_sha256, now
from bibmine.study import stages
from bibmine.study.checks import corpus_problem
from bibmine.study.config import ConfigError, Study

# stage name, function, config sections it reads, input files it reads
STAGES: list[tuple[str, Callable[[Study], str], tuple[str, ...], Callable[[Study], list[Path]]]] = [
    ("corpus", stages.stage_corpus, ("sources",), lambda s: s.files),
    ("regions", stages.stage_regions, ("regions",), lambda s: [s.gazetteer] if s.gazetteer else []),
    ("rubrics", stages.stage_rubrics, ("rubrics",), lambda s: s.manual_labels),
    ("specialization", stages.stage_specialization, ("specialization", "regions"),
     lambda s: [Path(c) for c in s.coefficients if not c.startswith("bundled:")] + s.values
     + ([s.concordance] if s.concordance else []) + [p for p in (s.baseline_file, s.crawl_config) if p]),
    ("maps", stages.stage_maps, ("maps", "study"), lambda s: []),
    ("report", stages.stage_report, ("study",), lambda s: []),
]
# package data (paths under bibmine/) each stage reads besides its input files: a change reruns it
PACKAGE_DATA: dict[str, tuple[str, ...]] = {
    "corpus": ("corpus/data", "corpus/migrations", "sources/readers/vocabularies.toml"),
    "regions": ("regions/data",),
    "rubrics": ("rubrics/data",),
    "specialization": ("specialization/data", "regions/data", "rubrics/data"),
    "maps": ("maps/data", "regions/data", "rubrics/data"),
    "report": ("report/data", "report/templates", "report/assets", "regions/data", "rubrics/data"),
}
PACKAGE_DIR = Path(__file__).resolve().parent.parent
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


def stage_key(study: Study, name: str, upstream: str, hashes: dict, *, code: str | None = None,
              package: dict | None = None) -> str:
    """The key of stage ``name``: the key before it, its parameters, the content of its input files and of
    the package data it reads, the files of the rubric model (rubrics stage), the installed bibmine's code.

    Digests are kept by path: the inputs' (and the model's) in ``hashes``, the package data's in ``package``."""
    sections, inputs = next((sec, inp) for n, _, sec, inp in STAGES if n == name)
    h = hashlib.sha256()
    h.update((code or code_digest()).encode())
    h.update(upstream.encode())
    h.update(json.dumps({k: study.raw.get(k, {}) for k in sections}, sort_keys=True, default=str).encode())
    for path in inputs(study):
        digest = hashes.setdefault(str(path), file_sha256(path))
        h.update(f"{path.name}:{digest}".encode())
    folders = [(PACKAGE_DIR / rel, {} if package is None else package) for rel in PACKAGE_DATA.get(name, ())]
    if name == "rubrics" and study.model:
        folders.append((model_folder(study.model), hashes))
    for folder, digests in folders:
        for file in _files(folder):
            digest = digests.setdefault(str(file), file_sha256(file))
            h.update(f"{file.relative_to(folder.parent)}:{digest}".encode())
    return h.hexdigest()


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def code_digest() -> str:
    """SHA-256 of the installed bibmine's code: every module, by path and content (``__version__``
    is the same across changes, so it cannot tell two installations apart)."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(PACKAGE_DIR)}:{file_sha256(path)}\n".encode())
    return h.hexdigest()


def model_folder(name: str) -> Path:
    """The folder of the rubric model a study names ("default": the shipped default)."""
    from bibmine.rubrics.model import resolve_model

    return resolve_model(name)


def _snapshot(study: Study) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file of the study folder (by path relative to it) and of the corpus."""
    paths = [p for p in study.out.rglob("*") if p.is_file()] if study.out.is_dir() else []
    paths += [study.corpus] if study.corpus.is_file() else []
    out = {}
    for p in paths:
        if p.name in (STATE, "manifest.json") or p.name.endswith(("-wal", "-shm", "-journal", ".lock")):
            continue
        st = p.stat()
        out[str(p.relative_to(study.out) if p.is_relative_to(study.out) else p)] = (st.st_mtime_ns, st.st_size)
    return out


def _written(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """The files a stage created or rewrote, between two snapshots."""
    return sorted(p for p, stamp in after.items() if before.get(p) != stamp)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def _study_folder_problem(study: Study) -> str | None:
    """Why the output folder may not be written to, or None.

    A study writes only into a folder that is new, empty, or a study folder (it holds
    ``.bibmine-state.json``), so that it never overwrites a file it did not create.
    """
    out = study.out
    if out.exists() and not out.is_dir():
        return f"study.out: {out} is an existing file, not a folder"
    if not out.is_dir() or (out / STATE).exists():
        return None
    corpus = {f"{study.corpus.name}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")}
    others = sorted(p.name for p in out.iterdir()
                    if not (p.parent.resolve() == study.corpus.parent.resolve() and p.name in corpus))
    if others:
        listed = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        return (f"study.out: {out} holds files that no bibmine study wrote ({listed}); bibmine does not write "
                "among them: choose a new or empty folder")
    return None


def prepare(study: Study, state: dict, *, fresh_corpus: bool = False) -> str:
    """Check the output folder and the corpus before any work; decide whether the corpus is rebuilt.

    The corpus is rebuilt from the study's files only when this study created it (``corpus_created``
    in the state file) or with ``fresh_corpus`` (and then only if it is a bibmine corpus); an existing
    corpus of the user's is opened and the study's files are added to it.  ConfigError when the folder
    or the corpus must not be touched.  Returns a line saying what happens to the corpus.
    """
    problems = [p for p in (_study_folder_problem(study), corpus_problem(study.corpus)) if p]
    problems = [p if p.startswith("study.out") else f"study.corpus: {p}" for p in problems]
    if problems:
        raise ConfigError("\n".join(problems))
    path = str(study.corpus.resolve())
    if not study.corpus.exists():
        state["corpus_created"] = path
        study.rebuild_corpus = True
        return f"corpus: {study.corpus} (new)"
    if state.get("corpus_created") == path:
        study.rebuild_corpus = True
        return f"corpus: {study.corpus} (made by this study: rebuilt when [sources] change)"
    if fresh_corpus:
        state["corpus_created"] = path
        study.rebuild_corpus = True
        return f"corpus: {study.corpus} (existing corpus, rebuilt from the study's files: --fresh-corpus)"
    study.rebuild_corpus = False
    return f"corpus: {study.corpus} (existing corpus: opened, the study's files are added, nothing removed)"


def skipped_sections(study: Study) -> list[str]:
    """Sections of the study that will not run, each with the reason (from the study file alone)."""
    skipped = []
    if not study.coefficients and not study.values:
        why = ("no [specialization] section" if "specialization" not in study.raw
               else "[specialization] names no coefficients or values files")
        skipped.append(f"specialization (managerial matrices, scenario models, heat maps): no economic "
                       f"statistics ({why}); the S&T counts from the corpus are still computed, and the S&T ratios "
                       "when [specialization] baseline is set")
    if study.st == "corpus" and study.baseline is None:
        skipped.append("S&T ratios: no national baseline ([specialization] baseline = \"file\", \"openalex\" or "
                       "\"national-corpus\"; docs/baseline.md); the regions' S&T counts are written, the ratios are "
                       "not computed")
    if study.model is None and not study.manual_labels:
        skipped.append("rubrics (classification): no model and no manual labels ([rubrics] model = \"\"), "
                       "so no S&T counts and no rubric map")
    if not study.networks:
        skipped.append("maps: [maps] networks is empty")
    return skipped


def run_study(study: Study, console: Console, *, force: bool = False, fresh_corpus: bool = False) -> list[StageRun]:
    """Run (or skip) every stage; write manifest.json; return what happened per stage.

    ConfigError (nothing written) when the output folder or the corpus must not be touched.
    """
    state_path = study.out / STATE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    corpus_line = prepare(study, state, fresh_corpus=fresh_corpus)
    study.out.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    console.print(escape(corpus_line), highlight=False)
    for line in skipped_sections(study):
        console.print(f"[yellow]skipped:[/yellow] {escape(line)}", highlight=False)
    hashes: dict[str, str] = {}
    package: dict[str, str] = {}
    runs: list[StageRun] = []
    upstream = ""
    code = code_digest()
    outputs = state.setdefault("outputs", {})
    cascade = False  # a stage ran: every later one runs too (its inputs were written again)
    for name, func, _sections, _inputs in STAGES:
        if name == "report":  # the report shows the run: parameters, inputs, timings so far
            _manifest(study, runs, hashes, code, package)
        key = stage_key(study, name, upstream, hashes, code=code, package=package)
        gone = [p for p in outputs.get(name, []) if not (study.out / p).exists()]  # an absolute p stays as it is
        missing = gone or (name == "corpus" and not study.corpus.exists())
        if not force and not missing and not cascade and state.get(name) == key:
            # a skipped stage keeps the time of the run that wrote its outputs (manifest and report)
            runs.append(StageRun(name, False, float(state.get("seconds", {}).get(name, 0.0)), key,
                                 "unchanged: skipped"))
            console.print(f"[dim]- {name}: inputs unchanged, skipped[/dim]")
        else:
            if gone and state.get(name) == key and not cascade:
                console.print(f"[yellow]{name}: {len(gone)} of its files are gone ({escape(Path(gone[0]).name)}"
                              f"{', ...' if len(gone) > 1 else ''}): run again[/yellow]", highlight=False)
            before = _snapshot(study)
            with console.status(f"{name} ..."):
                t0 = time.perf_counter()
                note = func(study)
                seconds = time.perf_counter() - t0
            runs.append(StageRun(name, True, seconds, key, note))
            console.print(f"[green]✓[/green] {name} ({seconds:.1f} s): {escape(note)}", highlight=False)
            state[name] = key
            outputs[name] = _written(before, _snapshot(study))
            state.setdefault("seconds", {})[name] = round(seconds, 3)
            state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
            cascade = True
        upstream = key
    _manifest(study, runs, hashes, code, package)
    table = Table(title=f"Study '{escape(study.name)}'")
    for col in ("stage", "ran", "seconds", "result"):
        table.add_column(col)
    for r in runs:
        table.add_row(r.name, "yes" if r.ran else "skipped", f"{r.seconds:.1f}", escape(r.note))
    console.print(table)
    return runs


def _manifest(study: Study, runs: list[StageRun], hashes: dict[str, str], code: str, package: dict[str, str]
              ) -> None:
    manifest = {
        "study": study.name, "written": now(), "bibmine": __version__, "bibmine_code_sha256": code,
        "config": {"path": str(study.path), "sha256": file_sha256(study.path)},
        "inputs": [{"path": p, "sha256": h, "bytes": Path(p).stat().st_size} for p, h in sorted(hashes.items())],
        "package_data": [{"path": str(Path(p).relative_to(PACKAGE_DIR)), "sha256": h}
                         for p, h in sorted(package.items())],
        "parameters": study.raw,
        "packages": _versions(),
        "stages": [{"name": r.name, "ran": r.ran, "seconds": round(r.seconds, 3), "key": r.key, "result": r.note}
                   for r in runs],
    }
    (study.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str),
                                             encoding="utf-8")
