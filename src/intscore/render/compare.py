"""Rank diffs and stability reports as tables, Markdown and JSON."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..compare import DiffItem, RankingDiff, Stability
from ..ranking import RunInfo
from .formats import markdown_cell
from .terminal import simple_table
from .values import json_document, json_text, safe_text, show_score

__all__ = [
    "diff_json",
    "diff_markdown",
    "print_diff",
    "print_sensitivity",
    "sensitivity_json",
]


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


def _shown_items(diff: RankingDiff) -> list[DiffItem]:
    """The new top N, and whatever left it."""
    return [
        i
        for i in diff.items
        if (i.new_rank is not None and i.new_rank <= diff.top)
        or (i.old_rank is not None and i.old_rank <= diff.top)
    ]


def _summary(diff: RankingDiff) -> list[str]:
    lines = []
    if diff.entered:
        lines.append(f"Entered the top {diff.top}: {', '.join(diff.entered)}")
    if diff.left:
        lines.append(f"Left the top {diff.top}: {', '.join(diff.left)}")
    moved = len(diff.moved)
    lines.append(
        f"{moved} of {len(diff.items)} integration{'s' * (len(diff.items) != 1)} changed rank"
    )
    return lines


def print_diff(console: Console, diff: RankingDiff, base: RunInfo, head: RunInfo) -> None:
    console.print(Text(safe_text(f"base: {base.config_source} · head: {head.config_source}")))
    for change in diff.config_changes:
        console.print(Text(safe_text(f"  {change}")))
    table = simple_table()
    table.add_column("Integration", overflow="fold")
    table.add_column("Rank", justify="right")
    table.add_column("Move", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Δ", justify="right")
    shown = _shown_items(diff)
    any_changed = any(i.changed for i in shown)
    if any_changed:
        table.add_column("Points changed", overflow="fold")
    for i in shown:
        cells = [
            Text(safe_text(i.integration)),
            f"{_rank(i.old_rank)} → {_rank(i.new_rank)}",
            _move(i),
            f"{show_score(i.old_score) if i.old_rank else '—'} → "
            f"{show_score(i.new_score) if i.new_rank else '—'}",
            _delta(i),
        ]
        if any_changed:
            cells.append(", ".join(i.changed))
        table.add_row(*cells)
    console.print(table)
    for line in _summary(diff):
        console.print(Text(safe_text(line)))


def diff_markdown(diff: RankingDiff, base: RunInfo, head: RunInfo) -> str:
    """A PR comment: what changed in the config, and how the top N moved."""
    lines = [
        "### intscore: ranking changes",
        "",
        f"`{markdown_cell(base.config_source)}` → `{markdown_cell(head.config_source)}`",
        "",
    ]
    if diff.config_changes:
        lines += [f"- {markdown_cell(c)}" for c in diff.config_changes] + [""]
    lines += [
        "| Integration | Rank | Move | Score | Δ |",
        "| :-- | --: | --: | --: | --: |",
    ]
    for i in _shown_items(diff):
        old_score = show_score(i.old_score) if i.old_rank else "—"
        new_score = show_score(i.new_score) if i.new_rank else "—"
        lines.append(
            f"| {markdown_cell(i.integration)} | {_rank(i.old_rank)} → {_rank(i.new_rank)} | "
            f"{_move(i)} | {old_score} → {new_score} | {_delta(i)} |"
        )
    lines.append("")
    lines += [f"{markdown_cell(line)}  " for line in _summary(diff)]
    return "\n".join(lines).rstrip() + "\n"


def diff_json(diff: RankingDiff, base: RunInfo, head: RunInfo) -> str:
    doc = {
        "version": 1,
        "base": {
            "config": base.config_source,
            "sha256": base.config_sha256,
            "inputs": list(base.inputs),
        },
        "head": {
            "config": head.config_source,
            "sha256": head.config_sha256,
            "inputs": list(head.inputs),
        },
        "top": diff.top,
        "config_changes": diff.config_changes,
        "entered_top": diff.entered,
        "left_top": diff.left,
        "items": [
            {
                "integration": i.integration,
                "old_rank": i.old_rank,
                "new_rank": i.new_rank,
                "old_score": i.old_score,
                "new_score": i.new_score,
                "changed": list(i.changed),
            }
            for i in diff.items
        ],
    }
    return json_text(doc)


def _range(s: Stability) -> str:
    return str(s.low_rank) if s.low_rank == s.high_rank else f"{s.low_rank}–{s.high_rank}"


def print_sensitivity(
    console: Console,
    stability: list[Stability],
    run: RunInfo,
    runs: int,
    spread: float,
    top: int,
    seed: int,
) -> None:
    console.print(
        Text(
            f"{runs} runs, each weight × U({1 - spread:g}, {1 + spread:g}), seed {seed}; "
            f"config: {safe_text(run.config_source)}"
        )
    )
    table = simple_table()
    table.add_column("#", justify="right")
    table.add_column("Integration", overflow="fold")
    table.add_column("Score", justify="right")
    table.add_column("Median", justify="right")
    table.add_column("5–95%", justify="right")
    table.add_column(f"Top {top}", justify="right")
    table.add_column("")
    for s in stability:
        table.add_row(
            str(s.rank),
            Text(safe_text(s.integration)),
            show_score(s.score),
            f"{s.median_rank:g}",
            _range(s),
            f"{s.top_share:.0%}",
            Text("unstable", style="yellow") if s.unstable else "",
        )
    console.print(table)
    unstable = [s.integration for s in stability if s.unstable]
    if unstable:
        console.print(
            Text(
                safe_text(
                    f"{len(unstable)} unstable (in the top {top} in 20–80% of runs): "
                    + ", ".join(unstable)
                )
            )
        )
    else:
        console.print(f"No integration's top-{top} membership is unstable.")


def sensitivity_json(
    stability: list[Stability], run: RunInfo, runs: int, spread: float, top: int, seed: int
) -> str:
    return json_document(
        run,
        runs=runs,
        spread=spread,
        top=top,
        seed=seed,
        items=[
            {
                "integration": s.integration,
                "rank": s.rank,
                "score": s.score,
                "median_rank": s.median_rank,
                "rank_p5": s.low_rank,
                "rank_p95": s.high_rank,
                "top_share": s.top_share,
                "unstable": s.unstable,
            }
            for s in stability
        ],
    )
