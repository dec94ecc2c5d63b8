"""`rank --by category`: the roll-up per category as a table, Markdown or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import ROLLUP_FORMATS
from ..numbers import format_number
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .values import markdown_cell, show_score

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.categories import CategoryRoll, Rollup
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "TOP", "render_rollup", "top_text"]

FORMATS = ROLLUP_FORMATS
TOP = 3  # integrations named per category


def top_text(roll: CategoryRoll) -> str:
    """'Salesforce (1, 72.5), HubSpot (4, 60.0) and 2 more'."""
    named = [f"{i.integration} (#{i.rank}, {show_score(i.score)})" for i in roll.items[:TOP]]
    more = len(roll.items) - TOP
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _size(roll: CategoryRoll) -> str:
    return "—" if roll.size is None else format_number(roll.size)


def render_rollup(rollup: Rollup, run: RunInfo, fmt: str, screen: Screen = PLAIN) -> str:
    """The roll-up in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import categories_document
        from ..engine.documents import document_text

        return document_text(categories_document(rollup, run, TOP))
    if fmt == "markdown":
        return _markdown(rollup, run)
    return rich_text(lambda console: _draw(console, rollup, run), screen)


def _size_title(rollup: Rollup) -> str:
    return "Size" if rollup.size is None else f"{rollup.size.title} (accounts)"


def _draw(console: Console, rollup: Rollup, run: RunInfo) -> None:
    from rich.text import Text

    table = simple_table()
    table.title = "Integrations by category"
    table.add_column("Category")
    table.add_column("Integrations", justify="right")
    table.add_column("Accounts", justify="right")
    table.add_column(_size_title(rollup), justify="right")
    table.add_column("Top integrations (#rank, score)", overflow="fold")
    for roll in rollup.categories:
        table.add_row(
            Text(safe_text(roll.category)),
            str(len(roll.items)),
            str(roll.accounts),
            _size(roll),
            Text(safe_text(top_text(roll))),
        )
    console.print(table)
    console.print(Text(safe_text(_footer(rollup, run))))


def _footer(rollup: Rollup, run: RunInfo) -> str:
    sized = (
        f"size: each requesting account's {rollup.size.field} once (criterion {rollup.size.id})"
        if rollup.size is not None
        else "no criterion sums a size over requesters"
    )
    return f"config: {run.config_source} · accounts: distinct requesting accounts · {sized}"


def _markdown(rollup: Rollup, run: RunInfo) -> str:
    lines = [
        f"| Category | Integrations | Accounts | {markdown_cell(_size_title(rollup))} | Top |",
        "| :-- | --: | --: | --: | :-- |",
    ]
    for roll in rollup.categories:
        cells = [
            markdown_cell(roll.category),
            str(len(roll.items)),
            str(roll.accounts),
            _size(roll),
            markdown_cell(top_text(roll)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"_{markdown_cell(_footer(rollup, run))}_"]
    return "\n".join(lines) + "\n"
