"""Encoding detection from bytes (INVENTED Russian text)."""

from __future__ import annotations

import codecs

import pytest

from bibmine.sources.encoding import detect_encoding

RU = "TY  - JOUR\nTI  - Экологическое состояние малых рек Тамбовской области\nAU  - Зайцева, Ольга\nER  - \n"


@pytest.mark.parametrize(("data", "expected"), [
    (RU.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + RU.encode("utf-8"), "utf-8-sig"),
    (RU.encode("utf-16"), "utf-16"),  # Python writes a BOM
    (RU.encode("utf-16-le"), "utf-16-le"),  # no BOM
    (RU.encode("cp1251"), "cp1251"),
    (b"plain ascii\n", "utf-8"),
])
def test_detect_encoding(tmp_path, data, expected):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert detect_encoding(path) == expected
    assert "Тамбовской" in data.decode(expected) or data == b"plain ascii\n"


def test_utf8_cut_inside_a_multibyte_char_at_the_sample_edge(tmp_path):
    data = ("я" * 10).encode("utf-8")
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert detect_encoding(path, sample=data[:5]) == "utf-8"  # 2.5 chars: the cut is not an error
