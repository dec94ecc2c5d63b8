"""Repeated headers: Jira writes `Labels,Labels,Labels` for an issue with three labels. The
copies (headers equal as headers match: case, spaces, `_`/`-`) are one column:

- the integration's column (its headers are given) holds a tuple of the copies' cells, each
  non-empty one a name, as if the cell had been split;
- a column that takes one value (account, a number: the headers of the fields the config
  reads) holds the copies' value where they agree or are blank, and is an error
  (`repeated-column`) naming the line and the columns where they disagree;
- any other column (one the config does not read) holds its first non-empty copy.

The table's header keeps the first copy's place; `Table.repeated` says which columns each
merged column came from (numbered from 1, as a spreadsheet shows them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..matching import normalize_header
from ..problems import REPEATED_COLUMN, Finding
from ..text import shorten
from .header import cell_text
from .rows import Table

__all__ = ["merge_repeated"]

Row = tuple[int, list[Any]]
NAME, ONE, FIRST = "name", "one", "first"
Plan = list[tuple[str, tuple[int, ...], str]]  # (how, source columns, header) per column


def merge_repeated(
    table: Table,
    header: list[str],
    rows: Iterator[Row],
    name_headers: Sequence[str],
    value_headers: Sequence[str],
) -> Iterator[Row]:
    """Sets the table's header (copies merged) and returns its rows with the copies merged;
    the rows as they are when no header repeats."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        if name:
            positions.setdefault(normalize_header(name), []).append(i)
    if all(len(p) == 1 for p in positions.values()):
        table.header = header
        return rows
    names = {normalize_header(h) for h in name_headers}
    values = {normalize_header(h) for h in value_headers}
    plan: Plan = []
    merged: list[str] = []
    first_of = {p[0]: key for key, p in positions.items()}
    for i, name in enumerate(header):
        key = first_of.get(i)
        if name and key is None:
            continue  # a later copy
        copies = tuple(positions[key]) if key is not None else (i,)
        how = NAME if key in names else ONE if key in values else FIRST
        if len(copies) > 1:
            table.repeated[len(merged)] = tuple(c + 1 for c in copies)
        plan.append((how if len(copies) > 1 else "", copies, name))
        merged.append(name)
    table.header = merged
    return _merged(rows, plan, table)


def _merged(
    rows: Iterator[Row], plan: list[tuple[str, tuple[int, ...], str]], table: Table
) -> Iterator[Row]:
    for line, cells in rows:
        out: list[Any] = []
        for how, copies, name in plan:
            if not how:
                out.append(cells[copies[0]])
            elif how == NAME:
                out.append(tuple(cells[c] for c in copies))
            else:
                out.append(_one(cells, copies, how == ONE, name, line, table))
        yield line, out


def _one(
    cells: list[Any], copies: tuple[int, ...], checked: bool, name: str, line: int, table: Table
) -> Any:
    """The copies' one value: the first non-empty, checked against the others when a field
    reads it."""
    found: list[tuple[int, Any]] = [(c, cells[c]) for c in copies if cell_text(cells[c])]
    if not found:
        return cells[copies[0]]
    first = found[0][1]
    if checked and any(cell_text(v) != cell_text(first) for _, v in found[1:]):
        columns = ", ".join(str(c + 1) for c in copies)
        which = ", ".join(f"'{shorten(cell_text(v), 40)}' in column {c + 1}" for c, v in found)
        message = (
            f"'{name}' appears {len(copies)} times: columns {columns}; this field takes one "
            f"value and the copies disagree ({which})"
        )
        table.findings.append(Finding(table.source, line, REPEATED_COLUMN, message, name))
        return None
    return first
