"""What a plan sees of a ranking — each integration's value, its build and upkeep hours over
the horizon, its category and the buy options that cover it, `must` and `never` — and the
plan made of it (`plan_program`): for `intscore plan`, and for recommendation rules that test
`plan` (which `rank` then answers after ranking).

Build and upkeep hours are integration attributes, read like a criterion's with `aggregate:
value`: every distinct value of the integration's rows, each with the row it came from. A
value that is not a duration is a finding with its line; rows that disagree are a finding and
the plan counts the most hours; an integration with no build hours cannot be built (a buy
option may still cover it) and is reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..matching import name_key
from ..model.categorize import Categorizer
from ..model.compiled import Model
from ..model.compiled_plan import BOUGHT, BUILT, LEFT_OUT, Buy, read_hours
from ..model.durations import NotADuration, hours_text
from ..numbers import format_number
from ..problems import (
    INFEASIBLE_PLAN,
    INVALID_VALUE,
    NO_BUILD_HOURS,
    Finding,
    IntscoreError,
)
from .advice import Rules
from .plan_program import Candidate, Choice, Offer, PlanInfeasible, greedy, optimal
from .ranking import RankedItem, SeenValue

__all__ = ["Costed", "Made", "PlanError", "Setup", "advise_with_plan", "make", "setup"]


class PlanError(IntscoreError):
    """A plan that cannot be made: `loc` is where in scoring.yaml (`("plan", "must")`)."""

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()):
        super().__init__(Finding("", None, INFEASIBLE_PLAN, message, _path(loc) or None))
        self.message = message
        self.loc = loc


def _path(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in loc).lstrip(".")


@dataclass(frozen=True)
class Costed:
    """An integration as the plan sees it: what it is worth, what it costs (None: no build
    hours), its category and the buy options (by position) that cover it."""

    item: RankedItem
    value: float
    build: float | None
    upkeep: float  # hours a year
    hours: float | None  # build + upkeep over the horizon
    category: str | None
    covers: tuple[int, ...]
    must: bool = False
    never: bool = False


@dataclass(frozen=True)
class Setup:
    """A plan's problem: the integrations, the buy options, the hours, and what was found on
    the way (`findings`: in the data; `notes`: (where in scoring.yaml, message))."""

    costed: tuple[Costed, ...]
    offers: tuple[Buy, ...]
    capacity: float
    years: float
    findings: tuple[Finding, ...] = ()
    notes: tuple[tuple[tuple[str | int, ...], str], ...] = ()


@dataclass(frozen=True)
class Made:
    """The optimal plan and the greedy one (the ranking's top until the hours run out)."""

    setup: Setup
    choice: Choice
    greedy: Choice

    def state(self, n: int) -> str:
        """built, bought or left out: the n-th integration of the setup."""
        if n in self.choice.built:
            return BUILT
        return BOUGHT if n in self.choice.covered else LEFT_OUT


def setup(
    items: Sequence[RankedItem],
    model: Model,
    capacity: float | None = None,
    years: float | None = None,
) -> Setup:
    """The plan's problem for a ranking's items (`capacity` and `years` override the
    config's); PlanError when there is no capacity or `must`/`never` name no integration."""
    plan = model.plan
    if plan is None:
        raise PlanError("no `plan:` in the config: add plan.build (and plan.capacity)")
    hours = plan.capacity if capacity is None else capacity
    if hours is None:
        raise PlanError("no capacity: give plan.capacity or --capacity (e.g. 1600h)", ("plan",))
    years = plan.years if years is None else years
    by_key = {item.key: n for n, item in enumerate(items)}
    listed = {"must": _named(plan.must, "must", model, by_key, items)}
    listed["never"] = _named(plan.never, "never", model, by_key, items)
    categorizer = Categorizer(model)
    findings: list[Finding] = []
    costed = []
    for n, item in enumerate(items):
        value = _value(item, plan.value)
        build = _hours_of(item, plan.build.field, plan.build.hours, findings, "build")
        upkeep = 0.0
        if build is not None and plan.upkeep is not None:
            field = plan.upkeep.field
            if field is None:
                upkeep = plan.upkeep.per_year(build)
            else:
                upkeep = _hours_of(item, field, read_hours, findings, "upkeep") or 0.0
        category = categorizer.of(
            item.key, (item.integration, *(s for s, _ in item.spellings)), item.facts
        )
        costed.append(
            Costed(
                item,
                value,
                build,
                upkeep,
                None if build is None else build + upkeep * years,
                category,
                categorizer.covering(category),
                n in listed["must"],
                n in listed["never"],
            )
        )
    notes = list(_unused_options(model, costed))
    unbuilt = [c.item.integration for c in costed if c.build is None and not c.never]
    if unbuilt:
        field = model.column_for(plan.build.field)
        shown = ", ".join(unbuilt[:5]) + (
            f" and {len(unbuilt) - 5} more" if len(unbuilt) > 5 else ""
        )
        message = f"no build hours ('{field}') for {shown}: not built unless bought"
        findings.append(
            Finding(
                items[0].file if items else "", None, NO_BUILD_HOURS, message, severity="warning"
            )
        )
    return Setup(tuple(costed), model.buy, hours, years, tuple(findings), tuple(notes))


def _named(
    names: Sequence[str],
    which: str,
    model: Model,
    by_key: dict[str, int],
    items: Sequence[RankedItem],
) -> set[int]:
    found = set()
    for i, name in enumerate(names):
        key = name_key(model.alias_keys.get(name_key(name), name))
        if key in by_key:
            found.add(by_key[key])
            continue
        close = difflib.get_close_matches(name, [item.integration for item in items], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise PlanError(f"'{name}' is not an integration of the data{hint}", ("plan", which, i))
    return found


def _value(item: RankedItem, value: str) -> float:
    if value == "score":
        return item.score or 0.0
    raw = item.criteria[value].value
    return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else 0.0


def _hours_of(
    item: RankedItem, field: str, read: Any, findings: list[Finding], what: str
) -> float | None:
    """An integration's hours from one of its attributes: the most that its rows give."""
    seen: tuple[SeenValue, ...] = item.attributes.get(field, ())
    found: list[tuple[float, SeenValue]] = []
    for s in seen:
        try:
            hours = read(s.value)
        except NotADuration as exc:
            findings.append(Finding(s.file, s.line, INVALID_VALUE, str(exc), field))
            continue
        if hours is None:
            message = (
                f"{s.value!r} is not in plan.build.map: no build hours for '{item.integration}'"
            )
            findings.append(Finding(s.file, s.line, NO_BUILD_HOURS, message, field, "warning"))
            continue
        found.append((hours, s))
    if len({h for h, _ in found}) > 1:
        shown = ", ".join(f"{hours_text(h)} (line {s.line})" for h, s in found)
        message = (
            f"rows of '{item.integration}' give {what} hours {shown}: the plan counts the most"
        )
        findings.append(
            Finding(found[0][1].file, found[0][1].line, NO_BUILD_HOURS, message, field, "warning")
        )
    return max((h for h, _ in found), default=None)


def _unused_options(model: Model, costed: Sequence[Costed]):  # type: ignore[no-untyped-def]
    """A buy option for a category no requested integration is in: (where, message)."""
    used = {b for c in costed for b in c.covers}
    for n, option in enumerate(model.buy):
        if n not in used:
            yield (
                ("buy", n, "category"),
                f"no requested integration is in '{option.category}': "
                f"'{option.name}' covers nothing",
            )


def make(s: Setup) -> Made:
    """The optimal plan of a setup and the greedy one; PlanError when the `must`
    integrations do not fit."""
    candidates = [
        Candidate(n, c.value, c.hours, c.covers, c.must)
        for n, c in enumerate(s.costed)
        if not c.never
    ]
    offers = [Offer(b.name, b.hours) for b in s.offers]
    try:
        choice = optimal(candidates, offers, s.capacity)
    except PlanInfeasible as exc:
        raise PlanError(_infeasible_message(s, exc), ("plan", "must")) from None
    return Made(s, choice, greedy(candidates, s.capacity))


def _infeasible_message(s: Setup, exc: PlanInfeasible) -> str:
    musts = [c for c in s.costed if c.must]
    if exc.stranded:
        names = ", ".join(s.costed[n].item.integration for n in exc.stranded)
        return f"{names}: no build hours and no buy option covers it, so it cannot be planned"
    parts = ", ".join(
        f"{c.item.integration} ({'no build hours' if c.hours is None else _h(c.hours)})"
        for c in musts
    )
    needed = _h(exc.needed or 0.0)
    capacity = _h(s.capacity)
    return f"the must items need at least {needed}, more than the capacity of {capacity}: {parts}"


def _h(hours: float) -> str:
    return f"{format_number(hours)} h"


def advise_with_plan(items: Sequence[RankedItem], model: Model, rules: Rules) -> list[Finding]:
    """Recommendations that test `plan`: each item's state in the plan of these items at the
    config's weights, then the first rule that holds. The problems that stop the plan."""
    try:
        made = make(setup(items, model))
    except IntscoreError as exc:
        return [
            Finding(
                f.file,
                f.line,
                INFEASIBLE_PLAN,
                f"{f.message} (the recommendations test the plan)",
                f.field,
            )
            for f in exc.findings
        ]
    for n, item in enumerate(items):
        item.facts = {**item.facts, "plan": made.state(n)}
        item.recommendation = rules.advise(item.facts, item.score, item.criteria)
    return []
