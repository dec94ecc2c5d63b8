"""Rules on the scoring model itself: criteria that never count, bands that never rise, maps
whose keys no row uses."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from ... import problems as ids
from ...model.loading import format_loc
from ...problems import Finding
from ...read.structured import line_of
from .context import CheckContext, finding, implements, keys

__all__ = ["RULES"]

RULES = (ids.ZERO_WEIGHT, ids.FLAT_BANDS)  # rules that need no data: run on a linted config


def _at(context: CheckContext, path: tuple[Any, ...], message: str) -> Finding:
    loaded = context.config
    return finding(loaded.source, line_of(loaded.data, path), message, format_loc(path))


@implements(ids.ZERO_WEIGHT)
def zero_weight(context: CheckContext) -> Iterator[Finding]:
    for i, c in enumerate(context.config.model.criteria):
        if c.weight == 0:
            yield _at(context, ("criteria", i, "weight"), f"'{c.id}' has weight 0 and never counts")


@implements(ids.FLAT_BANDS)
def flat_bands(context: CheckContext) -> Iterator[Finding]:
    for i, c in enumerate(context.config.model.criteria):
        if not c.bands or len(c.bands) < 2:
            continue
        points = [b.points for b in c.bands]
        if len(set(points)) == 1:
            message = f"every band of '{c.id}' gives {points[0]:g} points"
        elif c.kind == "value" and all(b <= a for a, b in itertools.pairwise(points)):
            message = (
                f"the points of '{c.id}' never rise with the value; "
                "if lower is better, say `kind: effort`"
            )
        else:
            continue
        yield _at(context, ("criteria", i, "bands"), message)


@implements(ids.UNUSED_MAP)
def unused_map(context: CheckContext) -> Iterator[Finding]:
    ranking = context.ranking
    if not ranking.items:
        return
    for i, c in enumerate(context.config.model.criteria):
        if c.map is None:
            continue
        if not any(item.criteria[c.id].status in ("ok", "conflict") for item in ranking.items):
            yield _at(
                context,
                ("criteria", i, "map"),
                f"no row has any of the keys of '{c.id}' ({keys(c.map)})",
            )
