"""Why an integration ranks where it does: each criterion's value and how it was computed (from
the engine's trace), its points and contribution, and what would close the gap to the next rank
up; and, for two integrations, where their difference comes from. Pure."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..dates import day_number
from ..engine.ranking import (
    CriterionScore,
    EstimatedField,
    RankedItem,
    Ranking,
    Requester,
    Trace,
)
from ..engine.ties import tiebreak_key
from ..matching import name_key
from ..model.aggregates import Binding, Removal
from ..model.compiled import Criterion
from ..model.weighted import SCORE_DECIMALS, contribution
from ..numbers import format_number
from ..problems import IntscoreError

__all__ = [
    "CriterionExplanation",
    "Explanation",
    "GapStep",
    "Loss",
    "TieOrder",
    "Versus",
    "costliest_requester",
    "estimate_words",
    "explain",
    "find_item",
    "requester_name",
    "versus",
]


@dataclass(frozen=True)
class CriterionExplanation:
    """One criterion of one integration, in words and numbers."""

    id: str
    label: str
    value: Any
    how: str  # e.g. "3 customers × 1 + 1 prospect × 0.5"
    scorer: str  # band | map | scale
    band: str | None
    points: float
    max_points: float
    weight: float
    contribution: float | None
    status: str


@dataclass(frozen=True)
class GapStep:
    """What one criterion would need to lift the integration past the one above."""

    criterion: str
    label: str
    needs: str  # e.g. "Demand ≥ 10 (now 3.5)"
    gain: float  # score points the step adds
    closes: bool  # enough on its own


@dataclass(frozen=True)
class Explanation:
    item: RankedItem
    criteria: list[CriterionExplanation]
    accounts: list[str]
    denominator: float
    above: RankedItem | None
    gap: float | None
    steps: list[GapStep]
    formula: str | None = None
    ties: list[TieOrder] = field(default_factory=list)
    costliest: Loss | None = None
    # Estimated fields no criterion reads (those a criterion reads are told in its `how`).
    other_estimates: dict[str, EstimatedField] = field(default_factory=dict)


@dataclass(frozen=True)
class TieOrder:
    """An equal score the tiebreak decided: who is above, who below, and by what."""

    above: RankedItem
    below: RankedItem
    criterion: str  # id
    label: str


@dataclass(frozen=True)
class Loss:
    """What losing one requester would do to an integration."""

    requester: str  # the account, or "line N" for an anonymous one
    score: float
    rank: int


@dataclass(frozen=True)
class Versus:
    """Two integrations' scores, criterion by criterion."""

    a: RankedItem
    b: RankedItem
    # (criterion, a's score, b's score, Δ score points; None with a formula)
    rows: list[tuple[Criterion, CriterionScore, CriterionScore, float | None]]
    denominator: float

    @property
    def difference(self) -> float:
        return (self.a.score or 0.0) - (self.b.score or 0.0)


def find_item(ranking: Ranking, name: str, aliases: Mapping[str, Sequence[str]]) -> RankedItem:
    """The integration called `name` (any spelling or alias); IntscoreError with the closest
    names otherwise."""
    wanted = name_key(name)
    for canonical, spellings in aliases.items():
        if wanted in {name_key(s) for s in spellings}:
            wanted = name_key(canonical)
    for item in ranking.items:
        if item.key == wanted or any(name_key(s) == wanted for s, _ in item.spellings):
            return item
    names = [item.integration for item in ranking.items]
    by_key = {name_key(n): n for n in names}
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(by_key[c]) for c in close)}?" if close else ""
    raise IntscoreError(f"no integration called '{name}' in the input{hint}")


def explain(ranking: Ranking, item: RankedItem) -> Explanation:
    """The full explanation of one item's score and rank."""
    criteria = [
        CriterionExplanation(
            id=c.id,
            label=c.title,
            value=item.criteria[c.id].value,
            how=_how(c, item.criteria[c.id], item.estimates.get(c.field or "")),
            scorer=c.scorer.kind,
            band=item.criteria[c.id].band,
            points=item.criteria[c.id].points,
            max_points=c.max_points,
            weight=c.weight,
            contribution=item.criteria[c.id].contribution,
            status=item.criteria[c.id].status,
        )
        for c in ranking.criteria
    ]
    above = _next_up(ranking, item)
    gap = None if above is None else (above.score or 0.0) - (item.score or 0.0)
    # With a formula, points do not add up, so no single-criterion steps are offered.
    steps = _steps(ranking, item, gap) if gap is not None and not ranking.formula else []
    accounts = sorted((r.account for r in item.requesters if r.account), key=str.casefold)
    return Explanation(
        item,
        criteria,
        accounts,
        ranking.denominator,
        above,
        gap,
        steps,
        ranking.formula,
        _ties(ranking, item),
        None if ranking.formula else costliest_requester(ranking, item),
        {
            name: estimated
            for name, estimated in item.estimates.items()
            if name not in {c.field for c in ranking.criteria}
        },
    )


def _ties(ranking: Ranking, item: RankedItem) -> list[TieOrder]:
    """The tiebreaks between this item and its equal-score neighbours."""
    items = ranking.items
    n = items.index(item)
    titles = {c.id: c.title for c in ranking.criteria}
    out = []
    if item.tiebreak and n > 0:
        out.append(TieOrder(items[n - 1], item, item.tiebreak, titles[item.tiebreak]))
    if n + 1 < len(items) and items[n + 1].tiebreak:
        below = items[n + 1]
        out.append(TieOrder(item, below, below.tiebreak, titles[below.tiebreak]))  # type: ignore[arg-type, index]
    return out


def costliest_requester(ranking: Ranking, item: RankedItem) -> Loss | None:
    """The requester whose loss would cost the item the most score (then the most ranks),
    and the score and rank without it: what ranking the data without that requester's rows
    would give. The aggregates answer "without this one?" in O(1): linear in the requesters."""
    if not item.requesters or not ranking.denominator:
        return None
    criteria = list(ranking.criteria)
    by_id = {c.id: c for c in criteria}
    tiebreak = [by_id[cid] for cid in ranking.tiebreak]
    others = [i for i in ranking.items if i is not item]
    higher = sorted((i.score or 0.0) for i in others)
    keys_at: dict[float | None, list[Any]] = {}  # other items' tiebreak keys, by score
    for i in others:
        values = {c.id: i.criteria[c.id].value for c in tiebreak}
        keys_at.setdefault(i.score, []).append(tiebreak_key(tiebreak, values))
    rows = [r.values for r in item.requesters]
    removals = _removals(ranking, item, rows)
    best: tuple[float, int, str, Loss] | None = None
    for position, r in enumerate(item.requesters):
        values = {}
        total = 0.0
        for c in criteria:
            score = item.criteria[c.id]
            removal = removals.get(c.id)
            value = score.value if removal is None else removal.without(position, rows[position])
            values[c.id] = value
            points = score.points if removal is None else c.points_of(value)
            total += contribution(c.weight, points, ranking.denominator)
        new = round(total, SCORE_DECIMALS)
        rank = len(higher) - bisect.bisect_right(higher, new) + 1
        if new in keys_at:
            mine = tiebreak_key(tiebreak, values)
            rank += sum(1 for key in keys_at[new] if key < mine)
        name = requester_name(r)
        candidate = (new, -rank, name.casefold(), Loss(name, new, rank))
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    return None if best is None else best[3]


def _removals(ranking: Ranking, item: RankedItem, rows: list[Sequence[Any]]) -> dict[str, Removal]:
    """Each criterion over requesters, ready to answer "without this requester?" (over
    requests: without all of its requests)."""
    day = day_number(ranking.as_of)
    requests = [q.values for q in item.requests]
    index_of = {r: p for p, r in enumerate(item.requesters)}
    owners = [index_of[o] for o in item.owners]
    return {
        c.id: Removal(
            Binding(c, ranking.requester_fields, day, ranking.aliases),
            requests if c.over == "requests" else rows,
            _number(item, c.id),
            owners if c.over == "requests" else None,
        )
        for c in ranking.criteria
        if c.over_requesters
    }


def versus(ranking: Ranking, a: RankedItem, b: RankedItem) -> Versus:
    """Where the score difference between two integrations comes from."""
    rows = []
    for c in ranking.criteria:
        sa, sb = a.criteria[c.id], b.criteria[c.id]
        delta = None if sa.contribution is None else sa.contribution - (sb.contribution or 0.0)
        rows.append((c, sa, sb, delta))
    return Versus(a, b, rows, ranking.denominator)


def requester_name(r: Requester) -> str:
    """A requester as messages name it: its account, or `line N` for a row that names none
    (a requester of its own)."""
    return r.account or f"line {r.line}"


def _next_up(ranking: Ranking, item: RankedItem) -> RankedItem | None:
    """The nearest integration above that scores strictly more: of the lowest score above
    this one, the one ranked last (the first a rise in score would pass)."""
    above = [i for i in ranking.items if (i.score or 0.0) > (item.score or 0.0)]
    return min(above, key=lambda i: (i.score, -i.rank)) if above else None


def _how(c: Criterion, score: CriterionScore, estimated: EstimatedField | None = None) -> str:
    """How a criterion's raw value came about, in words."""
    only = ""
    if c.where:
        only = " (only " + ", ".join(v.describe(k) for k, v in c.where.items()) + ")"
    if estimated is not None:
        return estimate_words(estimated)
    if c.aggregate == "value":
        return _value_words(score)
    trace = score.trace
    assert trace is not None
    if c.aggregate == "count":
        return _count_words(c, score, trace, only)
    contributors = [
        (requester_name(r), v) for r, v in zip(trace.requesters, trace.amounts or (), strict=True)
    ]
    if not contributors:
        return f"no value from any requester{only}"
    contributors.sort(key=lambda pair: -pair[1])
    shown = [f"{name} {format_number(v)}" for name, v in contributors[:6]]
    if len(contributors) > 6:
        shown.append(f"{len(contributors) - 6} more")
    if c.over == "requests":
        only = f" over {len(contributors)} request{'s' * (len(contributors) != 1)}{only}"
    if c.aggregate == "sum":
        return f"sum of {' + '.join(shown)}{only}"
    if c.aggregate == "mean":
        return f"mean of {len(contributors)}: {', '.join(shown)}{only}"
    return f"{c.aggregate} of {', '.join(shown)}{only}"


def _value_words(score: CriterionScore) -> str:
    """An integration attribute: where it came from, or why there is none."""
    if score.status == "missing":
        return "no value in any row"
    if score.status == "conflict":
        listed = ", ".join(f"{_value(s.value)} (line {s.line})" for s in score.seen)
        return f"rows disagree: {listed}; the fewest points count"
    first = score.seen[0]
    return f"{_value(first.value)} from {first.file}:{first.line}"


def _count_words(c: Criterion, score: CriterionScore, trace: Trace, only: str) -> str:
    """Requesters counted, grouped by their row weight when one applies."""
    requesters = trace.requesters
    if trace.weighed_by is None or trace.amounts is None or not c.row_weight:
        return f"{len(requesters)} requester{'s' * (len(requesters) != 1)}{only}"
    groups: dict[tuple[str, float], int] = {}
    for key, weight in zip(trace.weighed_by, trace.amounts, strict=True):
        label = f"no {c.row_weight.field}" if key is None else str(key)
        groups[(label, weight)] = groups.get((label, weight), 0) + 1
    parts = [f"{n} {_plural(label, n)} × {format_number(w)}" for (label, w), n in groups.items()]
    total = format_number(float(score.value or 0.0))
    return f"{total} requesters = {' + '.join(parts) or '0'}{only}"


def estimate_words(estimated: EstimatedField) -> str:
    """`the median of 3 estimates (Dana 2, Lee 1, Sam 1): 1, agreement high`."""
    c = estimated.combined
    word = _COMBINE_WORD.get(c.how, c.how)
    how = "the only estimate" if c.n == 1 else f"the {word} of {c.n} estimates"
    words = f"{how} ({c.listing()}): {c.show(c.value)}, agreement {c.agreement}"
    if c.n > 1 and c.low is not None and c.low != c.high:
        words += f" (range {c.show(c.low)} to {c.show(c.high)})"
    if estimated.overridden:
        data = ", ".join(f"{c.show(s.value)} (line {s.line})" for s in estimated.overridden)
        words += f"; over the data's {data}"
    return words


_COMBINE_WORD = {"median": "median", "mean": "mean", "min": "smallest", "max": "largest"}


def _number(item: RankedItem, cid: str) -> float | None:
    """A criterion's value over requesters (a number: its aggregate)."""
    value = item.criteria[cid].value
    return None if value is None else float(value)


def _plural(label: str, n: int) -> str:
    return label if n == 1 or label.endswith("s") or label.startswith("no ") else label + "s"


def _value(value: Any) -> str:
    return format_number(value) if isinstance(value, float) else repr(str(value))


def _steps(ranking: Ranking, item: RankedItem, gap: float) -> list[GapStep]:
    """For each criterion, the smallest improvement in points and what it needs."""
    denominator = ranking.denominator
    steps = []
    for c in ranking.criteria:
        score = item.criteria[c.id]
        if c.weight == 0:
            continue
        per_point = contribution(c.weight, 1.0, denominator)
        option = _better(c, score, gap / per_point)
        if option is None:
            continue
        needs, points = option
        gain = (points - score.points) * per_point
        steps.append(GapStep(c.id, c.title, needs, gain, gain >= gap - 1e-9))
    steps.sort(key=lambda s: (not s.closes, -s.gain if not s.closes else s.gain))
    return steps


def _better(c: Criterion, score: CriterionScore, wanted: float) -> tuple[str, float] | None:
    """The cheapest step up in points that closes `wanted` extra points (or the best one if
    none does), in words."""
    # A count without row weights moves by whole requesters: its steps name whole numbers.
    whole = c.aggregate == "count" and c.row_weight is None
    step = c.scorer.step_up(score.points, score.points + wanted, whole)
    if step is None:
        return None
    return f"{c.title} {step.needs} (now {_shown(score.value)})", step.points


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    return format_number(value) if isinstance(value, float) else str(value)
