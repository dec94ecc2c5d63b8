"""Conditions in `where`, `filter` and `recommend` `when`, compiled once into tests of a
converted cell value: a value or a list of values (any of them, any case), `not`, numbers
(`at_least`, `below`) and dates (`within`, `after`, `before`). A blank value fails every
condition on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..matching import CategoryMatcher
from .schema import Condition, ConditionValue, duration_days

__all__ = ["Test", "compile_condition", "describe_condition"]

Test = Callable[[Any], bool]


def compile_condition(condition: ConditionValue, as_of: int) -> Test:
    """A test of a field's value (dates as day numbers, `as_of` the day ages count to)."""
    if not isinstance(condition, Condition):
        matcher = CategoryMatcher.any_of(condition)
        return lambda v: v is not None and matcher.get(v) is not None
    if condition.not_ is not None:
        excluded = CategoryMatcher.any_of(condition.not_)
        return lambda v: v is not None and excluded.get(v) is None
    if condition.kind == "number":
        holds = condition.holds  # the same test as on the score and points in `recommend`
        return lambda v: v is not None and v.__class__ is not str and holds(v)
    earliest = -(10**9)
    latest = 10**9
    if condition.within is not None:
        earliest = max(earliest, as_of - int(duration_days(condition.within)))
    if condition.after is not None:
        earliest = max(earliest, condition.after.toordinal() + 1)
    if condition.before is not None:
        latest = min(latest, condition.before.toordinal() - 1)
    return lambda v: v is not None and v.__class__ is int and earliest <= v <= latest


def describe_condition(field: str, condition: ConditionValue) -> str:
    """A condition in words: `stage customer or partner`, `created within 365d`."""
    if not isinstance(condition, Condition):
        values = condition if isinstance(condition, list) else [condition]
        return f"{field} {' or '.join(map(str, values))}"
    parts = []
    if condition.not_ is not None:
        values = condition.not_ if isinstance(condition.not_, list) else [condition.not_]
        parts.append(f"not {' or '.join(map(str, values))}")
    if condition.at_least is not None:
        parts.append(f"≥ {condition.at_least:g}")
    if condition.below is not None:
        parts.append(f"< {condition.below:g}")
    if condition.within is not None:
        parts.append(f"within {condition.within}")
    if condition.after is not None:
        parts.append(f"after {condition.after.isoformat()}")
    if condition.before is not None:
        parts.append(f"before {condition.before.isoformat()}")
    return f"{field} {' and '.join(parts)}"
