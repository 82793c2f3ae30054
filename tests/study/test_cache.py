"""The study cache (issue 23): a stage's key holds the files of the rubric model (not its name), the package
data it reads and the installed bibmine's code; a stage whose files are gone reruns; unchanged inputs
still skip.  Records: the bundled INVENTED demo study (its ten hand-written works only)."""

from __future__ import annotations

import json
import shutil

from rich.console import Console

from bibmine.demo import demo_study
from bibmine.study import runner
from bibmine.study.runner import code_digest, model_folder, run_study, stage_key

STAGES = ["corpus", "regions", "rubrics", "specialization", "maps", "report"]


def _ran(study) -> list[str]:
    return [r.name for r in run_study(study, Console(width=120, quiet=True)) if r.ran]


def test_model_files_and_missing_outputs_rerun_their_stage_and_what_follows(tmp_path):
    model = tmp_path / "my-model"  # a copy of the shipped default: same name, its own files
    shutil.copytree(model_folder("default"), model)
    study = demo_study(tmp_path / "out", generated=0)
    study.model = str(model)
    assert _ran(study) == STAGES
    assert _ran(study) == []  # nothing changed: every stage skipped

    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    card["note"] = "retrained"  # the model's files change, its name and path do not
    (model / "card.json").write_text(json.dumps(card), encoding="utf-8")
    assert _ran(study) == ["rubrics", "specialization", "maps", "report"]
    assert _ran(study) == []

    (study.out / "regions" / "stats.json").unlink()  # a file the regions stage wrote is gone
    assert _ran(study) == ["regions", "rubrics", "specialization", "maps", "report"]
    assert (study.out / "regions" / "stats.json").is_file()
    (study.out / "maps" / "keywords" / "map.json").unlink()
    assert _ran(study) == ["maps", "report"]
    assert _ran(study) == []
    manifest = json.loads((study.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bibmine_code_sha256"] == code_digest()
    assert any(d["path"].startswith("regions/data/") for d in manifest["package_data"])
    assert any(i["path"].endswith("card.json") for i in manifest["inputs"])  # the study's own model


def test_package_data_and_code_are_in_the_key(tmp_path, monkeypatch):
    package = tmp_path / "bibmine"
    (package / "regions" / "data").mkdir(parents=True)
    gazetteer = package / "regions" / "data" / "cities.csv"
    gazetteer.write_text("code,name\nRU-VOR,Voronezh\n", encoding="utf-8")
    module = package / "stage.py"
    module.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(runner, "PACKAGE_DIR", package)
    study = demo_study(tmp_path / "out", generated=0)

    def key() -> str:
        return stage_key(study, "regions", "upstream", {})

    first, code = key(), code_digest()
    assert key() == first
    gazetteer.write_text("code,name\nRU-VOR,Voronezh\nRU-LIP,Lipetsk\n", encoding="utf-8")
    second = key()
    assert second != first
    module.write_text("X = 2\n", encoding="utf-8")  # same version number, other code
    assert code_digest() != code and key() != second
