"""The compiled parts of a scoring model that plan: `plan:` (capacity, horizon, what a build
and its upkeep cost, what an integration is worth, must and never), `buy:` (options that
cover a whole category) and `categories:` (from the catalog, a column or a mapping). Plain
frozen objects that check their own invariants, like the rest of the compiled model.

A recommendation rule may test three facts derived from them: `category`, `covered_by` (the
buy option that covers the integration's category) and `plan` (`built`, `bought` or
`left out`; `chosen` stands for built or bought).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as attribute
from typing import TYPE_CHECKING, Any, Literal

from ..matching import CategoryMatcher, name_key
from ..numbers import NotANumber, parse_number
from .compiled import DERIVED_FACTS
from .conditions import Condition, duration_days
from .durations import NotADuration, is_duration, parse_hours
from .errors import ModelError, is_number, require

if TYPE_CHECKING:
    from .compiled import Model, Rule

__all__ = [
    "CHOSEN",
    "DERIVED_FACTS",
    "LEFT_OUT",
    "PLAN_STATES",
    "Build",
    "Buy",
    "Categories",
    "Plan",
    "Upkeep",
    "check_plan",
    "expand_plan_condition",
    "percent_share",
]

BUILT, BOUGHT, LEFT_OUT, CHOSEN = "built", "bought", "left out", "chosen"
PLAN_STATES = (BUILT, BOUGHT, LEFT_OUT)  # what `plan` is for an integration
_PERCENT = re.compile(r"\s*(\d{1,4}(?:\.\d{1,6})?)\s*%\s*")


def percent_share(text: Any) -> float | None:
    """`10%` -> 0.1; None when the value is not a percentage."""
    if not isinstance(text, str) or len(text) > 16:
        return None
    found = _PERCENT.fullmatch(text)
    return None if found is None else float(found[1]) / 100


def read_hours(value: Any) -> float:
    """Hours of work from a cell: a duration (300h, 5d, 2w) or a plain number of hours
    (`300`, `1,200`); NotADuration otherwise."""
    if isinstance(value, str) and not is_duration(value):
        try:
            hours = parse_number(value)
        except NotANumber:
            raise NotADuration(f"{value[:40]!r} is not a duration (like 300h, 5d or 2w)") from None
        return parse_hours(hours)
    return parse_hours(value)


def hours_or_error(value: Any, what: str) -> float:
    """Hours of work from a config value, or ModelError naming what it is."""
    try:
        return parse_hours(value)
    except NotADuration as exc:
        raise ModelError(f"{what}: {exc}") from None


@dataclass(frozen=True)
class Build:
    """What building an integration costs: hours read from a field (an integration attribute)
    that holds them, or looked up in `map` by the field's value (`{from: difficulty, map:
    {1: 40h, ...}}`)."""

    field: str
    map: Mapping[str, float] | None = None  # the field's value -> hours
    matcher: CategoryMatcher | None = attribute(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        require(bool(self.field), "plan.build needs a field")
        if self.map is not None:
            require(bool(self.map), "plan.build.map is empty")
            require(all(is_number(v, 0.0) for v in self.map.values()), "plan.build.map hours")
        matcher = None if self.map is None else CategoryMatcher(dict(self.map))
        object.__setattr__(self, "matcher", matcher)

    def hours(self, value: Any) -> float | None:
        """The build hours of a field value; None when a map has no entry for it.
        NotADuration when the field holds hours and this is not a duration."""
        if self.matcher is None:
            return read_hours(value)
        found = self.matcher.get(value)
        return None if found is None else float(found[1])


@dataclass(frozen=True)
class Upkeep:
    """Hours a year to keep a built integration up: a share of its build hours, fixed hours,
    or hours read from a field."""

    share: float | None = None
    hours: float | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        given = [g for g in (self.share, self.hours, self.field) if g is not None]
        require(len(given) == 1, "plan.upkeep: one of a share, hours or a field")
        require(self.share is None or is_number(self.share, 0.0, 100.0), "plan.upkeep share")
        require(self.hours is None or is_number(self.hours, 0.0), "plan.upkeep hours")

    def per_year(self, build: float, value: Any = None) -> float:
        """The hours a year for a build of `build` hours (`value`: the field's, if read)."""
        if self.share is not None:
            return build * self.share
        if self.hours is not None:
            return self.hours
        return 0.0 if value is None else read_hours(value)


@dataclass(frozen=True)
class Plan:
    """`plan:`: the hours there are, and what integrations cost and are worth."""

    build: Build
    capacity: float | None = None  # hours; None: given on the command line
    horizon: str = "1y"  # upkeep is counted over this long
    upkeep: Upkeep | None = None
    value: str = "score"  # the score, or a criterion id (its raw value)
    must: tuple[str, ...] = ()
    never: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require(self.capacity is None or is_number(self.capacity, 0.0), "plan.capacity")
        require(bool(re.fullmatch(r"\d{1,5}(\.\d{1,3})?\s?[dwy]", self.horizon)), "horizon")
        musts = {name_key(n) for n in self.must}
        clash = [n for n in self.never if name_key(n) in musts]
        require(not clash, f"plan: '{clash[0]}' is in both must and never" if clash else "")

    @property
    def years(self) -> float:
        """The horizon in years (365 days)."""
        return duration_days(self.horizon) / 365.0

    def fields(self) -> tuple[str, ...]:
        """The integration attributes a plan reads: the build's field and the upkeep's."""
        upkeep = self.upkeep.field if self.upkeep and self.upkeep.field else None
        return tuple(dict.fromkeys(f for f in (self.build.field, upkeep) if f))

    def hours_fields(self) -> tuple[str, ...]:
        """The attributes read as hours (`300h`, `5d`): the build's field unless a map looks
        its value up, and the upkeep's."""
        build = self.build.field if self.build.map is None else None
        upkeep = self.upkeep.field if self.upkeep and self.upkeep.field else None
        return tuple(dict.fromkeys(f for f in (build, upkeep) if f))


@dataclass(frozen=True)
class Buy:
    """A way to get a whole category at once (e.g. a unified CRM API): its adoption hours.
    Integrations it covers need no build and no upkeep of their own."""

    name: str
    category: str
    hours: float

    def __post_init__(self) -> None:
        require(bool(self.name.strip()) and bool(self.category.strip()), "a buy option's name")
        require(is_number(self.hours, 0.0), f"buy '{self.name}': hours")


@dataclass(frozen=True)
class Categories:
    """`categories:`: an integration's category from the catalog, a column of the data, or
    the config's own mapping (name -> category). A column or a mapping wins over the catalog
    where `catalog: true` also applies."""

    source: Literal["catalog", "column", "mapping"]
    column: str | None = None
    mapping: Mapping[str, str] = attribute(default_factory=dict)

    def __post_init__(self) -> None:
        require(self.source in ("catalog", "column", "mapping"), "categories")
        require((self.source == "column") == bool(self.column), "categories: a column")
        require(all(str(v).strip() for v in self.mapping.values()), "categories: a category")


def expand_plan_condition(condition: Condition, where: tuple[str | int, ...]) -> Condition:
    """A condition on `plan` with `chosen` standing for `built` and `bought`; ModelError for
    any other value than the plan's states."""
    require_kind = condition.kind in ("category", "not")
    if not require_kind:
        raise ModelError(f"plan is one of {', '.join(PLAN_STATES)} or {CHOSEN}", where)
    values: list[Any] = []
    for value in condition.values:
        text = str(value).strip().casefold()
        if text == CHOSEN:
            values += [BUILT, BOUGHT]
        elif text in PLAN_STATES:
            values.append(text)
        else:
            states = ", ".join([*PLAN_STATES, CHOSEN])
            raise ModelError(f"'{value}' is not a plan state ({states})", where)
    return replace(condition, values=tuple(dict.fromkeys(values)))


def check_plan(model: Model) -> tuple[Rule, ...] | None:
    """A model's rules with conditions on `plan` expanded (`chosen`: built or bought), after
    checking what needs the whole model: buy options need categories; `plan.value` names a
    criterion with numbers (or the score); rules on `plan` name its states."""
    if model.buy and model.categories is None:
        raise ModelError(
            "buy options cover a category: say where categories come from with "
            "`categories:` (catalog, a column, or a mapping)",
            ("buy",),
        )
    value = model.plan.value if model.plan else "score"
    by_id = {c.id: c for c in model.criteria}
    if value != "score" and value not in by_id:
        known = ", ".join(["score", *by_id])
        raise ModelError(f"'{value}' is not score or a criterion id ({known})", ("plan", "value"))
    if value != "score" and by_id[value].aggregate == "value" and not by_id[value].scorer.numeric:
        raise ModelError(
            f"'{value}' reads categories, not numbers: a plan adds up numbers", ("plan", "value")
        )
    if model.recommend is None:
        return None
    rules = []
    for n, rule in enumerate(model.recommend):
        when = dict(rule.when or {})
        if "plan" in when:
            when["plan"] = expand_plan_condition(when["plan"], ("recommend", n, "when", "plan"))
            rule = type(rule)(when, rule.then, rule.because)
        rules.append(rule)
    return tuple(rules)
