"""Where a table starts: its header row, below any report title or "Exported on ..." rows.

The header is the first row, of the first `LOOK_AHEAD`, that holds a header of the
integration field (any of its spellings, matched as headers are); rows above it are skipped
and reported once (`skipped-rows`). When no row holds one (the config names a column the file
does not have, or no config is known yet, as for `init --from`), the header is the first row
that is as full as a header of this file is: the first with at least most of the cells the
fullest row of the first `LOOK_AHEAD` has. `read.header_row: N` names the line instead.

Rows are (line, cells) pairs as every reader yields them (cells: text, or typed values from a
workbook); the rows looked at are held back and handed on, so nothing is read twice.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..matching import normalize_header
from ..problems import SKIPPED_ROWS, UNREADABLE_FILE, Finding, IntscoreError
from .rows import lines_text

__all__ = ["LOOK_AHEAD", "Start", "cell_text", "find_header"]

LOOK_AHEAD = 30  # rows looked at for the header
LOOK_AHEAD_CHARS = 1 << 20  # and no more text than this (a hostile file's long rows)

Row = tuple[int, list[Any]]


@dataclass
class Start:
    """The header found: its line and cells, the non-blank rows above it (their lines), and
    the rows after it."""

    line: int
    header: list[str]
    skipped: list[int]
    rows: Iterator[Row]

    def finding(self, source: str) -> Finding | None:
        """The `skipped-rows` warning, if rows were skipped."""
        if not self.skipped:
            return None
        message = (
            f"{lines_text(self.skipped)} above the header on line {self.line}: not part of "
            "the table (a title?); skipped"
        )
        return Finding(source, self.skipped[0], SKIPPED_ROWS, message, severity="warning")


def cell_text(cell: Any) -> str:
    """A cell as text, trimmed: '' for an empty one."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return cell.strip() if isinstance(cell, str) else str(cell)


def _filled(cells: Sequence[Any]) -> int:
    return sum(1 for cell in cells if cell_text(cell))


def find_header(
    rows: Iterable[Row],
    source: str,
    name_headers: Sequence[str] = (),
    header_row: int | None = None,
) -> Start:
    """The table's start in `rows`; IntscoreError when the file has no row at all, or none
    starting on line `header_row`."""
    rows = iter(rows)
    if header_row is not None:
        return _at_line(rows, source, header_row)
    held: list[Row] = []  # every row looked at (blank ones too: a footer may follow one)
    filled = 0
    chars = 0
    for line, cells in rows:
        held.append((line, cells))
        if not _filled(cells):
            continue
        filled += 1
        chars += sum(len(cell) for cell in cells if isinstance(cell, str))
        if filled >= LOOK_AHEAD or chars > LOOK_AHEAD_CHARS:
            break
    full = [i for i, (_, cells) in enumerate(held) if _filled(cells)]
    if not full:
        empty = "no header row (the file is empty)"
        raise IntscoreError(Finding(source, None, UNREADABLE_FILE, empty))
    wanted = {normalize_header(h) for h in name_headers}
    at = next(
        (i for i in full if any(normalize_header(cell_text(c)) in wanted for c in held[i][1])),
        None,
    )
    if at is None:
        at = full[_fullest([held[i] for i in full])]
    line, cells = held[at]
    rest = itertools.chain(held[at + 1 :], rows)
    skipped = [n for n, c in held[:at] if _filled(c)]
    return Start(line, [cell_text(c) for c in cells], skipped, rest)


def _fullest(held: list[Row]) -> int:
    """The first row with most of the cells of the fullest row (a title has one or two)."""
    counts = [_filled(cells) for _, cells in held]
    most = max(counts)
    enough = min(most, max(2, math.ceil(0.6 * most)))
    return next(i for i, n in enumerate(counts) if n >= enough)


def _at_line(rows: Iterator[Row], source: str, header_row: int) -> Start:
    skipped: list[int] = []
    for line, cells in rows:
        if line == header_row:
            return Start(line, [cell_text(c) for c in cells], skipped, rows)
        if line > header_row:
            break
        if _filled(cells):
            skipped.append(line)
    message = f"read.header_row: no row starts on line {header_row}"
    raise IntscoreError(Finding(source, header_row, UNREADABLE_FILE, message))
