"""The Python row pass's loop for a plain table: no `filter`, no `latest_by`, no request kept
apart (`over: requests`), no `per: account` field and no condition on the integration's name.
Most request logs are plain, and their common row — a cell naming one integration, a row with
an account — is inlined here: no call per row, each lookup once. Any other row (an unnamed
one, several names, no account) goes through `RowPass`'s own methods, so both loops mean the
same; the differential tests against the DuckDB pass and `tests/test_fast_paths.py` hold them
to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..matching import category_key
from ..read.rows import Table
from .groups import Group
from .ranking import Requester, SeenValue
from .row_columns import MISS, RowColumns

if TYPE_CHECKING:
    from .rowpass import RowPass

__all__ = ["is_plain", "merge_latest", "merge_row", "note_attributes", "note_row", "plain_rows"]

ROWS, REPEAT, VALUES = Requester.ROWS, Requester.REPEAT, Requester.VALUES


def is_plain(row_pass: RowPass, columns: RowColumns) -> bool:
    """Whether every row of the table goes straight to its requesters (`plain_rows`)."""
    return not (
        columns.filters
        or row_pass.name_test is not None
        or columns.latest is not None
        or row_pass.requests
        or row_pass.account_facts.slots
        or columns.name_slot is not None
    )


def plain_rows(row_pass: RowPass, table: Table, columns: RowColumns) -> tuple[int, int, int, int]:
    """`RowPass._rows` of a plain table: (rows kept, 0 left out by a filter, rows that name no
    integration, rows that name one)."""
    name_col, account_col, email_col = columns.name, columns.account, columns.email
    assert name_col is not None
    accounts = row_pass.accounts
    source = table.source
    layout, identity = columns.layout, columns.identity
    getter, cached = columns.getter, columns.cached
    noted = bool(columns.attributes or columns.facts)
    note, noted_value = _noting(columns)
    rows = unnamed = 0
    ones: dict[str, Named] = {}  # a name cell's text -> what it names (`_named`)
    for line, cells in table.rows:
        name = cells[name_col]
        named = ones.get(name) if name.__class__ is str else None
        if named is None:
            named = _named(row_pass, ones, name, source, line)
            if named is None:
                unnamed += row_pass.note_unnamed(table, columns, line, cells, name) is True
                continue
        item, spelling, known = named
        rows += 1
        conv = cached(cells)
        if MISS in conv:
            columns.convert_new(row_pass, source, line, getter(cells), conv)
            cached = columns.cached  # built again when a column's decimal mark switched
        # A requester's values are a tuple: one object, read by scoring (merges replace it).
        if identity:
            row_values = tuple(conv)
        else:
            conv.append(None)  # a field the table lacks
            row_values = tuple(map(conv.__getitem__, layout))
        who: Any = None
        if account_col is not None:
            account = cells[account_col]
            who = accounts.get(account, MISS) if account.__class__ is str else MISS
            if who is MISS:
                who = row_pass.account(account)
        if who is None and email_col is not None:
            who = row_pass.email(cells[email_col])
        if who is None or item is None:
            row_pass.request(known, who, list(row_values), conv, columns, source, line, -1)
            continue
        spellings = item.spellings
        spellings[spelling] = spellings.get(spelling, 0) + 1
        requesters = item.requesters
        requester = requesters.get(who[0])
        if requester is None:
            requester = Requester((who[1], source, line, row_values, 1, None, False, None))
            requesters[who[0]] = requester
        elif requester[ROWS] > 1 and None not in row_values:  # later values win
            requester[ROWS] += 1
            requester[VALUES] = row_values
        else:
            merge_row(requester, row_values, False, -1, source, line)
        if noted:
            mark = noted_value(conv)
            if mark is not item.noted:
                note(item, conv, columns, source, line)
                item.noted = mark
    return rows, 0, unnamed, rows


# What a name cell names: (the group of its one integration, as spelled, the cell's names);
# a cell naming several: (None, "", the names).
Named = tuple[Group | None, str, list[tuple[str, str]]]


def _named(row_pass: RowPass, ones: dict[str, Named], name: Any, source: str, line: int) -> Any:
    """What a name cell names (None: nothing), remembered by text; the group of a single
    integration is made on its first row, as `RowPass.request` would make it."""
    # Cached by text only: in YAML/JSON, 1 and true are equal dict keys.
    known: Any = row_pass.name_cache.get(name, MISS) if name.__class__ is str else MISS
    if known is MISS:
        known = row_pass.names_of(name)
    if not known:
        return None
    named: Named = (None, "", known)
    if len(known) == 1:
        key, spelling = known[0]
        item = row_pass.items.get(key)
        if item is None:
            item = row_pass.items[key] = Group(source, line, row_pass.model.attribute_slots)
        named = (item, spelling, known)
    if name.__class__ is str:
        ones[name] = named
    return named


Note = Callable[[Group, list[Any], RowColumns, str, int], None]


def _noting(columns: RowColumns) -> tuple[Note, Callable[[list[Any]], Any]]:
    """How a plain table's rows note attributes and facts (`note_row`, or `note_attributes`
    without facts or segments), and what a row gives them: with one attribute and no segment,
    its value, one object per text from the column's cache, so that a row giving its item
    the value the item's last noted row gave is passed over; else a new list, never the same."""
    if columns.facts or any(where for _, _, where in columns.attributes):
        return note_row, list
    if len(columns.attributes) == 1:
        return note_attributes, itemgetter(columns.attributes[0][1])
    return note_attributes, list


def note_attributes(
    item: Group, conv: list[Any], columns: RowColumns, source: str, line: int
) -> None:
    """`note_row` for columns without facts or segments: each distinct attribute value,
    with the row that first gave it."""
    category_keys = columns.category_keys
    for a, p, _ in columns.attributes:
        value = conv[p]
        if value is None:
            continue
        if value.__class__ is str:
            ckey = category_keys.get(value)
            if ckey is None:
                ckey = category_keys[value] = category_key(value)
        else:
            ckey = category_key(value)
        seen = item.attributes[a]
        if ckey not in seen:
            seen[ckey] = SeenValue(value, source, line, None)


def note_row(item: Group, conv: list[Any], columns: RowColumns, source: str, line: int) -> None:
    """The row's facts (first value seen) and attribute values (each distinct one, with the
    row that first gave it; only rows in the criterion's segment)."""
    for f, p in columns.facts:
        if f not in item.facts and conv[p] is not None:
            item.facts[f] = conv[p]
    for a, p, where in columns.attributes:
        value = conv[p]
        if value is None:
            continue
        if where and not all(wp is not None and test(conv[wp]) for wp, test in where):
            continue
        if value.__class__ is str:
            ckey = columns.category_keys.get(value)
            if ckey is None:
                ckey = columns.category_keys[value] = category_key(value)
        else:
            ckey = category_key(value)
        seen = item.attributes[a]
        if ckey not in seen:
            seen[ckey] = SeenValue(value, source, line, None)


def merge_row(
    requester: Requester, values: Sequence[Any], dated: bool, row_date: int, source: str, line: int
) -> None:
    """Another row of the same account: later non-blank values win (by date with latest_by)."""
    requester[ROWS] += 1
    if requester[ROWS] == 2:
        requester[REPEAT] = (source, line)  # the first repeated row
    if dated:
        merge_latest(requester, values, row_date)
    elif None not in values:
        requester[VALUES] = values  # every value is newer
    else:
        known = requester.changeable()
        for j, value in enumerate(values):
            if value is not None:
                known[j] = value


def merge_latest(requester: Requester, newer: Sequence[Any], row_date: int) -> None:
    """`latest_by`: each field keeps the value of the latest dated row that has one (rows
    without a date come before all dated ones; on the same day, the later row)."""
    when = requester.when
    assert when is not None
    values = requester.changeable()
    for j, value in enumerate(newer):
        if value is not None and (when[j] is None or row_date >= when[j]):
            values[j] = value
            when[j] = row_date
