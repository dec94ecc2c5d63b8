"""Explanations (`explain`, `explain --vs`) for the terminal and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import EXPLAIN_FORMATS
from ..numbers import format_number
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .values import flag_text, show_score, show_value

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.explain import Explanation, TieOrder, Versus
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "render_explanation", "render_versus"]

FORMATS = EXPLAIN_FORMATS


def render_explanation(
    e: Explanation, run: RunInfo, fmt: str, total: int, screen: Screen = PLAIN
) -> str:
    """Why one integration scores and ranks as it does, in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import explanation_document
        from ..engine.documents import document_text

        return document_text(explanation_document(e, run))
    return rich_text(lambda console: _draw_explanation(console, e, run, total), screen)


def render_versus(v: Versus, run: RunInfo, fmt: str, screen: Screen = PLAIN) -> str:
    """Where two integrations' score difference comes from, in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import versus_document
        from ..engine.documents import document_text

        return document_text(versus_document(v, run))
    return rich_text(lambda console: _draw_versus(console, v, run), screen)


def _signed(value: float, decimals: int = 1) -> str:
    if abs(value) < 0.05 and decimals == 1:
        return "0.0"
    return f"{value:+.{decimals}f}".replace("-", "−")


def _draw_explanation(console: Console, e: Explanation, run: RunInfo, total: int) -> None:
    from rich.text import Text

    item = e.item
    console.print(
        Text.assemble(
            (safe_text(item.integration), "bold"),
            f" — rank {item.rank} of {total}, score {show_score(item.score)}",
        )
    )
    for c in e.criteria:
        if c.contribution is None:  # a formula scores: points only
            summary = f": {show_value(c.value)} → {format_number(c.points)} points"
        else:
            summary = (
                f": {show_value(c.value)} → {format_number(c.points)} of "
                f"{format_number(c.max_points)} points, weight {format_number(c.weight)}: "
                f"adds {c.contribution:.1f}"
            )
        console.print(Text.assemble((c.label, "bold"), summary))
        band = f"; {c.scorer} {c.band}" if c.band else ""
        console.print(Text(safe_text(f"  {c.how}{band}")))
    _other_estimates(console, e)
    if e.formula:
        console.print(Text(safe_text(f"score = {e.formula} = {show_score(item.score)}")))
    else:
        terms = " + ".join(f"{c.contribution or 0.0:.1f}" for c in e.criteria)
        console.print(
            Text(
                f"score = {terms} = {show_score(item.score)}  "
                f"(100 × Σ weight × points / {format_number(e.denominator)})"
            )
        )
    advice = item.recommendation
    if advice is not None:
        console.print(
            Text(
                safe_text(
                    f"Recommendation: {advice.label} (rule {advice.rule}: {advice.reason})"
                    + (f" — {advice.because}" if advice.because else "")
                )
            )
        )
    console.print(Text(safe_text(_requesters_line(e))))
    flags = ", ".join(flag_text(f) for f in item.flags) or "none"
    console.print(Text(f"Flags: {flags}"))
    for tie in e.ties:
        console.print(Text(safe_text(tie_sentence(tie))))
    if e.costliest is not None:
        console.print(Text(safe_text(loss_sentence(e))))
    if e.above is None and item.rank == 1:
        console.print(Text("Ranked first: no integration scores more."))
    elif e.above is None:
        console.print(
            Text(
                "No integration scores more: it shares the top score; the tiebreak ranks "
                f"it {item.rank}."
            )
        )
    else:
        console.print(
            Text(
                safe_text(
                    f"Next up: {e.above.integration} (rank {e.above.rank}, "
                    f"{show_score(e.above.score)}), {e.gap:.1f} points ahead."
                )
            )
        )
        closing = [s for s in e.steps if s.closes]
        partial = [s for s in e.steps if not s.closes]
        if closing:
            console.print("Any one of these would close the gap:")
            for s in closing:
                console.print(Text(safe_text(f"  {s.needs}: +{s.gain:.1f}")))
        else:
            console.print("No single criterion closes the gap; the biggest steps:")
        for s in partial[: 0 if closing else 3]:
            console.print(Text(safe_text(f"  {s.needs}: +{s.gain:.1f}")))
    console.print(Text(safe_text(f"config: {run.config_source}"), style="dim"))


def _requesters_line(e: Explanation) -> str:
    """`Requesters (N): ...`, the accounts by name, then the rows that name no account (each
    a requester of its own) by line."""
    from ..analyses.explain import requester_name

    names = [*e.accounts, *(requester_name(r) for r in e.item.requesters if not r.account)]
    shown = ", ".join(names[:20]) + (f", and {len(names) - 20} more" if len(names) > 20 else "")
    return f"Requesters ({len(e.item.requesters)}): {shown or 'none'}"


def _other_estimates(console: Console, e: Explanation) -> None:
    """Estimated fields no criterion reads (a plan's hours, a rule's fact), each estimator's
    value and the combined one."""
    from rich.text import Text

    from ..analyses.explain import estimate_words

    for name, estimated in e.other_estimates.items():
        console.print(Text.assemble((safe_text(name), "bold"), " (estimated)"))
        console.print(Text(safe_text(f"  {estimate_words(estimated)}")))


def tie_sentence(tie: TieOrder) -> str:
    """'Ties with Jira at 60.0; HubSpot ranks above it by demand (7.5 vs 4).'"""
    better = show_value(tie.above.criteria[tie.criterion].value)
    worse = show_value(tie.below.criteria[tie.criterion].value)
    return (
        f"Tie at {show_score(tie.above.score)}: {tie.above.integration} ranks above "
        f"{tie.below.integration} by {tie.label.lower()} ({better} vs {worse})."
    )


def loss_sentence(e: Explanation) -> str:
    """'Costliest requester: without Acme, 80.0 → 60.0, rank 1 → 4.'"""
    loss, item = e.costliest, e.item
    assert loss is not None
    if loss.score == item.score and loss.rank == item.rank:
        return "No single requester's loss would change its score or rank."
    return (
        f"Costliest requester: without {loss.requester}, {show_score(item.score)} → "
        f"{show_score(loss.score)}, rank {item.rank} → {loss.rank}."
    )


def _draw_versus(console: Console, cmp: Versus, run: RunInfo) -> None:
    from rich.text import Text

    a, b = cmp.a, cmp.b
    diff = cmp.difference
    if abs(diff) < 0.05:
        verdict = "they score the same"
    else:
        leader = a if diff > 0 else b
        verdict = f"{leader.integration} scores {abs(diff):.1f} more"
    console.print(
        Text(
            safe_text(
                f"{a.integration} {show_score(a.score)} (rank {a.rank}) vs "
                f"{b.integration} {show_score(b.score)} (rank {b.rank}): {verdict}"
            )
        )
    )
    table = simple_table()
    table.add_column("Criterion")
    table.add_column(Text(safe_text(a.integration)), justify="right")
    table.add_column(Text(safe_text(b.integration)), justify="right")
    table.add_column("Δ points", justify="right")
    table.add_column("Weight", justify="right")
    table.add_column("Δ score", justify="right")
    terms = []
    for c, sa, sb, delta in cmp.rows:
        dp = sa.points - sb.points
        table.add_row(
            Text(c.title),
            Text(f"{show_value(sa.value)} ({format_number(sa.points)})"),
            Text(f"{show_value(sb.value)} ({format_number(sb.points)})"),
            _signed(dp, 2).rstrip("0").rstrip(".") if dp else "0",
            format_number(c.weight),
            "—" if delta is None else _signed(delta),
        )
        if dp:
            sign = "+" if dp > 0 else "−"
            terms.append(f"{sign}{format_number(c.weight)}·{format_number(abs(dp))}")
    console.print(table)
    sum_text = " ".join(terms) if terms else "0"
    if any(delta is None for *_, delta in cmp.rows):
        console.print(Text(f"Δ score = {_signed(diff)} (the score is a formula of the points)"))
    else:
        denominator = format_number(cmp.denominator)
        console.print(Text(f"Δ score = 100 × ({sum_text}) / {denominator} = {_signed(diff)}"))
    console.print(Text(safe_text(f"config: {run.config_source}"), style="dim"))
