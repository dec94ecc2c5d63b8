"""What the engine returns: a ranking where every score can be explained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal

from ..problems import Finding

if TYPE_CHECKING:
    from ..model.compiled import Criterion
    from ..model.estimates import Combined

__all__ = [
    "Advice",
    "CountedRequesters",
    "CriterionScore",
    "EstimatedField",
    "Flag",
    "InputSummary",
    "RankedItem",
    "Ranking",
    "Requester",
    "RunInfo",
    "SeenValue",
    "TieRun",
    "Trace",
    "tie_runs",
    "tied_beyond",
]

Status = Literal["ok", "missing", "conflict", "unknown", "below"]
FlagKind = Literal["missing", "unknown", "conflict", "below", "formula"]


@dataclass(frozen=True, slots=True)
class Flag:
    """Something to know about an item's score: a criterion without a value (`missing`), a
    category not in the map (`unknown`), rows that disagree (`conflict`), a value below the
    first band (`below`), or a formula that failed (`formula`, with the reason)."""

    kind: FlagKind
    criterion: str | None = None
    reason: str | None = None

    @property
    def code(self) -> str:
        """The flag as the JSON and CSV outputs write it: `missing:difficulty`."""
        return f"{self.kind}:{self.reason if self.kind == 'formula' else self.criterion}"


@dataclass(frozen=True, slots=True)
class SeenValue:
    """One distinct value of an integration attribute, and where it was first seen."""

    value: Any
    file: str
    line: int
    points: float | None


@dataclass(frozen=True, slots=True)
class EstimatedField:
    """A field of an integration that estimates stand for: the estimators' values combined,
    and the data's own values it overrode (where they differ)."""

    combined: Combined
    overridden: tuple[SeenValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Trace:
    """How an aggregate came about: the requesters that counted and what each brought."""

    requesters: Sequence[Requester]  # in the criterion's segment (and with a value)
    amounts: Sequence[float] | None  # each one's value, or weight for `count`; None: 1 each
    weighed_by: Sequence[Any] | None = None  # `count` with row_weight: the key each matched


@dataclass(slots=True)
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
    trace: Trace | None = None  # for aggregates over requesters


class Requester(list):  # type: ignore[type-arg]
    """One account asking for one integration (all its rows merged; later values win).

    Underneath a list — [account, file, line, values, rows, repeat, blank, when] — so that the
    row pass makes one in C for each new requester (most rows of a big log); read by name."""

    __slots__ = ()

    # The positions (the row pass writes through them; everyone else reads by name).
    ACCOUNT, FILE, LINE, VALUES, ROWS, REPEAT, BLANK, WHEN = range(8)

    account: str | None = property(itemgetter(ACCOUNT))  # type: ignore[assignment]
    file: str = property(itemgetter(FILE))  # type: ignore[assignment]
    line: int = property(itemgetter(LINE))  # type: ignore[assignment]
    # aligned with Ranking.requester_fields (may run longer); a tuple from the plain loop
    # (`plain_rows`: one object per requester), a list once the pass changes it (`changeable`)
    values: Sequence[Any] = property(itemgetter(VALUES))  # type: ignore[assignment]
    rows: int = property(itemgetter(ROWS))  # type: ignore[assignment]
    # (file, line) of the first repeated row
    repeat: tuple[str, int] | None = property(itemgetter(REPEAT))  # type: ignore[assignment]
    # a row with a blank account: a requester of its own
    blank: bool = property(itemgetter(BLANK))  # type: ignore[assignment]
    # with latest_by: the date each value came from
    when: list[Any] | None = property(itemgetter(WHEN))  # type: ignore[assignment]

    @classmethod
    def of(
        cls, account: str | None, file: str, line: int, values: list[Any], blank: bool = False
    ) -> Requester:
        """A requester first seen on this row."""
        return cls((account, file, line, values, 1, None, blank, None))

    def changeable(self) -> list[Any]:
        """The values as a list the row pass may change in place (a tuple becomes one)."""
        values = self[Requester.VALUES]
        if values.__class__ is not list:
            values = self[Requester.VALUES] = list(values)
        return values

    def __repr__(self) -> str:
        return f"Requester({self.account!r}, {self.file!r}, line {self.line}, rows {self.rows})"

    def __eq__(self, other: object) -> bool:  # one requester is one object
        return self is other

    def __hash__(self) -> int:  # type: ignore[override]  # a list is not hashable; a requester is
        return id(self)


class CountedRequesters(Sequence[Requester]):
    """An integration's requesters as the DuckDB pass leaves them: counted, not listed. Only
    outputs that show a number of requesters (`rank` as a table, CSV or Markdown) get these;
    anything that would read them one by one fails loudly instead of seeing none."""

    __slots__ = ("_count",)

    def __init__(self, count: int):
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        raise TypeError("the DuckDB pass counts requesters without listing them")

    def __iter__(self) -> Any:
        raise TypeError("the DuckDB pass counts requesters without listing them")

    def __repr__(self) -> str:
        return f"CountedRequesters({self._count})"


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommendation rule that fired for an integration, and why."""

    label: str
    because: str
    rule: int  # 1-based position in `recommend:`
    reason: str  # which conditions held, e.g. "core is 'yes'"


@dataclass(slots=True)
class RankedItem:
    """One integration with its rank, score and full breakdown."""

    rank: int
    integration: str
    score: float | None
    criteria: dict[str, CriterionScore]
    requesters: Sequence[Requester]  # a tuple; CountedRequesters from the DuckDB pass
    flags: tuple[Flag, ...]
    file: str
    line: int
    spellings: tuple[tuple[str, int], ...] = ()  # (spelling, rows), most used first
    key: str = ""
    recommendation: Advice | None = None
    tiebreak: str | None = None  # the criterion that put it below an item of equal score
    tie_order: int = 0  # position by tiebreak keys, then name: the order among equal scores
    tie_group: int = 0  # equal for items the tiebreak cannot separate
    facts: Mapping[str, Any] = field(default_factory=dict)  # the fields `recommend` tests
    # The plan's integration attributes (build and upkeep hours): field -> distinct values
    attributes: Mapping[str, tuple[SeenValue, ...]] = field(default_factory=dict)
    estimates: Mapping[str, EstimatedField] = field(default_factory=dict)  # by field
    # criteria `over: requests`: every request, and the requester each belongs to
    requests: Sequence[Requester] = ()
    owners: Sequence[Requester] = ()

    def requester_count(self) -> int:
        return len(self.requesters)


@dataclass(frozen=True, slots=True)
class InputSummary:
    """One input file as read."""

    source: str
    format: str
    rows: int
    columns: tuple[str, ...]
    filtered: int = 0  # rows left out by the config's `filter`
    unnamed: int = 0  # rows with data that name no integration (not counted)
    # number columns read with the other decimal mark than the file's, as their values show:
    # (header, "," or ".", the text that showed it, its line)
    number_marks: tuple[tuple[str, str, str, int], ...] = ()


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

    denominator: float = 0.0  # Σ weight × max points: a score is 100 × Σ weight × points / it
    tiebreak: tuple[str, ...] = ()  # criterion ids that order equal scores
    warnings: tuple[Finding, ...] = ()  # for `check`: future dates, blank accounts, typos
    as_of: date | None = None  # the day ages were counted to
    dated: bool = False  # the config reads dates (latest_by, decay, date conditions)
    estimated: tuple[str, ...] | None = None  # the fields estimates stand for; None: no section
    # row-weight field -> each value -> (file, line) of the first row that has it
    value_rows: Mapping[str, Mapping[Any, tuple[str, int]]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)  # name key -> canonical name


@dataclass(frozen=True)
class RunInfo:
    """Which config and inputs produced a result; every output names them."""

    config_source: str
    config_sha256: str
    inputs: tuple[str, ...]
    as_of: date | None = None  # the day ages counted to


@dataclass(frozen=True, slots=True)
class TieRun:
    """Integrations with equal scores that the tiebreak put in order."""

    first: int  # the first and last rank of the run
    last: int
    score: float | None
    size: int


def tie_runs(ranking: Ranking, top: int | None = None) -> list[TieRun]:
    """Runs of equal scores that a tiebreak ordered, whole, for runs that begin among the
    first `top` items."""
    items = ranking.items
    limit = len(items) if top is None else min(top, len(items))
    runs: list[TieRun] = []
    start = 0
    for end in range(1, len(items) + 1):
        if start >= limit:
            break
        if end == len(items) or items[end].score != items[start].score:
            run = items[start:end]
            if len(run) > 1 and any(i.tiebreak for i in run):
                runs.append(TieRun(run[0].rank, run[-1].rank, run[0].score, len(run)))
            start = end
    return runs


def tied_beyond(ranking: Ranking, top: int | None) -> int:
    """How many items after the first `top` share the last shown rank (a cut inside a tie)."""
    items = ranking.items
    if top is None or top >= len(items) or top < 1:
        return 0
    last = items[top - 1].rank
    return sum(1 for item in items[top:] if item.rank == last)
