"""How stable each rank is when the weights wobble, when the data could have been a little
different (a bootstrap over each integration's requesters), or both. Pure: a ranking in, rank
ranges out; seeded, so the same seed gives the same answer.

Ties in a run are ordered as in the ranking itself (its tiebreak, then name): items the
ranking separates stay separated when their scores are equal.
"""

from __future__ import annotations

import bisect
import math
import operator
import random
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from ..choices import VARY, Vary
from ..dates import day_number
from ..engine.ranking import RankedItem, Ranking
from ..model.aggregates import Binding, resampled_aggregates
from ..model.weighted import weighted_scores
from ..problems import IntscoreError

__all__ = [
    "MAX_RANKS",
    "RESAMPLES",
    "VARY",
    "Perturbation",
    "Stability",
    "Vary",
    "check_budget",
    "estimate_points",
    "resampled_points",
    "run_scores",
    "sensitivity",
]

RESAMPLES = 100  # bootstrap resamples of each integration's requesters; runs draw among them
# Runs × integrations: each is a rank kept (4 bytes) and sorted. 20 million take about 6 s
# varying weights and 30 s varying data (bench/hostile.py), and 80 MB.
MAX_RANKS = 20_000_000


@dataclass(frozen=True)
class Stability:
    """How an integration's rank moves across the runs."""

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


@dataclass(frozen=True)
class Perturbation:
    """How the runs wobble the ranking."""

    runs: int = 1000
    spread: float = 0.25  # each weight × U(1 - spread, 1 + spread)
    top: int = 10  # the cut for P(top K)
    seed: int = 0
    vary: Vary = "weights"

    @property
    def resamples(self) -> int | None:
        """Bootstrap resamples per integration (None when the data stay)."""
        return None if self.vary == "weights" else min(self.runs, RESAMPLES)


def sensitivity(ranking: Ranking, how: Perturbation = Perturbation()) -> list[Stability]:
    """Re-rank `how.runs` times. `weights`: every weight × an independent factor from
    U(1 - spread, 1 + spread). `data`: each integration's requesters resampled with
    replacement (each run draws one of `RESAMPLES` bootstrap resamples per integration).
    `both`: the two at once. `estimates`: each estimated field of each integration takes one
    of its estimators' values (drawn uniformly, each field on its own) instead of the combined
    one. Points are computed once; runs only re-weight and re-rank."""
    runs, spread, top, seed, vary = how.runs, how.spread, how.top, how.seed, how.vary
    check_budget(runs, len(ranking.items))
    _no_formula(ranking)
    _estimated_if_varied(ranking, vary)
    items = ranking.items
    if not items:
        return []
    rng = random.Random(seed)
    if vary == "weights":
        return _weight_stability(ranking, runs, spread, top, rng)
    spread = spread if vary == "both" else 0.0
    flat = _data_runs(ranking, runs, spread, rng, by_estimates=vary == "estimates")
    width = len(items)
    return [_stability(item, sorted(flat[i::width]), 0, top) for i, item in enumerate(items)]


def _stability(item: RankedItem, ordered: Sequence[int], shift: int, top: int) -> Stability:
    """An item's stability from its ranks over the runs: `ordered` (sorted), each + `shift`."""
    mid = len(ordered) // 2
    if len(ordered) % 2:
        median = float(ordered[mid] + shift)
    else:
        median = ((ordered[mid - 1] + shift) + (ordered[mid] + shift)) / 2
    return Stability(
        integration=item.integration,
        rank=item.rank,
        score=item.score,
        median_rank=median,
        rank_p5=_percentile(ordered, 5) + shift,
        rank_p95=_percentile(ordered, 95) + shift,
        top_share=bisect.bisect_right(ordered, top - shift) / len(ordered),
    )


def check_budget(runs: int, integrations: int) -> None:
    """Refuse more than MAX_RANKS runs × integrations, saying how many runs would do."""
    if runs * integrations <= MAX_RANKS:
        return
    most = MAX_RANKS // integrations
    fewer = f"give --runs {most:,} or fewer" if most else "rank fewer integrations"
    raise IntscoreError(
        f"--runs {runs:,} × {integrations:,} integrations is {runs * integrations:,} ranks, "
        f"more than sensitivity computes ({MAX_RANKS:,}); {fewer}"
    )


# --- weights ------------------------------------------------------------------------------------


class _Vectors:
    """Integrations with the same points on every criterion always score the same under
    new weights: a run scores the distinct points vectors only (a few dozen, however many
    integrations there are). `vector_of[n]`: item n's vector; `offset[n]`: the members of its
    vector ranked above it."""

    def __init__(self, ranking: Ranking):
        items, criteria = ranking.items, ranking.criteria
        vectors: dict[tuple[float, ...], list[int]] = {}
        for n, item in enumerate(items):
            vectors.setdefault(tuple(item.criteria[c.id].points for c in criteria), []).append(n)
        distinct = list(vectors)
        self.columns = list(zip(*distinct, strict=True))
        self.counts = [len(vectors[v]) for v in distinct]
        self.single = all(count == 1 for count in self.counts)
        self.members = list(vectors.values())  # vector -> its items
        self.vector_of = [0] * len(items)
        self.offset = [0] * len(items)
        for v, members in enumerate(vectors.values()):
            member_ranks = sorted(items[m].rank for m in members)
            for n in members:
                self.vector_of[n] = v
                self.offset[n] = bisect.bisect_left(member_ranks, items[n].rank)


def _weight_draws(
    ranking: Ranking, vectors: _Vectors, runs: int, spread: float, rng: random.Random
) -> Iterator[list[float]]:
    """Each run's score of every points vector: every weight × an independent factor from
    U(1 - spread, 1 + spread), drawn in criterion order."""
    criteria = ranking.criteria
    weights = [c.weight for c in criteria]
    maxima = [c.max_points for c in criteria]
    for _ in range(runs):
        w = [wc * rng.uniform(1 - spread, 1 + spread) for wc in weights]
        yield weighted_scores(w, vectors.columns, maxima)


def _weight_stability(
    ranking: Ranking, runs: int, spread: float, top: int, rng: random.Random
) -> list[Stability]:
    """Each item's stability when the weights wobble. An item's rank in a run is its
    vector's rank plus the items of its vector ranked above it (`offset`), so each vector's
    ranks are sorted once, not each item's."""
    items = ranking.items
    if not spread:  # nothing moves: every run is the ranking itself
        same = [0] * runs
        return [_stability(item, same, item.rank, top) for item in items]
    vectors = _Vectors(ranking)
    flat = array("i")  # run-major: each run's rank of every vector (4 bytes a rank)
    for scores in _weight_draws(ranking, vectors, runs, spread, rng):
        flat.extend(_ranks(scores, vectors.counts, vectors.single))
    width = len(vectors.counts)
    found: dict[int, Stability] = {}
    for v, members in enumerate(vectors.members):
        ordered = sorted(flat[v::width])
        for n in members:
            found[n] = _stability(items[n], ordered, vectors.offset[n], top)
    return [found[n] for n in range(len(items))]


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


# --- data ---------------------------------------------------------------------------------------


def _data_draws(
    ranking: Ranking, runs: int, spread: float, rng: random.Random, by_estimates: bool = False
) -> Iterator[list[float]]:
    """Each run's score of every item: each integration takes one of its bootstrap resamples
    (`by_estimates`: one of its draws among its estimators' values), drawn first, item by
    item (`RESAMPLES` at most); with a spread, the weights wobble too."""
    items = ranking.items
    criteria = ranking.criteria
    resamples = min(runs, RESAMPLES)
    fixed = [[item.criteria[c.id].points for item in items] for c in criteria]
    varying: dict[int, list[list[float]]] = {}  # criterion -> item -> points per resample
    for i, item in enumerate(items):
        if by_estimates:
            varied = estimate_points(ranking, item, rng, resamples)
        else:
            n = len(item.requesters)
            draws = _indices(rng, n, n * resamples) if n >= 2 else []
            varied = resampled_points(ranking, item, draws, resamples)
        for c_index, resampled in varied.items():
            if c_index not in varying:
                varying[c_index] = [[p] * resamples for p in fixed[c_index]]
            varying[c_index][i] = resampled
    weights = [c.weight for c in criteria]
    maxima = [c.max_points for c in criteria]
    n = len(items)

    def columns(pick: list[int] | None) -> list[list[float]]:
        """Each criterion's points of every item in resample `pick[i]` of item i (None:
        every resample at once, resample b of item i at b * n + i)."""
        if pick is None:
            return [
                [varying[c][i][b] for b in range(resamples) for i in range(n)]
                if c in varying
                else fixed[c] * resamples
                for c in range(len(criteria))
            ]
        return [
            list(map(list.__getitem__, varying[c], pick)) if c in varying else fixed[c]
            for c in range(len(criteria))
        ]

    if not spread:  # the weights stay: each resample's score is computed once
        every = weighted_scores(weights, columns(None), maxima)
        per_resample = [every[i::n] for i in range(n)]  # item -> its score in each resample
        for _ in range(runs):
            picks = _indices(rng, resamples, n)
            yield list(map(list.__getitem__, per_resample, picks))
        return
    for _ in range(runs):
        picks = _indices(rng, resamples, n)
        w = [wc * rng.uniform(1 - spread, 1 + spread) for wc in weights]
        yield weighted_scores(w, columns(picks), maxima)


def _data_runs(
    ranking: Ranking, runs: int, spread: float, rng: random.Random, by_estimates: bool = False
) -> array[int]:
    """Every run's rank of every item (ties as the ranking orders them)."""
    engine_rank = [item.rank for item in ranking.items]
    shared = len(set(engine_rank)) < len(engine_rank)
    flat = array("i")
    for scores in _data_draws(ranking, runs, spread, rng, by_estimates):
        flat.extend(_ranks_in_order(scores, engine_rank, shared))
    return flat


def run_scores(ranking: Ranking, how: Perturbation) -> Iterator[list[float]]:
    """Each run's score of every item of the ranking (in its order), as `sensitivity` draws
    them: the one definition of a run, which `plan --vary` reuses."""
    _no_formula(ranking)
    rng = random.Random(how.seed)
    items = ranking.items
    if how.vary == "weights":
        if not how.spread:
            scores = [item.score or 0.0 for item in items]
            for _ in range(how.runs):
                yield list(scores)
            return
        vectors = _Vectors(ranking)
        for by_vector in _weight_draws(ranking, vectors, how.runs, how.spread, rng):
            yield list(map(by_vector.__getitem__, vectors.vector_of))
        return
    _estimated_if_varied(ranking, how.vary)
    spread = how.spread if how.vary == "both" else 0.0
    if items:
        yield from _data_draws(ranking, how.runs, spread, rng, how.vary == "estimates")


def _estimated_if_varied(ranking: Ranking, vary: str) -> None:
    if vary == "estimates" and not ranking.estimated:
        raise IntscoreError(
            "--vary estimates draws from the estimators' files, but this config has no "
            "`estimates:` section"
        )


def _no_formula(ranking: Ranking) -> None:
    if ranking.formula:
        raise IntscoreError(
            "sensitivity varies the weights of the weighted sum, "
            "but this config scores with a formula"
        )


_SHIFT = (32).__rrshift__  # x -> x >> 32


def _indices(rng: random.Random, n: int, k: int) -> list[int]:
    """k uniform random indices below n, made from random bytes at C speed: below 257, each
    byte is kept only if it is under the largest multiple of n (so no index is favoured) and
    mapped to its remainder; above, a 32-bit multiply-shift (bias below n / 2**32)."""
    if n > 256:
        return list(map(_SHIFT, map(n.__mul__, array("I", rng.randbytes(4 * k)))))
    table, rejected = _byte_tables(n)
    out = b""
    while len(out) < k:
        out += rng.randbytes(k - len(out) + 8).translate(table, rejected)
    return list(out[:k])


_TABLES: dict[int, tuple[bytes, bytes]] = {}


def _byte_tables(n: int) -> tuple[bytes, bytes]:
    """(byte -> byte % n, the bytes at or above the largest multiple of n below 256)."""
    if n not in _TABLES:
        limit = 256 - 256 % n
        _TABLES[n] = (bytes(b % n for b in range(256)), bytes(range(limit, 256)))
    return _TABLES[n]


def _ranks_in_order(scores: list[float], engine_rank: list[int], shared: bool) -> list[int]:
    """Ranks by score, higher first; equal scores keep the ranking's order (a stable sort),
    and share a rank only where the ranking itself has them share one."""
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    if not shared:  # every rank distinct: an item's rank is its position (C-level inverse)
        return list(map((1).__add__, sorted(range(len(order)), key=order.__getitem__)))
    ranks = [0] * len(scores)
    previous_score = previous_engine = None
    rank = 0
    for position, i in enumerate(order, 1):
        if scores[i] != previous_score or engine_rank[i] != previous_engine:
            rank = position
        ranks[i] = rank
        previous_score, previous_engine = scores[i], engine_rank[i]
    return ranks


def resampled_points(
    ranking: Ranking, item: RankedItem, draws: Sequence[int], resamples: int
) -> dict[int, list[float]]:
    """For each criterion over requesters: its points in each bootstrap resample of the
    item's requesters — `draws[b*n:(b+1)*n]` are resample b's positions among its n
    requesters, the same for every criterion, as one requester brings all its values.
    Criteria that no resample can change are left out (and all, with fewer than 2)."""
    requesters = item.requesters
    n = len(requesters)
    if n < 2:
        return {}
    rows = [r.values for r in requesters]
    requests = [q.values for q in item.requests]
    index_of = {r: p for p, r in enumerate(requesters)}
    owners = [index_of[o] for o in item.owners]
    day = day_number(ranking.as_of)
    out: dict[int, list[float]] = {}
    for c_index, c in enumerate(ranking.criteria):
        if not c.over_requesters:  # an attribute of the integration: no requester changes it
            continue
        binding = Binding(c, ranking.requester_fields, day, ranking.aliases)
        if c.over == "requests":  # a requester drawn brings all its requests
            values = resampled_aggregates(binding, requests, draws, resamples, owners, n)
        else:
            found = binding.amounts(rows)
            amounts = [1.0] * len(found.counted) if found.amounts is None else found.amounts
            if len(found.counted) == n and len(set(amounts)) <= 1:
                continue  # every requester brings the same: every resample is the original
            values = resampled_aggregates(binding, rows, draws, resamples)
        known: dict[Any, float] = {}  # few distinct aggregates: points once each
        resampled = []
        for value in values:
            got = known.get(value)
            if got is None:
                got = known[value] = c.points_of(value)
            resampled.append(got)
        out[c_index] = resampled
    return out


def estimate_points(
    ranking: Ranking, item: RankedItem, rng: random.Random, draws: int
) -> dict[int, list[float]]:
    """For each criterion that reads an estimated field of the item: its points in each of
    `draws` draws, each one estimator's value chosen uniformly (one choice per field, shared
    by the criteria that read it). Criteria whose estimates all earn the same points are left
    out."""
    picks: dict[str, list[int]] = {}
    out: dict[int, list[float]] = {}
    for c_index, c in enumerate(ranking.criteria):
        estimated = None if c.over_requesters else item.estimates.get(c.field or "")
        if estimated is None:
            continue
        points = [c.points_of(e.value) for e in estimated.combined.estimates]
        if len(set(points)) <= 1:
            continue
        name = c.field or ""
        if name not in picks:
            picks[name] = _indices(rng, len(points), draws)
        out[c_index] = list(map(points.__getitem__, picks[name]))
    return out


def _percentile(ordered: Sequence[int], p: float) -> int:
    """Nearest-rank percentile of sorted values."""
    index = max(math.ceil(p / 100 * len(ordered)) - 1, 0)
    return ordered[index]
