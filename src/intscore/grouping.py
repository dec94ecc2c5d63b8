"""The row pass: tables of rows -> integrations and their requesters. Pure and tuned: this loop
runs once per input row, so each distinct cell text is converted once per column and rows stay
plain lists.

An integration's rows are grouped by name (after aliases); within it, the rows of one account
are one requester (later non-blank values win). Integration attributes (fields of `value`
criteria and of recommendation rules) are kept per distinct value with the row that first
gave it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import ScoringConfig, Threshold
from .matching import CategoryMatcher, category_key, name_key, tidy_name
from .numbers import NotANumber, parse_number
from .problems import BLANK_NAME, INVALID_VALUE, MISSING_COLUMN, Finding
from .ranking import InputSummary, Requester, SeenValue
from .rows import Table, normalize_header

__all__ = ["Group", "Grouped", "Plan", "RowPass", "group_rows", "plan_fields"]


@dataclass
class Plan:
    """What the row pass needs from the config."""

    fields: list[str]  # requester fields, in a fixed order
    numeric: set[str]  # fields read as numbers
    attribute_criteria: list[int]  # criteria with aggregate `value`
    aliases: dict[str, str]  # name key -> canonical name
    optional: set[str]  # fields whose absence is not an error
    facts: list[str]  # integration fields the recommendation rules look at


def plan_fields(config: ScoringConfig) -> Plan:
    """The fields the row pass keeps per requester and per integration, and how to read them."""
    fields: list[str] = []
    numeric: set[str] = set()
    optional: set[str] = set()

    def need(name: str) -> None:
        if name not in fields:
            fields.append(name)

    attribute = []
    for i, c in enumerate(config.criteria):
        if c.field:
            need(c.field)
            if c.aggregate in ("sum", "mean", "min", "max") or c.scorer.numeric:
                numeric.add(c.field)
        if c.row_weight:
            need(c.row_weight.field)
            optional.add(c.row_weight.field)
        for where_field in c.where or {}:
            need(where_field)
            optional.add(where_field)
        if c.aggregate == "value":
            attribute.append(i)
    aliases: dict[str, str] = {}
    for canonical, spellings in config.aliases.items():
        aliases[name_key(canonical)] = canonical
        for spelling in spellings:
            aliases[name_key(spelling)] = canonical
    facts = []
    for rule in config.recommend or []:
        for key, condition in (rule.when or {}).items():
            if not isinstance(condition, Threshold) and key not in facts:
                facts.append(key)
                need(key)
    optional -= {c.field for c in config.criteria}
    return Plan(fields, numeric, attribute, aliases, optional, facts)


class Group:
    """One integration's rows: requesters, attributes, facts for the rules, and spellings."""

    __slots__ = ("attributes", "facts", "file", "line", "requesters", "spellings")

    def __init__(self, file: str, line: int, n_attributes: int):
        self.file = file
        self.line = line
        self.facts: dict[str, Any] = {}
        self.spellings: dict[str, int] = {}
        self.requesters: dict[Any, Requester] = {}
        self.attributes: list[dict[Any, SeenValue]] = [{} for _ in range(n_attributes)]


def _is_blank(value: Any) -> bool:
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


class RowPass:
    """Consumes tables row by row and keeps per integration its requesters and attributes."""

    def __init__(self, config: ScoringConfig):
        self.config = config
        self.plan = plan_fields(config)
        self.items: dict[str, Group] = {}
        self.errors: list[Finding] = []
        self.inputs: list[InputSummary] = []
        self.found_fields: set[str] = set()
        self.first_source: str | None = None
        self.has_account = False
        self.names: dict[Any, tuple[str, str] | None] = {}  # cell -> (key, spelling)
        self.accounts: dict[Any, tuple[str, str] | None] = {}  # cell -> (key, as shown)
        self.auto_key = 0

    def consume(self, table: Table) -> None:
        plan = self.plan
        config = self.config
        if self.first_source is None:
            self.first_source = table.source
        index = {normalize_header(h): i for i, h in enumerate(table.header) if h}

        def column(field: str) -> int | None:
            return index.get(normalize_header(config.column_for(field)))

        name_col = table.name_column if table.name_column is not None else column("integration")
        account_col = column("account")
        cols = {f: column(f) for f in plan.fields}
        self.found_fields.update(f for f, c in cols.items() if c is not None)
        if name_col is None:
            wanted = config.column_for("integration")
            headers = [h for h in table.header if h]
            message = f"no '{wanted}' column (columns: {', '.join(headers) or 'none'})"
            close = [h for h in headers if normalize_header(wanted) in normalize_header(h)]
            if close:
                message += f"; if '{close[0]}' holds it, add to scoring.yaml: "
                message += f'columns: {{integration: "{close[0]}"}}'
            self.errors.append(Finding(table.source, 1, MISSING_COLUMN, message))
            self.inputs.append(InputSummary(table.source, table.format, 0, tuple(table.header)))
            return
        if account_col is not None:
            self.has_account = True

        # Per-column converters, each with a cache: a column repeats few distinct texts.
        converters: list[tuple[int, str, Callable[[Any], Any], dict[Any, Any]]] = []
        for f, col in cols.items():
            if col is None or col == name_col:
                continue
            convert = _number_converter(table.decimal_comma) if f in plan.numeric else _text
            converters.append((col, table.header[col], convert, {}))
        req_cols = [(j, cols[f]) for j, f in enumerate(plan.fields) if cols[f] is not None]
        attr_specs = []
        for a, ci in enumerate(plan.attribute_criteria):
            c = config.criteria[ci]
            col = cols.get(c.field) if c.field else None
            if col is None:
                continue
            where = [(cols[w], CategoryMatcher.any_of(a)) for w, a in (c.where or {}).items()]
            attr_specs.append((a, col, where))

        fact_cols = [(f, cols[f]) for f in plan.facts if cols.get(f) is not None]
        items = self.items
        names = self.names
        ckeys: dict[str, tuple[str, Any]] = {}
        accounts = self.accounts
        errors = self.errors
        source = table.source
        n_attrs = len(plan.attribute_criteria)
        rows = 0
        n_fields = len(plan.fields)
        miss = _MISS
        for line, cells in table.rows:
            name = cells[name_col]
            # Cached by text only: in YAML/JSON, 1 and true are equal dict keys.
            known = names.get(name, miss) if name.__class__ is str else miss
            if known is miss:
                known = None if _is_blank(name) else self._name(name)
                if name.__class__ is str:
                    names[name] = known  # (key, spelling); None for a blank name
            if known is None:
                if any(not _is_blank(v) for v in cells):
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
            rows += 1
            for col, header, convert, cache in converters:
                raw = cells[col]
                value = cache.get(raw, miss) if raw.__class__ is str else miss
                if value is miss:
                    value = None if _is_blank(raw) else _convert(convert, raw)
                    if raw.__class__ is str and len(cache) < 100_000:
                        cache[raw] = value
                if value.__class__ is _Failure:
                    errors.append(Finding(source, line, INVALID_VALUE, value.reason, header))
                    value = None
                cells[col] = value
            key, spelling = known
            item = items.get(key)
            if item is None:
                item = items[key] = Group(source, line, n_attrs)
            spellings = item.spellings
            spellings[spelling] = spellings.get(spelling, 0) + 1

            if account_col is not None:
                account = cells[account_col]
                who = accounts.get(account, miss) if account.__class__ is str else miss
                if who is miss:
                    who = None if _is_blank(account) else _account(account)
                    if account.__class__ is str:
                        accounts[account] = who  # (account key, shown); None when blank
                requester = None
                if who is not None:
                    requester = item.requesters.get(who[0])
                    if requester is None:
                        requester = item.requesters[who[0]] = Requester(
                            who[1], source, line, [None] * n_fields, 0
                        )
            else:
                self.auto_key += 1
                requester = item.requesters[self.auto_key] = Requester(
                    None, source, line, [None] * n_fields, 0
                )
            if requester is not None:
                requester.rows += 1
                if requester.rows == 2:
                    requester.repeat = (source, line)
                values = requester.values
                for j, col in req_cols:
                    value = cells[col]
                    if value is not None:
                        values[j] = value
            for f, col in fact_cols:
                if f not in item.facts and cells[col] is not None:
                    item.facts[f] = cells[col]
            for a, col, where in attr_specs:
                value = cells[col]
                if value is None:
                    continue
                if where and not all(
                    wcol is not None and cells[wcol] is not None and m.get(cells[wcol])
                    for wcol, m in where
                ):
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
        self.inputs.append(InputSummary(source, table.format, rows, tuple(table.header)))
        errors.extend(table.findings)

    def _name(self, raw: Any) -> tuple[str, str]:
        spelling = tidy_name(_cell_text(raw))
        return name_key(self.plan.aliases.get(name_key(spelling), spelling)), spelling

    def result(self) -> Grouped:
        """Everything consumed so far."""
        return Grouped(
            self.plan,
            self.items,
            self.errors,
            self.inputs,
            self.found_fields,
            self.first_source,
            self.has_account,
        )


_MISS = object()


def _cell_text(raw: Any) -> str:
    """A YAML/JSON scalar as text (`true`, not Python's `True`)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def _account(raw: Any) -> tuple[str, str]:
    shown = _cell_text(raw).strip()
    return name_key(shown), shown


class _Failure:
    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


def _convert(convert: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return convert(raw)
    except NotANumber as exc:
        return _Failure(str(exc))


def _number_converter(decimal_comma: bool) -> Callable[[Any], float]:
    if decimal_comma:
        return lambda raw: parse_number(raw, decimal_comma=True)
    return parse_number


def group_rows(tables: Iterable[Table], config: ScoringConfig) -> Grouped:
    """Group the rows of every table into integrations and requesters."""
    row_pass = RowPass(config)
    for table in tables:
        row_pass.consume(table)
    return row_pass.result()
