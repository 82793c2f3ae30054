"""Study configuration: one TOML file (see ``bibmine/study/example.toml``, fully commented).

Paths in the file are relative to the file itself.  The file is checked against a typed
schema (``bibmine/study/schema.py``) before any work: unknown sections and keys, wrong types,
unknown choices and region codes, missing files, ``nan``/``inf`` are all reported at once,
each as ``section.key: what is wrong (did you mean ...?)``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bibmine.study.schema import expand, resolve_model_name, type_problems, value_problems

LEVELS_ST = ("corpus", "coefficients")


class ConfigError(ValueError):
    """The study file is wrong; the message lists every problem as ``section.key: ...``."""


@dataclass
class Study:
    path: Path
    name: str
    lang: str = "en"
    out: Path = Path("study-out")
    corpus: Path = Path("study-out/corpus.sqlite")
    files: list[Path] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # the regions of the study (matrix columns)
    macroregion: str | None = None
    share: str = "affiliation"
    gazetteer: Path | None = None
    model: str | None = "default"  # rubric model; None = no automatic classification
    manual_labels: list[Path] = field(default_factory=list)
    coefficients: list[str] = field(default_factory=list)  # files, or "bundled:central_black_earth"
    values: list[Path] = field(default_factory=list)
    st: str = "corpus"  # where the S&T ratios come from: the corpus, or the coefficient files
    counting: str = "whole"
    st_sources: list[str] = field(default_factory=lambda: ["publications"])
    years: tuple[int, int] | None = None
    threshold: float = 1.0
    cross_cutting: list[str] = field(default_factory=lambda: ["50", "20", "28"])
    concordance: Path | None = None
    baseline: str | None = None  # the national reference of the S&T ratio: file | openalex | national-corpus
    baseline_file: Path | None = None
    baseline_sample: int = 1000
    baseline_seed: int = 42
    baseline_store: Path | None = None  # default: <out>/baseline-store
    crawl_config: Path | None = None  # for baseline = "openalex": contact e-mail, base URL, rates
    min_count: int = 5  # fewer records of a region in a rubric: "too few records", never a competence
    years_mode: str = "each"  # each year of `years`, or the pooled window
    source_weights: dict[str, float] = field(default_factory=dict)
    networks: list[str] = field(default_factory=lambda: ["keywords", "rubrics"])
    map_counting: str = "full"
    min_occurrences: int = 1
    top: int = 500
    raw: dict = field(default_factory=dict)  # the parsed file, for hashing stage parameters
    rebuild_corpus: bool = False  # set by the runner: only for a corpus the study created (or --fresh-corpus)


def read_study_file(path: Path) -> dict:
    """The parsed TOML; ConfigError for a file that is not UTF-8 text or not TOML."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the study file ({exc.strerror})") from None
    if b"\x00" in data:
        raise ConfigError(f"{path}: not a study file: binary content (a NUL byte at offset {data.index(0)}); "
                          "expected UTF-8 TOML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a study file: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start}); expected UTF-8 TOML text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def study_problems(data: dict, base: Path) -> list[str]:
    """Every problem of a parsed study file, as ``section.key: ...`` lines (empty: the file is good)."""
    return type_problems(data) + value_problems(data, base)


def load_study(path: str | Path) -> Study:
    """Read and check a study file; ConfigError listing every problem at once."""
    path = Path(path).resolve()
    data = read_study_file(path)
    base = path.parent
    problems = study_problems(data, base)
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"{path}: {len(problems)} problem(s):\n{lines}")
    s, src, reg, rub, spec, maps = (data.get(k, {}) for k in
                                    ("study", "sources", "regions", "rubrics", "specialization", "maps"))
    out = base / s.get("out", "study-out")
    study = Study(path=path, name=s["name"], out=out,
                  corpus=base / s["corpus"] if "corpus" in s else out / "corpus.sqlite", raw=data)
    study.lang = s.get("lang", "en")
    study.files = [p for pattern in src.get("files", []) for p in expand(base, pattern)]
    study.regions = list(reg.get("regions", []))
    study.macroregion = reg.get("macroregion")
    study.share = reg.get("share", "affiliation")
    study.gazetteer = base / reg["gazetteer"] if "gazetteer" in reg else None
    model = rub.get("model", "default")
    study.model = resolve_model_name(model, base) if model else None
    study.manual_labels = [p for pattern in rub.get("manual_labels", []) for p in expand(base, pattern)]
    study.coefficients = [c if c.startswith("bundled:") else str(base / c) for c in spec.get("coefficients", [])]
    study.values = [p for pattern in spec.get("values", []) for p in expand(base, pattern)]
    study.st = spec.get("st", "corpus")
    study.counting = spec.get("counting", "whole")
    study.st_sources = list(spec.get("sources", ["publications"]))
    if "years" in spec:
        study.years = (spec["years"][0], spec["years"][1])
    study.threshold = float(spec.get("threshold", 1.0))
    study.cross_cutting = list(spec.get("cross_cutting", ["50", "20", "28"]))
    study.concordance = base / spec["concordance"] if "concordance" in spec else None
    study.baseline = spec.get("baseline")
    study.baseline_file = base / spec["baseline_file"] if "baseline_file" in spec else None
    study.baseline_sample = spec.get("baseline_sample", 1000)
    study.baseline_seed = spec.get("baseline_seed", 42)
    study.baseline_store = base / spec["baseline_store"] if "baseline_store" in spec else None
    study.crawl_config = base / spec["crawl_config"] if "crawl_config" in spec else None
    study.min_count = spec.get("min_count", 5)
    study.years_mode = spec.get("years_mode", "each")
    study.source_weights = dict(spec.get("source_weights", {}))
    study.networks = list(maps.get("networks", ["keywords", "rubrics"]))
    study.map_counting = maps.get("counting", "full")
    study.min_occurrences = maps.get("min_occurrences", 1)
    study.top = maps.get("top", 500)
    return study
