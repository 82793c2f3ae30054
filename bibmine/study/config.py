"""Study configuration: one TOML file (see ``bibmine/study/example.toml``, fully commented).

Paths in the file are relative to the file itself.  Unknown keys are errors (a typo must
not silently fall back to a default), and every error names the key and what is expected.
"""

from __future__ import annotations

import glob
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LEVELS_ST = ("corpus", "coefficients")


class ConfigError(ValueError):
    """The study file is wrong; the message names the key."""


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
    networks: list[str] = field(default_factory=lambda: ["keywords", "rubrics"])
    map_counting: str = "full"
    min_occurrences: int = 1
    top: int = 500
    raw: dict = field(default_factory=dict)  # the parsed file, for hashing stage parameters


_KEYS = {
    "study": {"name", "lang", "out", "corpus"},
    "sources": {"files"},
    "regions": {"regions", "macroregion", "share", "gazetteer"},
    "rubrics": {"model", "manual_labels"},
    "specialization": {"coefficients", "values", "st", "counting", "sources", "years", "threshold",
                       "cross_cutting", "concordance"},
    "maps": {"networks", "counting", "min_occurrences", "top"},
}


def _check_keys(data: dict, path: Path) -> None:
    for section, body in data.items():
        if section not in _KEYS:
            raise ConfigError(f"{path}: unknown section [{section}]; known: {', '.join(_KEYS)}")
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        unknown = set(body) - _KEYS[section]
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} in [{section}]; "
                              f"known: {', '.join(sorted(_KEYS[section]))}")


def _expand(base: Path, patterns: list[str], key: str) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        hits = sorted(glob.glob(str(base / pattern)))
        if not hits:
            raise ConfigError(f"{key}: {pattern!r} matches no file (relative to {base})")
        out.extend(Path(h) for h in hits)
    return out


def _choice(value, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise ConfigError(f"{key} = {value!r}: expected one of {', '.join(allowed)}")
    return value


def load_study(path: str | Path) -> Study:
    """Read and check a study file."""
    path = Path(path).resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    _check_keys(data, path)
    base = path.parent
    s, src, reg, rub, spec, maps = (data.get(k, {}) for k in _KEYS)
    if "name" not in s:
        raise ConfigError(f"{path}: [study] name is required")
    out = base / s.get("out", "study-out")
    study = Study(path=path, name=str(s["name"]), out=out, corpus=base / s["corpus"] if "corpus" in s
                  else out / "corpus.sqlite", raw=data)
    study.lang = _choice(s.get("lang", "en"), ("en", "ru"), "[study] lang")
    study.files = _expand(base, list(src.get("files", [])), "[sources] files")
    study.regions = [str(r) for r in reg.get("regions", [])]
    study.macroregion = reg.get("macroregion")
    study.share = _choice(reg.get("share", "affiliation"), ("whole", "affiliation", "author"), "[regions] share")
    study.gazetteer = base / reg["gazetteer"] if "gazetteer" in reg else None
    study.model = rub.get("model", "default") or None
    study.manual_labels = _expand(base, list(rub.get("manual_labels", [])), "[rubrics] manual_labels")
    study.coefficients = [c if str(c).startswith("bundled:") else str(base / c) for c in spec.get("coefficients", [])]
    study.values = _expand(base, list(spec.get("values", [])), "[specialization] values")
    study.st = _choice(spec.get("st", "corpus"), LEVELS_ST, "[specialization] st")
    study.counting = _choice(spec.get("counting", "whole"), ("whole", "fractional"), "[specialization] counting")
    study.st_sources = list(spec.get("sources", ["publications"]))
    if "years" in spec:
        years = spec["years"]
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
            raise ConfigError(f"[specialization] years = {years!r}: expected [first, last], e.g. [2019, 2023]")
        study.years = (years[0], years[1])
    study.threshold = float(spec.get("threshold", 1.0))
    study.cross_cutting = [str(c) for c in spec.get("cross_cutting", ["50", "20", "28"])]
    study.concordance = base / spec["concordance"] if "concordance" in spec else None
    study.networks = list(maps.get("networks", ["keywords", "rubrics"]))
    study.map_counting = _choice(maps.get("counting", "full"), ("full", "fractional", "binary"), "[maps] counting")
    study.min_occurrences = int(maps.get("min_occurrences", 1))
    study.top = int(maps.get("top", 500))
    if study.st == "coefficients" and not study.coefficients:
        raise ConfigError("[specialization] st = 'coefficients' needs [specialization] coefficients files")
    return study
