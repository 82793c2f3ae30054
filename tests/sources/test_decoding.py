"""Decoding in the detected encoding: bad bytes are located, never a reason to switch code page.

Byte strings here are INVENTED.
"""

from __future__ import annotations

import codecs

import pytest

from bibmine.sources.encoding import DecodedText, detect_encoding, read_head, utf8_validity


def decoded(tmp_path, data: bytes, encoding: str, chunk: int = 1 << 20):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    with DecodedText(path, encoding, chunk=chunk) as fh:
        return list(fh), list(fh.issues)


@pytest.mark.parametrize(("data", "expected"), [
    ("Café García Akdağ\n".encode() + b"\xff\n", "utf-8"),  # one stray byte: still UTF-8
    (b"plain ascii\n\xff\n", "utf-8"),
    (("Воронеж " * 20 + "\n").encode() + b"\xc3\n", "utf-8"),  # a lone lead byte among valid Cyrillic
    (("Воронежский университет, Воронеж\n" * 5).encode("cp1251"), "cp1251"),
    (("Воронежский университет\n" * 5).encode("cp1251") + b"\x98\n", "cp1251"),  # 0x98: undefined in cp1251
])
def test_detect_encoding_keeps_the_encoding_of_the_bulk(tmp_path, data, expected):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert detect_encoding(path) == expected


def test_a_legacy_latin_file_is_not_forced_into_utf8(tmp_path):
    data = ("Café crème, García, Müller, Noël, Ærø, Señora, façade.\n" * 30).encode("cp1252")
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    encoding = detect_encoding(path)
    assert encoding != "utf-8"
    assert data.decode(encoding).startswith("Café crème, García")


def test_utf8_validity_counts():
    assert utf8_validity("Café".encode() + b"\xff\xfe") == (2, 1)
    assert utf8_validity("я".encode()[:1]) == (0, 0)  # a cut at the sample end is not an error


def test_lines_split_at_crlf_lf_and_lone_cr(tmp_path):
    lines, issues = decoded(tmp_path, b"a\r\nb\rc\nd", "utf-8")
    assert lines == ["a\r\n", "b\n", "c\n", "d"]
    assert issues == []


def test_other_unicode_breaks_do_not_split_lines(tmp_path):
    lines, _ = decoded(tmp_path, "a\x0bb\u2028c\x85d\n".encode(), "utf-8")
    assert lines == ["a\x0bb\u2028c\x85d\n"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_bad_bytes_are_noted_with_line_and_byte_offset(tmp_path, chunk):
    data = "Café\r\nGarcía ".encode() + b"\xff" + "\nAkdağ\rВоронеж\n".encode()
    lines, issues = decoded(tmp_path, data, "utf-8", chunk)
    assert lines == ["Café\r\n", "García \ufffd\n", "Akdağ\n", "Воронеж\n"]
    assert [(i.line, i.offset, i.bad) for i in issues] == [(2, 15, b"\xff")]
    assert issues[0].describe() == "line 2, byte offset 15: b'\\xff' is not valid utf-8"


@pytest.mark.parametrize("chunk", [1, 4, 1 << 20])
def test_a_cut_utf8_sequence_and_the_bom(tmp_path, chunk):
    data = codecs.BOM_UTF8 + "é\n".encode() + b"\xc3" + b"x\n" + b"\xe2\x82"  # lone lead byte; file ends mid-char
    lines, issues = decoded(tmp_path, data, "utf-8-sig", chunk)
    assert lines == ["é\n", "\ufffdx\n", "\ufffd"]
    assert [(i.line, i.offset, i.bad) for i in issues] == [(2, 6, b"\xc3"), (3, 9, b"\xe2\x82")]


def test_utf16_and_cp1251(tmp_path):
    text = "Воронеж\r\nТамбов\n"
    assert decoded(tmp_path, text.encode("utf-16"), "utf-16")[0] == ["Воронеж\r\n", "Тамбов\n"]
    lines, issues = decoded(tmp_path, text.encode("cp1251") + b"\x98\n", "cp1251")
    assert lines == ["Воронеж\r\n", "Тамбов\n", "\ufffd\n"]
    assert [(i.line, i.offset) for i in issues] == [(3, 16)]


def test_take_issues_up_to_a_line(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"a\xff\nb\nc\xff\n")
    with DecodedText(path, "utf-8") as fh:
        assert len(list(fh)) == 3
        assert [i.line for i in fh.take_issues(2)] == [1]
        assert fh.take_issues(2) == []
        assert [i.line for i in fh.take_issues(3)] == [3]


def test_read_and_readline(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"ab\r\ncd\ref\ngh")
    with DecodedText(path, "utf-8", chunk=2) as fh:
        assert (fh.readline(), fh.read(3), fh.read(), fh.read()) == ("ab\r\n", "cd\n", "ef\ngh", "")
    with DecodedText(path, "utf-8", chunk=2) as fh:
        assert (fh.readline(1), fh.readline()) == ("a", "b\r\n")


def test_read_head_shows_lone_cr_lines_as_lines(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"FN x\rVR 1.0\r\nPT J\r")
    assert read_head(path, "utf-8") == "FN x\nVR 1.0\r\nPT J\n"
