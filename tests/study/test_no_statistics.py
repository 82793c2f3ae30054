"""A study without economic statistics (issue 17.6) runs the corpus, regions, rubrics, S&T and
maps sections and names what it skipped and why; a study whose inputs match no file stops (exit 2).

Records and labels: the bundled demo files (all INVENTED, see bibmine/demo/data/README.md).
"""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.demo import demo_folder

runner = CliRunner()


def _copy_demo(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for p in [*demo_folder().glob("cbe_*"), demo_folder() / "labels_demo.csv"]:
        shutil.copy(p, folder / p.name)


def test_a_study_without_economic_statistics_runs_and_names_what_it_skipped(tmp_path):
    folder = tmp_path / "d["  # with out = "o]" the paths hold '[/o]', a closing tag to rich
    _copy_demo(folder)
    (folder / "study.toml").write_text(
        '[study]\nname = "No statistics [/b] [x]"\nout = "o]"\n[sources]\nfiles = ["cbe_*"]\n'
        '[regions]\nregions = ["RU-LIP", "RU-VOR"]\n[rubrics]\nmodel = ""\nmanual_labels = ["labels_demo.csv"]\n'
        '[maps]\nnetworks = ["keywords", "regions"]\n', encoding="utf-8")
    result = runner.invoke(app, ["run", str(folder / "study.toml")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert ("skipped: specialization (managerial matrices, scenario models, heat maps): no economic statistics "
            "(no [specialization] section)") in out
    assert "Study 'No statistics [/b] [x]'" in out and "d[/o]/report.html" in out
    study_out = folder / "o]"
    # no baseline (issue 20): the S&T counts are written, no ratio against the corpus's own total is
    assert not (study_out / "specialization" / "coefficients.csv").exists()
    assert (study_out / "specialization" / "st_counts.csv").exists()
    reference = json.loads((study_out / "specialization" / "reference.json").read_text("utf-8"))
    assert reference["computed"] is False and reference["sentence"]["en"].startswith(
        "The S&T ratios were not computed: no national baseline was given")
    assert "The S&amp;T ratios were not computed: no national baseline was given" in (
        study_out / "report.html").read_text("utf-8")
    assert not (study_out / "specialization" / "matrices").exists()
    for name in ("corpus/stats.json", "regions/stats.json", "rubrics/distribution.csv", "maps/keywords/map.json",
                 "maps/regions/map.json", "report.html"):
        assert (study_out / name).exists(), name


def test_a_specialization_section_without_files_says_so(tmp_path):
    from bibmine.study.config import load_study
    from bibmine.study.runner import skipped_sections

    _copy_demo(tmp_path)
    (tmp_path / "study.toml").write_text('[study]\nname = "t"\n[sources]\nfiles = ["cbe_*"]\n'
                                         '[specialization]\ncounting = "fractional"\n', encoding="utf-8")
    lines = skipped_sections(load_study(tmp_path / "study.toml"))
    assert lines == ["specialization (managerial matrices, scenario models, heat maps): no economic statistics "
                     "([specialization] names no coefficients or values files); the S&T counts from the corpus "
                     "are still computed, and the S&T ratios when [specialization] baseline is set",
                     "S&T ratios: no national baseline ([specialization] baseline = \"file\", \"openalex\" or "
                     "\"national-corpus\"; docs/baseline.md); the regions' S&T counts are written, the ratios are "
                     "not computed"]


def test_inputs_that_match_no_file_stop_the_study(tmp_path):
    (tmp_path / "exports").mkdir()  # a folder, not a file
    (tmp_path / "study.toml").write_text('[study]\nname = "t"\n[sources]\nfiles = ["exports", "*.csv"]\n',
                                         encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "study.toml")])
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert "sources.files: 'exports' matches no file" in out and "sources.files: '*.csv' matches no file" in out
    assert not (tmp_path / "study-out").exists()
