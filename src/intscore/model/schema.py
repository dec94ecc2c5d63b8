"""The scoring model of `scoring.yaml` as pydantic models. No file I/O: `config_loading`
reads, locates and validates files into these."""

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

from ..matching import name_key
from ..numbers import MAX_NUMBER
from ..problems import unknown_rules
from .compiled import MAX_POINTS, columns_problem
from .formula import FormulaError, compile_formula
from .levels import level_numbers

__all__ = [
    "ALL_KEYS",
    "Band",
    "CheckSettings",
    "ColumnSpec",
    "Condition",
    "ConditionValue",
    "Criterion",
    "Dates",
    "Decay",
    "RecommendRule",
    "RowWeight",
    "Scale",
    "ScoringConfig",
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
        if self.levels is not None and (self.map is not None or self.field is None):
            raise ValueError(
                "levels name the numbers of a field scored by bands, a scale or a formula"
                + ("; a map names its categories itself" if self.map is not None else "")
            )
        return self


class ColumnSpec(_Model):
    """Where a field is read, and how a cell holding several values is split."""

    column: str | list[str] = Field(description="A header, or headers: the first one a file has.")
    split: str | None = Field(
        default=None,
        min_length=1,
        max_length=3,
        description="Each part of the cell between these characters is one request.",
    )

    def headers(self) -> list[str]:
        return [self.column] if isinstance(self.column, str) else list(self.column)


ColumnEntry = str | list[str] | ColumnSpec


class Dates(_Model):
    """Date formats: ISO 8601 (2025-03-01, 2025-03-01T10:00:00Z) always, and these."""

    formats: list[str] = Field(
        default_factory=list, description='strftime patterns, e.g. "%m/%d/%Y".'
    )

    @field_validator("formats")
    @classmethod
    def _patterns(cls, formats: list[str]) -> list[str]:
        for pattern in formats:
            if "%" not in pattern or len(pattern) > 40:
                raise ValueError(f"'{pattern}' is not a date pattern like %m/%d/%Y")
        return formats


class CheckSettings(_Model):
    """How `intscore check` treats this backlog: rules left out, levels changed."""

    ignore: list[str] = Field(
        default_factory=list, description="Rule ids not reported (intscore check --rules)."
    )
    severity: dict[str, Literal["error", "warning"]] = Field(
        default_factory=dict, description="Rule id -> error or warning, instead of its default."
    )

    @model_validator(mode="after")
    def _known_rules(self) -> CheckSettings:
        message = unknown_rules([*self.ignore, *self.severity])
        if message:
            raise ValueError(message)
        return self


class ScoringConfig(_Model):
    """The whole scoring model: which columns to read, criteria, weights."""

    version: Literal[1] = Field(default=1, description="The format version: always 1.")
    columns: dict[str, ColumnEntry] = Field(
        default_factory=dict,
        description="Logical field -> the column header in the input files: a header, a list "
        "of headers (the first one a file has), or {column, split}.",
    )
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="Canonical integration name -> other spellings."
    )
    criteria: list[Criterion] = Field(
        min_length=1, description="What an integration is scored on; at least one."
    )
    formula: str | None = Field(
        default=None,
        description="Score with this expression over criterion ids (their points) instead of "
        "the weighted sum: numbers, + - * / **, parentheses, min max log sqrt abs.",
    )
    recommend: list[RecommendRule] | None = Field(
        default=None,
        description="Ordered build/buy/defer rules; the first whose `when` holds wins.",
    )
    dates: Dates = Field(
        default_factory=lambda: Dates(), description="How to read dates besides ISO 8601."
    )
    as_of: date | None = Field(
        default=None,
        description="The day ages are counted to (default: the day of the run; --as-of).",
    )
    latest_by: str | None = Field(
        default=None,
        min_length=1,
        description="A date field: an account's values come from its latest row by it.",
    )
    filter: dict[str, ConditionValue] | None = Field(
        default=None, description="Rows kept before anything else: field -> condition."
    )
    check: CheckSettings = Field(
        default_factory=lambda: CheckSettings(),
        description="`intscore check`: rules to ignore, levels to change.",
    )
    tiebreak: list[Identifier] = Field(
        default_factory=list,
        description="Criterion ids that order integrations with equal scores, by raw value in "
        "the direction that earns points; then by name.",
    )
    _filter = field_validator("filter", mode="before")(_conditions)

    @field_validator("tiebreak")
    @classmethod
    def _tiebreak_names_criteria(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        criteria = info.data.get("criteria")
        if criteria is None:
            return ids
        known = [c.id for c in criteria]
        for cid in ids:
            if cid not in known:
                raise ValueError(f"'{cid}' is not a criterion id ({', '.join(known)})")
        if len(set(ids)) != len(ids):
            raise ValueError("a criterion is named twice")
        return ids

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for c in criteria:
            if c.id in seen:
                raise ValueError(f"criterion id '{c.id}' is used twice")
            seen.add(c.id)
        return criteria

    @field_validator("criteria")
    @classmethod
    def _levels_agree(cls, criteria: list[Criterion]) -> list[Criterion]:
        """A field's cells are read one way: criteria reading one field give the same levels
        (or none)."""
        reader: dict[str, Criterion] = {}
        for c in criteria:
            other = reader.setdefault(c.field, c) if c.field else c
            if other.levels != c.levels:
                raise ValueError(
                    f"'{other.id}' and '{c.id}' read '{c.field}' with different levels; "
                    "give both the same levels"
                )
        return criteria

    @field_validator("formula")
    @classmethod
    def _formula_compiles(cls, text: str | None, info: ValidationInfo) -> str | None:
        criteria = info.data.get("criteria")
        if text is not None and criteria is not None:
            try:
                compile_formula(text, {c.id for c in criteria})
            except FormulaError as exc:
                raise ValueError(str(exc)) from None
        return text

    @field_validator("recommend")
    @classmethod
    def _rules_refer_to_known_names(
        cls, rules: list[RecommendRule] | None, info: ValidationInfo
    ) -> list[RecommendRule] | None:
        criteria = info.data.get("criteria")
        if not rules or criteria is None:
            return rules
        ids = {c.id for c in criteria}
        for n, r in enumerate(rules):
            if r.when is None and n != len(rules) - 1:
                raise ValueError(
                    f"rule {n + 1} has no `when`, so the rules after it can never apply; "
                    "only the last rule may be the default"
                )
            for key, condition in (r.when or {}).items():
                is_points = key == "score" or key in ids
                if is_points and condition_kind(condition) != "number":
                    raise ValueError(
                        f"rule {n + 1}: '{key}' is the score or a criterion's points: test it "
                        "with below and/or at_least"
                    )
        return rules

    @field_validator("aliases", mode="before")
    @classmethod
    def _alias_lists(cls, value: Any) -> Any:
        """`Salesforce: SFDC` is short for `Salesforce: [SFDC]`."""
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_are_a_plain_mapping(cls, aliases: dict[str, list[str]]) -> dict[str, list[str]]:
        """Each spelling leads to one canonical name, which is nobody's spelling: no cycles,
        no chains, no name listed twice."""
        canonical: dict[str, str] = {}
        for name in aliases:
            key = name_key(name)
            if key in canonical:
                raise ValueError(f"'{canonical[key]}' and '{name}' are the same name")
            canonical[key] = name
        owner: dict[str, str] = {}
        for name, spellings in aliases.items():
            for spelling in spellings:
                key = name_key(spelling)
                if key == name_key(name):
                    raise ValueError(
                        f"'{spelling}' under '{name}' is the name itself "
                        "(names already match ignoring case and spacing)"
                    )
                if key in canonical:
                    raise ValueError(
                        f"'{spelling}' is a spelling of '{name}' and a canonical name itself; "
                        "list every spelling under one name"
                    )
                if key in owner and owner[key] != name:
                    raise ValueError(f"'{spelling}' is listed under '{owner[key]}' and '{name}'")
                owner[key] = name
        return aliases

    @field_validator("columns")
    @classmethod
    def _one_field_per_column(cls, columns: dict[str, Any]) -> dict[str, Any]:
        """Two fields reading one column would count the same cell twice."""
        problem = columns_problem(
            {
                name: (entry.headers(), entry.split)
                if isinstance(entry, ColumnSpec)
                else ([entry] if isinstance(entry, str) else entry, None)
                for name, entry in columns.items()
            }
        )
        if problem:
            raise ValueError(problem)
        return columns


ALL_KEYS = sorted(
    {
        name
        for model in (
            Band,
            Scale,
            RowWeight,
            Decay,
            Condition,
            RecommendRule,
            Criterion,
            ColumnSpec,
            Dates,
            CheckSettings,
            ScoringConfig,
        )
        for name in model.model_fields
    }
)
