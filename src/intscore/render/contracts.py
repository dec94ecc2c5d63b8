"""The contracts of the JSON documents intscore writes, as pydantic models: their JSON Schemas
are the reference (docs/json-contracts.md is generated from them) and the tests validate every
`-f json` output against them. The documents themselves are built as plain data by
`engine.documents` and `analyses.documents`: no model per row, no pydantic at run time."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel

__all__ = [
    "DiffDocument",
    "ExplanationDocument",
    "FindingsDocument",
    "MatrixDocument",
    "RankingDocument",
    "RulesDocument",
    "SensitivityDocument",
    "VersusDocument",
]

Value = float | str | bool | None


class _Part(BaseModel):
    # Built from the core's dataclasses where the names agree: `Model.model_validate(obj)`.
    model_config = ConfigDict(ser_json_inf_nan="null", from_attributes=True)


class _Document(_Part):
    def text(self) -> str:
        """The document as indented JSON with one trailing newline."""
        return self.model_dump_json(indent=2) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


Rounded = Annotated[float | None, AfterValidator(_round)]  # no float noise in contributions


class ConfigRef(_Part):
    source: str
    sha256: str


# --- rank ---------------------------------------------------------------------------------------


class InputRef(_Part):
    file: str
    format: str
    rows: int
    filtered: int  # rows left out by the config's filter


class CriterionDef(_Part):
    id: str
    label: str
    kind: Literal["value", "effort"]
    weight: float
    max_points: float


class CriterionOut(_Part):
    value: Value
    points: float
    max_points: float
    weight: float
    contribution: Rounded  # None when a formula scores
    band: str | None
    status: str


class Recommendation(_Part):
    label: str
    because: str
    rule: int
    reason: str


class ItemOut(_Part):
    rank: int
    integration: str
    score: float | None
    requesters: int
    accounts: list[str]
    criteria: dict[str, CriterionOut]
    flags: list[str]
    recommendation: Recommendation | None = None
    tiebreak: str | None = None  # the criterion that put it below an item of equal score


class Shown(_Part):
    """What `--top` left out."""

    shown: int
    total: int
    tied_beyond: int  # items not shown that share the last shown rank


class RankingDocument(_Document):
    """`rank -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None  # the day ages were counted to (ISO 8601)
    formula: str | None = None
    tiebreak: list[str]
    inputs: list[InputRef]
    criteria: list[CriterionDef]
    ranking: list[ItemOut]
    top: Shown | None = None  # with --top


# --- explain ------------------------------------------------------------------------------------


class ExplainedCriterion(_Part):
    value: Value
    how: str
    band: str | None
    points: float
    max_points: float
    weight: float
    contribution: Rounded
    status: str


class StepOut(_Part):
    criterion: str
    needs: str
    gain: float
    closes: bool


class NextUp(_Part):
    integration: str
    rank: int
    score: float | None
    gap: float
    steps: list[StepOut]


class TieOut(_Part):
    above: str
    below: str
    criterion: str


class LossOut(_Part):
    requester: str
    score: float
    rank: int


class ExplanationDocument(_Document):
    """`explain NAME -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    integration: str
    rank: int
    score: float | None
    tiebreak: str | None
    criteria: dict[str, ExplainedCriterion]
    accounts: list[str]
    recommendation: Recommendation | None
    flags: list[str]
    ties: list[TieOut]
    costliest_requester: LossOut | None
    next_up: NextUp | None


class Side(_Part):
    integration: str
    rank: int
    score: float | None


class VersusCriterion(_Part):
    a_points: float
    b_points: float
    weight: float
    difference: Rounded


class VersusDocument(_Document):
    """`explain NAME --vs OTHER -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    a: Side
    b: Side
    difference: float
    criteria: dict[str, VersusCriterion]


# --- diff ---------------------------------------------------------------------------------------


class DiffSide(_Part):
    config: str
    sha256: str
    inputs: list[str]
    as_of: str | None


class DiffItemOut(_Part):
    integration: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    changed: list[str]
    why: list[str]


class DiffDocument(_Document):
    """`diff -f json`."""

    version: Literal[1] = 1
    base: DiffSide
    head: DiffSide
    top: int
    config_changes: list[str]
    entered_top: list[str]
    left_top: list[str]
    moved_outside_top: int  # changed rank outside the top N on both sides
    items: list[DiffItemOut]


# --- sensitivity and matrix ---------------------------------------------------------------------


class StabilityOut(_Part):
    integration: str
    rank: int
    score: float | None
    median_rank: float
    rank_p5: int
    rank_p95: int
    top_share: float
    unstable: bool


class SensitivityDocument(_Document):
    """`sensitivity -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    vary: Literal["weights", "data", "both"]
    runs: int
    spread: float
    resamples: int | None  # bootstrap resamples per integration; null when the data stay
    top: int
    seed: int
    items: list[StabilityOut]


class PlacementOut(_Part):
    integration: str
    rank: int
    score: float | None
    value: float
    effort: float
    quadrant: str


class MatrixDocument(_Document):
    """`matrix -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    value_split: float
    effort_split: float
    items: list[PlacementOut]


# --- check --------------------------------------------------------------------------------------


class FindingOut(_Part):
    file: str
    line: int | None
    severity: str
    rule: str
    field: str | None
    message: str


class Summary(_Part):
    errors: int
    warnings: int


class FindingsDocument(_Document):
    """`check -f json`."""

    version: Literal[1] = 1
    config: ConfigRef | None  # the config the data were checked with (null: none could load)
    as_of: str | None
    inputs: list[InputRef]
    linted_configs: list[str]  # inputs that are scoring models, checked as such
    findings: list[FindingOut]
    summary: Summary


class RuleOut(_Part):
    id: str
    severity: str
    summary: str


class RulesDocument(RootModel[list[RuleOut]]):
    """`check --rules -f json`."""

    def text(self) -> str:
        """The document as indented JSON with one trailing newline."""
        return self.model_dump_json(indent=2) + "\n"
