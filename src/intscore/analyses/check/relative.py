"""Relative estimates (a criterion with `relative: true`, as the WSJF preset's four are): SAFe
sizes each column against its smallest item, which gets 1, and the others against it. In a
column with no 1 the numbers are not anchored, so that column weighs more (or less) than the
others in a sum like WSJF's cost of delay; `check` warns. Pure: the ranking in, findings out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ... import problems as ids
from ...matching import category_key
from ...numbers import format_number
from ...problems import Finding
from .context import CheckContext, finding, implements

__all__: list[str] = []


@implements(ids.NO_SMALLEST_ITEM)
def no_smallest_item(context: CheckContext) -> Iterator[Finding]:
    """A warning per relative criterion whose numbers include no 1, on the line of its
    smallest number (the item that would become 1)."""
    ranking, model = context.ranking, context.config.model
    for c in ranking.criteria:
        if not c.relative:
            continue
        smallest: tuple[float, str, int, str] | None = None
        has_one = False
        for item in ranking.items:
            score = item.criteria[c.id]
            values = [(s.value, s.file, s.line) for s in score.seen]
            if not values and score.value is not None:
                values = [(score.value, item.file, item.line)]
            for value, file, line in values:
                number = _number(value)
                if number is None:
                    continue
                has_one = has_one or number == 1
                if smallest is None or number < smallest[0]:
                    smallest = (number, file, line, item.integration)
        if smallest is None or has_one:
            continue
        number, file, line, name = smallest
        yield finding(
            file,
            line,
            f"no integration has 1 on this relative scale; the smallest is "
            f"{format_number(number)} ('{name}'): give the smallest item 1 and size the "
            "others against it",
            model.column_for(c.field) if c.field else c.id,
        )


def _number(value: Any) -> float | None:
    """A value as a number (`2`, `"2"`, `"2.0"`), or None for a category like `S`."""
    if value is None:
        return None
    kind, key = category_key(value)
    return float(key) if kind == "n" else None
