"""The contracts of `diff -f json`, `sensitivity -f json` and `matrix -f json` (part of
`contracts`, which re-exports them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .contracts import AS_OF, SCORE, ConfigRef, _Document, _Part

__all__ = [
    "DiffDocument",
    "DiffItemOut",
    "DiffSide",
    "MatrixDocument",
    "PlacementOut",
    "SensitivityDocument",
    "StabilityOut",
]


# --- diff -----------------------------------------------------------------------------------------


class DiffSide(_Part):
    """One side of the comparison."""

    config: str = Field(description="The config's source (`PATH@REF` for one read from git).")
    sha256: str = Field(description="The SHA-256 of the config's text.")
    inputs: list[str] = Field(description="The input files.")
    as_of: str | None = Field(description=AS_OF)


class DiffItemOut(_Part):
    """One integration on both sides."""

    integration: str = Field(description="The name as shown.")
    old_rank: int | None = Field(description="Its rank on the base side; null where absent.")
    new_rank: int | None = Field(description="Its rank on the head side; null where absent.")
    old_score: float | None = Field(description="Its base score; null where absent.")
    new_score: float | None = Field(description="Its head score; null where absent.")
    changed: list[str] = Field(description="The criteria whose points changed.")
    why: list[str] = Field(
        description="What moved it, e.g. `account_size +1 pt`, `demand weight 40→30`."
    )


class DiffDocument(_Document):
    """`diff -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    base: DiffSide = Field(description="The old side (--base-config or --against).")
    head: DiffSide = Field(description="The new side (the current config and files).")
    top: int = Field(description="N of the top N the summary speaks of.")
    config_changes: list[str] = Field(
        description="The config edits, e.g. `difficulty: weight 60 → 20`."
    )
    entered_top: list[str] = Field(description="Integrations that entered the top N.")
    left_top: list[str] = Field(description="Integrations that left the top N.")
    moved_outside_top: int = Field(
        description="Integrations that changed rank outside the top N on both sides."
    )
    items: list[DiffItemOut] = Field(description="Every integration, ordered by new rank.")


# --- sensitivity and matrix -----------------------------------------------------------------------


class StabilityOut(_Part):
    """How one integration's rank moves across the runs."""

    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank at the config's weights and data.")
    score: float | None = Field(description=SCORE)
    median_rank: float = Field(description="The median of its ranks over the runs.")
    rank_p5: int = Field(description="The 5th percentile of its ranks (the best it reaches).")
    rank_p95: int = Field(description="The 95th percentile of its ranks.")
    top_share: float = Field(description="The share of runs (0 to 1) that put it in the top K.")
    unstable: bool = Field(description="Whether top_share is from 0.2 to 0.8.")


class SensitivityDocument(_Document):
    """`sensitivity -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    vary: Literal["weights", "data", "both", "estimates"] = Field(
        description="What the runs vary: the weights, the data (bootstrap), both, or the "
        "estimates (each estimated field one of its estimators' values)."
    )
    runs: int = Field(description="How many runs.")
    spread: float = Field(description="Each weight is multiplied by U(1 - spread, 1 + spread).")
    resamples: int | None = Field(
        description="Bootstrap resamples (or, varying estimates, draws) per integration; "
        "null when only the weights vary."
    )
    top: int = Field(description="K of the top K that top_share counts.")
    seed: int = Field(description="The random seed (the same seed gives the same runs).")
    items: list[StabilityOut] = Field(description="Every integration, in rank order.")


class PlacementOut(_Part):
    """One integration on the value-vs-effort chart."""

    integration: str = Field(description="The name as shown.")
    rank: int = Field(description="Its rank.")
    score: float | None = Field(description=SCORE)
    value: float = Field(description="0 to 100: the score over the value criteria only.")
    effort: float = Field(
        description="0 to 100: 100 minus the score over the effort criteria (more is harder)."
    )
    quadrant: str = Field(description="Quick wins, Big bets, Fill-ins or Money pits.")


class MatrixDocument(_Document):
    """`matrix -f json`."""

    version: Literal[1] = Field(default=1, description="The contract's version: 1.")
    config: ConfigRef = Field(description="The config used.")
    as_of: str | None = Field(description=AS_OF)
    value_split: float = Field(description="Value at or above it is high value.")
    effort_split: float = Field(description="Effort at or above it is high effort.")
    items: list[PlacementOut] = Field(description="Every integration, in rank order.")
