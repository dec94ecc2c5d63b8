"""A numeric column taken as a whole: values that each read as a number but contradict each
other, like `80%` beside `80` (is the second one 80 % or 80?).

The row pass shows a `NumberColumn` each distinct text of a numeric column once, with the value
it read and the first line it is on, and asks it for findings at the end of the file; the
DuckDB pass shows it the column's distinct texts and declines the file when there would be
any. Each kind of text (a mark) keeps only its first few examples, so memory stays constant
however many distinct texts a column has; a text is not parsed again, and looking at it takes
time linear in its length.

A new contradiction is a mark in `_marks` and a rule in `_CONTRADICTIONS` (the decimal
conventions of `1,250.50` and `1.250,50` are the next).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model.levels import Levels
from ..numbers import format_number, is_percent
from ..problems import AMBIGUOUS_NUMBER, Finding

__all__ = ["NumberColumn", "column_findings", "watch_columns"]

PERCENT = "percent"  # `80%`, `12,5 %`
PLAIN_ABOVE_ONE = "plain above one"  # `80`, `$1,200`: a number that cannot be a share

EXAMPLES = 3  # examples of each mark named in a finding

Example = tuple[str, float, int]  # (text as typed, its value, the first line it is on)


class NumberColumn:
    """Watches the distinct values of one numeric column of one file."""

    __slots__ = ("counts", "examples", "levels")

    def __init__(self, levels: Levels | None = None):
        self.levels = levels  # named levels of the column (`high`): no number of their own
        self.examples: dict[str, list[Example]] = {}  # mark -> first examples
        self.counts: dict[str, int] = {}  # mark -> distinct values seen with it

    def observe(self, raw: Any, value: float, line: int) -> None:
        """One cell of the column as typed, the number it was read as, and its line (each
        distinct text once is enough)."""
        marks = _marks(raw, value)
        if not marks or (self.levels is not None and self.levels.level(raw) is not None):
            return
        counts = self.counts
        for mark in marks:
            n = counts[mark] = counts.get(mark, 0) + 1
            if n <= EXAMPLES:
                self.examples.setdefault(mark, []).append((_text(raw, value), value, line))

    def findings(self, source: str, header: str) -> list[Finding]:
        """One `ambiguous-number` error per contradiction the column holds, located on the
        line where it first shows (the first line of whichever mark came second)."""
        found = []
        for first, second, explain in _CONTRADICTIONS:
            if first in self.examples and second in self.examples:
                line = max(self.examples[first][0][2], self.examples[second][0][2])
                message = explain(self._listed(first), self._listed(second), self.examples)
                found.append(Finding(source, line, AMBIGUOUS_NUMBER, message, header))
        return found

    def ambiguous(self) -> bool:
        """Whether the column holds any contradiction."""
        return any(a in self.examples and b in self.examples for a, b, _ in _CONTRADICTIONS)

    def _listed(self, mark: str) -> str:
        """`'80%' (line 2), '90%' (line 3) and 4 more`."""
        examples = self.examples[mark]
        text = ", ".join(f"'{shown}' (line {line})" for shown, _, line in examples)
        more = self.counts[mark] - len(examples)
        return f"{text} and {more:,} more" if more > 0 else text


def watch_columns(
    kinds: list[str | None], levels: list[Levels | None]
) -> tuple[list[NumberColumn | None], list[Callable[[Any, Any, int], None]]]:
    """For the row pass: a NumberColumn per field read as a number (None for the others),
    and per field what to call with each newly seen cell, its value (None: blank or not
    read) and its line."""
    columns = [
        NumberColumn(named) if kind == "number" else None
        for kind, named in zip(kinds, levels, strict=True)
    ]
    return columns, [_observer(column) for column in columns]


def _observer(column: NumberColumn | None) -> Callable[[Any, Any, int], None]:
    def observe(raw: Any, value: Any, line: int) -> None:
        if value is not None and column is not None:
            column.observe(raw, value, line)

    return observe


def column_findings(
    columns: list[NumberColumn | None], source: str, headers: list[str]
) -> list[Finding]:
    """The findings of the watched columns of one file, each under its header."""
    return [
        finding
        for column, header in zip(columns, headers, strict=True)
        if column is not None
        for finding in column.findings(source, header)
    ]


def _marks(raw: Any, value: float) -> tuple[str, ...]:
    """The kinds of number a cell is (none for one that marks nothing)."""
    if is_percent(raw):
        return _PERCENT
    if value > 1 or value < -1:
        return _PLAIN_ABOVE_ONE
    return ()


_PERCENT, _PLAIN_ABOVE_ONE = (PERCENT,), (PLAIN_ABOVE_ONE,)


def _percent_or_plain(percents: str, plains: str, examples: dict[str, list[Example]]) -> str:
    _, value, _ = examples[PLAIN_ABOVE_ONE][0]
    return (
        f"percentages and plain numbers above 1 in one column: {percents} beside {plains}; "
        f"is {format_number(value, 6)} meant as {format_number(value, 6)}% "
        f"({format_number(value / 100, 8)})? write every value one way"
    )


# (one mark, the other, the message of a column holding both: its lists of each, its examples)
Explain = Callable[[str, str, dict[str, list[Example]]], str]
_CONTRADICTIONS: tuple[tuple[str, str, Explain], ...] = (
    (PERCENT, PLAIN_ABOVE_ONE, _percent_or_plain),
)


def _text(raw: Any, value: float) -> str:
    """A value as its cell shows it, trimmed and cut short."""
    text = raw.strip() if isinstance(raw, str) else format_number(value, 6)
    return text if len(text) <= 40 else text[:37] + "..."
