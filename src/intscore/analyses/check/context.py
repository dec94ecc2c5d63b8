"""What the rules look at, how they report, and the registry of their implementations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ...engine.ranking import InputSummary, Ranking, RunInfo
from ...model.compiled import Criterion
from ...model.loading import LoadedConfig
from ...problems import RULES, Finding, Severity

__all__ = [
    "CheckContext",
    "CheckResult",
    "Implementation",
    "column_of",
    "engine_findings",
    "finding",
    "implementations",
    "implements",
]


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
class CheckResult:
    """Findings of `check`, whether the input could be checked at all, and what was read."""

    findings: list[Finding]
    unusable: bool  # config invalid or a file unreadable: exit 2
    files: int
    rows: int
    run: RunInfo | None = None  # the config the data were checked with
    inputs: tuple[InputSummary, ...] = ()
    configs: tuple[str, ...] = ()  # inputs that are scoring models, linted as such

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for f in self.findings if f.severity == "error")
        return errors, len(self.findings) - errors


Implementation = Callable[[CheckContext], Iterable[Finding]]
_IMPLEMENTED: dict[str, Implementation] = {}


def implements(rule_id: str) -> Callable[[Implementation], Implementation]:
    """Register the function that finds a declared rule's problems."""
    if rule_id not in RULES:
        raise ValueError(f"{rule_id} is not declared in problems.RULES")

    def register(func: Implementation) -> Implementation:
        _IMPLEMENTED[rule_id] = func
        return func

    return register


def implementations() -> dict[str, Implementation]:
    return dict(_IMPLEMENTED)


def engine_findings(rule_id: str) -> Implementation:
    """The findings the engine and the readers made under a rule (errors that stop `rank`,
    and warnings), at the rule's level."""

    def select(context: CheckContext) -> Iterator[Finding]:
        for f in (*context.ranking.errors, *context.ranking.warnings):
            if f.rule == rule_id:
                yield replace(f, severity=None)  # type: ignore[arg-type]

    return select


def finding(
    file: str,
    line: int | None,
    message: str,
    field: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of the rule being run; `severity=None` means the rule's default."""
    return Finding(file, line, "", message, field, severity)  # type: ignore[arg-type]


def column_of(context: CheckContext, c: Criterion) -> str:
    """The input column a criterion reads, as the user's files call it."""
    return context.config.model.column_for(c.field) if c.field else c.id


def show(value: Any) -> str:
    """A value in a message: numbers short, text quoted and cut at 40 characters."""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def keys(mapping: Mapping[str, Any] | None) -> str:
    """A map's keys in a message, the first 12."""
    names = list(mapping or {})
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
