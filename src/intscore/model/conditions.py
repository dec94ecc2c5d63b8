"""Conditions in `filter`, `where` and `recommend` `when`, compiled: a value or a list of values
(any of them, any case), `not`, numbers (`at_least`, `below`) and dates (`within`, `after`,
`before`). A blank value fails every condition on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ..matching import CategoryMatcher, name_key
from .errors import is_number, require

__all__ = ["Condition", "Test", "duration_days", "field_test"]

Scalar = str | int | float | bool
Test = Callable[[Any], bool]
ConditionKind = Literal["category", "not", "number", "date"]
NO_LIMIT = 10**9
_DAYS = {"d": 1.0, "w": 7.0, "y": 365.0}


def duration_days(text: str) -> float:
    """`90d` -> 90.0, `12w` -> 84.0, `1y` -> 365.0."""
    return float(text[:-1]) * _DAYS[text[-1]]


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on a field (in `filter`, `where` and `recommend`), or on the score or a
    criterion's points (`recommend`). A blank value fails every condition on it."""

    kind: ConditionKind
    values: tuple[Scalar, ...] = ()  # category: any of these; not: none of these
    at_least: float | None = None
    below: float | None = None
    within: str | None = None  # a duration, e.g. "365d"
    after: date | None = None
    before: date | None = None

    def __post_init__(self) -> None:
        require(self.kind in ("category", "not", "number", "date"), f"condition {self.kind!r}")
        if self.kind in ("category", "not"):
            require(bool(self.values), "a condition needs a value")
        for bound in (self.at_least, self.below):
            require(bound is None or is_number(bound), "a condition's number is out of range")

    @property
    def field_kind(self) -> str:
        """What the field must be read as: category, number or date."""
        return "category" if self.kind == "not" else self.kind

    def holds(self, value: float | None) -> bool:
        """A number test (the score, a criterion's points)."""
        if value is None:
            return False
        return (self.below is None or value < self.below) and (
            self.at_least is None or value >= self.at_least
        )

    def test(self, as_of: int) -> Test:
        """A test of a field's converted value (dates as day numbers, ages to `as_of`)."""
        if self.kind == "category":
            matcher = CategoryMatcher.any_of(list(self.values))
            return lambda v: v is not None and matcher.get(v) is not None
        if self.kind == "not":
            excluded = CategoryMatcher.any_of(list(self.values))
            return lambda v: v is not None and excluded.get(v) is None
        if self.kind == "number":
            holds = self.holds
            return lambda v: v is not None and v.__class__ is not str and holds(v)
        earliest, latest = -NO_LIMIT, NO_LIMIT
        if self.within is not None:
            earliest = max(earliest, as_of - int(duration_days(self.within)))
        if self.after is not None:
            earliest = max(earliest, self.after.toordinal() + 1)
        if self.before is not None:
            latest = min(latest, self.before.toordinal() - 1)
        return lambda v: v is not None and v.__class__ is int and earliest <= v <= latest

    def describe(self, field: str) -> str:
        """The condition in words: `stage customer or partner`, `created within 365d`."""
        if self.kind == "category":
            return f"{field} {' or '.join(map(str, self.values))}"
        parts = []
        if self.kind == "not":
            parts.append(f"not {' or '.join(map(str, self.values))}")
        if self.at_least is not None:
            parts.append(f"≥ {self.at_least:g}")
        if self.below is not None:
            parts.append(f"< {self.below:g}")
        if self.within is not None:
            parts.append(f"within {self.within}")
        if self.after is not None:
            parts.append(f"after {self.after.isoformat()}")
        if self.before is not None:
            parts.append(f"before {self.before.isoformat()}")
        return f"{field} {' and '.join(parts)}"

    @property
    def uses_ages(self) -> bool:
        return self.within is not None


def field_test(name: str, condition: Condition, as_of: int, aliases: Mapping[str, str]) -> Test:
    """The test of a condition on a field's converted value. On the integration, the value is
    the group key (a name key after keep and aliases), compared with the condition's names as
    canonical names (through `aliases`: name key -> canonical name)."""
    if name != "integration":
        return condition.test(as_of)
    keys = set()
    for value in condition.values:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        key = name_key(text)
        keys.add(name_key(aliases[key]) if key in aliases else key)
    if condition.kind == "not":
        return lambda v: v is not None and v not in keys
    return lambda v: v is not None and v in keys
