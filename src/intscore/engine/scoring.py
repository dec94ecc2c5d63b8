"""Scoring grouped integrations: aggregates -> points -> score -> ranks -> recommendations.

Each criterion's result keeps its trace (which requesters counted, with what), so `explain`
formats it instead of computing it again. What requesters bring and how they aggregate is
`model.aggregates`; the weighted score is `model.weighted`. Pure: no files, no printing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from ..dates import day_number
from ..model.aggregates import Binding
from ..model.compiled import Criterion, Model
from ..model.scorers import Scorer
from ..model.weighted import SCORE_DECIMALS, contribution
from ..problems import MISSING_COLUMN, MISSING_VALUE, NOTHING_TO_RANK, Finding
from .advice import Rules
from .estimated import merge_estimates
from .groups import Group, Grouped, shown_name
from .ranking import (
    Advice,
    CriterionScore,
    EstimatedField,
    Flag,
    RankedItem,
    Ranking,
    Requester,
    SeenValue,
    Trace,
)
from .ties import TieKey, decided_by, order_ties, tiebreak_key

__all__ = ["score_groups"]


@dataclass
class _Scored:
    """An integration scored, before ranks are given."""

    shown: str
    key: str
    group: Group
    score: float | None
    criteria: dict[str, CriterionScore]
    requesters: Sequence[Requester]
    flags: tuple[Flag, ...]
    advice: Advice | None
    facts: dict[str, Any]
    attributes: dict[str, tuple[SeenValue, ...]]
    tiekey: TieKey = ()
    tie_order: int = 0
    tie_group: int = 0


class _Scorer:
    """Scores one integration after another with the model's criteria, bound once."""

    def __init__(self, model: Model, day: int, errors: list[Finding]):
        self.model = model
        self.errors = errors
        slot = {ci: a for a, ci in enumerate(model.attribute_criteria)}
        self.steps = [
            (ci, c, Binding(c, model.fields, day, model.alias_keys), slot.get(ci))
            for ci, c in enumerate(model.criteria)
        ]
        self.rules = Rules(model, day)
        # Facts the rules test that no column holds: an integration's category, the buy
        # option that covers it (its plan comes after ranking: `planning`).
        self.derived = [f for f in ("category", "covered_by") if f in model.derived_facts()]
        self.derived = [f for f in self.derived if model.rules_test(f)]
        self.categorizer = None
        if self.derived:  # the catalog loads only for rules that read a category
            from ..model.categorize import Categorizer

            self.categorizer = Categorizer(model)

    def score(self, key: str, group: Group) -> _Scored:
        summary = group.summary
        requesters = tuple(group.requesters.values()) if summary is None else summary.requesters
        rows = list(map(_VALUES, requesters)) if summary is None else []
        requests = list(map(_VALUES, group.requests)) if summary is None else []
        criteria: dict[str, CriterionScore] = {}
        flags: list[Flag] = []
        total = 0.0
        denominator = self.model.denominator
        formula = self.model.formula
        for ci, c, binding, slot in self.steps:
            seen: tuple[SeenValue, ...] = ()
            trace = None
            if slot is not None:  # an attribute (`aggregate: value`)
                seen = tuple(group.attributes[slot].values())
                value, points, band, status, seen = _attribute(c.scorer, seen)
            else:
                if summary is None:
                    over = group.requests if c.over == "requests" else requesters
                    found = binding.amounts(requests if c.over == "requests" else rows)
                    value = binding.value(found)
                    chosen = _chosen(over, found.counted)
                    trace = Trace(chosen, found.amounts, found.weighed_by)
                else:
                    value = binding.value_counted(summary.counted[ci])
                points, band, status = _points(c.scorer, value)
            if points is None:  # missing or unknown category
                if c.missing == "error":
                    self.errors.append(_missing(c, group, value, status))
                points = c.missing_points
            if status != "ok":
                flags.append(Flag(status, c.id))  # type: ignore[arg-type]
            part = None if formula else contribution(c.weight, points, denominator)
            total += part or 0.0
            criteria[c.id] = CriterionScore(
                value,
                points,
                c.max_points,
                c.weight,
                part,
                band,
                status,  # type: ignore[arg-type]
                seen,
                trace,
            )
        score: float | None = round(total, SCORE_DECIMALS)
        if formula is not None:
            try:
                score = round(
                    formula({cid: s.points for cid, s in criteria.items()}), SCORE_DECIMALS
                )
                if not math.isfinite(score):  # 1e300 * 1e300 is inf without an error
                    raise OverflowError
            except (ArithmeticError, ValueError) as exc:
                score = None
                flags.append(Flag("formula", None, _math_reason(exc)))
        shown = shown_name(group, self.model.alias_keys.get(key))
        facts = self._facts(key, shown, group)
        advice = self.rules.advise(facts, score, criteria) if self.rules else None
        first = len(self.model.attribute_criteria)  # then the plan's attributes
        attributes = {
            name: tuple(group.attributes[a].values())
            for a, name in enumerate(self.model.extra_attributes, first)
        }
        return _Scored(
            shown, key, group, score, criteria, requesters, tuple(flags), advice, facts, attributes
        )

    def _facts(self, key: str, shown: str, group: Group) -> dict[str, Any]:
        """The facts of the integration's rows, and the derived ones the rules test."""
        if self.categorizer is None:
            return group.facts
        facts = dict(group.facts)
        category = self.categorizer.of(key, (shown, *group.spellings), facts)
        if "category" in self.derived:
            facts["category"] = category
        if "covered_by" in self.derived:
            buy = self.categorizer.covered_by(category)
            facts["covered_by"] = None if buy is None else buy.name
        return facts


_VALUES = itemgetter(Requester.VALUES)  # a requester's values (C-level, for every requester)


def _chosen(over: Sequence[Requester], counted: Sequence[int]) -> tuple[Requester, ...]:
    """The requesters (or requests) at these positions: all of them, often."""
    if counted.__class__ is range and len(counted) == len(over):
        return tuple(over)
    return tuple(map(over.__getitem__, counted))


def score_groups(grouped: Grouped, model: Model, as_of: date | None = None) -> Ranking:
    """Score every integration a row pass found and rank them (ages counted to as_of)."""
    errors = [*grouped.errors, *_missing_columns(grouped, model)]
    estimates = merge_estimates(grouped, model)
    if not errors and not grouped.groups and grouped.inputs:
        errors.append(_nothing_to_rank(grouped, model))
    scorer = _Scorer(model, day_number(as_of), errors)
    scored = [scorer.score(key, group) for key, group in grouped.groups.items()]
    by_id = {c.id: c for c in model.criteria}
    tiebreak = [by_id[cid] for cid in model.tiebreak]
    for s in scored:
        s.tiekey = tiebreak_key(tiebreak, {c.id: s.criteria[c.id].value for c in tiebreak})
    order_ties(scored)
    items = _ranked(scored, list(model.tiebreak), estimates)
    if model.plan is not None and model.rules_test("plan"):
        from .planning import advise_with_plan

        errors += advise_with_plan(items, model, scorer.rules)
    return Ranking(
        items=items,
        criteria=model.criteria,
        requester_fields=model.fields,
        inputs=tuple(grouped.inputs),
        errors=tuple(sorted(errors, key=Finding.sort_key)),
        unbound=tuple(_unbound(grouped, model)),
        formula=model.formula_text,
        has_rules=bool(model.recommend),
        denominator=model.denominator,
        tiebreak=model.tiebreak,
        warnings=tuple(grouped.warnings),
        as_of=as_of,
        dated=model.dated,
        estimated=None if model.estimates is None else model.estimated_fields(),
        value_rows=grouped.value_rows,
        aliases=model.alias_keys,
    )


def _points(scorer: Scorer, value: Any) -> tuple[float | None, str | None, str]:
    """(points, band, status) of an aggregate's value."""
    if value is None:
        return None, None, "missing"
    scored = scorer.points(value)
    if scored.points is None:
        return None, scored.label, "unknown"
    return scored.points, scored.label, scored.status


def _missing(c: Criterion, group: Group, value: Any, status: str) -> Finding:
    """The error of a criterion with `missing: error` and no value (or an unknown one)."""
    message = (
        f"no value for '{shown_name(group)}'"
        if status == "missing"
        else f"{value!r} is not one of the map's keys"
    )
    return Finding(group.file, group.line, MISSING_VALUE, message, field=c.field or c.id)


def _ranked(
    scored: list[_Scored], tiebreak: list[str], estimates: dict[str, dict[str, EstimatedField]]
) -> tuple[RankedItem, ...]:
    """Ranks over items sorted by score and tiebreak: equal on both share a rank (1, 2, 2, 4);
    an item the tiebreak put below an equal score names the criterion that did it."""
    ranked: list[RankedItem] = []
    previous: _Scored | None = None
    rank = 0
    for position, s in enumerate(scored, 1):
        decided = None
        if previous is None or s.score != previous.score:
            rank = position
        elif s.tiekey != previous.tiekey:
            rank = position
            decided = decided_by(tiebreak, s.tiekey, previous.tiekey)
        previous = s
        group = s.group
        spellings = list(group.spellings.items())
        if len(spellings) > 1:
            spellings.sort(key=lambda kv: -kv[1])
        ranked.append(
            RankedItem(
                rank,
                s.shown,
                s.score,
                s.criteria,
                s.requesters,
                s.flags,
                group.file,
                group.line,
                tuple(spellings),
                s.key,
                s.advice,
                decided,
                s.tie_order,
                s.tie_group,
                s.facts,
                s.attributes,
                estimates.get(s.key, {}),
                tuple(group.requests),
                tuple(group.owners),
            )
        )
    return tuple(ranked)


def _missing_columns(grouped: Grouped, model: Model) -> list[Finding]:
    """A criterion's field that no input has."""
    source = grouped.first_source or "<input>"
    needed_by: dict[str, list[str]] = {}
    estimated = model.estimated_fields()  # estimates may stand for a column no file has
    for c in model.criteria:
        if c.field and c.field not in grouped.found_fields and c.field not in estimated:
            needed_by.setdefault(c.field, []).append(c.id)
    return [
        Finding(
            source,
            grouped.header_line,
            MISSING_COLUMN,
            f"no '{model.column_for(f)}' column (needed by {', '.join(ids)})",
        )
        for f, ids in needed_by.items()
    ]


def _nothing_to_rank(grouped: Grouped, model: Model) -> Finding:
    """Why there is no integration to rank: a filter that keeps no row, or no rows at all."""
    source = grouped.first_source or "<input>"
    rows = sum(i.rows for i in grouped.inputs)
    filtered = sum(i.filtered for i in grouped.inputs)
    if filtered and not rows:
        conditions = "; ".join(c.describe(f) for f, c in (model.filter or {}).items())
        seen = rows + filtered
        message = (
            f"filter kept 0 of {seen:,} row{'s' * (seen != 1)}, so there is nothing to rank; "
            f"loosen `filter:` in scoring.yaml ({conditions})"
        )
    else:
        message = "no rows to rank (the input has a header but no data)"
    return Finding(source, None, NOTHING_TO_RANK, message)


def _unbound(grouped: Grouped, model: Model) -> list[tuple[str, str]]:
    """Optional fields that no input has, and why that matters."""
    unbound = [
        (f, f"no '{model.column_for(f)}' column")
        for f in sorted(model.optional)
        if f not in grouped.found_fields
    ]
    per_requester = any(c.over_requesters for c in model.criteria)
    if per_requester and not grouped.has_account and grouped.inputs:
        unbound.append(
            ("account", f"no '{model.column_for('account')}' column: each row is a requester")
        )
    return unbound


def _math_reason(exc: Exception) -> str:
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, OverflowError):
        return "number too large"
    return str(exc) or type(exc).__name__


def _attribute(
    scorer: Scorer, seen: tuple[SeenValue, ...]
) -> tuple[Any, float | None, str | None, str, tuple[SeenValue, ...]]:
    """An integration attribute: all values should agree; on a conflict, the fewest points."""
    if not seen:
        return None, None, None, "missing", ()
    if len(seen) == 1:  # most integrations: one value, no conflict
        (s,) = seen
        p = scorer.points(s.value)
        status = "unknown" if p.points is None else p.status
        return s.value, p.points, p.label, status, (SeenValue(s.value, s.file, s.line, p.points),)
    scored = [(s, scorer.points(s.value)) for s in seen]
    seen = tuple(SeenValue(s.value, s.file, s.line, p.points) for s, p in scored)
    known = [(s, p) for s, p in scored if p.points is not None]
    if not known:
        return scored[0][0].value, None, None, "unknown", seen
    s, p = min(known, key=lambda t: t[1].points or 0.0)
    return s.value, p.points, p.label, "conflict", seen
