"""The scoring model of `scoring.yaml` as pydantic models. No file I/O: `config_loading`
reads, locates and validates files into these."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
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

from ..matching import name_key, normalize_header
from ..numbers import MAX_NUMBER
from ..problems import unknown_rules
from .formula import Formula, FormulaError, compile_formula
from .scorers import Bands, CategoryMap, RawValue, Scorer
from .scorers import Scale as LinearScale

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
    "Threshold",
    "condition_kind",
    "duration_days",
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
_DAYS = {"d": 1.0, "w": 7.0, "y": 365.0}


def duration_days(text: str) -> float:
    """`90d` -> 90.0, `12w` -> 84.0, `1y` -> 365.0."""
    return float(text[:-1]) * _DAYS[text[-1]]


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

    def holds(self, value: float | None) -> bool:
        """A number test (the score, a criterion's points)."""
        if value is None:
            return False
        return (self.below is None or value < self.below) and (
            self.at_least is None or value >= self.at_least
        )


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


Threshold = Condition  # a condition on the score or a criterion's points


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
    def missing_points(self) -> float:
        """The points of no value or an unknown category (0 with `missing: error`, which also
        makes it an error)."""
        return 0.0 if self.missing == "error" else float(self.missing)

    def points_of(self, value: Any) -> float:
        """The points a raw value earns; `missing_points` for none or an unknown category."""
        points = None if value is None else self.scorer.points(value).points
        return self.missing_points if points is None else points

    @property
    def title(self) -> str:
        return self.label or self.id


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
    _formula: Formula | None = PrivateAttr(default=None)
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
        seen: dict[str, str] = {}
        for field_name, entry in columns.items():
            if isinstance(entry, ColumnSpec):
                if entry.split is not None and field_name != "integration":
                    raise ValueError(f"{field_name}: split applies to the integration column")
                entry = entry.headers()
            for one in entry if isinstance(entry, list) else [entry]:
                key = normalize_header(one)
                if key in seen and seen[key] != field_name:
                    raise ValueError(
                        f"'{seen[key]}' and '{field_name}' both read the column '{one}'"
                    )
                seen[key] = field_name
        return columns

    @model_validator(mode="after")
    def _field_kinds_agree(self) -> ScoringConfig:
        """A field is read one way: as a date, a number or text."""
        dates = {name for name, kind in self.field_kinds().items() if kind == "date"}
        for c in self.criteria:
            if c.field in dates:
                raise ValueError(f"'{c.field}' is read as a date and as a number by '{c.id}'")
        kinds: dict[str, str] = {}
        for name, condition in self.field_conditions(rules=False):
            kind = condition_kind(condition)
            if kind != "category" and kinds.setdefault(name, kind) != kind:
                raise ValueError(f"'{name}' is tested as a {kinds[name]} and as a {kind}")
        return self

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
        """Every input field the config names: columns, criteria, row weights, segments,
        filters, dates."""
        fields = set(self.columns)
        for c in self.criteria:
            fields.update(f for f in (c.field,) if f)
            if c.row_weight:
                fields.add(c.row_weight.field)
                if c.row_weight.decay:
                    fields.add(c.row_weight.decay.field)
            fields.update(c.where or {})
        fields.update(self.filter or {})
        if self.latest_by:
            fields.add(self.latest_by)
        return fields

    def headers_for(self, field: str) -> list[str]:
        """The column headers that may hold a logical field, in order of preference."""
        entry = self.columns.get(field, field)
        if isinstance(entry, ColumnSpec):
            return entry.headers()
        return [entry] if isinstance(entry, str) else list(entry)

    def column_for(self, field: str) -> str:
        """The input column header that holds a logical field (the first one named)."""
        return self.headers_for(field)[0]

    def split_for(self, field: str) -> str | None:
        """The separator that splits a multi-value cell of this field, if any."""
        entry = self.columns.get(field)
        return entry.split if isinstance(entry, ColumnSpec) else None

    def field_kinds(self) -> dict[str, str]:
        """Fields read as dates or numbers (everything else is text)."""
        kinds: dict[str, str] = {}
        if self.latest_by:
            kinds[self.latest_by] = "date"
        for c in self.criteria:
            if c.field and (c.aggregate in ("sum", "mean", "min", "max") or c.scorer.numeric):
                kinds[c.field] = "number"
            if c.row_weight and c.row_weight.decay:
                kinds[c.row_weight.decay.field] = "date"
        for name, condition in self.field_conditions():
            kind = condition_kind(condition)
            if kind != "category":
                kinds[name] = kind
        return kinds

    def uses_ages(self) -> bool:
        """Whether scores depend on the day of the run (decay, or `within`)."""
        if any(c.row_weight and c.row_weight.decay for c in self.criteria):
            return True
        return any(
            isinstance(x, Condition) and x.within is not None for _, x in self.field_conditions()
        )

    def field_conditions(self, rules: bool = True) -> list[tuple[str, ConditionValue]]:
        """(field, condition) of `filter`, every `where` and, with `rules`, the recommendation
        rules' conditions on fields (not those on the score or a criterion's points)."""
        found = [*(self.filter or {}).items()]
        for c in self.criteria:
            found += (c.where or {}).items()
        if rules:
            ids = {"score", *(c.id for c in self.criteria)}
            for rule in self.recommend or []:
                found += [(k, v) for k, v in (rule.when or {}).items() if k not in ids]
        return found


def weighted_maximum(criteria: Iterable[Criterion]) -> float:
    """Σ weight × max points over some criteria: the most they can add to a weighted sum."""
    return sum(c.weight * c.max_points for c in criteria)


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
