"""What the DuckDB pass knows of a field's cells: each distinct text converted once, as the
Python pass converts it (engine/cells.py), in a table `m<column>` of (text, id, the number or
the day, one boolean column per condition on the field) that the rows join. An invalid value
is Unsupported: the Python pass reports each with its line.

Plain integers (`14181`) of a number field without named levels or conditions are read in
SQL, as the Python parser reads them (exactly: fewer than 16 digits, which a double holds),
and never come to Python as texts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..numbers import AMBIGUOUS, decimal_mark
from .cells import Failure, convert_cell, converter, is_blank, levels_of
from .duckdb_lines import Unsupported
from .number_columns import NumberColumn

if TYPE_CHECKING:
    from .duckdb_pass import _Pass

__all__ = ["register_values"]

# A text Python's number parser reads as the integer it spells, which a double holds exactly.
PLAIN_INTEGER = "regexp_full_match(v, '0|[1-9][0-9]{0,14}')"


def register_values(p: _Pass, field: str) -> None:
    """Registers a field's distinct texts, converted, with the answer of each condition on
    the field (`p.values[field]`: the value of each id); notes a number field whose every
    value is an integer (`p.integral`)."""
    column = p.column[field]
    kind = p.model.field_kinds.get(field)
    levels = levels_of(p.model, field)
    plain = kind == "number" and levels is None and not p.tests.get(field)
    if plain:
        p.con.execute(f"CREATE TEMP TABLE d AS SELECT DISTINCT {column} AS v FROM t")
        found = p.con.execute(f"SELECT v FROM d WHERE v IS NOT NULL AND NOT {PLAIN_INTEGER}")
    else:
        found = p.con.execute(f"SELECT DISTINCT {column} FROM t")
    column_check = NumberColumn(levels) if kind == "number" else None
    texts, values = _converted(p, field, [text for (text,) in found.fetchall()], column_check)
    columns: dict[str, tuple[str, Sequence[Any]]] = {
        "text": ("VARCHAR", texts),
        "id": ("BIGINT", list(range(len(texts)))),
    }
    if kind == "number":
        columns["num"] = ("DOUBLE", values)
    if kind == "date":
        columns["day"] = ("BIGINT", values)
    for i, test in enumerate(p.tests.get(field, ())):
        columns[f"t{i}"] = ("BOOLEAN", [bool(test(v)) for v in values])
    p._register(f"m{column}", columns)
    if plain:
        values += _plain_integers(p, f"m{column}", len(texts), column_check)
    if column_check is not None and column_check.ambiguous():
        raise Unsupported(f"'{field}' mixes number conventions (the Python pass reports it)")
    p.values[field] = values
    if kind == "number" and all(float(v).is_integer() for v in values):
        p.integral.add(field)


def _converted(
    p: _Pass, field: str, found: list[Any], column_check: NumberColumn | None
) -> tuple[list[str], list[Any]]:
    """(texts, values) of the texts that are not blank, each converted as the Python pass
    converts it; Unsupported where the Python pass would report a value or read a number
    with the other decimal mark."""
    kind = p.model.field_kinds.get(field)
    convert = converter(
        kind, p.table.decimal_comma, p.model.date_formats, levels_of(p.model, field)
    )
    auto = kind == "number" and not p.table.decimal_fixed
    file_mark = "," if p.table.decimal_comma else "."
    texts, values = [], []
    for text in found:
        if text is None or is_blank(text):
            continue
        if auto and decimal_mark(text) not in (None, AMBIGUOUS, file_mark):
            other = "point" if file_mark == "," else "comma"
            raise Unsupported(f"'{field}' has values with a decimal {other}")
        value = convert_cell(convert, text)
        if value.__class__ is Failure:
            raise Unsupported("invalid values (the Python pass reports each with its line)")
        if value.__class__ is float and value == 0 and math.copysign(1.0, value) < 0:
            raise Unsupported(f"a negative zero in '{field}'")  # min(0.0, -0.0): order
        if column_check is not None:
            column_check.observe(text, value, 0)
        texts.append(text)
        values.append(value)
    return texts, values


def _plain_integers(
    p: _Pass, table: str, first: int, column_check: NumberColumn | None
) -> list[float]:
    """Adds the plain integers of `d` (a field's distinct texts) to the field's table of
    values, with ids from `first`; their values, in that order."""
    p.con.execute(
        f"INSERT INTO {table} (text, id, num) SELECT v, {first} + row_number() OVER () - 1, "
        f"CAST(v AS DOUBLE) FROM d WHERE {PLAIN_INTEGER}"
    )
    found = p.con.execute(f"SELECT num FROM {table} WHERE id >= {first} ORDER BY id").fetchall()
    p.con.execute("DROP TABLE d")
    values = [v for (v,) in found]
    above_one = next((v for v in values if v > 1), None)
    if column_check is not None and above_one is not None:  # what the column shows
        column_check.observe(f"{above_one:.0f}", above_one, 0)
    return values
