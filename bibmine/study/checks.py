"""Checks shared by the study file and the command-line options: choices with suggestions,
region codes against the gazetteer, and whether a file is a bibmine corpus.

>>> suggest("specialisation", ["study", "specialization", "maps"])
' (did you mean specialization?)'
>>> region_problem("RU-LIP") is None
True
>>> region_problem("Lipetsk")
"'Lipetsk' is not a region code (did you mean RU-LIP?)"
>>> region_problem("ru-lip")
"'ru-lip' is not a region code (did you mean RU-LIP?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from bibmine.corpus.store import corpus_file_problem


def suggest(value: str, known: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest known value, or an empty string."""
    known = list(known)
    by_lower = {k.lower(): k for k in known}
    if str(value).lower() in by_lower:
        return f" (did you mean {by_lower[str(value).lower()]}?)"
    close = difflib.get_close_matches(str(value), known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def choice_problem(value: object, allowed: Iterable[str]) -> str | None:
    """None when ``value`` is one of ``allowed``; else what is wrong, the allowed values and a suggestion."""
    allowed = list(allowed)
    if value in allowed:
        return None
    return f"{value!r} is not one of {', '.join(allowed)}{suggest(str(value), allowed)}"


@cache
def _subjects() -> tuple[dict[str, str], dict[str, str]]:
    """(codes -> English name, every lower-cased name, stem and alias -> code) from the shipped gazetteer."""
    from bibmine.regions.gazetteer import read_gazetteer

    gaz = read_gazetteer()
    names: dict[str, str] = {}
    for code, s in gaz.subjects.items():
        for name in (s.name_en, s.name_ru, s.stem_en, s.stem_ru, *s.aliases_en, *s.aliases_ru, code):
            if name:
                names.setdefault(name.lower(), code)
    return {code: s.name_en for code, s in gaz.subjects.items()}, names


def subject_codes() -> list[str]:
    """The codes of Russia's federal subjects that bibmine's gazetteer knows (RU-LIP, RU-MOW, ...)."""
    return list(_subjects()[0])


def macroregion_codes() -> list[str]:
    from bibmine.regions.gazetteer import read_gazetteer

    return list(read_gazetteer().macroregions)


def region_problem(value: object, *, foreign_ok: bool = False) -> str | None:
    """None for a federal-subject code of the gazetteer (or, with ``foreign_ok``, any ISO 3166-2 code);
    else what is wrong, with the code the value most likely means."""
    if not isinstance(value, str):
        return f"{value!r} is not a region code (expected a string such as 'RU-LIP')"
    codes, names = _subjects()
    if value in codes:
        return None
    if foreign_ok and value.upper() not in codes and _iso_subdivision(value.upper()):
        return None
    hint = names.get(value.strip().lower())
    if hint is None:
        lower = {n: c for n, c in names.items()}
        close = difflib.get_close_matches(value.strip().lower(), list(lower), n=1, cutoff=0.75)
        hint = lower[close[0]] if close else None
    tail = f" (did you mean {hint}?)" if hint else "; expected an ISO 3166-2 code such as RU-LIP"
    return f"{value!r} is not a region code{tail}"


def _iso_subdivision(code: str) -> bool:
    import pycountry

    return pycountry.subdivisions.get(code=code) is not None


def corpus_problem(path: Path) -> str | None:
    """None when ``path`` does not exist or is a bibmine corpus; else why bibmine must not touch it.

    A bibmine corpus is an SQLite file (16-byte header ``SQLite format 3``) whose ``user_version``
    is a bibmine schema version and which has the corpus tables; the file is opened read-only.
    """
    path = Path(path)
    if not path.exists():
        return None
    if not path.is_file():
        return f"{path} is not a file"
    return corpus_file_problem(path, new_ok=False)


def option_choice(value: str, allowed: Iterable[str], option: str) -> str:
    """``value`` if allowed; else a usage error (exit 2) naming the option, the allowed values and a suggestion."""
    problem = choice_problem(value, allowed)
    if problem:
        import typer

        raise typer.BadParameter(problem, param_hint=option)
    return value


def option_regions(values: Iterable[str] | None, option: str, *, foreign_ok: bool = False) -> list[str]:
    """Region codes given on the command line, upper-cased; a usage error (exit 2) for one that is unknown."""
    out = []
    for value in values or ():
        code = value.upper() if foreign_ok else value
        problem = region_problem(code, foreign_ok=foreign_ok)
        if problem:
            import typer

            raise typer.BadParameter(problem.replace(repr(code), repr(value)), param_hint=option)
        out.append(code)
    return out
