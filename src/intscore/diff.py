"""What a change does to the ranking: rank diffs between two configs or two backlogs, and the
config edits behind them. Pure: rankings in, data out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import Criterion, ScoringConfig
from .numbers import format_number
from .ranking import Ranking

__all__ = ["DiffItem", "RankingDiff", "config_changes", "diff_rankings"]


@dataclass(frozen=True)
class DiffItem:
    """One integration on both sides of a diff (rank None: absent on that side)."""

    integration: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    changed: tuple[str, ...]  # criteria whose points changed

    @property
    def moved(self) -> int | None:
        """Places gained (positive) or lost; None when absent on a side."""
        if self.old_rank is None or self.new_rank is None:
            return None
        return self.old_rank - self.new_rank


@dataclass(frozen=True)
class RankingDiff:
    items: list[DiffItem]
    top: int
    entered: list[str]  # into the top N
    left: list[str]  # out of the top N
    config_changes: list[str]

    @property
    def moved(self) -> list[DiffItem]:
        return [i for i in self.items if i.old_rank != i.new_rank]


def diff_rankings(
    base: Ranking,
    head: Ranking,
    top: int = 10,
    base_config: ScoringConfig | None = None,
    head_config: ScoringConfig | None = None,
) -> RankingDiff:
    """Compare two rankings item by item (matched by group key), ordered by new rank."""
    old = {item.key: item for item in base.items}
    new = {item.key: item for item in head.items}
    items = []
    for key, item in new.items():
        before = old.get(key)
        changed = ()
        if before is not None:
            changed = tuple(
                cid
                for cid, score in item.criteria.items()
                if cid not in before.criteria or before.criteria[cid].points != score.points
            )
        items.append(
            DiffItem(
                item.integration,
                before.rank if before else None,
                item.rank,
                before.score if before else None,
                item.score,
                changed,
            )
        )
    for key, item in old.items():
        if key not in new:
            items.append(DiffItem(item.integration, item.rank, None, item.score, None, ()))
    in_old_top = {i.integration for i in items if i.old_rank is not None and i.old_rank <= top}
    in_new_top = {i.integration for i in items if i.new_rank is not None and i.new_rank <= top}
    entered = [i.integration for i in items if i.integration in in_new_top - in_old_top]
    left = [i.integration for i in items if i.integration in in_old_top - in_new_top]
    changes = config_changes(base_config, head_config) if base_config and head_config else []
    return RankingDiff(items, top, entered, left, changes)


def config_changes(old: ScoringConfig, new: ScoringConfig) -> list[str]:
    """What differs between two configs, one line per change, e.g. `difficulty: weight 20 → 60`."""
    lines = []
    old_criteria = {c.id: c for c in old.criteria}
    new_criteria = {c.id: c for c in new.criteria}
    for cid in old_criteria.keys() - new_criteria.keys():
        lines.append(f"{cid}: removed")
    for cid, c in new_criteria.items():
        before = old_criteria.get(cid)
        if before is None:
            lines.append(f"{cid}: added (weight {format_number(c.weight)})")
            continue
        for name in Criterion.model_fields:
            a, b = getattr(before, name), getattr(c, name)
            if a != b:
                old_text = before.scorer.describe() if name in _SCORER_KEYS and a else None
                new_text = c.scorer.describe() if name in _SCORER_KEYS and b else None
                lines.append(f"{cid}: {name} {old_text or _compact(a)} → {new_text or _compact(b)}")
    order = [c.id for c in old.criteria]
    if [cid for cid in order if cid in new_criteria] != [
        c.id for c in new.criteria if c.id in old_criteria
    ]:
        lines.append("criteria reordered")
    for name in ("columns", "aliases"):
        if getattr(old, name) != getattr(new, name):
            lines.append(f"{name} changed")
    return sorted(lines, key=lambda line: line.endswith("removed"))


_SCORER_KEYS = ("bands", "map", "scale")


def _compact(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return format_number(value)
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump().items())
    return str(value)
