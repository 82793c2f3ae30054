"""The columnar exchange: the corpus as a partitioned Parquet dataset (schema ``bibmine-parquet/1``).

A dataset is a folder::

    bibmine-parquet.json          manifest: schema name and version, parts, row counts, sha256 per file
    records/part-00000.parquet    one row per work
    affiliations/part-00000.parquet   one row per (work, affiliation), with where it was placed
    rubrics/part-00000.parquet    one row per stored rubric assignment (manual, automatic)

Part ``k`` of every table holds the same works, so a worker processes part ``k`` without a shuffle.
``records.record`` is the whole work as the corpus shows it (msgspec JSON of
:class:`bibmine.record.Record`, placements and rubrics included): it alone is enough to
rebuild the work, and ``bibmine import DIR`` reads it back.  The other columns are there for
columnar tools (pandas, DuckDB, Spark) and for the distributed stages.  The schema is in
``docs/parquet.md``; a reader refuses a newer schema version.

>>> import tempfile, pathlib
>>> from bibmine.record import Record, Text, Kind
>>> d = pathlib.Path(tempfile.mkdtemp()) / "ds"
>>> rec = Record(kind=Kind.ARTICLE, id="w1", titles=[Text("Почвы", "ru")], year=2021)
>>> write_parquet([rec], d, part_size=10)["records"]
1
>>> [r.title for r in read_parquet(d)]
['Почвы']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bibmine.record import Record, from_json, to_json

SCHEMA = "bibmine-parquet"
SCHEMA_VERSION = 1
MANIFEST = "bibmine-parquet.json"
TABLES = ("records", "affiliations", "rubrics")
DEFAULT_PART_SIZE = 50_000

# Column -> Arrow type name, per table; documented in docs/parquet.md.
COLUMNS = {
    "records": {
        "id": "string", "kind": "string", "year": "int32", "title": "string", "language": "string",
        "doi": "string", "venue": "string", "n_authors": "int32", "n_affiliations": "int32",
        "rsci_core": "bool", "citations": "int64", "record": "string",
    },
    "affiliations": {
        "id": "string", "aff_index": "int32", "raw": "string", "organization": "string", "city": "string",
        "region": "string", "country": "string",
    },
    "rubrics": {
        "id": "string", "scheme": "string", "code": "string", "source": "string", "annotator": "string",
        "score": "float64",
    },
}


class ParquetSchemaError(ValueError):
    """Not a bibmine Parquet dataset, or one written by a newer schema."""


def _pa():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a declared dependency
        raise ImportError("the Parquet exchange needs pyarrow (pip install pyarrow)") from exc
    return pa, pq


def _schema(table: str):
    pa, _ = _pa()
    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "bool": pa.bool_(),
             "float64": pa.float64()}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS[table].items()])


def record_rows(rec: Record) -> tuple[dict, list[dict], list[dict]]:
    """The row of one work in each table."""
    cites = max((c.count for c in rec.citations), default=None)
    row = {
        "id": rec.id, "kind": rec.kind.value, "year": rec.year, "title": rec.title, "language": rec.language,
        "doi": rec.ids.doi, "venue": rec.venue.name, "n_authors": len(rec.authors),
        "n_affiliations": len(rec.affiliations), "rsci_core": rec.venue.rsci_core, "citations": cites,
        "record": to_json(rec).decode(),
    }
    affs = [{"id": rec.id, "aff_index": i, "raw": a.raw, "organization": a.organization, "city": a.city,
             "region": a.region, "country": a.country} for i, a in enumerate(rec.affiliations)]
    rubrics = [{"id": rec.id, "scheme": r.scheme, "code": r.code, "source": r.source,
                "annotator": r.annotator or "", "score": r.score} for r in rec.rubrics]
    return row, affs, rubrics


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_parquet(records: Iterable[Record], out: str | Path, *, part_size: int = DEFAULT_PART_SIZE,
                  progress=None) -> dict:
    """Write ``records`` as a dataset in the folder ``out`` (created; must be empty); return the manifest.

    ``progress(n)`` is called after each part with the number of records it holds.
    """
    pa, pq = _pa()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out}: the folder is not empty; choose a new one for the Parquet dataset")
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
    parts: list[dict] = []
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}

    def flush() -> None:
        name = f"part-{len(parts):05d}"
        entry = {"name": name, "rows": {}, "sha256": {}}
        for table in TABLES:
            path = out / table / f"{name}.parquet"
            schema = _schema(table)
            columns = {c: [r[c] for r in rows[table]] for c in schema.names}
            pq.write_table(pa.Table.from_pydict(columns, schema=schema), path, compression="zstd")
            entry["rows"][table] = len(rows[table])
            entry["sha256"][table] = _sha256(path)
            rows[table] = []
        parts.append(entry)
        if progress:
            progress(entry["rows"]["records"])

    for rec in records:
        row, affs, rubrics = record_rows(rec)
        rows["records"].append(row)
        rows["affiliations"].extend(affs)
        rows["rubrics"].extend(rubrics)
        if len(rows["records"]) >= part_size:
            flush()
    if rows["records"] or not parts:
        flush()
    manifest = {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": sum(p["rows"]["records"] for p in parts),
        "part_size": part_size, "parts": parts, "columns": COLUMNS,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class Dataset:
    """An opened dataset: its folder and manifest."""

    path: Path
    manifest: dict

    @property
    def parts(self) -> list[str]:
        return [p["name"] for p in self.manifest["parts"]]

    def part_path(self, table: str, part: str) -> Path:
        return self.path / table / f"{part}.parquet"

    def sha256(self) -> str:
        """Digest of the manifest, which holds the digest of every part file."""
        return hashlib.sha256((self.path / MANIFEST).read_bytes()).hexdigest()


def is_dataset(path: str | Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def open_dataset(path: str | Path) -> Dataset:
    """Read and check the manifest; raise :class:`ParquetSchemaError` naming what is wrong."""
    path = Path(path)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise ParquetSchemaError(f"{path}: not a bibmine Parquet dataset (no {MANIFEST})")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParquetSchemaError(f"{manifest_path}: not valid JSON: {exc}") from exc
    if manifest.get("schema") != SCHEMA:
        raise ParquetSchemaError(f"{manifest_path}: schema {manifest.get('schema')!r} is not {SCHEMA!r}")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ParquetSchemaError(f"{manifest_path}: schema version {version!r} is newer than this bibmine "
                                 f"reads ({SCHEMA_VERSION}); upgrade bibmine")
    return Dataset(path, manifest)


def read_part_records(dataset: Dataset, part: str) -> list[Record]:
    """The works of one part, decoded from the ``record`` column."""
    _, pq = _pa()
    column = pq.read_table(dataset.part_path("records", part), columns=["record"]).column("record")
    return [from_json(text) for text in column.to_pylist()]


def iter_part_batches(dataset: Dataset, part: str, size: int = 5000) -> Iterator[list[Record]]:
    """The works of one part, ``size`` at a time: a task holds the JSON text of its part but
    decoded records of one batch only (a decoded work takes a few KB)."""
    _, pq = _pa()
    texts = pq.read_table(dataset.part_path("records", part), columns=["record"]).column("record").to_pylist()
    for start in range(0, len(texts), size):
        yield [from_json(text) for text in texts[start:start + size]]


def iter_part_json(dataset: Dataset) -> Iterator[tuple[str, int, str]]:
    """``(part, row, record JSON)`` for every work of the dataset, part by part."""
    _, pq = _pa()
    for part in dataset.parts:
        column = pq.read_table(dataset.part_path("records", part), columns=["record"]).column("record")
        for i, text in enumerate(column.to_pylist()):
            yield part, i, text


def read_parquet(path: str | Path) -> Iterator[Record]:
    """Every work of a dataset, in part order."""
    dataset = open_dataset(path)
    for part in dataset.parts:
        yield from read_part_records(dataset, part)


def read_table(path: str | Path, table: str):
    """One whole table as a pandas DataFrame (for analysis; the stages read part by part)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; the dataset has {', '.join(TABLES)}")
    _, pq = _pa()
    dataset = open_dataset(path)
    import pandas as pd

    frames = [pq.read_table(dataset.part_path(table, p)).to_pandas() for p in dataset.parts]
    return pd.concat(frames, ignore_index=True) if frames else _schema(table).empty_table().to_pandas()
