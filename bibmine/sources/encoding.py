"""Text encoding detection for export files.

Vendor exports come as UTF-8 (with or without BOM), UTF-16 (WoS "Tab-delimited
(Win)") and, from Russian systems, cp1251.  We decide from the bytes, never from
the extension, and report what we decided so the import batch records it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

SAMPLE_BYTES = 4 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class EncodingError(ValueError):
    """The file's bytes fit no text encoding we accept."""


def detect_encoding(path: Path, sample: bytes | None = None) -> str:
    """Python codec name for the file: utf-8-sig, utf-16, utf-8 or a legacy code page.

    UTF-8 is accepted only when the whole sample decodes strictly; otherwise the
    sample goes to charset-normalizer, and Cyrillic single-byte text is read as
    cp1251 (what Russian Windows software writes) rather than as KOI8 or cp1252.
    """
    if sample is None:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a multibyte char cut at the end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1251")
        cyrillic = sum(1 for b in sample if 0xC0 <= b <= 0xFF)
        if cyrillic > len(sample) * 0.02:
            return "cp1251"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None:
        raise EncodingError(f"{path}: bytes are not text in any known encoding")
    return best.encoding


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes (never in 8-bit text) sit at odd/even offsets."""
    head = sample[:4000]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < 4:
        return None
    if odd >= 0.9 * (odd + even):
        return "utf-16-le"
    if even >= 0.9 * (odd + even):
        return "utf-16-be"
    return None


def read_head(path: Path, encoding: str, chars: int = 65536) -> str:
    """First ``chars`` characters of the file, decoded, for format sniffing."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        return fh.read(chars)
