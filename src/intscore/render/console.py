"""Rich output captured as text, at the width and colours of where it is going."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["PLAIN", "Screen", "plain_screen", "rich_text", "simple_table"]


@dataclass(frozen=True)
class Screen:
    """Where a table will be shown: its width, and the colour system (None: plain text)."""

    width: int = 120
    color_system: str | None = None


PLAIN = Screen()  # a file: 120 columns, no colour


def plain_screen() -> Screen | None:
    """Where stdout is not a terminal, the screen rich's `Console()` would see — its width
    from COLUMNS, else from the first of stdin, stdout and stderr that is a terminal, else 80;
    no colour — without loading rich. None where rich must tell: stdout a terminal, colour
    forced (TTY_COMPATIBLE=1, FORCE_COLOR), an odd COLUMNS, or Windows."""
    environ = os.environ
    compatible = environ.get("TTY_COMPATIBLE", "")
    if sys.platform == "win32" or compatible == "1":
        return None
    if compatible != "0" and (environ.get("FORCE_COLOR") or _isatty()):
        return None
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return Screen(int(columns), None) if int(columns) > 0 else None
    for fd in (0, 1, 2):
        try:
            return Screen(os.get_terminal_size(fd).columns or 80, None)
        except (AttributeError, ValueError, OSError):
            continue
    return Screen(80, None)


def _isatty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stdout, or a closed one
        return False


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
