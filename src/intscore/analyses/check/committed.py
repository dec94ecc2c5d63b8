"""The committed ranking (`check --expect RANKING.csv`): stale when `rank -f csv` would write
something else now. What moved is the ranking diff's (`analyses.diff.rank_moves`) over the
two files' rows, said in one line with the command that refreshes the file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

from ... import problems as ids
from ...engine.documents import ranking_rows
from ...problems import Finding
from ..diff import Place, rank_moves
from .context import CheckContext, finding, implements

__all__: list[str] = []

MOST_SHOWN = 8  # changes named in the message; then "and N more"


@implements(ids.STALE_RANKING)
def stale_ranking(context: CheckContext) -> Iterator[Finding]:
    if context.expected is None:
        return
    name, text = context.expected
    if context.config.model.uses_ages() and not context.as_of_pinned:
        yield finding(
            name,
            None,
            "the config counts ages (decay or within), so a committed ranking goes stale by "
            "itself as days pass; pin the day: as_of: YYYY-MM-DD in scoring.yaml, or --as-of",
        )
        return
    expected = [row for row in csv.reader(io.StringIO(text)) if row]
    current = ranking_rows(context.ranking)
    if expected == current:
        return
    moves = _changes(_rows(expected), _rows(current))
    shown = ", ".join(moves[:MOST_SHOWN])
    if len(moves) > MOST_SHOWN:
        shown += f", and {len(moves) - MOST_SHOWN} more"
    yield finding(
        name,
        None,
        f"the committed ranking is stale: {shown}; refresh it with: {context.refresh_command}",
    )


def _rows(rows: list[list[str]]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """({integration: {column: cell}}, the columns) of a ranking file, header first."""
    if not rows:
        return {}, []
    header = rows[0]
    found = {}
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        if "integration" in cells:
            found[cells["integration"]] = cells
    return found, header


def _place(cells: dict[str, str]) -> Place:
    name = cells["integration"]
    return Place(name, name, _number(cells.get("rank")), _number(cells.get("score")))


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _changes(
    old: tuple[dict[str, dict[str, str]], list[str]],
    new: tuple[dict[str, dict[str, str]], list[str]],
) -> list[str]:
    """What differs, in words: moves, reordered ties, new and gone integrations, new scores,
    changed values, added and removed columns."""
    (before, old_columns), (now, new_columns) = old, new
    shared = [c for c in new_columns if c in old_columns and c not in ("rank", "score")]
    tied = {r for r, n in Counter(cells.get("rank") for cells in before.values()).items() if n > 1}
    moved, added, gone, rescored, changed = [], [], [], [], []
    reordered: dict[str, list[tuple[str, str]]] = {}  # an old shared rank -> (name, new rank)
    pairs = rank_moves([_place(c) for c in before.values()], [_place(c) for c in now.values()])
    for was, is_now in pairs:
        if is_now is None:
            assert was is not None
            gone.append(f"{was.integration} gone")
            continue
        row = now[is_now.key]
        if was is None:
            added.append(f"{is_now.integration} new at {row['rank']}")
            continue
        old_row = before[was.key]
        same_score = old_row.get("score") == row["score"]
        if old_row.get("rank") != row["rank"]:
            if same_score and old_row.get("rank") in tied:
                reordered.setdefault(old_row["rank"], []).append((is_now.integration, row["rank"]))
                continue
            change = f"{is_now.integration} {old_row.get('rank')}→{row['rank']}"
            if not same_score:
                change += f" (score {_score(was.score)}→{_score(is_now.score)})"
            moved.append(change)
        elif not same_score:
            rescored.append(
                f"{is_now.integration} score {_score(was.score)}→{_score(is_now.score)}"
            )
        elif any(old_row.get(c) != row.get(c) for c in shared):
            changed.append(f"{is_now.integration} values changed")
    ties = []
    for rank, names in reordered.items():
        if len(names) == 1:
            ((integration, rank_now),) = names
            moved.append(f"{integration} {rank}→{rank_now} (was tied)")
        else:
            order = ", ".join(f"{integration} {rank_now}" for integration, rank_now in names)
            ties.append(f"the tie at {rank} is now ordered ({order})")
    moves = moved + ties + added + gone + rescored + changed
    columns = [f"column {c} added" for c in new_columns if c not in old_columns]
    columns += [f"column {c} removed" for c in old_columns if c not in new_columns]
    return moves + (columns or ([] if moves else ["the order of rows or the formatting changed"]))


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
