"""The schema of scoring.yaml's planning keys — `plan:`, `buy:` and `categories:` — as
pydantic models (validation only, no I/O), each able to give its compiled form
(`compiled_plan`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from .compiled_plan import Build, Buy, Categories, Plan, Upkeep, percent_share
from .durations import NotADuration, parse_hours
from .schema_criteria import Duration, Identifier, _keys_to_str, _Model

__all__ = ["BuildFrom", "BuyOption", "Hours", "PlanConfig", "UpkeepRate", "categories_of"]

Hours = Annotated[
    str | float,
    Field(
        description="Hours of work: 300h, 5d (8 h a day), 2w (40 h a week), or a number of hours."
    ),
]


def _hours(value: Any) -> Any:
    """A duration of work, checked (the text is kept; `compiled` reads it)."""
    try:
        parse_hours(value)
    except NotADuration as exc:
        raise ValueError(str(exc)) from None
    return value


class BuildFrom(_Model):
    """Build hours looked up by another field's value, e.g. by difficulty."""

    from_: str = Field(
        alias="from",
        min_length=1,
        description="The field whose value is looked up (e.g. difficulty).",
    )
    map: dict[str, Hours] = Field(
        min_length=1,
        description="The field's value -> build hours (40h, 5d, 2w), matched like a map.",
    )

    _keys = field_validator("map", mode="before")(_keys_to_str)

    @field_validator("map")
    @classmethod
    def _durations(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        return {key: _hours(value) for key, value in mapping.items()}


class UpkeepRate(_Model):
    """Hours a year to keep a built integration up."""

    per_year: str = Field(description="A share of the build hours (10%) or hours a year (80h, 2w).")

    @field_validator("per_year", mode="before")
    @classmethod
    def _share_or_hours(cls, value: Any) -> Any:
        if percent_share(value) is not None:
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("give a share of the build (10%) or hours a year (80h)")
        try:
            parse_hours(value)
        except NotADuration:
            raise ValueError(
                f"{str(value)[:40]!r} is neither a share of the build (10%) nor hours a year (80h)"
            ) from None
        return value


class PlanConfig(_Model):
    """`plan:`: the engineering hours there are, and what each integration costs and is
    worth (`intscore plan`)."""

    capacity: Hours | None = Field(
        default=None,
        description="Engineering hours available (1600h, 200d, 40w); --capacity overrides it.",
    )
    horizon: Duration = Field(
        default="1y", description="Upkeep is counted over this long (1y, 26w, 180d)."
    )
    build: str | BuildFrom = Field(
        description="Build hours: a field (an integration attribute holding hours, e.g. "
        "build_hours), or {from: FIELD, map: {VALUE: HOURS}}."
    )
    upkeep: str | UpkeepRate | None = Field(
        default=None,
        description="Hours a year to keep it up: {per_year: 10%} of the build, "
        "{per_year: 80h}, or a field holding hours a year. Default: none.",
    )
    value: Identifier = Field(
        default="score",
        description="What a covered integration is worth: its score, or a criterion id "
        "(its raw value, e.g. the ARR of those asking).",
    )
    must: list[str] = Field(
        default_factory=list, description="Integrations committed already: always covered."
    )
    never: list[str] = Field(
        default_factory=list, description="Integrations ruled out: never in the plan."
    )

    _capacity = field_validator("capacity")(lambda v: v if v is None else _hours(v))

    @field_validator("build", "upkeep")
    @classmethod
    def _field_name(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("name a field")
        return value

    def compiled(self) -> Plan:
        """The plan as the runtime model holds it."""
        build = (
            Build(self.build)
            if isinstance(self.build, str)
            else Build(self.build.from_, {k: parse_hours(v) for k, v in self.build.map.items()})
        )
        return Plan(
            build=build,
            capacity=None if self.capacity is None else parse_hours(self.capacity),
            horizon=self.horizon,
            upkeep=_upkeep(self.upkeep),
            value=self.value,
            must=tuple(self.must),
            never=tuple(self.never),
        )


def _upkeep(upkeep: str | UpkeepRate | None) -> Upkeep | None:
    if upkeep is None:
        return None
    if isinstance(upkeep, str):
        return Upkeep(field=upkeep)
    share = percent_share(upkeep.per_year)
    if share is not None:
        return Upkeep(share=share)
    return Upkeep(hours=parse_hours(upkeep.per_year))


class BuyOption(_Model):
    """A way to get a whole category at once (e.g. a unified API for CRMs)."""

    name: str = Field(min_length=1, description="What to buy, e.g. Unified CRM API.")
    category: str = Field(
        min_length=1, description="The category it covers: every requested integration in it."
    )
    hours: Hours = Field(
        description="Hours to adopt it; the integrations it covers then need no build or upkeep."
    )

    _hours = field_validator("hours")(lambda v: _hours(v))

    def compiled(self) -> Buy:
        return Buy(self.name, self.category, parse_hours(self.hours))


def categories_of(value: str | dict[str, str] | None) -> Categories | None:
    """`categories:` compiled: `catalog`, a column's name, or {Name: Category}."""
    if value is None:
        return None
    if isinstance(value, dict):
        return Categories("mapping", mapping=dict(value))
    if value.strip().casefold() == "catalog":
        return Categories("catalog")
    return Categories("column", column=value)
