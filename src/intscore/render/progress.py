"""A progress bar on stderr for inputs that take more than about a second to read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from ..read.rows import Table

__all__ = ["with_progress"]

CHECK_EVERY = 8192  # rows between looks at the clock
AFTER = 1.0  # seconds before a bar appears


def with_progress(table: Table) -> Table:
    """Wrap the table's rows so that a bar (bytes read of total) appears once reading has
    taken a second. Only for files of known size; the caller decides it is a terminal."""
    if table.size and table.progress is not None:
        table.rows = _watched(table, table.rows)
    return table


def _watched(
    table: Table, rows: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    started = time.monotonic()
    bar = None
    task = None
    try:
        for n, row in enumerate(rows):
            if n % CHECK_EVERY == 0:
                if bar is None and time.monotonic() - started > AFTER:
                    from rich.console import Console
                    from rich.progress import (
                        BarColumn,
                        DownloadColumn,
                        Progress,
                        TimeRemainingColumn,
                    )

                    bar = Progress(
                        "[progress.description]{task.description}",
                        BarColumn(),
                        DownloadColumn(),
                        TimeRemainingColumn(),
                        console=Console(stderr=True),
                        transient=True,
                    )
                    bar.start()
                    task = bar.add_task(f"reading {table.source}", total=table.size)
                if bar is not None:
                    bar.update(task, completed=table.progress())  # type: ignore[arg-type, misc]
            yield row
    finally:
        if bar is not None:
            bar.stop()
