"""The value-vs-effort matrix for the terminal, and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import MATRIX_FORMATS
from ..text import safe_text
from .console import PLAIN, Screen, rich_text
from .values import show_score

if TYPE_CHECKING:
    from rich.console import Console
    from rich.panel import Panel

    from ..analyses.matrix import Placement
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "render_matrix"]

FORMATS = MATRIX_FORMATS


def render_matrix(
    placements: list[Placement],
    run: RunInfo,
    fmt: str,
    value_split: float,
    effort_split: float,
    screen: Screen = PLAIN,
) -> str:
    """The four quadrants, in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import matrix_document
        from ..engine.documents import document_text

        return document_text(matrix_document(placements, run, value_split, effort_split))
    return rich_text(
        lambda console: _draw(console, placements, run, value_split, effort_split), screen
    )


HINTS = {
    "Quick wins": "high value, low effort: do first",
    "Big bets": "high value, high effort: plan",
    "Fill-ins": "low value, low effort: when idle",
    "Money pits": "low value, high effort: avoid",
}


def _panel(name: str, placements: list[Placement], width: int, lines: int) -> Panel:
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    members = sorted(placements, key=lambda p: (p.item.rank, p.item.integration.casefold()))
    room = max(width - 22, 8)
    for p in members:
        label = safe_text(p.item.integration)
        if len(label) > room:
            label = label[: room - 1] + "…"
        body.append(f"{label:<{room}}", style="bold")
        body.append(f" {show_score(p.item.score):>5}  v{p.value:>3.0f} e{p.effort:>3.0f}\n")
    if not members:
        body.append("—\n", style="dim")
    body.append("\n" * max(lines - max(len(members), 1), 0))  # panels in a row align
    body.rstrip()
    return Panel(
        body, title=f"{name} ({len(members)})", subtitle=HINTS[name], width=width, height=lines + 2
    )


def _draw(
    console: Console,
    placements: list[Placement],
    run: RunInfo,
    value_split: float,
    effort_split: float,
) -> None:
    """Four panels: value up, effort to the right."""
    from rich.table import Table
    from rich.text import Text

    width = max(min(console.width // 2, 60), 30)
    by_quadrant: dict[str, list[Placement]] = {name: [] for name in HINTS}
    for p in placements:
        by_quadrant[p.quadrant].append(p)
    grid = Table.grid(padding=0)
    grid.add_column()
    grid.add_column()
    for left, right in (("Quick wins", "Big bets"), ("Fill-ins", "Money pits")):
        lines = max(len(by_quadrant[left]), len(by_quadrant[right]), 1)
        grid.add_row(
            _panel(left, by_quadrant[left], width, lines),
            _panel(right, by_quadrant[right], width, lines),
        )
    console.print(Text("Value vs effort", style="bold"))
    console.print(Text(f"top: value ≥ {value_split:g} · right: effort ≥ {effort_split:g}"))
    console.print(Text("each line: score, v = value, e = effort (0–100)", style="dim"))
    console.print(grid)
    console.print(Text(safe_text(f"config: {run.config_source}"), style="dim"))
