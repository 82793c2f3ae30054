"""Study-file mistakes (issue 17.5): each one is exit 2 before any work, with a message naming
``section.key`` and what is wrong (with a suggestion where one exists); every problem at once.

The study files here are INVENTED, a few lines each; no stage runs.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from bibmine.cli import app

runner = CliRunner()

BASE = {"study": {"name": '"t"'}, "sources": {"files": '["in.ris"]'}}


def _toml(overrides: dict[str, dict[str, str | None]]) -> str:
    sections = {k: dict(v) for k, v in BASE.items()}
    for section, keys in overrides.items():
        for key, value in keys.items():
            sections.setdefault(section, {})[key] = value
    lines = []
    for section, keys in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {v}" for k, v in keys.items() if v is not None]
    return "\n".join(lines) + "\n"


def _run(tmp_path, text: str | bytes):
    (tmp_path / "in.ris").write_text("TY  - JOUR\nER  - \n", encoding="utf-8")  # INVENTED
    path = tmp_path / "study.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["run", str(path)])


def _flat(text: str) -> str:
    """The output on one line, without the borders of typer's error panel."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def _assert_refused(result, *expected: str) -> None:
    out = result.output
    assert result.exit_code == 2, out  # a usage error; an uncaught exception would be exit 1
    assert "Traceback" not in out, out
    for text in expected:
        assert text in _flat(out), out


# (what the user wrote, the message that must appear)
MISTAKES = [
    ({"regions": {"regions": '"RU-LIP"'}}, 'regions.regions: expected a list, e.g. ["RU-LIP"], got a string'),
    ({"sources": {"files": "[5]"}}, "sources.files[0]: expected a string, got an integer 5"),
    ({"sources": {"files": '"in.ris"'}}, "sources.files: expected a list"),
    ({"study": {"out": "5"}}, "study.out: expected a string, got an integer 5"),
    ({"specialization": {"threshold": '"abc"'}}, "specialization.threshold: expected a number, got a string 'abc'"),
    ({"specialization": {"threshold": "nan"}}, "specialization.threshold: expected a finite number, got nan"),
    ({"specialization": {"threshold": "inf"}}, "specialization.threshold: expected a finite number, got inf"),
    ({"regions": {"regions": '["Lipetsk"]'}}, "regions.regions: 'Lipetsk' is not a region code (did you mean RU-LIP?)"),
    ({"regions": {"regions": '["ru-lip"]'}}, "regions.regions: 'ru-lip' is not a region code (did you mean RU-LIP?)"),
    ({"regions": {"macroregion": '"cbe"'}}, "regions.macroregion: 'cbe' is not one of"),
    ({"maps": {"networks": '["bogus"]'}}, "maps.networks[0]: 'bogus' is not one of keywords, terms, rubrics"),
    ({"maps": {"networks": '["keyword"]'}}, "(did you mean keywords?)"),
    ({"maps": {"min_occurence": "3"}}, "maps.min_occurence: unknown key (did you mean min_occurrences?); "
                                       "known in [maps]:"),
    ({"specialisation": {"st": '"corpus"'}}, "specialisation: unknown section (did you mean specialization?)"),
    ({"specialization": {"coefficients": '["stats/missing.csv"]'}},
     "specialization.coefficients: no file 'stats/missing.csv'"),
    ({"specialization": {"coefficients": '["bundled:cbe"]'}},
     "specialization.coefficients: 'bundled:cbe' is not one of"),
    ({"specialization": {"values": '["stats/*.csv"]'}}, "specialization.values: 'stats/*.csv' matches no file"),
    ({"specialization": {"concordance": '"conc.csv"'}}, "specialization.concordance: no file 'conc.csv'"),
    ({"specialization": {"years": "[2019]"}}, "specialization.years: expected [first, last]"),
    ({"specialization": {"years": "[2023, 2019]"}}, "specialization.years: first year after last"),
    ({"specialization": {"cross_cutting": '["99"]'}}, "specialization.cross_cutting:"),
    ({"specialization": {"st": '"coefficients"'}}, "specialization.st: 'coefficients' needs"),
    ({"regions": {"gazetteer": '"my_aliases.csv"'}}, "regions.gazetteer: no file 'my_aliases.csv'"),
    ({"rubrics": {"model": '"no-such-model"'}}, "rubrics.model: no model at no-such-model"),
    ({"rubrics": {"manual_labels": '["labels/*.csv"]'}}, "rubrics.manual_labels: 'labels/*.csv' matches no file"),
    ({"sources": {"files": '["exports/*.txt"]'}}, "sources.files: 'exports/*.txt' matches no file"),
    ({"sources": {"files": "[]"}}, "sources.files: no input files"),
    ({"study": {"lang": '"de"'}}, "study.lang: 'de' is not one of en, ru"),
    ({"study": {"name": None}}, "study.name: required"),
    ({"maps": {"min_occurrences": "0"}}, "maps.min_occurrences: input should be greater than or equal to 1"),
    ({"maps": {"top": "true"}}, "maps.top: expected an integer, got a boolean True"),
    ({"study": {"corpus": '"in.ris"'}}, "study.corpus:", "is not a bibmine corpus"),
]


@pytest.mark.parametrize(("overrides", "message"), [(m[0], m[1:]) for m in MISTAKES],
                         ids=[re.sub(r"\W+", "_", m[1])[:40] for m in MISTAKES])
def test_each_mistake_is_exit_2_naming_section_and_key(tmp_path, overrides, message):
    result = _run(tmp_path, _toml(overrides))
    _assert_refused(result, *message)
    assert not (tmp_path / "study-out").exists()  # refused before any work


def test_an_out_that_is_an_existing_file_is_refused_and_kept(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = _run(tmp_path, _toml({"study": {"out": '"notes.txt"'}}))
    _assert_refused(result, "study.out: 'notes.txt' is an existing file, not a folder")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_three_mistakes_are_listed_at_once(tmp_path):
    text = _toml({"regions": {"regions": '"RU-LIP"'}, "maps": {"networks": '["bogus"]', "min_occurence": "3"},
                  "specialization": {"threshold": "nan"}})
    result = _run(tmp_path, text)
    _assert_refused(result, "4 problem(s)", "regions.regions: expected a list", "maps.networks[0]: 'bogus'",
                    "maps.min_occurence: unknown key", "specialization.threshold: expected a finite number")


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a study file: binary content"),
    ("[study]\nname = 'Липецк'\n".encode("cp1251"), "not a study file: not UTF-8 text (byte 0xcb at offset 16)"),
    (b'[study\nname = "x"\n', "not valid TOML"),
])
def test_a_file_that_is_not_a_study_file_is_one_clear_message(tmp_path, content, message):
    _assert_refused(_run(tmp_path, content), message)


def test_markup_in_messages_is_printed_not_interpreted(tmp_path):
    folder = tmp_path / "s["  # the message holds '.../s[/study.toml ... x]': a closing tag to rich
    folder.mkdir()
    result = _run(folder, _toml({"sources": {"files": '["x]"]'}}))
    _assert_refused(result, "s[/study.toml: 1 problem(s)", "sources.files: 'x]' matches no file")


def test_the_schema_knows_every_map_kind():
    from bibmine.maps.collect import KINDS
    from bibmine.study.schema import NETWORKS

    assert set(NETWORKS) == set(KINDS)


# ------------------------------------------------------------- command-line options
@pytest.mark.parametrize(("args", "message"), [
    (["regions", "stats", "--mode", "bogus"], "'bogus' is not one of whole, affiliation, author"),
    (["regions", "stats", "--level", "Subject"], "'Subject' is not one of subject, macroregion, country "
                                                 "(did you mean subject?)"),
    (["map", "keywords", "--out", "m", "--region", "Lipetsk"], "'Lipetsk' is not a region code (did you mean RU-LIP?)"),
    (["map", "keywords", "--out", "m", "--overlay-region", "XX-NOPE"], "'XX-NOPE' is not a region code"),
    (["specialization", "st-counts", "--out", "x.csv", "--years", "2019-abc"], "'2019-abc' is not a year window"),
    (["specialization", "st-counts", "--out", "x.csv", "--counting", "fraction"],
     "'fraction' is not one of whole, fractional (did you mean fractional?)"),
    (["specialization", "st-counts", "--out", "x.csv", "--sources", "publications,patent"],
     "'patent' is not one of publications"),
    (["run", "study.toml", "--lang", "de"], "'de' is not one of en, ru"),
])
def test_bad_options_are_exit_2_with_the_allowed_values(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BIBMINE_CORPUS", str(tmp_path / "none.sqlite"))
    (tmp_path / "study.toml").write_text('[study]\nname = "t"\n', encoding="utf-8")
    result = runner.invoke(app, args)
    _assert_refused(result, message)


def test_scenario_region_is_checked_against_the_gazetteer(tmp_path):
    coefficients = tmp_path / "c.csv"  # INVENTED
    coefficients.write_text("level,year,category,region,value\nexport,2022,01,RU-LIP,1.5\n", encoding="utf-8")
    result = runner.invoke(app, ["specialization", "scenario", "--coefficients", str(coefficients),
                                 "--region", "ru-lip"])
    _assert_refused(result, "--region", "'ru-lip' is not a region code (did you mean RU-LIP?)")
