"""Problems found in inputs and configs, and the error that carries them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_SHOWN",
    "Finding",
    "IntscoreError",
    "Severity",
    "finding_lines",
    "format_errors",
]

Severity = Literal["error", "warning"]

# Rule ids: the engine, the readers and `check` name the problems they find with these.
CONFIG = "config"
USAGE = "usage"
UNREADABLE_FILE = "unreadable-file"
INVALID_VALUE = "invalid-value"
INVALID_ROW = "invalid-row"
BLANK_NAME = "blank-name"
DUPLICATE_COLUMN = "duplicate-column"
MISSING_COLUMN = "missing-column"
MISSING_VALUE = "missing-value"
CONFLICTING_VALUE = "conflicting-value"
UNKNOWN_CATEGORY = "unknown-category"
FORMULA_ERROR = "formula-error"
BELOW_LOWEST_BAND = "below-lowest-band"
DUPLICATE_REQUEST = "duplicate-request"
NEAR_DUPLICATE_NAME = "near-duplicate-name"
LONG_NAME = "long-name"
BLANK_ACCOUNT = "blank-account"
FUTURE_DATE = "future-date"
UNKNOWN_FIELD = "unknown-field"
MULTI_VALUE_CELL = "multi-value-cell"


STALE_RANKING = "stale-ranking"
ZERO_WEIGHT = "zero-weight"
FLAT_BANDS = "flat-bands"
UNUSED_MAP = "unused-map"

# Every rule `check` runs (its registry is check.RULES; a test keeps the two equal).
RULE_IDS = (
    UNREADABLE_FILE,
    INVALID_VALUE,
    INVALID_ROW,
    BLANK_NAME,
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    MISSING_VALUE,
    CONFLICTING_VALUE,
    UNKNOWN_CATEGORY,
    FORMULA_ERROR,
    BELOW_LOWEST_BAND,
    DUPLICATE_REQUEST,
    NEAR_DUPLICATE_NAME,
    LONG_NAME,
    BLANK_ACCOUNT,
    FUTURE_DATE,
    UNKNOWN_FIELD,
    MULTI_VALUE_CELL,
    STALE_RANKING,
    ZERO_WEIGHT,
    FLAT_BANDS,
    UNUSED_MAP,
)


def unknown_rules(ids: list[str] | tuple[str, ...]) -> str | None:
    """A message naming the rule ids that are not rules, with the known ones; None if all are."""
    unknown = [i for i in ids if i not in RULE_IDS]
    if not unknown:
        return None
    return (
        f"unknown rule {', '.join(repr(i) for i in unknown)} (rules: {', '.join(sorted(RULE_IDS))})"
    )


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
