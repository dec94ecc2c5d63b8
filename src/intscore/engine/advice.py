"""Recommendations: the first `recommend` rule whose conditions all hold for an integration —
on its facts (fields of its rows), its score or a criterion's points — and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..dates import show_day
from ..model.compiled import Condition, Model, Rule, Test
from ..numbers import format_number
from .ranking import Advice, CriterionScore

__all__ = ["Rules"]


class Rules:
    """A model's recommendation rules, bound to the day ages count to."""

    def __init__(self, model: Model, as_of: int):
        ids = {"score", *(c.id for c in model.criteria)}
        self.rules: list[tuple[Rule, list[tuple[str, Condition, Test | None]]]] = []
        for rule in model.recommend or ():
            conditions = []
            for key, condition in (rule.when or {}).items():
                on_points = key in ids  # the score or a criterion's points: a number test
                test = None if on_points else model.test_of(key, condition, as_of)
                conditions.append((key, condition, test))
            self.rules.append((rule, conditions))

    def __bool__(self) -> bool:
        return bool(self.rules)

    def holding_on_facts(self, facts: Mapping[str, Any]) -> tuple[int, ...]:
        """The rules (by position) whose conditions on fields all hold for these facts; what
        the score and points must also pass is left to the caller (the report's page)."""
        return tuple(
            n
            for n, (_, conditions) in enumerate(self.rules)
            if all(test(facts.get(key)) for key, _, test in conditions if test is not None)
        )

    def advise(
        self, facts: Mapping[str, Any], score: float | None, criteria: Mapping[str, CriterionScore]
    ) -> Advice | None:
        """The first rule whose conditions all hold, and which of them did."""
        for number, (rule, conditions) in enumerate(self.rules, 1):
            reasons = []
            for key, condition, test in conditions:
                if test is None:
                    value = score if key == "score" else criteria[key].points
                    if not condition.holds(value):
                        break
                    shown = "score" if key == "score" else f"{key} points"
                    reasons.append(f"{shown} {_threshold_text(condition, value)}")
                else:
                    value = facts.get(key)
                    if not test(value):
                        break
                    reasons.append(f"{key} is {_fact_text(value)}")
            else:
                reason = "; ".join(reasons) or "default rule"
                return Advice(rule.then, rule.because, number, reason)
        return None


def _fact_text(value: Any) -> str:
    if value.__class__ is int:  # a date's day number
        return show_day(value)
    return repr(value)


def _threshold_text(t: Condition, value: float | None) -> str:
    parts = []
    if t.at_least is not None:
        parts.append(f"≥ {format_number(t.at_least)}")
    if t.below is not None:
        parts.append(f"< {format_number(t.below)}")
    return f"{format_number(value or 0.0)} {' and '.join(parts)}"
