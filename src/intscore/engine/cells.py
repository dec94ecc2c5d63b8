"""What a cell means, for both row passes: blank or not, converted to a number, a date or
trimmed text, the integrations a name cell names (split, aliases), the account a cell names,
and which column holds each field. Each distinct text is converted once by the passes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

from ..dates import parse_date
from ..emails import email_domain, is_free_mail
from ..matching import name_key, normalize_header, tidy_names
from ..model.compiled import Model
from ..model.levels import Levels
from ..numbers import NotANumber, parse_number
from ..read.rows import Table

__all__ = [
    "Failure",
    "NameReader",
    "account_of",
    "cell_text",
    "cells_getter",
    "column_of",
    "convert_cell",
    "converter",
    "email_account",
    "find_columns",
    "is_blank",
    "levels_of",
]


def is_blank(value: Any) -> bool:
    """No value: None, or text of only whitespace."""
    return value is None or (
        (not value or value.isspace())
        if value.__class__ is str
        else value.__class__ is tuple and all(map(is_blank, value))  # a repeated column's
    )


def _text(value: Any) -> Any:
    """A categorical cell: trimmed text (YAML numbers and booleans stay as they are)."""
    if value.__class__ is str:
        return value.strip()
    return value


def converter(
    kind: str | None,
    decimal_comma: bool,
    date_formats: Sequence[str],
    levels: Levels | None = None,
) -> Callable[[Any], Any]:
    """How a field's cells are read: as a number (or a named level's number), a date, or
    trimmed text."""
    if kind == "number":
        if levels is not None:
            return partial(levels.read, decimal_comma=decimal_comma)
        return partial(parse_number, decimal_comma=decimal_comma)
    if kind == "date":
        return partial(parse_date, formats=date_formats)
    return _text


def levels_of(model: Model, name: str) -> Levels | None:
    """The named levels a number field's cells may hold (`high` for 100%), if any."""
    named = model.field_levels.get(name)
    return None if named is None else Levels(named)


class Failure:
    """A cell that does not convert, and why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


def convert_cell(convert: Callable[[Any], Any], raw: Any) -> Any:
    """The converted cell, or a Failure."""
    try:
        return convert(raw)
    except NotANumber as exc:
        return Failure(str(exc))


def cell_text(raw: Any) -> str:
    """A YAML/JSON scalar as text (`true`, not Python's `True`)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def account_of(raw: Any) -> tuple[str, str]:
    """(group key, as shown) of an account cell."""
    shown = cell_text(raw).strip()
    return name_key(shown), shown


def email_account(raw: Any) -> tuple[str, str] | None:
    """(group key, as shown) of the account an e-mail cell stands for: its domain, unless it
    is free mail (None: no account)."""
    if is_blank(raw):
        return None
    domain = email_domain(cell_text(raw))
    if domain is None or is_free_mail(domain):
        return None
    return name_key(domain), domain


class NameReader:
    """The integrations a name cell names: (group key, spelling) of one, or of each part of
    a split cell (empty parts skipped, parts `keep` does not keep left out, a name twice in
    one cell counted once), after keep and aliases."""

    def __init__(self, model: Model):
        self.split = model.split_for("integration")
        self.keep = model.keep_for("integration")
        self.aliases = model.alias_keys

    def names_in(self, raw: Any) -> list[tuple[str, str]]:
        if raw.__class__ is tuple:  # a repeated column: each copy's names, each name once
            seen: dict[str, tuple[str, str]] = {}
            for names in self.names_in_cells([r for r in raw if not is_blank(r)]):
                for name in names:
                    seen.setdefault(name[0], name)
            return list(seen.values())
        return self.names_in_cells([raw])[0]

    def names_in_cells(self, raws: Iterable[Any]) -> list[list[tuple[str, str]]]:
        """`names_in` of many cells at once (the DuckDB pass's distinct names)."""
        split, aliases, keep = self.split, self.aliases, self.keep
        texts = [cell_text(raw) for raw in raws]
        if not split and not aliases and not keep:  # most configs: one name per cell
            return [[(s.casefold(), s)] if s else [] for s in tidy_names(texts)]
        parts = [text.split(split) for text in texts] if split else [[text] for text in texts]
        spellings = iter(tidy_names([part for cell in parts for part in cell]))
        names = []
        for cell in parts:
            found: dict[str, tuple[str, str]] = {}
            for spelling in itertools.islice(spellings, len(cell)):
                if spelling and keep is not None:
                    spelling = keep.kept(spelling, aliases) or ""
                if not spelling:
                    continue
                key = spelling.casefold()  # name_key of a tidy name
                if key in aliases:
                    key = name_key(aliases[key])
                found.setdefault(key, (key, spelling))
            names.append(list(found.values()))
        return names


def find_columns(
    table: Table, model: Model, wanted: Iterable[str]
) -> tuple[int | None, int | None, dict[str, int | None]]:
    """(name column, account column, field -> column) of a table; None: no such column."""
    name_col = table.name_column
    if name_col is None:
        name_col = column_of(table, model.headers_for("integration"))
    account = column_of(table, model.headers_for("account"))
    return name_col, account, {f: column_of(table, model.headers_for(f)) for f in wanted}


def column_of(table: Table, headers: Iterable[str]) -> int | None:
    """The column of the first of these headers the table has (None: none)."""
    index = {normalize_header(h): i for i, h in enumerate(table.header) if h}
    for header in headers:
        found = index.get(normalize_header(header))
        if found is not None:
            return found
    return None


def cells_getter(columns: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A C-level fetch of these cells of a row, always as a tuple."""
    if not columns:
        return lambda cells: ()
    if len(columns) == 1:
        one = columns[0]
        return lambda cells: (cells[one],)
    return itemgetter(*columns)
