"""What the engine returns: a ranking where every score can be explained."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .config import Criterion
from .problems import Finding

__all__ = [
    "Advice",
    "CriterionScore",
    "InputSummary",
    "RankedItem",
    "Ranking",
    "Requester",
    "RunInfo",
    "SeenValue",
]

Status = Literal["ok", "missing", "conflict", "unknown", "below"]


@dataclass(frozen=True, slots=True)
class SeenValue:
    """One distinct value of an integration attribute, and where it was first seen."""

    value: Any
    file: str
    line: int
    points: float | None


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """One criterion's part of an integration's score."""

    value: float | str | None  # the raw value: 3.5 requesters, 740000 ARR, "3"
    points: float
    max_points: float
    weight: float
    contribution: float | None  # score points (they add up to the score); None with a formula
    band: str | None  # the band or map entry the value fell in
    status: Status = "ok"
    seen: tuple[SeenValue, ...] = ()  # distinct values of a `value` attribute


@dataclass(slots=True)
class Requester:
    """One account asking for one integration (all its rows merged; later values win)."""

    account: str | None
    file: str
    line: int
    values: list[Any]  # aligned with Ranking.requester_fields
    rows: int = 1
    repeat: tuple[str, int] | None = None  # (file, line) of the first repeated row


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommendation rule that fired for an integration, and why."""

    label: str
    because: str
    rule: int  # 1-based position in `recommend:`
    reason: str  # which conditions held, e.g. "core is 'yes'"


@dataclass(frozen=True, slots=True)
class RankedItem:
    """One integration with its rank, score and full breakdown."""

    rank: int
    integration: str
    score: float | None
    criteria: dict[str, CriterionScore]
    requesters: tuple[Requester, ...]
    flags: tuple[str, ...]
    file: str
    line: int
    spellings: tuple[tuple[str, int], ...] = ()  # (spelling, rows), most used first
    key: str = ""
    recommendation: Advice | None = None

    def requester_count(self) -> int:
        return len(self.requesters)


@dataclass(frozen=True, slots=True)
class InputSummary:
    """One input file as read."""

    source: str
    format: str
    rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    """The engine's whole answer: ranked items, and the problems that stop a ranking."""

    items: tuple[RankedItem, ...]
    criteria: tuple[Criterion, ...]
    requester_fields: tuple[str, ...]
    inputs: tuple[InputSummary, ...]
    errors: tuple[Finding, ...] = ()  # unusable input: `rank` stops, `check` reports them
    unbound: tuple[tuple[str, str], ...] = ()  # (field, why) optional fields no file has
    formula: str | None = None  # the score formula, when the config has one
    has_rules: bool = False  # the config has recommendation rules

    @property
    def denominator(self) -> float:
        """Σ weight × max points: a score is 100 × Σ weight × points over this."""
        return sum(c.weight * c.max_points for c in self.criteria)


@dataclass(frozen=True)
class RunInfo:
    """Which config and inputs produced a result; every output names them."""

    config_source: str
    config_sha256: str
    inputs: tuple[str, ...]
