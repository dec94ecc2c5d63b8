"""The row pass: tables of rows -> integrations and their requesters. Pure and tuned: this loop
runs once per input row, so each distinct cell text is converted once per column and rows stay
plain lists.

An integration's rows are grouped by name (after aliases; a multi-value cell with a `split`
is one request per part). Within it, the rows of one account are one requester: later
non-blank values win — later in file order, or later by date with `latest_by`. A row with a
blank account is an anonymous requester of its own, unless all it carries are integration
attributes (fields of `value` criteria and of recommendation rules). Integration attributes
are kept per distinct value with the row that first gave it. `filter` drops rows first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple

from ..dates import parse_date, show_day
from ..levels import Levels
from ..matching import category_key, name_key, normalize_header, tidy_names
from ..model.conditions import Test, compile_condition
from ..model.schema import ScoringConfig
from ..number_columns import column_findings, watch_columns
from ..numbers import NotANumber, parse_number
from ..problems import (
    BLANK_ACCOUNT,
    BLANK_NAME,
    FUTURE_DATE,
    INVALID_VALUE,
    MISSING_COLUMN,
    UNKNOWN_FIELD,
    Finding,
)
from ..read.rows import Table
from .ranking import CountedRequesters, InputSummary, Requester, SeenValue

__all__ = [
    "Counted",
    "Failure",
    "Group",
    "Grouped",
    "Plan",
    "RowPass",
    "Summary",
    "blank_account",
    "convert_cell",
    "find_columns",
    "group_rows",
    "is_blank",
    "plan_fields",
]

MAX_NOTED = 1000  # warnings of one kind kept from the row pass (each with its line)
MAX_WARNINGS = 10 * MAX_NOTED  # blank-account warnings stop at this many warnings in all


@dataclass
class Plan:
    """What the row pass needs from the config."""

    fields: list[str]  # requester fields, in a fixed order
    kinds: dict[str, str]  # field -> "number" | "date" (else text)
    attribute_criteria: list[int]  # criteria with aggregate `value`
    aliases: dict[str, str]  # name key -> canonical name
    optional: set[str]  # fields whose absence is not an error
    facts: list[str]  # integration fields the recommendation rules look at
    carried: list[str]  # fields that make a blank-account row a requester of its own
    filters: list[tuple[str, Test]]  # rows kept only where every test holds
    split: str | None  # the separator of multi-value integration cells
    latest_by: str | None


def plan_fields(config: ScoringConfig, as_of: int) -> Plan:
    """The fields the row pass keeps per requester and per integration, and how to read them."""
    fields: list[str] = []
    optional: set[str] = set()

    def need(name: str) -> None:
        if name not in fields:
            fields.append(name)

    attribute = []
    attribute_fields: set[str] = set()
    for i, c in enumerate(config.criteria):
        if c.field:
            need(c.field)
        if c.row_weight:
            need(c.row_weight.field)
            optional.add(c.row_weight.field)
            if c.row_weight.decay:
                need(c.row_weight.decay.field)
                optional.add(c.row_weight.decay.field)
        for where_field in c.where or {}:
            need(where_field)
            optional.add(where_field)
        if c.aggregate == "value":
            attribute.append(i)
            attribute_fields.add(c.field or "")
    if config.latest_by:
        need(config.latest_by)
        optional.add(config.latest_by)
    aliases: dict[str, str] = {}
    for canonical, spellings in config.aliases.items():
        aliases[name_key(canonical)] = canonical
        for spelling in spellings:
            aliases[name_key(spelling)] = canonical
    ids = {"score", *(c.id for c in config.criteria)}
    facts = []
    for rule in config.recommend or []:
        for key in rule.when or {}:
            if key not in ids and key not in facts:  # optional and silent: a rule needing
                facts.append(key)  # a column a file lacks simply does not apply
                need(key)
    optional -= {c.field for c in config.criteria}
    carried = [f for f in fields if f not in attribute_fields and f not in facts]
    filters = [(f, compile_condition(c, as_of)) for f, c in (config.filter or {}).items()]
    return Plan(
        fields,
        config.field_kinds(),
        attribute,
        aliases,
        optional,
        facts,
        carried,
        filters,
        config.split_for("integration"),
        config.latest_by,
    )


def find_columns(
    table: Table, config: ScoringConfig, plan: Plan
) -> tuple[int | None, int | None, dict[str, int | None]]:
    """(name column, account column, field -> column) of a table; None: no such column."""
    index = {normalize_header(h): i for i, h in enumerate(table.header) if h}

    def column(field: str) -> int | None:
        for header in config.headers_for(field):
            found = index.get(normalize_header(header))
            if found is not None:
                return found
        return None

    name_col = table.name_column if table.name_column is not None else column("integration")
    wanted = {*plan.fields, *(f for f, _ in plan.filters)}
    return name_col, column("account"), {f: column(f) for f in wanted}


class Group:
    """One integration's rows: requesters, attributes, facts for the rules, and spellings.
    From the DuckDB pass, `summary` stands in for the requesters."""

    __slots__ = ("attributes", "facts", "file", "line", "requesters", "spellings", "summary")

    def __init__(self, file: str, line: int, n_attributes: int):
        self.file = file
        self.line = line
        self.facts: dict[str, Any] = {}
        self.spellings: dict[str, int] = {}
        self.requesters: dict[Any, Requester] = {}
        self.attributes: list[dict[Any, SeenValue]] = [{} for _ in range(n_attributes)]
        self.summary: Summary | None = None


class Counted(NamedTuple):
    """One criterion's requesters as the DuckDB pass counts them: the values its aggregate
    needs (of its field; for a `count`, of its row_weight's field) and how many requesters in
    its segment have each; with decay, the date of each (parallel to the values); and whether
    any requester, in the segment or not, has a value of its field (an empty segment sums to
    a real zero)."""

    values: list[Any]
    counts: list[int]
    days: list[Any] | None
    any_value: bool


@dataclass(frozen=True, slots=True)
class Summary:
    """An integration's requesters as the DuckDB pass counts them: how many, and per criterion
    over requesters what its aggregate needs."""

    requesters: CountedRequesters
    counted: dict[int, Counted]  # by the criterion's index in the config


def is_blank(value: Any) -> bool:
    """No value: None, or text of only whitespace."""
    return value is None or (value.__class__ is str and (not value or value.isspace()))


def _text(value: Any) -> Any:
    """A categorical cell: trimmed text (YAML numbers and booleans stay as they are)."""
    if value.__class__ is str:
        return value.strip()
    return value


@dataclass
class Grouped:
    """What the row pass found: integrations by group key, and the problems on the way."""

    plan: Plan
    groups: dict[str, Group]
    errors: list[Finding]
    inputs: list[InputSummary]
    found_fields: set[str] = field(default_factory=set)
    first_source: str | None = None
    has_account: bool = False
    warnings: list[Finding] = field(default_factory=list)  # for `check`; ranking goes on


class RowPass:
    """Consumes tables row by row and keeps per integration its requesters and attributes."""

    def __init__(self, config: ScoringConfig, as_of: int):
        self.config = config
        self.as_of = as_of
        self.plan = plan_fields(config, as_of)
        self.levels = {f: Levels(named) for f, named in config.field_levels().items()}
        self.items: dict[str, Group] = {}
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.future = 0
        self.inputs: list[InputSummary] = []
        self.found_fields: set[str] = set()
        self.first_source: str | None = None
        self.has_account = False
        # cell text -> [(key, spelling), ...] (one per part of a split cell); None: blank
        self.names: dict[Any, list[tuple[str, str]] | None] = {}
        self.accounts: dict[Any, tuple[str, str] | None] = {}  # cell -> (key, as shown)
        self.auto_key = 0

    def consume(self, table: Table) -> None:
        plan = self.plan
        config = self.config
        if self.first_source is None:
            self.first_source = table.source
        name_col, account_col, cols = find_columns(table, config, plan)
        self.found_fields.update(f for f, c in cols.items() if c is not None)
        if name_col is None:
            self._no_name_column(table)
            return
        if account_col is not None:
            self.has_account = True
        if table.format in ("yaml", "json"):
            self._unknown_fields(table, {c for c in cols.values() if c is not None})

        # Every field cell of a row is fetched with one C-level itemgetter and looked up in its
        # column's cache with one C-level map: a column repeats few distinct texts. Only a
        # cache miss (a new text, a non-text YAML value, a bad cell, a future date: never
        # cached) takes the slow path.
        present = [f for f in plan.fields if cols[f] is not None]
        present += [f for f, _ in plan.filters if f not in present and cols[f] is not None]
        present = [f for f in present if cols[f] != name_col]
        pos = {f: i for i, f in enumerate(present)}
        fcols = [cols[f] for f in present]
        getter = _getter(fcols)
        caches: list[dict[Any, Any]] = [{None: None, "": None} for _ in present]
        misses = (_MISS,) * len(present)
        kinds = [plan.kinds.get(f) for f in present]
        converts = [
            self.converter(kind, table.decimal_comma, f)
            for kind, f in zip(kinds, present, strict=True)
        ]
        # Numeric columns are also looked at as a whole (`80%` beside `80`): each distinct
        # text once, as it misses the cache.
        columns, observers = watch_columns(kinds, [self.levels.get(f) for f in present])
        headers = [table.header[c] for c in fcols]
        n_fields = len(plan.fields)
        identity = present[:n_fields] == plan.fields and len(present) == n_fields
        layout = [pos.get(f, len(present)) for f in plan.fields]  # absent: a trailing None
        carried_pos = [pos[f] for f in plan.carried if f in pos]
        filters = [(pos.get(f), test) for f, test in plan.filters]
        latest_pos = pos.get(plan.latest_by) if plan.latest_by else None
        attr_specs = []
        for a, ci in enumerate(plan.attribute_criteria):
            c = config.criteria[ci]
            if not c.field or c.field not in pos:
                continue
            where = [
                (pos.get(w), compile_condition(x, self.as_of)) for w, x in (c.where or {}).items()
            ]
            attr_specs.append((a, pos[c.field], where))
        fact_pos = [(f, pos[f]) for f in plan.facts if f in pos]
        items = self.items
        names = self.names
        ckeys: dict[str, tuple[str, Any]] = {}
        accounts = self.accounts
        errors = self.errors
        source = table.source
        n_attrs = len(plan.attribute_criteria)
        rows = filtered = 0
        as_of = self.as_of
        row_date = -1
        miss = _MISS
        ROWS, REPEAT, VALUES = Requester.ROWS, Requester.REPEAT, Requester.VALUES
        for line, cells in table.rows:
            name = cells[name_col]
            # Cached by text only: in YAML/JSON, 1 and true are equal dict keys.
            known = names.get(name, miss) if name.__class__ is str else miss
            if known is miss:
                known = None if is_blank(name) else self.names_in(name)
                if name.__class__ is str:
                    names[name] = known  # [(key, spelling), ...]; None for a blank name
            if known is None:
                if any(not is_blank(v) for v in cells):
                    errors.append(
                        Finding(
                            source,
                            line,
                            BLANK_NAME,
                            "integration name is blank",
                            field=table.header[name_col] or "integration",
                        )
                    )
                continue
            raws = getter(cells)
            conv = list(map(dict.get, caches, raws, misses))
            if miss in conv:
                for i, value in enumerate(conv):
                    if value is not miss:
                        continue
                    raw = raws[i]
                    value = None if is_blank(raw) else convert_cell(converts[i], raw)
                    if value.__class__ is Failure:
                        errors.append(
                            Finding(source, line, INVALID_VALUE, value.reason, headers[i])
                        )
                        value = None
                    elif kinds[i] == "date" and value is not None and value > as_of:
                        self._future(source, line, headers[i], value)
                    elif raw.__class__ is str and len(caches[i]) < 100_000:
                        caches[i][raw] = value
                    observers[i](raw, value, line)
                    conv[i] = value
            if filters and not all(p is not None and test(conv[p]) for p, test in filters):
                filtered += 1
                continue
            rows += 1
            if latest_pos is not None:
                row_date = -1 if conv[latest_pos] is None else conv[latest_pos]
            if identity:
                row_values = conv
            else:
                conv.append(None)
                row_values = list(map(conv.__getitem__, layout))
            first = True
            for key, spelling in known:
                item = items.get(key)
                if item is None:
                    item = items[key] = Group(source, line, n_attrs)
                spellings = item.spellings
                spellings[spelling] = spellings.get(spelling, 0) + 1
                # A row naming several integrations gives each requester a list of its own.
                values = row_values if first else row_values.copy()
                first = False

                requester = None
                if account_col is not None:
                    account = cells[account_col]
                    who = accounts.get(account, miss) if account.__class__ is str else miss
                    if who is miss:
                        who = None if is_blank(account) else _account(account)
                        if account.__class__ is str:
                            accounts[account] = who  # (account key, shown); None when blank
                    if who is not None:
                        requester = item.requesters.get(who[0])
                        if requester is None:
                            requester = Requester(
                                (who[1], source, line, values, 1, None, False, None)
                            )
                            item.requesters[who[0]] = requester
                            if latest_pos is not None:
                                _start_latest(requester, row_date)
                        else:
                            requester[ROWS] += 1
                            if requester[ROWS] == 2:
                                requester[REPEAT] = (source, line)  # the first repeated row
                            if latest_pos is not None:
                                _merge_latest(requester, values, row_date)
                            elif None not in values:
                                requester[VALUES] = values  # every value is newer
                            else:
                                _merge(requester[VALUES], values)
                    elif any(conv[p] is not None for p in carried_pos):
                        # A blank account: an anonymous requester of its own.
                        self.auto_key += 1
                        item.requesters[self.auto_key] = Requester.of(
                            None, source, line, values, blank=True
                        )
                else:
                    self.auto_key += 1
                    item.requesters[self.auto_key] = Requester.of(None, source, line, values)
                for f, p in fact_pos:
                    if f not in item.facts and conv[p] is not None:
                        item.facts[f] = conv[p]
                for a, p, where in attr_specs:
                    value = conv[p]
                    if value is None:
                        continue
                    if where and not all(wp is not None and test(conv[wp]) for wp, test in where):
                        continue
                    if value.__class__ is str:
                        ckey = ckeys.get(value)
                        if ckey is None:
                            ckey = ckeys[value] = category_key(value)
                    else:
                        ckey = category_key(value)
                    seen = item.attributes[a]
                    if ckey not in seen:
                        seen[ckey] = SeenValue(value, source, line, None)
        errors.extend(column_findings(columns, source, headers))
        summary = InputSummary(source, table.format, rows, tuple(table.header), filtered)
        self.inputs.append(summary)
        errors.extend(table.findings)

    def converter(
        self, kind: str | None, decimal_comma: bool, field: str | None = None
    ) -> Callable[[Any], Any]:
        """How a field's cells are read: as a number (or a named level's number), a date, or
        trimmed text."""
        if kind == "number":
            levels = self.levels.get(field) if field else None
            if levels is not None:
                return partial(levels.read, decimal_comma=decimal_comma)
            return partial(parse_number, decimal_comma=decimal_comma)
        if kind == "date":
            return partial(parse_date, formats=self.config.dates.formats)
        return _text

    def _no_name_column(self, table: Table) -> None:
        wanted = self.config.column_for("integration")
        headers = [h for h in table.header if h]
        message = f"no '{wanted}' column (columns: {', '.join(headers) or 'none'})"
        close = [h for h in headers if normalize_header(wanted) in normalize_header(h)]
        if close:
            message += f"; if '{close[0]}' holds it, add to scoring.yaml: "
            message += f'columns: {{integration: "{close[0]}"}}'
        self.errors.append(Finding(table.source, 1, MISSING_COLUMN, message))
        self.inputs.append(InputSummary(table.source, table.format, 0, tuple(table.header)))

    def names_in(self, raw: Any) -> list[tuple[str, str]]:
        """(group key, spelling) of each integration a cell names: one, or one per part of a
        split cell (empty parts skipped, a name twice in one cell counted once)."""
        return self.names_in_cells([raw])[0]

    def names_in_cells(self, raws: list[Any]) -> list[list[tuple[str, str]]]:
        """`names_in` of many cells at once (the DuckDB pass's distinct names)."""
        split = self.plan.split
        texts = [_cell_text(raw) for raw in raws]
        aliases = self.plan.aliases
        if not split and not aliases:  # most configs: one name per cell, as spelled
            return [[(s.casefold(), s)] if s else [] for s in tidy_names(texts)]
        parts = [text.split(split) for text in texts] if split else [[text] for text in texts]
        spellings = iter(tidy_names([part for cell in parts for part in cell]))
        names = []
        for cell in parts:
            found: dict[str, tuple[str, str]] = {}
            for spelling in itertools.islice(spellings, len(cell)):
                if not spelling:
                    continue
                key = spelling.casefold()  # name_key of a tidy name
                if key in aliases:
                    key = name_key(aliases[key])
                found.setdefault(key, (key, spelling))
            names.append(list(found.values()))
        return names

    def _future(self, source: str, line: int, header: str, day: int) -> None:
        self.future += 1
        if self.future <= MAX_NOTED:
            self.warnings.append(
                Finding(
                    source,
                    line,
                    FUTURE_DATE,
                    f"{show_day(day)} is after {show_day(self.as_of)} (as of): its age counts as 0",
                    header,
                    "warning",
                )
            )

    def _unknown_fields(self, table: Table, read: set[int]) -> None:
        """YAML/JSON keys that no criterion reads but that look like one it does (a typo like
        `acount`): the value would be lost without a word."""
        targets = {
            normalize_header(h): h
            for f in self.config.known_fields() | {"account"}
            for h in self.config.headers_for(f)
        }
        for i, header in enumerate(table.header):
            if not header or i in read or i == table.name_column:
                continue
            key = normalize_header(header)
            if key in targets or len(key) > 64:
                continue
            close = sorted(t for t in targets if _within_two_edits(key, t))
            if close:
                self.warnings.append(
                    Finding(
                        table.source,
                        table.first_lines.get(i, 1),
                        UNKNOWN_FIELD,
                        f"'{header}' is not a field the config reads — did you mean "
                        f"'{targets[close[0]]}'?",
                        severity="warning",
                    )
                )

    def result(self) -> Grouped:
        """Everything consumed so far."""
        if self.future > MAX_NOTED:
            more = self.future - MAX_NOTED
            self.warnings.append(
                Finding(
                    self.first_source or "<input>",
                    None,
                    FUTURE_DATE,
                    f"and {more:,} more dates after as of",
                    severity="warning",
                )
            )
        for key, group in self.items.items():
            for r in group.requesters.values():
                if r.blank and len(self.warnings) < MAX_WARNINGS:
                    self.warnings.append(
                        blank_account(self.config, self.plan, key, group, r.file, r.line)
                    )
        return Grouped(
            self.plan,
            self.items,
            self.errors,
            self.inputs,
            self.found_fields,
            self.first_source,
            self.has_account,
            self.warnings,
        )


def blank_account(
    config: ScoringConfig, plan: Plan, key: str, group: Group, file: str, line: int
) -> Finding:
    """The warning for a row with a blank account, counted as a requester of its own."""
    name = plan.aliases.get(key) or max(group.spellings, key=group.spellings.get)  # type: ignore[arg-type]
    return Finding(
        file,
        line,
        BLANK_ACCOUNT,
        f"no account: counted as a requester of its own for '{name}'",
        config.column_for("account"),
        "warning",
    )


def _getter(columns: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A C-level fetch of these cells of a row, always as a tuple."""
    if not columns:
        return lambda cells: ()
    if len(columns) == 1:
        one = columns[0]
        return lambda cells: (cells[one],)
    return itemgetter(*columns)


def _merge(values: list[Any], newer: list[Any]) -> None:
    """Later non-blank values win."""
    for j, value in enumerate(newer):
        if value is not None:
            values[j] = value


def _start_latest(requester: Requester, row_date: int) -> None:
    requester[Requester.WHEN] = [None if value is None else row_date for value in requester.values]


def _merge_latest(requester: Requester, newer: list[Any], row_date: int) -> None:
    """`latest_by`: each field keeps the value of the latest dated row that has one (rows
    without a date come before all dated ones; on the same day, the later row)."""
    when = requester.when
    assert when is not None
    values = requester.values
    for j, value in enumerate(newer):
        if value is not None and (when[j] is None or row_date >= when[j]):
            values[j] = value
            when[j] = row_date


def _within_two_edits(a: str, b: str) -> bool:
    """Levenshtein distance at most 2 (with a length check first: names of a few letters)."""
    if abs(len(a) - len(b)) > 2 or a == b:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return False
        previous = current
    return previous[-1] <= 2


_MISS = object()


def _cell_text(raw: Any) -> str:
    """A YAML/JSON scalar as text (`true`, not Python's `True`)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def _account(raw: Any) -> tuple[str, str]:
    """(group key, as shown) of an account cell."""
    shown = _cell_text(raw).strip()
    return name_key(shown), shown


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


def group_rows(tables: Iterable[Table], config: ScoringConfig, as_of: int) -> Grouped:
    """Group the rows of every table into integrations and requesters."""
    row_pass = RowPass(config, as_of)
    for table in tables:
        row_pass.consume(table)
    return row_pass.result()
