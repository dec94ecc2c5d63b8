"""The user's schema of `scoring.yaml` as pydantic models: validation only, no I/O (`loading`
reads and locates files, `compile` turns a validated config into the runtime model). The
criteria and their parts are in `schema_criteria`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..matching import name_key
from ..problems import unknown_rules
from ..read.lines import FIELDS_RANGE, LINE_LENGTH_RANGE, MAX_FIELDS, MAX_LINE_LENGTH
from .compiled import columns_problem
from .formula import FormulaError, compile_formula

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
    "Read",
    "RecommendRule",
    "RowWeight",
    "Scale",
    "ScoringConfig",
    "condition_kind",
]

from .schema_criteria import (
    Band,
    Condition,
    ConditionValue,
    Criterion,
    Decay,
    Identifier,
    RecommendRule,
    RowWeight,
    Scale,
    _conditions,
    _Model,
    condition_kind,
)


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


class Read(_Model):
    """How input files are read: limits that keep a hostile file from stalling a run."""

    max_line_length: Annotated[
        int, Strict(), Field(ge=LINE_LENGTH_RANGE[0], le=LINE_LENGTH_RANGE[1])
    ] = Field(
        default=MAX_LINE_LENGTH,
        description="The most characters one CSV row may hold (its quoted line breaks too).",
    )
    max_fields: Annotated[int, Strict(), Field(ge=FIELDS_RANGE[0], le=FIELDS_RANGE[1])] = Field(
        default=MAX_FIELDS,
        description="The most fields a row may have (in YAML/JSON: different fields in a file).",
    )


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
    read: Read = Field(
        default_factory=lambda: Read(), description="Limits on what an input file may hold."
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
            Read,
            ScoringConfig,
        )
        for name in model.model_fields
    }
)
