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
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Event
from typing import Any

from ..matching import name_keys
from ..model.compiled import Model, Test
from ..problems import Finding
from ..read.footer import MAX_FOOTER, is_total_row
from ..read.readers import MAX_FIELD
from ..read.rows import Table
from .cells import (
    column_of,
    find_columns,
)
from .duckdb_groups import attributes, facts, summaries
from .duckdb_lines import ASCII_SPACE, Unsupported, count_lines
from .duckdb_names import (
    accounts_from_emails,
    any_text_sql,
    future_dates,
    no_names,
    read_names,
    sql_literal,
)
from .duckdb_values import register_values
from .groups import Group, Grouped, blank_account
from .ranking import InputSummary
from .rowpass import MAX_WARNINGS
from .unnamed import MAX_UNNAMED, more_unnamed

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
    if table.repeated:
        raise Unsupported("a header repeats (one multi-valued column)")
    if table.column_decimals:
        raise Unsupported("a number column's decimal mark was decided by a first reading")
    real = os.path.realpath(path)
    if any(ch in real for ch in "*?[]{}"):  # DuckDB would expand them as a glob
        raise Unsupported("the file's path has glob characters")
    if not table.delimiter.isascii():
        raise Unsupported("the delimiter is not ASCII")

    # The Python pass's order of fields (its warnings follow it); a field read from the
    # integration column is no field.
    order = list(dict.fromkeys([*model.fields, *(model.filter or {})]))
    name_col, account_col, cols = find_columns(table, model, order)
    if name_col is None:
        raise Unsupported("no integration column")  # the Python pass words the error
    emails = model.email_headers()
    email_col = column_of(table, emails) if emails else None
    found_fields = {f for f, c in cols.items() if c is not None}
    present = {f: c for f in order if (c := cols[f]) is not None and c != name_col}

    # DuckDB spills to disk past its memory limit: into a private folder removed afterwards,
    # not `.tmp` in the user's folder; and it never fetches an extension from the network.
    # The line check reads the file in a thread while DuckDB loads it (DuckDB releases the
    # GIL while it works); the rows are compared with the lines once both are done.
    with (
        tempfile.TemporaryDirectory(prefix="intscore-duckdb-") as spill,
        ThreadPoolExecutor(1) as pool,
    ):
        stop = Event()  # set when the run ends first: the check stops reading
        lines = pool.submit(count_lines, real, table.delimiter, stop)
        settings: dict[str, str | bool | int | float | list[str]] = {
            "temp_directory": spill,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        con = duckdb.connect(":memory:", config=settings)
        try:
            return _Pass(con, table, real, model, as_of, lines).run(
                name_col, account_col, email_col, present, found_fields
            )
        except duckdb.Error as exc:
            lines.result()  # the line check's reason first: it says more
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Unsupported(f"DuckDB: {first}") from None
        finally:
            stop.set()
            con.close()


class _Pass:
    """One run of the DuckDB pass over one file. Field columns are named f0, f1, ... in the
    Python pass's order of fields; a field's cell becomes an id into a Python list of its
    conversions, through the table `m` + column (text, id, the day of a date, and one boolean
    column per condition on the field: t0, t1, ...)."""

    def __init__(
        self, con: Any, table: Table, path: str, model: Model, as_of: int, lines: Future[int]
    ):
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
        self.integral: set[str] = set()  # number fields whose every value is an integer

    def run(
        self,
        name_col: int,
        account_col: int | None,
        email_col: int | None,
        present: dict[str, int],
        found_fields: set[str],
    ) -> Grouped:
        self.column = {f: f"f{i}" for i, f in enumerate(present)}
        as_of, model = self.as_of, self.model
        if "integration" in model.fields:  # a condition tests the name: the group id
            self.column["integration"] = "fn"
        filters = (model.filter or {}).items()
        self.filters = [self._condition(f, c.test(as_of)) for f, c in filters if f != "integration"]
        self.filter_fields = {f for f, _ in filters if f != "integration"}
        on_names = [model.test_of(f, c, as_of) for f, c in filters if f == "integration"]
        self.where = {
            ci: [self._condition(w, model.test_of(w, x, as_of)) for w, x in c.where.items()]
            for ci, c in enumerate(model.criteria)
            if c.where
        }
        has_account = account_col is not None or email_col is not None
        self._load(name_col, account_col, email_col, present)
        (rows_read,) = self.con.execute("SELECT count(*) FROM t").fetchone()
        if rows_read + 1 != self.lines.result():
            raise Unsupported("the file has blank lines or rows over several lines")
        if self.table.footer:
            self._no_footer(rows_read)
        for f in present:
            register_values(self, f)
        header = self.table.header[name_col] or "integration"
        found = read_names(
            self.con,
            model,
            self.source,
            header,
            self._kept(),
            on_names[0] if on_names else None,
            self._register,
        )
        no_names(model, found, self.source, header, self.table.header)
        groups = found.groups
        if "integration" in self.column:
            self._names(list(groups))
        keys = list(groups)  # group id -> key
        warnings = future_dates(self, present, found.warnings)
        if found.unnamed > MAX_UNNAMED:
            warnings.append(more_unnamed(self.source, found.unnamed - MAX_UNNAMED))
        if email_col is not None:
            accounts_from_emails(self.con, self._register)
        odd_accounts = has_account and self._accounts()
        self._join(has_account, odd_accounts)
        self.con.execute("DROP TABLE t")  # every row is in `j` now: room for the grouping
        carried = [f for f in model.carried if f in present]
        self._requesters(has_account, carried)
        summaries(self, keys, groups)
        attributes(self, keys, groups)
        facts(self, keys, groups)
        warnings += self._blank_accounts(has_account, carried, keys, groups, len(warnings))
        summary = InputSummary(
            self.source,
            self.table.format,
            found.rows,
            tuple(self.table.header),
            found.filtered,
            found.unnamed,
        )
        return Grouped(
            groups, found.errors, [summary], found_fields, self.source, has_account, warnings
        )

    def _no_footer(self, rows: int) -> None:
        """Unsupported where the reader may leave rows out: a total row, or a footer."""
        found = self.con.execute(
            "SELECT DISTINCT total_text FROM t WHERE total_text IS NOT NULL"
        ).fetchall()
        if any(is_total_row([text]) for (text,) in found):
            raise Unsupported("the file has subtotal or total rows (the reader leaves them out)")
        (last_blank,) = self.con.execute(
            "SELECT max(rowid) FROM t WHERE any_text IS FALSE"
        ).fetchone()
        if last_blank is not None and 0 < rows - 1 - last_blank <= MAX_FOOTER:
            raise Unsupported("rows after a blank row near the end may be a report's footer")

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

    def _load(
        self,
        name_col: int,
        account_col: int | None,
        email_col: int | None,
        present: dict[str, int],
    ) -> None:
        """The needed columns of every row, in file order (`rowid` is the row's position),
        and whether a row with a blank name has any text at all."""
        width = len(self.table.header)
        spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
        picked = [f"c{name_col} AS cn"]
        if account_col is not None:
            picked.append(f"c{account_col} AS ca")
        elif email_col is not None:
            picked.append("NULL::VARCHAR AS ca")
        if email_col is not None:
            picked.append(f"c{email_col} AS ce")
        picked += [f"c{c} AS {self.column[f]}" for f, c in present.items()]
        any_text = any_text_sql(width, f"c{name_col}")
        # The first non-empty cell where it may name a total (the reader's test decides)
        first = f"coalesce({', '.join(f'nullif(trim(c{i}), {chr(39) * 2})' for i in range(width))})"
        # (asked of the first cell alone where it is not blank: it is then the first one)
        totals = "'(?i)^(sub|tot|gra|sum|ges|erg)'"
        total = (
            f"CASE WHEN c0 IS NULL OR trim(c0) = '' OR regexp_matches(trim(c0), {totals}) "
            f"THEN CASE WHEN regexp_matches({first}, {totals}) THEN {first} END END"
        )
        # No longer a line than the Python reader takes (`read: max_line_length`, characters
        # with the line break: DuckDB counts bytes without it, so this is never more lenient
        # and a longer line falls back to Python, which reports it).
        longest = min(MAX_FIELD, self.model.max_line_length - 2)
        self.con.execute(
            f"""CREATE TEMP TABLE t AS SELECT {", ".join(picked)}, {any_text} AS any_text,
            {total} AS total_text
            FROM read_csv(?, header = true, auto_detect = false, columns = {{{spec}}},
                delim = ?, quote = '"', escape = '"', null_padding = true,
                strict_mode = true, max_line_size = {longest})""",
            [self.path, self.table.delimiter],
        )

    def _names(self, keys: list[str]) -> None:
        """Registers the integrations as the values of the field `integration` (group id ->
        key), with the answer of each condition on it."""
        self.values["integration"] = keys
        columns: dict[str, tuple[str, Sequence[Any]]] = {"id": ("BIGINT", range(len(keys)))}
        for i, test in enumerate(self.tests.get("integration", ())):
            columns[f"t{i}"] = ("BOOLEAN", [bool(test(key)) for key in keys])
        self._register("mfn", columns)

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
        other_space = sql_literal("[" + ASCII_SPACE.replace(" ", "") + "]")  # a regex class
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
            if column == "fn":  # the integration: its group
                joins.append("LEFT JOIN mfn ON mn.id = mfn.id")
            else:
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
        fields = self._requester_fields()
        per_account = [self.column[f] for f in self.model.per_account if f in fields]
        if has_account and per_account:  # the account's latest, whichever integration
            facts = "".join(
                f", arg_max({c}, {order}) FILTER (WHERE {c} IS NOT NULL) AS {c}"
                for c in per_account
            )
            self.con.execute(
                f"CREATE TEMP TABLE fa AS SELECT a{facts} FROM j WHERE a IS NOT NULL GROUP BY a"
            )
            sets = ", ".join(f"{c} = fa.{c}" for c in per_account)
            self.con.execute(f"UPDATE req SET {sets} FROM fa WHERE req.a = fa.a")
        if self.model.over_requests:  # every request of a requester, with the account's facts
            self.con.execute(f"CREATE TEMP TABLE jr AS SELECT * FROM j WHERE {where}")
            if has_account and per_account:
                self.con.execute(f"UPDATE jr SET {sets} FROM fa WHERE jr.a = fa.a")

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
