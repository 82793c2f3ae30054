"""Source records' raw text, stored compactly.

A file import stores each record's raw text compressed (zstd where the ``zstandard``
package is installed, else zlib) in ``source_records.raw`` with the codec in
``raw_codec``; NULL codec means the text as read.  Compression happens in the reader
process (:mod:`bibmine.corpus.pipeline`), so the writer only stores bytes.  Real WoS
records with their cited references shrink about 3x.

>>> data, codec = compress_raw("PT J\\nTI Soils of the Voronezh region\\nER")
>>> decode_raw(data, codec)
'PT J\\nTI Soils of the Voronezh region\\nER'
>>> decode_raw("as read", None), decode_raw(None, None)
('as read', None)
"""

from __future__ import annotations

import zlib

try:
    import zstandard
except ImportError:  # pragma: no cover - zstandard is a dependency; zlib keeps bibmine working without it
    zstandard = None

LEVEL = 3  # zstd: fast, about the ratio of zlib -6 at a few times its speed
_compressor = zstandard.ZstdCompressor(level=LEVEL) if zstandard else None
_decompressor = zstandard.ZstdDecompressor() if zstandard else None


def compress_raw(text: str) -> tuple[bytes, str]:
    """(compressed UTF-8 bytes, codec name) of a raw record."""
    return compress_bytes(text.encode("utf-8", "surrogatepass"))


def compress_bytes(data: bytes) -> tuple[bytes, str]:
    """(compressed bytes, codec name) of a raw record already encoded as UTF-8."""
    if _compressor is not None:
        return _compressor.compress(data), "zstd"
    return zlib.compress(data, 6), "zlib"


def decode_raw(value: str | bytes | None, codec: str | None) -> str | None:
    """The raw text of a stored source record, whatever the codec it was stored with."""
    if value is None or codec is None:
        return value if not isinstance(value, bytes) else value.decode("utf-8", "surrogatepass")
    if codec == "zstd":
        if _decompressor is None:
            raise RuntimeError("this corpus stores raw records compressed with zstd: pip install zstandard")
        data = _decompressor.decompress(value)
    elif codec == "zlib":
        data = zlib.decompress(value)
    else:
        raise ValueError(f"unknown raw_codec {codec!r} in source_records")
    return data.decode("utf-8", "surrogatepass")
