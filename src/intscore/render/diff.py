"""Rank diffs as a table, Markdown (for PR comments) and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import DIFF_FORMATS
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .values import markdown_cell, markdown_code, show_score

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.diff import DiffItem, RankingDiff
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "render_diff"]

FORMATS = DIFF_FORMATS


def render_diff(
    diff: RankingDiff, base: RunInfo, head: RunInfo, fmt: str, screen: Screen = PLAIN
) -> str:
    """How the ranking moved between two runs, in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import diff_document
        from ..engine.documents import document_text

        return document_text(diff_document(diff, base, head))
    if fmt == "markdown":
        return _markdown(diff, base, head)
    return rich_text(lambda console: _draw(console, diff, base, head), screen)


def _rank(rank: int | None) -> str:
    return "—" if rank is None else str(rank)


def _move(item: DiffItem) -> str:
    if item.old_rank is None:
        return "new"
    if item.new_rank is None:
        return "gone"
    moved = item.moved or 0
    return "=" if moved == 0 else (f"▲{moved}" if moved > 0 else f"▼{-moved}")


def _delta(item: DiffItem) -> str:
    if item.old_score is None or item.new_score is None:
        return ""
    d = item.new_score - item.old_score
    return "0.0" if abs(d) < 0.05 else f"{d:+.1f}"


def _summary(diff: RankingDiff) -> list[str]:
    """Counts that match the table: what is shown, then what moved below it."""
    lines = []
    if diff.entered:
        lines.append(f"Entered the top {diff.top}: {', '.join(diff.entered)}")
    if diff.left:
        lines.append(f"Left the top {diff.top}: {', '.join(diff.left)}")
    shown = diff.shown
    moved = sum(1 for i in shown if i.old_rank != i.new_rank)
    line = f"{moved} of the {len(shown)} shown changed rank"
    elsewhere = diff.moved_elsewhere
    if elsewhere:
        line += f"; {elsewhere} more moved outside the top {diff.top}"
    lines.append(line)
    return lines


def _why(item: DiffItem) -> str:
    return ", ".join(item.why)


def _draw(console: Console, diff: RankingDiff, base: RunInfo, head: RunInfo) -> None:
    from rich.text import Text

    console.print(Text(safe_text(f"base: {base.config_source} · head: {head.config_source}")))
    for change in diff.config_changes:
        console.print(Text(safe_text(f"  {change}")))
    table = simple_table()
    table.add_column("Integration", overflow="fold")
    table.add_column("Rank", justify="right")
    table.add_column("Move", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Δ", justify="right")
    table.add_column("Why", overflow="fold")
    for i in diff.shown:
        table.add_row(
            Text(safe_text(i.integration)),
            f"{_rank(i.old_rank)} → {_rank(i.new_rank)}",
            _move(i),
            f"{show_score(i.old_score) if i.old_rank else '—'} → "
            f"{show_score(i.new_score) if i.new_rank else '—'}",
            _delta(i),
            Text(safe_text(_why(i))),
        )
    console.print(table)
    for line in _summary(diff):
        console.print(Text(safe_text(line)))


def _markdown(diff: RankingDiff, base: RunInfo, head: RunInfo) -> str:
    """A PR comment: what changed in the config, and how the top N moved and why."""
    lines = [
        "### intscore: ranking changes",
        "",
        f"{markdown_code(base.config_source)} → {markdown_code(head.config_source)}",
        "",
    ]
    if diff.config_changes:
        lines += [f"- {markdown_cell(c)}" for c in diff.config_changes] + [""]
    lines += [
        "| Integration | Rank | Move | Score | Δ | Why |",
        "| :-- | --: | --: | --: | --: | :-- |",
    ]
    for i in diff.shown:
        old_score = show_score(i.old_score) if i.old_rank else "—"
        new_score = show_score(i.new_score) if i.new_rank else "—"
        lines.append(
            f"| {markdown_cell(i.integration)} | {_rank(i.old_rank)} → {_rank(i.new_rank)} | "
            f"{_move(i)} | {old_score} → {new_score} | {_delta(i)} | {markdown_cell(_why(i))} |"
        )
    lines.append("")
    lines += [f"{markdown_cell(line)}  " for line in _summary(diff)]
    return "\n".join(lines).rstrip() + "\n"
