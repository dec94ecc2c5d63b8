"""`intscore estimates template`: a blank estimator's file for the top of a ranking made
without estimates — valid YAML with comments that say what each field takes, to
fill in and commit for review. Pure: the ranking and the model in, the file's text out."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.ranking import Ranking, tied_beyond
from ..model.compiled import Model
from ..model.estimates import Reading, estimable_fields, reading_of
from ..problems import IntscoreError
from ..text import safe_text, yaml_scalar

__all__ = ["template_fields", "template_text"]


def template_fields(model: Model, stem: str | None) -> list[str]:
    """The fields a file named `stem` is to estimate: those `estimates:` names (else every
    attribute estimates may stand for) that `who` gives it."""
    config = model.estimates
    if config is None:
        raise IntscoreError(
            "this config has no `estimates:` section: add one (folder, combine, disagree, "
            "who) before writing estimators' files"
        )
    fields = list(config.named_fields) or estimable_fields(model)
    if stem is not None:
        fields = [f for f in fields if config.allows(f, stem)]
    if not fields:
        who = f" to '{stem}'" if stem is not None else ""
        raise IntscoreError(f"`who` gives no field{who}: nothing to estimate")
    return fields


def template_text(
    ranking: Ranking, model: Model, fields: Sequence[str], top: int, source: str
) -> str:
    """The file: a header saying what each field takes, `estimator:`, and each of the first
    `top` integrations with a blank value per field."""
    items = ranking.items[:top]
    lines = [
        f"# Estimates for the top {len(items)} of {len(ranking.items)} integrations, ranked "
        "without estimates",
        f"# by {safe_text(source)}. Fill in what you can; leave a value blank if you",
        "# cannot say (a blank is no estimate). Commit this file to have it reviewed.",
    ]
    for name in fields:
        lines.append(f"# {safe_text(name)}: {_takes(reading_of(model, name))}")
    more = tied_beyond(ranking, top)
    if more:
        lines.append(f"# {more} more share rank {items[-1].rank}: add them if you like.")
    lines += ['estimator: ""            # your name (default: the file\'s name)', "estimates:"]
    for item in items:
        score = "no score" if item.score is None else f"score {item.score:.1f}"
        lines.append(f"  {yaml_scalar(item.integration)}:    # rank {item.rank}, {score}")
        lines += [f"    {yaml_scalar(name)}:" for name in fields]
    return "\n".join(lines) + "\n"


def _takes(reading: Reading) -> str:
    """What a field's estimate may be, in words."""
    if reading.kind == "ordered":
        keys = ", ".join(safe_text(str(k)) for k in reading.order[:20])
        return f"one of {keys}"
    if reading.kind == "category":
        return "a value, as the data would have it (e.g. yes or no)"
    levels = "" if reading.levels is None else f", or one of {reading.levels.names}"
    return f"a number, or hours of work like 300h, 5d (8 h) or 2w (40 h){levels}"
