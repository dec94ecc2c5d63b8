"""Rank stability (`sensitivity`) as a table and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import SENSITIVITY_FORMATS
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .values import show_score

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.sensitivity import Perturbation, Stability
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "describe", "render_sensitivity"]

FORMATS = SENSITIVITY_FORMATS


def render_sensitivity(
    stability: list[Stability],
    run: RunInfo,
    fmt: str,
    how: Perturbation,
    screen: Screen = PLAIN,
) -> str:
    """How stable each rank is, in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import sensitivity_document
        from ..engine.documents import document_text

        return document_text(sensitivity_document(stability, run, how))
    return rich_text(lambda console: _draw(console, stability, run, how), screen)


def describe(how: Perturbation) -> str:
    """What the runs did, in words."""
    parts = []
    if how.vary in ("weights", "both"):
        parts.append(f"each weight × U({1 - how.spread:g}, {1 + how.spread:g})")
    if how.vary in ("data", "both"):
        parts.append(
            f"each integration's requesters resampled with replacement "
            f"({how.resamples} bootstrap resamples each)"
        )
    if how.vary == "estimates":
        parts.append(
            f"each estimated field one of its estimators' values ({how.resamples} draws each)"
        )
    return f"{how.runs} runs, {' and '.join(parts)}, seed {how.seed}"


def _range(s: Stability) -> str:
    return str(s.rank_p5) if s.rank_p5 == s.rank_p95 else f"{s.rank_p5}–{s.rank_p95}"


def _draw(console: Console, stability: list[Stability], run: RunInfo, how: Perturbation) -> None:
    from rich.text import Text

    top = how.top
    console.print(Text(f"{describe(how)}; config: {safe_text(run.config_source)}"))
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
