"""Rules on the values the ranking found: a name holding several, unreadable files, missing
columns and values, conflicting values, unknown categories, failed formulas, values below the
first band, the same account asking twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from itertools import compress
from operator import itemgetter
from typing import Any

from ... import problems as ids
from ...engine.ranking import RankedItem, Ranking, Requester
from ...matching import name_key
from ...problems import Finding
from ...text import yaml_scalar
from .context import CheckContext, column_of, engine_findings, finding, implements, keys, show

__all__: list[str] = []


@implements(ids.MULTI_VALUE_CELL)
def multi_value_cell(context: CheckContext) -> Iterator[Finding]:
    """A name holding `;` or `|`, or `,` between parts one of which another row names as a
    whole cell ("Slack, Microsoft Teams" beside "Slack"), with no split configured."""
    model = context.config.model
    if model.split_for("integration"):
        return
    header = model.column_for("integration")
    keys = {item.key for item in context.ranking.items}
    aliases = model.alias_keys
    for item in context.ranking.items:
        mark = next((m for m in (";", "|") if m in item.integration), None)
        if mark is None and "," in item.integration:
            parts = [name_key(part) for part in item.integration.split(",")]
            parts = [name_key(aliases[p]) if p in aliases else p for p in parts]
            if any(p in keys and p != item.key for p in parts):
                mark = ","
        if mark is not None:
            yield finding(
                item.file,
                item.line,
                f"'{item.integration}' looks like several integrations in one cell; to "
                f"count each, add to scoring.yaml: columns: {{integration: "
                f'{{column: {yaml_scalar(header)}, split: "{mark}"}}}}',
                header,
            )


@implements(ids.UNREADABLE_FILE)
def unreadable_file(context: CheckContext) -> Iterator[Finding]:
    for f in context.unreadable:
        yield replace(f, severity=None)  # type: ignore[arg-type]


@implements(ids.MISSING_COLUMN)
def missing_column(context: CheckContext) -> Iterator[Finding]:
    yield from engine_findings(ids.MISSING_COLUMN)(context)
    source = context.ranking.inputs[0].source if context.ranking.inputs else "<input>"
    for _field, why in context.ranking.unbound:
        yield finding(source, 1, why, severity="warning")


def _statuses(ranking: Ranking, status: str) -> Iterator[tuple[RankedItem, Any, Any]]:
    for item in ranking.items:
        for c in ranking.criteria:
            score = item.criteria[c.id]
            if score.status == status:
                yield item, c, score


@implements(ids.MISSING_VALUE)
def missing_value(context: CheckContext) -> Iterator[Finding]:
    model = context.config.model
    for item, c, _score in _statuses(context.ranking, "missing"):
        message = f"no value for '{item.integration}'"
        if c.where:
            message += " among requesters with " + ", ".join(
                v.describe(model.column_for(k)) for k, v in c.where.items()
            )
        column = column_of(context, c)
        if c.missing == "error":
            yield finding(item.file, item.line, message, column, severity="error")
        else:
            points = f"{c.missing:g} point{'s' * (c.missing != 1)}"
            yield finding(item.file, item.line, f"{message} (scored {points})", column)


@implements(ids.CONFLICTING_VALUE)
def conflicting_value(context: CheckContext) -> Iterator[Finding]:
    for item, c, score in _statuses(context.ranking, "conflict"):
        first = score.seen[0]
        for other in score.seen[1:]:
            yield finding(
                other.file,
                other.line,
                f"'{item.integration}' is {show(other.value)} here but {show(first.value)} "
                f"on line {first.line}; ranked with {show(score.value)} (fewest points)",
                column_of(context, c),
            )


@implements(ids.UNKNOWN_CATEGORY)
def unknown_category(context: CheckContext) -> Iterator[Finding]:
    ranking = context.ranking
    for item in ranking.items:
        for c in ranking.criteria:
            score = item.criteria[c.id]
            if c.map is not None and c.aggregate == "value":
                for seen in score.seen:
                    if seen.points is None:
                        yield finding(
                            seen.file,
                            seen.line,
                            f"{show(seen.value)} for '{item.integration}' is not one of "
                            f"{keys(c.map)}",
                            column_of(context, c),
                        )
            elif score.status == "unknown":
                yield finding(
                    item.file,
                    item.line,
                    f"{show(score.value)} for '{item.integration}' is not one of {keys(c.map)}",
                    column_of(context, c),
                )
    # Row weights: a stage that is not in the map counts with the default weight.
    fields = ranking.requester_fields
    for c in ranking.criteria:
        if not c.row_weight or c.row_weight.field not in fields:
            continue
        j = fields.index(c.row_weight.field)
        matcher = c.row_weight.matcher
        first_rows = ranking.value_rows.get(c.row_weight.field, {})
        if _all_known(first_rows, matcher.get):
            continue  # each distinct value asked once: no requester to look at one by one
        reported: set[Any] = set()
        for item in ranking.items:
            for r in item.requesters:
                value = r.values[j]
                if value is None or matcher.get(value) is not None:
                    continue
                if name_key(str(value)) in reported:
                    continue
                reported.add(name_key(str(value)))
                # the first row with the value (a requester's value may come from a later row)
                file, line = first_rows.get(value, (r.file, r.line))
                yield finding(
                    file,
                    line,
                    f"{show(value)} is not one of {keys(c.row_weight.map)}; "
                    f"counted with weight {c.row_weight.default:g}",
                    context.config.model.column_for(c.row_weight.field),
                    severity="warning",
                )


@implements(ids.FORMULA_ERROR)
def formula_error(context: CheckContext) -> Iterator[Finding]:
    for item in context.ranking.items:
        for flag in item.flags:
            if flag.kind == "formula":
                yield finding(
                    item.file,
                    item.line,
                    f"the formula fails for '{item.integration}': {flag.reason}; it ranks last",
                )


@implements(ids.BELOW_LOWEST_BAND)
def below_lowest_band(context: CheckContext) -> Iterator[Finding]:
    for item, c, score in _statuses(context.ranking, "below"):
        yield finding(
            item.file,
            item.line,
            f"'{item.integration}' has {show(score.value)}, below the lowest band "
            f"({c.bands[0].min:g}); scored 0 points",
            column_of(context, c),
        )


def _all_known(first_rows: Mapping[Any, Any], known: Callable[[Any], Any]) -> bool:
    """True when each value the row pass read for the field (`first_rows`: each value's
    first row, every value any requester holds among them) is text that `known` answers
    (not None). Other values are left to the caller: in YAML, 1 and true are equal keys but
    not the same answer."""
    if not first_rows or not all(v.__class__ is str for v in first_rows):
        return False
    return all(known(v) is not None for v in first_rows)


@implements(ids.DUPLICATE_REQUEST)
def duplicate_request(context: CheckContext) -> Iterator[Finding]:
    repeat = itemgetter(Requester.REPEAT)
    for item in context.ranking.items:
        # the requesters asking again, found at C speed (most ask once)
        for r in compress(item.requesters, map(repeat, item.requesters)):
            if r.repeat is not None and r.account:
                file, line = r.repeat
                yield finding(
                    file,
                    line,
                    f"'{r.account}' asks for '{item.integration}' again (first on line {r.line}); "
                    "it counts once",
                )
