"""The shipped models travel in the wheel: build it, install it into a fresh virtual environment
(offline: ``--no-deps --no-index``; the scientific stack comes from this environment's
site-packages on PYTHONPATH, bibmine itself only from the wheel) and classify a text there.

Slow-ish (about 20-50 s: the wheel holds the models); it builds into a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    # a copy of the sources: setuptools builds in the source tree, where a build/ left by an older
    # checkout would carry deleted files into the wheel; egg-info and PYTHON* variables would make pip
    # think bibmine is installed already
    source = build / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                               "__pycache__", ".ruff_cache", ".pytest_cache"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "TMPDIR": str(build)}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(source)], check=True, env=env, cwd=build, timeout=240)
    (path,) = out.glob("bibmine-*.whl")
    return path


def test_wheel_holds_the_models(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for model in ("grnti-default", "grnti-use"):
        for part in ("model.json", "arrays.npz", "card.json", "card.md"):
            assert f"bibmine/rubrics/models/{model}/{part}" in names


def test_installed_wheel_classifies_a_text(wheel, tmp_path):
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, timeout=120, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    ours = sysconfig.get_paths()["purelib"]  # numpy, scipy, scikit-learn... (bibmine there is only an editable hook)
    code = ("import json, bibmine, bibmine.rubrics.model as m\n"
            "r = m.RubricModel.load('grnti-default').classify(['Урожайность сортов озимой пшеницы на черноземе "
            "при внесении минеральных удобрений'], k=1)\n"
            "print(json.dumps({'file': bibmine.__file__, 'models': str(m.MODELS_DIR), 'top': r[0][0][0]}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {"PYTHONPATH": ours}
    res = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["file"].startswith(str(env_dir)) and got["models"].startswith(str(env_dir))
    assert got["top"] == "68"
