"""Rows that name no integration (a blank cell, or no part kept by `keep`), for both row
passes: not requests, so never counted and never an error, but each one reported (`check`:
a `no-integration` warning per row; `rank`: one notice); a file in which no row names an
integration, or without the integration's column, is an error that lists its headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..matching import normalize_header
from ..model.compiled import Model
from ..problems import MISSING_COLUMN, NO_INTEGRATION, Finding
from ..read.rows import Table
from ..text import shorten
from .cells import cell_text, is_blank

__all__ = ["MAX_UNNAMED", "more_unnamed", "no_name_column", "no_names_error", "unnamed_row"]

MAX_UNNAMED = 1000  # no-integration warnings kept (each with its line); then how many more


def unnamed_row(model: Model, source: str, line: int, header: str, raw: Any) -> Finding:
    """The warning for one row that names no integration, saying why."""
    if is_blank(raw):
        why, how = "blank", " (fill in the cell to count it)"
    else:
        text = repr(shorten(cell_text(raw).strip(), 60))
        keep = model.keep_for("integration")
        if keep is not None:
            why = f"{text} has no part that keep ({keep.describe()}) keeps"
            how = " (widen keep to count it)"
        else:
            why, how = f"{text} holds only separators", ""
    message = f"{why}: the row names no integration and is not counted{how}"
    return Finding(source, line, NO_INTEGRATION, message, header, "warning")


def more_unnamed(source: str, more: int) -> Finding:
    """The last warning when there are more than MAX_UNNAMED rows naming no integration."""
    message = f"and {more:,} more rows that name no integration"
    return Finding(source, None, NO_INTEGRATION, message, severity="warning")


def no_names_error(
    model: Model, source: str, line: int, header: str, headers: Sequence[str], unnamed: int
) -> Finding:
    """The error of a file in which rows have data but none names an integration."""
    listed = ", ".join(repr(shorten(h, 40)) for h in headers if h and h != header)
    rows = "the one row with data" if unnamed == 1 else f"all {unnamed:,} rows with data"
    keep = model.keep_for("integration")
    if keep is not None:
        what = f"keep ({keep.describe()}) keeps no part of '{header}' in {rows}"
    else:
        what = f"'{header}' is blank in {rows}"
    message = (
        f"no row names an integration: {what}; if another column holds the integrations, "
        f'map it in scoring.yaml: columns: {{integration: "COLUMN"}} (columns: {listed or "none"})'
    )
    return Finding(source, line, MISSING_COLUMN, message, header)


def no_name_column(model: Model, table: Table) -> Finding:
    """The error of a table without the integration's column, naming a likely one."""
    wanted = model.column_for("integration")
    headers = [h for h in table.header if h]
    message = f"no '{wanted}' column (columns: {', '.join(headers) or 'none'})"
    close = [h for h in headers if normalize_header(wanted) in normalize_header(h)]
    if close:
        message += f"; if '{close[0]}' holds it, add to scoring.yaml: "
        message += f'columns: {{integration: "{close[0]}"}}'
    return Finding(table.source, table.header_line, MISSING_COLUMN, message)
