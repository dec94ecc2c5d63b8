"""Scoring grouped integrations: aggregates -> points -> score -> ranks -> recommendations.

Each criterion's result keeps its trace (which requesters counted, with what), so `explain`
formats it instead of computing it again. Pure: no files, no printing.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, compress, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

from ..dates import NO_DAY, day_number, show_day
from ..matching import CategoryMatcher
from ..model.conditions import compile_condition
from ..model.schema import Criterion, RecommendRule, ScoringConfig, Threshold, duration_days
from ..model.scorers import Scorer
from ..numbers import format_number
from ..problems import MISSING_COLUMN, MISSING_VALUE, Finding
from .ranking import (
    SCORE_DECIMALS,
    Advice,
    CriterionScore,
    Flag,
    RankedItem,
    Ranking,
    Requester,
    SeenValue,
    Trace,
)
from .rowpass import Counted, Group, Grouped

__all__ = ["CriterionPlan", "score_groups", "tiebreak_key"]

_VALUES = attrgetter("values")


class CriterionPlan:
    """How one criterion aggregates requesters: its segment (`where`), the field it reads and
    how much each requester counts (`row_weight`)."""

    def __init__(self, c: Criterion, fields: Sequence[str], as_of: int = NO_DAY):
        index = {f: j for j, f in enumerate(fields)}
        # Read once: model properties are slow to reach in a loop over every integration.
        self.criterion = c
        self.id = c.id
        self.scorer = c.scorer
        self.weight = c.weight
        self.max_points = c.max_points
        self.missing = c.missing
        self.missing_points = c.missing_points
        self.aggregate = c.aggregate
        self.where = [(index[w], compile_condition(x, as_of)) for w, x in (c.where or {}).items()]
        self.field = index[c.field] if c.field else None
        self.row_weight = (
            (index[c.row_weight.field], CategoryMatcher(c.row_weight.map), c.row_weight.default)
            if c.row_weight
            else None
        )
        decay = c.row_weight.decay if c.row_weight else None
        self.decay = (
            None if decay is None else (index[decay.field], duration_days(decay.half_life), as_of)
        )

    def select(self, requesters: Sequence[Requester]) -> Sequence[Requester]:
        """Requesters in the segment (`where`)."""
        if not self.where:
            return requesters
        return [r for r in requesters if all(test(r.values[j]) for j, test in self.where)]

    def weigh(self, value: Any) -> tuple[Any, float]:
        """(the row_weight key a requester's value matched, else the value itself; weight)."""
        assert self.row_weight is not None
        _, matcher, default = self.row_weight
        found = matcher.get(value) if value is not None else None
        return (found[0], found[1]) if found is not None else (value, default)

    def aggregate_of(self, requesters: Sequence[Requester]) -> tuple[float | None, Trace]:
        """The aggregate over the requesters (None: no value at all) and how it came about.
        Runs once per criterion and integration over all its requesters: C-level maps."""
        chosen = self.select(requesters)
        j = self.field
        if j is not None:  # only requesters with a value count
            values = list(map(itemgetter(j), map(_VALUES, chosen)))
            if None in values:
                keep = list(map(is_not, values, repeat(None)))
                chosen = list(compress(chosen, keep))
                values = list(compress(values, keep))
        if self.aggregate == "count":
            if self.row_weight is None and self.decay is None:
                return float(len(chosen)), Trace(chosen, None)
            return self._weighted_count(chosen)
        trace = Trace(chosen, values)
        if not values:
            # An empty segment is a real zero for a sum; "missing" means no value at all.
            if self.where and self.aggregate == "sum" and self._has_values(requesters):
                return 0.0, trace
            return None, trace
        if self.aggregate == "sum":
            return math.fsum(values), trace
        if self.aggregate == "mean":
            return math.fsum(values) / len(values), trace
        if self.aggregate == "min":
            return min(values), trace
        return max(values), trace

    def aggregate_counted(self, counted: Counted) -> float | None:
        """The aggregate from requesters counted by value (the DuckDB pass): equal to
        `aggregate_of` over the requesters themselves, since fsum, min and max do not depend
        on order and each weight is the same product of the same two numbers."""
        values, counts, days, any_value = counted
        if self.aggregate == "count":
            if self.row_weight is None:
                return float(sum(counts))
            values = [self.weigh(value)[1] for value in values]  # each one's weight
            if self.decay is not None:
                values = list(map(operator.mul, values, self._decay_factors(days or [])))
        elif not values:
            # An empty segment is a real zero for a sum; "missing" means no value at all.
            return 0.0 if self.where and self.aggregate == "sum" and any_value else None
        if self.aggregate == "min":
            return min(values)
        if self.aggregate == "max":
            return max(values)
        total = math.fsum(chain.from_iterable(map(repeat, values, counts)))
        return total / sum(counts) if self.aggregate == "mean" else total

    def _has_values(self, requesters: Sequence[Requester]) -> bool:
        j = self.field
        return j is not None and any(r.values[j] is not None for r in requesters)

    def _weighted_count(self, chosen: Sequence[Requester]) -> tuple[float, Trace]:
        if self.row_weight is None:
            weights = [1.0] * len(chosen)
            matched: list[Any] = [None] * len(chosen)
        else:
            weights, matched = self._row_weights(chosen)
        if self.decay is not None:
            weights = list(map(operator.mul, weights, self._decay(chosen)))
        return math.fsum(weights), Trace(chosen, weights, matched)

    def _decay(self, chosen: Sequence[Requester]) -> list[float]:
        """The decay factor of each requester, by the date its decay field holds."""
        assert self.decay is not None
        return self._decay_factors(list(map(itemgetter(self.decay[0]), map(_VALUES, chosen))))

    def _decay_factors(self, days: list[Any]) -> list[float]:
        """0.5 ** (age / half_life) per day, age in whole days to as_of (a future date is age
        0; no date, no decay). One power per distinct day."""
        assert self.decay is not None
        _, half_life, as_of = self.decay
        factor = {
            day: 1.0 if day is None else 0.5 ** (max(as_of - day, 0) / half_life)
            for day in set(days)
        }
        return list(map(factor.__getitem__, days))

    def _row_weights(self, chosen: Sequence[Requester]) -> tuple[list[float], list[Any]]:
        assert self.row_weight is not None
        cells = list(map(itemgetter(self.row_weight[0]), map(_VALUES, chosen)))
        distinct = set(cells)
        # One lookup per distinct text. Only text: in YAML, 1 and true are equal dict keys.
        if all(v is None or v.__class__ is str for v in distinct):
            answers = {v: self.weigh(v) for v in distinct}
            keys = [answers[v][0] for v in distinct]
            key_of = dict(zip(distinct, keys, strict=True))
            weight_of = {v: answers[v][1] for v in distinct}
            weights = list(map(weight_of.__getitem__, cells))
            matched = list(map(key_of.__getitem__, cells))
        else:
            pairs = [self.weigh(v) for v in cells]
            matched = [key for key, _ in pairs]
            weights = [weight for _, weight in pairs]
        return weights, matched


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
    tiekey: tuple[tuple[float, ...], ...] = ()
    tie_order: int = 0
    tie_group: int = 0


def score_groups(grouped: Grouped, config: ScoringConfig, as_of: date | None = None) -> Ranking:
    """Score every integration the row pass found and rank them (ages counted to as_of)."""
    plan = grouped.plan
    day = day_number(as_of)
    errors = list(grouped.errors)
    errors += _missing_columns(grouped, config)
    formula = config.compiled_formula
    rules = _compile_rules(config.recommend, {c.id for c in config.criteria}, day)
    denominator = config.denominator
    plans = [CriterionPlan(c, plan.fields, day) for c in config.criteria]
    attribute_slot = {ci: a for a, ci in enumerate(plan.attribute_criteria)}

    # Read once: this loop runs per integration and criterion.
    steps = [(ci, cp, attribute_slot.get(ci), cp.scorer, cp.weight) for ci, cp in enumerate(plans)]
    scored = []
    for key, group in grouped.groups.items():
        summary = group.summary
        requesters = tuple(group.requesters.values()) if summary is None else summary.requesters
        criteria: dict[str, CriterionScore] = {}
        flags: list[Flag] = []
        total = 0.0
        for ci, cp, slot, scorer, weight in steps:
            seen: tuple[SeenValue, ...] = ()
            trace = None
            if slot is not None:  # an attribute (`aggregate: value`)
                seen = tuple(group.attributes[slot].values())
                value, points, band, status, seen = _attribute(scorer, seen)
            else:
                if summary is None:
                    value, trace = cp.aggregate_of(requesters)
                else:
                    value = cp.aggregate_counted(summary.counted[ci])
                points, band, status = (None, None, "missing")
                if value is not None:
                    scored_value = scorer.points(value)
                    points, band, status = scored_value.points, scored_value.label, "ok"
                    if points is None:
                        status = "unknown"
                    elif scored_value.status != "ok":
                        status = scored_value.status
            if points is None:  # missing or unknown category
                if cp.missing == "error":
                    c = cp.criterion
                    errors.append(
                        Finding(
                            group.file,
                            group.line,
                            MISSING_VALUE,
                            f"no value for '{_shown_name(group)}'"
                            if status == "missing"
                            else f"{value!r} is not one of the map's keys",
                            field=c.field or c.id,
                        )
                    )
                points = cp.missing_points
            if status != "ok":
                flags.append(Flag(status, cp.id))
            contribution = None if formula else 100.0 * weight * points / denominator
            total += contribution or 0.0
            criteria[cp.id] = CriterionScore(
                value, points, cp.max_points, weight, contribution, band, status, seen, trace
            )
        score: float | None = round(total, SCORE_DECIMALS)
        if formula is not None:
            try:
                by_id = {cid: s.points for cid, s in criteria.items()}
                score = round(formula(by_id), SCORE_DECIMALS)
                if not math.isfinite(score):  # 1e300 * 1e300 is inf without an error
                    raise OverflowError
            except (ArithmeticError, ValueError) as exc:
                score = None
                flags.append(Flag("formula", None, _math_reason(exc)))
        advice = _recommend(rules, group.facts, score, criteria) if rules else None
        shown = _shown_name(group, plan.aliases.get(key))
        scored.append(_Scored(shown, key, group, score, criteria, requesters, tuple(flags), advice))

    # Equal scores: by the tiebreak criteria's raw values (better first, missing last), then
    # by the name as shown (an alias's canonical name).
    tiebreak = [p for p in plans if p.id in config.tiebreak]
    tiebreak.sort(key=lambda p: config.tiebreak.index(p.id))
    for s in scored:
        s.tiekey = tuple(_tiekey(p.scorer, s.criteria[p.id].value) for p in tiebreak)
    # The order among equal scores does not depend on the weights: the what-if report re-sorts
    # by score and this position, and shares a rank where the tiebreak keys are equal.
    by_tie = sorted(scored, key=lambda s: (s.tiekey, s.shown.casefold()))
    group = 0
    for position, s in enumerate(by_tie):
        if position and s.tiekey != by_tie[position - 1].tiekey:
            group = position
        s.tie_order, s.tie_group = position, group
    # By score, then by that position (the same order as by tiekey and name, both sorts being
    # stable: it is their order).
    scored.sort(key=lambda s: (s.score is None, -(s.score or 0.0), s.tie_order))
    return Ranking(
        items=_ranked(scored, [p.id for p in tiebreak]),
        criteria=tuple(config.criteria),
        requester_fields=tuple(plan.fields),
        inputs=tuple(grouped.inputs),
        errors=tuple(sorted(errors, key=Finding.sort_key)),
        unbound=tuple(_unbound(grouped, config)),
        formula=config.formula,
        has_rules=bool(config.recommend),
        denominator=denominator,
        tiebreak=tuple(config.tiebreak),
        warnings=tuple(grouped.warnings),
        as_of=as_of,
        dated=bool(config.latest_by or "date" in config.field_kinds().values()),
    )


def tiebreak_key(
    criteria: Sequence[Criterion], values: Mapping[str, Any]
) -> tuple[tuple[float, ...], ...]:
    """The sort key of an item's tiebreak criteria's raw values: better first, no value last."""
    return tuple(_tiekey(c.scorer, values.get(c.id)) for c in criteria)


def _tiekey(scorer: Scorer, value: Any) -> tuple[float, ...]:
    if value is None:
        return (1.0,)
    return (0.0, *(-m for m in scorer.merit(value)))


def _ranked(scored: list[_Scored], tiebreak: list[str]) -> tuple[RankedItem, ...]:
    """Ranks over items sorted by score and tiebreak: equal on both share a rank (1, 2, 2, 4);
    an item the tiebreak put below an equal score names the criterion that did it."""
    ranked: list[RankedItem] = []
    previous: _Scored | None = None
    rank = 0
    for position, s in enumerate(scored, 1):
        decided_by = None
        if previous is None or s.score != previous.score:
            rank = position
        elif s.tiekey != previous.tiekey:
            rank = position
            decided_by = next(
                cid
                for cid, mine, theirs in zip(tiebreak, s.tiekey, previous.tiekey, strict=True)
                if mine != theirs
            )
        previous = s
        spellings = s.group.spellings.items()
        if len(spellings) > 1:
            spellings = sorted(spellings, key=lambda kv: -kv[1])  # type: ignore[assignment]
        group = s.group
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
                decided_by,
                s.tie_order,
                s.tie_group,
                group.facts,
            )
        )
    return tuple(ranked)


def _missing_columns(grouped: Grouped, config: ScoringConfig) -> list[Finding]:
    """A criterion's field that no input has."""
    source = grouped.first_source or "<input>"
    needed_by: dict[str, list[str]] = {}
    for c in config.criteria:
        if c.field and c.field not in grouped.found_fields:
            needed_by.setdefault(c.field, []).append(c.id)
    return [
        Finding(
            source,
            1,
            MISSING_COLUMN,
            f"no '{config.column_for(f)}' column (needed by {', '.join(ids)})",
        )
        for f, ids in needed_by.items()
    ]


def _unbound(grouped: Grouped, config: ScoringConfig) -> list[tuple[str, str]]:
    """Optional fields that no input has, and why that matters."""
    unbound = [
        (f, f"no '{config.column_for(f)}' column")
        for f in sorted(grouped.plan.optional)
        if f not in grouped.found_fields
    ]
    per_requester = any(c.aggregate != "value" for c in config.criteria)
    if per_requester and not grouped.has_account and grouped.inputs:
        unbound.append(
            ("account", f"no '{config.column_for('account')}' column: each row is a requester")
        )
    return unbound


def _math_reason(exc: Exception) -> str:
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, OverflowError):
        return "number too large"
    return str(exc) or type(exc).__name__


CompiledRule = tuple[RecommendRule, list[tuple[str, Any, bool]]]  # (key, test, on points)


def _compile_rules(
    rules: list[RecommendRule] | None, ids: set[str], as_of: int
) -> list[CompiledRule]:
    compiled = []
    for rule in rules or []:
        conditions = []
        for key, condition in (rule.when or {}).items():
            on_points = key == "score" or key in ids
            test = condition if on_points else compile_condition(condition, as_of)
            conditions.append((key, test, on_points))
        compiled.append((rule, conditions))
    return compiled


def _recommend(
    rules: list[CompiledRule],
    facts: dict[str, Any],
    score: float | None,
    criteria: dict[str, CriterionScore],
) -> Advice | None:
    """The first rule whose conditions all hold."""
    for number, (rule, conditions) in enumerate(rules, 1):
        reasons = []
        for key, test, on_points in conditions:
            if on_points:
                value = score if key == "score" else criteria[key].points
                if not test.holds(value):
                    break
                shown = "score" if key == "score" else f"{key} points"
                reasons.append(f"{shown} {_threshold_text(test, value)}")
            else:
                value = facts.get(key)
                if not test(value):
                    break
                reasons.append(f"{key} is {_fact_text(value)}")
        else:
            return Advice(rule.then, rule.because, number, "; ".join(reasons) or "default rule")
    return None


def _fact_text(value: Any) -> str:
    if value.__class__ is int:  # a date's day number
        return show_day(value)
    return repr(value)


def _threshold_text(t: Threshold, value: float | None) -> str:
    parts = []
    if t.at_least is not None:
        parts.append(f"≥ {format_number(t.at_least)}")
    if t.below is not None:
        parts.append(f"< {format_number(t.below)}")
    return f"{format_number(value or 0.0)} {' and '.join(parts)}"


def _shown_name(group: Group, canonical: str | None = None) -> str:
    """The alias's canonical name, else the most frequent spelling (first seen on a tie)."""
    if canonical:
        return canonical
    if len(group.spellings) == 1:
        return next(iter(group.spellings))
    return max(group.spellings.items(), key=lambda kv: kv[1])[0]  # max keeps the first on a tie


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
    s, p = min(known, key=lambda t: t[1].points)
    return s.value, p.points, p.label, "conflict", seen
