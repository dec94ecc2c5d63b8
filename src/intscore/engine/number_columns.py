"""A numeric column taken as a whole: values that each read as a number but contradict each
other, like `80%` beside `80` (is the second one 80 % or 80?).

The row pass shows a `NumberColumn` each distinct text of a numeric column once, with the value
it read and the first line it is on, and asks it for findings at the end of the file; the
DuckDB pass shows it the column's distinct texts and declines the file when there would be
any. Each kind of text (a mark) keeps only its first few examples, so memory stays constant
however many distinct texts a column has; a text is not parsed again, and looking at it takes
time linear in its length.

A new contradiction is a mark in `_marks` and a rule in `_CONTRADICTIONS`.

A column also finds its own decimal mark: it starts with the file's (a
`;`-separated CSV writes `12,5`), and the first text that shows a mark (`1,250.50`,
`12,5`; not `85.000`, which reads either way) decides it for the whole column, before that
text is read (`decide`). Texts that showed the other mark are a contradiction, an
`ambiguous-number` error. If texts that read either way came before the deciding one, they
were read the file's way: the column is `stale`, and the row pass asks for a second reading
(`ReadAgain`) that starts with the mark decided.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model.levels import Levels
from ..numbers import AMBIGUOUS, decimal_mark, format_number, is_percent
from ..problems import AMBIGUOUS_NUMBER, Finding, IntscoreError

__all__ = [
    "CONTRADICTS",
    "SWITCHED",
    "NumberColumn",
    "ReadAgain",
    "column_findings",
    "own_marks",
    "read_again",
    "stale_columns",
    "watch_columns",
]

PERCENT = "percent"  # `80%`, `12,5 %`
PLAIN_ABOVE_ONE = "plain above one"  # `80`, `$1,200`: a number that cannot be a share
DECIMAL_POINT = "decimal point"  # `1,250.50`, `12.5`
DECIMAL_COMMA = "decimal comma"  # `1.250,50`, `12,5`
SWITCHED, CONTRADICTS = 1, 2  # what `decide` found

EXAMPLES = 3  # examples of each mark named in a finding

Example = tuple[str, float, int]  # (text as typed, its value, the first line it is on)
Shown = tuple[str, str, int]  # (text as typed, the decimal mark it shows, its line)


class NumberColumn:
    """Watches the distinct values of one numeric column of one file."""

    __slots__ = ("comma", "counts", "early", "examples", "fixed", "levels", "proof", "stale")

    def __init__(self, levels: Levels | None = None):
        self.levels = levels  # named levels of the column (`high`): no number of their own
        self.examples: dict[str, list[Example]] = {}  # mark -> first examples
        self.counts: dict[str, int] = {}  # mark -> distinct values seen with it
        self.comma = False  # the decimal mark it is read with
        self.fixed = True  # the mark is given: no text changes it (`start` says otherwise)
        self.proof: Shown | None = None  # the first text that showed a mark: the column's
        self.early: Shown | None = None  # the first text that reads either way, before it
        self.stale: Shown | None = None  # `early`, when the mark decided was the other

    def start(self, comma: bool, decided: str | None) -> None:
        """Read by the file's convention (`comma`) until a text shows the column's own, or
        with a mark decided by an earlier reading."""
        self.comma = comma if decided is None else decided == ","
        self.fixed = decided is not None

    def decide(self, raw: str, line: int) -> int:
        """Before a new text is read: notes the decimal mark it shows. SWITCHED: the column
        is now read with the other mark; CONTRADICTS: the text shows the mark other texts
        did not (an `ambiguous-number` error names both); else 0."""
        mark = decimal_mark(raw)
        if mark is None or (self.levels is not None and self.levels.level(raw) is not None):
            return 0
        if mark == AMBIGUOUS:
            if self.proof is None and self.early is None:
                self.early = (_text(raw, 0.0), mark, line)
            return 0
        comma = mark == ","
        self._note(DECIMAL_COMMA if comma else DECIMAL_POINT, raw, 0.0, line)
        if self.proof is not None:
            return CONTRADICTS if mark != self.proof[1] else 0
        self.proof = (_text(raw, 0.0), mark, line)
        if comma == self.comma or self.fixed:
            return 0
        self.comma = comma
        self.stale = self.early
        return SWITCHED

    def own_mark(self, file_comma: bool) -> tuple[str, str, int] | None:
        """(the text that showed the column's mark, the mark, its line) when that is not the
        file's."""
        proof = self.proof
        if proof is None or self.ambiguous() or (proof[1] == ",") == file_comma:
            return None
        return proof

    def observe(self, raw: Any, value: float, line: int) -> None:
        """One cell of the column as typed, the number it was read as, and its line (each
        distinct text once is enough)."""
        marks = _marks(raw, value)
        if not marks or (self.levels is not None and self.levels.level(raw) is not None):
            return
        for mark in marks:
            self._note(mark, raw, value, line)

    def _note(self, mark: str, raw: Any, value: float, line: int) -> None:
        n = self.counts[mark] = self.counts.get(mark, 0) + 1
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


def own_marks(
    columns: list[NumberColumn | None], headers: list[str], file_comma: bool
) -> tuple[tuple[str, str, str, int], ...]:
    """(header, mark, the text that showed it, its line) of each column read with the other
    decimal mark than its file's."""
    found = []
    for column, header in zip(columns, headers, strict=True):
        shown = None if column is None else column.own_mark(file_comma)
        if shown is not None:
            found.append((header, shown[1], shown[0], shown[2]))
    return tuple(found)


def stale_columns(
    columns: list[NumberColumn | None], headers: list[str], source: str
) -> list[tuple[str, str, NumberColumn]]:
    """(source, header, column) of the columns that need a second reading."""
    return [
        (source, header, column)
        for column, header in zip(columns, headers, strict=True)
        if column is not None and column.stale is not None and not column.ambiguous()
    ]


def read_again(stale: list[tuple[str, str, NumberColumn]]) -> ReadAgain:
    """The ReadAgain of these columns."""
    decided = [(source, header, "," if c.comma else ".") for source, header, c in stale]
    error = IntscoreError([stale_finding(source, header, c) for source, header, c in stale])
    return ReadAgain(decided, error)


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


def _points_or_commas(points: str, commas: str, examples: dict[str, list[Example]]) -> str:
    return (
        f"decimal points and decimal commas in one column: {points} beside {commas}; write "
        'every value one way, or give the mark (read: {decimal: ","} or --decimal-comma; '
        '"." or --decimal-point)'
    )


# (one mark, the other, the message of a column holding both: its lists of each, its examples)
Explain = Callable[[str, str, dict[str, list[Example]]], str]
_CONTRADICTIONS: tuple[tuple[str, str, Explain], ...] = (
    (PERCENT, PLAIN_ABOVE_ONE, _percent_or_plain),
    (DECIMAL_POINT, DECIMAL_COMMA, _points_or_commas),
)


class ReadAgain(Exception):
    """Number columns whose own decimal mark showed only after texts that read either way
    were read the file's way: (source, header, mark) of each, for a second reading that
    starts with it; `error` says what to do where the input cannot be read twice (stdin)."""

    def __init__(self, decided: list[tuple[str, str, str]], error: IntscoreError):
        super().__init__(str(error))
        self.decided = tuple(decided)
        self.error = error


def stale_finding(source: str, header: str, column: NumberColumn) -> Finding:
    """Why a column of stdin cannot be read right: its mark showed too late."""
    assert column.stale is not None and column.proof is not None
    mark = "comma" if column.comma else "point"
    flag = "--decimal-comma" if column.comma else "--decimal-point"
    message = (
        f"'{column.stale[0]}' (line {column.stale[2]}) was read with a decimal "
        f"{'point' if column.comma else 'comma'} before '{column.proof[0]}' (line "
        f"{column.proof[2]}) showed that this column has a decimal {mark}; give {flag} "
        "(stdin is read once)"
    )
    return Finding(source, column.stale[2], AMBIGUOUS_NUMBER, message, header)


def _text(raw: Any, value: float) -> str:
    """A value as its cell shows it, trimmed and cut short."""
    text = raw.strip() if isinstance(raw, str) else format_number(value, 6)
    return text if len(text) <= 40 else text[:37] + "..."
