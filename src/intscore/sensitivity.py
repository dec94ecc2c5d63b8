"""How stable each rank is when the weights wobble. Pure: a ranking in, rank ranges out."""

from __future__ import annotations

import bisect
import math
import operator
import random
from array import array
from dataclasses import dataclass
from itertools import accumulate, repeat

from .problems import IntscoreError
from .ranking import Ranking

__all__ = ["Stability", "sensitivity"]


@dataclass(frozen=True)
class Stability:
    """How an integration's rank moves when weights are perturbed."""

    integration: str
    rank: int
    score: float | None
    median_rank: float
    rank_p5: int  # 5th percentile (the best ranks it reaches)
    rank_p95: int  # 95th percentile
    top_share: float  # share of runs in the top K

    @property
    def unstable(self) -> bool:
        return 0.2 <= self.top_share <= 0.8


def sensitivity(
    ranking: Ranking, runs: int = 1000, spread: float = 0.25, top: int = 10, seed: int = 0
) -> list[Stability]:
    """Re-rank `runs` times, each multiplying every weight by an independent factor drawn
    uniformly from [1 - spread, 1 + spread]. Points are computed once; runs only re-weight.

    Integrations with the same points on every criterion always tie, so each run ranks the
    distinct points vectors only (a few dozen, however many integrations there are)."""
    if ranking.formula:
        raise IntscoreError(
            "sensitivity varies the weights of the weighted sum, "
            "but this config scores with a formula"
        )
    criteria = ranking.criteria
    weights = [c.weight for c in criteria]
    maxima = [c.max_points for c in criteria]
    vectors: dict[tuple[float, ...], list[int]] = {}
    for n, item in enumerate(ranking.items):
        vectors.setdefault(tuple(item.criteria[c.id].points for c in criteria), []).append(n)
    distinct = list(vectors)
    columns = list(zip(*distinct, strict=True)) if distinct else []
    counts = [len(vectors[v]) for v in distinct]
    single = all(count == 1 for count in counts)
    rng = random.Random(seed)
    # Every run's ranks in one flat array (4 bytes a rank): run-major, one rank per vector.
    flat = array("i")
    for _ in range(runs):
        w = [wc * rng.uniform(1 - spread, 1 + spread) if spread else wc for wc in weights]
        scale = 100.0 / sum(a * b for a, b in zip(w, maxima, strict=True))
        scores = [0.0] * len(distinct)
        for wc, column in zip(w, columns, strict=True):
            scores = list(map(operator.add, scores, map((wc * scale).__mul__, column)))
        if not spread:
            # Unperturbed weights: round like the engine so its ties stay ties. Perturbed,
            # distinct points vectors tie with probability zero, so rounding is not needed.
            scores = list(map(round, scores, repeat(9)))
        flat.extend(_ranks(scores, counts, single))
    # Statistics once per distinct vector (a strided slice is that vector's ranks), then
    # shared by every integration with that vector.
    width = len(distinct)
    summaries = []
    for i in range(width):
        ranks = sorted(flat[i::width])
        summaries.append(
            (
                _median(ranks),
                _percentile(ranks, 5),
                _percentile(ranks, 95),
                bisect.bisect_right(ranks, top) / len(ranks),
            )
        )
    vector_of = {n: i for i, v in enumerate(distinct) for n in vectors[v]}
    result = []
    for n, item in enumerate(ranking.items):
        median, p5, p95, share = summaries[vector_of[n]]
        result.append(
            Stability(
                integration=item.integration,
                rank=item.rank,
                score=item.score,
                median_rank=median,
                rank_p5=p5,
                rank_p95=p95,
                top_share=share,
            )
        )
    return result


def _ranks(scores: list[float], counts: list[int], single: bool) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of each score, where score i stands for counts[i] items:
    1 + the number of items that score strictly more. C-level maps: this runs per run."""
    if single:
        ascending = sorted(scores)
        positions = map(bisect.bisect_right, repeat(ascending), scores)
        return list(map(operator.sub, repeat(len(scores) + 1), positions))
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ascending = list(map(scores.__getitem__, order))
    below_or_equal = list(accumulate(map(counts.__getitem__, order)))  # items <= ascending[k]
    total = below_or_equal[-1]
    positions = map(bisect.bisect_right, repeat(ascending), scores)
    at_most = map((0, *below_or_equal).__getitem__, positions)
    return list(map(operator.sub, repeat(total + 1), at_most))


def _percentile(ordered: list[int], p: float) -> int:
    """Nearest-rank percentile of sorted values."""
    index = max(math.ceil(p / 100 * len(ordered)) - 1, 0)
    return ordered[index]


def _median(ordered: list[int]) -> float:
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2
