"""The contracts of `plan -f json` and `rank --by category -f json` (part of `contracts`,
which re-exports them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .contracts import AS_OF, ConfigRef, _Document, _Part

__all__ = [
    "GreedyOut",
    "LeftOutOut",
    "PlanDocument",
    "PlannedOut",
    "PurchaseOut",
    "ShareOut",
    "VaryOut",
]

HOURS = "Hours: to build it, plus its upkeep over the horizon; null when it has no build hours."


class PlannedOut(_Part):
    """An integration as the plan sees it."""

    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank.")
    value: float = Field(description="What covering it is worth: its score, or plan.value's.")
    category: str | None = Field(description="Its category; null when nothing says.")
    build_hours: float | None = Field(description="Hours to build it; null when unknown.")
    upkeep_per_year: float = Field(description="Hours a year to keep it up once built.")
    hours: float | None = Field(description=HOURS)


class LeftOutOut(PlannedOut):
    """An integration the plan leaves out."""

    more_hours: float | None = Field(
        description="How many more hours than are left it would need (0: it fits, but other "
        "integrations are worth more); null when it has no build hours."
    )


class PurchaseOut(_Part):
    """A buy option the plan takes."""

    name: str = Field(description="The option's name (buy[].name).")
    category: str = Field(description="The category it covers.")
    hours: float = Field(description="Hours to adopt it.")
    covers: list[str] = Field(description="The requested integrations it covers, by rank.")


class GreedyOut(_Part):
    """The plan a person makes by hand: down the ranking, building what fits."""

    value: float = Field(description="The value it covers.")
    hours: float = Field(description="The hours it uses.")
    build: list[str] = Field(description="What it builds, by rank.")


class VaryOut(_Part):
    """How the plans of `--vary` were drawn (as `sensitivity` draws its runs)."""

    vary: Literal["weights", "data", "both"] = Field(description="What the runs vary.")
    runs: int = Field(description="How many runs.")
    spread: float = Field(description="Each weight × U(1 - spread, 1 + spread).")
    resamples: int | None = Field(description="Bootstrap resamples per integration, or null.")
    seed: int = Field(description="The random seed.")


class ShareOut(_Part):
    """How often an integration is in the plan across the runs."""

    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank at the config's weights.")
    share: float = Field(description="The share of runs (0 to 1) whose plan covers it.")


class PlanDocument(_Document):
    """`plan -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    capacity: float = Field(description="The engineering hours available.")
    horizon_years: float = Field(description="The years of upkeep counted.")
    hours_used: float = Field(description="Hours the plan uses: builds, upkeep and purchases.")
    hours_left: float = Field(description="Capacity minus hours_used.")
    value_covered: float = Field(description="The value of every integration the plan covers.")
    value_total: float = Field(description="The value of every integration (but plan.never).")
    build: list[PlannedOut] = Field(description="What to build, by rank.")
    buy: list[PurchaseOut] = Field(description="What to buy, in the order of `buy:`.")
    left_out: list[LeftOutOut] = Field(description="What the plan leaves out, by rank.")
    never: list[str] = Field(description="Integrations ruled out by plan.never.")
    greedy: GreedyOut = Field(description="The ranking's top until the hours run out.")
    gain: float = Field(description="value_covered minus the greedy plan's value.")
    vary: VaryOut | None = Field(description="With --vary: how the runs were drawn; else null.")
    shares: list[ShareOut] | None = Field(
        description="With --vary: each integration's share of plans that cover it; else null."
    )


class SizeOut(_Part):
    """What an account's size is."""

    criterion: str = Field(description="The criterion that sums it (the first `sum` one).")
    field: str = Field(description="Its field, e.g. account_arr.")


class TopOut(_Part):
    """One of a category's top integrations."""

    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank.")
    score: float | None = Field(description="Its score.")


class CategoryOut(_Part):
    """One category of the roll-up."""

    category: str = Field(description="The category (`(no category)` for those without one).")
    integrations: int = Field(description="Integrations requested in it.")
    requesters: int = Field(description="Their requesters, added up.")
    accounts: int = Field(description="Distinct requesting accounts (without anonymous ones).")
    size: float | None = Field(
        description="The accounts' combined size, each account once; null without a size."
    )
    top: list[TopOut] = Field(description="Its top integrations (at most 3), by rank.")


class CategoriesDocument(_Document):
    """`rank --by category -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    size: SizeOut | None = Field(description="What `size` sums; null when no criterion does.")
    categories: list[CategoryOut] = Field(
        description="Every category, most requesting accounts first; `(no category)` last."
    )
