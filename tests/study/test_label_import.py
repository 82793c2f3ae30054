"""One label import (issue 23): the study's [rubrics] manual_labels and ``bibmine import-labels`` both go
through ``bibmine.rubrics.import_labels``, which records true counts and the file's SHA-256, and never
counts a label the corpus already holds as added.  Records: the bundled INVENTED demo exports."""

from __future__ import annotations

import hashlib

from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus import Corpus, import_files
from bibmine.demo import demo_files
from bibmine.rubrics import import_labels
from bibmine.study.config import Study
from bibmine.study.stages import stage_rubrics

LABELS = ("record_id,rubric,annotator\n"
          "10.5555/bibmine.demo.0001,68.05.01,anna\n"
          "10.5555/bibmine.demo.0001,68.05.01,anna\n"  # the same label twice: stored once
          "10.5555/bibmine.demo.0002,06.61.33,anna\n"
          "10.9999/not.in.the.corpus,50,anna\n"  # no such record: quarantined
          ",34,anna\n")  # no record id: quarantined


def _corpus(tmp_path):
    path = tmp_path / "corpus.sqlite"
    with Corpus(path) as corpus:
        import_files(corpus, demo_files(), processes=1)
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS, encoding="utf-8")
    return path, labels


def _last_batch(path):
    with Corpus(path) as corpus:
        return dict(corpus.batches()[-1]), len(corpus.rubrics(source="manual"))


def test_the_study_records_true_counts_the_sha256_and_no_duplicate_as_added(tmp_path):
    path, labels = _corpus(tmp_path)
    study = Study(path=tmp_path / "study.toml", name="t", out=tmp_path / "out", corpus=path, model=None,
                  manual_labels=[labels])
    note = stage_rubrics(study)
    batch, stored = _last_batch(path)
    assert batch["kind"] == "labels" and batch["status"] == "done"
    assert batch["sha256"] == hashlib.sha256(labels.read_bytes()).hexdigest()
    assert (batch["n_read"], batch["n_new"], batch["n_duplicate"], batch["n_rejected"]) == (5, 2, 1, 2)
    assert stored == 2
    assert "labels.csv: 2 manual labels added, 1 already stored, 2 rejected" in note

    stage_rubrics(study)  # the same file again: nothing added, every label a duplicate
    batch, stored = _last_batch(path)
    assert (batch["n_read"], batch["n_new"], batch["n_duplicate"], batch["n_rejected"]) == (5, 0, 3, 2)
    assert stored == 2


def test_the_command_and_the_api_store_the_same_batch(tmp_path):
    path, labels = _corpus(tmp_path)
    result = CliRunner().invoke(app, ["import-labels", str(labels), "--corpus", str(path)])
    assert result.exit_code == 3, result.output  # rows were quarantined
    assert "2 manual labels added, 1 already stored, 2 rejected" in result.output
    by_command, _ = _last_batch(path)
    with Corpus(path) as corpus:
        batch = import_labels(corpus, labels)
    by_api, _ = _last_batch(path)
    assert batch.id == by_api["id"] and by_api["sha256"] == by_command["sha256"]
    assert (by_api["n_read"], by_api["n_new"], by_api["n_duplicate"]) == (5, 0, 3)


def test_a_file_without_the_columns_is_refused_with_exit_2(tmp_path):
    path, _ = _corpus(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("title,year\nSoils,2020\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import-labels", str(bad), "--corpus", str(path)])
    assert result.exit_code == 2 and "record id column" in result.output
