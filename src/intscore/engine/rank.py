"""The scoring engine: rows + the compiled model -> an explainable Ranking. Pure: no files,
no printing, no clock (the day ages count to is given).

Two steps: a row pass groups rows into integrations and requesters (`rowpass`, or
`duckdb_pass` for one big CSV file), then `scoring` turns each integration's requesters into
points, a score and a rank.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date

from ..dates import day_number
from ..model.compiled import Model
from ..problems import IntscoreError
from ..read.rows import Table
from .groups import Grouped
from .ranking import Ranking
from .rowpass import group_rows
from .scoring import score_groups

__all__ = ["TooManyIntegrations", "day_of", "rank", "rank_grouped"]


class TooManyIntegrations(IntscoreError):
    """More integrations than the caller takes (`rank(most=...)`), found after the row pass
    and before any is scored."""

    def __init__(self, count: int, most: int):
        super().__init__(
            f"{count:,} integrations; this command takes at most {most:,} "
            "(`intscore rank` takes any number)"
        )
        self.count = count


def rank(
    tables: Iterable[Table], model: Model, as_of: date | None = None, most: int | None = None
) -> Ranking:
    """Score and rank every integration in the tables, ages counted to `as_of` (else the
    model's `as_of`). Problems that make the input unusable are returned in
    `Ranking.errors`, never raised; more than `most` integrations raise TooManyIntegrations
    (scoring a million takes minutes and gigabytes)."""
    day = _day(model, as_of)
    # The pass allocates many small containers and frees none of them until the end, so the
    # cyclic garbage collector would only rescan them again and again (30% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        grouped = group_rows(tables, model, day_number(day))
        if most is not None and len(grouped.groups) > most:
            raise TooManyIntegrations(len(grouped.groups), most)
        return score_groups(grouped, model, day)
    finally:
        if collecting:
            gc.enable()


def rank_grouped(grouped: Grouped, model: Model, as_of: date | None = None) -> Ranking:
    """`rank` of rows another pass has grouped (the DuckDB pass), ages counted to `as_of`."""
    return score_groups(grouped, model, _day(model, as_of))


def day_of(model: Model, as_of: date | None = None) -> int:
    """The day number ages count to, for a row pass: `as_of`, else the model's."""
    return day_number(_day(model, as_of))


def _day(model: Model, as_of: date | None) -> date | None:
    day = as_of or model.as_of
    if day is None and model.uses_ages():
        raise IntscoreError("this config counts ages (decay or within): give as_of")
    return day
