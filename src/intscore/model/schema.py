"""The user's schema of `scoring.yaml` as pydantic models: validation only, no I/O (`loading`
reads and locates files, `compile` turns a validated config into the runtime model). The
criteria and their parts are in `schema_criteria`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..matching import name_key
from .columns import Column, Keep, columns_problem
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
    "EstimatesSettings",
    "KeepSpec",
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
from .schema_plan import BuildFrom, BuyOption, PlanConfig, UpkeepRate
from .schema_settings import CheckSettings, Dates, EstimatesSettings, Read


class KeepSpec(_Model):
    """Which parts of a split integration cell are integrations: by prefix or by glob."""

    prefix: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Parts starting with this (any case) are kept, without it: "
        "integration_slack -> slack.",
    )
    glob: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Parts matching this pattern (* any text, ? one character, [abc] one of "
        "these; any case) are kept.",
    )

    @model_validator(mode="after")
    def _one(self) -> KeepSpec:
        given = [name for name in ("prefix", "glob") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give prefix, or glob, or a list of names (keep: [Slack, Jira])")
        for value in (self.prefix, self.glob):
            if value is not None and not value.strip():
                raise ValueError("a blank prefix or glob keeps everything; leave keep out")
        return self


class ColumnSpec(_Model):
    """Where a field is read, how a cell holding several values is split and which parts
    count, where a blank account comes from, and whether the field is the account's."""

    column: str | list[str] = Field(description="A header, or headers: the first one a file has.")
    split: str | None = Field(
        default=None,
        min_length=1,
        max_length=3,
        description="Each part of the cell between these characters is one request.",
    )
    keep: list[Annotated[str, Field(min_length=1, max_length=200)]] | KeepSpec | None = Field(
        default=None,
        description="integration only: the parts that are integrations — {prefix: P} (P "
        "removed from the name), {glob: PATTERN}, or a list of names (matched like names, "
        "also through aliases); other parts (vip, billing) are not requests. Aliases apply "
        "after keep.",
    )
    else_email: str | list[str] | None = Field(
        default=None,
        description="account only: an e-mail column (or columns: the first a file has) whose "
        "domain is the account where the account cell is blank (dana@acme.com -> acme.com); "
        "free-mail domains (gmail.com, outlook.com, ...) give no account.",
    )
    per: Literal["account"] | None = Field(
        default=None,
        description="account: a fact about the account (ARR, MRR, plan, stage): every request "
        "of the account gets its latest value across the whole input (by latest_by, else "
        "file order).",
    )

    def headers(self) -> list[str]:
        return [self.column] if isinstance(self.column, str) else list(self.column)

    @field_validator("keep")
    @classmethod
    def _names_given(cls, keep: Any) -> Any:
        if isinstance(keep, list) and (not keep or not all(v.strip() for v in keep)):
            raise ValueError("list the names to keep (a blank one keeps nothing)")
        return keep

    @field_validator("else_email")
    @classmethod
    def _headers_given(cls, headers: str | list[str] | None) -> str | list[str] | None:
        listed = [headers] if isinstance(headers, str) else headers or []
        if headers is not None and (not listed or not all(h.strip() for h in listed)):
            raise ValueError("name the e-mail column")
        return headers

    def compiled(self) -> Column:
        """The column as the runtime model holds it."""
        keep = None
        if self.keep is None:
            pass
        elif isinstance(self.keep, list):
            keep = Keep("names", tuple(self.keep))
        elif self.keep.prefix is not None:
            keep = Keep("prefix", (self.keep.prefix,))
        elif self.keep.glob is not None:
            keep = Keep("glob", (self.keep.glob,))
        email = self.else_email
        emails = None if email is None else (email,) if isinstance(email, str) else tuple(email)
        return Column(tuple(self.headers()), self.split, keep, emails, self.per)


ColumnEntry = str | list[str] | ColumnSpec


class ScoringConfig(_Model):
    """The whole scoring model: which columns to read, criteria, weights."""

    version: Literal[1] = Field(default=1, description="The format version: always 1.")
    columns: dict[str, ColumnEntry] = Field(
        default_factory=dict,
        description="Logical field -> the column header in the input files: a header, a list "
        "of headers (the first one a file has), or {column, split, keep, else_email, per}.",
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
        default_factory=lambda: Read(),
        description="How input files are read: encoding, delimiter, decimal mark, where the "
        "table starts and ends, the sheet; limits on what a file may hold.",
    )
    tiebreak: list[Identifier] = Field(
        default_factory=list,
        description="Criterion ids that order integrations with equal scores, by raw value in "
        "the direction that earns points; then by name.",
    )
    catalog: bool = Field(
        default=False,
        description="Use the spellings of intscore's catalog of SaaS products as aliases "
        "(SFDC is Salesforce); your own `aliases` win.",
    )
    categories: str | dict[str, str] | None = Field(
        default=None,
        description="Each integration's category: `catalog` (intscore's catalog), a column's "
        "name, or {Name: Category}; a column or a mapping wins over the catalog.",
    )
    plan: PlanConfig | None = Field(
        default=None,
        description="What to build with the hours there are (`intscore plan`).",
    )
    buy: list[BuyOption] = Field(
        default_factory=list,
        description="Ways to get a whole category at once (a unified API), for `plan`.",
    )
    estimates: EstimatesSettings | None = Field(
        default=None,
        description="Estimates from several people: the folder of their files, how they "
        "combine, when they disagree, who may estimate what.",
    )
    _filter = field_validator("filter", mode="before")(_conditions)

    @field_validator("buy")
    @classmethod
    def _buy_names_differ(cls, options: list[BuyOption]) -> list[BuyOption]:
        names = [name_key(o.name) for o in options]
        for n, key in enumerate(names):
            if key in names[:n]:
                raise ValueError(f"'{options[n].name}' is listed twice")
        return options

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
                name: entry.compiled()
                if isinstance(entry, ColumnSpec)
                else Column((entry,) if isinstance(entry, str) else tuple(entry))
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
            KeepSpec,
            Dates,
            CheckSettings,
            PlanConfig,
            BuildFrom,
            UpkeepRate,
            BuyOption,
            EstimatesSettings,
            Read,
            ScoringConfig,
        )
        for name in model.model_fields
    }
)
