"""The scoring model of `scoring.yaml` as pydantic models. No file I/O: `config_loading`
reads, locates and validates files into these."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .formula import Formula, FormulaError, compile_formula
from .matching import name_key
from .numbers import MAX_NUMBER
from .rows import normalize_header
from .scorers import Bands, CategoryMap, RawValue, Scorer
from .scorers import Scale as LinearScale

__all__ = [
    "ALL_KEYS",
    "Band",
    "Criterion",
    "RecommendRule",
    "RowWeight",
    "Scale",
    "ScoringConfig",
    "Threshold",
    "weighted_maximum",
]

Scalar = str | int | float | bool
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
# Numbers are strict (`true` and "40" are not numbers) and bounded, so no sum of them can
# overflow: weights and points up to a million, thresholds and band edges up to ±1e15.
MAX_POINTS = 1e6
NonNegative = Annotated[float, Strict(), Field(ge=0, le=MAX_POINTS, allow_inf_nan=False)]
Number = Annotated[float, Strict(), Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    min: Number
    points: NonNegative


class Scale(_Model):
    """Linear points between `min` and `max`, clamped outside."""

    min: Number
    max: Number
    points: NonNegative
    direction: Literal["higher_is_better", "lower_is_better"] = "higher_is_better"

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self


class RowWeight(_Model):
    """How much one requester counts, by a field of theirs (e.g. a prospect counts half)."""

    field: str = Field(min_length=1)
    map: dict[str, NonNegative]
    default: NonNegative = 1.0

    _keys = field_validator("map", mode="before")(_keys_to_str)


class Threshold(_Model):
    """A condition on the score or a criterion's points."""

    below: Number | None = None
    at_least: Number | None = None

    @model_validator(mode="after")
    def _something(self) -> Threshold:
        if self.below is None and self.at_least is None:
            raise ValueError("give below and/or at_least")
        return self

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.below is None or value < self.below) and (
            self.at_least is None or value >= self.at_least
        )


class RecommendRule(_Model):
    """A build/buy/defer recommendation: `then` when every condition in `when` holds."""

    when: dict[str, Threshold | Scalar | list[Scalar]] | None = Field(
        default=None,
        description="field: value or list of values (any case); score or a criterion id: "
        "{below: N} and/or {at_least: N} (points). No `when`: the default rule.",
    )
    then: str = Field(min_length=1)
    because: str = ""

    @field_validator("when", mode="before")
    @classmethod
    def _conditions(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, condition in value.items():
                if isinstance(condition, dict):
                    try:
                        value[key] = Threshold.model_validate(condition)
                    except ValidationError as exc:
                        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
                        raise ValueError(f"{key}: {reason}") from None
                    continue
                items = condition if isinstance(condition, list) else [condition]
                if not items or not all(isinstance(v, Scalar) for v in items):
                    raise ValueError(
                        f"{key}: should be a value, a list of values, or below/at_least"
                    )
        return value


class Criterion(_Model):
    """One thing an integration is scored on."""

    id: Identifier = Field(description="Unique id (letters, digits, _); used in output.")
    label: str | None = Field(default=None, description="Name shown in tables.")
    description: str | None = None
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
    where: dict[str, Scalar | list[Scalar]] | None = Field(
        default=None, description="Only requesters whose fields have these values count."
    )
    bands: list[Band] | None = Field(
        default=None, min_length=1, description="Ranges with strictly ascending `min`."
    )
    map: dict[str, NonNegative] | None = Field(
        default=None, min_length=1, description="Category -> points (case-insensitive)."
    )
    scale: Scale | None = Field(default=None, description="Linear points between min and max.")
    missing: NonNegative | Literal["error"] = Field(
        default=0.0, description="Points when there is no value, or `error`."
    )
    weight: NonNegative = Field(default=1.0, description="Relative weight (>= 0).")

    _keys = field_validator("map", mode="before")(_keys_to_str)
    _scorer: Scorer | None = PrivateAttr(default=None)

    @property
    def scorer(self) -> Scorer:
        """What turns this criterion's raw values into points (built once)."""
        if self._scorer is None:
            if self.bands is not None:
                self._scorer = Bands([(b.min, b.points) for b in self.bands])
            elif self.map is not None:
                self._scorer = CategoryMap(self.map)
            elif self.scale is not None:
                s = self.scale
                lower = s.direction == "lower_is_better"
                self._scorer = LinearScale(s.min, s.max, s.points, lower)
            else:
                self._scorer = RawValue()
        return self._scorer

    @field_validator("where", mode="before")
    @classmethod
    def _where(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, allowed in value.items():
                items = allowed if isinstance(allowed, list) else [allowed]
                if not items or not all(isinstance(v, Scalar) for v in items):
                    raise ValueError(f"{key}: should be a value or a list of values")
        return value

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
        if isinstance(self.missing, float) and given and self.missing > self.max_points:
            raise ValueError(
                f"missing ({self.missing:g}) is more than the largest points ({self.max_points:g})"
            )
        return self

    @property
    def max_points(self) -> float:
        """The most points this criterion can give."""
        return self.scorer.max_points

    @property
    def title(self) -> str:
        return self.label or self.id


class ScoringConfig(_Model):
    """The whole scoring model: which columns to read, criteria, weights."""

    version: Literal[1] = 1
    columns: dict[str, str] = Field(
        default_factory=dict, description="Logical field -> column header in the input files."
    )
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="Canonical integration name -> other spellings."
    )
    criteria: list[Criterion] = Field(min_length=1)
    formula: str | None = Field(
        default=None,
        description="Score with this expression over criterion ids (their points) instead of "
        "the weighted sum: numbers, + - * / **, parentheses, min max log sqrt abs.",
    )
    recommend: list[RecommendRule] | None = Field(
        default=None,
        description="Ordered build/buy/defer rules; the first whose `when` holds wins.",
    )
    tiebreak: list[Identifier] = Field(
        default_factory=list,
        description="Criterion ids that order integrations with equal scores, by raw value in "
        "the direction that earns points; then by name.",
    )
    _formula: Formula | None = PrivateAttr(default=None)

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
        probe = ScoringConfig.model_construct(
            columns=info.data.get("columns", {}), criteria=criteria
        )
        fields = probe.known_fields()
        for n, r in enumerate(rules):
            if r.when is None and n != len(rules) - 1:
                raise ValueError(
                    f"rule {n + 1} has no `when`, so the rules after it can never apply; "
                    "only the last rule may be the default"
                )
            for key, condition in (r.when or {}).items():
                if isinstance(condition, Threshold):
                    if key != "score" and key not in ids:
                        raise ValueError(
                            f"rule {n + 1}: '{key}' is not the score or a criterion id "
                            f"({', '.join(sorted(ids))})"
                        )
                elif key not in fields:
                    raise ValueError(
                        f"rule {n + 1}: unknown field '{key}'; name its column under `columns:`"
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
        seen: dict[str, str] = {}
        for field_name, header in columns.items():
            for one in header if isinstance(header, list) else [header]:
                if not isinstance(one, str):
                    continue
                key = normalize_header(one)
                if key in seen and seen[key] != field_name:
                    raise ValueError(
                        f"'{seen[key]}' and '{field_name}' both read the column '{one}'"
                    )
                seen[key] = field_name
        return columns

    @model_validator(mode="after")
    def _whole(self) -> ScoringConfig:
        if self.formula is None and self.denominator <= 0:
            raise ValueError("at least one criterion needs a weight and points above 0")
        return self

    @property
    def denominator(self) -> float:
        """Σ weight × max points: a score is 100 × Σ weight × points over this."""
        return weighted_maximum(self.criteria)

    @property
    def compiled_formula(self) -> Formula | None:
        """The checked formula (None: the weighted sum)."""
        if self.formula is None:
            return None
        if self._formula is None:
            self._formula = compile_formula(self.formula, {c.id for c in self.criteria})
        return self._formula

    def known_fields(self) -> set[str]:
        """Every input field the config names: columns, criteria, row weights, segments."""
        fields = set(self.columns)
        for c in self.criteria:
            fields.update(f for f in (c.field,) if f)
            if c.row_weight:
                fields.add(c.row_weight.field)
            fields.update(c.where or {})
        return fields

    def column_for(self, field: str) -> str:
        """The input column header that holds a logical field."""
        return self.columns.get(field, field)


def weighted_maximum(criteria: Iterable[Criterion]) -> float:
    """Σ weight × max points over some criteria: the most they can add to a weighted sum."""
    return sum(c.weight * c.max_points for c in criteria)


ALL_KEYS = sorted(
    {
        name
        for model in (Band, Scale, RowWeight, Threshold, RecommendRule, Criterion, ScoringConfig)
        for name in model.model_fields
    }
)
