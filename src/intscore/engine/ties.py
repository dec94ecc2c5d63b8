"""Equal scores: ordered by the tiebreak criteria's raw values (in the direction that earns
points, no value last), then by name; ranks shared only where nothing separates items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from ..model.compiled import Criterion
from ..model.scorers import Scorer

__all__ = ["TieKey", "order_ties", "tiebreak_key"]

TieKey = tuple[tuple[float, ...], ...]


class Tied(Protocol):
    """What ordering needs of a scored item."""

    shown: str
    score: float | None
    tiekey: TieKey
    tie_order: int
    tie_group: int


def tiebreak_key(criteria: Sequence[Criterion], values: Mapping[str, Any]) -> TieKey:
    """The sort key of an item's tiebreak criteria's raw values: better first, no value last."""
    return tuple(_tiekey(c.scorer, values.get(c.id)) for c in criteria)


def _tiekey(scorer: Scorer, value: Any) -> tuple[float, ...]:
    if value is None:
        return (1.0,)
    return (0.0, *(-m for m in scorer.merit(value)))


def order_ties(scored: list[Any]) -> None:
    """Sorts items by score, equal scores by tiebreak key then name (the shown name's case
    folded), and records each item's position among equal scores (`tie_order`) and the
    position of the first item its tiebreak key cannot be told from (`tie_group`). The order
    among equal scores does not depend on the weights: the what-if report re-sorts by score
    and this position, and shares a rank where the tiebreak keys are equal."""
    by_tie = sorted(scored, key=lambda s: (s.tiekey, s.shown.casefold()))
    group = 0
    for position, s in enumerate(by_tie):
        if position and s.tiekey != by_tie[position - 1].tiekey:
            group = position
        s.tie_order, s.tie_group = position, group
    # By score, then by that position (the same order as by tiekey and name, both sorts being
    # stable: it is their order).
    scored.sort(key=lambda s: (s.score is None, -(s.score or 0.0), s.tie_order))


def decided_by(tiebreak: Sequence[str], mine: TieKey, theirs: TieKey) -> str:
    """The tiebreak criterion that first tells two keys apart."""
    return next(cid for cid, a, b in zip(tiebreak, mine, theirs, strict=True) if a != b)
