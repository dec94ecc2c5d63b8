"""Rank stability (`sensitivity`) as a table and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import SENSITIVITY_FORMATS
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .table_layout import plain_table
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
    if screen.color_system is None:  # a long table is laid out without rich when it can be
        table = plain_table(_columns(how.top), [_cells(s) for s in stability], screen.width)
        if table is not None:
            head = rich_text(lambda console: _head(console, run, how), screen)
            return head + table + rich_text(lambda console: _tail(console, stability, how), screen)
    return rich_text(lambda console: _draw(console, stability, run, how), screen)


def _columns(top: int) -> list[tuple[str, str]]:
    """The table's columns: header and justification."""
    return [
        ("#", "right"),
        ("Integration", "left"),
        ("Score", "right"),
        ("Median", "right"),
        ("5–95%", "right"),
        (f"Top {top}", "right"),
        ("", "left"),
    ]


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


def _cells(s: Stability) -> list[str]:
    return [
        str(s.rank),
        safe_text(s.integration),
        show_score(s.score),
        f"{s.median_rank:g}",
        _range(s),
        f"{s.top_share:.0%}",
        "unstable" if s.unstable else "",
    ]


def _draw(console: Console, stability: list[Stability], run: RunInfo, how: Perturbation) -> None:
    from rich.text import Text

    _head(console, run, how)
    table = simple_table()
    for header, justify in _columns(how.top):
        overflow = "fold" if header == "Integration" else "ellipsis"
        table.add_column(header, justify=justify, overflow=overflow)  # type: ignore[arg-type]
    for s in stability:
        rank, name, score, median, ranks, share, unstable = _cells(s)
        table.add_row(
            rank,
            Text(name),
            score,
            median,
            ranks,
            share,
            Text(unstable, style="yellow") if unstable else "",
        )
    console.print(table)
    _tail(console, stability, how)


def _head(console: Console, run: RunInfo, how: Perturbation) -> None:
    from rich.text import Text

    console.print(Text(f"{describe(how)}; config: {safe_text(run.config_source)}"))


def _tail(console: Console, stability: list[Stability], how: Perturbation) -> None:
    from rich.text import Text

    top = how.top
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
