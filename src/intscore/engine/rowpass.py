"""The Python row pass: tables of rows -> integrations and their requesters. Pure and tuned:
its loop runs once per input row, so each distinct cell text is converted once per column and
rows stay plain lists.

An integration's rows are grouped by name (after keep and aliases; a multi-value cell with a
`split` is one request per part). A row that names no integration is no request: it is
counted apart and reported (`unnamed`). Within an integration, the rows of one account are one
requester: later non-blank values win — later in file order, or later by date with
`latest_by`. The account is the account cell, else (`else_email`) the domain of an e-mail
that is not free mail. A row with no account is an anonymous requester of its own, unless
all it carries are integration attributes (fields of `value` criteria and of recommendation
rules). Integration attributes are kept per distinct value with the row that first gave it.
`filter` drops rows first (its conditions on the integration: requests, by canonical name).
With `over: requests`, each request's values are kept; `per: account` fields take the
account's latest value at the end (`account_facts`).

Four steps, four pieces: binding a table's columns (`RowColumns`), converting a row's cells
(`RowColumns.convert_new`), merging a row into its requester (`RowPass.request`), and noting
the integration's attributes and facts (`plain_rows.note_row`). A plain table (no filter, no
`latest_by`, no `over: requests`, no `per: account`) takes the inlined loop of `plain_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from operator import itemgetter
from typing import Any

from ..dates import show_day
from ..model.compiled import Model
from ..problems import FUTURE_DATE, Finding
from ..read.rows import Table
from .account_facts import AccountFacts
from .cells import (
    NameReader,
    account_of,
    email_account,
    is_blank,
)
from .groups import Group, Grouped, blank_account
from .number_columns import (
    NumberColumn,
    column_findings,
    own_marks,
    read_again,
    stale_columns,
)
from .plain_rows import is_plain, merge_row, note_row, plain_rows
from .ranking import InputSummary, Requester
from .row_columns import MISS, RowColumns
from .unknown_fields import unknown_fields
from .unnamed import MAX_UNNAMED, more_unnamed, no_name_column, no_names_error, unnamed_row

__all__ = ["MAX_NOTED", "MAX_WARNINGS", "RowPass", "group_rows"]

MAX_NOTED = 1000  # warnings of one kind kept from the row pass (each with its line)
MAX_WARNINGS = 10 * MAX_NOTED  # blank-account warnings stop at this many warnings in all


class RowPass:
    """Consumes tables row by row and keeps per integration its requesters and attributes."""

    def __init__(self, model: Model, as_of: int):
        self.model = model
        self.as_of = as_of
        conditions = (model.filter or {}).items()
        self.filters = [(f, c.test(as_of)) for f, c in conditions if f != "integration"]
        on_names = [model.test_of(f, c, as_of) for f, c in conditions if f == "integration"]
        self.name_test = on_names[0] if on_names else None
        self.names = NameReader(model)
        self.items: dict[str, Group] = {}
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.future = 0
        self.unnamed = 0  # rows naming no integration, in all
        self.inputs: list[InputSummary] = []
        self.found_fields: set[str] = set()
        self.first_source: str | None = None
        self.header_line = 1
        self.has_account = False
        # cell text -> [(key, spelling), ...] (one per part of a split cell); [] or None: none
        self.name_cache: dict[Any, list[tuple[str, str]] | None] = {}
        self.kept_names: dict[Any, list[tuple[str, str]]] = {}  # ... that the filter keeps
        self.accounts: dict[Any, tuple[str, str] | None] = {}  # cell -> (key, as shown)
        self.emails: dict[Any, tuple[str, str] | None] = {}  # e-mail cell -> the same
        self.auto_key = 0
        self.blanks = 0  # requesters of a row with a blank account (each is warned about)
        self.requests = model.over_requests
        self.account_facts = AccountFacts(model)
        self.value_rows: dict[str, dict[Any, tuple[str, int]]] = {}
        self.stale: list[tuple[str, str, NumberColumn]] = []  # (source, header, column)

    def consume(self, table: Table) -> None:
        """Read every row of a table into the integrations and requesters so far."""
        if self.first_source is None:
            self.first_source, self.header_line = table.source, table.header_line
        columns = RowColumns(table, self.model, self.as_of, self.filters, self.value_rows)
        self.found_fields.update(columns.found)
        if columns.name is None:
            self._no_name_column(table)
            return
        if columns.account is not None or columns.email is not None:
            self.has_account = True
        if table.format in ("yaml", "json"):
            self.warnings.extend(unknown_fields(self.model, table, columns.read))
        rows, filtered, unnamed, named = self._rows(table, columns)
        self.errors.extend(column_findings(columns.numbers, table.source, columns.headers))
        marks = own_marks(columns.numbers, columns.headers, table.decimal_comma)
        summary = InputSummary(
            table.source, table.format, rows, tuple(table.header), filtered, unnamed
        )
        self.inputs.append(replace(summary, number_marks=marks) if marks else summary)
        self.stale += stale_columns(columns.numbers, columns.headers, table.source)
        if unnamed and not named:
            header = table.header[columns.name] or "integration"
            line = table.header_line
            finding = no_names_error(self.model, table.source, line, header, table.header, unnamed)
            self.errors.append(finding)
        # The reader's findings: errors (a row too wide), and warnings (rows skipped).
        self.errors.extend(f for f in table.findings if f.severity == "error")
        self.warnings.extend(f for f in table.findings if f.severity != "error")

    def _rows(self, table: Table, columns: RowColumns) -> tuple[int, int, int, int]:
        """The loop over a table's rows: (rows kept, rows the filter left out, rows that
        name no integration, rows that name one)."""
        if is_plain(self, columns):
            return plain_rows(self, table, columns)
        name_col, account_col, email_col = columns.name, columns.account, columns.email
        assert name_col is not None
        names = self.name_cache
        source = table.source
        layout, identity, latest = columns.layout, columns.identity, columns.latest
        getter, caches, misses = columns.getter, columns.caches, columns.misses
        extra = [None] if columns.name_slot is None else [None, None]
        facts = self.account_facts if self.account_facts.slots else None
        rows = filtered = unnamed = named = 0
        row_date = -1
        for line, cells in table.rows:
            name = cells[name_col]
            # Cached by text only: in YAML/JSON, 1 and true are equal dict keys.
            known: Any = names.get(name, MISS) if name.__class__ is str else MISS
            if known is MISS:
                known = self.names_of(name)
            if not known:
                kept = self.note_unnamed(table, columns, line, cells, name)
                unnamed += kept is True
                filtered += kept is False
                continue
            named += 1
            raws = getter(cells)
            conv = list(map(dict.get, caches, raws, misses))
            if MISS in conv:
                columns.convert_new(self, source, line, raws, conv)
            if columns.filters and not columns.kept(conv):
                filtered += 1
                continue
            if self.name_test is not None:
                known = self._names_kept(name, known)
                if not known:
                    filtered += 1
                    continue
            rows += 1
            if latest is not None:
                row_date = -1 if conv[latest] is None else conv[latest]
            if identity:
                row_values = conv
            else:
                conv.extend(extra)
                row_values = list(map(conv.__getitem__, layout))
            who = None if account_col is None else self.account(cells[account_col])
            if who is None and email_col is not None:
                who = self.email(cells[email_col])
            if facts is not None and who is not None:
                facts.note(who[0], conv, columns.per_account, row_date)
            self.request(known, who, row_values, conv, columns, source, line, row_date)
        return rows, filtered, unnamed, named

    def names_of(self, name: Any) -> list[tuple[str, str]] | None:
        """[(key, spelling), ...] of the integrations a name cell names (None: a blank
        cell), cached by text."""
        known = None if is_blank(name) else self.names.names_in(name)
        if name.__class__ is str:
            self.name_cache[name] = known
        return known

    def _names_kept(self, name: Any, known: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The names of a cell that the filter's condition on the integration keeps."""
        kept = self.kept_names.get(name) if name.__class__ is str else None
        if kept is None:
            test = self.name_test
            assert test is not None
            kept = [(key, spelling) for key, spelling in known if test(key)]
            if name.__class__ is str:
                self.kept_names[name] = kept
        return kept

    def _unnamed_kept(self, columns: RowColumns, source: str, line: int, cells: list[Any]) -> bool:
        """Whether a row that names no integration passes the filter: only the filter's
        fields are converted (a cell that counts for nothing is no error)."""
        if not columns.filters:
            return True
        raws = columns.getter(cells)
        at = columns.filter_positions
        conv = [columns.caches[i].get(raw, MISS) if i in at else None for i, raw in enumerate(raws)]
        if MISS in conv:
            columns.convert_new(self, source, line, raws, conv)
        return columns.kept(conv)

    def note_unnamed(
        self, table: Table, columns: RowColumns, line: int, cells: list[Any], raw: Any
    ) -> bool | None:
        """A row naming no integration: True when it passes the filter (a warning, the first
        MAX_UNNAMED of them), False when the filter leaves it out, None when it is empty."""
        if all(is_blank(v) for v in cells):
            return None
        if not self._unnamed_kept(columns, table.source, line, cells):
            return False
        self.unnamed += 1
        if self.unnamed <= MAX_UNNAMED:
            header = table.header[columns.name or 0] or "integration"
            self.warnings.append(unnamed_row(self.model, table.source, line, header, raw))
        return True

    def account(self, account: Any) -> tuple[str, str] | None:
        """(group key, as shown) of an account cell, once per distinct text; None: blank."""
        # Cached by text only: in YAML/JSON, 1 and true are equal dict keys.
        who = self.accounts.get(account, MISS) if account.__class__ is str else MISS
        if who is MISS:
            who = None if is_blank(account) else account_of(account)
            if account.__class__ is str:
                self.accounts[account] = who
        return who  # type: ignore[return-value]

    def email(self, email: Any) -> tuple[str, str] | None:
        """The account an e-mail cell stands for (its domain, but free mail): None: none."""
        who = self.emails.get(email, MISS) if email.__class__ is str else MISS
        if who is MISS:
            who = email_account(email)
            if email.__class__ is str and len(self.emails) < 100_000:
                self.emails[email] = who
        return who  # type: ignore[return-value]

    def request(
        self,
        known: list[tuple[str, str]],
        who: tuple[str, str] | None,
        row_values: list[Any],
        conv: list[Any],
        columns: RowColumns,
        source: str,
        line: int,
        row_date: int,
    ) -> None:
        """A row asking for each integration it names: merged into the account's requester,
        or an anonymous requester of its own; then the integration's attributes and facts."""
        latest = columns.latest
        slot = columns.name_slot
        first = True
        for key, spelling in known:
            item = self.items.get(key)
            if item is None:
                item = self.items[key] = Group(source, line, self.model.attribute_slots)
            spellings = item.spellings
            spellings[spelling] = spellings.get(spelling, 0) + 1
            # A row naming several integrations gives each requester a list of its own.
            if slot is not None:
                conv[slot] = key
                values = list(map(conv.__getitem__, columns.layout))
            else:
                values = row_values if first else row_values.copy()
            first = False
            requester = None
            if who is not None:
                requester = item.requesters.get(who[0])
                if requester is None:
                    own = values.copy() if self.requests else values
                    requester = Requester((who[1], source, line, own, 1, None, False, None))
                    item.requesters[who[0]] = requester
                    if latest is not None:
                        _start_latest(requester, row_date)
                else:
                    merged = values.copy() if self.requests else values  # lists change later
                    merge_row(requester, merged, latest is not None, row_date, source, line)
            elif (columns.account is None and columns.email is None) or any(
                conv[p] is not None for p in columns.carried
            ):
                # No account column, or a blank account with a value of its own.
                self.auto_key += 1
                blank = columns.account is not None or columns.email is not None
                own = values.copy() if self.requests else values
                requester = Requester.of(None, source, line, own, blank)
                self.blanks += blank
                item.requesters[self.auto_key] = requester
            if self.requests and requester is not None:
                account = None if who is None else who[1]
                item.requests.append(Requester.of(account, source, line, values))
                item.owners.append(requester)
            if columns.attributes or columns.facts:
                note_row(item, conv, columns, source, line)

    def future_date(self, source: str, line: int, header: str, day: int) -> None:
        """A date after as_of: a warning (the first MAX_NOTED of them)."""
        self.future += 1
        if self.future <= MAX_NOTED:
            as_of = show_day(self.as_of)
            message = f"{show_day(day)} is after {as_of} (as of): its age counts as 0"
            self.warnings.append(Finding(source, line, FUTURE_DATE, message, header, "warning"))

    def _no_name_column(self, table: Table) -> None:
        self.errors.append(no_name_column(self.model, table))
        self.inputs.append(InputSummary(table.source, table.format, 0, tuple(table.header)))

    def result(self) -> Grouped:
        """Everything consumed so far; ReadAgain when a number column's own decimal mark
        showed after values were read with the file's."""
        if self.stale:
            raise read_again(self.stale)
        source = self.first_source or "<input>"
        if self.future > MAX_NOTED:
            more = f"and {self.future - MAX_NOTED:,} more dates after as of"
            self.warnings.append(Finding(source, None, FUTURE_DATE, more, severity="warning"))
        if self.unnamed > MAX_UNNAMED:
            self.warnings.append(more_unnamed(source, self.unnamed - MAX_UNNAMED))
        if self.account_facts:
            self.account_facts.apply(self.items.values())
        blank = itemgetter(Requester.BLANK)  # C-level: this looks at every requester
        for key, group in self.items.items() if self.blanks else ():
            for r in filter(blank, group.requesters.values()):
                if len(self.warnings) < MAX_WARNINGS:
                    self.warnings.append(blank_account(self.model, key, group, r.file, r.line))
        grouped = Grouped(
            self.items,
            self.errors,
            self.inputs,
            self.found_fields,
            self.first_source,
            self.has_account,
            self.warnings,
            self.value_rows,
        )
        grouped.header_line = self.header_line
        return grouped


def _start_latest(requester: Requester, row_date: int) -> None:
    requester[Requester.WHEN] = [None if value is None else row_date for value in requester.values]


def group_rows(tables: Iterable[Table], model: Model, as_of: int) -> Grouped:
    """Group the rows of every table into integrations and requesters."""
    row_pass = RowPass(model, as_of)
    for table in tables:
        row_pass.consume(table)
    return row_pass.result()
