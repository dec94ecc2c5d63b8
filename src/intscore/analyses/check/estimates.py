"""Rules on estimates from several people: estimators who disagree, integrations
no request names, estimates `who` does not allow or no criterion or rule reads, top
integrations nobody estimated, and estimates that override the data's own value."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace

from ... import problems as ids
from ...matching import name_key
from ...problems import Finding
from ...text import shorten
from .context import CheckContext, finding, implements

__all__ = ["unused_estimates"]


def unused_estimates(context: CheckContext) -> int:
    """How many estimates count for nothing (an integration no request names, a field `who`
    does not give the file or the config does not read): `rank` says so on stderr."""
    estimates = context.config.model.estimated
    if estimates is None:
        return 0
    known = {item.key for item in context.ranking.items}
    unknown = sum(len(m) for key, m in estimates.mentions.items() if key not in known)
    return unknown + len(estimates.findings)


@implements(ids.ESTIMATES_DISAGREE)
def estimates_disagree(context: CheckContext) -> Iterator[Finding]:
    estimates = context.config.model.estimated
    if estimates is None:
        return
    for item in context.ranking.items:
        for name, estimated in item.estimates.items():
            c = estimated.combined
            if c.agreement != "low":
                continue
            if c.threshold is None:
                beyond = "they name different values"
            else:
                beyond = f"spread {c.show(c.spread)}, above {c.show(c.threshold)}"
                limit = estimates.config.disagree[name]
                if limit.relative:
                    beyond += f" ({limit.text} of {c.show(c.value)})"
            e = c.outlier()
            message = (
                f"estimators disagree on '{shorten(item.integration)}': "
                f"{c.listing()} ({beyond}); the {c.how} {c.show(c.value)} is used"
            )
            yield finding(e.file, e.line, message, name)


@implements(ids.UNKNOWN_INTEGRATION)
def unknown_integration(context: CheckContext) -> Iterator[Finding]:
    estimates = context.config.model.estimated
    ranking = context.ranking
    if estimates is None or not ranking.inputs:
        return
    known = {item.key for item in ranking.items}
    names = {name_key(item.integration): item.integration for item in ranking.items}
    for key, mentions in estimates.mentions.items():
        if key in known:
            continue
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
        hint = f" (did you mean '{names[close[0]]}'?)" if close else ""
        for m in mentions:
            message = f"no request names '{shorten(m.name)}'{hint}: its estimates are not used"
            yield finding(m.file, m.line, message, "estimates")


def _noted(context: CheckContext, rule: str) -> Iterator[Finding]:
    """What reading the estimators' files noted under a rule (at the rule's level)."""
    estimates = context.config.model.estimated
    for f in estimates.findings if estimates is not None else ():
        if f.rule == rule:
            yield replace(f, severity=None)  # type: ignore[arg-type]


@implements(ids.ESTIMATE_NOT_ALLOWED)
def estimate_not_allowed(context: CheckContext) -> Iterator[Finding]:
    return _noted(context, ids.ESTIMATE_NOT_ALLOWED)


@implements(ids.ESTIMATE_NOT_READ)
def estimate_not_read(context: CheckContext) -> Iterator[Finding]:
    return _noted(context, ids.ESTIMATE_NOT_READ)


@implements(ids.MISSING_ESTIMATE)
def missing_estimate(context: CheckContext) -> Iterator[Finding]:
    fields = context.ranking.estimated
    if not fields:  # no `estimates:` section, or nothing it stands for
        return
    for item in context.ranking.items:
        if item.rank > context.top:
            break
        missing = [f for f in fields if f not in item.estimates]
        if missing:
            message = (
                f"'{shorten(item.integration)}' (rank {item.rank}, in the top {context.top}) "
                f"has no estimate of {', '.join(missing)}"
            )
            yield finding(item.file, item.line, message)


@implements(ids.ESTIMATE_OVERRIDES_DATA)
def estimate_overrides_data(context: CheckContext) -> Iterator[Finding]:
    estimates = context.config.model.estimated
    if estimates is None:
        return
    model = context.config.model
    for item in context.ranking.items:
        for name, estimated in item.estimates.items():
            c = estimated.combined
            for seen in estimated.overridden:
                message = (
                    f"the estimates' {c.how} {c.show(c.value)} is used for "
                    f"'{shorten(item.integration)}', not the data's {c.show(seen.value)}"
                )
                yield finding(seen.file, seen.line, message, model.column_for(name))
