"""The lines of a CSV text stream, each checked as it is read, in constant memory: no row
longer than a limit (a 100 MiB line without a line break is refused after reading the limit,
never built whole), no NUL character, no lone surrogate (half of a UTF-16 pair, which some
decoders such as utf-7 and unicode_escape let through and no output can encode).

The limits live here so that scoring.yaml's `read:` section and the readers share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from ..problems import UNREADABLE_FILE, Finding, IntscoreError
from ..text import safe_text

__all__ = [
    "FIELDS_RANGE",
    "LINE_LENGTH_RANGE",
    "MAX_FIELDS",
    "MAX_LINE_LENGTH",
    "CheckedLines",
    "odd_character",
    "yields_surrogates",
]

MAX_LINE_LENGTH = 1 << 20  # characters in one CSV row, its quoted line breaks included
MAX_FIELDS = 16_384  # fields in one row (Excel's most columns); distinct fields in YAML/JSON
# What scoring.yaml's `read:` may set them to
LINE_LENGTH_RANGE = (1024, 1 << 30)
FIELDS_RANGE = (16, 1_000_000)

_ODD = re.compile("[\0\ud800-\udfff]")
# Decoders that never produce a lone surrogate (they refuse one): lines read with them skip
# that search.
_WHOLE_CODECS = {
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "utf-32-be",
    "ascii",
    "iso8859-1",
}


def yields_surrogates(codec_name: str) -> bool:
    """Whether text decoded by this codec (its `codecs.lookup` name) may hold a lone
    surrogate."""
    return codec_name not in _WHOLE_CODECS


def odd_character(text: str) -> tuple[int, str] | None:
    """Where and why `text` cannot be used as it is: the position of its first NUL character
    or lone surrogate, and a message (None: it can)."""
    found = _ODD.search(text)
    if found is None:
        return None
    if found.group() == "\0":
        return found.start(), "a NUL character (\\x00) is not text"
    shown = safe_text(found.group())
    return found.start(), f"'{shown}' is half of a UTF-16 surrogate pair, not a character"


class CheckedLines:
    """An iterator over the lines of `text` for `csv.reader`, refusing (IntscoreError naming
    `source` and the line) a row longer than `limit` characters, a NUL and a lone surrogate.

    The reader resets `pending`, `row_start` and `quotes` after each row, so that a row over
    several lines (quoted line breaks) counts as one; `number` is the number of lines read
    so far."""

    def __init__(self, text: TextIO, source: str, limit: int, surrogates: bool) -> None:
        self.text = text
        self.source = source
        self.limit = limit
        self.surrogates = surrogates
        self.number = 0
        self.row_start = 1  # the first line of the row being read
        self.pending = 0  # characters of the row being read, so far
        # Quote marks of a row over several lines, so far (None: one line so far): an odd
        # count at the end of the file is a quote never closed, which took the rest of it.
        self.quotes: int | None = None
        self.ended = False  # the file has no more lines
        self._lines = self._read()

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def _read(self) -> Iterator[str]:
        readline = self.text.readline
        size = self.limit + 1  # one character more than allowed: a longer line is refused
        surrogates = self.surrogates
        previous = ""
        while line := readline(size):
            self.number += 1
            if self.number > self.row_start:  # the row goes on: count its quote marks
                if self.quotes is None:
                    self.quotes = previous.count('"')
                self.quotes += line.count('"')
            previous = line
            self.pending += len(line)
            if self.pending > self.limit:
                self._too_long()
            if "\0" in line or (surrogates and not line.isascii() and _ODD.search(line)):
                _, message = odd_character(line) or (0, "")
                raise self._error(message, self.number)
            yield line
        self.ended = True

    def _too_long(self) -> None:
        first = self.row_start
        where = "a line" if first == self.number else f"a row (lines {first}–{self.number})"
        raise self._error(
            f"{where} is longer than {self.limit:,} characters, the most a row may hold "
            "(scoring.yaml `read: max_line_length` raises it)",
            first,
        )

    def _error(self, message: str, line: int) -> IntscoreError:
        return IntscoreError(Finding(self.source, line, UNREADABLE_FILE, message))
