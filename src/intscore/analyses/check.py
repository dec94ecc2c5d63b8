"""`intscore check`: lint rules over a backlog and its scoring model.

Each rule is one function registered with its id and default severity; it reads the ranking
(which keeps every value's file and line) and yields findings. Pure: no files, no printing.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .. import problems as ids
from ..engine.ranking import RankedItem, Ranking, ranking_rows
from ..matching import CategoryMatcher, name_key
from ..model.conditions import describe_condition
from ..model.loading import LoadedConfig, format_loc
from ..problems import Finding, Severity
from ..read.structured import line_of
from ..text import yaml_scalar
from .relative_estimates import no_smallest_item

__all__ = ["RULES", "CheckContext", "CheckRule", "run_rules"]


@dataclass(frozen=True)
class CheckContext:
    """What the rules look at."""

    config: LoadedConfig
    ranking: Ranking
    expected: tuple[str, str] | None = None  # (file name, text) of --expect
    refresh_command: str = ""
    unreadable: tuple[Finding, ...] = ()  # files (or --expect) that could not be read
    as_of_pinned: bool = False  # as_of given by the config or --as-of (not today's date)


@dataclass(frozen=True)
class CheckRule:
    """A lint rule: its id, default severity, what it finds, and the function finding it."""

    id: str
    severity: Severity
    summary: str
    check: Callable[[CheckContext], Iterable[Finding]]


RULES: dict[str, CheckRule] = {}


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[..., Any]:
    """Register a rule: `@rule("id", "warning", "what it finds")` over a function of the context."""

    def register(func: Callable[[CheckContext], Iterable[Finding]]) -> Callable[..., Any]:
        RULES[rule_id] = CheckRule(rule_id, severity, summary, func)
        return func

    return register


CONFIG_RULES = (ids.ZERO_WEIGHT, ids.FLAT_BANDS)  # rules that look at the config alone


def run_rules(
    context: CheckContext,
    ignore: Iterable[str] = (),
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every rule's findings (but the ignored ones, the config's and these), with the level
    the config sets for the rule, else the rule's own, else the rule's default; sorted."""
    settings = context.config.config.check
    skipped = {*settings.ignore, *ignore}
    chosen = set(RULES) if only is None else set(only)
    findings: list[Finding] = []
    for r in RULES.values():
        if r.id in skipped or r.id not in chosen:
            continue
        level = settings.severity.get(r.id)
        for f in r.check(context):
            findings.append(replace(f, rule=r.id, severity=level or f.severity or r.severity))
    return sorted(findings, key=Finding.sort_key)


def _finding(
    file: str,
    line: int | None,
    message: str,
    field: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of the rule being run; `severity=None` means the rule's default."""
    return Finding(file, line, "", message, field, severity)  # type: ignore[arg-type]


# --- what the row pass found -------------------------------------------------------------------


def _from_row_pass(rule_id: str) -> Callable[[CheckContext], Iterator[Finding]]:
    """A rule whose findings the row pass made: errors that stop `rank`, or warnings."""

    def select(context: CheckContext) -> Iterator[Finding]:
        for f in (*context.ranking.errors, *context.ranking.warnings):
            if f.rule == rule_id:
                yield replace(f, severity=None)  # type: ignore[arg-type]

    return select


def _row_pass_rule(rule_id: str, severity: Severity, summary: str) -> None:
    """Register a rule whose findings the row pass made."""
    rule(rule_id, severity, summary)(_from_row_pass(rule_id))


_row_pass_rule(ids.INVALID_VALUE, "error", "a value that does not parse (e.g. 'lots' as ARR)")
_row_pass_rule(ids.INVALID_ROW, "error", "a row with more cells than the header")
_row_pass_rule(ids.BLANK_NAME, "error", "a row with data but no integration name")
_row_pass_rule(
    ids.BLANK_ACCOUNT, "warning", "a row with no account, counted as a requester of its own"
)
_row_pass_rule(ids.FUTURE_DATE, "warning", "a date after as_of (its age counts as 0)")
_row_pass_rule(
    ids.UNKNOWN_FIELD, "warning", "a YAML/JSON key the config does not read but nearly does"
)


@rule(ids.MULTI_VALUE_CELL, "warning", "a name holding ; or | with no split configured")
def multi_value_cell(context: CheckContext) -> Iterator[Finding]:
    if context.config.config.split_for("integration"):
        return
    header = context.config.config.column_for("integration")
    for item in context.ranking.items:
        for mark in (";", "|"):
            if mark in item.integration:
                yield _finding(
                    item.file,
                    item.line,
                    f"'{item.integration}' looks like several integrations in one cell; to "
                    f"count each, add to scoring.yaml: columns: {{integration: "
                    f'{{column: {yaml_scalar(header)}, split: "{mark}"}}}}',
                    header,
                )
                break


_row_pass_rule(ids.DUPLICATE_COLUMN, "error", "two columns or fields that are the same")
_row_pass_rule(
    ids.AMBIGUOUS_NUMBER, "error", "a number column whose values contradict (80% beside 80)"
)


@rule(ids.NO_SMALLEST_ITEM, "warning", "a relative scale (relative: true) on which nothing is 1")
def _no_smallest_item(context: CheckContext) -> Iterator[Finding]:
    for f in no_smallest_item(context.ranking, context.config.config):
        yield replace(f, severity=None)  # type: ignore[arg-type]


@rule(ids.UNREADABLE_FILE, "error", "a file that cannot be read at all")
def unreadable_file(context: CheckContext) -> Iterator[Finding]:
    for f in context.unreadable:
        yield replace(f, severity=None)  # type: ignore[arg-type]


@rule(ids.MISSING_COLUMN, "error", "a column the config needs that no input file has")
def missing_column(context: CheckContext) -> Iterator[Finding]:
    yield from _from_row_pass(ids.MISSING_COLUMN)(context)
    source = context.ranking.inputs[0].source if context.ranking.inputs else "<input>"
    for _field, why in context.ranking.unbound:
        yield _finding(source, 1, why, severity="warning")


# --- integration values ------------------------------------------------------------------------


def _statuses(ranking: Ranking, status: str) -> Iterator[tuple[RankedItem, Any, Any]]:
    for item in ranking.items:
        for c in ranking.criteria:
            score = item.criteria[c.id]
            if score.status == status:
                yield item, c, score


@rule(ids.MISSING_VALUE, "warning", "an integration with no value for a criterion")
def missing_value(context: CheckContext) -> Iterator[Finding]:
    config = context.config.config
    for item, c, _score in _statuses(context.ranking, "missing"):
        message = f"no value for '{item.integration}'"
        if c.where:
            message += " among requesters with " + ", ".join(
                describe_condition(config.column_for(k), v) for k, v in c.where.items()
            )
        column = _column(context, c)
        if c.missing == "error":
            yield _finding(item.file, item.line, message, column, severity="error")
        else:
            points = f"{c.missing:g} point{'s' * (c.missing != 1)}"
            yield _finding(item.file, item.line, f"{message} (scored {points})", column)


@rule(ids.CONFLICTING_VALUE, "error", "rows of one integration that disagree on an attribute")
def conflicting_value(context: CheckContext) -> Iterator[Finding]:
    for item, c, score in _statuses(context.ranking, "conflict"):
        first = score.seen[0]
        for other in score.seen[1:]:
            yield _finding(
                other.file,
                other.line,
                f"'{item.integration}' is {_show(other.value)} here but {_show(first.value)} "
                f"on line {first.line}; ranked with {_show(score.value)} (fewest points)",
                _column(context, c),
            )


@rule(ids.UNKNOWN_CATEGORY, "error", "a value that is not one of a map's keys")
def unknown_category(context: CheckContext) -> Iterator[Finding]:
    ranking = context.ranking
    for item in ranking.items:
        for c in ranking.criteria:
            score = item.criteria[c.id]
            if c.map is not None and c.aggregate == "value":
                for seen in score.seen:
                    if seen.points is None:
                        yield _finding(
                            seen.file,
                            seen.line,
                            f"{_show(seen.value)} for '{item.integration}' is not one of "
                            f"{_keys(c.map)}",
                            _column(context, c),
                        )
            elif score.status == "unknown":
                yield _finding(
                    item.file,
                    item.line,
                    f"{_show(score.value)} for '{item.integration}' is not one of {_keys(c.map)}",
                    _column(context, c),
                )
    # Row weights: a stage that is not in the map counts with the default weight.
    fields = ranking.requester_fields
    for c in ranking.criteria:
        if not c.row_weight or c.row_weight.field not in fields:
            continue
        j = fields.index(c.row_weight.field)
        matcher = CategoryMatcher(c.row_weight.map)
        reported: set[Any] = set()
        for item in ranking.items:
            for r in item.requesters:
                value = r.values[j]
                if value is None or matcher.get(value) is not None:
                    continue
                if name_key(str(value)) in reported:
                    continue
                reported.add(name_key(str(value)))
                yield _finding(
                    r.file,
                    r.line,
                    f"{_show(value)} is not one of {_keys(c.row_weight.map)}; "
                    f"counted with weight {c.row_weight.default:g}",
                    context.config.config.column_for(c.row_weight.field),
                    severity="warning",
                )


@rule(ids.FORMULA_ERROR, "error", "an integration whose score formula fails (e.g. ÷ 0)")
def formula_error(context: CheckContext) -> Iterator[Finding]:
    for item in context.ranking.items:
        for flag in item.flags:
            if flag.kind == "formula":
                yield _finding(
                    item.file,
                    item.line,
                    f"the formula fails for '{item.integration}': {flag.reason}; it ranks last",
                )


@rule(ids.BELOW_LOWEST_BAND, "warning", "a value below a criterion's first band")
def below_lowest_band(context: CheckContext) -> Iterator[Finding]:
    for item, c, score in _statuses(context.ranking, "below"):
        yield _finding(
            item.file,
            item.line,
            f"'{item.integration}' has {_show(score.value)}, below the lowest band "
            f"({c.bands[0].min:g}); scored 0 points",
            _column(context, c),
        )


@rule(ids.DUPLICATE_REQUEST, "warning", "the same account asking for the same integration again")
def duplicate_request(context: CheckContext) -> Iterator[Finding]:
    for item in context.ranking.items:
        for r in item.requesters:
            if r.repeat is not None and r.account:
                file, line = r.repeat
                yield _finding(
                    file,
                    line,
                    f"'{r.account}' asks for '{item.integration}' again (first on line {r.line}); "
                    "it counts once",
                )


# --- names ------------------------------------------------------------------------------------

LONGEST_COMPARED = 200  # longer names are reported once as `long-name` and not compared
MOST_LOOKALIKES = 3  # findings per name at most
BUCKET_SIZE = 32  # names sharing one deletion variant that are compared (more: a generic variant)

# Latin look-alikes from other scripts (Cyrillic, Greek) that fonts draw the same.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏɡαβεικνορτυχ",
    "aeopcyxijsdhlgabeikvoptux",
)


def _skeleton(name: str) -> str:
    """A name with case, spacing, punctuation, invisible characters, fullwidth forms and
    look-alike letters of other scripts removed or folded."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_CONFUSABLES)
    return "".join(ch for ch in folded if ch.isalnum())


def _deletion_keys(text: str) -> Iterator[int]:
    """Hashes of each one-character deletion that is not a digit (a differing digit is not a
    typo: "Dynamics 365" vs "Dynamics 360"). Hashes, not strings: memory stays linear."""
    for i in range(len(text)):
        if not text[i].isdigit():
            yield hash(text[:i] + text[i + 1 :])


def _scripts(name: str) -> str:
    """' (mixes Latin and Cyrillic letters)' and the like, for a look-alike's message."""
    scripts = set()
    for ch in name:
        if ch.isalpha():
            word = unicodedata.name(ch, "").split(" ")[0]
            scripts.add("fullwidth" if word in ("FULLWIDTH", "HALFWIDTH") else word.title())
    if "fullwidth" in scripts:
        return " (fullwidth letters)"
    if len(scripts) > 1:
        return f" (mixes {' and '.join(sorted(scripts))} letters)"
    return ""


@rule(ids.LONG_NAME, "warning", "a name too long to compare with the others")
def long_name(context: CheckContext) -> Iterator[Finding]:
    for item in context.ranking.items:
        if len(item.integration) > LONGEST_COMPARED:
            yield _finding(
                item.file,
                item.line,
                f"an integration name of {len(item.integration):,} characters; names over "
                f"{LONGEST_COMPARED} are not compared for near-duplicates",
            )


@rule(ids.NEAR_DUPLICATE_NAME, "warning", "names that differ only slightly and are not aliased")
def near_duplicate_name(context: CheckContext) -> Iterator[Finding]:
    items = [i for i in context.ranking.items if len(i.integration) <= LONGEST_COMPARED]
    # Which name the alias should keep: one that an alias already targets, else the most used
    # spelling (rows, then requesters), else the tidier one, else the one seen first.
    targets = {name_key(name) for name in context.config.config.aliases}

    def canonical_first(n: int) -> tuple[Any, ...]:
        item = items[n]
        return (
            item.key not in targets,
            -_rows(item),
            -len(item.requesters),
            _untidiness(item.integration),
            item.file,
            item.line,
        )

    order = sorted(range(len(items)), key=canonical_first)
    rank_of = {n: r for r, n in enumerate(order)}
    by_skeleton: dict[str, list[int]] = {}
    for n in order:
        by_skeleton.setdefault(_skeleton(items[n].integration), []).append(n)
    # One typo apart (names of 6+ characters): the two share a one-deletion variant.
    buckets: dict[int, list[str]] = {}
    for skeleton in by_skeleton:
        if len(skeleton) >= 6:
            for key in {hash(skeleton), *_deletion_keys(skeleton)}:
                bucket = buckets.setdefault(key, [])
                if len(bucket) < BUCKET_SIZE:
                    bucket.append(skeleton)
    for skeleton, members in by_skeleton.items():
        neighbours: set[str] = set()
        if len(skeleton) >= 6:
            for key in {hash(skeleton), *_deletion_keys(skeleton)}:
                neighbours.update(buckets.get(key, ()))
                if len(neighbours) > BUCKET_SIZE:
                    break
        heads = [
            by_skeleton[t][0]
            for t in neighbours
            if t != skeleton
            and _share_a_deletion(skeleton, t)
            and not _differ_by_digit(skeleton, t)
        ]
        for n in members:
            mains = [m for m in (members[0], *heads) if rank_of[m] < rank_of[n]]
            for m in sorted(set(mains), key=rank_of.__getitem__)[:MOST_LOOKALIKES]:
                main, other = items[m], items[n]
                yield _finding(
                    other.file,
                    other.line,
                    f"'{other.integration}'{_scripts(other.integration)} looks like "
                    f"'{main.integration}' (line {main.line}); if they are the same, add to "
                    f"scoring.yaml: aliases: {{{yaml_scalar(main.integration)}: "
                    f"[{yaml_scalar(other.integration)}]}}",
                )


def _share_a_deletion(a: str, b: str) -> bool:
    """True when deleting at most one character from each makes them equal (a typo, a
    transposition). Linear: it guards the hash buckets against collisions."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) < len(b):
        a, b = b, a
    p = 0
    while p < len(b) and a[p] == b[p]:
        p += 1
    if len(a) != len(b):
        return a[p + 1 :] == b[p:]
    if p == len(a):
        return True
    q = len(a) - 1
    while a[q] == b[q]:
        q -= 1
    return p == q or a[p + 1 : q + 1] == b[p:q] or a[p:q] == b[p + 1 : q + 1]


def _differ_by_digit(a: str, b: str) -> bool:
    """True when a substitution between the two names involves a digit."""
    if len(a) != len(b):
        return False
    return any(x != y and (x.isdigit() or y.isdigit()) for x, y in zip(a, b, strict=True))


def _untidiness(name: str) -> int:
    """Marks of a hasty spelling: punctuation inside the name, all lower or upper case."""
    marks = sum(1 for ch in name if not (ch.isalnum() or ch.isspace()))
    letters = [ch for ch in name if ch.isalpha()]
    shouting_or_flat = len(letters) > 4 and (name.islower() or name.isupper())
    return marks + shouting_or_flat


def _rows(item: RankedItem) -> int:
    return sum(n for _, n in item.spellings)


# --- the committed ranking ---------------------------------------------------------------------


@rule(
    ids.STALE_RANKING, "error", "a committed ranking (--expect) that differs from the current one"
)
def stale_ranking(context: CheckContext) -> Iterator[Finding]:
    if context.expected is None:
        return
    name, text = context.expected
    if context.config.config.uses_ages() and not context.as_of_pinned:
        yield _finding(
            name,
            None,
            "the config counts ages (decay or within), so a committed ranking goes stale by "
            "itself as days pass; pin the day: as_of: YYYY-MM-DD in scoring.yaml, or --as-of",
        )
        return
    expected = [row for row in csv.reader(io.StringIO(text)) if row]
    current = ranking_rows(context.ranking)
    if expected == current:
        return
    old, old_columns = _by_integration(expected)
    new, new_columns = _by_integration(current)
    shared_columns = [c for c in new_columns if c in old_columns and c not in ("rank", "score")]
    moved, added, rescored, changed = [], [], [], []
    # an old shared rank -> (integration, new rank) of the tied names, in new order
    reordered: dict[str, list[tuple[str, str]]] = {}
    old_ties = {r for r, n in Counter(row.get("rank") for row in old.values()).items() if n > 1}
    for integration, row in new.items():
        before = old.get(integration)
        if before is None:
            added.append(f"{integration} new at {row['rank']}")
        elif before.get("rank") != row["rank"]:
            same_score = before.get("score") == row["score"]
            if same_score and before.get("rank") in old_ties:
                reordered.setdefault(before["rank"], []).append((integration, row["rank"]))
                continue
            change = f"{integration} {before.get('rank')}→{row['rank']}"
            if not same_score:
                change += f" (score {_score(before.get('score', ''))}→{_score(row['score'])})"
            moved.append(change)
        elif before.get("score") != row["score"]:
            rescored.append(f"{integration} score {_score(before['score'])}→{_score(row['score'])}")
        elif any(before.get(c) != row.get(c) for c in shared_columns):
            changed.append(f"{integration} values changed")
    ties = []
    for rank, names in reordered.items():
        if len(names) == 1:
            ((integration, now),) = names
            moved.append(f"{integration} {rank}→{now} (was tied)")
        else:
            order = ", ".join(f"{integration} {now}" for integration, now in names)
            ties.append(f"the tie at {rank} is now ordered ({order})")
    gone = [f"{integration} gone" for integration in old if integration not in new]
    moves = moved + ties + added + gone + rescored + changed
    columns = [f"column {c} added" for c in new_columns if c not in old_columns]
    columns += [f"column {c} removed" for c in old_columns if c not in new_columns]
    moves += columns or ([] if moves else ["the order of rows or the formatting changed"])
    shown = ", ".join(moves[:8]) + (f", and {len(moves) - 8} more" if len(moves) > 8 else "")
    yield _finding(
        name,
        None,
        f"the committed ranking is stale: {shown}; refresh it with: {context.refresh_command}",
    )


def _score(text: str) -> str:
    try:
        return f"{float(text):.1f}"
    except ValueError:
        return text or "n/a"


def _by_integration(rows: list[list[str]]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """({integration: {column: cell}}, the columns) of a ranking file, header first."""
    if not rows:
        return {}, []
    header = rows[0]
    result = {}
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        if "integration" in cells:
            result[cells["integration"]] = cells
    return result, header


# --- the config --------------------------------------------------------------------------------


def _config_finding(context: CheckContext, path: tuple[Any, ...], message: str) -> Finding:
    loaded = context.config
    return _finding(loaded.source, line_of(loaded.data, path), message, format_loc(path))


@rule(ids.ZERO_WEIGHT, "warning", "a criterion that cannot change any score")
def zero_weight(context: CheckContext) -> Iterator[Finding]:
    for i, c in enumerate(context.config.config.criteria):
        if c.weight == 0:
            yield _config_finding(
                context, ("criteria", i, "weight"), f"'{c.id}' has weight 0 and never counts"
            )


@rule(ids.FLAT_BANDS, "warning", "bands whose points never rise")
def flat_bands(context: CheckContext) -> Iterator[Finding]:
    for i, c in enumerate(context.config.config.criteria):
        if not c.bands or len(c.bands) < 2:
            continue
        points = [b.points for b in c.bands]
        if len(set(points)) == 1:
            message = f"every band of '{c.id}' gives {points[0]:g} points"
        elif c.kind == "value" and all(b <= a for a, b in itertools.pairwise(points)):
            message = (
                f"the points of '{c.id}' never rise with the value; "
                "if lower is better, say `kind: effort`"
            )
        else:
            continue
        yield _config_finding(context, ("criteria", i, "bands"), message)


@rule(ids.UNUSED_MAP, "warning", "a map none of whose keys any row uses")
def unused_map(context: CheckContext) -> Iterator[Finding]:
    ranking = context.ranking
    if not ranking.items:
        return
    for i, c in enumerate(context.config.config.criteria):
        if c.map is None:
            continue
        if not any(item.criteria[c.id].status in ("ok", "conflict") for item in ranking.items):
            yield _config_finding(
                context,
                ("criteria", i, "map"),
                f"no row has any of the keys of '{c.id}' ({_keys(c.map)})",
            )


def _column(context: CheckContext, c: Any) -> str:
    """The input column a criterion reads, as the user's files call it."""
    return context.config.config.column_for(c.field) if c.field else c.id


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _keys(mapping: dict[str, Any]) -> str:
    keys = list(mapping)
    shown = ", ".join(keys[:12]) + (", ..." if len(keys) > 12 else "")
    return shown
