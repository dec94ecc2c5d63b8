"""Rules on a config's plan: integrations it cannot build (no or unclear build hours) and buy
options for a category no requested integration is in."""

from __future__ import annotations

from collections.abc import Iterator

from ... import problems as ids
from ...engine.planning import PlanError, Setup, setup
from ...model.loading import format_loc
from ...problems import Finding
from ...read.structured import line_of
from .context import CheckContext, finding, implements


def _setup(context: CheckContext) -> Setup | None:
    model = context.config.model
    if model.plan is None or not context.ranking.items:
        return None
    try:  # the capacity does not matter here: only what the data say of each integration
        return setup(context.ranking.items, model, model.plan.capacity or 0.0)
    except PlanError:
        return None


@implements(ids.NO_BUILD_HOURS)
def no_build_hours(context: CheckContext) -> Iterator[Finding]:
    found = _setup(context)
    for f in found.findings if found else ():
        if f.rule == ids.NO_BUILD_HOURS:
            yield finding(f.file, f.line, f.message, f.field)


@implements(ids.UNUSED_BUY_OPTION)
def unused_buy_option(context: CheckContext) -> Iterator[Finding]:
    found = _setup(context)
    loaded = context.config
    for loc, message in found.notes if found else ():
        yield finding(loaded.source, line_of(loaded.data, loc), message, format_loc(loc))
