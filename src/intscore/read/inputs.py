"""What every command reads, and opening it: the input files (a path, or `-` for stdin), the
config to use, how to read them, the day ages count to; tables streamed one file at a time."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..problems import Finding, IntscoreError
from .files import open_input
from .readers import ReadOptions, format_of, read_stream
from .rows import Table

__all__ = ["Inputs", "Watch", "file_size", "load_tables", "read_table"]

Watch = Callable[[Table], Table]  # wraps a table as it is read (a progress bar)


@dataclass(frozen=True)
class Inputs:
    """The options every command shares: the files, the config (None: look it up), how to
    read them, and the day ages count to (None: the config's as_of, else today)."""

    files: tuple[str, ...]
    config: str | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    as_of: date | None = None


def read_table(path: str, options: ReadOptions | None = None) -> Table:
    """Open one input (`-`: stdin) and start reading it."""
    options = options or ReadOptions()
    fmt = format_of(path, options)
    stream, source, size = open_input(path)
    return read_stream(stream, source, fmt, options, size)


def load_tables(
    files: Sequence[str],
    options: ReadOptions,
    unreadable: list[Finding] | None = None,
    watch: Watch | None = None,
) -> Iterator[Table]:
    """Open each input in turn (lazily: one file's rows are streamed at a time). A file that
    cannot be read raises; with `unreadable` given, the error is noted there instead and the
    rows read before it are kept."""
    if not files:
        raise IntscoreError("no input files given")
    if list(files).count("-") > 1:
        raise IntscoreError("stdin (-) can be read only once; give it once")
    for path in files:
        try:
            table = read_table(path, options)
        except IntscoreError as exc:
            if unreadable is None:
                raise
            unreadable.extend(exc.findings)
            continue
        if unreadable is not None:
            table.rows = _guarded(table.rows, unreadable)
        yield watch(table) if watch else table


def _guarded(
    rows: Iterator[tuple[int, list[Any]]], unreadable: list[Finding]
) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except IntscoreError as exc:
        unreadable.extend(exc.findings)


def file_size(path: str) -> int | None:
    """The size of a regular file; None for stdin, a pipe or a device (and for a path that
    does not open: reading it says what is wrong with it)."""
    if path == "-":
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
