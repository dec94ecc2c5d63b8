"""One table's columns bound for the row pass: which cell feeds which field, each column's
cache of converted cells (a distinct cell text is converted once), and the conversion of the
cells the caches did not know (`RowColumns.convert_new`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..model.compiled import Model, Test
from ..problems import INVALID_VALUE, Finding
from ..read.rows import Table
from .cells import (
    Failure,
    cells_getter,
    column_of,
    convert_cell,
    converter,
    find_columns,
    is_blank,
    levels_of,
)
from .number_columns import CONTRADICTS, SWITCHED, watch_columns

if TYPE_CHECKING:
    from .rowpass import RowPass

MISS = object()  # a cache miss: the cell is converted in `convert_new`
Cells = list[Any]


def cached_values(caches: list[dict[Any, Any]], columns: list[int]) -> Callable[[Cells], list[Any]]:
    """A row's cells -> the cached value of each of these columns' cells (`MISS`: not yet
    converted). The row pass's hottest step: up to four columns, each looked up without a
    call of its own. Built again when a column's cache is replaced."""
    gets = [cache.get for cache in caches]
    if len(columns) == 1:
        (g0,), (i0,) = gets, columns
        return lambda cells: [g0(cells[i0], MISS)]
    if len(columns) == 2:
        (g0, g1), (i0, i1) = gets, columns
        return lambda cells: [g0(cells[i0], MISS), g1(cells[i1], MISS)]
    if len(columns) == 3:
        (g0, g1, g2), (i0, i1, i2) = gets, columns
        return lambda cells: [g0(cells[i0], MISS), g1(cells[i1], MISS), g2(cells[i2], MISS)]
    if len(columns) == 4:
        (g0, g1, g2, g3), (i0, i1, i2, i3) = gets, columns
        return lambda cells: [
            g0(cells[i0], MISS),
            g1(cells[i1], MISS),
            g2(cells[i2], MISS),
            g3(cells[i3], MISS),
        ]
    getter, misses = cells_getter(columns), (MISS,) * len(columns)
    return lambda cells: list(map(dict.get, caches, getter(cells), misses))


class RowColumns:
    """A table's columns bound to the model's fields: where each field's cell is, how it is
    converted (each distinct text once, cached per column), the filters, segments and facts
    by position among the converted cells. Past the converted cells, a row's list holds a
    None (a field the table lacks) and, when a condition tests it, the integration's key."""

    def __init__(
        self,
        table: Table,
        model: Model,
        as_of: int,
        filters: list[tuple[str, Test]],
        first_rows: dict[str, dict[Any, tuple[str, int]]],
    ):
        wanted = [*model.fields, *(f for f, _ in filters)]
        self.name, self.account, cols = find_columns(table, model, wanted)
        emails = model.email_headers()
        self.email = column_of(table, emails) if emails else None
        self.found = {f for f, c in cols.items() if c is not None}
        present = [f for f in dict.fromkeys(wanted) if cols[f] is not None and cols[f] != self.name]
        columns = [cols[f] for f in present]
        self.read = {c for c in cols.values() if c is not None}
        self.getter = cells_getter(columns)  # type: ignore[arg-type]
        self.caches: list[dict[Any, Any]] = [{None: None, "": None} for _ in present]
        self.columns = columns
        self.cached = cached_values(self.caches, columns)  # type: ignore[arg-type]
        self.misses = (MISS,) * len(present)
        self.kinds = [model.field_kinds.get(f) for f in present]
        formats = model.date_formats
        levels = [levels_of(model, f) for f in present]
        self.converts = [
            converter(kind, table.decimal_comma, formats, named)
            for kind, named in zip(self.kinds, levels, strict=True)
        ]
        # Number columns are also looked at as a whole (`80%` beside `80`): each distinct
        # text once, as it misses the cache; unless the mark is given, each finds its own
        # decimal mark (`1.250,50`).
        self.numbers, self.observers = watch_columns(self.kinds, levels)
        self.headers = [table.header[c] for c in columns]  # type: ignore[index]
        # row-weight fields: the first row of each value (`unknown-category` points at it)
        weighed = {c.row_weight.field for c in model.criteria if c.row_weight}
        self.first_rows: list[dict[Any, tuple[str, int]] | None] = [
            first_rows.setdefault(f, {}) if f in weighed else None for f in present
        ]
        self.levels, self.formats = levels, formats
        self.auto = not table.decimal_fixed
        if self.auto:
            for i, number in enumerate(self.numbers):
                if number is not None:
                    number.start(table.decimal_comma, table.column_decimals.get(self.headers[i]))
                    if number.comma != table.decimal_comma:
                        self.converts[i] = converter("number", number.comma, formats, levels[i])
        self._positions(model, present, as_of, filters)

    def _positions(
        self, model: Model, present: list[str], as_of: int, filters: list[tuple[str, Test]]
    ) -> None:
        """Where each thing the pass needs is among a row's converted cells (`present`)."""
        pos = {f: i for i, f in enumerate(present)}
        # The integration's key, for conditions on it, after the None of absent fields.
        self.name_slot = len(present) + 1 if "integration" in model.fields else None
        if self.name_slot is not None:
            pos["integration"] = self.name_slot
        n_fields = len(model.fields)
        self.identity = present[:n_fields] == list(model.fields) and len(present) == n_fields
        self.layout = [pos.get(f, len(present)) for f in model.fields]  # absent: a trailing None
        self.carried = [pos[f] for f in model.carried if f in pos]
        self.filters = [(pos.get(f), test) for f, test in filters]
        self.filter_positions = {p for p, _ in self.filters if p is not None}
        self.latest = pos.get(model.latest_by) if model.latest_by else None
        self.attributes = []
        for a, ci in enumerate(model.attribute_criteria):
            c = model.criteria[ci]
            if c.field and c.field in pos:
                tests = (c.where or {}).items()
                where = [(pos.get(w), model.test_of(w, x, as_of)) for w, x in tests]
                self.attributes.append((a, pos[c.field], where))
        first = len(model.attribute_criteria)  # then the plan's attributes, unsegmented
        for a, name in enumerate(model.extra_attributes, first):
            if name in pos:
                self.attributes.append((a, pos[name], []))
        self.facts = [(f, pos[f]) for f in model.facts if f in pos]
        self.category_keys: dict[str, Any] = {}  # attribute text -> its category key
        self.per_account = [self.layout[model.fields.index(f)] for f in model.per_account]

    def convert_new(
        self, row_pass: RowPass, source: str, line: int, raws: tuple[Any, ...], conv: list[Any]
    ) -> None:
        """Converts the cells the caches did not know (`MISS` in `conv`) in place: a bad
        cell is an error and None, a future date a warning; good texts are cached."""
        for i, value in enumerate(conv):
            if value is not MISS:
                continue
            raw = raws[i]
            found = 0
            if self.auto and raw.__class__ is str and self.numbers[i] is not None:
                found = self._decide(i, raw, line)
            value = None if is_blank(raw) else convert_cell(self.converts[i], raw)
            if value.__class__ is Failure and found == CONTRADICTS:
                value = None  # the column's `ambiguous-number` error says why
            elif value.__class__ is Failure:
                finding = Finding(source, line, INVALID_VALUE, value.reason, self.headers[i])
                row_pass.errors.append(finding)
                value = None
            elif self.kinds[i] == "date" and value is not None and value > row_pass.as_of:
                row_pass.future_date(source, line, self.headers[i], value)
            elif raw.__class__ is str and len(self.caches[i]) < 100_000:
                self.caches[i][raw] = value
            self.observers[i](raw, value, line)
            conv[i] = value
            first_rows = self.first_rows[i]
            if first_rows is not None and value is not None and value not in first_rows:
                first_rows[value] = (source, line)

    def _decide(self, i: int, raw: str, line: int) -> int:
        """A new text of a number column, before it is read: when it decides the column's
        decimal mark against the file's, the column is read with that mark from now on."""
        number = self.numbers[i]
        assert number is not None
        found = number.decide(raw, line)
        if found == SWITCHED:
            self.converts[i] = converter("number", number.comma, self.formats, self.levels[i])
            self.caches[i] = {None: None, "": None}
            self.cached = cached_values(self.caches, self.columns)  # type: ignore[arg-type]
        return found

    def kept(self, conv: list[Any]) -> bool:
        """Whether the row passes the model's `filter` (but for its integration names)."""
        return all(p is not None and test(conv[p]) for p, test in self.filters)
