"""`intscore plan`: what to build and what to buy with the hours there are — the optimal plan
(`engine.planning`), what it leaves out and how many hours each would need, the gain over the
greedy plan (the ranking's top until the hours run out), and with `--vary` the share of
sensitivity runs whose plan includes each integration. Pure: a ranking in, a plan out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..engine.plan_program import Candidate, Offer, optimal
from ..engine.planning import Costed, Made, PlanError, make, setup
from ..engine.ranking import Ranking
from ..model.compiled import Model
from ..model.compiled_plan import Buy
from ..problems import IntscoreError
from .sensitivity import Perturbation, run_scores

__all__ = ["Bought", "LeftOut", "PlanResult", "plan", "vary_plan"]


@dataclass(frozen=True)
class Bought:
    """A buy option the plan takes, and the integrations it covers (in rank order)."""

    option: Buy
    covers: tuple[Costed, ...]


@dataclass(frozen=True)
class LeftOut:
    """An integration the plan leaves out: the hours it would need (None: no build hours),
    how many more than are left, and the buy option that would cover it, if any."""

    costed: Costed
    needs: float | None
    short: float | None
    option: Buy | None


@dataclass(frozen=True)
class PlanResult:
    """A plan, ready to show."""

    made: Made
    built: tuple[Costed, ...]
    bought: tuple[Bought, ...]
    left_out: tuple[LeftOut, ...]
    never: tuple[Costed, ...]
    value: float  # covered by the plan
    total: float  # of every integration
    hours_used: float
    hours_left: float
    greedy_value: float
    greedy_hours: float
    greedy_built: tuple[Costed, ...]
    shares: tuple[float, ...] | None = None  # per integration (ranking order), with --vary
    vary: Perturbation | None = None

    @property
    def gain(self) -> float:
        """The value the plan covers beyond the greedy plan's."""
        return self.value - self.greedy_value


def plan(
    ranking: Ranking, model: Model, capacity: float | None = None, years: float | None = None
) -> PlanResult:
    """The plan of a ranking (capacity and horizon from the config unless given); PlanError
    when it cannot be made."""
    _columns_there(ranking, model)
    made = make(setup(ranking.items, model, capacity, years))
    s, choice = made.setup, made.choice
    costed = s.costed
    built = tuple(costed[n] for n in sorted(choice.built))
    bought = tuple(
        Bought(
            s.offers[b],
            tuple(c for n, c in enumerate(costed) if b in c.covers and n in choice.covered),
        )
        for b in choice.bought
    )
    left = s.capacity - choice.hours
    left_out = []
    for n, c in enumerate(costed):
        if n in choice.covered or c.never:
            continue
        option = s.offers[c.covers[0]] if c.covers else None
        short = None if c.hours is None else max(c.hours - max(left, 0.0), 0.0)
        left_out.append(LeftOut(c, c.hours, short, option))
    return PlanResult(
        made=made,
        built=built,
        bought=bought,
        left_out=tuple(left_out),
        never=tuple(c for c in costed if c.never),
        value=choice.value,
        total=sum(c.value for c in costed if not c.never),
        hours_used=choice.hours,
        hours_left=left,
        greedy_value=made.greedy.value,
        greedy_hours=made.greedy.hours,
        greedy_built=tuple(costed[n] for n in sorted(made.greedy.built)),
    )


def _columns_there(ranking: Ranking, model: Model) -> None:
    """PlanError when no input has the column the plan reads its hours from (a typo in
    `plan.build` would otherwise leave every integration without build hours)."""
    plan = model.plan
    if plan is None:
        return
    missing = {name for name, _ in ranking.unbound}
    upkeep = plan.upkeep.field if plan.upkeep else None
    for key, name in (("build", plan.build.field), ("upkeep", upkeep)):
        if name is not None and name in missing:
            raise PlanError(
                f"no input has a '{model.column_for(name)}' column to read hours from",
                ("plan", key),
            )


def vary_plan(result: PlanResult, ranking: Ranking, how: Perturbation) -> PlanResult:
    """The plan again under each sensitivity run's scores (the same runs `sensitivity`
    draws): the share of runs whose plan covers each integration."""
    s = result.made.setup
    if any(c.value != (c.item.score or 0.0) for c in s.costed):
        raise IntscoreError("plan --vary varies scores: it needs `plan.value: score`")
    counts = [0] * len(s.costed)
    offers = [Offer(b.name, b.hours) for b in s.offers]
    runs = 0
    for scores in run_scores(ranking, how):
        runs += 1
        candidates = _candidates(s.costed, scores)
        try:
            choice = optimal(candidates, offers, s.capacity)
        except Exception as exc:  # the must items fit at the config's weights: they still do
            raise PlanError(str(exc)) from None
        for n in choice.covered:
            counts[n] += 1
    shares = tuple(count / max(runs, 1) for count in counts)
    return replace(result, shares=shares, vary=how)


def _candidates(costed: Sequence[Costed], scores: Sequence[float]) -> list[Candidate]:
    return [
        Candidate(n, score, c.hours, c.covers, c.must)
        for n, (c, score) in enumerate(zip(costed, scores, strict=True))
        if not c.never
    ]
