"""Value vs effort: each integration's position in the classic 2×2 (quick wins, big bets,
fill-ins, money pits), from the same points and weights as its score. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.ranking import RankedItem, Ranking
from ..model.compiled import Criterion, weighted_maximum
from ..model.weighted import SCORE_DECIMALS, weighted_scores
from ..problems import IntscoreError

__all__ = ["QUADRANTS", "Placement", "place"]

# (high value?, high effort?) -> quadrant
QUADRANTS = {
    (True, False): "Quick wins",
    (True, True): "Big bets",
    (False, False): "Fill-ins",
    (False, True): "Money pits",
}


@dataclass(frozen=True)
class Placement:
    item: RankedItem
    value: float  # 0-100: the score over value criteria only
    effort: float  # 0-100: 100 minus the score over effort criteria (their points reward ease)
    quadrant: str


def place(
    ranking: Ranking, value_split: float = 50.0, effort_split: float = 50.0
) -> list[Placement]:
    """Place every integration; a point exactly on a split counts as high on that axis."""
    value_criteria = [c for c in ranking.criteria if c.kind == "value"]
    effort_criteria = [c for c in ranking.criteria if c.kind == "effort"]
    if not effort_criteria:
        raise IntscoreError(
            "the matrix needs at least one criterion with `kind: effort` "
            "(e.g. build difficulty); this config has none"
        )
    if not value_criteria:
        raise IntscoreError("the matrix needs at least one criterion of kind value")
    for c in ranking.criteria:
        if c.max_points <= 0 and c.weight > 0:
            raise IntscoreError(
                f"criterion '{c.id}' has no bands, map or scale, so it has no 0-100 range "
                "for the matrix"
            )
    value_total = weighted_maximum(value_criteria)
    effort_total = weighted_maximum(effort_criteria)
    if value_total <= 0 or effort_total <= 0:
        raise IntscoreError("the value and the effort criteria each need a weight above 0")
    values = _scores(ranking, value_criteria)
    eases = _scores(ranking, effort_criteria)
    placements = []
    for item, value, ease in zip(ranking.items, values, eases, strict=True):
        effort = round(100.0 - ease, SCORE_DECIMALS)
        quadrant = QUADRANTS[(value >= value_split, effort >= effort_split)]
        placements.append(Placement(item, value, effort, quadrant))
    return placements


def _scores(ranking: Ranking, criteria: list[Criterion]) -> list[float]:
    """Each item's weighted score over these criteria alone (0-100)."""
    columns = [[item.criteria[c.id].points for item in ranking.items] for c in criteria]
    weights = [c.weight for c in criteria]
    return weighted_scores(weights, columns, [c.max_points for c in criteria])
