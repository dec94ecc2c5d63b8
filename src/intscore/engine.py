"""The scoring engine: rows + config -> an explainable Ranking. Pure: no files, no printing.

One pass over the rows groups them by integration and requester (account), converting each
distinct cell text once per column. Criteria are then computed per integration.
"""

from __future__ import annotations

import bisect
import gc
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from typing import Any

from .config import Criterion, Rule, ScoringConfig, Threshold
from .matching import CategoryMatcher, category_key, name_key, tidy_name
from .numbers import NotANumber, format_number, parse_number
from .problems import Finding
from .ranking import (
    Advice,
    CriterionScore,
    InputSummary,
    RankedItem,
    Ranking,
    Requester,
    SeenValue,
)
from .readers import Table, normalize_header

__all__ = ["Segment", "rank", "score_points"]

SCORE_DECIMALS = 9  # scores are rounded here so float noise never splits a tie


def score_points(criterion: Criterion, value: Any) -> tuple[float | None, str | None, str]:
    """Points for a raw value: (points or None when unknown, band label, status)."""
    if criterion.bands is None and criterion.map is None and criterion.scale is None:
        return float(value), None, "ok"  # formula configs: the points are the value
    if criterion.bands is not None:
        mins = [b.min for b in criterion.bands]
        i = bisect.bisect_right(mins, value) - 1
        if i < 0:
            return 0.0, f"below {format_number(mins[0])}", "below"
        band = criterion.bands[i]
        if i + 1 < len(mins):
            label = f"{format_number(band.min)} to <{format_number(mins[i + 1])}"
        else:
            label = f"≥ {format_number(band.min)}"
        return band.points, label, "ok"
    if criterion.scale is not None:
        s = criterion.scale
        share = (min(max(value, s.min), s.max) - s.min) / (s.max - s.min)
        if s.direction == "lower_is_better":
            share = 1 - share
        return share * s.points, f"{format_number(s.min)}..{format_number(s.max)}", "ok"
    assert criterion.map is not None
    found = criterion.lookup().get(value)
    if found is None:
        return None, None, "unknown"
    return found[1], f"{found[0]} → {format_number(found[1])}", "ok"


# --- compiling the config -----------------------------------------------------------------------


@dataclass
class _Plan:
    """What the row pass needs from the config."""

    fields: list[str]  # requester fields, in a fixed order
    numeric: set[str]  # fields read as numbers
    attribute_criteria: list[int]  # criteria with aggregate `value`
    aliases: dict[str, str]  # name key -> canonical name
    optional: set[str]  # fields whose absence is not an error
    facts: list[str]  # integration fields the recommendation rules look at


def _plan(config: ScoringConfig) -> _Plan:
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
            if c.aggregate in ("sum", "mean", "min", "max") or c.map is None:
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
    return _Plan(fields, numeric, attribute, aliases, optional, facts)


# --- the row pass ------------------------------------------------------------------------------


class _Item:
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


class _Collector:
    """Consumes tables row by row and keeps per integration its requesters and attributes."""

    def __init__(self, config: ScoringConfig):
        self.config = config
        self.plan = _plan(config)
        self.items: dict[str, _Item] = {}
        self.errors: list[Finding] = []
        self.inputs: list[InputSummary] = []
        self.found_fields: set[str] = set()
        self.first_source: str | None = None
        self.has_account_anywhere = False
        self.names: dict[Any, tuple[str, str] | None] = {}  # cell -> (key, spelling); None: blank
        self.accounts: dict[Any, str | None] = {}  # cell -> account key; None: blank
        self.account_shown: dict[Any, str] = {}  # cell -> the account as shown
        # Requesters, one per (integration key, account key), kept column by column.
        self.first: dict[tuple[str, Any], tuple[str, int]] = {}  # -> (file, line) first seen
        self.shown: dict[tuple[str, Any], str | None] = {}  # -> account as first spelled
        self.rows: dict[tuple[str, Any], int] = {}
        self.repeat: dict[tuple[str, Any], tuple[str, int]] = {}  # -> (file, line) 2nd seen
        self.latest: list[dict[tuple[str, Any], Any]] = [{} for _ in self.plan.fields]

    def consume(self, table: Table) -> None:
        """Read one table in chunks of rows; each chunk is processed column by column, so the
        per-row work is done by dict/zip/map in C rather than by Python statements."""
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
            self.errors.append(Finding(table.source, 1, "missing-column", message))
            self.inputs.append(InputSummary(table.source, table.format, 0, tuple(table.header)))
            return
        if account_col is not None:
            self.has_account_anywhere = True
        converters = {
            col: _Converter(
                table.header[col] or f,
                _number_converter(table.decimal_comma) if f in plan.numeric else _text,
            )
            for f, col in cols.items()
            if col is not None and col != name_col
        }
        count = 0
        rows = iter(table.rows)
        while True:
            chunk = list(islice(rows, CHUNK))
            if not chunk:
                break
            count += self._chunk(table, chunk, name_col, account_col, cols, converters)
        self.inputs.append(InputSummary(table.source, table.format, count, tuple(table.header)))
        self.errors.extend(table.findings)

    def _chunk(
        self,
        table: Table,
        chunk: list[tuple[int, list[Any]]],
        name_col: int,
        account_col: int | None,
        cols: dict[str, int | None],
        converters: dict[int, _Converter],
    ) -> int:
        plan = self.plan
        source = table.source
        lines, cells = zip(*chunk, strict=True)
        columns = list(zip(*cells, strict=True))
        if table.format in ("yaml", "json"):
            # YAML/JSON cells may be numbers or booleans, and True == 1 as a dict key:
            # names and accounts become text, and other cells are converted one by one.
            for col in (name_col, account_col):
                if col is not None:
                    columns[col] = tuple(_as_text(v) for v in columns[col])
        names = self.names
        for raw in set(columns[name_col]) - names.keys():
            names[raw] = None if _is_blank(raw) else self._name(raw)
        keyed = list(map(names.__getitem__, columns[name_col]))
        if None in keyed:  # rows without a name: an error if they hold anything at all
            keep = [k is not None for k in keyed]
            for line, row, kept in zip(lines, cells, keep, strict=True):
                if not kept and any(not _is_blank(v) for v in row):
                    header = table.header[name_col] or "integration"
                    self.errors.append(
                        Finding(source, line, "blank-name", "integration name is blank", header)
                    )
            lines = tuple(compress(lines, keep))
            columns = [tuple(compress(c, keep)) for c in columns]
            keyed = list(compress(keyed, keep))
        if not keyed:
            return 0
        exact = table.format in ("yaml", "json")
        for col, converter in converters.items():
            columns[col] = converter.column(columns[col], lines, source, self.errors, exact)
        keys = [k for k, _ in keyed]
        self._items(keys, keyed, columns[name_col], lines, source)
        self._requesters(keys, lines, columns, account_col, cols, source)
        self._attributes(keys, lines, columns, cols, source)
        for f in plan.facts:
            col = cols.get(f)
            if col is not None:
                _first_per_key(
                    keys,
                    columns[col],
                    lambda key, value, f=f: self.items[key].facts.setdefault(f, value),
                )
        return len(keys)

    def _name(self, raw: Any) -> tuple[str, str]:
        spelling = tidy_name(str(raw))
        return name_key(self.plan.aliases.get(name_key(spelling), spelling)), spelling

    def _items(self, keys, keyed, raw_names, lines, source) -> None:
        items = self.items
        n_attrs = len(self.plan.attribute_criteria)
        firsts = dict(zip(reversed(keys), reversed(lines), strict=True))  # key -> first line
        for key in sorted(firsts.keys() - items.keys(), key=firsts.__getitem__):
            items[key] = _Item(source, firsts[key], n_attrs)
        for raw, n in Counter(raw_names).items():
            key, spelling = self.names[raw]  # type: ignore[misc]
            spellings = items[key].spellings
            spellings[spelling] = spellings.get(spelling, 0) + n

    def _requesters(self, keys, lines, columns, account_col, cols, source) -> None:
        if account_col is not None:
            accounts, shown = self.accounts, self.account_shown
            raw_accounts = columns[account_col]
            for raw in set(raw_accounts) - accounts.keys():
                if _is_blank(raw):
                    accounts[raw] = None
                else:
                    shown[raw] = str(raw).strip()
                    accounts[raw] = name_key(shown[raw])
            account_keys = list(map(accounts.__getitem__, raw_accounts))
            keep = _present(account_keys)  # a blank account requests nothing
            pairs = list(zip(compress(keys, keep), compress(account_keys, keep), strict=False))
            kept_raw = list(compress(raw_accounts, keep))
            lines = tuple(compress(lines, keep))
            selected = [
                tuple(compress(columns[c], keep)) if c is not None else None for c in cols.values()
            ]
        else:  # every row is a requester of its own
            pairs = list(zip(keys, zip(repeat(source), lines), strict=False))
            kept_raw = None
            selected = [columns[c] if c is not None else None for c in cols.values()]
        if not pairs:
            return
        first, rows, repeated = self.first, self.rows, self.repeat
        n = len(pairs)
        first_index = dict(zip(reversed(pairs), reversed(range(n)), strict=False))
        for pair in sorted(first_index.keys() - first.keys(), key=first_index.__getitem__):
            i = first_index[pair]
            first[pair] = (source, lines[i])
            self.shown[pair] = self.account_shown[kept_raw[i]] if kept_raw is not None else None
        for pair, count in Counter(pairs).items():
            before = rows.get(pair, 0)
            rows[pair] = before + count
            if before == 1:
                repeated.setdefault(pair, (source, lines[first_index[pair]]))
        # Within the chunk, a requester's second row is its first row that is not its first.
        firsts = set(first_index.values())
        later = list(map(operator.not_, map(firsts.__contains__, range(n))))
        second = dict(
            zip(
                reversed(list(compress(pairs, later))),
                reversed(list(compress(lines, later))),
                strict=False,
            )
        )
        for pair, line in second.items():
            if pair not in repeated:
                repeated[pair] = (source, line)
        for j, values in enumerate(selected):
            if values is not None:  # later non-blank values win
                present = _present(values)
                self.latest[j].update(
                    zip(compress(pairs, present), compress(values, present), strict=False)
                )

    def _attributes(self, keys, lines, columns, cols, source) -> None:
        config = self.config
        for a, ci in enumerate(self.plan.attribute_criteria):
            c = config.criteria[ci]
            col = cols.get(c.field) if c.field else None
            if col is None:
                continue
            values = columns[col]
            keep = [v is not None for v in values]
            for w, allowed in (c.where or {}).items():
                wcol = cols.get(w)
                matcher = CategoryMatcher(dict.fromkeys(_as_list(allowed), True))
                if wcol is None:
                    keep = [False] * len(keep)
                else:
                    ok = {
                        v: v is not None and matcher.get(v) is not None for v in set(columns[wcol])
                    }
                    keep = [k and ok[v] for k, v in zip(keep, columns[wcol], strict=True)]
            kept_values = list(compress(values, keep))
            ckeys = {v: category_key(v) for v in set(kept_values)}
            found = list(
                zip(compress(keys, keep), map(ckeys.__getitem__, kept_values), strict=True)
            )
            kept_lines = list(compress(lines, keep))
            first_line = dict(zip(reversed(found), reversed(kept_lines), strict=True))
            first_value = dict(zip(reversed(found), reversed(kept_values), strict=True))
            for key, ckey in sorted(first_line, key=first_line.__getitem__):
                seen = self.items[key].attributes[a]
                if ckey not in seen:
                    seen[ckey] = SeenValue(
                        first_value[key, ckey], source, first_line[key, ckey], None
                    )

    def _requester(self, pair: tuple[str, Any]) -> Requester:
        file, line = self.first[pair]
        return Requester(
            self.shown.get(pair),
            file,
            line,
            [values.get(pair) for values in self.latest],
            self.rows[pair],
            self.repeat.get(pair),
        )

    def _aggregate(self, c: Criterion) -> dict[str, float]:
        """A count/sum/mean/min/max criterion for every integration at once, over the
        requesters' latest values (column by column, without building requester objects)."""
        latest = self.latest
        segment = Segment(c, self.plan.fields)
        pairs: Iterable[tuple[str, Any]] = self.first
        for j, matcher in segment.where:
            values = latest[j]
            ok = {v: matcher.get(v) is not None for v in set(values.values())}
            pairs = [p for p in pairs if ok.get(values.get(p), False)]
        if c.aggregate == "count":
            if segment.field is not None:
                present = latest[segment.field]
                pairs = [p for p in pairs if p in present]
            if segment.row_weight is None:
                return {k: float(n) for k, n in Counter(p[0] for p in pairs).items()}
            j, matcher, default = segment.row_weight
            stages = latest[j]
            weight = {}
            for v in set(stages.values()):
                found = matcher.get(v)
                weight[v] = float(found[1]) if found is not None else default
            totals: dict[str, list[float]] = {}
            for p in pairs:
                totals.setdefault(p[0], []).append(weight.get(stages.get(p), default))
            return {k: math.fsum(ws) for k, ws in totals.items()}
        assert segment.field is not None
        values = latest[segment.field]
        numbers: dict[str, list[float]] = {}
        for p in pairs:
            v = values.get(p)
            if v is not None:
                numbers.setdefault(p[0], []).append(v)
        if c.aggregate == "sum":
            return {k: math.fsum(ns) for k, ns in numbers.items()}
        if c.aggregate == "mean":
            return {k: math.fsum(ns) / len(ns) for k, ns in numbers.items()}
        reduce = min if c.aggregate == "min" else max
        return {k: reduce(ns) for k, ns in numbers.items()}

    def finish(self) -> Ranking:
        config = self.config
        plan = self.plan
        errors = list(self.errors)
        unbound: list[tuple[str, str]] = []
        source = self.first_source or "<input>"
        needed_by: dict[str, list[str]] = {}
        for c in config.criteria:
            if c.field and c.field not in self.found_fields:
                needed_by.setdefault(c.field, []).append(c.id)
        for f, ids in needed_by.items():
            message = f"no '{config.column_for(f)}' column (needed by {', '.join(ids)})"
            errors.append(Finding(source, 1, "missing-column", message))
        for f in sorted(plan.optional):
            if f not in self.found_fields:
                unbound.append((f, f"no '{config.column_for(f)}' column"))
        per_requester = any(c.aggregate != "value" for c in config.criteria)
        if per_requester and not self.has_account_anywhere and self.inputs:
            unbound.append(
                ("account", f"no '{config.column_for('account')}' column: each row is a requester")
            )

        formula = config.compiled_formula
        rules = _compile_rules(config.recommend)
        denominator = sum(c.weight * c.max_points for c in config.criteria)
        attribute_slot = {ci: a for a, ci in enumerate(plan.attribute_criteria)}
        pairs_of: dict[str, list[tuple[str, Any]]] = {key: [] for key in self.items}
        for pair in self.first:
            pairs_of[pair[0]].append(pair)
        aggregates = [self._aggregate(c) if c.aggregate != "value" else {} for c in config.criteria]

        scored = []
        for key, item in self.items.items():
            requesters = _LazyRequesters(pairs_of[key], self._requester)
            criteria: dict[str, CriterionScore] = {}
            flags: list[str] = []
            total = 0.0
            for ci, c in enumerate(config.criteria):
                seen: tuple[SeenValue, ...] = ()
                if c.aggregate == "value":
                    seen = tuple(item.attributes[attribute_slot[ci]].values())
                    value, points, band, status, seen = _attribute(c, seen)
                else:
                    value = aggregates[ci].get(key, 0.0 if c.aggregate == "count" else None)
                    points, band, status = (None, None, "missing")
                    if value is not None:
                        points, band, status = score_points(c, value)
                        if points is None:
                            status = "unknown"
                if points is None:  # missing or unknown category
                    if c.missing == "error":
                        errors.append(
                            Finding(
                                item.file,
                                item.line,
                                "missing-value",
                                f"no value for '{_shown_name(item)}'"
                                if status == "missing"
                                else f"{value!r} is not one of the map's keys",
                                field=c.field or c.id,
                            )
                        )
                    points = float(c.missing) if c.missing != "error" else 0.0
                if status != "ok":
                    flags.append(f"{status}:{c.id}")
                contribution = None if formula else 100.0 * c.weight * points / denominator
                total += contribution or 0.0
                criteria[c.id] = CriterionScore(
                    value=value,
                    points=points,
                    max_points=c.max_points,
                    weight=c.weight,
                    contribution=contribution,
                    band=band,
                    status=status,
                    seen=seen,
                )
            score: float | None = round(total, SCORE_DECIMALS)
            if formula is not None:
                try:
                    score = round(formula({cid: s.points for cid, s in criteria.items()}), 9)
                except (ArithmeticError, ValueError) as exc:
                    score = None
                    flags.append(f"formula:{_math_reason(exc)}")
            advice = _recommend(rules, item.facts, score, criteria)
            scored.append((key, item, score, criteria, requesters, tuple(flags), advice))

        scored.sort(key=lambda s: (s[2] is None, -(s[2] or 0.0), _shown_name(s[1]).casefold()))
        ranked: list[RankedItem] = []
        previous_score: float | None = math.nan
        previous_rank = 0
        for position, (key, item, score, criteria, requesters, flags, advice) in enumerate(
            scored, 1
        ):
            rank = previous_rank if score == previous_score else position
            previous_score, previous_rank = score, rank
            spellings = sorted(item.spellings.items(), key=lambda kv: -kv[1])
            ranked.append(
                RankedItem(
                    rank=rank,
                    integration=_shown_name(item, plan.aliases.get(key)),
                    score=score,
                    criteria=criteria,
                    requesters=requesters,
                    flags=flags,
                    file=item.file,
                    line=item.line,
                    spellings=tuple(spellings),
                    key=key,
                    recommendation=advice,
                )
            )
        return Ranking(
            items=tuple(ranked),
            criteria=tuple(config.criteria),
            requester_fields=tuple(plan.fields),
            inputs=tuple(self.inputs),
            errors=tuple(sorted(errors, key=Finding.sort_key)),
            unbound=tuple(unbound),
            formula=config.formula,
            has_rules=bool(config.recommend),
        )


def _math_reason(exc: Exception) -> str:
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, OverflowError):
        return "number too large"
    return str(exc) or type(exc).__name__


CompiledRule = tuple[Rule, list[tuple[str, "Threshold | CategoryMatcher"]]]


def _compile_rules(rules: list[Rule] | None) -> list[CompiledRule]:
    compiled = []
    for rule in rules or []:
        conditions: list[tuple[str, Threshold | CategoryMatcher]] = []
        for key, condition in (rule.when or {}).items():
            if isinstance(condition, Threshold):
                conditions.append((key, condition))
            else:
                allowed = condition if isinstance(condition, list) else [condition]
                conditions.append((key, CategoryMatcher(dict.fromkeys(allowed, True))))
        compiled.append((rule, conditions))
    return compiled


def _recommend(
    rules: list[CompiledRule],
    facts: dict[str, Any],
    score: float | None,
    criteria: dict[str, CriterionScore],
) -> Advice | None:
    """The first rule whose conditions all hold (SPEC §2 Recommendations)."""
    for number, (rule, conditions) in enumerate(rules, 1):
        reasons = []
        for key, condition in conditions:
            if isinstance(condition, Threshold):
                value = score if key == "score" else criteria[key].points
                if not condition.holds(value):
                    break
                shown = "score" if key == "score" else f"{key} points"
                reasons.append(f"{shown} {_threshold_text(condition, value)}")
            else:
                value = facts.get(key)
                if value is None or condition.get(value) is None:
                    break
                reasons.append(f"{key} is {value!r}")
        else:
            return Advice(rule.then, rule.because, number, "; ".join(reasons) or "default rule")
    return None


def _threshold_text(t: Threshold, value: float | None) -> str:
    parts = []
    if t.at_least is not None:
        parts.append(f"≥ {format_number(t.at_least)}")
    if t.below is not None:
        parts.append(f"< {format_number(t.below)}")
    return f"{format_number(value or 0.0)} {' and '.join(parts)}"


def _shown_name(item: _Item, canonical: str | None = None) -> str:
    """The alias's canonical name, else the most frequent spelling (first seen on a tie)."""
    if canonical:
        return canonical
    return max(item.spellings.items(), key=lambda kv: kv[1])[0]  # max keeps the first on a tie


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class Segment:
    """The requesters a criterion looks at (its `where`) and how much each counts."""

    def __init__(self, c: Criterion, fields: Sequence[str]):
        index = {f: j for j, f in enumerate(fields)}
        self.where = [
            (index[w], CategoryMatcher(dict.fromkeys(_as_list(allowed), True)))
            for w, allowed in (c.where or {}).items()
        ]
        self.field = index[c.field] if c.field else None
        self.row_weight = (
            (index[c.row_weight.field], CategoryMatcher(c.row_weight.map), c.row_weight.default)
            if c.row_weight
            else None
        )

    def select(self, requesters: Iterable[Requester]) -> list[Requester]:
        """Requesters in the segment (and, for a field, with a value in it)."""
        chosen = []
        for r in requesters:
            if all(
                r.values[j] is not None and matcher.get(r.values[j]) is not None
                for j, matcher in self.where
            ):
                chosen.append(r)
        return chosen

    def weight_of(self, requester: Requester) -> tuple[Any, float]:
        """(the row_weight key it matched, or its own value, or None; its weight)."""
        if self.row_weight is None:
            return None, 1.0
        j, matcher, default = self.row_weight
        value = requester.values[j]
        found = matcher.get(value) if value is not None else None
        return (found[0], found[1]) if found is not None else (value, default)


def _attribute(
    c: Criterion, seen: tuple[SeenValue, ...]
) -> tuple[Any, float | None, str | None, str, tuple[SeenValue, ...]]:
    """An integration attribute: all values should agree; on a conflict, the fewest points."""
    if not seen:
        return None, None, None, "missing", ()
    scored = []
    for s in seen:
        points, band, status = score_points(c, s.value)
        scored.append((s, points, band, status))
    seen = tuple(SeenValue(s.value, s.file, s.line, p) for s, p, _, _ in scored)
    if len(scored) == 1:
        s, points, band, status = scored[0]
        return s.value, points, band, status, seen
    known = [t for t in scored if t[1] is not None]
    if not known:
        return scored[0][0].value, None, None, "unknown", seen
    s, points, band, _ = min(known, key=lambda t: t[1])
    return s.value, points, band, "conflict", seen


CHUNK = 50_000  # rows processed together


class _Converter:
    """Converts one column's cells, each distinct text once (a column repeats few texts)."""

    def __init__(self, header: str, convert: Callable[[Any], Any]):
        self.header = header
        self.convert = convert
        self.cache: dict[Any, Any] = {}
        self.failures: set[Any] = set()

    def column(
        self,
        cells: tuple[Any, ...],
        lines: tuple[int, ...],
        source: str,
        errors: list[Finding],
        exact: bool = False,
    ) -> tuple[Any, ...]:
        """The converted column; cells that do not convert become None and an error each.
        `exact` converts every cell on its own (no cache: 1 and True are equal keys)."""
        if exact:
            converted = tuple(None if _is_blank(v) else _convert(self.convert, v) for v in cells)
            self.failures.update(
                v for v, c in zip(cells, converted, strict=True) if c.__class__ is _Failure
            )
            distinct: set[Any] = set(cells) if self.failures else set()
            return self._report(converted, lines, source, errors, distinct)
        cache = self.cache
        distinct = set(cells)
        for raw in distinct - cache.keys():
            value = None if _is_blank(raw) else _convert(self.convert, raw)
            if value.__class__ is _Failure:
                self.failures.add(raw)
            cache[raw] = value
        converted = tuple(map(cache.__getitem__, cells))
        if len(cache) > 200_000:  # a high-cardinality column: do not keep every text
            cache.clear()
        return self._report(converted, lines, source, errors, distinct)

    def _report(
        self,
        converted: tuple[Any, ...],
        lines: tuple[int, ...],
        source: str,
        errors: list[Finding],
        distinct: set[Any],
    ) -> tuple[Any, ...]:
        if self.failures.isdisjoint(distinct):
            return converted
        fixed = []
        for value, line in zip(converted, lines, strict=True):
            if value.__class__ is _Failure:
                errors.append(Finding(source, line, "invalid-value", value.reason, self.header))
                value = None
            fixed.append(value)
        return tuple(fixed)


def _present(values: Sequence[Any]) -> list[bool]:
    """Which values are not None (in C: this runs over every row)."""
    return list(map(operator.is_not, values, repeat(None)))


def _as_text(value: Any) -> Any:
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _first_per_key(
    keys: list[str], values: tuple[Any, ...], store: Callable[[str, Any], Any]
) -> None:
    """Call store(key, value) with each key's first non-blank value in the chunk."""
    present = [v is not None for v in values]
    firsts = dict(
        zip(
            reversed(list(compress(keys, present))),
            reversed(list(compress(values, present))),
            strict=True,
        )
    )
    for key, value in firsts.items():
        store(key, value)


class _LazyRequesters(Sequence[Requester]):
    """An integration's requesters, built only when someone looks at them (explain, check,
    JSON accounts): ranking a million rows needs their number, not 700,000 objects."""

    __slots__ = ("_build", "_built", "_pairs")

    def __init__(self, pairs: list[tuple[str, Any]], build: Callable[[tuple[str, Any]], Requester]):
        self._pairs = pairs
        self._build = build
        self._built: tuple[Requester, ...] | None = None

    def _all(self) -> tuple[Requester, ...]:
        if self._built is None:
            self._built = tuple(map(self._build, self._pairs))
        return self._built

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, index):  # type: ignore[override]
        return self._all()[index]

    def __iter__(self) -> Iterator[Requester]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    __hash__ = None  # type: ignore[assignment]


class _Failure:
    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


_BLANK = object()


def _convert(convert: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return convert(raw)
    except NotANumber as exc:
        return _Failure(str(exc))


def _number_converter(decimal_comma: bool) -> Callable[[Any], float]:
    if decimal_comma:
        return lambda raw: parse_number(raw, decimal_comma=True)
    return parse_number


def rank(tables: Iterable[Table], config: ScoringConfig) -> Ranking:
    """Score and rank every integration in the tables. Problems that make the input unusable
    are returned in `Ranking.errors`, never raised."""
    # The pass allocates many small containers and frees none of them until the end, so the
    # cyclic garbage collector would only rescan them again and again (30% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        collector = _Collector(config)
        for table in tables:
            collector.consume(table)
        return collector.finish()
    finally:
        if collecting:
            gc.enable()
