"""Rich output captured as text, at the width and colours of where it is going."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["PLAIN", "Screen", "rich_text", "simple_table"]


@dataclass(frozen=True)
class Screen:
    """Where a table will be shown: its width, and the colour system (None: plain text)."""

    width: int = 120
    color_system: str | None = None


PLAIN = Screen()  # a file: 120 columns, no colour


def rich_text(draw: Callable[[Console], None], screen: Screen) -> str:
    """What `draw` prints, as text. No markup or emoji in data is ever interpreted."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=screen.width,
        color_system=screen.color_system,  # type: ignore[arg-type]
        force_terminal=screen.color_system is not None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    draw(console)
    return buffer.getvalue()


def simple_table() -> Table:
    """The plain table the secondary views use: a rule under a bold header, no borders."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
