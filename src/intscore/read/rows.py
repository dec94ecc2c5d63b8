"""Rows as the engine sees them: a table of cell lists that remember their file and line.

Readers produce tables; the engine consumes them. Neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..matching import normalize_header
from ..problems import DUPLICATE_COLUMN, INVALID_VALUE, UNREADABLE_FILE, Finding, IntscoreError
from .lines import MAX_FIELDS

__all__ = ["MAX_CELLS", "Table", "lines_text", "table_from_records"]

# Rows × distinct fields of a YAML/JSON file: each row becomes a list as wide as all the
# fields together, so a file whose every row has a field of its own would grow as the square
# of its size. Backlogs are far below this (a 64 MiB file of 10-field rows: 5 million).
MAX_CELLS = 1 << 25


@dataclass
class Table:
    """One input: its header and a one-pass iterator of (line, cells).

    `findings` fills up while `rows` is consumed (e.g. a row with too many cells).
    In YAML/JSON mapping form the integration name is the key; `name_column` points at it.
    """

    source: str
    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    findings: list[Finding] = field(default_factory=list)
    name_column: int | None = None
    decimal_comma: bool = False  # the file's convention: `;`-separated files write 12,5
    decimal_fixed: bool = False  # given (read.decimal, a flag): no column decides its own
    column_decimals: dict[str, str] = field(default_factory=dict)  # header -> "," or "."
    repeated: dict[int, tuple[int, ...]] = field(default_factory=dict)  # merged copies
    footer: bool = False  # a report's footer and total rows are left out (read.footer: auto)
    sheet: str | None = None  # a workbook's sheet read
    size: int | None = None
    progress: Callable[[], int] | None = None
    first_lines: dict[int, int] = field(default_factory=dict)  # column -> first line with it
    # CSV only: how the text was read (the DuckDB pass reads the file again the same way)
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int = 1


def lines_text(lines: list[int], most: int = 20) -> str:
    """`line 4`, `lines 1, 2` or `lines 3, 9–12, 40 and 7 more`: runs of consecutive lines
    joined, at most `most` parts named."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    parts = [str(a) if a == b else f"{a}\u2013{b}" for a, b in runs]
    shown = ", ".join(parts[:most])
    if len(parts) > most:
        shown += f" and {len(parts) - most:,} more"
    return f"line{'s' * (len(lines) != 1)} {shown}"


def table_from_records(
    records: Iterable[tuple[int, Any, Mapping[Any, Any], Mapping[Any, int] | None]],
    source: str,
    fmt: str,
    decimal_comma: bool = False,
    named: bool = False,
    max_fields: int = MAX_FIELDS,
) -> Table:
    """A table from mappings of field -> value: (line, integration name or None, mapping, the
    line of each key or None). With `named`, the name comes from the record, not a field.
    Raises IntscoreError past `max_fields` distinct fields or MAX_CELLS cells."""
    table = Table(source=source, format=fmt, header=[], rows=iter(()))
    table.decimal_comma = decimal_comma
    index: dict[str, int] = {}
    header: list[str] = []
    if named:
        table.name_column = 0
        header.append("")
    rows: list[tuple[int, Any, dict[int, Any]]] = []
    for line, name, item, key_lines in records:
        cells: dict[int, Any] = {}
        seen: dict[str, str] = {}
        for key, value in item.items():
            key_text = str(key)
            norm = normalize_header(key_text)
            key_line = key_lines.get(key, line) if key_lines else line
            if norm in seen:
                table.findings.append(
                    Finding(
                        source,
                        key_line,
                        DUPLICATE_COLUMN,
                        f"fields '{seen[norm]}' and '{key_text}' are the same field",
                    )
                )
                continue
            seen[norm] = key_text
            if norm not in index:
                if len(header) - named >= max_fields:
                    raise _unreadable(
                        source,
                        f"more than {max_fields:,} different fields, the most a file may have "
                        "(scoring.yaml `read: max_fields` raises it)",
                        key_line,
                    )
                index[norm] = len(header)
                header.append(key_text)
                table.first_lines[index[norm]] = key_line
            if isinstance(value, dict | list):
                table.findings.append(
                    Finding(
                        source,
                        key_line,
                        INVALID_VALUE,
                        "expected a single value, not a list or mapping",
                        field=key_text,
                    )
                )
                value = None
            cells[index[norm]] = value
        rows.append((line, name, cells))
    table.header = header
    width = len(header)
    if len(rows) * width > MAX_CELLS:
        raise _unreadable(
            source,
            f"{len(rows):,} rows × {width:,} different fields is more than {MAX_CELLS:,} "
            "cells; give each row the same few fields",
        )
    table.rows = _padded(rows, width, named)
    return table


def _padded(
    rows: list[tuple[int, Any, dict[int, Any]]], width: int, named: bool
) -> Iterator[tuple[int, list[Any]]]:
    """Each row as a list of all the fields (None where it has none), made as it is read."""
    for line, name, cells in rows:
        row: list[Any] = [None] * width
        for i, value in cells.items():
            row[i] = value
        if named:
            row[0] = name
        yield line, row


def _unreadable(source: str, message: str, line: int | None = None) -> IntscoreError:
    return IntscoreError(Finding(source, line, UNREADABLE_FILE, message))
