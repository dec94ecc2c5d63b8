"""The scoring engine: rows + config -> an explainable Ranking. Pure: no files, no printing.

Two steps, two modules: `grouping` runs the row pass (rows -> integrations and requesters),
`scoring` turns each integration's requesters into points, a score and a rank.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

from .config import ScoringConfig
from .grouping import group_rows
from .ranking import Ranking
from .rows import Table
from .scoring import score_groups

__all__ = ["rank"]


def rank(tables: Iterable[Table], config: ScoringConfig) -> Ranking:
    """Score and rank every integration in the tables. Problems that make the input unusable
    are returned in `Ranking.errors`, never raised."""
    # The pass allocates many small containers and frees none of them until the end, so the
    # cyclic garbage collector would only rescan them again and again (30% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return score_groups(group_rows(tables, config), config)
    finally:
        if collecting:
            gc.enable()
