"""Rows as the engine sees them: a table of cell lists that remember their file and line.

Readers produce tables; the engine consumes them. Neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..matching import normalize_header
from ..problems import DUPLICATE_COLUMN, INVALID_VALUE, Finding

__all__ = ["Table", "table_from_records"]


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
    decimal_comma: bool = False
    size: int | None = None
    progress: Callable[[], int] | None = None
    first_lines: dict[int, int] = field(default_factory=dict)  # column -> first line with it
    # CSV only: how the text was read (the DuckDB pass reads the file again the same way)
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int = 1


def table_from_records(
    records: Iterable[tuple[int, Any, Mapping[Any, Any], Mapping[Any, int] | None]],
    source: str,
    fmt: str,
    decimal_comma: bool = False,
    named: bool = False,
) -> Table:
    """A table from mappings of field -> value: (line, integration name or None, mapping, the
    line of each key or None). With `named`, the name comes from the record, not a field."""
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
    table.rows = iter(
        [
            (line, [name, *[cells.get(i) for i in range(1, width)]])
            if named
            else (line, [cells.get(i) for i in range(width)])
            for line, name, cells in rows
        ]
    )
    return table
