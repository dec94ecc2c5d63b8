"""How much of a ranking the report's page holds: a million integrations made a 678 MB page
(90 s, 7.8 GB), so a longer ranking is cut to its first MAX_ITEMS with a note."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.ranking import Ranking

__all__ = ["MAX_ITEMS", "summarised"]

MAX_ITEMS = 10_000


def summarised(ranking: Ranking, limit: int | None = None) -> tuple[Ranking, str | None]:
    """The ranking a page shows (its first `limit` items, MAX_ITEMS by default) and a note
    when that cuts it."""
    limit = MAX_ITEMS if limit is None else limit
    total = len(ranking.items)
    if total <= limit:
        return ranking, None
    note = (
        f"This page holds the first {limit:,} of {total:,} integrations; the what-if re-ranks "
        "those. `intscore rank -f csv` lists them all."
    )
    return replace(ranking, items=ranking.items[:limit]), note
