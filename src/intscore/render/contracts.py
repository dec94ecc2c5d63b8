"""The contracts of the JSON documents intscore writes, as pydantic models, every field
described: docs/json-contracts.md and docs/json-schemas/ are generated from them, and a test
validates every `-f json` output against them. The documents themselves are built as plain
data by `engine.documents` and `analyses.documents`: no model per row, no pydantic at run
time."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel

__all__ = [
    "CategoriesDocument",
    "CategoryOut",
    "ConfigRef",
    "CriterionDef",
    "CriterionOut",
    "DiffDocument",
    "DiffItemOut",
    "DiffSide",
    "EstimateOut",
    "EstimateValueOut",
    "ExplainedCriterion",
    "ExplanationDocument",
    "FindingOut",
    "FindingsDocument",
    "GreedyOut",
    "InputRef",
    "ItemOut",
    "LeftOutOut",
    "LossOut",
    "MatrixDocument",
    "NextUp",
    "PlacementOut",
    "PlanDocument",
    "PlannedOut",
    "PurchaseOut",
    "RankingDocument",
    "Recommendation",
    "RuleOut",
    "RulesDocument",
    "SensitivityDocument",
    "ShareOut",
    "Shown",
    "Side",
    "SizeOut",
    "StabilityOut",
    "StepOut",
    "Summary",
    "TieOut",
    "TopOut",
    "VaryOut",
    "VersusCriterion",
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


AS_OF = "The day ages were counted to (ISO 8601), or null."
FORMULA = "The config's `formula:`; null when the score is the weighted sum."


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


Rounded = Annotated[float | None, AfterValidator(_round)]  # no float noise in contributions


class ConfigRef(_Part):
    """The config a result was computed with."""

    source: str = Field(description="Its path as given, or `built-in default`.")
    sha256: str = Field(description="The SHA-256 of its text (hex): which version it was.")


# --- rank -----------------------------------------------------------------------------------------


class InputRef(_Part):
    """One input file as read."""

    file: str = Field(description="Its path as given (`<stdin>` for -).")
    format: str = Field(description="How it was read: csv, tsv, yaml, json, ...")
    rows: int = Field(description="Data rows that are requests (the header not counted).")
    filtered: int = Field(description="Rows the config's `filter` left out.")
    unnamed: int = Field(
        description="Rows with data that name no integration (a blank cell, or no part kept "
        "by `keep`): not counted."
    )


class CriterionDef(_Part):
    """A criterion of the config, in its order."""

    id: str = Field(description="The criterion's id: the key of each item's `criteria`.")
    label: str = Field(description="Its name in tables (the id when it has no label).")
    kind: Literal["value", "effort"] = Field(description="`effort` criteria form the effort axis.")
    weight: float = Field(description="Its weight in the weighted sum.")
    max_points: float = Field(description="The most points it can give.")


VALUE = "The raw value: requesters counted, a sum, an attribute; null when none."
ESTIMATE_VALUE = "The estimate as read: a number (a duration in hours), a map's key, a category."
AGREEMENT = (
    "The spread against the `disagree` threshold T: high up to T/2, medium up to T, low above "
    "(`estimates-disagree`); without T: high if all agree, else medium (categories: low)."
)
ESTIMATES = (
    "With an `estimates:` section, each field estimates stand for (none nobody estimated); "
    "null without one."
)
CONTRIBUTION = (
    "Score points from this criterion: 100 × weight × points / Σ(weight × max points); "
    "an item's contributions add up to its score. Null when a formula scores."
)
BAND = "The band or map entry the value fell in (e.g. `≥ 500,000`); null without one."
STATUS = (
    "ok, missing (no value), unknown (not in the map), conflict (rows disagree) or "
    "below (below the first band)."
)


class CriterionOut(_Part):
    """One criterion's part of an integration's score."""

    value: Value = Field(description=VALUE)
    points: float = Field(description="The points the value earns.")
    max_points: float = Field(description="The most points the criterion can give.")
    weight: float = Field(description="The criterion's weight.")
    contribution: Rounded = Field(description=CONTRIBUTION)
    band: str | None = Field(description=BAND)
    status: str = Field(description=STATUS)


class Recommendation(_Part):
    """The `recommend` rule that applies: the first whose conditions all hold."""

    label: str = Field(description="The rule's `then`, e.g. Build in-house, Buy, Defer.")
    because: str = Field(description="The rule's `because`.")
    rule: int = Field(description="The rule's position in `recommend:`, from 1.")
    reason: str = Field(description="Which conditions held, e.g. `core is 'yes'`.")


SCORE = "0 to 100 (a formula's value with `formula:`); null when it cannot be computed."
FLAGS = (
    "`kind:criterion` for each criterion whose value is missing, unknown, conflicting or "
    "below the first band, and `formula:reason` when a formula failed."
)
RECOMMENDATION = "The recommendation; null without `recommend:` rules or when none applies."
TIEBREAK = (
    "The tiebreak criterion that put it below an item of equal score; null when it was not "
    "tiebroken."
)


class EstimateValueOut(_Part):
    """One estimator's value."""

    estimator: str = Field(description="The estimator (`estimator:`, else the file's name).")
    file: str = Field(description="The estimator's file.")
    line: int = Field(description="The estimate's line in it.")
    value: Value = Field(description=ESTIMATE_VALUE)


class EstimateOut(_Part):
    """A field that estimates stand for: the estimators' values, combined."""

    combined: Value = Field(description="The combined value: the integration's attribute.")
    min: Value = Field(description="The smallest estimate; null for categories with no order.")
    max: Value = Field(description="The largest estimate; null for categories with no order.")
    n: int = Field(description="How many estimates were combined.")
    agreement: Literal["high", "medium", "low"] = Field(description=AGREEMENT)
    spread: float = Field(description="max - min (steps of a map whose keys are not numbers).")
    threshold: float | None = Field(description="The `disagree` threshold here, or null.")
    estimates: list[EstimateValueOut] = Field(description="Each estimator's value, by file.")


class ItemOut(_Part):
    """One integration of the ranking."""

    rank: int = Field(
        description="Its rank from 1; equal scores the tiebreak cannot part share one."
    )
    integration: str = Field(description="The name as shown (an alias's canonical name).")
    score: float | None = Field(description=SCORE)
    requesters: int = Field(description="Distinct requesters (accounts, or rows without one).")
    accounts: list[str] = Field(description="The requesting accounts, sorted by name.")
    criteria: dict[str, CriterionOut] = Field(description="Each criterion by id.")
    flags: list[str] = Field(description=FLAGS)
    recommendation: Recommendation | None = Field(default=None, description=RECOMMENDATION)
    tiebreak: str | None = Field(default=None, description=TIEBREAK)
    estimates: dict[str, EstimateOut] | None = Field(description=ESTIMATES)


class Shown(_Part):
    """What `--top` left out."""

    shown: int = Field(description="Items in `ranking`.")
    total: int = Field(description="Items in the whole ranking.")
    tied_beyond: int = Field(description="Items not shown that share the last shown rank.")


class RankingDocument(_Document):
    """`rank -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    formula: str | None = Field(default=None, description=FORMULA)
    tiebreak: list[str] = Field(description="The criterion ids that order equal scores.")
    inputs: list[InputRef] = Field(description="The input files, in order.")
    criteria: list[CriterionDef] = Field(description="The config's criteria, in order.")
    ranking: list[ItemOut] = Field(description="The integrations, best first.")
    top: Shown | None = Field(default=None, description="With --top: what was left out; else null.")


# --- explain --------------------------------------------------------------------------------------


class ExplainedCriterion(_Part):
    """One criterion of the integration, in words and numbers."""

    value: Value = Field(description=VALUE)
    how: str = Field(
        description="How the value came about, e.g. `1.5 requesters = 1 customer × 1 + "
        "1 prospect × 0.5`."
    )
    band: str | None = Field(description=BAND)
    points: float = Field(description="The points the value earns.")
    max_points: float = Field(description="The most points the criterion can give.")
    weight: float = Field(description="The criterion's weight.")
    contribution: Rounded = Field(description=CONTRIBUTION)
    status: str = Field(description=STATUS)


class StepOut(_Part):
    """What one criterion would need to lift the integration towards the one above."""

    criterion: str = Field(description="The criterion's id.")
    needs: str = Field(description="The value it would need, e.g. `Demand ≥ 10 (now 3.5)`.")
    gain: float = Field(description="The score points that would add.")
    closes: bool = Field(description="Whether that alone closes the gap.")


class NextUp(_Part):
    """The integration ranked just above, and what would close the gap to it."""

    integration: str = Field(description="Its name.")
    rank: int = Field(description="Its rank.")
    score: float | None = Field(description="Its score.")
    gap: float = Field(description="Its score minus this one's.")
    steps: list[StepOut] = Field(
        description="What each criterion would need to lift it towards the one above."
    )


class TieOut(_Part):
    """An equal score the tiebreak decided."""

    above: str = Field(description="The integration placed above.")
    below: str = Field(description="The integration placed below.")
    criterion: str = Field(description="The tiebreak criterion that decided it.")


class LossOut(_Part):
    """The requester whose loss would cost the integration the most."""

    requester: str = Field(description="The account, or `line N` for one without an account.")
    score: float = Field(description="The score without it.")
    rank: int = Field(description="The rank without it.")


class ExplanationDocument(_Document):
    """`explain NAME -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank.")
    score: float | None = Field(description=SCORE)
    tiebreak: str | None = Field(description=TIEBREAK)
    criteria: dict[str, ExplainedCriterion] = Field(description="Each criterion by id.")
    accounts: list[str] = Field(description="The requesting accounts, sorted by name.")
    recommendation: Recommendation | None = Field(description=RECOMMENDATION)
    flags: list[str] = Field(description=FLAGS)
    estimates: dict[str, EstimateOut] | None = Field(
        description="Its estimates as in `rank -f json`; null when nobody estimated it."
    )
    ties: list[TieOut] = Field(description="Equal scores around it that the tiebreak ordered.")
    costliest_requester: LossOut | None = Field(
        description="The requester whose loss would cost the most score, or null."
    )
    next_up: NextUp | None = Field(
        description="The nearest integration above it that scores more (of the lowest score "
        "above its own, the one ranked last); null when none scores more."
    )


class Side(_Part):
    """One of the two integrations compared."""

    integration: str = Field(description="Its name.")
    rank: int = Field(description="Its rank.")
    score: float | None = Field(description=SCORE)


class VersusCriterion(_Part):
    """One criterion, side by side."""

    a_points: float = Field(description="a's points.")
    b_points: float = Field(description="b's points.")
    weight: float = Field(description="The criterion's weight.")
    difference: Rounded = Field(
        description="a's contribution minus b's, in score points; null when a formula scores."
    )


class VersusDocument(_Document):
    """`explain NAME --vs OTHER -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    a: Side = Field(description="The integration named first (NAME).")
    b: Side = Field(description="The one named by --vs.")
    difference: float = Field(description="a's score minus b's.")
    criteria: dict[str, VersusCriterion] = Field(description="Each criterion by id.")


# --- check ----------------------------------------------------------------------------------------


class FindingOut(_Part):
    """One problem found."""

    file: str = Field(description="The file it is in (an input, the config, or --expect).")
    line: int | None = Field(description="Its line from 1; null when it is about the whole file.")
    severity: str = Field(description="error or warning.")
    rule: str = Field(description="The rule id (docs/check-rules.md).")
    field: str | None = Field(description="The field or config key it is about, or null.")
    message: str = Field(description="What is wrong, in words.")


class Summary(_Part):
    """How many findings of each level."""

    errors: int = Field(description="Error-level findings (check exits 1 with any).")
    warnings: int = Field(description="Warnings (check exits 1 with any under --strict).")


class FindingsDocument(_Document):
    """`check -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef | None = Field(
        description="The config the data were checked with; null when none could load."
    )
    as_of: str | None = Field(description=AS_OF)
    inputs: list[InputRef] = Field(description="The input files read as data.")
    linted_configs: list[str] = Field(
        description="Inputs that are scoring models, checked as such."
    )
    findings: list[FindingOut] = Field(description="Every finding, by file and line.")
    summary: Summary = Field(description="The count of findings by level.")


class RuleOut(_Part):
    """One check rule."""

    id: str = Field(description="The rule id (for `check: ignore` and `severity`).")
    severity: str = Field(description="Its default level: error or warning.")
    summary: str = Field(description="What it finds, in one line.")


class RulesDocument(RootModel[list[RuleOut]]):
    """`check --rules -f json`."""

    root: list[RuleOut] = Field(description="Every rule, in the order `check` runs them.")

    def text(self) -> str:
        """The document as indented JSON with one trailing newline."""
        return self.model_dump_json(indent=2) + "\n"


# --- diff, sensitivity, matrix, plan (modules of their own, re-exported here) -------------------

from .contracts_analyses import (  # noqa: E402
    DiffDocument,
    DiffItemOut,
    DiffSide,
    MatrixDocument,
    PlacementOut,
    SensitivityDocument,
    StabilityOut,
)
from .contracts_plan import (  # noqa: E402
    CategoriesDocument,
    CategoryOut,
    GreedyOut,
    LeftOutOut,
    PlanDocument,
    PlannedOut,
    PurchaseOut,
    ShareOut,
    SizeOut,
    TopOut,
    VaryOut,
)
