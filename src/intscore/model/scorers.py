"""Raw value -> points: the one place that knows how bands, maps and scales score.

A criterion's scorer is built once from its config (`Criterion.scorer`). The engine asks it for
points, `explain` for the next step up, `diff` for a compact description, and everything that
needs a criterion's range asks for `max_points`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from ..matching import CategoryMatcher, category_key
from ..numbers import format_number
from .errors import MAX_POINTS, is_number, require

__all__ = [
    "DIRECTIONS",
    "Band",
    "Bands",
    "CategoryMap",
    "Points",
    "RawValue",
    "Scale",
    "ScaleSpec",
    "Scorer",
    "Step",
    "build_scorer",
]

Status = Literal["ok", "unknown", "below"]


@dataclass(frozen=True, slots=True)
class Points:
    """A value's points (None: the value is not one the scorer knows), and how it got them."""

    points: float | None
    label: str | None  # the band or map entry, e.g. "3 to <10", "3 → 1"
    status: Status = "ok"


@dataclass(frozen=True, slots=True)
class Step:
    """The smallest change of raw value that reaches some more points."""

    needs: str  # e.g. "≥ 10", "≤ 2", "S" (for a map)
    points: float


class Scorer(ABC):
    """Turns a criterion's raw value into points."""

    kind: str = ""  # band | map | scale | value
    max_points: float = 0.0
    numeric = True  # reads numbers (a map reads categories)

    @abstractmethod
    def points(self, value: Any) -> Points:
        """The points of a raw value."""

    def step_up(self, now: float, wanted: float, whole: bool = False) -> Step | None:
        """The cheapest step giving at least `wanted` points (or the best step when none
        does); None when nothing scores more than `now`. `whole`: the raw value moves in
        whole steps (a count of requesters), so the step names a whole number."""
        return None

    def merit(self, value: Any) -> tuple[float, ...]:
        """A raw value as numbers where more is better (for tiebreaks): the value itself when
        higher values earn points, its negation when lower values do."""
        return (float(value),)

    @property
    def direction(self) -> str:
        """Which raw values earn points: "higher" or "lower"."""
        return "higher"

    def describe(self) -> str:
        """A compact one-line form for config diffs."""
        return self.kind


class Bands(Scorer):
    """A value gets the points of the last band whose `min` is at most the value."""

    kind = "band"

    def __init__(self, bands: list[tuple[float, float]]):
        self.mins = [low for low, _ in bands]
        self.values = [points for _, points in bands]
        self.max_points = max(self.values)
        self.labels = [
            f"{format_number(low)} to <{format_number(self.mins[i + 1])}"
            if i + 1 < len(self.mins)
            else f"≥ {format_number(low)}"
            for i, low in enumerate(self.mins)
        ]
        self.below = Points(0.0, f"below {format_number(self.mins[0])}", "below")
        self.answers = [Points(p, label) for p, label in zip(self.values, self.labels, strict=True)]

    def points(self, value: Any) -> Points:
        i = bisect.bisect_right(self.mins, value) - 1
        return self.below if i < 0 else self.answers[i]

    def merit(self, value: Any) -> tuple[float, ...]:
        return (-float(value) if self.values[-1] < self.values[0] else float(value),)

    @property
    def direction(self) -> str:
        return "lower" if self.values[-1] < self.values[0] else "higher"

    def step_up(self, now: float, wanted: float, whole: bool = False) -> Step | None:
        higher = [(low, p) for low, p in zip(self.mins, self.values, strict=True) if p > now]
        if not higher:
            return None
        enough = [(low, p) for low, p in higher if p >= wanted - 1e-9]
        low, p = min(enough) if enough else max(higher, key=lambda band: band[1])
        if whole and not float(low).is_integer():
            low = float(math.ceil(low))
            p = self.points(low).points or p
        return Step(f"≥ {format_number(low)}", p)

    def describe(self) -> str:
        pairs = zip(self.mins, self.values, strict=True)
        return "[" + ", ".join(f"{format_number(m)}:{format_number(p)}" for m, p in pairs) + "]"


class CategoryMap(Scorer):
    """A category gets its points; keys match case-insensitively, numbers by value."""

    kind = "map"
    numeric = False

    def __init__(self, mapping: dict[str, float]):
        self.mapping = dict(mapping)
        self.matcher = CategoryMatcher(self.mapping)
        self.max_points = max(self.mapping.values())
        self.unknown = Points(None, None, "unknown")
        self.answers: dict[Any, Points] = {}
        numeric = sorted(
            (float(k[1]), points) for k, (_, points) in self.matcher.entries.items() if k[0] == "n"
        )
        # The map rewards low values when its largest number earns less than its smallest.
        self.lower = len(numeric) > 1 and numeric[-1][1] < numeric[0][1]

    def points(self, value: Any) -> Points:
        found = self.matcher.get(value)
        if found is None:
            return self.unknown
        answer = self.answers.get(found[0])
        if answer is None:  # one answer per map key: Points are immutable
            answer = self.answers[found[0]] = Points(
                found[1], f"{found[0]} → {format_number(found[1])}"
            )
        return answer

    def merit(self, value: Any) -> tuple[float, ...]:
        """Points first (categories like S/M/L have no order of their own); among numeric
        values with equal points, the direction the map rewards (for difficulty 1-5, lower)."""
        points = self.points(value).points
        key = category_key(value)
        number = float(key[1]) if key[0] == "n" else 0.0
        return (-1.0 if points is None else points, -number if self.lower else number)

    @property
    def direction(self) -> str:
        return "lower" if self.lower else "higher"

    def step_up(self, now: float, wanted: float, whole: bool = False) -> Step | None:
        higher = [(k, p) for k, p in self.mapping.items() if p > now]
        if not higher:
            return None
        enough = [(k, p) for k, p in higher if p >= wanted - 1e-9]
        key, p = min(enough, key=lambda kp: kp[1]) if enough else max(higher, key=lambda kp: kp[1])
        return Step(str(key), p)

    def describe(self) -> str:
        return "{" + ", ".join(f"{k}:{format_number(v)}" for k, v in self.mapping.items()) + "}"


class Scale(Scorer):
    """Linear points from `low` to `high`, clamped outside; reversed for lower_is_better."""

    kind = "scale"

    def __init__(self, low: float, high: float, points: float, lower_is_better: bool):
        self.low, self.high, self.max_points = low, high, points
        self.lower_is_better = lower_is_better
        self.label = f"{format_number(low)}..{format_number(high)}"

    def points(self, value: Any) -> Points:
        share = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        if self.lower_is_better:
            share = 1 - share
        return Points(share * self.max_points, self.label)

    def merit(self, value: Any) -> tuple[float, ...]:
        return (-float(value) if self.lower_is_better else float(value),)

    @property
    def direction(self) -> str:
        return "lower" if self.lower_is_better else "higher"

    def step_up(self, now: float, wanted: float, whole: bool = False) -> Step | None:
        if now >= self.max_points:
            return None
        points = min(wanted, self.max_points)
        share = points / self.max_points
        if self.lower_is_better:
            share = 1 - share
        value = self.low + share * (self.high - self.low)
        if whole and not value.is_integer():
            value = float(math.floor(value) if self.lower_is_better else math.ceil(value))
            points = self.points(value).points or points
        sign = "≤" if self.lower_is_better else "≥"
        return Step(f"{sign} {format_number(value)}", points)

    def describe(self) -> str:
        direction = "lower_is_better" if self.lower_is_better else "higher_is_better"
        return f"min={self.low}, max={self.high}, points={self.max_points}, direction={direction}"


class RawValue(Scorer):
    """With a formula and no bands, map or scale: the points are the value itself."""

    kind = "value"

    def points(self, value: Any) -> Points:
        return Points(float(value), None)


class Band(NamedTuple):
    """Values from `min` up to the next band's `min` get `points`."""

    min: float
    points: float


DIRECTIONS = ("higher_is_better", "lower_is_better")  # a scale's: which values earn points


class ScaleSpec(NamedTuple):
    """Linear points between `min` and `max`, clamped outside."""

    min: float
    max: float
    points: float
    direction: str = "higher_is_better"


def build_scorer(
    cid: str,
    bands: Iterable[tuple[float, float]] | None,
    mapping: Mapping[str, float] | None,
    scale: ScaleSpec | None,
) -> Scorer:
    """The scorer of a criterion's bands, map or scale (none: the raw value is the points)."""
    if bands is not None:
        pairs = [(float(low), float(points)) for low, points in bands]
        mins = [low for low, _ in pairs]
        require(bool(mins) and all(is_number(m) for m in mins), f"{cid}: band mins")
        require(all(a < b for a, b in itertools.pairwise(mins)), f"{cid}: band order")
        require(all(is_number(p, 0.0, MAX_POINTS) for _, p in pairs), f"{cid}: band points")
        return Bands(pairs)
    if mapping is not None:
        require(bool(mapping), f"{cid}: an empty map")
        require(all(is_number(v, 0.0, MAX_POINTS) for v in mapping.values()), f"{cid}: map points")
        return CategoryMap(dict(mapping))
    if scale is not None:
        s = scale
        require(is_number(s.min) and is_number(s.max) and s.max > s.min, f"{cid}: scale range")
        require(is_number(s.points, 0.0, MAX_POINTS), f"{cid}: scale points")
        require(s.direction in DIRECTIONS, f"{cid}: direction")
        return Scale(s.min, s.max, s.points, s.direction == DIRECTIONS[1])
    return RawValue()
