"""Source records stored compactly: the parsed record and its raw text in one zstd frame.

A file import stores each source record *packed* (schema version 7): ``source_records.data``
holds one zstd frame of the record's JSON, a NUL byte and the raw text as read, ``raw`` is
NULL and ``raw_codec`` is ``'packed'``.  The JSON repeats most of the raw text (titles,
abstracts, cited references), so one frame over both is about as small as the raw text
compressed alone: real WoS records with their cited references take 4.2 KB instead of 14.5 KB
(5 KB raw compressed, 12 KB JSON), which is less to write, to send from the reader process and
to read back.  JSON never holds a raw NUL (control characters are escaped), so the first NUL
ends it.  Packing happens in the reader process (:mod:`bibmine.corpus.pipeline`).

Older rows stay readable: ``raw_codec`` NULL is the text as read beside JSON text in ``data``
(records added one at a time, e.g. by crawls, and every record stored before version 6);
``'zstd'`` or ``'zlib'`` is the raw text compressed alone (version 6).  Without the
``zstandard`` package records are stored unpacked, the raw text zlib-compressed.

>>> data, codec = compress_raw("PT J\\nTI Soils of the Voronezh region\\nER")
>>> decode_raw(data, codec)
'PT J\\nTI Soils of the Voronezh region\\nER'
>>> decode_raw("as read", None), decode_raw(None, None)
('as read', None)
>>> blob = pack(b'{"title":"Soils"}', "TI Soils".encode())
>>> record_json(blob), decode_raw(None, PACKED, blob)
(b'{"title":"Soils"}', 'TI Soils')
>>> record_json('{"title":"Soils"}'), record_text(blob)
('{"title":"Soils"}', '{"title":"Soils"}')
"""

from __future__ import annotations

import zlib

from bibmine.record import Record, from_json

try:
    import zstandard
except ImportError:  # pragma: no cover - zstandard is a dependency; zlib keeps bibmine working without it
    zstandard = None

LEVEL = 3  # zstd for raw text alone: fast, about the ratio of zlib -6 at a few times its speed
# One frame over JSON and raw text: level 1 is 25% faster than 3 on real WoS records and 3% larger.
PACK_LEVEL = 1
PACKED = "packed"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # every zstd frame starts so; JSON text starts with "{"
_compressor = zstandard.ZstdCompressor(level=LEVEL) if zstandard else None
_packer = zstandard.ZstdCompressor(level=PACK_LEVEL) if zstandard else None
_decompressor = zstandard.ZstdDecompressor() if zstandard else None


def can_pack() -> bool:
    """True where records can be stored packed (the ``zstandard`` package is installed)."""
    return _packer is not None


def pack(record_json: bytes, raw: bytes) -> bytes:
    """One zstd frame of a record's JSON, NUL and its raw text (UTF-8 bytes)."""
    return _packer.compress(record_json + b"\0" + raw)


def record_json(value: str | bytes) -> str | bytes:
    """The record JSON of a ``source_records.data`` (or ``work_data.data``) value, packed or not."""
    if isinstance(value, bytes) and value[:4] == ZSTD_MAGIC:
        return _unpack(value)[0]
    return value


def record_text(value: str | bytes) -> str:
    """:func:`record_json` as text, for what is shown or handed on (``Corpus.sources_of``, the merge report)."""
    json_part = record_json(value)
    return json_part.decode() if isinstance(json_part, bytes) else json_part


def load_record(value: str | bytes) -> Record:
    """The Record of a ``source_records.data`` (or ``work_data.data``) value, packed or not."""
    return from_json(record_json(value))


def compress_raw(text: str) -> tuple[bytes, str]:
    """(compressed UTF-8 bytes, codec name) of a raw record."""
    return compress_bytes(text.encode("utf-8", "surrogatepass"))


def compress_bytes(data: bytes) -> tuple[bytes, str]:
    """(compressed bytes, codec name) of a raw record already encoded as UTF-8."""
    if _compressor is not None:
        return _compressor.compress(data), "zstd"
    return zlib.compress(data, 6), "zlib"


def decode_raw(value: str | bytes | None, codec: str | None, data: str | bytes | None = None) -> str | None:
    """The raw text of a stored source record, whatever the codec it was stored with (``data``: the
    row's ``data`` value, which holds the raw text of a packed record)."""
    if codec == PACKED:
        if not isinstance(data, bytes):
            raise ValueError("a packed source record without its packed data")
        return _unpack(data)[1].decode("utf-8", "surrogatepass")
    if value is None or codec is None:
        return value if not isinstance(value, bytes) else value.decode("utf-8", "surrogatepass")
    if codec == "zstd":
        raw = _zstd().decompress(value)
    elif codec == "zlib":
        raw = zlib.decompress(value)
    else:
        raise ValueError(f"unknown raw_codec {codec!r} in source_records")
    return raw.decode("utf-8", "surrogatepass")


def _unpack(blob: bytes) -> tuple[bytes, bytes]:
    json_part, _, raw = _zstd().decompress(blob).partition(b"\0")
    return json_part, raw


def _zstd():
    if _decompressor is None:
        raise RuntimeError("this corpus stores records compressed with zstd: pip install zstandard")
    return _decompressor
