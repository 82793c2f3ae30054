"""``--engine dask`` gives the answers of the single-machine path.

One generated (INVENTED) corpus of 100,000 records is imported once and copied: the copy ``local``
goes through the single-machine stages (regions.store.assign, rubrics.corpus_ops.classify_corpus,
specialization.corpus_counts.st_records + counting.count_st), the copy ``dask`` through the
partition tasks on a LocalCluster of 2 worker processes.  Placements, automatic assignments
(codes and scores), whole and fractional counts and the S&T ratios are compared.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.importer import import_files
from bibmine.corpus.parquet import write_parquet
from bibmine.corpus.store import Corpus
from bibmine.regions.matcher import Matcher
from bibmine.regions.partitions import assign_dataset
from bibmine.regions.store import assign
from bibmine.rubrics.corpus_ops import classify_corpus
from bibmine.rubrics.model import RubricModel
from bibmine.rubrics.partitions import classify_dataset
from bibmine.scale.engine import DaskEngine, LocalEngine, open_engine
from bibmine.scale.exchange import corpus_dataset
from bibmine.scale.generate import generate_records
from bibmine.specialization.coefficients import location_quotients
from bibmine.specialization.corpus_counts import st_records
from bibmine.specialization.counting import count_st
from bibmine.specialization.partitions import count_dataset

N = 100_000
PART = 25_000


def _placements(c: Corpus) -> pd.DataFrame:
    return pd.read_sql("SELECT w.uid, p.aff_index, p.raw, p.country, p.region, p.city, p.organization, "
                       "p.macroregion, p.confidence, p.method, p.status, p.evidence FROM region_placements p "
                       "JOIN works w ON w.id=p.work_id ORDER BY w.uid, p.aff_index", c.db)


def _assignments(c: Corpus) -> pd.DataFrame:
    return pd.read_sql("SELECT w.uid, r.code, r.source, r.annotator, r.score FROM rubric_assignments r "
                       "JOIN works w ON w.id=r.work_id ORDER BY w.uid, r.source, r.code", c.db)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    write_parquet(generate_records(N, seed=11), root / "generated", part_size=PART)
    with Corpus(root / "local.sqlite") as c:
        [report] = import_files(c, [root / "generated"], fuzzy=False)
        assert report.new == N
    shutil.copy(root / "local.sqlite", root / "dask.sqlite")
    model = RubricModel.load("grnti-default")
    matcher = Matcher()
    options = {"sources": ["publications"], "country": "RU"}
    out: dict = {}
    with Corpus(root / "local.sqlite") as c:
        out["local_assign"] = assign(c, matcher)
        classify_corpus(c, model)
        table, excluded = st_records(c)
        out["local_counts"] = {k: count_st(table, counting=k, **options).values for k in ("whole", "fractional")}
        out["local_excluded"] = sorted(excluded)
        out["local_placements"], out["local_assignments"] = _placements(c), _assignments(c)
    with Corpus(root / "dask.sqlite") as c, DaskEngine(workers=2) as engine:
        assert engine.workers == 2
        with corpus_dataset(c, part_size=PART) as ds:
            out["dask_assign"] = assign_dataset(c, engine, ds)
        with corpus_dataset(c, part_size=PART) as ds:
            out["dask_classify"] = classify_dataset(c, engine, ds, model)
        with corpus_dataset(c, part_size=PART) as ds:
            assert len(ds.parts) == N // PART
            out["dask_counts"] = {}
            for k in ("whole", "fractional"):
                counts, counted, excluded = count_dataset(engine, ds, counting=k, **options)
                out["dask_counts"][k] = counts.values
            out["dask_excluded"] = sorted(excluded)
        out["dask_placements"], out["dask_assignments"] = _placements(c), _assignments(c)
    return out


def test_placements_are_identical(runs):
    assert runs["dask_assign"] == runs["local_assign"]
    assert runs["local_assign"]["placed"] > N  # one to three affiliations per record, almost all placed
    pd.testing.assert_frame_equal(runs["dask_placements"], runs["local_placements"])


def test_automatic_assignments_are_identical(runs):
    local, dask = runs["local_assignments"], runs["dask_assignments"]
    assert runs["dask_classify"]["records"] == N and runs["dask_classify"]["workers"] == 2
    assert (local.source == "automatic").sum() >= N  # every record has text, so a top rubric at least
    assert (local.source == "manual").sum() > 0.05 * N  # the generator labels about a tenth by hand
    pd.testing.assert_frame_equal(dask, local)


def test_whole_counts_are_identical_and_fractional_equal_to_rounding(runs):
    for counting in ("whole", "fractional"):
        local, dask = runs["local_counts"][counting], runs["dask_counts"][counting]
        assert list(dask.columns) == list(local.columns) and len(dask) == len(local) > 1000
        pd.testing.assert_frame_equal(dask.drop(columns="value"), local.drop(columns="value"))
        if counting == "whole":
            assert dask["value"].tolist() == local["value"].tolist()
        else:
            np.testing.assert_allclose(dask["value"], local["value"], rtol=1e-12, atol=1e-9)
    assert runs["dask_excluded"] == runs["local_excluded"] and len(runs["local_excluded"]) > 0


def test_ratios_and_competences_are_identical(runs):
    for counting in ("whole", "fractional"):
        local = location_quotients(runs["local_counts"][counting])
        dask = location_quotients(runs["dask_counts"][counting])
        np.testing.assert_allclose(dask["value"].astype(float), local["value"].astype(float), rtol=1e-10)
        competent = [(frame["value"].astype(float) > 1).tolist() for frame in (local, dask)]
        assert competent[1] == competent[0] and sum(competent[0]) > 100


def test_local_engine_runs_the_same_tasks_here(tmp_path):
    write_parquet(generate_records(300, seed=4), tmp_path / "ds", part_size=100)
    with Corpus(tmp_path / "c.sqlite") as c:
        import_files(c, [tmp_path / "ds"], fuzzy=False)
        shutil.copy(tmp_path / "c.sqlite", tmp_path / "d.sqlite")
        counts = assign(c, Matcher())
        reference = _placements(c)
    with Corpus(tmp_path / "d.sqlite") as d, corpus_dataset(d, part_size=100) as ds:
        assert assign_dataset(d, LocalEngine(), ds) == counts
        pd.testing.assert_frame_equal(_placements(d), reference)


def test_engine_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match="engine must be one of local, dask"):
        open_engine("spark")
    with pytest.raises(ValueError, match="--scheduler is for --engine dask"):
        open_engine("local", scheduler="tcp://127.0.0.1:8786")
    runner = CliRunner()
    result = runner.invoke(app, ["regions", "assign", "--corpus", str(tmp_path / "x.sqlite"), "--engine", "ray"])
    assert result.exit_code == 2 and "choose one of local, dask" in result.output
    result = runner.invoke(app, ["rubrics", "classify", "--corpus", str(tmp_path / "x.sqlite"),
                                 "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.output


def _fails_on_b(item: str) -> str:
    if item == "b":
        raise ValueError("bad part")
    return item.upper()


def test_a_failing_task_names_its_part():
    with DaskEngine(workers=1) as engine:
        results = engine.map(_fails_on_b, ["a", "b", "c"])
        assert next(results) == ("a", "A")
        with pytest.raises(RuntimeError, match=r"_fails_on_b\('b'\) failed on the cluster: bad part"):
            next(results)


def test_cli_engine_dask_writes_what_the_local_commands_write(tmp_path):
    write_parquet(generate_records(400, seed=8), tmp_path / "ds", part_size=400)
    runner = CliRunner()
    for name in ("local", "dask"):
        corpus = str(tmp_path / f"{name}.sqlite")
        assert runner.invoke(app, ["import", str(tmp_path / "ds"), "--corpus", corpus]).exit_code == 0
        engine = ["--engine", "dask", "--workers", "1", "--part-size", "150"] if name == "dask" else []
        for command in (["regions", "assign"], ["rubrics", "classify"],
                        ["specialization", "st-counts", "--out", str(tmp_path / f"{name}.csv"),
                         "--counting", "fractional"]):
            result = runner.invoke(app, [*command, "--corpus", corpus, *engine])
            assert result.exit_code == 0, result.output
        assert not (tmp_path / f"{name}.sqlite.exchange").exists()  # the exported dataset is cleaned up
    with Corpus(tmp_path / "local.sqlite") as a, Corpus(tmp_path / "dask.sqlite") as b:
        pd.testing.assert_frame_equal(_placements(b), _placements(a))
        pd.testing.assert_frame_equal(_assignments(b), _assignments(a))
    local = pd.read_csv(tmp_path / "local.csv")
    dask = pd.read_csv(tmp_path / "dask.csv")
    assert len(local) > 100
    pd.testing.assert_frame_equal(dask.drop(columns="value"), local.drop(columns="value"))
    np.testing.assert_allclose(dask["value"], local["value"], rtol=1e-12)
