"""Which rows of the DuckDB pass are requests, decided as the Python pass decides: the
integrations each distinct name text names (split, keep, aliases, and the filter's condition
on names: in Python, once per text), the rows that name none (counted, and warned about in
row order), a file in which no row names one, and accounts taken from e-mail domains."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dates import show_day
from ..model.compiled import Model
from ..problems import FUTURE_DATE, Finding
from .cells import NameReader, email_account, is_blank
from .groups import Group
from .rowpass import MAX_NOTED
from .unnamed import MAX_UNNAMED, no_names_error, unnamed_row

if TYPE_CHECKING:
    from .duckdb_pass import _Pass

__all__ = [
    "NONSPACE",
    "UNNAMED",
    "Names",
    "accounts_from_emails",
    "any_text_sql",
    "future_dates",
    "no_names",
    "read_names",
    "sql_literal",
]

Register = Callable[[str, dict[str, tuple[str, Sequence[Any]]]], None]  # a table from lists
# Python's str.isspace() characters; a cell is blank to both passes when it holds only these.
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# An RE2 class of any other character: a cell that matches it is not blank.
NONSPACE = "[^" + "".join(f"\\x{{{ord(ch):x}}}" for ch in _SPACES) + "]"


def sql_literal(text: str) -> str:
    """Text as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Names:
    """The integrations in order of first appearance among the requests, and how the rows
    divide: requests, left out by the filter, naming no integration (of those: naming one)."""

    groups: dict[str, Group] = field(default_factory=dict)
    rows: int = 0
    filtered: int = 0
    unnamed: int = 0
    named: int = 0
    # (row position, 1, 0, finding) of the first MAX_UNNAMED rows naming no integration
    warnings: list[tuple[int, int, int, Finding]] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)


def read_names(
    con: Any,
    model: Model,
    source: str,
    header: str,
    kept: tuple[str, str],
    name_test: Callable[[Any], bool] | None,
    register: Register,
) -> Names:
    """Registers `mn` (name text -> group id, one row per integration a text names and the
    filter keeps) and `mp` (every text that names an integration); counts the rows."""
    joins, holds = kept
    found = Names()
    by_text = con.execute(
        "SELECT cn, count(*) FILTER (WHERE kept), min(rn) FILTER (WHERE kept), count(*) "
        f"FROM (SELECT t.cn, t.rowid AS rn, {holds} AS kept FROM t{joins}) "
        "WHERE cn IS NOT NULL GROUP BY cn"
    ).fetchall()
    by_text.sort(key=lambda r: (r[2] is None, r[2]))  # by first appearance among kept rows
    blank = [row[0] for row in by_text if is_blank(row[0])]
    by_text = [row for row in by_text if not is_blank(row[0])]
    names = NameReader(model).names_in_cells([text for text, _, _, _ in by_text])
    n_attrs = model.attribute_slots
    group_id: dict[str, int] = {}
    texts: list[str] = []
    ids: list[int] = []
    naming: list[str] = []
    none: list[str] = []  # texts that name no integration (separators, nothing kept)
    for (text, n, rn, every), known in zip(by_text, names, strict=True):
        if not known:
            none.append(text)
            found.unnamed += n
            found.filtered += every - n
            continue
        naming.append(text)
        found.named += every
        if name_test is not None:
            known = [(key, spelling) for key, spelling in known if name_test(key)]
        if not known or not n:
            found.filtered += every
            continue
        found.rows += n
        found.filtered += every - n
        # texts come by first appearance, so groups get their ids in the Python order
        for key, spelling in known:
            group = found.groups.get(key)
            if group is None:
                group = found.groups[key] = Group(source, rn + 2, n_attrs)
                group_id[key] = len(group_id)
            group.spellings[spelling] = group.spellings.get(spelling, 0) + n
            texts.append(text)
            ids.append(group_id[key])
    register("mn", {"text": ("VARCHAR", texts), "id": ("BIGINT", ids)})
    register("mp", {"text": ("VARCHAR", naming)})
    register("mu", {"text": ("VARCHAR", none), "blank": ("BOOLEAN", [False] * len(none))})
    con.execute("INSERT INTO mu SELECT unnest(?::VARCHAR[]), true", [blank])
    # Rows of a blank name with text elsewhere name no integration (kept) or are filtered.
    unnamed, left_out = con.execute(
        f"SELECT count(*) FILTER (WHERE kept), count(*) FILTER (WHERE NOT kept) FROM "
        f"(SELECT {holds} AS kept FROM t{joins} WHERE {_BLANK_NAME} AND t.any_text)"
    ).fetchone()
    found.unnamed += unnamed
    found.filtered += left_out
    if found.unnamed:
        rows = con.execute(
            f"SELECT t.rowid, t.cn FROM t{joins} WHERE {holds} AND {UNNAMED} "
            f"ORDER BY 1 LIMIT {MAX_UNNAMED}"
        ).fetchall()
        found.warnings = [
            (rn, 1, 0, unnamed_row(model, source, rn + 2, header, cn)) for rn, cn in rows
        ]
    return found


def future_dates(
    p: _Pass, present: dict[str, int], unnamed: list[tuple[int, int, int, Finding]]
) -> list[Finding]:
    """A warning per date after as_of in a row whose cells the Python pass converts (a
    row that names an integration; of a row that names none, the filter's fields), in
    row order, then field order (the first MAX_NOTED; then how many more), with the
    warnings of rows that name no integration among them, as the Python pass gives them."""
    found: list[tuple[int, int, int, Finding]] = []
    total = 0
    as_of = show_day(p.as_of)
    for position, name in enumerate(present):
        if p.model.field_kinds.get(name) != "date":
            continue
        ids = [i for i, day in enumerate(p.values[name]) if day > p.as_of]
        if not ids:
            continue
        c = p.column[name]
        converted = "t.cn IN (SELECT text FROM mp)"
        if name in p.filter_fields:
            converted = f"({converted} OR {UNNAMED})"
        sql = f"FROM t JOIN m{c} ON t.{c} = m{c}.text WHERE list_contains(?, m{c}.id)"
        sql += f" AND {converted}"
        (n,) = p.con.execute(f"SELECT count(*) {sql}", [ids]).fetchone()
        total += n
        header = p.table.header[present[name]]
        rows = p.con.execute(
            f"SELECT t.rowid, m{c}.day {sql} ORDER BY 1 LIMIT {MAX_NOTED}", [ids]
        ).fetchall()
        message = "{} is after {} (as of): its age counts as 0"
        found += [
            (
                rn,
                0,
                position,
                Finding(
                    p.source,
                    rn + 2,
                    FUTURE_DATE,
                    message.format(show_day(day), as_of),
                    header,
                    "warning",
                ),
            )
            for rn, day in rows
        ]
    found.sort(key=lambda w: w[:3])
    warnings = [w[3] for w in sorted([*found[:MAX_NOTED], *unnamed], key=lambda w: w[:3])]
    if total > MAX_NOTED:
        more = f"and {total - MAX_NOTED:,} more dates after as of"
        warnings.append(Finding(p.source, None, FUTURE_DATE, more, severity="warning"))
    return warnings


def no_names(model: Model, found: Names, source: str, header: str, headers: list[str]) -> None:
    """The error of a file in which no row names an integration (as the Python pass's)."""
    if found.unnamed and not found.named:
        found.errors.append(no_names_error(model, source, 1, header, headers, found.unnamed))


_BLANK_NAME = "(t.cn IS NULL OR t.cn IN (SELECT text FROM mu WHERE blank))"
# A row that names no integration: a blank name with text elsewhere, or a name of no parts.
UNNAMED = f"(({_BLANK_NAME} AND t.any_text) OR t.cn IN (SELECT text FROM mu WHERE NOT blank))"


def any_text_sql(width: int, name: str) -> str:
    """SQL: whether a row has a cell that is not blank (as `str.isspace` sees blanks), asked
    only where the name is blank (a name that is not blank is text)."""
    nonspace = sql_literal(NONSPACE)
    texts = " OR ".join(f"regexp_matches(c{i}, {nonspace})" for i in range(width))
    return f"CASE WHEN {name} IS NULL OR NOT regexp_matches({name}, {nonspace}) THEN ({texts}) END"


def accounts_from_emails(con: Any, register: Register) -> None:
    """`else_email`: where the account cell is blank, the account is the domain of the
    e-mail cell (but free mail), each distinct e-mail decided in Python once."""
    emails = con.execute("SELECT DISTINCT ce FROM t WHERE ce IS NOT NULL").fetchall()
    texts, accounts = [], []
    for (text,) in emails:
        who = email_account(text)
        if who is not None:
            texts.append(text)
            accounts.append(who[1])
    register("me", {"text": ("VARCHAR", texts), "account": ("VARCHAR", accounts)})
    found = con.execute("SELECT DISTINCT ca FROM t WHERE ca IS NOT NULL").fetchall()
    blank = [text for (text,) in found if is_blank(text)]
    con.execute(
        "UPDATE t SET ca = me.account FROM me WHERE t.ce = me.text "
        "AND (t.ca IS NULL OR list_contains(?, t.ca))",
        [blank],
    )
