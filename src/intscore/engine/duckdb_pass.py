"""The row pass in DuckDB, for big CSV logs (`pip install 'intscore[fast]'`).

DuckDB reads the file, drops the rows `filter` leaves out, groups rows into requesters (later
non-blank values win; with `latest_by`, the latest dated row's) and counts, per integration
and criterion, the requesters in its segment (`where`) with each value. What a cell *means*
is still decided by the Python row pass's own functions: each distinct text of a column is
converted once, in Python (names, aliases, accounts, numbers, dates), each condition is
answered once per distinct value, and DuckDB joins the rows to those answers. Points, scores,
ties and recommendations are `scoring.score_groups`, the same code as for the Python pass,
which is why the two engines rank alike.

Exact or nothing: an input this pass cannot read exactly as the Python reader does (a quoted
field over lines or malformed, blank lines, a lone carriage return, other encodings) or a
value the Python pass would report as invalid (it says on which line) raises `Unsupported`
with the reason, and the caller runs the Python pass.
"""

from __future__ import annotations

import codecs
import math
import os
import tempfile
from collections.abc import Sequence
from typing import Any

from ..dates import show_day
from ..matching import name_keys
from ..model.compiled import Model, Test
from ..problems import FUTURE_DATE, Finding
from ..read.readers import MAX_FIELD
from ..read.rows import Table
from .cells import (
    Failure,
    NameReader,
    convert_cell,
    converter,
    find_columns,
    is_blank,
    levels_of,
)
from .duckdb_groups import attributes, facts, summaries
from .duckdb_lines import ASCII_SPACE, Unsupported, count_lines
from .groups import Group, Grouped, blank_account
from .number_columns import NumberColumn
from .ranking import InputSummary
from .rowpass import MAX_NOTED, MAX_WARNINGS

__all__ = ["Unsupported", "group_csv"]


def group_csv(table: Table, path: str, model: Model, as_of: int) -> Grouped:
    """The Python pass's `Grouped` for one CSV file whose header `table` has read, with each
    integration's requesters counted (`Group.summary`) instead of listed. Raises Unsupported
    when the result could differ from the Python pass's in any way."""
    import duckdb

    if table.format not in ("csv", "tsv") or table.size is None or table.delimiter is None:
        raise Unsupported("not a CSV file on disk")
    if codecs.lookup(table.encoding or "utf-8").name not in ("utf-8", "utf-8-sig"):
        raise Unsupported(f"the file is read as {table.encoding}")
    if table.header_line != 1:
        raise Unsupported("the header is not on the first line")
    real = os.path.realpath(path)
    if any(ch in real for ch in "*?[]{}"):  # DuckDB would expand them as a glob
        raise Unsupported("the file's path has glob characters")
    if not table.delimiter.isascii():
        raise Unsupported("the delimiter is not ASCII")
    lines = count_lines(real, table.delimiter)

    # The Python pass's order of fields (its warnings follow it); a field read from the
    # integration column is no field.
    order = list(dict.fromkeys([*model.fields, *(model.filter or {})]))
    name_col, account_col, cols = find_columns(table, model, order)
    if name_col is None:
        raise Unsupported("no integration column")  # the Python pass words the error
    found_fields = {f for f, c in cols.items() if c is not None}
    present = {f: c for f in order if (c := cols[f]) is not None and c != name_col}

    # DuckDB spills to disk past its memory limit: into a private folder removed afterwards,
    # not `.tmp` in the user's folder; and it never fetches an extension from the network.
    with tempfile.TemporaryDirectory(prefix="intscore-duckdb-") as spill:
        settings = {
            "temp_directory": spill,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        con = duckdb.connect(":memory:", config=settings)
        try:
            return _Pass(con, table, real, model, as_of, lines).run(
                name_col, account_col, present, found_fields
            )
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Unsupported(f"DuckDB: {first}") from None
        finally:
            con.close()


class _Pass:
    """One run of the DuckDB pass over one file. Field columns are named f0, f1, ... in the
    Python pass's order of fields; a field's cell becomes an id into a Python list of its
    conversions, through the table `m` + column (text, id, the day of a date, and one boolean
    column per condition on the field: t0, t1, ...)."""

    def __init__(self, con: Any, table: Table, path: str, model: Model, as_of: int, lines: int):
        self.con = con
        self.table = table
        self.path = path
        self.model = model
        self.lines = lines
        self.source = table.source
        self.as_of = as_of
        self.column: dict[str, str] = {}  # field -> its column in DuckDB
        self.values: dict[str, list[Any]] = {}  # field -> value of each id
        self.tests: dict[str, list[Test]] = {}  # field -> conditions on it (column t + index)

    def run(
        self,
        name_col: int,
        account_col: int | None,
        present: dict[str, int],
        found_fields: set[str],
    ) -> Grouped:
        self.column = {f: f"f{i}" for i, f in enumerate(present)}
        as_of = self.as_of
        filters = (self.model.filter or {}).items()
        self.filters = [self._condition(f, c.test(as_of)) for f, c in filters]
        self.where = {
            ci: [self._condition(w, x.test(as_of)) for w, x in c.where.items()]
            for ci, c in enumerate(self.model.criteria)
            if c.where
        }
        has_account = account_col is not None
        self._load(name_col, account_col, present)
        (rows_read,) = self.con.execute("SELECT count(*) FROM t").fetchone()
        if rows_read + 1 != self.lines:
            raise Unsupported("the file has blank lines or rows over several lines")
        for f in present:
            self._values(f)
        groups, rows, filtered = self._groups()
        keys = list(groups)  # group id -> key
        warnings = self._future_dates(present)
        odd_accounts = has_account and self._accounts()
        self._join(has_account, odd_accounts)
        carried = [f for f in self.model.carried if f in present]
        self._requesters(has_account, carried)
        summaries(self, keys, groups)
        attributes(self, keys, groups)
        facts(self, keys, groups)
        warnings += self._blank_accounts(has_account, carried, keys, groups, len(warnings))
        summary = InputSummary(
            self.source, self.table.format, rows, tuple(self.table.header), filtered
        )
        return Grouped(groups, [], [summary], found_fields, self.source, has_account, warnings)

    def _condition(self, field: str, test: Test) -> tuple[str | None, str, str]:
        """A condition on a field: (its field's column or None, its boolean column, its
        answer for no value — SQL)."""
        tests = self.tests.setdefault(field, [])
        tests.append(test)
        blank = "true" if test(None) else "false"  # a blank value fails every condition today
        return self.column.get(field), f"t{len(tests) - 1}", blank

    def _holds(self, condition: tuple[str | None, str, str], table: str) -> str:
        """SQL: the condition holds for the row of `table` (a map joined on the field; no
        column or no value: the answer for no value)."""
        column, test, blank = condition
        if column is None:
            return blank
        return f"coalesce({table}.{test}, {blank})"

    def _load(self, name_col: int, account_col: int | None, present: dict[str, int]) -> None:
        """The needed columns of every row, in file order (`rowid` is the row's position),
        and whether the row has any text at all."""
        width = len(self.table.header)
        spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
        picked = [f"c{name_col} AS cn"]
        if account_col is not None:
            picked.append(f"c{account_col} AS ca")
        picked += [f"c{c} AS {self.column[f]}" for f, c in present.items()]
        # Whether a row has any text, only where the name is blank to the eye of a cheap
        # test (spaces): trimming every cell of every row would cost more than the reading.
        texts = " OR ".join(
            f"(c{i} IS NOT NULL AND trim(c{i}, {_literal(ASCII_SPACE)}) <> '')"
            for i in range(width)
        )
        any_text = f"CASE WHEN c{name_col} IS NULL OR ltrim(c{name_col}) = '' THEN ({texts}) END"
        # No longer a line than the Python reader takes (`read: max_line_length`, characters
        # with the line break: DuckDB counts bytes without it, so this is never more lenient
        # and a longer line falls back to Python, which reports it).
        longest = min(MAX_FIELD, self.model.max_line_length - 2)
        self.con.execute(
            f"""CREATE TEMP TABLE t AS SELECT {", ".join(picked)}, {any_text} AS any_text
            FROM read_csv(?, header = true, auto_detect = false, columns = {{{spec}}},
                delim = ?, quote = '"', escape = '"', null_padding = true,
                strict_mode = true, max_line_size = {longest})""",
            [self.path, self.table.delimiter],
        )

    def _values(self, field: str) -> None:
        """Registers a field's distinct texts as the Python pass converts them, with the
        answer of each condition on the field; an invalid one is Unsupported (the Python pass
        reports each with its line)."""
        column = self.column[field]
        found = self.con.execute(f"SELECT DISTINCT {column} FROM t").fetchall()
        kind = self.model.field_kinds.get(field)
        levels = levels_of(self.model, field)
        convert = converter(kind, self.table.decimal_comma, self.model.date_formats, levels)
        column_check = NumberColumn(levels) if kind == "number" else None
        texts, values = [], []
        for (text,) in found:
            if text is None or is_blank(text):
                continue
            value = convert_cell(convert, text)
            if value.__class__ is Failure:
                raise Unsupported("invalid values (the Python pass reports each with its line)")
            if value.__class__ is float and value == 0 and math.copysign(1.0, value) < 0:
                raise Unsupported(f"a negative zero in '{field}'")  # min(0.0, -0.0): order
            if column_check is not None:
                column_check.observe(text, value, 0)
            texts.append(text)
            values.append(value)
        if column_check is not None and column_check.ambiguous():
            raise Unsupported(f"'{field}' mixes number conventions (the Python pass reports it)")
        self.values[field] = values
        columns = {"text": ("VARCHAR", texts), "id": ("BIGINT", list(range(len(texts))))}
        if kind == "date":
            columns["day"] = ("BIGINT", values)
        for i, test in enumerate(self.tests.get(field, ())):
            columns[f"t{i}"] = ("BOOLEAN", [bool(test(v)) for v in values])
        self._register(f"m{column}", columns)

    def _register(self, name: str, columns: dict[str, tuple[str, Sequence[Any]]]) -> None:
        """A table from Python lists, one per column."""
        picked = ", ".join(f"unnest(?::{kind}[]) AS {c}" for c, (kind, _) in columns.items())
        self.con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT {picked}",
            [list(data) for _, data in columns.values()],
        )

    def _kept(self) -> tuple[str, str]:
        """(joins, SQL) of whether a row of t passes the config's `filter`."""
        if not self.filters:
            return "", "true"
        columns = dict.fromkeys(f[0] for f in self.filters if f[0])
        joins = "".join(f" LEFT JOIN m{c} ON t.{c} = m{c}.text" for c in columns)
        return joins, " AND ".join(self._holds(f, f"m{f[0]}") for f in self.filters)

    def _groups(self) -> tuple[dict[str, Group], int, int]:
        """The integrations in order of first appearance (among rows the filter keeps), with
        their first line and spellings; registers `mn` (name text -> group id; NULL: no
        integration); counts the rows with a name that the filter keeps and leaves out."""
        joins, kept = self._kept()
        by_text = self.con.execute(
            "SELECT cn, count(*) FILTER (WHERE kept), min(rn) FILTER (WHERE kept), count(*) "
            f"FROM (SELECT t.cn, t.rowid AS rn, {kept} AS kept FROM t{joins}) "
            "WHERE cn IS NOT NULL GROUP BY cn"
        ).fetchall()
        by_text.sort(key=lambda r: (r[2] is None, r[2]))  # by first appearance
        n_attrs = len(self.model.attribute_criteria)
        groups: dict[str, Group] = {}
        group_id: dict[str, int] = {}
        texts: list[str] = []
        ids: list[int | None] = []
        rows = filtered = 0
        blank_texts = [row[0] for row in by_text if is_blank(row[0])]  # checked below
        by_text = [row for row in by_text if not is_blank(row[0])]
        names = NameReader(self.model).names_in_cells([text for text, _, _, _ in by_text])
        for (text, n, rn, every), known in zip(by_text, names, strict=True):
            # texts come by first appearance, so groups get their ids in the Python order
            rows += n
            filtered += every - n
            if not known or not n:  # a name of nothing but separators, or no row kept
                texts.append(text)
                ids.append(None)
                continue
            for key, spelling in known:
                group = groups.get(key)
                if group is None:
                    group = groups[key] = Group(self.source, _line(rn), n_attrs)
                    group_id[key] = len(group_id)
                group.spellings[spelling] = group.spellings.get(spelling, 0) + n
                texts.append(text)
                ids.append(group_id[key])
        self._register("mn", {"text": ("VARCHAR", texts), "id": ("BIGINT", ids)})
        # Rows of no name (NULL or blank) with text elsewhere: the Python pass words them.
        (blank_rows,) = self.con.execute(
            "SELECT count(*) FROM t WHERE (cn IS NULL OR list_contains(?, cn)) "
            "AND any_text IS NOT FALSE",
            [blank_texts],
        ).fetchone()
        if blank_rows:
            raise Unsupported("rows with a blank integration name")
        return groups, rows, filtered

    def _future_dates(self, present: dict[str, int]) -> list[Finding]:
        """A warning per date after as_of in a row with a name (in row order, then field
        order, the first MAX_NOTED; then how many more), as the Python pass gives them."""
        found: list[tuple[int, int, str, int]] = []
        total = 0
        for position, field in enumerate(present):
            if self.model.field_kinds.get(field) != "date":
                continue
            ids = [i for i, day in enumerate(self.values[field]) if day > self.as_of]
            if not ids:
                continue
            c = self.column[field]
            where = f"list_contains(?, m{c}.id) AND t.cn IN (SELECT text FROM mn)"
            sql = f"FROM t JOIN m{c} ON t.{c} = m{c}.text WHERE {where}"
            (n,) = self.con.execute(f"SELECT count(*) {sql}", [ids]).fetchone()
            total += n
            header = self.table.header[present[field]]
            rows = self.con.execute(
                f"SELECT t.rowid, m{c}.day {sql} ORDER BY 1 LIMIT {MAX_NOTED}", [ids]
            ).fetchall()
            found += [(rn, position, header, day) for rn, day in rows]
        found.sort()
        as_of = show_day(self.as_of) if total else ""
        warnings = [
            Finding(
                self.source,
                _line(rn),
                FUTURE_DATE,
                f"{show_day(day)} is after {as_of} (as of): its age counts as 0",
                header,
                "warning",
            )
            for rn, _, header, day in found[:MAX_NOTED]
        ]
        if total > MAX_NOTED:
            more = f"and {total - MAX_NOTED:,} more dates after as of"
            warnings.append(Finding(self.source, None, FUTURE_DATE, more, severity="warning"))
        return warnings

    def _accounts(self) -> bool:
        """Registers `ma`: the account texts that do not stand for themselves — a blank one
        (no account), or one whose key an earlier text already has (`acme` after `Acme`) —
        and the text that does. Whether there are any."""
        if self._accounts_stand_alone():
            return False
        found = self.con.execute("SELECT DISTINCT ca FROM t WHERE ca IS NOT NULL").fetchall()
        texts = [text for (text,) in found]
        keys = name_keys(texts)  # "" for a blank text
        first: dict[str, str] = {}
        odd: list[str] = []
        instead: list[str | None] = []
        if len(set(keys)) < len(keys) or "" in keys:  # else: every text stands for itself
            for text, key in zip(texts, keys, strict=True):
                if not key:
                    odd.append(text)
                    instead.append(None)
                elif first.setdefault(key, text) != text:
                    odd.append(text)
                    instead.append(first[key])
        self._register("ma", {"text": ("VARCHAR", odd), "id": ("VARCHAR", instead)})
        return bool(odd)

    def _accounts_stand_alone(self) -> bool:
        """Whether, to a check in SQL, every account text has a key of its own and none is
        blank — without bringing the texts to Python. Sound where it answers yes: for ASCII
        text whose only whitespace is the space, a key (`name_key`) is the lower-cased text
        with its spaces collapsed and trimmed, so texts of equal keys are equal without their
        spaces; if no two texts are, no two keys are (and a blank text is empty without
        them)."""
        other_space = _literal("[" + ASCII_SPACE.replace(" ", "") + "]")  # a regex class
        distinct, apart, blank, ascii_only, odd_space = self.con.execute(
            f"""SELECT count(*), count(DISTINCT lower(replace(ca, ' ', ''))),
                bool_or(replace(ca, ' ', '') = ''), bool_and(strlen(ca) = length(ca)),
                bool_or(regexp_matches(ca, {other_space}))
            FROM (SELECT DISTINCT ca FROM t WHERE ca IS NOT NULL)"""
        ).fetchone()
        return bool(distinct == apart and not blank and ascii_only and not odd_space)

    def _join(self, has_account: bool, odd_accounts: bool) -> None:
        """Every row the filter keeps with an integration (once per integration a split cell
        names): its position, group, account (the text that stands for its key; NULL: none),
        field values (ids), the day of its `latest_by` date, and whether it is in each
        attribute's segment (`where`)."""
        picked = ["t.rowid AS rn", "mn.id AS k"]
        joins = ["JOIN mn ON t.cn = mn.text"]
        if odd_accounts:
            picked.append("CASE WHEN ma.text IS NULL THEN t.ca ELSE ma.id END AS a")
            joins.append("LEFT JOIN ma ON t.ca = ma.text")
        elif has_account:
            picked.append("t.ca AS a")
        for column in self.column.values():
            picked.append(f"m{column}.id AS {column}")
            joins.append(f"LEFT JOIN m{column} ON t.{column} = m{column}.text")
        latest = self.model.latest_by
        if latest in self.column:
            picked.append(f"m{self.column[latest]}.day AS latest_day")
        for ci in self.model.attribute_criteria:
            if ci in self.where:
                holds = " AND ".join(self._holds(w, f"m{w[0]}") for w in self.where[ci])
                picked.append(f"({holds}) AS in{ci}")
        _, kept = self._kept()
        self.con.execute(
            f"CREATE TEMP TABLE j AS SELECT {', '.join(picked)} FROM t {' '.join(joins)} "
            f"WHERE mn.id IS NOT NULL AND {kept}"
        )

    def _requesters(self, has_account: bool, carried: list[str]) -> None:
        """One row per requester: the rows of one account (later non-blank values win; with
        `latest_by`, the value of the latest dated row), or a row of its own (no account
        column; a blank account with a value of its own)."""
        own = self._has_own_value(carried)
        if has_account:  # a row with no account is a requester of its own: its position
            who, where = "a, CASE WHEN a IS NULL THEN rn END", f"a IS NOT NULL OR {own}"
        else:
            who, where = "NULL, rn", "true"
        order = "rn"
        if self.model.latest_by in self.column:  # undated rows before dated ones, then by row
            order = "(coalesce(latest_day, -1) + 1) * 4294967296 + rn"
        latest = "".join(
            f", arg_max({self.column[f]}, {order}) FILTER (WHERE {self.column[f]} IS NOT NULL)"
            f" AS {self.column[f]}"
            for f in self._requester_fields()
        )
        self.con.execute(
            f"CREATE TEMP TABLE req AS SELECT k, {who}{latest} FROM j "
            f"WHERE {where} GROUP BY 1, 2, 3"
        )

    def _has_own_value(self, carried: list[str]) -> str:
        """SQL: a row with a blank account is a requester of its own when it has a value of a
        requester field."""
        return " OR ".join(f"{self.column[f]} IS NOT NULL" for f in carried) or "false"

    def _requester_fields(self) -> list[str]:
        """The fields the criteria over requesters read (that the file has)."""
        return [f for f in self.model.per_requester if f in self.column]

    def _blank_accounts(
        self,
        has_account: bool,
        carried: list[str],
        keys: list[str],
        groups: dict[str, Group],
        noted: int,
    ) -> list[Finding]:
        """A warning per row with a blank account that counts as a requester of its own
        (while there are fewer than MAX_WARNINGS warnings in all, as in the Python pass)."""
        if not has_account or not carried:
            return []
        own = self._has_own_value(carried)
        room = MAX_WARNINGS - noted
        found = self.con.execute(
            f"SELECT k, rn FROM j WHERE a IS NULL AND ({own}) ORDER BY k, rn LIMIT ?",
            [room + 1],
        ).fetchall()
        if len(found) > room:
            raise Unsupported(f"over {MAX_WARNINGS:,} warnings")
        return [
            blank_account(self.model, keys[k], groups[keys[k]], self.source, _line(rn))
            for k, rn in found
        ]


def _line(rn: int) -> int:
    """The line of the row at this position (checked: rows are lines, the header first)."""
    return rn + 2


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
