"""The weighted score, written once:

    score = 100 × Σ weight × points / Σ weight × max points

Every place that scores with weights calls these — the engine, `explain`, `sensitivity`,
`matrix` (over a subset of criteria) — so they agree to the last bit. The arithmetic order is
fixed: each criterion's contribution is `100 × weight × points / denominator`, and a score is
their sum in criterion order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import add, mul, truediv

__all__ = ["SCORE_DECIMALS", "contribution", "contributions", "denominator", "weighted_scores"]

SCORE_DECIMALS = 9  # scores are rounded so float noise never splits a tie


def denominator(weights: Iterable[float], maxima: Iterable[float]) -> float:
    """Σ weight × max points: a score is 100 × Σ weight × points over this."""
    return sum(w * m for w, m in zip(weights, maxima, strict=True))


def contribution(weight: float, points: float, denominator: float) -> float:
    """One criterion's part of a score, in score points."""
    return 100.0 * weight * points / denominator


def contributions(weight: float, points: Iterable[float], denominator: float) -> list[float]:
    """`contribution` of one criterion for many items (C-level maps)."""
    scaled = map(mul, repeat(100.0 * weight), points)
    return list(map(truediv, scaled, repeat(denominator)))


def weighted_scores(
    weights: Sequence[float], columns: Sequence[Sequence[float]], maxima: Sequence[float]
) -> list[float]:
    """The score of each item, rounded: `columns[c][i]` is item i's points on criterion c."""
    total = denominator(weights, maxima)
    scores = [0.0] * (len(columns[0]) if columns else 0)
    for weight, column in zip(weights, columns, strict=True):
        scores = list(map(add, scores, contributions(weight, column, total)))
    return list(map(round, scores, repeat(SCORE_DECIMALS)))
