"""The scoring engine: rows + config -> an explainable Ranking. Pure: no files, no printing.

One pass over the rows groups them by integration and requester (account), converting each
distinct cell text once per column. Criteria are then computed per integration.
"""

from __future__ import annotations

import bisect
import gc
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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
            self.errors.append(Finding(table.source, 1, "missing-column", message))
            self.inputs.append(InputSummary(table.source, table.format, 0, tuple(table.header)))
            return
        if account_col is not None:
            self.has_account_anywhere = True

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
                            "blank-name",
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
                    errors.append(Finding(source, line, "invalid-value", value.reason, header))
                    value = None
                cells[col] = value
            key, spelling = known
            item = items.get(key)
            if item is None:
                item = items[key] = _Item(source, line, n_attrs)
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
        segments = [Segment(c, plan.fields) for c in config.criteria]
        attribute_slot = {ci: a for a, ci in enumerate(plan.attribute_criteria)}

        scored = []
        for key, item in self.items.items():
            requesters = tuple(item.requesters.values())
            criteria: dict[str, CriterionScore] = {}
            flags: list[str] = []
            total = 0.0
            for ci, c in enumerate(config.criteria):
                seen: tuple[SeenValue, ...] = ()
                if c.aggregate == "value":
                    seen = tuple(item.attributes[attribute_slot[ci]].values())
                    value, points, band, status, seen = _attribute(c, seen)
                else:
                    value = _aggregate(c, segments[ci], requesters)
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
                    points = {cid: s.points for cid, s in criteria.items()}
                    score = round(formula(points), SCORE_DECIMALS)
                except (ArithmeticError, ValueError) as exc:
                    score = None
                    flags.append(f"formula:{_math_reason(exc)}")
            advice = _recommend(rules, item.facts, score, criteria)
            shown = _shown_name(item, plan.aliases.get(key))
            scored.append((shown, key, item, score, criteria, requesters, tuple(flags), advice))

        # Equal scores are listed by the name as shown (an alias's canonical name).
        scored.sort(key=lambda s: (s[3] is None, -(s[3] or 0.0), s[0].casefold()))
        ranked: list[RankedItem] = []
        previous_score: float | None = math.nan
        previous_rank = 0
        for position, (shown, key, item, score, criteria, requesters, flags, advice) in enumerate(
            scored, 1
        ):
            rank = previous_rank if score == previous_score else position
            previous_score, previous_rank = score, rank
            spellings = sorted(item.spellings.items(), key=lambda kv: -kv[1])
            ranked.append(
                RankedItem(
                    rank=rank,
                    integration=shown,
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
                conditions.append((key, CategoryMatcher.any_of(condition)))
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


class Segment:
    """The requesters a criterion looks at (its `where`) and how much each counts."""

    def __init__(self, c: Criterion, fields: Sequence[str]):
        index = {f: j for j, f in enumerate(fields)}
        self.where = [(index[w], CategoryMatcher.any_of(a)) for w, a in (c.where or {}).items()]
        self.field = index[c.field] if c.field else None
        self.row_weight = (
            (index[c.row_weight.field], CategoryMatcher(c.row_weight.map), c.row_weight.default)
            if c.row_weight
            else None
        )

    def select(self, requesters: Iterable[Requester]) -> list[Requester]:
        """Requesters in the segment (and, for a field, with a value in it)."""
        if not self.where:
            return list(requesters)
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


def _aggregate(c: Criterion, segment: Segment, requesters: Iterable[Requester]) -> float | None:
    chosen = segment.select(requesters)
    j = segment.field
    if c.aggregate == "count":
        if j is not None:
            chosen = [r for r in chosen if r.values[j] is not None]
        if segment.row_weight is None:
            return float(len(chosen))
        return math.fsum(segment.weight_of(r)[1] for r in chosen)
    assert j is not None
    numbers = [r.values[j] for r in chosen if r.values[j] is not None]
    if not numbers:
        return None
    if c.aggregate == "sum":
        return math.fsum(numbers)
    if c.aggregate == "mean":
        return math.fsum(numbers) / len(numbers)
    if c.aggregate == "min":
        return min(numbers)
    return max(numbers)


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
