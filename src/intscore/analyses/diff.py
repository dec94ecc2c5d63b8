"""What a change does to the ranking: rank diffs between two configs or two backlogs, and the
config edits behind them. Pure: rankings in, data out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from ..engine.ranking import RankedItem, Ranking
from ..matching import name_key
from ..model.compiled import Condition, Criterion, Model
from ..numbers import format_number

__all__ = ["DiffItem", "Place", "RankingDiff", "config_changes", "diff_rankings", "rank_moves"]


@dataclass(frozen=True)
class DiffItem:
    """One integration on both sides of a diff (rank None: absent on that side)."""

    integration: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    changed: tuple[str, ...]  # criteria whose points changed
    why: tuple[str, ...] = ()  # e.g. "account_size +1 pt", "demand weight 40→30"

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

    @property
    def shown(self) -> list[DiffItem]:
        """Everything in the top N on either side: what enters, leaves or moves within it."""
        return [
            i for i in self.items if _in_top(i.old_rank, self.top) or _in_top(i.new_rank, self.top)
        ]

    @property
    def moved_elsewhere(self) -> int:
        """Integrations that changed rank outside the top N on both sides."""
        shown = {id(i) for i in self.shown}
        return sum(1 for i in self.moved if id(i) not in shown)


def _in_top(rank: int | None, top: int) -> bool:
    return rank is not None and rank <= top


@dataclass(frozen=True)
class Place:
    """One integration's place in a ranking, from a Ranking or a committed ranking file."""

    key: str  # what matches it across the two sides
    integration: str
    rank: int | None
    score: float | None


def rank_moves(
    old: Sequence[Place], new: Sequence[Place]
) -> list[tuple[Place | None, Place | None]]:
    """The two rankings side by side, matched by key: every integration of the new one in its
    order (with its old place, or None), then those only the old one has, in their order."""
    before = {p.key: p for p in old}
    now = {p.key for p in new}
    pairs: list[tuple[Place | None, Place | None]] = [(before.get(p.key), p) for p in new]
    return pairs + [(p, None) for p in old if p.key not in now]


def _place(item: RankedItem) -> Place:
    return Place(item.key, item.integration, item.rank, item.score)


def diff_rankings(
    base: Ranking,
    head: Ranking,
    top: int = 10,
    base_config: Model | None = None,
    head_config: Model | None = None,
) -> RankingDiff:
    """Compare two rankings item by item (matched by group key), ordered by new rank, each
    with why its score moved."""
    old = {item.key: item for item in base.items}
    new = {item.key: item for item in head.items}
    old_criteria = {c.id: c for c in base.criteria}
    merged_into = _alias_targets(head_config)  # spelling key -> canonical name
    split_from = _alias_targets(base_config)
    items = []
    for was, now in rank_moves([_place(i) for i in base.items], [_place(i) for i in head.items]):
        if was is None:
            assert now is not None
            why: tuple[str, ...] = (
                (f"split from {split_from[now.key]}",) if now.key in split_from else ("new",)
            )
            items.append(DiffItem(now.integration, None, now.rank, None, now.score, (), why))
        elif now is None:
            why = (f"merged into {merged_into[was.key]}",) if was.key in merged_into else ("gone",)
            items.append(DiffItem(was.integration, was.rank, None, was.score, None, (), why))
        else:
            before, item = old[was.key], new[now.key]
            changed = tuple(
                cid
                for cid, score in item.criteria.items()
                if cid not in before.criteria or before.criteria[cid].points != score.points
            )
            why = _why(before, item, old_criteria, head)
            items.append(
                DiffItem(
                    item.integration, before.rank, item.rank, before.score, item.score, changed, why
                )
            )
    in_old_top = {i.integration for i in items if _in_top(i.old_rank, top)}
    in_new_top = {i.integration for i in items if _in_top(i.new_rank, top)}
    entered = [i.integration for i in items if i.integration in in_new_top - in_old_top]
    left = [i.integration for i in items if i.integration in in_old_top - in_new_top]
    changes = config_changes(base_config, head_config) if base_config and head_config else []
    return RankingDiff(items, top, entered, left, changes)


def _why(
    before: RankedItem, after: RankedItem, old_criteria: dict[str, Criterion], head: Ranking
) -> tuple[str, ...]:
    """The criteria whose points or weights changed this item's score; else what moved it."""
    reasons = []
    for c in head.criteria:
        was = before.criteria.get(c.id)
        now = after.criteria[c.id]
        if was is None:
            reasons.append(f"{c.id} added")
            continue
        delta = now.points - was.points
        if delta:
            unit = "pt" if abs(delta) == 1 else "pts"
            reasons.append(f"{c.id} {'+' if delta > 0 else '−'}{format_number(abs(delta))} {unit}")
        old_weight = old_criteria[c.id].weight if c.id in old_criteria else c.weight
        if old_weight != c.weight:  # moves every score: its points and the maximum
            reasons.append(f"{c.id} weight {format_number(old_weight)}→{format_number(c.weight)}")
    for cid, was in before.criteria.items():
        if cid not in after.criteria and was.points:
            reasons.append(f"{cid} removed")
    if reasons or before.rank == after.rank:
        return tuple(reasons)
    if before.score == after.score and (after.tiebreak or before.tiebreak):
        return ("tiebreak",)
    return ("others moved",)


def _alias_targets(config: Model | None) -> dict[str, str]:
    """Group key of each alias spelling -> its canonical name."""
    if config is None:
        return {}
    return {
        name_key(spelling): canonical
        for canonical, spellings in config.aliases.items()
        for spelling in spellings
    }


def config_changes(old: Model, new: Model) -> list[str]:
    """What differs between two configs, one line per change, e.g. `difficulty: weight 20 → 60`."""
    lines = _criteria_changes(old, new)
    if old.columns != new.columns:
        lines.append("columns changed")
    if old.tiebreak != new.tiebreak:
        lines.append(f"tiebreak {_compact(old.tiebreak)} → {_compact(new.tiebreak)}")
    lines += _alias_changes(old, new)
    return sorted(lines, key=lambda line: line.endswith("removed"))


def _criteria_changes(old: Model, new: Model) -> list[str]:
    """Criteria removed, added, changed key by key, and reordered."""
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
        for name in CRITERION_KEYS:
            a, b = getattr(before, name), getattr(c, name)
            if a != b:
                old_text = before.scorer.describe() if name in _SCORER_KEYS and a else None
                new_text = c.scorer.describe() if name in _SCORER_KEYS and b else None
                lines.append(f"{cid}: {name} {old_text or _compact(a)} → {new_text or _compact(b)}")
    kept_order = [cid for cid in old_criteria if cid in new_criteria]
    if kept_order != [cid for cid in new_criteria if cid in old_criteria]:
        lines.append("criteria reordered")
    return lines


def _alias_changes(old: Model, new: Model) -> list[str]:
    """Spellings now merged into a name, no longer merged, or merged into another."""
    lines = []
    before, after = _alias_targets(old), _alias_targets(new)
    for key in after.keys() - before.keys():
        lines.append(f"aliases: {_spelling(new, key)} now merged into {after[key]}")
    for key in before.keys() - after.keys():
        lines.append(f"aliases: {_spelling(old, key)} no longer merged into {before[key]}")
    for key in before.keys() & after.keys():
        if before[key] != after[key]:
            lines.append(
                f"aliases: {_spelling(new, key)} now merged into {after[key]}, not {before[key]}"
            )
    return lines


def _spelling(config: Model, key: str) -> str:
    """The alias spelling as the config writes it."""
    for spellings in config.aliases.values():
        for spelling in spellings:
            if name_key(spelling) == key:
                return spelling
    return key


_SCORER_KEYS = ("bands", "map", "scale")
# What a criterion says in scoring.yaml, in its order there.
CRITERION_KEYS = [f.name for f in fields(Criterion) if f.init]


def _compact(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if is_dataclass(value) and not isinstance(value, type):
        shown = {f.name: getattr(value, f.name) for f in fields(value) if f.init}
        return ", ".join(f"{k}={_plain(v)}" for k, v in shown.items())
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def _plain(value: Any) -> Any:
    """Nested config values as scoring.yaml would write them."""
    if isinstance(value, Condition):
        return value.describe("").strip()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.init}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
