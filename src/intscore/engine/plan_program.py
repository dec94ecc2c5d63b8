"""The optimal plan, as an exact 0/1 integer program solved by HiGHS (`milp`), and the greedy
plan a person makes by hand, to compare it with. Pure numbers in, a choice out.

Each candidate integration is worth a value and costs hours to build (its build and upkeep over
the horizon; none when it has no estimate: it cannot be built). A buy option costs its hours
and covers every candidate of its category at once, at no hours of their own. A plan covers a
candidate by building it or by buying an option that covers it; `must` candidates are
covered, and the hours spent stay within the capacity. Of all such plans, the chosen one:

1. covers the most value (values within a ten-millionth of the largest value are equal);
2. of those, spends the fewest hours (a millionth of an hour is nothing);
3. of those, covers the candidates highest in the ranking: compared candidate by candidate
   from the top of the ranking, the first difference decides, for the plan that covers it;
4. of those, buys the options listed first (the smallest Σ 2^position over what it buys).

A candidate worth nothing (a value of 0 or less) is never built unless it is a `must`: it adds
no value, and hours spent on it are wasted (a purchase still covers it with its category).

Candidates alike in value, hours, cover and `must` are one class of the program (an integer
count, not a 0/1 column each): a class's covered candidates are always its highest ranked, and
the program stays small however many candidates share a few values and estimates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..milp import Infeasible

__all__ = ["Candidate", "Choice", "Offer", "PlanInfeasible", "greedy", "optimal"]

VALUE_TOLERANCE = 1e-7  # of the largest value: plans closer than this are equal in value
HOURS_TOLERANCE = 1e-6  # hours


@dataclass(frozen=True, slots=True)
class Candidate:
    """One integration the plan may cover. `index`: its position in the ranking (0 is the
    top); `hours`: to build it and keep it up over the horizon, None when it cannot be built;
    `covers`: the offers (by position) that cover it; `must`: it has to be covered."""

    index: int
    value: float
    hours: float | None
    covers: tuple[int, ...] = ()
    must: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    """A way to buy a whole category at once: its name and hours."""

    name: str
    hours: float


@dataclass(frozen=True)
class Choice:
    """A plan: the candidates it builds, the offers it buys, what it covers, its value and
    hours."""

    built: frozenset[int]
    bought: tuple[int, ...]
    covered: frozenset[int]
    value: float
    hours: float


class PlanInfeasible(Exception):
    """The `must` candidates cannot all be covered within the capacity: `needed` is the
    fewest hours that covers them (None: some cannot be covered at all), `stranded` those
    that no build or offer can cover."""

    def __init__(self, needed: float | None, stranded: tuple[int, ...] = ()):
        super().__init__("the must candidates cannot be covered")
        self.needed = needed
        self.stranded = stranded


@dataclass
class _Class:
    value: float
    hours: float | None
    covers: tuple[int, ...]
    must: bool
    members: list[int]  # candidate indices, highest ranked first


def _classes(candidates: Sequence[Candidate]) -> list[_Class]:
    found: dict[tuple[object, ...], _Class] = {}
    for c in sorted(candidates, key=lambda c: c.index):
        key = (c.value, c.hours, c.covers, c.must)
        if key not in found:
            found[key] = _Class(c.value, c.hours, c.covers, c.must, [])
        found[key].members.append(c.index)
    return list(found.values())


def _buildable(k: _Class) -> bool:
    return k.hours is not None and (k.value > 0 or k.must)


def _value_scale(classes: Sequence[_Class]) -> float:
    return max((abs(k.value) for k in classes), default=0.0) or 1.0


class _Model:
    """The program's columns: per class, how many it covers (w) and builds (x); per offer,
    whether it is bought (y)."""

    def __init__(self, classes: list[_Class], offers: Sequence[Offer], capacity: float | None):
        from ..milp import Program

        self.classes, self.offers = classes, offers
        self.program = p = Program()
        scale = _value_scale(classes)
        self.w = [p.column(k.value / scale, 0, len(k.members)) for k in classes]
        for k, column in zip(classes, self.w, strict=True):
            if k.must:
                p.lower[column] = len(k.members)
        self.x = [p.column(0.0, 0, len(k.members) if _buildable(k) else 0) for k in classes]
        self.y = [p.column(0.0, 0, 1) for _ in offers]
        for k, w, x in zip(classes, self.w, self.x, strict=True):
            m = len(k.members)
            terms = {w: 1.0, x: -1.0}
            for b in k.covers:
                terms[self.y[b]] = -m
                p.row({w: 1.0, self.y[b]: -m}, low=0.0)  # bought: every member covered
            p.row(terms, high=0.0)  # covered only if built or bought
        if capacity is not None:
            p.row(self.hours_terms(), high=capacity + HOURS_TOLERANCE)

    def hours_terms(self) -> dict[int, float]:
        terms = {x: k.hours or 0.0 for k, x in zip(self.classes, self.x, strict=True)}
        terms.update({y: o.hours for o, y in zip(self.offers, self.y, strict=True)})
        return terms

    def value_terms(self) -> dict[int, float]:
        scale = _value_scale(self.classes)
        return {w: k.value / scale for k, w in zip(self.classes, self.w, strict=True)}

    def objective(self, terms: dict[int, float], maximize: bool) -> None:
        p = self.program
        p.maximize = maximize
        p.costs = [0.0] * len(p.costs)
        for column, cost in terms.items():
            p.costs[column] = cost

    def solve(self, start: Sequence[float] | None = None) -> list[float]:
        from ..milp import solve

        return solve(self.program, start)


def _value_of(classes: Sequence[_Class], counts: Sequence[float]) -> float:
    return math.fsum(k.value * n for k, n in zip(classes, counts, strict=True))


def optimal(candidates: Sequence[Candidate], offers: Sequence[Offer], capacity: float) -> Choice:
    """The best plan by the rules above; PlanInfeasible when the `must` candidates do not
    fit."""
    classes = _classes(candidates)
    model = _Model(classes, offers, capacity)
    model.objective(model.value_terms(), maximize=True)
    try:
        solution = model.solve()
    except Infeasible:
        raise _infeasible(classes, offers) from None
    best = _value_of(classes, [solution[c] for c in model.w])
    # 2. the fewest hours at that value (values are scaled to at most 1 in the program)
    model.program.row(model.value_terms(), low=best / _value_scale(classes) - VALUE_TOLERANCE)
    model.objective(model.hours_terms(), maximize=False)
    solution = model.solve(solution)
    model.program.row(model.hours_terms(), high=_hours_of(model, solution) + HOURS_TOLERANCE)
    # 3. the candidates highest in the ranking, among plans of that value and hours
    w = [solution[c] for c in model.w]
    while True:
        better = _lift(model, w, solution)
        if better is None:
            break
        w = better
    # 4. the offers listed first
    y = [solution[c] for c in model.y]
    if offers:
        for column, count in zip(model.w, w, strict=True):
            model.program.lower[column] = model.program.upper[column] = count
        model.objective({yb: 2.0**b for b, yb in enumerate(model.y)}, maximize=False)
        solution = model.solve(solution)
        y = [solution[c] for c in model.y]
    return _choice(classes, offers, w, y)


def _hours_of(model: _Model, solution: Sequence[float]) -> float:
    terms = model.hours_terms()
    return math.fsum(coefficient * solution[column] for column, coefficient in terms.items())


def _lift(model: _Model, w: list[float], start: list[float]) -> list[float] | None:
    """A plan as good (value, hours) that covers a candidate higher in the ranking than the
    first one `w` leaves out that it could cover, keeping every covered candidate above it;
    the one whose first gain is highest. None: `w` is the highest already."""
    from ..milp import Program

    classes = model.classes
    base = model.program
    p = Program(False, list(base.costs), list(base.lower), list(base.upper), list(base.integer))
    p.rows = list(base.rows)
    p.costs = [0.0] * len(p.costs)
    p.maximize = True
    last = max((m for k in classes for m in k.members), default=0) + 1
    # u: the first gain is class k's next member (its witness)
    witnesses: list[tuple[int, int, int]] = []  # (position of the witness, class, column u)
    for n, (k, count) in enumerate(zip(classes, w, strict=True)):
        if count < len(k.members):
            position = k.members[int(count)]
            witnesses.append((position, n, p.column(last - position, 0, 1)))
    if not witnesses:
        return None
    p.row({u: 1.0 for _, _, u in witnesses}, high=1.0)
    # g_i (i covered now): whether the first gain lies below candidate i, which must then stay
    covered = sorted(
        (
            (m, n)
            for n, (k, count) in enumerate(zip(classes, w, strict=True))
            for m in k.members[: int(count)]
        ),
        reverse=True,
    )
    witnesses.sort(reverse=True)
    previous = None
    at = 0
    keep: dict[int, dict[int, float]] = {n: {} for n in range(len(classes))}
    for position, n in covered:
        g = p.column(0.0, 0, 1, integer=False)
        terms: dict[int, float] = {g: 1.0}
        if previous is not None:
            terms[previous] = -1.0
        while at < len(witnesses) and witnesses[at][0] > position:
            terms[witnesses[at][2]] = -1.0
            at += 1
        p.row(terms, low=0.0, high=0.0)
        previous = g
        keep[n][g] = keep[n].get(g, 0.0) - 1.0
    for _, n, u in witnesses:
        keep[n][u] = keep[n].get(u, 0.0) - 1.0
    for n, terms in keep.items():
        if terms:
            p.row({model.w[n]: 1.0, **terms}, low=0.0)
    from ..milp import solve

    solution = solve(p, start)
    if all(solution[u] < 0.5 for _, _, u in witnesses):
        return None
    start[:] = solution[: len(start)]
    return [solution[c] for c in model.w]


def _choice(
    classes: Sequence[_Class], offers: Sequence[Offer], w: Sequence[float], y: Sequence[float]
) -> Choice:
    bought = tuple(b for b, chosen in enumerate(y) if chosen > 0.5)
    built: set[int] = set()
    covered: set[int] = set()
    values = []
    hours = [offers[b].hours for b in bought]
    for k, count in zip(classes, w, strict=True):
        members = k.members[: int(count)]
        covered.update(members)
        values += [k.value] * len(members)
        if not any(b in bought for b in k.covers):
            built.update(members)
            hours += [k.hours or 0.0] * len(members)
    return Choice(frozenset(built), bought, frozenset(covered), math.fsum(values), math.fsum(hours))


def _infeasible(classes: list[_Class], offers: Sequence[Offer]) -> PlanInfeasible:
    """Why the `must` candidates do not fit: the fewest hours that cover them all, or those
    that nothing can cover."""
    stranded = tuple(
        m for k in classes if k.must and k.hours is None and not k.covers for m in k.members
    )
    if stranded:
        return PlanInfeasible(None, stranded)
    model = _Model(classes, offers, None)
    model.objective(model.hours_terms(), maximize=False)
    try:
        solution = model.solve()
    except Infeasible:  # pragma: no cover - every must is buildable or bought by now
        return PlanInfeasible(None)
    return PlanInfeasible(_hours_of(model, solution))


def greedy(candidates: Sequence[Candidate], capacity: float) -> Choice:
    """The plan a person makes by hand: the `must` candidates, then down the ranking, each
    one built whose hours fit in what is left (no buying)."""
    left = capacity
    built: list[int] = []
    values: list[float] = []
    spent: list[float] = []
    order = sorted(candidates, key=lambda c: (not c.must, c.index))
    for c in order:
        if c.hours is not None and c.hours <= left + HOURS_TOLERANCE:
            left -= c.hours
            built.append(c.index)
            values.append(c.value)
            spent.append(c.hours)
    chosen = frozenset(built)
    return Choice(chosen, (), chosen, math.fsum(values), math.fsum(spent))
