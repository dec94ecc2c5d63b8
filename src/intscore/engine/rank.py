"""The scoring engine: rows + config -> an explainable Ranking. Pure: no files, no printing,
no clock (the day ages count to is given).

Two steps, two modules: `grouping` runs the row pass (rows -> integrations and requesters),
`scoring` turns each integration's requesters into points, a score and a rank.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date

from ..dates import day_number
from ..model.schema import ScoringConfig
from ..problems import IntscoreError
from ..read.rows import Table
from .ranking import Ranking
from .rowpass import Grouped, group_rows
from .scoring import score_groups

__all__ = ["day_of", "rank", "rank_grouped"]


def rank(tables: Iterable[Table], config: ScoringConfig, as_of: date | None = None) -> Ranking:
    """Score and rank every integration in the tables, ages counted to `as_of` (else the
    config's `as_of`). Problems that make the input unusable are returned in
    `Ranking.errors`, never raised."""
    day = _day(config, as_of)
    # The pass allocates many small containers and frees none of them until the end, so the
    # cyclic garbage collector would only rescan them again and again (30% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return score_groups(group_rows(tables, config, day_number(day)), config, day)
    finally:
        if collecting:
            gc.enable()


def rank_grouped(grouped: Grouped, config: ScoringConfig, as_of: date | None = None) -> Ranking:
    """`rank` of rows another pass has grouped (the DuckDB pass), ages counted to `as_of`."""
    return score_groups(grouped, config, _day(config, as_of))


def day_of(config: ScoringConfig, as_of: date | None = None) -> int:
    """The day number ages count to, for a row pass: `as_of`, else the config's."""
    return day_number(_day(config, as_of))


def _day(config: ScoringConfig, as_of: date | None) -> date | None:
    day = as_of or config.as_of
    if day is None and config.uses_ages():
        raise IntscoreError("this config counts ages (decay or within): give as_of")
    return day
