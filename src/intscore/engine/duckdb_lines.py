"""Whether DuckDB reads a CSV file's rows exactly as Python's csv module does, in one read of
the file: no NUL, no lone carriage return, every quoted field whole on its line and well formed
— then a row's line is its position. Anything else is `Unsupported`, and the Python pass reads
the file."""

from __future__ import annotations

import re
from threading import Event

from ..read.readers import MAX_FIELD

__all__ = ["ASCII_SPACE", "Unsupported", "count_lines"]

_CHUNK = 1 << 22
# Whitespace as Python's str.isspace() sees it in ASCII: a cell of only these is blank to
# both engines. (Other Unicode spaces make DuckDB see text; the Python pass then decides.)
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


class Unsupported(Exception):
    """The DuckDB pass cannot reproduce this input exactly; the message says why."""


def count_lines(path: str, delimiter: str, stop: Event | None = None) -> int:
    """The lines of a file (but empty ones at its end) in which CSV rows are lines (else
    Unsupported): no NUL, no lone carriage return, and every quoted field whole on its line and
    well formed (quoted from its first character to its last, quotes inside doubled), which
    Python's csv module and DuckDB read alike. A row's line is then its position.

    One read: each chunk's whole lines are checked only where they hold a quote or a carriage
    return; the unfinished last line is carried into the next chunk."""
    well_formed = _well_formed(delimiter)
    newlines = 0
    carry = b""  # the unfinished line at the end of the chunks so far
    tail = b""  # the last bytes of the file (empty lines at its end)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            if stop is not None and stop.is_set():  # the run ended (an interrupt, an error)
                raise Unsupported("the line check was stopped")
            if b"\0" in chunk:
                raise Unsupported("the file has NUL bytes")
            newlines += chunk.count(b"\n")
            tail = (tail + chunk[-4096:])[-4096:]
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                carry += chunk
                if len(carry) > MAX_FIELD:
                    raise Unsupported("a line is longer than the Python reader allows")
                continue
            if b'"' in chunk or b"\r" in chunk or b'"' in carry or b"\r" in carry:
                _check_piece(carry + chunk[:cut], well_formed)
            carry = chunk[cut:]
    _check_piece(carry, well_formed)
    lines = newlines + (0 if tail[-1:] in (b"\n", b"") else 1)
    # Empty lines at the very end (some exporters add one): both readers skip them, and they
    # move no row's line.
    ending = tail[len(tail.rstrip(b"\r\n")) :]
    return lines - max(ending.count(b"\n") - 1, 0)


def _check_piece(piece: bytes, well_formed: re.Pattern[bytes]) -> None:
    if piece.count(b"\r") != piece.count(b"\r\n"):
        raise Unsupported("the file has a carriage return that ends no line")
    if b'"' in piece and not well_formed.fullmatch(piece):
        raise Unsupported("a quoted field spans lines or is not closed where it should be")


def _well_formed(delimiter: str) -> re.Pattern[bytes]:
    """Lines of fields that are plain (no quote) or quoted whole, quotes inside doubled.
    Possessive loops: one way to match, so time is linear in the text."""
    d = re.escape(delimiter.encode())
    field = rb'(?:"(?:[^"\r\n]|"")*+"|[^"' + d + rb"\r\n]*+)"
    line = field + rb"(?:" + d + field + rb")*+"
    return re.compile(rb"(?:" + line + rb"\r?\n)*+(?:" + line + rb")?")
