"""Readers on hostile input: bad bytes, lone CR, duplicated headers, deep JSON, FIFOs, truncation.

Fixtures are INVENTED (tests/fixtures/hostile/README.md); JSON is generated here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bibmine.corpus.model import Record, Reject
from bibmine.sources.files import NotRegularFileError, open_export
from bibmine.sources.readers import _jsonio
from bibmine.sources.readers._csv_rows import DuplicateColumnError

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"


def read(path: Path, format: str | None = None) -> tuple[str, list[Record], list[Reject]]:
    opened = open_export(path, format)
    items = list(opened.records())
    return opened.encoding, [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Reject)]


def titles(records: list[Record]) -> list[str | None]:
    return [r.title for r in records]


# ---------------------------------------------------------------- part 3: decoding


@pytest.mark.parametrize(("name", "location", "line", "offset", "bad"), [
    ("bad_byte.ris", "line 8", 10, 206, "b'\\xff'"),
    ("bad_byte_wos.txt", "line 10", 12, 205, "b'\\xc3'"),
    ("bad_byte_scopus.csv", "row 3", 3, 252, "b'\\xff'"),
])
def test_one_bad_byte_quarantines_its_record_only(name, location, line, offset, bad):
    encoding, records, rejects = read(HOSTILE / name)
    assert encoding == "utf-8"  # the file is not re-decoded as a legacy code page
    assert titles(records) == ["Café society and soil carbon", "Erosion near Akdağ", "Чернозёмы Воронежа"]
    assert [r.location for r in rejects] == [location]
    reason = rejects[0].reason
    assert f"line {line}, byte offset {offset}: {bad} is not valid utf-8" in reason
    assert reason.startswith(f"{name}: ") and "quarantined" in reason
    assert "García" in rejects[0].raw and "\ufffd" in rejects[0].raw  # the record's text, bad byte shown
    assert not any("\ufffd" in (r.raw or "") for r in records)


def test_the_bytes_of_the_bad_byte_fixture_are_where_the_message_says():
    data = (HOSTILE / "bad_byte.ris").read_bytes()
    assert data[206:207] == b"\xff" and data[:206].count(b"\n") + 1 == 10


def test_genuine_cp1251_stays_cp1251_and_an_undefined_byte_is_located():
    encoding, records, rejects = read(HOSTILE / "voronezh_cp1251.ris")
    assert encoding == "cp1251"
    assert titles(records) == ["Почвы Воронежской области", "Липецкий чернозём"]
    assert [a.name for a in records[1].authors] == ["Сидоров, Семён"]
    assert [r.location for r in rejects] == ["line 8"]
    assert "line 9, byte offset 139: b'\\x98' is not valid cp1251" in rejects[0].reason


MEDLINE_BAD = ("PMID- 1\nTI  - Café\nSO  - J. 2020.\n\nPMID- 2\nTI  - García ".encode() + b"\xff"
               + "\nSO  - J. 2021.\n\nPMID- 3\nTI  - Akdağ\nSO  - J. 2022.\n".encode())
BIBTEX_BAD = ("@article{a, title={Café}, year={2020}}\n@article{b, title={García ".encode() + b"\xff"
              + "}, year={2021}}\n@article{c, title={Akdağ}, year={2022}}\n".encode())


@pytest.mark.parametrize(("name", "data", "location", "line"), [
    ("m.nbib", MEDLINE_BAD, "line 5", 6),
    ("b.bib", BIBTEX_BAD, "line 2", 2),
])
def test_medline_and_bibtex_quarantine_the_record_with_the_bad_byte(tmp_path, name, data, location, line):
    path = tmp_path / name
    path.write_bytes(data)
    _, records, rejects = read(path)
    assert titles(records) == ["Café", "Akdağ"] and [r.location for r in rejects] == [location]
    offset = data.index(b"\xff")
    assert f"line {line}, byte offset {offset}: " + "b'\\xff' is not valid utf-8" in rejects[0].reason


def test_a_bad_byte_in_a_json_document_quarantines_that_item(tmp_path):
    work = {"id": "https://openalex.org/W1", "title": "Café", "publication_year": 2020, "authorships": []}
    path = tmp_path / "w.json"
    path.write_bytes(
        b'{"meta": {}, "results": [' + json.dumps(work, ensure_ascii=False).encode()
        + b', {"id": "https://openalex.org/W2", "title": "Garc\xff"}, '
        + json.dumps(dict(work, id="https://openalex.org/W3", title="Akdağ"), ensure_ascii=False).encode() + b"]}"
    )
    _, records, rejects = read(path)
    assert titles(records) == ["Café", "Akdağ"]
    assert [r.location for r in rejects] == ["item 2"]
    assert path.read_bytes().index(b"\xff") == 171
    assert "line 1, byte offset 171: b'\\xff' is not valid utf-8" in rejects[0].reason


# ---------------------------------------------------------------- part 4: line endings, truncation


@pytest.mark.parametrize(("name", "format", "expected"), [
    ("lone_cr.ris", "ris", ["First title on a Mac", "Second title on a Mac"]),
    ("lone_cr.nbib", "medline", ["First MEDLINE title on a Mac", "Second MEDLINE title on a Mac"]),
    ("lone_cr_wos.txt", "wos_plaintext", ["First WoS title on a Mac continued", "Second WoS title on a Mac"]),
])
def test_lone_cr_line_endings(name, format, expected):
    opened = open_export(HOSTILE / name)
    assert opened.reader.name == format
    _, records, rejects = read(HOSTILE / name)
    assert rejects == [] and titles(records) == expected


def test_lone_cr_ris_keeps_dois_and_authors():
    _, records, _ = read(HOSTILE / "lone_cr.ris")
    assert [r.ids.doi for r in records] == ["10.1234/cr.1", "10.1234/cr.2"]
    assert [a.name for r in records for a in r.authors] == ["Smith, John", "Doe, Jane"]


def test_truncated_wos_keeps_the_whole_records_and_quarantines_the_cut_one():
    _, records, rejects = read(HOSTILE / "truncated_wos.txt")
    assert [r.ids.wos for r in records] == ["WOS:000000000000021", "WOS:000000000000022"]
    assert [(r.location, r.reason) for r in rejects] == [
        ("line 15", "record is not terminated by an ER line (file truncated?)")
    ]
    assert rejects[0].raw.startswith("PT J\nAU Roe, R\nTI Third record, cut in the mid")


# ---------------------------------------------------------------- duplicated CSV headers


def test_a_duplicated_header_is_an_error_naming_both_columns():
    with pytest.raises(DuplicateColumnError) as err:
        read(HOSTILE / "duplicate_doi_header.csv")
    message = str(err.value)
    assert "duplicate_doi_header.csv: the header names a column twice: 'DOI' at columns 24 and 33" in message


def test_scopus_csv_with_two_title_columns(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('Authors,Title,Year,Source title,EID,title\n"Orlov O.","A","2020","J","2-s2.0-1","B"\n')
    with pytest.raises(DuplicateColumnError, match="'Title' at columns 2 and 6"):
        read(path)


# ---------------------------------------------------------------- deep and huge JSON

WORK = {"id": "https://openalex.org/W{}", "title": "Work {}", "publication_year": 2020, "authorships": []}
DEEP = "[" * 10_000 + "]" * 10_000


def work(i: int) -> str:
    return json.dumps({k: v.format(i) if isinstance(v, str) else v for k, v in WORK.items()})


def test_deep_record_in_a_list_response_is_quarantined_alone(tmp_path):
    path = tmp_path / "deep.json"
    deep = '{"id": "https://openalex.org/W2", "x": ' + DEEP + "}"
    path.write_text('{"meta": {"count": 3}, "results": [' + work(1) + "," + deep + "," + work(3) + "]}")
    _, records, rejects = read(path)
    assert titles(records) == ["Work 1", "Work 3"]
    assert [r.location for r in rejects] == ["item 2"]
    assert "nested too deeply" in rejects[0].reason and rejects[0].reason.startswith("deep.json: ")


def test_deep_line_in_json_lines_is_quarantined_alone(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(work(1) + "\n" + '{"id": "https://openalex.org/W2", "x": ' + DEEP + "}\n" + work(3) + "\n")
    _, records, rejects = read(path)
    assert titles(records) == ["Work 1", "Work 3"]
    assert [r.location for r in rejects] == ["line 2"] and "nested too deeply" in rejects[0].reason


def test_deep_crossref_and_lens_patent_records(tmp_path):
    item = {"DOI": "10.1234/a", "title": ["Crossref work"], "container-title": ["J"], "type": "journal-article"}
    path = tmp_path / "cr.json"
    path.write_text(json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": [item]}})
                    .replace('"items": [', '"items": [{"DOI": "10.1234/deep", "x": ' + DEEP + "}, "))
    _, records, rejects = read(path, "crossref_json")
    assert [r.ids.doi for r in records] == ["10.1234/a"] and [r.location for r in rejects] == ["item 1"]
    lens = tmp_path / "p.jsonl"
    lens.write_text('{"lens_id": "000-000-000-000-001", "x": ' + DEEP + "}\n")
    _, records, rejects = read(lens, "lens_patent_jsonl")
    assert records == [] and len(rejects) == 1 and "nested too deeply" in rejects[0].reason


def test_an_over_long_json_line_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_jsonio, "MAX_LINE", 1000)
    path = tmp_path / "long.jsonl"
    path.write_text(work(1) + "\n" + json.dumps({"id": "https://openalex.org/W2", "abstract": "x" * 5000})
                    + "\n" + work(3) + "\n")
    _, records, rejects = read(path, "openalex_json")
    assert titles(records) == ["Work 1", "Work 3"]
    assert [(r.location, r.reason) for r in rejects] == [
        ("line 2", "long.jsonl: line 2 is longer than 1,000 characters: not parsed (raw holds its start)")
    ]


# ---------------------------------------------------------------- FIFOs, devices, folders


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.ris"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match=r"pipe\.ris: not a regular file: a FIFO \(named pipe\); not read"):
        open_export(fifo)  # opening it for reading would block: no writer


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_and_a_plain_folder_are_refused(tmp_path):
    with pytest.raises(NotRegularFileError, match="/dev/zero: not a regular file: a character device"):
        open_export("/dev/zero")
    with pytest.raises(NotRegularFileError, match="not a regular file: a directory"):
        open_export(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_cli_import_of_a_fifo_reports_it_and_imports_the_other_file(tmp_path):
    from bibmine.cli import app

    fifo = tmp_path / "pipe.ris"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["import", str(fifo), str(HOSTILE / "lone_cr.ris"),
                                      "--corpus", str(tmp_path / "c.sqlite")])
    assert result.exit_code == 4, result.output
    assert "not a regular file" in result.output


def test_utf16_json_lines_with_a_deep_line(tmp_path):
    path = tmp_path / "u16.jsonl"
    path.write_bytes(("\n".join([work(1), '{"id": "https://openalex.org/W2", "x": ' + DEEP + "}", work(3)]) + "\n")
                     .encode("utf-16"))
    encoding, records, rejects = read(path)
    assert encoding == "utf-16"
    assert titles(records) == ["Work 1", "Work 3"] and [r.location for r in rejects] == ["line 2"]


def test_generic_table_refuses_a_mapped_column_named_twice(tmp_path):
    from bibmine.sources.readers.generic_table import read_table

    mapping = tmp_path / "t.csv.mapping.toml"
    mapping.write_text('[table]\ndelimiter = ";"\n\n[columns]\ntitle = "Title"\ndoi = "DOI"\n', encoding="utf-8")
    ok = tmp_path / "ok.csv"
    ok.write_text("Title;DOI;Note;Note\nSoils;10.1234/t.1;a;b\n", encoding="utf-8")  # unmapped repeats are harmless
    assert [r.title for r in read_table(ok, mapping)] == ["Soils"]
    bad = tmp_path / "bad.csv"
    bad.write_text("Title;DOI;doi\nSoils;10.1234/t.1;10.1234/t.2\n", encoding="utf-8")
    with pytest.raises(DuplicateColumnError, match="'DOI' at columns 2 and 3"):
        list(read_table(bad, mapping))
