"""What a row pass hands to scoring: each integration's requesters (listed by the Python pass,
counted by the DuckDB pass), attributes, facts and spellings, and the problems on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.aggregates import Counted
from ..model.compiled import Model
from ..problems import BLANK_ACCOUNT, Finding
from .ranking import CountedRequesters, InputSummary, Requester, SeenValue

__all__ = ["Group", "Grouped", "Summary", "blank_account", "shown_name"]


@dataclass(frozen=True, slots=True)
class Summary:
    """An integration's requesters as the DuckDB pass counts them: how many, and per criterion
    over requesters what its aggregate needs."""

    requesters: CountedRequesters
    counted: dict[int, Counted]  # by the criterion's index in the model


class Group:
    """One integration's rows: requesters, attributes, facts for the rules, and spellings;
    with criteria `over: requests`, every request (a row, or a split part) and the requester
    it belongs to. From the DuckDB pass, `summary` stands in for the requesters."""

    __slots__ = (
        "attributes",
        "facts",
        "file",
        "line",
        "noted",
        "owners",
        "requesters",
        "requests",
        "spellings",
        "summary",
    )

    def __init__(self, file: str, line: int, n_attributes: int):
        self.file = file
        self.line = line
        self.facts: dict[str, Any] = {}
        self.spellings: dict[str, int] = {}
        self.requesters: dict[Any, Requester] = {}
        self.attributes: list[dict[Any, SeenValue]] = [{} for _ in range(n_attributes)]
        self.summary: Summary | None = None
        self.requests: list[Requester] = []  # one per request, its own values
        self.owners: list[Requester] = []  # the requester of each request
        self.noted: Any = None  # the Python pass's plain loop: the attribute value last noted


@dataclass
class Grouped:
    """What a row pass found: integrations by group key, and the problems on the way."""

    groups: dict[str, Group]
    errors: list[Finding]
    inputs: list[InputSummary]
    found_fields: set[str] = field(default_factory=set)
    first_source: str | None = None
    has_account: bool = False
    warnings: list[Finding] = field(default_factory=list)  # for `check`; ranking goes on
    # row-weight field -> each value -> (file, line) of the first row that has it
    value_rows: dict[str, dict[Any, tuple[str, int]]] = field(default_factory=dict)
    header_line: int = 1  # the first input's header line (below any title rows)


def shown_name(group: Group, canonical: str | None = None) -> str:
    """The alias's canonical name, else the most frequent spelling (first seen on a tie)."""
    if canonical:
        return canonical
    if len(group.spellings) == 1:
        return next(iter(group.spellings))
    return max(group.spellings.items(), key=lambda kv: kv[1])[0]  # max keeps the first on a tie


def blank_account(model: Model, key: str, group: Group, file: str, line: int) -> Finding:
    """The warning for a row with a blank account, counted as a requester of its own."""
    name = shown_name(group, model.alias_keys.get(key))
    return Finding(
        file,
        line,
        BLANK_ACCOUNT,
        f"no account: counted as a requester of its own for '{name}'",
        model.column_for("account"),
        "warning",
    )
