"""Text encoding of export files: detect it, then decode without ever garbling good text.

Vendor exports come as UTF-8 (with or without BOM), UTF-16 (WoS "Tab-delimited
(Win)") and, from Russian systems, cp1251.  We decide from the bytes, never from
the extension, and report what we decided so the import batch records it.

Decoding (:class:`DecodedText`) keeps the detected encoding for the whole file.  Bytes
that are not valid in it become U+FFFD *and* a :class:`DecodeIssue` naming the line and
the byte offset, so a reader can quarantine exactly the record that holds them; one
stray byte never turns "Café" into "CafГ©" by switching the file to a legacy code page.
"""

from __future__ import annotations

import codecs
import os
import re
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

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

    UTF-8 is chosen when the sample's invalid UTF-8 sequences are rare next to its valid
    multi-byte characters (at most 2, or at most one per ten valid ones): a UTF-8 file
    with a stray byte stays UTF-8 and only the record holding that byte is affected.
    Otherwise Cyrillic single-byte text (words of bytes 0xC0-0xFF) is read as cp1251 (what
    Russian Windows software writes) rather than as KOI8 or cp1252, and anything else goes
    to charset-normalizer.

    >>> detect_encoding(Path("x"), "Café García\\n\\xff\\n".encode("utf-8", "surrogateescape"))
    'utf-8'
    >>> detect_encoding(Path("x"), "Воронежский университет, Воронеж".encode("cp1251"))
    'cp1251'
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
    invalid, valid = utf8_validity(sample)
    if invalid <= max(2, valid // 10):
        return "utf-8"
    # cp1251 leaves one byte (0x98) undefined: a stray one is noted when decoding, as in UTF-8
    # Cyrillic words are runs of letters 0xC0-0xFF; Western accents (cp1252 "Café") stand alone
    high = sum(1 for b in sample if 0xC0 <= b <= 0xFF)
    in_runs = sum(len(run) for run in _HIGH_RUN.findall(sample))
    if (high > len(sample) * 0.02 and in_runs > high * 0.6
            and _undefined_in(sample, "cp1251") <= max(2, high // 1000)):
        return "cp1251"
    best = from_bytes(sample).best()
    if best is None:
        raise EncodingError(f"{path}: bytes are not text in any known encoding")
    return best.encoding


_COUNT = threading.local()
_HIGH_RUN = re.compile(rb"[\xc0-\xff]{2,}")


def _count_error(exc: UnicodeError) -> tuple[str, int]:
    _COUNT.n += 1
    return "", exc.end  # type: ignore[attr-defined]


codecs.register_error("bibmine-count", _count_error)


def utf8_validity(sample: bytes) -> tuple[int, int]:
    """(invalid UTF-8 sequences, valid non-ASCII characters) in ``sample``.

    A multi-byte character cut by the end of the sample is not counted as invalid.

    >>> utf8_validity("Akdağ Воронеж".encode() + b"\\xff")
    (1, 8)
    """
    _COUNT.n = 0
    text = codecs.getincrementaldecoder("utf-8")("bibmine-count").decode(sample, final=False)
    invalid = _COUNT.n
    valid = len(text) - len(text.encode("ascii", "ignore")) if not text.isascii() else 0
    return invalid, valid


def _undefined_in(sample: bytes, codec: str) -> int:
    """How many bytes of ``sample`` the single-byte ``codec`` cannot decode."""
    _COUNT.n = 0
    sample.decode(codec, "bibmine-count")
    return _COUNT.n


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
    """First ``chars`` characters of the file, decoded, for format sniffing.

    Line endings as :class:`DecodedText` gives them: CRLF kept, a lone CR made LF.
    """
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        head = fh.read(chars)
    return _LONE_CR.sub("\n", head) if "\r" in head else head


# ---------------------------------------------------------------- decoding with a record of bad bytes


@dataclass(frozen=True)
class DecodeIssue:
    """Bytes of a file that are not valid in its encoding (decoded as one U+FFFD)."""

    line: int  # 1-based line holding the bytes
    offset: int  # byte offset of the first bad byte in the file
    bad: bytes
    char: int  # offset of the U+FFFD in the decoded text (characters)
    encoding: str

    def describe(self) -> str:
        """'line 3, byte offset 41: b'\\xff' is not valid utf-8'."""
        return f"line {self.line}, byte offset {self.offset}: {self.bad!r} is not valid {self.encoding}"


_LONE_CR = re.compile(r"\r(?!\n)")
_LINES = re.compile(r"[^\n]*\n")
_CHUNK = 1 << 20


def _codec_and_bom(encoding: str, head: bytes) -> tuple[str, int]:
    """Stateless codec for ``encoding`` and the length of the BOM to skip."""
    name = codecs.lookup(encoding).name
    if name in ("utf-8-sig", "utf-8"):
        return "utf-8", 3 if head.startswith(codecs.BOM_UTF8) else 0
    if name == "utf-16":
        if head.startswith(codecs.BOM_UTF16_BE):
            return "utf-16-be", 2
        return "utf-16-le", 2 if head.startswith(codecs.BOM_UTF16_LE) else 0
    if name == "utf-32":
        if head.startswith(codecs.BOM_UTF32_BE):
            return "utf-32-be", 4
        return "utf-32-le", 4 if head.startswith(codecs.BOM_UTF32_LE) else 0
    return name, 0


# the binary files readers have open in this process, by absolute path (a DecodedText's, or one a reader
# reads itself), so that an import can show how far into its file a reader is without every reader
# handing its position over
_OPEN: weakref.WeakValueDictionary[str, BinaryIO] = weakref.WeakValueDictionary()


def follow_position(path: str | Path, fh: BinaryIO) -> None:
    """Let :func:`bytes_decoded` tell how far the reader of ``path`` has got in ``fh``, its binary file."""
    _OPEN[os.path.abspath(path)] = fh


def bytes_decoded(path: str | Path) -> int | None:
    """How many bytes of ``path`` the reader reading it in this process has taken in (its file given to
    :func:`follow_position`; a :class:`DecodedText` gives its own), or None when none is open."""
    opened = _OPEN.get(os.path.abspath(path))
    return None if opened is None or opened.closed else opened.tell()


class DecodedText:
    """A text file opened for reading, decoded strictly in ``encoding`` chunk by chunk.

    Iteration and :meth:`readline` give lines split at CRLF, LF and a lone CR (old Mac
    files); CRLF is kept as is, a lone CR becomes LF, so readers that look for "\\n"
    work on every line-ending style.  A BOM at the start is dropped.

    Bytes invalid in the encoding become U+FFFD and are listed in :attr:`issues`
    (line, byte offset); readers call :meth:`take_issues` when they finish a record to
    quarantine it.  The encoding is never changed midway.
    """

    def __init__(self, path: str | Path, encoding: str, chunk: int = _CHUNK) -> None:
        self.path = Path(path)
        self._fh = open(self.path, "rb")  # noqa: SIM115  (closed by close() / the with block)
        head = self._fh.read(4)
        self.codec, bom = _codec_and_bom(encoding, head)
        self._fh.seek(bom)
        self._decoder = codecs.getincrementaldecoder(self.codec)("strict")
        self._chunk = chunk
        self._bytes = bom  # file offset of the next byte to decode
        self._chars = 0  # characters decoded so far
        self._newlines = 0  # line breaks decoded so far
        self._carry = ""  # a CR at a chunk end: maybe half of a CRLF
        self._lines: list[str] = []  # whole lines not yet consumed
        self._i = 0
        self._tail = ""  # the decoded text after the last line break
        self._eof = False
        self.issues: list[DecodeIssue] = []  # not yet taken by a reader
        self.issue_count = 0
        follow_position(self.path, self._fh)  # its offset is always _bytes: chunks are read whole

    # ------------------------------------------------------------ context manager

    def __enter__(self) -> DecodedText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._fh.close()

    # ------------------------------------------------------------ lines

    def __iter__(self) -> Iterator[str]:
        # whole chunks of lines are handed over at once and chained in C (no per-line Python
        # call); so once iteration has begun, readline() and read() go on after the current chunk
        return chain.from_iterable(self._line_lists())

    def _line_lists(self) -> Iterator[list[str]]:
        while True:
            lines, i = self._lines, self._i
            self._lines, self._i = [], 0
            yield lines[i:] if i else lines
            if not self._fill():
                if self._tail:
                    tail, self._tail = self._tail, ""
                    yield [tail]
                return

    def readline(self, limit: int = -1) -> str:
        while self._i >= len(self._lines):
            if not self._fill():
                return self._take_tail(limit if limit >= 0 else len(self._tail))
            if 0 <= limit <= len(self._tail) and self._i >= len(self._lines):
                return self._take_tail(limit)
        line = self._lines[self._i]
        if 0 <= limit < len(line):
            self._lines[self._i] = line[limit:]
            return line[:limit]
        self._i += 1
        return line

    def _take_tail(self, limit: int) -> str:
        out, self._tail = self._tail[:limit], self._tail[limit:]
        return out

    def read(self, size: int = -1) -> str:
        """Up to ``size`` characters (all when negative); '' at the end of the file."""
        if self._i < len(self._lines):
            self._tail = "".join(self._lines[self._i :]) + self._tail
            self._lines, self._i = [], 0
        while (size < 0 or len(self._tail) < size) and self._fill_raw():
            pass
        if size < 0 or size >= len(self._tail):
            out, self._tail = self._tail, ""
        else:
            out, self._tail = self._tail[:size], self._tail[size:]
        return out

    # ------------------------------------------------------------ issues

    def take_issues(self, last_line: int) -> list[DecodeIssue]:
        """Issues on lines up to ``last_line``, removed from :attr:`issues`."""
        if not self.issues or self.issues[0].line > last_line:
            return []
        n = next((k for k, i in enumerate(self.issues) if i.line > last_line), len(self.issues))
        taken, self.issues = self.issues[:n], self.issues[n:]
        return taken

    def take_issues_in_chars(self, end: int) -> list[DecodeIssue]:
        """Issues whose U+FFFD lies before character offset ``end``, removed from :attr:`issues`."""
        n = next((k for k, i in enumerate(self.issues) if i.char >= end), len(self.issues))
        taken, self.issues = self.issues[:n], self.issues[n:]
        return taken

    # ------------------------------------------------------------ decoding

    def _fill(self) -> bool:
        """Decode the next chunk into whole lines; False at the end of the file."""
        if self._eof:
            return False
        text = self._decode_next()
        if text is None:
            return False
        text = self._tail + text
        # str.splitlines (fast) also breaks at \v, \f, \x1c-\x1e, \x85, \u2028, \u2029, which are
        # text here; line ends are only LF and CRLF now, so more pieces than LFs means it did
        newlines = text.count("\n")
        self._newlines += newlines  # the old tail holds none
        lines = text.splitlines(True)
        if len(lines) != newlines + (not text.endswith("\n")):
            lines = _LINES.findall(text)
            lines.append(text[text.rfind("\n") + 1 :])
        self._lines = lines
        if self._lines and not self._lines[-1].endswith("\n"):
            self._lines.pop()  # the tail, kept below
        self._i = 0
        cut = text.rfind("\n") + 1
        self._tail = text[cut:]
        return True

    def _fill_raw(self) -> bool:
        """Decode the next chunk onto the tail, not split into lines (for :meth:`read`)."""
        if self._eof:
            return False
        text = self._decode_next()
        if text is None:
            return False
        self._newlines += text.count("\n")
        self._tail += text
        return True

    def _decode_next(self) -> str | None:
        data = self._fh.read(self._chunk)
        final = not data
        found: list[tuple[int, int, bytes]] = []
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError:
            text = self._decode_tracking(data, final, found)
        self._bytes += len(data)
        text, shift = self._carry + text, len(self._carry)
        self._carry = ""
        if not final and text.endswith("\r"):
            self._carry, text = "\r", text[:-1]
        if "\r" in text:
            text = _LONE_CR.sub("\n", text)
        for char, offset, bad in found:
            at = char + shift
            line = self._newlines + text.count("\n", 0, at) + 1
            self.issues.append(DecodeIssue(line, offset, bad, self._chars + at, self.codec))
            self.issue_count += 1
        self._chars += len(text)  # self._newlines is advanced by the caller
        if final:
            self._eof = True
            if not text:
                return None
        return text

    def _decode_tracking(self, data: bytes, final: bool, found: list[tuple[int, int, bytes]]) -> str:
        """Decode ``data`` with U+FFFD for each invalid sequence, noting (char, byte offset, bytes)."""
        out: list[str] = []
        length = 0
        buf, base = data, self._bytes  # base: file offset of buf[0]
        while True:
            pending = self._decoder.getstate()[0]
            try:
                piece = self._decoder.decode(buf, final)
            except UnicodeDecodeError as e:
                obj = e.object
                origin = base - len(pending)  # e.object is the decoder's pending bytes + buf
                good = obj[: e.start].decode(self.codec, "replace")
                out.append(good)
                length += len(good)
                found.append((length, origin + e.start, bytes(obj[e.start : e.end])))
                out.append("\ufffd")
                length += 1
                self._decoder.reset()
                buf, base = obj[e.end :], origin + e.end
                continue
            out.append(piece)
            return "".join(out)
