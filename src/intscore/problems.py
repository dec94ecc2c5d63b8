"""Problems found in inputs and configs, and the error that carries them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_SHOWN",
    "RULES",
    "Finding",
    "IntscoreError",
    "Rule",
    "Severity",
    "finding_lines",
    "format_errors",
    "unknown_rules",
]

Severity = Literal["error", "warning"]

CONFIG = "config"  # a config that cannot be used (exit 2), not a rule to ignore
USAGE = "usage"


@dataclass(frozen=True, slots=True)
class Rule:
    """A `check` rule: its id, default level and what it finds. Each is declared once, here;
    the engine and the readers name their findings with it, `analyses.check` implements the
    rules the ranking alone does not find."""

    id: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {}


def _rule(rule_id: str, severity: Severity, summary: str) -> str:
    RULES[rule_id] = Rule(rule_id, severity, summary)
    return rule_id


INVALID_VALUE = _rule("invalid-value", "error", "a value that does not parse (e.g. 'lots' as ARR)")
INVALID_ROW = _rule("invalid-row", "error", "a row with more cells than the header")
NO_INTEGRATION = _rule(
    "no-integration",
    "warning",
    "a row with data that names no integration (blank, or no part kept): not counted",
)
NOTHING_TO_RANK = _rule(
    "nothing-to-rank",
    "error",
    "inputs with no request at all (no rows, or a filter that keeps none)",
)
BLANK_ACCOUNT = _rule(
    "blank-account", "warning", "a row with no account, counted as a requester of its own"
)
FUTURE_DATE = _rule("future-date", "warning", "a date after as_of (its age counts as 0)")
UNKNOWN_FIELD = _rule(
    "unknown-field", "warning", "a YAML/JSON key the config does not read but nearly does"
)
MULTI_VALUE_CELL = _rule(
    "multi-value-cell",
    "warning",
    "a name holding ; or |, or , between names found alone, with no split configured",
)
DUPLICATE_COLUMN = _rule("duplicate-column", "error", "two columns or fields that are the same")
AMBIGUOUS_NUMBER = _rule(
    "ambiguous-number",
    "error",
    "a number column whose values contradict (80% beside 80, 1,250.50 beside 1.250,50)",
)
SKIPPED_ROWS = _rule(
    "skipped-rows", "warning", "rows above the header (a report's title, 'Exported on ...')"
)
FOOTER_ROWS = _rule(
    "footer-rows", "warning", "a report's footer or subtotal rows ('Grand Totals', 'Summe')"
)
REPEATED_COLUMN = _rule(
    "repeated-column",
    "error",
    "copies of a repeated column that disagree on a field that takes one value",
)
NO_SMALLEST_ITEM = _rule(
    "no-smallest-item", "warning", "a relative scale (relative: true) on which nothing is 1"
)
UNREADABLE_FILE = _rule("unreadable-file", "error", "a file that cannot be read at all")
MISSING_COLUMN = _rule(
    "missing-column", "error", "a column the config needs that no input file has"
)
MISSING_VALUE = _rule("missing-value", "warning", "an integration with no value for a criterion")
CONFLICTING_VALUE = _rule(
    "conflicting-value", "error", "rows of one integration that disagree on an attribute"
)
UNKNOWN_CATEGORY = _rule("unknown-category", "error", "a value that is not one of a map's keys")
FORMULA_ERROR = _rule(
    "formula-error", "error", "an integration whose score formula fails (e.g. ÷ 0)"
)
BELOW_LOWEST_BAND = _rule("below-lowest-band", "warning", "a value below a criterion's first band")
DUPLICATE_REQUEST = _rule(
    "duplicate-request", "warning", "the same account asking for the same integration again"
)
LONG_NAME = _rule("long-name", "warning", "a name too long to compare with the others")
NEAR_DUPLICATE_NAME = _rule(
    "near-duplicate-name", "warning", "names that differ only slightly and are not aliased"
)
STALE_RANKING = _rule(
    "stale-ranking", "error", "a committed ranking (--expect) that differs from the current one"
)
ZERO_WEIGHT = _rule("zero-weight", "warning", "a criterion that cannot change any score")
FLAT_BANDS = _rule("flat-bands", "warning", "bands whose points never rise")
UNUSED_MAP = _rule("unused-map", "warning", "a map none of whose keys any row uses")
NO_BUILD_HOURS = _rule(
    "no-build-hours", "warning", "an integration the plan cannot build: no (or unclear) build hours"
)
UNUSED_BUY_OPTION = _rule(
    "unused-buy-option", "warning", "a buy option for a category no requested integration is in"
)
INFEASIBLE_PLAN = _rule(
    "infeasible-plan", "error", "a plan that cannot be made: no capacity, or must items over it"
)
ESTIMATES_DISAGREE = _rule(
    "estimates-disagree", "warning", "estimates of a field spread wider than its `disagree` limit"
)
UNKNOWN_INTEGRATION = _rule(
    "unknown-integration", "error", "an integration in an estimates file that no request names"
)
ESTIMATE_NOT_ALLOWED = _rule(
    "estimate-not-allowed", "error", "an estimate of a field that `who` does not give the file"
)
ESTIMATE_NOT_READ = _rule(
    "estimate-not-read", "warning", "an estimated field that is no integration attribute read"
)
MISSING_ESTIMATE = _rule(
    "missing-estimate", "warning", "an integration in the top N (check --top) nobody estimated"
)
ESTIMATE_OVERRIDES_DATA = _rule(
    "estimate-overrides-data", "warning", "a combined estimate that differs from the data's value"
)


def unknown_rules(ids: list[str] | tuple[str, ...]) -> str | None:
    """A message naming the rule ids that are not rules, with the known ones; None if all are."""
    unknown = [i for i in ids if i not in RULES]
    if not unknown:
        return None
    return f"unknown rule {', '.join(repr(i) for i in unknown)} (rules: {', '.join(sorted(RULES))})"


MAX_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located as precisely as we know: file, line and field."""

    file: str
    line: int | None
    rule: str
    message: str
    field: str | None = None
    severity: Severity = "error"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def text(self) -> str:
        """`field: message`, the part after the location."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.rule, self.text)


class IntscoreError(Exception):
    """Unusable input, config or usage: the CLI prints the findings and exits 2."""

    def __init__(self, findings: list[Finding] | Finding | str):
        if isinstance(findings, str):
            findings = [Finding(file="", line=None, rule=USAGE, message=findings)]
        elif isinstance(findings, Finding):
            findings = [findings]
        self.findings = list(findings)
        super().__init__("\n".join(finding_lines(self.findings)))


def finding_lines(findings: list[Finding], limit: int = MAX_SHOWN, prefix: str = "") -> list[str]:
    """`file:line: field: message` lines, at most `limit`, then `... and N more`."""
    from .text import safe_text

    lines = []
    for f in findings[:limit]:
        where = f"{f.location}: " if f.file else ""
        # One line each, whatever the input holds: no escape codes, no forged annotations.
        lines.append(safe_text(f"{prefix}{where}{f.text}"))
    if len(findings) > limit:
        lines.append(f"... and {len(findings) - limit} more")
    return lines


def format_errors(findings: list[Finding], limit: int = MAX_SHOWN) -> list[str]:
    """`error: file:line: field: message` lines, as the CLI prints them on stderr."""
    return finding_lines(findings, limit, "error: ")
