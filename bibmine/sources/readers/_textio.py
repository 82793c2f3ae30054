"""Opening export files as text, and quarantining records that hold undecodable bytes.

Every text reader opens its file with :func:`open_text` (a
:class:`~bibmine.sources.encoding.DecodedText`): the detected encoding is kept for the
whole file, lines split at CRLF, LF and lone CR, and bytes that are not valid in the
encoding are noted with their line and byte offset.  When a reader finishes a record it
asks :func:`bad_bytes` for the notes up to the record's last line: a record with
undecodable bytes becomes a :class:`Reject` naming them (its raw text shows U+FFFD where
they were), and every other record keeps its exact text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bibmine.record import Reject
from bibmine.sources.encoding import DecodedText, DecodeIssue


class TextFile(DecodedText):
    """:class:`DecodedText` that can also hand over its text in the decoder's own pieces."""

    def chunks(self) -> Iterator[str]:
        """The decoded text in non-empty pieces of about 1 MiB (a line may be cut between two), for readers that
        cut records themselves (WoS plain text).  ``read(size)`` joins pieces up to ``size`` and copies
        what is left on every call: several copies of each character where this makes none.
        Use it instead of iteration, :meth:`read` or :meth:`readline`, not after them."""
        while self._fill_raw():  # the text goes onto an empty tail: taken as is, not copied
            text, self._tail = self._tail, ""
            if text:  # a piece of bytes can end inside the first character: nothing decoded yet
                yield text

    @property
    def line_breaks(self) -> int:
        """Line breaks ("\\n", lone CRs made LF) in the text decoded so far: the decoder counts them
        anyway, so a reader need not count its records' line breaks to number lines."""
        return self._newlines


class LineNumbers:
    """Line numbers of positions in a reader's current buffer, counted only when asked.

    Only rejects and undecodable bytes need a line number; counting the line breaks of
    every record cost 1-2 us a record.  The line at the end of a buffer that ends where
    the decoded text ends is known from :attr:`TextFile.line_breaks`, so a number is
    counted from the nearest known point, forwards or backwards.
    """

    __slots__ = ("buf", "at", "line")

    def __init__(self) -> None:
        self.buf, self.at, self.line = "", 0, 1

    def reset(self, buf: str, end_line: int) -> None:
        """A new buffer whose end is on line ``end_line``."""
        self.buf, self.at, self.line = buf, len(buf), end_line

    def __call__(self, pos: int) -> int:
        """The line number at ``buf[pos]``."""
        if pos >= self.at:
            self.line += self.buf.count("\n", self.at, pos)
        else:
            self.line -= self.buf.count("\n", pos, self.at)
        self.at = pos
        return self.line


def open_text(path: str | Path, encoding: str, chunk: int = 1 << 20) -> TextFile:
    """Open an export for streaming (see the module docstring); ``chunk``: bytes decoded at a time."""
    return TextFile(path, encoding, chunk)


def describe_issues(path: Path, issues: list[DecodeIssue]) -> str:
    """One message for the undecodable bytes of a record.

    >>> describe_issues(Path("a.ris"), [DecodeIssue(3, 41, b"\\xff", 40, "utf-8")])
    "a.ris: bytes not valid in the file's encoding: line 3, byte offset 41: b'\\\\xff' is not valid utf-8 \
(shown as U+FFFD in raw; the record is quarantined, the file's other records are read)"
    """
    shown = "; ".join(i.describe() for i in issues[:3])
    if len(issues) > 3:
        shown += f"; and {len(issues) - 3} more"
    return (
        f"{path.name}: bytes not valid in the file's encoding: {shown} "
        "(shown as U+FFFD in raw; the record is quarantined, the file's other records are read)"
    )


def bad_bytes(fh: DecodedText, last_line: int, location: str, raw: str | None) -> Reject | None:
    """A Reject for the record that ends at ``last_line`` when it holds undecodable bytes, else None."""
    issues = fh.take_issues(last_line)
    if not issues:
        return None
    return Reject(location=location, reason=describe_issues(fh.path, issues), raw=raw)


def with_bad_bytes(reject: Reject, fh: DecodedText, last_line: int) -> Reject:
    """``reject`` with the undecodable bytes up to ``last_line`` (if any) added to its reason."""
    issues = fh.take_issues(last_line)
    if issues:
        reject.reason += "; also " + describe_issues(fh.path, issues)
    return reject


def leftover_bad_bytes(fh: DecodedText, last_line: int = 1 << 62) -> Iterator[Reject]:
    """A Reject for undecodable bytes up to ``last_line`` that lie outside every record
    (a preamble, a footer, text between records)."""
    issues = fh.take_issues(last_line)
    if issues:
        where = f"line {issues[0].line}"
        yield Reject(location=where, reason=describe_issues(fh.path, issues) + " (outside any record)")
