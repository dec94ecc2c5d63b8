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
    reader = csv.reader(io.StringIO(text))
    try:
        expected = [row for row in reader if row]
    except csv.Error as exc:  # a field over csv's limit, a NUL: no ranking intscore wrote
        yield finding(name, reader.line_num, f"not a ranking CSV: {exc}")
        return
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
    rank = _number(cells.get("rank"))
    return Place(name, name, None if rank is None else int(rank), _number(cells.get("score")))


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
    kinds: dict[str, list[str]] = {k: [] for k in ("moved", "added", "gone", "rescored", "changed")}
    reordered: dict[str, list[tuple[str, str]]] = {}  # an old shared rank -> (name, new rank)
    pairs = rank_moves([_place(c) for c in before.values()], [_place(c) for c in now.values()])
    for was, is_now in pairs:
        if is_now is None:
            assert was is not None
            kinds["gone"].append(f"{was.integration} gone")
        elif was is None:
            kinds["added"].append(f"{is_now.integration} new at {now[is_now.key]['rank']}")
        else:
            old_row, row = before[was.key], now[is_now.key]
            retied = old_row.get("rank") != row["rank"] and old_row.get("score") == row["score"]
            if retied and old_row.get("rank") in tied:  # a tie the new ranking orders anew
                reordered.setdefault(old_row["rank"], []).append((is_now.integration, row["rank"]))
                continue
            kind, text = _change(was, is_now, old_row, row, shared)
            if kind:
                kinds[kind].append(text)
    moves = kinds["moved"] + _ties(reordered, kinds["moved"])
    moves += kinds["added"] + kinds["gone"] + kinds["rescored"] + kinds["changed"]
    columns = [f"column {c} added" for c in new_columns if c not in old_columns]
    columns += [f"column {c} removed" for c in old_columns if c not in new_columns]
    return moves + (columns or ([] if moves else ["the order of rows or the formatting changed"]))


def _change(
    was: Place, now: Place, old_row: dict[str, str], row: dict[str, str], shared: list[str]
) -> tuple[str, str]:
    """(kind, words) of what changed for an integration on both sides ("" when nothing)."""
    name = now.integration
    same_score = old_row.get("score") == row["score"]
    if old_row.get("rank") != row["rank"]:
        change = f"{name} {old_row.get('rank')}→{row['rank']}"
        if not same_score:
            change += f" (score {_score(was.score)}→{_score(now.score)})"
        return "moved", change
    if not same_score:
        return "rescored", f"{name} score {_score(was.score)}→{_score(now.score)}"
    if any(old_row.get(c) != row.get(c) for c in shared):
        return "changed", f"{name} values changed"
    return "", ""


def _ties(reordered: dict[str, list[tuple[str, str]]], moved: list[str]) -> list[str]:
    """Ties the new ranking orders differently: one left tied moved on its own (added to
    `moved`), several said as the tie's new order."""
    ties = []
    for rank, names in reordered.items():
        if len(names) == 1:
            ((integration, rank_now),) = names
            moved.append(f"{integration} {rank}→{rank_now} (was tied)")
        else:
            order = ", ".join(f"{integration} {rank_now}" for integration, rank_now in names)
            ties.append(f"the tie at {rank} is now ordered ({order})")
    return ties


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
