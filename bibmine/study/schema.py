"""The typed schema of a study file (pydantic, strict) and the checks beyond types.

:func:`problems` returns every problem of a parsed study file at once, each as
``section.key: what is wrong (did you mean ...?)``; nothing is read or written but the
existence of the files the study names (and the header of an existing ``[study] corpus``).
"""

from __future__ import annotations

import datetime as dt
import glob
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bibmine.study.checks import choice_problem, corpus_problem, macroregion_codes, region_problem, suggest

NETWORKS = ("keywords", "terms", "rubrics", "authors", "orgs", "regions", "countries", "coupling",
            "cocitation")  # bibmine.maps.collect.KINDS (tests/study check they agree)
ST_SOURCES = ("publications", "rsci_core", "patents", "utility_models", "software", "databases")
BUNDLED = ("bundled:central_black_earth",)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StudySection(_Section):
    name: str
    lang: Literal["en", "ru"] = "en"
    out: str = "study-out"
    corpus: str | None = None


class SourcesSection(_Section):
    files: list[str] = []


class RegionsSection(_Section):
    regions: list[str] = []
    macroregion: str | None = None
    share: Literal["whole", "affiliation", "author"] = "affiliation"
    gazetteer: str | None = None


class RubricsSection(_Section):
    model: str = "default"
    manual_labels: list[str] = []


class SpecializationSection(_Section):
    coefficients: list[str] = []
    values: list[str] = []
    st: Literal["corpus", "coefficients"] = "corpus"
    counting: Literal["whole", "fractional"] = "whole"
    sources: list[Literal[ST_SOURCES]] = ["publications"]  # type: ignore[valid-type]
    years: list[int] | None = Field(None, min_length=2, max_length=2)
    threshold: float = Field(1.0, allow_inf_nan=False)
    cross_cutting: list[str] = ["50", "20", "28"]
    concordance: str | None = None
    # the national reference of the S&T ratio (docs/baseline.md); none: the S&T ratios are not computed
    baseline: Literal["file", "openalex", "national-corpus"] | None = None
    baseline_file: str | None = None
    baseline_sample: int = Field(1000, ge=1, le=10_000)
    baseline_seed: int = 42
    baseline_store: str | None = None
    crawl_config: str | None = None
    min_count: int = Field(5, ge=0)
    years_mode: Literal["each", "pooled"] = "each"
    source_weights: dict[Literal[ST_SOURCES], float] = {}  # type: ignore[valid-type]


class MapsSection(_Section):
    networks: list[Literal[NETWORKS]] = ["keywords", "rubrics"]  # type: ignore[valid-type]
    counting: Literal["full", "fractional", "binary"] = "full"
    min_occurrences: int = Field(1, ge=1)
    top: int = Field(500, ge=1)


class StudyFile(_Section):
    study: StudySection
    sources: SourcesSection = SourcesSection()
    regions: RegionsSection = RegionsSection()
    rubrics: RubricsSection = RubricsSection()
    specialization: SpecializationSection = SpecializationSection()
    maps: MapsSection = MapsSection()


SECTIONS: dict[str, type[_Section]] = {name: f.annotation for name, f in StudyFile.model_fields.items()}


def _kind(value: object) -> str:
    """The TOML name of a value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    for types, name in ((str, "a string"), (int, "an integer"), (float, "a number"), (list, "a list"),
                        (dict, "a table"), ((dt.date, dt.time), "a date/time")):
        if isinstance(value, types):
            return name
    return type(value).__name__


_EXPECTED = {"string_type": "a string", "int_type": "an integer", "float_type": "a number",
             "list_type": "a list", "model_type": "a table", "dict_type": "a table", "bool_type": "true or false"}
_EXAMPLES = {"list": {"regions": '["RU-LIP"]', "files": '["exports/*.txt"]', "networks": '["keywords"]'}}


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: dict) -> str:
    loc, kind, value = error["loc"], error["type"], error.get("input")
    where = _where(loc)
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return f"{where}: unknown section{suggest(loc[0], SECTIONS)}; known: {', '.join(SECTIONS)}"
        known = list(SECTIONS[loc[0]].model_fields)
        return f"{where}: unknown key{suggest(loc[-1], known)}; known in [{loc[0]}]: {', '.join(known)}"
    if kind == "missing":
        return f"{where}: required" + (" (a [study] section with name = \"...\")" if len(loc) == 1 else "")
    if kind in _EXPECTED:
        what = _EXPECTED[kind]
        if kind == "list_type" and loc[-1] in _EXAMPLES["list"]:
            what += f", e.g. {_EXAMPLES['list'][loc[-1]]}"
        return f"{where}: expected {what}, got {_kind(value)} {value!r}"
    if kind == "literal_error":
        allowed = [a.strip().strip("'") for a in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return f"{where}: {choice_problem(value, allowed)}"
    if kind == "finite_number":
        return f"{where}: expected a finite number, got {value!r}"
    if kind in ("too_short", "too_long") and loc[-1] == "years":
        return f"{where}: expected [first, last], e.g. [2019, 2023], got {value!r}"
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}, got {value!r}"


def type_problems(data: dict) -> list[str]:
    """Every type problem of the parsed file (unknown sections and keys included)."""
    try:
        StudyFile.model_validate(data)
    except ValidationError as exc:
        return [_message(e) for e in exc.errors()]
    return []


def _strings(section: dict, key: str) -> list[str]:
    value = section.get(key, [])
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _text(section: dict, key: str) -> str | None:
    value = section.get(key)
    return value if isinstance(value, str) else None


def expand(base: Path, pattern: str) -> list[Path]:
    """The files (not folders) a pattern relative to ``base`` matches, sorted."""
    return [Path(h) for h in sorted(glob.glob(str(base / pattern))) if Path(h).is_file()]


def _table(data: dict, name: str) -> dict:
    value = data.get(name, {})
    return value if isinstance(value, dict) else {}


def value_problems(data: dict, base: Path) -> list[str]:
    """Problems beyond types: files that do not exist, unknown region codes, a corpus that is not one."""
    s, src, reg, rub, spec = (_table(data, k) for k in ("study", "sources", "regions", "rubrics", "specialization"))
    out: list[str] = []
    where = f" (paths are relative to {base})"
    if (o := _text(s, "out")) is not None and (base / o).exists() and not (base / o).is_dir():
        out.append(f"study.out: {o!r} is an existing file, not a folder")
    corpus_ok = False
    if (c := _text(s, "corpus")) is not None:
        problem = corpus_problem(base / c)
        if problem:
            out.append(f"study.corpus: {problem}")
        corpus_ok = problem is None and (base / c).exists()
    files = _strings(src, "files")
    for pattern in files:
        if not expand(base, pattern):
            out.append(f"sources.files: {pattern!r} matches no file{where}")
    if src.get("files", []) == [] and not corpus_ok:
        out.append("sources.files: no input files; list the exports to import, e.g. files = [\"exports/*.txt\"] "
                   "(or name an existing bibmine corpus in [study] corpus)")
    out += [f"regions.regions: {p}" for r in _strings(reg, "regions") if (p := region_problem(r))]
    if (m := _text(reg, "macroregion")) is not None and (p := choice_problem(m, macroregion_codes())):
        out.append(f"regions.macroregion: {p}")
    for section, key, value in (("regions", "gazetteer", _text(reg, "gazetteer")),
                                ("specialization", "concordance", _text(spec, "concordance")),
                                ("specialization", "baseline_file", _text(spec, "baseline_file")),
                                ("specialization", "crawl_config", _text(spec, "crawl_config"))):
        if value is not None and not (base / value).is_file():
            out.append(f"{section}.{key}: no file {value!r}{where}")
    if (model := _text(rub, "model")) and (p := model_problem(model, base)):
        out.append(f"rubrics.model: {p}")
    for key in ("manual_labels",):
        out += [f"rubrics.{key}: {p!r} matches no file{where}" for p in _strings(rub, key) if not expand(base, p)]
    for c in _strings(spec, "coefficients"):
        if c.startswith("bundled:"):
            if c not in BUNDLED:
                out.append(f"specialization.coefficients: {choice_problem(c, BUNDLED)}")
        elif not (base / c).is_file():
            out.append(f"specialization.coefficients: no file {c!r}{where}")
    out += [f"specialization.values: {p!r} matches no file{where}" for p in _strings(spec, "values")
            if not expand(base, p)]
    out += _specialization_values(spec)
    return out


def _specialization_values(spec: dict) -> list[str]:
    out = []
    years = spec.get("years")
    if isinstance(years, list) and len(years) == 2 and all(type(y) is int for y in years) and years[0] > years[1]:
        out.append(f"specialization.years: first year after last: {years!r}")
    codes = _strings(spec, "cross_cutting")
    if codes:
        from bibmine.specialization.concordance import parse_cross_cutting

        try:
            parse_cross_cutting(",".join(codes))
        except ValueError as exc:
            out.append(f"specialization.cross_cutting: {exc}")
    if spec.get("st") == "coefficients" and not spec.get("coefficients"):
        out.append("specialization.st: 'coefficients' needs specialization.coefficients files")
    out += _baseline_values(spec)
    return out


def _baseline_values(spec: dict) -> list[str]:
    """The baseline keys agree: a file for "file", and a file only for "file"."""
    out = []
    kind, file = spec.get("baseline"), _text(spec, "baseline_file")
    if kind == "file" and file is None:
        out.append('specialization.baseline: "file" needs specialization.baseline_file (a table '
                   "level,year,rubric,region,value; docs/baseline.md)")
    if file is not None and kind != "file":
        out.append('specialization.baseline_file: given, but baseline is not "file"; add baseline = "file"')
    return out


def model_problem(model: str, base: Path) -> str | None:
    """None when the rubric model resolves (a folder next to the study, a path, or a shipped model name)."""
    from bibmine.rubrics.model import resolve_model

    if (base / model / "model.json").exists():
        return None
    try:
        resolve_model(None if model == "default" else model)
    except FileNotFoundError as exc:
        return str(exc)
    return None


def resolve_model_name(model: str, base: Path) -> str:
    """A model folder next to the study file as an absolute path; a name or other path as given."""
    return str(base / model) if (base / model / "model.json").exists() else model
