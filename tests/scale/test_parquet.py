"""The Parquet exchange: export, read back, import, and what it refuses."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bibmine.cli import app
from bibmine.corpus.importer import import_files
from bibmine.corpus.model import to_json
from bibmine.corpus.parquet import (
    MANIFEST,
    ParquetSchemaError,
    open_dataset,
    read_parquet,
    read_table,
    write_parquet,
)
from bibmine.corpus.store import Corpus
from bibmine.scale.generate import generate_records


def test_write_and_read_back_every_table(tmp_path):
    records = list(generate_records(25, seed=3))
    manifest = write_parquet(records, tmp_path / "ds", part_size=10)
    assert manifest["records"] == 25
    assert [p["rows"]["records"] for p in manifest["parts"]] == [10, 10, 5]
    back = list(read_parquet(tmp_path / "ds"))
    assert [to_json(r) for r in back] == [to_json(r) for r in records]
    affs = read_table(tmp_path / "ds", "affiliations")
    assert len(affs) == sum(len(r.affiliations) for r in records)
    assert affs.iloc[0]["raw"] == records[0].affiliations[0].raw
    rubrics = read_table(tmp_path / "ds", "rubrics")
    assert list(rubrics["id"]) == [r.id for r in records for _ in r.rubrics]
    first = pq.read_table(tmp_path / "ds" / "records" / "part-00000.parquet")
    assert first.schema.field("year").type == pa.int32()
    assert first.column("id").to_pylist()[:2] == ["gen000000000", "gen000000001"]


def test_refuses_a_non_empty_folder_and_a_newer_schema(tmp_path):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "x.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not empty"):
        write_parquet([], tmp_path / "ds")
    write_parquet(generate_records(2), tmp_path / "new")
    manifest = json.loads((tmp_path / "new" / MANIFEST).read_text())
    manifest["schema_version"] = 99
    (tmp_path / "new" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ParquetSchemaError, match="schema version 99 is newer"):
        open_dataset(tmp_path / "new")


def test_import_round_trip_keeps_placements_and_rubrics(tmp_path):
    records = list(generate_records(40, seed=5))
    records[0].affiliations[0].region = "RU-VOR"  # as if the regions stage had placed it
    write_parquet(records, tmp_path / "ds", part_size=15)
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [tmp_path / "ds"])
        assert (report.format, report.read, report.new, report.rejected) == ("bibmine_parquet", 40, 40, 0)
        [again] = import_files(c, [tmp_path / "ds"])
        assert (again.new, again.duplicate) == (0, 40)
        manual = c.rubrics(source="manual")
        assert len(manual) == sum(len(r.rubrics) for r in records)
        works = {w.ids.doi: w for w in c.iter_works()}
    assert works[records[0].ids.doi].affiliations[0].region == "RU-VOR"
    assert works[records[7].ids.doi].title == records[7].title


def test_bad_record_row_is_quarantined_with_its_part_and_row(tmp_path):
    write_parquet(generate_records(3), tmp_path / "ds")
    path = tmp_path / "ds" / "records" / "part-00000.parquet"
    table = pq.read_table(path)
    texts = table.column("record").to_pylist()
    texts[1] = '{"kind": "article", "year": "not a year"'
    table = table.set_column(table.schema.get_field_index("record"), "record", pa.array(texts))
    pq.write_table(table, path)
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [tmp_path / "ds"])
        assert (report.new, report.rejected) == (2, 1)
        [row] = c.quarantined()
    assert row["location"] == "part-00000 row 1" and "does not decode" in row["reason"]


def test_cli_export_parquet_then_import(tmp_path):
    runner = CliRunner()
    write_parquet(generate_records(12, seed=2), tmp_path / "seed")
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert runner.invoke(app, ["import", str(tmp_path / "seed"), "--corpus", str(a)]).exit_code == 0
    result = runner.invoke(app, ["export", "--corpus", str(a), "--format", "parquet", "--out",
                                 str(tmp_path / "out"), "--part-size", "5"])
    assert result.exit_code == 0, result.output
    assert "wrote 12 works" in result.output
    assert open_dataset(tmp_path / "out").parts == ["part-00000", "part-00001", "part-00002"]
    again = runner.invoke(app, ["export", "--corpus", str(a), "--format", "parquet", "--out", str(tmp_path / "out")])
    assert again.exit_code == 2 and "not empty" in again.output
    assert runner.invoke(app, ["import", str(tmp_path / "out"), "--corpus", str(b)]).exit_code == 0
    with Corpus(a) as ca, Corpus(b) as cb:
        assert sorted(w.title for w in ca.iter_works()) == sorted(w.title for w in cb.iter_works())
