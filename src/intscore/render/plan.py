"""A plan (`intscore plan`) as a table, Markdown or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import PLAN_FORMATS
from ..numbers import format_number
from ..text import safe_text
from .console import PLAIN, Screen, rich_text, simple_table
from .values import markdown_cell

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.plan import PlanResult
    from ..engine.planning import Costed
    from ..engine.ranking import RunInfo

__all__ = ["FORMATS", "hours", "render_plan", "summary_lines"]

FORMATS = PLAN_FORMATS


def hours(value: float | None) -> str:
    """Hours for people: `1,600 h`; — for none."""
    return "—" if value is None else f"{format_number(round(value, 2))} h"


def _value(value: float) -> str:
    return format_number(round(value, 2))


def _years(years: float) -> str:
    return "1 year" if years == 1 else f"{format_number(round(years, 3))} years"


def summary_lines(p: PlanResult) -> list[str]:
    """What the plan comes to, in sentences: hours, value, the gain over greedy."""
    s = p.made.setup
    share = f" ({p.value / p.total:.0%})" if p.total > 0 else ""
    lines = [
        f"Hours: {hours(p.hours_used)} used of {hours(s.capacity)}, {hours(p.hours_left)} left "
        f"(build + upkeep over {_years(s.years)}).",
        f"Value covered: {_value(p.value)} of {_value(p.total)}{share}.",
        f"Greedy (the ranking's top until the hours run out): {_value(p.greedy_value)} with "
        f"{hours(p.greedy_hours)}; this plan covers {_value(p.gain)} more.",
    ]
    return lines


def _why_left(left: float | None, short: float | None, option: object) -> str:
    if left is None:
        return "no build hours" + (f"; bought with {option}" if option else "")
    text = f"{hours(short)} more than are left" if short else "fits, but less value per hour"
    return text


def render_plan(p: PlanResult, run: RunInfo, fmt: str, screen: Screen = PLAIN) -> str:
    """The plan in one of FORMATS."""
    if fmt == "json":
        from ..analyses.documents import plan_document
        from ..engine.documents import document_text

        return document_text(plan_document(p, run))
    if fmt == "markdown":
        return _markdown(p, run)
    return rich_text(lambda console: _draw(console, p, run), screen)


def _costed_row(c: Costed) -> list[str]:
    return [
        str(c.item.rank),
        safe_text(c.item.integration),
        _value(c.value),
        hours(c.build),
        hours(c.upkeep),
        hours(c.hours),
    ]


def _draw(console: Console, p: PlanResult, run: RunInfo) -> None:
    from rich.text import Text

    s = p.made.setup
    console.print(
        Text(
            safe_text(
                f"Plan for {hours(s.capacity)} over {_years(s.years)} · config: {run.config_source}"
            ),
            style="bold",
        )
    )
    shares = _shares(p)
    table = simple_table()
    table.title = "Build"
    for name in ("#", "Integration", "Value", "Build", "Upkeep/yr", "Hours"):
        table.add_column(name, justify="left" if name == "Integration" else "right")
    if shares:
        table.add_column("In plans", justify="right")
    for c in p.built:
        table.add_row(*_costed_row(c), *([shares[c.item.key]] if shares else []))
    console.print(table if p.built else Text("Build: nothing"))
    if p.bought:
        console.print(Text("Buy", style="bold"))
        for b in p.bought:
            covered = ", ".join(c.item.integration for c in b.covers) or "nothing requested"
            console.print(
                Text(
                    safe_text(
                        f"  {b.option.name} ({b.option.category}): {hours(b.option.hours)}, "
                        f"covers {covered}"
                    )
                )
            )
    if p.left_out:
        out = simple_table()
        out.title = "Left out"
        for name in ("#", "Integration", "Value", "Would need", "Why"):
            out.add_column(name, justify="left" if name in ("Integration", "Why") else "right")
        if shares:
            out.add_column("In plans", justify="right")
        for left in p.left_out:
            c = left.costed
            out.add_row(
                str(c.item.rank),
                safe_text(c.item.integration),
                _value(c.value),
                hours(left.needs),
                safe_text(_why_left(left.needs, left.short, left.option and left.option.name)),
                *([shares[c.item.key]] if shares else []),
            )
        console.print(out)
    if p.never:
        names = ", ".join(c.item.integration for c in p.never)
        console.print(Text(safe_text(f"Ruled out (plan.never): {names}")))
    for line in summary_lines(p):
        console.print(Text(safe_text(line)))
    if p.vary is not None:
        console.print(Text(safe_text(_vary_line(p))))


def _shares(p: PlanResult) -> dict[str, str] | None:
    if p.shares is None:
        return None
    return {
        c.item.key: f"{share:.0%}" for c, share in zip(p.made.setup.costed, p.shares, strict=True)
    }


def _vary_line(p: PlanResult) -> str:
    from .sensitivity import describe

    assert p.vary is not None
    return f"In plans: the share of {describe(p.vary)} whose plan covers it."


def _markdown(p: PlanResult, run: RunInfo) -> str:
    s = p.made.setup
    shares = _shares(p)
    extra = " | In plans" if shares else ""
    lines = [
        f"**Plan for {hours(s.capacity)} over {_years(s.years)}**",
        "",
        f"| # | Build | Value | Build | Upkeep/yr | Hours{extra} |",
        "| --: | :-- | --: | --: | --: | --:" + (" | --:" if shares else "") + " |",
    ]
    for c in p.built:
        cells = _costed_row(c)
        cells[1] = markdown_cell(c.item.integration)
        if shares:
            cells.append(shares[c.item.key])
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for b in p.bought:
        covered = ", ".join(markdown_cell(c.item.integration) for c in b.covers)
        lines.append(
            f"- **Buy {markdown_cell(b.option.name)}** ({markdown_cell(b.option.category)}): "
            f"{hours(b.option.hours)}, covers {covered or 'nothing requested'}"
        )
    if p.bought:
        lines.append("")
    if p.left_out:
        lines += [
            f"| # | Left out | Value | Would need | Why{extra} |",
            "| --: | :-- | --: | --: | :--" + (" | --:" if shares else "") + " |",
        ]
        for left in p.left_out:
            c = left.costed
            why = _why_left(left.needs, left.short, left.option and left.option.name)
            cells = [
                str(c.item.rank),
                markdown_cell(c.item.integration),
                _value(c.value),
                hours(left.needs),
                markdown_cell(why),
            ]
            if shares:
                cells.append(shares[c.item.key])
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"{markdown_cell(line)}  " for line in summary_lines(p)]
    if p.vary is not None:
        lines.append(f"{markdown_cell(_vary_line(p))}  ")
    lines.append(f"_config: {markdown_cell(run.config_source)}_")
    return "\n".join(lines) + "\n"
