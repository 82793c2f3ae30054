"""An import tells how far into each file it is (bytes read of the file's size), so the command line can show
the share done and the time left of a long import.  Records here are INVENTED."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibmine.corpus.importer import import_files
from bibmine.corpus.store import Corpus
from bibmine.sources.encoding import DecodedText, bytes_decoded


def _ris(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(f"TY  - JOUR\nTI  - Invented study {i} of soil carbon in plot {i * 7}\nAU  - Author{i % 40}, A.\n"
                     f"PY  - {2000 + i % 20}\nDO  - 10.5555/progress.{i}\nER  - \n\n")
    return path


@pytest.mark.parametrize("processes", [1, 2])
def test_progress_follows_the_bytes_read_up_to_the_file_size(tmp_path, processes):
    path = _ris(tmp_path / "big.ris", 2500)  # three chunks of 1,000 records at most
    size = path.stat().st_size
    calls = []
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [path], processes=processes,
                                on_progress=lambda p, n, done, total: calls.append((p, n, done, total)))
    assert report.new == 2500
    assert [n for _, n, _, _ in calls] == [1000, 2000, 2500]
    assert {p for p, _, _, _ in calls} == {path} and {t for _, _, _, t in calls} == {size}
    positions = [done for _, _, done, _ in calls]
    # the reader decodes 1 MiB at a time, so midway it is ahead of its records, never past the file
    assert all(0 < a <= b <= size for a, b in zip(positions, positions[1:], strict=False))
    assert positions[-1] == size


@pytest.mark.parametrize("layout", ["document", "lines"])
def test_json_readers_tell_their_position_too(tmp_path, layout):
    works = [{"id": f"https://openalex.org/W{i}", "title": f"An invented work {i} on chernozem",
              "publication_year": 2020, "type": "article", "doi": f"https://doi.org/10.5555/json.{i}"}
             for i in range(2500)]
    path = tmp_path / ("works.json" if layout == "document" else "works.jsonl")
    text = json.dumps({"results": works}) if layout == "document" else "\n".join(map(json.dumps, works)) + "\n"
    path.write_text(text, encoding="utf-8")
    calls = []
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [path], processes=1, on_progress=lambda *a: calls.append(a))
    assert report.error is None and report.new == 2500, report.error
    size = path.stat().st_size
    assert [(n, total) for _, n, _, total in calls] == [(1000, size), (2000, size), (2500, size)]
    assert 0 < calls[0][2] <= calls[1][2] <= calls[2][2] == size


def test_a_folder_dataset_has_no_byte_position(tmp_path):
    from bibmine.corpus.parquet import write_parquet
    from bibmine.scale.generate import generate_records

    write_parquet(generate_records(3, seed=1), tmp_path / "exchange")
    calls = []
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [tmp_path / "exchange"], processes=1, on_progress=lambda *a: calls.append(a))
    assert report.error is None and report.new == 3, report.error
    assert calls == [(tmp_path / "exchange", 3, None, None)]


def test_bytes_decoded_counts_what_a_decoder_has_read_while_it_is_open(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "строка\n".encode() * 10)  # BOM + 10 lines of 13 bytes
    assert bytes_decoded(path) is None
    with DecodedText(path, "utf-8-sig", chunk=64) as text:
        assert bytes_decoded(path) == 3  # the BOM is skipped, nothing decoded yet
        text.readline()
        assert bytes_decoded(path) == 3 + 64
    assert bytes_decoded(path) is None


def test_a_writer_waiting_for_the_reader_commits_and_checkpoints_meanwhile(tmp_path, monkeypatch):
    """When the reader process is behind, the writer commits what it has written and copies the log into
    the database file while it would wait anyway (else one transaction of 20,000 records and the whole
    log copied at the end).  Here the reader starts each chunk after the first only once the writer has
    stored the previous one, so the writer always waits; another connection sees committed rows before
    the import ends."""
    import multiprocessing
    import sqlite3

    import bibmine.corpus.pipeline as pipeline

    real_prepare = pipeline.prepare
    counter = iter(range(10**9))
    stored = multiprocessing.get_context("fork").Semaphore(0)  # released by the writer after each chunk

    def slow_prepare(*args, **kwargs):  # runs in the forked reader process
        n = next(counter)
        if n and n % 1000 == 0:
            assert stored.acquire(timeout=60), "the writer never stored the previous chunk"
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare", slow_prepare)
    path = _ris(tmp_path / "slow.ris", 3500)
    corpus_path = tmp_path / "c.sqlite"
    seen, sizes = [], []

    def look(p, n, done, total):
        db = sqlite3.connect(f"{corpus_path.as_uri()}?mode=ro", uri=True)
        seen.append((n, db.execute("SELECT count(*) FROM source_records").fetchone()[0]))
        db.close()
        sizes.append(corpus_path.stat().st_size)  # the database file itself, without its log
        stored.release()

    with Corpus(corpus_path) as c:
        [report] = import_files(c, [path], processes=2, on_progress=look)
    assert report.new == 3500
    # after the 2nd and 3rd chunk the writer had waited for the reader: what it wrote before is committed
    assert seen[0][0] == 1000 and seen[1] == (2000, 1000) and seen[2] == (3000, 2000)
    # and copied them into the database file (without a checkpoint it keeps only the schema's pages)
    assert sizes[0] < sizes[1] < sizes[2]
    wal = corpus_path.with_name(corpus_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # the last checkpoint emptied the log
