"""The schema of criteria and their parts — bands, scales, row weights, conditions,
recommendation rules — as pydantic models (validation only, no I/O)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..numbers import MAX_NUMBER
from .compiled import MAX_POINTS
from .levels import level_numbers

__all__ = [
    "Band",
    "Condition",
    "ConditionValue",
    "Criterion",
    "Decay",
    "Identifier",
    "NonNegative",
    "Number",
    "RecommendRule",
    "RowWeight",
    "Scale",
    "condition_kind",
]

Scalar = str | int | float | bool
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
# Numbers are strict (`true` and "40" are not numbers) and bounded, so no sum of them can
# overflow: weights and points up to a million, thresholds and band edges up to ±1e15.
NonNegative = Annotated[float, Strict(), Field(ge=0, le=MAX_POINTS, allow_inf_nan=False)]
Number = Annotated[float, Strict(), Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]


class _Model(BaseModel):
    # Schemas are built on first validation, not at import: a cached config needs none.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _keys_to_str(value: Any) -> Any:
    """YAML map keys may be numbers (`1: 2`); keep them as their text."""
    if isinstance(value, dict):
        return {_scalar_text(k): v for k, v in value.items()}
    return value


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value


class Band(_Model):
    """Values from `min` up to the next band's `min` get `points`."""

    min: Number = Field(
        description="The lowest value of this band (strictly above the previous band's)."
    )
    points: NonNegative = Field(
        description="The points of a value from `min` up to the next band's."
    )


class Scale(_Model):
    """Linear points between `min` and `max`, clamped outside."""

    min: Number = Field(
        description="Where the scale starts: at or below it 0 points (lower_is_better: all)."
    )
    max: Number = Field(
        description="Where it ends (above min): at or above it all points (lower_is_better: 0)."
    )
    points: NonNegative = Field(description="The points at the good end of the scale.")
    direction: Literal["higher_is_better", "lower_is_better"] = Field(
        default="higher_is_better",
        description="higher_is_better: more points for a higher value; lower_is_better: fewer.",
    )

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self


class Decay(_Model):
    """A requester's weight halves every `half_life` of age, its age taken from a date field."""

    field: str = Field(min_length=1, description="The date field a requester's age is read from.")
    half_life: Duration


class RowWeight(_Model):
    """How much one requester counts, by a field of theirs (e.g. a prospect counts half)."""

    field: str = Field(
        min_length=1, description="The requester's field looked up in map (e.g. stage)."
    )
    map: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="The field's value -> weight, matched like a criterion's map.",
    )
    default: NonNegative = Field(
        default=1.0, description="The weight of a blank value or one the map does not have."
    )
    decay: Decay | None = Field(
        default=None, description="Older requests count less: × 0.5 ** (age / half_life)."
    )

    _keys = field_validator("map", mode="before")(_keys_to_str)


DURATION = r"^\d{1,5}(\.\d{1,3})?\s?[dwy]$"
Duration = Annotated[
    str, Field(pattern=DURATION, description="A span of days: `90d`, `12w`, `1y` (365 days).")
]


class Condition(_Model):
    """A test on a field (or, in `recommend`, on the score or a criterion's points). A blank
    value fails every condition on it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    not_: Scalar | list[Scalar] | None = Field(
        default=None, alias="not", description="None of these values (any case)."
    )
    at_least: Number | None = Field(default=None, description="A number at least this.")
    below: Number | None = Field(default=None, description="A number below this.")
    within: Duration | None = Field(
        default=None, description="A date at most this old at `as_of` (e.g. 365d)."
    )
    after: date | None = Field(default=None, description="A date later than this day.")
    before: date | None = Field(default=None, description="A date earlier than this day.")

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        kinds = {self.kind_of(name) for name in self.given()}
        if not kinds:
            raise ValueError("give not, at_least/below, or within/after/before")
        if len(kinds) > 1:
            raise ValueError("mixes " + " and ".join(sorted(kinds)) + " tests; give one kind")
        return self

    def given(self) -> list[str]:
        return [
            name
            for name in ("not_", "at_least", "below", "within", "after", "before")
            if getattr(self, name) is not None
        ]

    @staticmethod
    def kind_of(name: str) -> str:
        if name in ("at_least", "below"):
            return "number"
        if name in ("within", "after", "before"):
            return "date"
        return "category"

    @property
    def kind(self) -> str:
        """category (not), number (at_least/below) or date (within/after/before)."""
        return self.kind_of(self.given()[0])


ConditionValue = Condition | Scalar | list[Scalar]


def condition_kind(condition: ConditionValue) -> str:
    """What a condition needs its field to be: category, number or date."""
    return condition.kind if isinstance(condition, Condition) else "category"


def _conditions(value: Any) -> Any:
    """Check `field: condition` mappings: a value, a list of values, or a test."""
    if isinstance(value, dict):
        for key, condition in value.items():
            if isinstance(condition, dict):
                try:
                    value[key] = Condition.model_validate(condition)
                except ValidationError as exc:
                    error = exc.errors()[0]
                    where = ".".join(str(step) for step in error["loc"])
                    reason = error["msg"].removeprefix("Value error, ")
                    raise ValueError(f"{key}: {where + ': ' if where else ''}{reason}") from None
                if key == "integration" and value[key].kind != "category":
                    raise ValueError(
                        "integration: an integration is a name: test it with a value, a list "
                        "of values or not (compared as canonical names, after keep and aliases)"
                    )
                continue
            items = condition if isinstance(condition, list) else [condition]
            if not items or not all(isinstance(v, Scalar) for v in items):
                raise ValueError(f"{key}: should be a value, a list of values, or a test")
    return value


class RecommendRule(_Model):
    """A build/buy/defer recommendation: `then` when every condition in `when` holds."""

    when: dict[str, ConditionValue] | None = Field(
        default=None,
        description="field: a value, a list of values (any case) or a test (not, at_least, "
        "below, within, after, before); score or a criterion id: {below: N} and/or "
        "{at_least: N} (points). No `when`: the default rule.",
    )
    then: str = Field(min_length=1, description="The recommendation, e.g. Build, Buy, Defer.")
    because: str = Field(default="", description="Why, in a sentence shown with it.")

    _conditions = field_validator("when", mode="before")(_conditions)


class Criterion(_Model):
    """One thing an integration is scored on."""

    id: Identifier = Field(description="Unique id (letters, digits, _); used in output.")
    label: str | None = Field(default=None, description="Name shown in tables.")
    description: str | None = Field(default=None, description="For people reading the config.")
    kind: Literal["value", "effort"] = Field(
        default="value", description="effort criteria form the effort axis of `matrix`."
    )
    field: str | None = Field(
        default=None, min_length=1, description="The input field (column) the value comes from."
    )
    aggregate: Literal["count", "sum", "mean", "min", "max", "value"] = Field(
        default="value",
        description="How requesters' values combine; `value` is an attribute of the "
        "integration itself (all rows must agree).",
    )
    row_weight: RowWeight | None = Field(
        default=None, description="With `count`: how much each requester counts."
    )
    where: dict[str, ConditionValue] | None = Field(
        default=None,
        description="Only requesters whose fields pass these conditions count (a value, a "
        "list of values, or a test: not, at_least, below, within, after, before).",
    )
    bands: list[Band] | None = Field(
        default=None, min_length=1, description="Ranges with strictly ascending `min`."
    )
    map: dict[str, NonNegative] | None = Field(
        default=None, min_length=1, description="Category -> points (case-insensitive)."
    )
    scale: Scale | None = Field(default=None, description="Linear points between min and max.")
    levels: dict[str, Number | str] | None = Field(
        default=None,
        min_length=1,
        description="Names that stand for numbers (high: 100%, low: 50%): a cell with one of "
        "these names reads as its number; any other cell must be a number.",
    )
    relative: bool = Field(
        default=False,
        description="Relative estimates (SAFe's WSJF): the smallest item is 1 and the others "
        "are sized against it; `check` warns (no-smallest-item) when no integration has 1.",
    )
    over: Literal["requesters", "requests"] = Field(
        default="requesters",
        description="sum, mean, min, max: over requesters (an account's rows are one "
        "requester, its latest values) or over every request (each row, or split part): "
        "e.g. the pipeline of all deals.",
    )
    missing: NonNegative | Literal["error"] = Field(
        default=0.0, description="Points when there is no value, or `error`."
    )
    weight: NonNegative = Field(default=1.0, description="Relative weight (>= 0).")

    _keys = field_validator("map", mode="before")(_keys_to_str)
    _level_names = field_validator("levels", mode="before")(_keys_to_str)

    @field_validator("levels")
    @classmethod
    def _levels_are_names_of_numbers(
        cls, levels: dict[str, float | str] | None
    ) -> dict[str, float | str] | None:
        return None if levels is None else dict(level_numbers(levels))

    _where = field_validator("where", mode="before")(_conditions)

    @field_validator("missing", mode="before")
    @classmethod
    def _missing(cls, value: Any) -> Any:
        if value == "error" or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        raise ValueError("should be a number of points or 'error'")

    @field_validator("bands")
    @classmethod
    def _ascending(cls, bands: list[Band] | None) -> list[Band] | None:
        if bands:
            for before, after in itertools.pairwise(bands):
                if after.min <= before.min:
                    raise ValueError(
                        f"band mins must be strictly ascending ({after.min:g} after {before.min:g})"
                    )
        return bands

    @model_validator(mode="after")
    def _shape(self, info: ValidationInfo) -> Criterion:
        given = [name for name in ("bands", "map", "scale") if getattr(self, name) is not None]
        # With a formula, a criterion may have no bands/map/scale: its points are its value.
        with_formula = bool((info.context or {}).get("formula"))
        if len(given) > 1 or (not given and not with_formula):
            raise ValueError(
                (
                    "give at most one of bands, map or scale"
                    if with_formula
                    else "give exactly one of bands, map or scale"
                )
                + (f" (found {', '.join(given)})" if given else "")
            )
        if self.aggregate != "count" and self.field is None:
            raise ValueError(f"aggregate '{self.aggregate}' needs a field")
        if self.row_weight is not None and self.aggregate != "count":
            raise ValueError("row_weight applies to aggregate 'count' only")
        if self.over == "requests" and self.aggregate not in ("sum", "mean", "min", "max"):
            raise ValueError(
                f"over: requests applies to sum, mean, min and max, not to '{self.aggregate}'"
            )
        if self.levels is not None and (self.map is not None or self.field is None):
            raise ValueError(
                "levels name the numbers of a field scored by bands, a scale or a formula"
                + ("; a map names its categories itself" if self.map is not None else "")
            )
        return self
