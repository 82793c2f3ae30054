"""Study files: the shipped example parses; mistakes name the key (more in test_schema.py)."""

from __future__ import annotations

from importlib import resources

import pytest

from bibmine.study.config import ConfigError, load_study


def test_example_parses_apart_from_its_missing_files(tmp_path):
    text = (resources.files("bibmine.study") / "example.toml").read_text("utf-8")
    path = tmp_path / "study.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources.files: 'exports/\*.txt' matches no file") as info:
        load_study(path)
    assert "specialization.coefficients: no file 'stats/coefficients_2022.csv'" in str(info.value)
    (tmp_path / "exports" / "elibrary").mkdir(parents=True)
    (tmp_path / "stats").mkdir()
    for name in ("exports/a.txt", "exports/scopus1.csv", "exports/elibrary/x.ris", "stats/coefficients_2022.csv",
                 "stats/national_rsci.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "l.csv").write_text("record_id,rubric\n", encoding="utf-8")
    study = load_study(path)
    assert study.lang == "ru" and study.counting == "fractional" and study.years == (2019, 2023)
    assert study.regions[3] == "RU-LIP" and study.out == tmp_path / "lipetsk-study"
    assert (study.baseline, study.baseline_file, study.min_count, study.years_mode) == (
        "file", tmp_path / "stats" / "national_rsci.csv", 5, "each")
    assert [p.name for p in study.files] == ["a.txt", "scopus1.csv", "x.ris"]


@pytest.mark.parametrize(("text", "message"), [
    ('[study]\nname = "x"\nlangauge = "ru"\n', r"study.langauge: unknown key \(did you mean lang\?\)"),
    ('[study]\nname = "x"\n[specialisation]\n', r"specialisation: unknown section \(did you mean specialization\?\)"),
    ('[study]\nname = "x"\nlang = "de"\n', r"study.lang: 'de' is not one of en, ru"),
    ('[study]\nname = "x"\n[specialization]\nyears = [2019]\n', r"expected \[first, last\]"),
    ('[study]\nlang = "en"\n', r"study.name: required"),
    ('[study]\nname = "x"\n[specialization]\nst = "coefficients"\n', r"needs specialization.coefficients"),
    ('[study\nname = "x"\n', r"not valid TOML"),
])
def test_mistakes_name_the_key(tmp_path, text, message):
    path = tmp_path / "study.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_study(path)
