"""The demo study end to end: outputs per docs/study-layout.md, skipping, rerunning what changed."""

from __future__ import annotations

import json
import shutil

from rich.console import Console

from bibmine.demo import GENERATED_WORKS, demo_folder, demo_study
from bibmine.study.config import load_study
from bibmine.study.runner import run_study


def test_demo_study_outputs_and_skips(tmp_path):
    console = Console(record=True, width=120)
    study = demo_study(tmp_path / "out")
    runs = run_study(study, console)
    assert [r.name for r in runs if r.ran] == ["corpus", "regions", "rubrics", "specialization", "maps", "report"]
    out = study.out
    for name in ("manifest.json", "corpus/stats.json", "regions/stats.json", "rubrics/distribution.csv",
                 "specialization/coefficients.csv", "specialization/scenarios/RU-LIP.en.json",
                 "specialization/scenarios/RU-LIP.ru.txt", "maps/keywords/map.json", "report.html", "workbook.xlsx",
                 "report.ru.html"):
        assert (out / name).exists(), name
    stats = json.loads((out / "corpus" / "stats.json").read_text(encoding="utf-8"))
    # ten hand-written works (14 source records, merged) and the demo's generated works (issue 22)
    assert stats["works"] == 10 + GENERATED_WORKS and stats["source_records"] == 14 + GENERATED_WORKS
    regions = json.loads((out / "regions" / "stats.json").read_text(encoding="utf-8"))
    assert {r["region"] for r in regions["by_region"]} >= {"RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["stages"]] == [r.name for r in runs]
    assert any(i["path"].endswith("cbe_wos.txt") and len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert "numpy" in manifest["packages"]

    again = run_study(study, console)
    assert not any(r.ran for r in again)
    assert "inputs unchanged, skipped" in console.export_text()


def test_a_changed_label_file_reruns_rubrics_and_what_follows(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(demo_folder(), folder)
    study = load_study(folder / "study.toml")
    run_study(study, Console(width=120))
    with open(folder / "labels_demo.csv", "a", encoding="utf-8") as fh:
        fh.write("10.5555/bibmine.demo.0002,06.52,analyst2\n")
    study = load_study(folder / "study.toml")
    runs = run_study(study, Console(width=120))
    assert {r.name: r.ran for r in runs} == {"corpus": False, "regions": False, "rubrics": True,
                                            "specialization": True, "maps": True, "report": True}
