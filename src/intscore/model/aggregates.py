"""What a criterion over requesters makes of them, written once: which requesters count (the
segment, `where`), what each brings (its value; for `count`, its weight: `row_weight` × decay),
and the aggregate of those amounts — for all of an integration's requesters (the ranking), for
all but one (`explain`'s costliest requester), and for a bootstrap resample (`sensitivity`).

A criterion `over: requests` runs over every request instead (a row, or a split part: each
deal of an account, not the account's latest): the same functions take the requests' rows,
and to leave out or resample a requester they leave out or repeat all of its requests
(`owners`: the requester of each request).

Requesters reach this module as rows of values in the order of `Binding.fields` (the row
pass's requester fields), optionally with counts (the DuckDB pass sends each distinct row of
values once, with how many requesters have it): the same functions serve both engines.

The aggregate of amounts: `count` sums them (weights), `sum` and `mean` by `math.fsum`, `min`,
`max`. No amount at all is "no value" (None), except for a `count` (0) and for a `sum` over a
segment when some requester has a value outside it: an emptied segment sums to a real 0.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import is_not, itemgetter
from typing import Any, NamedTuple

from .compiled import Criterion
from .conditions import field_test

__all__ = ["Amounts", "Binding", "Counted", "Removal", "aggregate", "resampled_aggregates"]

Values = Sequence[Any]  # one requester's values, in the order of Binding.fields


def aggregate(
    kind: str, amounts: Sequence[float], counts: Sequence[int] | None, empty: float | None
) -> float | None:
    """The aggregate of the amounts (each `counts[i]` times, when given); `empty` when there
    are none."""
    if not amounts:
        return empty
    if kind == "min":
        return min(amounts)
    if kind == "max":
        return max(amounts)
    if counts is None:
        total = math.fsum(amounts)
        k = len(amounts)
    else:
        total = math.fsum(chain.from_iterable(map(repeat, amounts, counts)))
        k = sum(counts)
    return total / k if kind == "mean" else total


class Counted(NamedTuple):
    """One criterion's requesters as the DuckDB pass counts them: the distinct values its
    aggregate needs (of its field; for a `count`, of its row weight's field), how many
    requesters in the segment have each, with decay the day of each (parallel to the values),
    and how many requesters (in the segment or not) have a value of the field."""

    values: list[Any]
    counts: list[int]
    days: list[Any] | None
    with_value: int


@dataclass(frozen=True, slots=True)
class Amounts:
    """A criterion's requesters as its aggregate sees them: those that count (in the segment,
    with a value), what each brings (None: 1 each, a plain count), for a weighted `count` the
    row-weight key each matched, and how many requesters have a value of the field at all."""

    counted: Sequence[int]  # positions among the requesters given
    amounts: Sequence[float] | None
    weighed_by: Sequence[Any] | None
    with_value: int


class Binding:
    """A criterion bound to the requester fields and the day ages count to."""

    def __init__(
        self,
        criterion: Criterion,
        fields: Sequence[str],
        as_of: int,
        aliases: Mapping[str, str] | None = None,
    ):
        index = {f: j for j, f in enumerate(fields)}
        self.criterion = criterion
        self.kind = criterion.aggregate
        self.field = index[criterion.field] if criterion.field else None
        where = (criterion.where or {}).items()
        self.where = [(index[w], field_test(w, c, as_of, aliases or {})) for w, c in where]
        rw = criterion.row_weight
        self.row_weight = None if rw is None else (index[rw.field], rw)
        decay = rw.decay if rw else None
        self.decay = None if decay is None else (index[decay.field], decay.days, as_of)

    def empty_given(self, with_value: int) -> float | None:
        """The aggregate of no amount: 0 for a count, 0 for a segmented sum when some
        requester has a value of the field (outside the segment), else no value."""
        if self.kind == "count":
            return 0.0
        return 0.0 if self.kind == "sum" and self.where and with_value else None

    def amounts(self, rows: Sequence[Values]) -> Amounts:
        """Which of these requesters count and what each brings (C-level maps: this runs for
        every criterion of every integration)."""
        positions: Sequence[int] = range(len(rows))
        if self.where:
            tests = self.where
            positions = [p for p in positions if all(t(rows[p][j]) for j, t in tests)]
        values: list[Any] = []
        with_value = len(rows)
        if self.field is not None:
            column = list(map(itemgetter(self.field), rows))
            with_value -= column.count(None)
            values = list(map(column.__getitem__, positions)) if self.where else column
            if None in values:
                keep = list(map(is_not, values, repeat(None)))
                positions = list(compress(positions, keep))
                values = list(compress(values, keep))
        if self.kind != "count":
            return Amounts(positions, values, None, with_value)
        if self.row_weight is None and self.decay is None:
            return Amounts(positions, None, None, with_value)
        chosen = rows if positions.__class__ is range else list(map(rows.__getitem__, positions))
        weights, matched = self._weights(chosen)
        return Amounts(positions, weights, matched, with_value)

    def value(self, found: Amounts) -> float | None:
        """The aggregate of the amounts a set of requesters brings."""
        amounts = [1.0] * len(found.counted) if found.amounts is None else found.amounts
        return aggregate(self.kind, amounts, None, self.empty_given(found.with_value))

    def value_counted(self, counted: Counted) -> float | None:
        """The aggregate of requesters counted by value (the DuckDB pass): the same amounts,
        each as many times as requesters have it."""
        values, counts, days, with_value = counted
        if self.kind == "count":
            if self.row_weight is None:
                values = [1.0] * len(values)
            else:
                values = [self.row_weight[1].weigh(value)[1] for value in values]
                if self.decay is not None:
                    values = list(map(operator.mul, values, self.decay_factors(days or [])))
        return aggregate(self.kind, values, counts, self.empty_given(with_value))

    def _valued(self, row: Values) -> bool:
        return self.field is None or row[self.field] is not None

    def _weights(self, chosen: Sequence[Values]) -> tuple[list[float], list[Any]]:
        """Each requester's weight (row weight × decay) and the row-weight key it matched."""
        if self.row_weight is None:
            weights = [1.0] * len(chosen)
            matched: list[Any] = [None] * len(chosen)
        else:
            j, rw = self.row_weight
            cells = list(map(itemgetter(j), chosen))
            # One lookup per distinct text. Only text: in YAML, 1 and true are equal dict keys.
            distinct = set(cells)
            if all(v is None or v.__class__ is str for v in distinct):
                answers = {v: rw.weigh(v) for v in distinct}
                matched = list(map({v: a[0] for v, a in answers.items()}.__getitem__, cells))
                weights = list(map({v: a[1] for v, a in answers.items()}.__getitem__, cells))
            else:
                pairs = [rw.weigh(v) for v in cells]
                matched = [key for key, _ in pairs]
                weights = [weight for _, weight in pairs]
        if self.decay is not None:
            days = list(map(itemgetter(self.decay[0]), chosen))
            weights = list(map(operator.mul, weights, self.decay_factors(days)))
        return weights, matched

    def decay_factors(self, days: Sequence[Any]) -> list[float]:
        """0.5 ** (age / half_life) per day, age in whole days to as_of (a future date is age
        0; no date, no decay). One power per distinct day."""
        assert self.decay is not None
        _, half_life, as_of = self.decay
        factor = {
            day: 1.0 if day is None else 0.5 ** (max(as_of - day, 0) / half_life)
            for day in set(days)
        }
        return list(map(factor.__getitem__, days))


class Removal:
    """An aggregate over requesters, ready to answer "and without this one?" in O(1): exact
    sums (the remaining sum is rounded once, as `math.fsum` of the rest would be), the two
    lowest and highest amounts. Over requests (`owners` given: the position of each
    request's requester), without a requester is without all its requests: in time linear in
    their number."""

    def __init__(
        self,
        binding: Binding,
        rows: Sequence[Values],
        value: float | None,
        owners: Sequence[int] | None = None,
    ):
        self.binding = binding
        self.kind = binding.kind
        self.value = value
        found = binding.amounts(rows)
        amounts = [1.0] * len(found.counted) if found.amounts is None else list(found.amounts)
        self.owners = owners
        self.amount: dict[int, list[float]] = {}
        self.valued: dict[int, int] | None = None
        if owners is None:
            self.amount = {p: [a] for p, a in zip(found.counted, amounts, strict=True)}
        else:  # each requester's amounts, and how many of its requests have a value
            for p, a in zip(found.counted, amounts, strict=True):
                self.amount.setdefault(owners[p], []).append(a)
            self.valued = {}
            for p, row in enumerate(rows):
                self.valued[owners[p]] = self.valued.get(owners[p], 0) + binding._valued(row)
            self.ordered = sorted(zip(amounts, [owners[p] for p in found.counted], strict=True))
        self.with_value = found.with_value
        self.partials = _partials(amounts)
        self.k = len(amounts)
        ordered = sorted(amounts)
        self.lowest, self.highest = ordered[:2], ordered[-2:]

    def without(self, position: int, row: Values) -> float | None:
        """The aggregate without the requester at this position (whose values are `row`)."""
        mine = self.amount.get(position)
        valued = self.binding._valued(row) if self.valued is None else self.valued.get(position, 0)
        if mine is None:  # not counted: the segment and its sums are unchanged
            if self.kind == "sum" and self.k == 0:
                return self.binding.empty_given(self.with_value - valued)
            return self.value
        empty = self.binding.empty_given(self.with_value - valued)
        if self.k == len(mine):
            return empty
        if self.kind in ("min", "max"):
            if self.owners is not None:
                return self._extreme_without(position)
            (a,) = mine
            if self.kind == "min":
                return self.lowest[1] if a == self.lowest[0] else self.lowest[0]
            return self.highest[0] if a == self.highest[1] else self.highest[1]
        total = math.fsum([*self.partials, *(-a for a in mine)])
        return total / (self.k - len(mine)) if self.kind == "mean" else total

    def _extreme_without(self, position: int) -> float:
        """The lowest (min) or highest (max) amount of another requester's requests."""
        ordered = self.ordered if self.kind == "min" else reversed(self.ordered)
        return next(a for a, owner in ordered if owner != position)


def resampled_aggregates(
    binding: Binding,
    rows: Sequence[Values],
    draws: Sequence[int],
    resamples: int,
    owners: Sequence[int] | None = None,
    n: int | None = None,
) -> list[float | None]:
    """The aggregate of each bootstrap resample: draws[b*n:(b+1)*n] are the positions of
    resample b's requesters among the n rows (with repeats). Over requests (`owners`: the
    requester of each of the rows, among `n` requesters), a requester drawn brings all its
    requests."""
    if owners is not None:
        return _resampled_requests(binding, rows, draws, resamples, owners, n or 0)
    n = len(rows)
    found = binding.amounts(rows)
    per_row: list[float | None] = [None] * n
    plain = [1.0] * len(found.counted) if found.amounts is None else found.amounts
    for position, amount in zip(found.counted, plain, strict=True):
        per_row[position] = amount
    valued = [binding._valued(row) for row in rows]
    pick: Callable[[Sequence[float]], float] = min if binding.kind == "min" else max
    out: list[float | None] = []
    for b in range(resamples):
        chunk = draws[b * n : (b + 1) * n]
        amounts = [a for a in map(per_row.__getitem__, chunk) if a is not None]
        empty = binding.empty_given(sum(map(valued.__getitem__, chunk)))
        if binding.kind in ("min", "max"):
            out.append(pick(amounts) if amounts else empty)
        else:
            out.append(aggregate(binding.kind, amounts, None, empty))
    return out


def _resampled_requests(
    binding: Binding,
    rows: Sequence[Values],
    draws: Sequence[int],
    resamples: int,
    owners: Sequence[int],
    n: int,
) -> list[float | None]:
    """`resampled_aggregates` over requests: each requester drawn brings every amount of its
    requests (the aggregate is then that of the repeated requests, as ranking them would)."""
    found = binding.amounts(rows)
    plain = [1.0] * len(found.counted) if found.amounts is None else found.amounts
    brings: list[list[float]] = [[] for _ in range(n)]
    for position, amount in zip(found.counted, plain, strict=True):
        brings[owners[position]].append(amount)
    valued = [0] * n
    for position, row in enumerate(rows):
        valued[owners[position]] += binding._valued(row)
    out: list[float | None] = []
    for b in range(resamples):
        chunk = draws[b * n : (b + 1) * n]
        amounts = list(chain.from_iterable(map(brings.__getitem__, chunk)))
        empty = binding.empty_given(sum(map(valued.__getitem__, chunk)))
        out.append(aggregate(binding.kind, amounts, None, empty))
    return out


def _partials(values: Sequence[float]) -> list[float]:
    """Non-overlapping floats whose exact sum is the exact sum of the values (Shewchuk), so
    that `math.fsum([*partials, -a])` is the correctly rounded sum of the others."""
    partials: list[float] = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]
    return partials
