"""Estimates from several people, compiled: the config's `estimates:` section
(`EstimatesConfig`, part of the cached model), how a field's estimates are read and combined,
and what the estimators' files say (`Estimates`, never cached: the files change on their own).

How estimates combine, per integration and field:
- A field read as numbers (bands, a scale, levels, a number condition): numbers, level names
  and work durations (`300h`, `5d` = 40 h: `durations.parse_hours`). `median` (of an even
  count, the mean of the middle two), `mean`, `min` or `max`; the spread is max - min.
- A field a `map` reads: its keys, in their order — numbers by value, then names as the map
  lists them (1, 2, 3, 4, 5, S, M, L, XL). `median` is the middle estimate (the lower of the
  middle two), `mean` the key at the mean position (halves round down), `min`/`max` the first
  and last. The spread is max - min when every estimate is a number, else steps in that order.
- Any other field (categories with no order, e.g. `core: yes`): the value most estimators
  give (a tie: the first file's); every disagreement is `low`.

Agreement compares the spread with the field's `disagree` threshold T (a number, or a share
of the combined value: `50%`): `high` when the spread is at most T/2, `medium` up to T, `low`
above T (an `estimates-disagree` finding). Without a threshold: `high` when all agree, else
`medium`. One estimate alone has no spread: `high`, and `n` says it is one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..matching import CategoryMatcher, category_key
from ..numbers import NotANumber, format_number, parse_number
from .durations import NotADuration, is_duration, parse_hours
from .errors import ModelError, is_number, require
from .levels import Levels

if TYPE_CHECKING:
    from ..problems import Finding
    from .compiled import Model

__all__ = [
    "AGREEMENTS",
    "COMBINES",
    "Combined",
    "Estimate",
    "Estimates",
    "EstimatesConfig",
    "EstimatorFile",
    "Reading",
    "Threshold",
    "combine",
    "estimable_fields",
    "reading_of",
]

Combine = Literal["median", "mean", "min", "max"]
COMBINES: tuple[Combine, ...] = ("median", "mean", "min", "max")
AGREEMENTS = ("high", "medium", "low")
Value = float | int | str | bool
MAX_GLOB = 200


@dataclass(frozen=True, slots=True)
class Threshold:
    """A `disagree` threshold: an amount, or a share of the combined value (`50%`)."""

    amount: float
    relative: bool = False

    def __post_init__(self) -> None:
        require(is_number(self.amount, 0.0), "a disagree threshold is a number from 0")

    def of(self, combined: Any) -> float:
        """The threshold for this combined value."""
        if not self.relative:
            return self.amount
        return self.amount * abs(float(combined)) if isinstance(combined, int | float) else 0.0

    @property
    def text(self) -> str:
        return (
            f"{format_number(self.amount * 100)}%" if self.relative else format_number(self.amount)
        )


@dataclass(frozen=True)
class EstimatesConfig:
    """The `estimates:` section: where the files are, how estimates combine, when a spread
    is a disagreement, and which files may estimate which field (`who`: globs of file
    names; a field not listed may be estimated by anyone)."""

    folder: str = "estimates"
    combine: Combine = "median"
    disagree: Mapping[str, Threshold] = field(default_factory=dict)
    who: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require(0 < len(self.folder) <= 1000 and "\0" not in self.folder, "estimates folder")
        require(self.combine in COMBINES, f"combine {self.combine!r}")
        for name, globs in self.who.items():
            ok = bool(globs) and all(0 < len(g) <= MAX_GLOB for g in globs)
            require(ok, f"who: {name}: give file name patterns like eng-*")

    @property
    def named_fields(self) -> tuple[str, ...]:
        """The fields the section names (in `disagree` or `who`)."""
        return tuple(dict.fromkeys([*self.disagree, *self.who]))

    def allows(self, field_name: str, stem: str) -> bool:
        """Whether the file `stem` (its name without .yaml) may estimate this field."""
        globs = self.who.get(field_name)
        import fnmatch

        return globs is None or any(fnmatch.fnmatchcase(stem, g) for g in globs)

    def check(self, model: Model) -> None:
        """The section against the model: every field it names is an integration attribute
        the model reads, and a share (`50%`) is given only for a field of numbers."""
        attributes = estimable_fields(model)
        for part, names in (("disagree", list(self.disagree)), ("who", list(self.who))):
            for name in names:
                if name not in attributes:
                    known = ", ".join(attributes) or "none"
                    raise ModelError(
                        f"'{name}' is not an integration attribute the config reads "
                        f"(attributes: {known})",
                        ("estimates", part, name),
                    )
        for name, threshold in self.disagree.items():
            kind = reading_of(model, name).kind
            if kind == "category":
                raise ModelError(
                    f"'{name}' is read as categories with no order: every disagreement is "
                    "reported, so it takes no threshold",
                    ("estimates", "disagree", name),
                )
            if threshold.relative and kind != "number":
                raise ModelError(
                    f"'{name}' is read by a map: give its threshold in steps, not as a share",
                    ("estimates", "disagree", name),
                )


@dataclass(frozen=True)
class Reading:
    """How a field's estimates are read: numbers, a map's keys in order, or categories. Each
    distinct text is read once (estimates repeat: 1 to 5, S to XL)."""

    kind: Literal["number", "ordered", "category"]
    order: tuple[Any, ...] = ()  # ordered: the map's keys in order
    levels: Levels | None = None
    _matcher: CategoryMatcher = field(init=False, repr=False, compare=False)
    _known: dict[tuple[type, Any], Value] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matcher", CategoryMatcher(dict.fromkeys(self.order, 0)))
        object.__setattr__(self, "_known", {})

    def read(self, raw: Any) -> Value:
        """An estimate as written -> its value; ValueError with a reason a user can act on."""
        key = (raw.__class__, raw)  # by type too: in a dict, 1 == 1.0 == True
        known = self._known.get(key)
        if known is None:
            known = self._read(raw)
            if len(self._known) < 10_000:
                self._known[key] = known
        return known

    def _read(self, raw: Any) -> Value:
        if self.kind == "number":
            if is_duration(raw):
                try:
                    return parse_hours(raw)
                except NotADuration as exc:
                    raise ValueError(str(exc)) from None
            try:
                if self.levels is not None:
                    return self.levels.read(raw)
                return parse_number(raw)
            except NotANumber as exc:
                raise ValueError(str(exc)) from None
        if self.kind == "ordered":
            found = self._matcher.get(raw)
            if found is None:
                shown = ", ".join(str(k) for k in self.order[:12])
                raise ValueError(f"{_shown(raw)} is not one of the map's keys ({shown})")
            return _key_value(found[0])
        return raw.strip() if isinstance(raw, str) else raw


def estimable_fields(model: Model) -> list[str]:
    """The fields estimates may stand for: the integration attributes the model reads,
    but dates."""
    return [f for f in model.attribute_fields() if model.field_kinds.get(f) != "date"]


def reading_of(model: Model, name: str) -> Reading:
    """How the model reads a field's estimates (its first map, levels, or kind; the plan's
    hours are numbers of hours)."""
    hours = model.plan.hours_fields() if model.plan is not None else ()
    if model.field_kinds.get(name) == "number" or name in hours:
        levels = model.field_levels.get(name)
        return Reading("number", levels=None if levels is None else Levels(levels))
    for c in model.criteria:
        if c.field == name and c.map is not None:
            return Reading("ordered", order=map_order(c.map))
    return Reading("category")


def _key_value(key: Any) -> Value:
    """A map key as an estimate's value: the map's own spelling, a number as a number."""
    found = category_key(key)
    return float(found[1]) if found[0] == "n" else key


def map_order(mapping: Mapping[str, float]) -> tuple[Any, ...]:
    """A map's keys in order: numbers by value, then names as the map lists them."""
    numbers = sorted((k for k in mapping if category_key(k)[0] == "n"), key=category_key)
    return (*numbers, *(k for k in mapping if category_key(k)[0] != "n"))


@dataclass(frozen=True, slots=True)
class Estimate:
    """One estimator's value of one field of one integration."""

    estimator: str
    file: str
    line: int
    value: Value
    written: Any  # as the file has it (`300h`), for messages


@dataclass(frozen=True)
class Combined:
    """A field's estimates for one integration, combined."""

    field: str
    estimates: tuple[Estimate, ...]  # in the order of the files
    value: Value  # the combined value
    low: Value | None  # the smallest and largest estimate (None: categories with no order)
    high: Value | None
    spread: float
    threshold: float | None  # the field's `disagree` threshold for this value
    agreement: Literal["high", "medium", "low"]
    how: str = "median"  # how they combined: median, mean, min, max, or "most common"

    @property
    def n(self) -> int:
        return len(self.estimates)

    @property
    def in_hours(self) -> bool:
        """Whether its estimates are durations (`300h`, `5d`): shown in hours."""
        return any(is_duration(e.written) for e in self.estimates)

    def show(self, value: Any) -> str:
        """A value of this field in a message: `3`, `M`, `310h`."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return format_number(value) + ("h" if self.in_hours else "")
        return _shown(value).strip("'") if isinstance(value, str) else str(value)

    def listing(self) -> str:
        """Each estimator's value: `Dana 3, Lee 4, Sam 5`."""
        return ", ".join(f"{e.estimator} {self.show(e.value)}" for e in self.estimates)

    def outlier(self) -> Estimate:
        """The estimate furthest from the combined value (the first of equals)."""
        wanted = category_key(self.value)

        def distance(e: Estimate) -> float:
            mine = category_key(e.value)
            if mine[0] == "n" and wanted[0] == "n":
                return abs(float(mine[1]) - float(wanted[1]))
            return float(mine != wanted)

        return max(self.estimates, key=distance)


def combine(
    name: str,
    estimates: tuple[Estimate, ...],
    reading: Reading,
    how: Combine,
    threshold: Threshold | None,
) -> Combined:
    """The estimates of one field combined as `how` says (see the module's docstring)."""
    require(bool(estimates), "no estimates to combine")
    low: Value | None
    high: Value | None
    if reading.kind == "number":
        numbers = sorted(float(e.value) for e in estimates)
        value: Value = _numeric(numbers, how)
        low, high = numbers[0], numbers[-1]
        spread = high - low
    elif reading.kind == "ordered":
        position = {category_key(k): i for i, k in enumerate(reading.order)}
        ranked = sorted(estimates, key=lambda e: position[category_key(e.value)])
        steps = [position[category_key(e.value)] for e in ranked]
        pick = {"median": (len(steps) - 1) // 2, "min": 0, "max": len(steps) - 1}.get(how)
        if pick is None:  # mean: the key at the mean position, halves down
            mean = math.ceil(math.fsum(steps) / len(steps) - 0.5)
            value = _key_value(reading.order[mean])
        else:
            value = ranked[pick].value
        low, high = ranked[0].value, ranked[-1].value
        numeric = all(category_key(e.value)[0] == "n" for e in estimates)
        spread = (
            float(category_key(high)[1]) - float(category_key(low)[1])
            if numeric
            else float(steps[-1] - steps[0])
        )
    else:
        counts: dict[Any, int] = {}
        for e in estimates:
            counts[category_key(e.value)] = counts.get(category_key(e.value), 0) + 1
        most = max(counts.values())
        value = next(e.value for e in estimates if counts[category_key(e.value)] == most)
        low = high = None
        spread = float(len(counts) > 1)
    limit = None if threshold is None else threshold.of(value)
    agreement = _agreement(reading, spread, limit)
    rule = "most common" if reading.kind == "category" else how
    return Combined(name, estimates, value, low, high, spread, limit, agreement, rule)


def _numeric(numbers: list[float], how: Combine) -> float:
    if how == "median":
        import statistics

        return float(statistics.median(numbers))
    if how == "mean":
        return math.fsum(numbers) / len(numbers)
    return numbers[0] if how == "min" else numbers[-1]


def _agreement(
    reading: Reading, spread: float, limit: float | None
) -> Literal["high", "medium", "low"]:
    if spread == 0:
        return "high"
    if reading.kind == "category":
        return "low"
    if limit is None:
        return "medium"
    if spread > limit:
        return "low"
    return "medium" if spread > limit / 2 else "high"


@dataclass(frozen=True, slots=True)
class EstimatorFile:
    """One estimator's file."""

    path: str  # as shown in messages
    stem: str  # its name without .yaml: what `who` matches
    estimator: str  # `estimator:`, else the stem


@dataclass(frozen=True, slots=True)
class Mention:
    """An integration as an estimates file names it."""

    name: str
    file: str
    line: int


@dataclass(frozen=True)
class Estimates:
    """What the estimators' files say, combined per integration (by group key)."""

    config: EstimatesConfig
    folder: str  # as shown in messages
    files: tuple[EstimatorFile, ...] = ()
    by_key: Mapping[str, Mapping[str, Combined]] = field(default_factory=dict)
    mentions: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()  # estimates not used: not allowed, a field not read
    stands_for: tuple[str, ...] = ()  # more fields estimates are to stand for (a template's)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields estimates stand for: those the config names, those estimated, and
        `stands_for`."""
        found = [f for fields in self.by_key.values() for f in fields]
        return tuple(dict.fromkeys([*self.config.named_fields, *found, *self.stands_for]))


def _shown(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(float(value))
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")
