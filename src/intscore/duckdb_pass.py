"""The row pass in DuckDB, for big CSV logs (`pip install 'intscore[fast]'`).

DuckDB reads the file, groups rows into requesters (later non-blank values win) and counts,
per integration and criterion, the requesters with each value. What a cell *means* is still
decided by the Python row pass's own functions: each distinct text of a column is converted
once, in Python (names, aliases, accounts, numbers), and DuckDB joins the rows to those
answers. Points, scores, ties and recommendations are `scoring.score_groups`, the same code
as for the Python pass, which is why the two engines rank alike.

Exact or nothing: an input this pass cannot read exactly as the Python reader does (a quoted
field over lines or malformed, blank lines, a lone carriage return, other encodings), a value
the Python pass would report as invalid (it says on which line), or a config feature not
reproduced here raises `Unsupported` with the reason, and the caller runs the Python pass.
"""

from __future__ import annotations

import codecs
import importlib.util
import math
import os
import re
from collections.abc import Sequence
from typing import Any

from .config import ScoringConfig
from .grouping import (
    MAX_WARNINGS,
    Failure,
    Group,
    Grouped,
    Plan,
    RowPass,
    Summary,
    blank_account,
    convert_cell,
    find_columns,
    is_blank,
)
from .matching import category_key, name_keys
from .problems import Finding
from .ranking import CountedRequesters, InputSummary, SeenValue
from .readers import MAX_FIELD
from .rows import Table

__all__ = ["Unsupported", "available", "config_blocker", "group_csv"]

_CHUNK = 1 << 22
# Whitespace as Python's str.isspace() sees it in ASCII: a cell of only these is blank to
# both engines. (Other Unicode spaces make DuckDB see text; the Python pass then decides.)
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


class Unsupported(Exception):
    """The DuckDB pass cannot reproduce this input exactly; the message says why."""


def available() -> bool:
    """Whether the `fast` extra (DuckDB) is installed (without loading it)."""
    return importlib.util.find_spec("duckdb") is not None


def config_blocker(config: ScoringConfig) -> str | None:
    """Why this config needs the Python pass, or None when the DuckDB pass reproduces it."""
    if config.filter:
        return "the config has a filter"
    if config.latest_by:
        return "the config has latest_by"
    if "date" in config.field_kinds().values():
        return "the config reads dates"
    for c in config.criteria:
        if c.where:
            return f"criterion '{c.id}' has where"
        if c.row_weight and c.row_weight.decay:
            return f"criterion '{c.id}' has decay"
    return None


def group_csv(table: Table, path: str, config: ScoringConfig, as_of: int) -> Grouped:
    """The Python pass's `Grouped` for one CSV file whose header `table` has read, with each
    integration's requesters counted (`Group.summary`) instead of listed. Raises Unsupported
    when the result could differ from the Python pass's in any way."""
    import duckdb

    blocker = config_blocker(config)
    if blocker:
        raise Unsupported(blocker)
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
    lines = _count_lines(real, table.delimiter)

    row_pass = RowPass(config, as_of)
    plan = row_pass.plan
    name_col, account_col, cols = find_columns(table, config, plan)
    if name_col is None:
        raise Unsupported("no integration column")  # the Python pass words the error
    found_fields = {f for f, c in cols.items() if c is not None}
    # A field read from the integration column is no field (as in the Python pass).
    present = {f: c for f, c in cols.items() if c is not None and c != name_col}

    con = duckdb.connect(":memory:")
    try:
        return _Pass(con, table, real, config, plan, row_pass, lines).run(
            name_col, account_col, present, found_fields
        )
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unsupported(f"DuckDB: {first}") from None
    finally:
        con.close()


def _count_lines(path: str, delimiter: str) -> int:
    """The physical lines of a file in which CSV rows are lines (else Unsupported): no NUL,
    no lone carriage return, and every quoted field whole on its line and well formed (quoted
    from its first character to its last, quotes inside doubled), which Python's csv module
    and DuckDB read alike. A row's line is then its position."""
    newlines = 0
    last = b""
    closer_look = False
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            if b"\0" in chunk:
                raise Unsupported("the file has NUL bytes")
            closer_look = closer_look or b'"' in chunk or b"\r" in chunk
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    if closer_look:
        _check_lines(path, delimiter)
    return newlines + (0 if last in (b"\n", b"") else 1)


def _check_lines(path: str, delimiter: str) -> None:
    """Quotes and carriage returns, line by line (pieces of whole lines)."""
    well_formed = _well_formed(delimiter)
    carry = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                carry += chunk
                if len(carry) > MAX_FIELD:
                    raise Unsupported("a line is longer than the Python reader allows")
                continue
            piece, carry = carry + chunk[:cut], chunk[cut:]
            _check_piece(piece, well_formed)
    _check_piece(carry, well_formed)


def _check_piece(piece: bytes, well_formed: re.Pattern[bytes]) -> None:
    if piece.count(b"\r") != piece.count(b"\r\n"):
        raise Unsupported("the file has a carriage return that ends no line")
    if b'"' in piece and not well_formed.fullmatch(piece):
        raise Unsupported("a quoted field spans lines or is not closed where it should be")


def _well_formed(delimiter: str) -> re.Pattern[bytes]:
    """Lines of fields that are plain (no quote) or quoted whole, quotes inside doubled.
    Possessive loops: one way to match, so time is linear in the text."""
    d = re.escape(delimiter.encode())
    field = rb'(?:"(?:[^"\r\n]|"")*+"|[^"' + d + rb"\r\n]*+)"
    line = field + rb"(?:" + d + field + rb")*+"
    return re.compile(rb"(?:" + line + rb"\r?\n)*+(?:" + line + rb")?")


class _Pass:
    """One run of the DuckDB pass over one file. Field columns are named f0, f1, ... in the
    order of `present`; every value in DuckDB is an id into a Python list of conversions."""

    def __init__(
        self,
        con: Any,
        table: Table,
        path: str,
        config: ScoringConfig,
        plan: Plan,
        row_pass: RowPass,
        lines: int,
    ):
        self.con = con
        self.table = table
        self.path = path
        self.config = config
        self.plan = plan
        self.row_pass = row_pass
        self.lines = lines
        self.source = table.source
        self.column: dict[str, str] = {}  # field -> its column in DuckDB
        self.values: dict[str, list[Any]] = {}  # field -> value of each id

    def run(
        self,
        name_col: int,
        account_col: int | None,
        present: dict[str, int],
        found_fields: set[str],
    ) -> Grouped:
        self.column = {f: f"f{i}" for i, f in enumerate(present)}
        has_account = account_col is not None
        self._load(name_col, account_col, present)
        (rows_read,) = self.con.execute("SELECT count(*) FROM t").fetchone()
        if rows_read + 1 != self.lines:
            raise Unsupported("the file has blank lines or rows over several lines")
        groups, rows = self._groups()
        keys = list(groups)  # group id -> key
        odd_accounts = has_account and self._accounts()
        for f in present:
            self._values(f)
        self._join(has_account, odd_accounts)
        carried = [f for f in self.plan.carried if f in present]
        self._requesters(has_account, carried)
        self._summaries(keys, groups)
        self._attributes(keys, groups)
        self._facts(keys, groups)
        warnings = self._blank_accounts(has_account, carried, keys, groups)
        summary = InputSummary(self.source, self.table.format, rows, tuple(self.table.header))
        return Grouped(
            self.plan, groups, [], [summary], found_fields, self.source, has_account, warnings
        )

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
            f"(c{i} IS NOT NULL AND trim(c{i}, {_literal(_ASCII_SPACE)}) <> '')"
            for i in range(width)
        )
        any_text = f"CASE WHEN c{name_col} IS NULL OR ltrim(c{name_col}) = '' THEN ({texts}) END"
        self.con.execute(
            f"""CREATE TEMP TABLE t AS SELECT {", ".join(picked)}, {any_text} AS any_text
            FROM read_csv(?, header = true, auto_detect = false, columns = {{{spec}}},
                delim = ?, quote = '"', escape = '"', null_padding = true,
                strict_mode = true, max_line_size = {MAX_FIELD})""",
            [self.path, self.table.delimiter],
        )

    def _groups(self) -> tuple[dict[str, Group], int]:
        """The integrations in order of first appearance, with their first line and
        spellings; registers `mn` (name text -> group id) and counts the rows with a name."""
        by_text = self.con.execute(
            "SELECT cn, count(*), min(rowid) FROM t WHERE cn IS NOT NULL GROUP BY cn"
        ).fetchall()
        by_text.sort(key=lambda r: r[2])
        n_attrs = len(self.plan.attribute_criteria)
        groups: dict[str, Group] = {}
        group_id: dict[str, int] = {}
        texts: list[str] = []
        ids: list[int | None] = []
        rows = 0
        by_text = [row for row in by_text if not is_blank(row[0])]  # blank: checked below
        names = self.row_pass.names_in_cells([text for text, _, _ in by_text])
        for (text, n, rn), known in zip(by_text, names, strict=True):
            # texts come by first appearance, so groups get their ids in the Python order
            rows += n
            if not known:  # a name of nothing but separators: the row counts, no integration
                texts.append(text)
                ids.append(None)
            for key, spelling in known:
                group = groups.get(key)
                if group is None:
                    group = groups[key] = Group(self.source, _line(rn), n_attrs)
                    group_id[key] = len(group_id)
                group.spellings[spelling] = group.spellings.get(spelling, 0) + n
                texts.append(text)
                ids.append(group_id[key])
        self._register("mn", texts, ids)
        (blank_rows,) = self.con.execute(
            "SELECT count(*) FROM t ANTI JOIN mn ON t.cn = mn.text WHERE any_text IS NOT FALSE"
        ).fetchone()
        if blank_rows:
            raise Unsupported("rows with a blank integration name")
        return groups, rows

    def _accounts(self) -> bool:
        """Registers `ma`: the account texts that do not stand for themselves — a blank one
        (no account), or one whose key an earlier text already has (`acme` after `Acme`) —
        and the text that does. Whether there are any."""
        found = self.con.execute("SELECT DISTINCT ca FROM t WHERE ca IS NOT NULL").fetchall()
        texts = [text for (text,) in found]
        first: dict[str, str] = {}
        odd: list[str] = []
        instead: list[str | None] = []
        for text, key in zip(texts, name_keys(texts), strict=True):
            if is_blank(text):
                odd.append(text)
                instead.append(None)
            elif first.setdefault(key, text) != text:
                odd.append(text)
                instead.append(first[key])
        self._register("ma", odd, instead, "VARCHAR")
        return bool(odd)

    def _values(self, field: str) -> None:
        """Registers a field's distinct texts as the Python pass converts them; an invalid
        one is Unsupported (the Python pass reports each with its line)."""
        column = self.column[field]
        found = self.con.execute(f"SELECT DISTINCT {column} FROM t").fetchall()
        convert = self.row_pass.converter(self.plan.kinds.get(field), self.table.decimal_comma)
        texts, values = [], []
        for (text,) in found:
            if text is None or is_blank(text):
                continue
            value = convert_cell(convert, text)
            if value.__class__ is Failure:
                raise Unsupported("invalid values (the Python pass reports each with its line)")
            if value.__class__ is float and value == 0 and math.copysign(1.0, value) < 0:
                raise Unsupported(f"a negative zero in '{field}'")  # min(0.0, -0.0): order
            texts.append(text)
            values.append(value)
        self.values[field] = values
        self._register(f"m{column}", texts, range(len(texts)))

    def _register(
        self, name: str, texts: list[str], ids: Sequence[Any], kind: str = "BIGINT"
    ) -> None:
        self.con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT unnest(?::VARCHAR[]) AS text, "
            f"unnest(?::{kind}[]) AS id",
            [texts, list(ids)],
        )

    def _join(self, has_account: bool, odd_accounts: bool) -> None:
        """Every row with an integration (once per integration a split cell names): its
        position, group, account (the text that stands for its key; NULL: none) and field
        values (ids)."""
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
        self.con.execute(
            f"CREATE TEMP TABLE j AS SELECT {', '.join(picked)} FROM t {' '.join(joins)} "
            "WHERE mn.id IS NOT NULL"
        )

    def _requesters(self, has_account: bool, carried: list[str]) -> None:
        """One row per requester: the rows of one account (later non-blank values win), or a
        row of its own (no account column; a blank account with a value of its own)."""
        own = " OR ".join(f"{self.column[f]} IS NOT NULL" for f in carried) or "false"
        if has_account:  # a row with no account is a requester of its own: its position
            who, where = "a, CASE WHEN a IS NULL THEN rn END", f"a IS NOT NULL OR {own}"
        else:
            who, where = "NULL, rn", "true"
        latest = "".join(
            f", arg_max({self.column[f]}, rn) FILTER (WHERE {self.column[f]} IS NOT NULL)"
            f" AS {self.column[f]}"
            for f in self._requester_fields()
        )
        self.con.execute(
            f"CREATE TEMP TABLE req AS SELECT k, {who}{latest} FROM j "
            f"WHERE {where} GROUP BY 1, 2, 3"
        )

    def _requester_fields(self) -> list[str]:
        """The fields the criteria over requesters read (their field, their row_weight's)."""
        fields = []
        for c in self.config.criteria:
            if c.aggregate != "value":
                fields += [c.field, c.row_weight and c.row_weight.field]
        return [f for f in dict.fromkeys(fields) if f and f in self.column]

    def _summaries(self, keys: list[str], groups: dict[str, Group]) -> None:
        """Per integration: its number of requesters and, per criterion over requesters,
        (value, requesters with it) — requesters with a value of the criterion's field,
        keyed by that value, or for a `count` by the value its row_weight reads."""
        counted: list[dict[int, tuple[list[Any], list[int]]]] = [{} for _ in keys]
        for ci, c in enumerate(self.config.criteria):
            if c.aggregate == "value":
                continue
            for per_group in counted:
                per_group[ci] = ([], [])
            if c.field and c.field not in self.column:
                continue  # no column: no requester has a value
            by = c.field if c.aggregate != "count" else c.row_weight and c.row_weight.field
            by_column = self.column.get(by) if by else None
            where = f"WHERE {self.column[c.field]} IS NOT NULL" if c.field else ""
            found = self.con.execute(
                f"SELECT k, list(v), list(n) FROM (SELECT k, coalesce({by_column or 'NULL'}, -1)"
                f" AS v, count(*) AS n FROM req {where} GROUP BY 1, 2) GROUP BY k"
            ).fetchall()
            value_of = [*(self.values[by] if by_column else ()), None]  # id -1: no value
            for k, ids, ns in found:
                counted[k][ci] = (list(map(value_of.__getitem__, ids)), ns)
        count_of = dict(self.con.execute("SELECT k, count(*) FROM req GROUP BY k").fetchall())
        for k, key in enumerate(keys):
            groups[key].summary = Summary(CountedRequesters(count_of.get(k, 0)), counted[k])

    def _attributes(self, keys: list[str], groups: dict[str, Group]) -> None:
        """Per integration attribute: each distinct value (by category) and its first row."""
        for a, ci in enumerate(self.plan.attribute_criteria):
            field = self.config.criteria[ci].field
            if not field or field not in self.column:
                continue
            column = self.column[field]
            found = self.con.execute(
                f"SELECT k, {column}, min(rn) FROM j WHERE {column} IS NOT NULL GROUP BY 1, 2"
            ).fetchall()
            found.sort(key=lambda r: r[2])
            values = self.values[field]
            ckeys = [category_key(value) for value in values]
            for k, value_id, rn in found:
                seen = groups[keys[k]].attributes[a]
                ckey = ckeys[value_id]
                if ckey not in seen:
                    seen[ckey] = SeenValue(values[value_id], self.source, _line(rn), None)

    def _facts(self, keys: list[str], groups: dict[str, Group]) -> None:
        """Per integration, the first value of each field the recommendation rules read."""
        for f in self.plan.facts:
            if f not in self.column:
                continue
            column = self.column[f]
            found = self.con.execute(
                f"SELECT k, arg_min({column}, rn) FROM j WHERE {column} IS NOT NULL GROUP BY k"
            ).fetchall()
            for k, value_id in found:
                groups[keys[k]].facts[f] = self.values[f][value_id]

    def _blank_accounts(
        self, has_account: bool, carried: list[str], keys: list[str], groups: dict[str, Group]
    ) -> list[Finding]:
        """A warning per row with a blank account that counts as a requester of its own."""
        if not has_account or not carried:
            return []
        own = " OR ".join(f"{self.column[f]} IS NOT NULL" for f in carried)
        found = self.con.execute(
            f"SELECT k, rn FROM j WHERE a IS NULL AND ({own}) ORDER BY k, rn LIMIT ?",
            [MAX_WARNINGS + 1],
        ).fetchall()
        if len(found) > MAX_WARNINGS:
            raise Unsupported(f"over {MAX_WARNINGS:,} rows with a blank account")
        return [
            blank_account(self.config, self.plan, keys[k], groups[keys[k]], self.source, _line(rn))
            for k, rn in found
        ]


def _line(rn: int) -> int:
    """The line of the row at this position (checked: rows are lines, the header first)."""
    return rn + 2


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
