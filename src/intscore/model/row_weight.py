"""How much one requester counts toward a criterion: `RowWeight` (by a field of theirs, a
prospect counting half) and its `Decay` with age. Part of `compiled`, which re-exports them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as slot
from typing import Any

from ..matching import CategoryMatcher
from .conditions import duration_days
from .errors import MAX_POINTS, is_number, require


@dataclass(frozen=True, slots=True)
class Decay:
    """A requester's weight halves every `half_life` of age, taken from a date field."""

    field: str
    half_life: str  # a duration, e.g. "180d"

    @property
    def days(self) -> float:
        return duration_days(self.half_life)


@dataclass(frozen=True)
class RowWeight:
    """How much one requester counts, by a field of theirs (a prospect counts half)."""

    field: str
    map: Mapping[str, float]
    default: float = 1.0
    decay: Decay | None = None
    matcher: CategoryMatcher = slot(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        points_ok = all(is_number(v, 0.0, MAX_POINTS) for v in self.map.values())
        require(points_ok and is_number(self.default, 0.0, MAX_POINTS), "a row weight out of range")
        object.__setattr__(self, "matcher", CategoryMatcher(dict(self.map)))

    def weigh(self, value: Any) -> tuple[Any, float]:
        """(the map key a requester's value matched, else the value itself; its weight)."""
        found = self.matcher.get(value) if value is not None else None
        return (found[0], found[1]) if found is not None else (value, self.default)
