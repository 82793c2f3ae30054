"""Rubric CSVs with bytes not valid in their encoding, and paths that are not regular files.

Inputs are INVENTED, written by the tests."""

from __future__ import annotations

import os

import pytest

from bibmine.rubrics.assignments import read_assignments
from bibmine.rubrics.files import classify_csv, read_csv_rows
from bibmine.sources.files import NotRegularFileError


class _Stub:
    def classify(self, texts, k=3, level=1, threshold=0.0):
        return [[("27", 0.9)] for _ in texts]




def test_classify_csv_reads_a_utf8_file_with_one_stray_byte(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes("title,abstract\nПочвы,Чернозём\n".encode() + "Математика,Теорема".encode() + b"\xff\n"
                    + "Физика,Нейтроны\n".encode())
    header, rows, encoding, bad = read_csv_rows(src)
    assert header == ["title", "abstract"] and len(rows) == 3 and encoding.startswith("utf")
    assert list(bad) == [3] and "b'\\xff'" in bad[3] and "line 3" in bad[3]
    info = classify_csv(_Stub(), src, tmp_path / "out.csv", ["title", "abstract"], top_k=1)
    assert info["classified"] == 2 and list(info["bad_rows"]) == [3]
    out = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert out[1].endswith(",27,0.9000") and out[2].endswith(",,") and out[3].endswith(",27,0.9000")


def test_read_assignments_rejects_only_the_row_with_a_stray_byte(tmp_path):
    src = tmp_path / "labels.csv"
    src.write_bytes(b"record_id,rubric\nr1,06.81\nr2,27" + b"\xff" + b"\nr3,34\n")
    rows, rejects = read_assignments(src)
    assert [(r.record_id, r.rubric) for r in rows] == [("r1", "06.81"), ("r3", "34")]
    assert len(rejects) == 1 and rejects[0][0] == "labels.csv row 3" and "b'\\xff'" in rejects[0][1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_unopened(tmp_path):
    fifo = tmp_path / "labels.csv"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="FIFO"):
        read_assignments(fifo)
    with pytest.raises(NotRegularFileError, match="FIFO"):
        read_csv_rows(fifo)
