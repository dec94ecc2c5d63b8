"""The report's plan (what to build, buy and leave out, and the hours) and its roll-up by
category: static HTML sections (they do not follow the sliders: a plan is computed at the
config's own weights)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..numbers import format_number
from .categories import top_text
from .plan import hours, summary_lines

if TYPE_CHECKING:
    from ..analyses.categories import Rollup
    from ..analyses.plan import PlanResult
    from ..analyses.whatif import WhatIf

__all__ = ["categories_section", "plan_rules_note", "plan_section"]


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def plan_rules_note(what_if: WhatIf) -> list[str]:
    """The what-if panel's note on rules that test the plan (none: no note)."""
    on_plan = [n for n, r in enumerate(what_if.rules, 1) if r.on_plan]
    if not on_plan:
        return []
    numbers = ", ".join(map(str, on_plan))
    return [
        f'<p class="note" id="plan-rules">Rules {numbers} test the plan, which is computed at '
        "the config's own weights: where they decide, the recommendation does not follow the "
        "sliders.</p>"
    ]


def plan_section(p: PlanResult | None) -> str:
    """What the plan builds, buys and leaves out, with the hours ("" without a plan)."""
    if p is None:
        return ""
    s = p.made.setup
    lines = [
        '<section id="plan"><h2>Plan</h2>',
        f'<p class="note">For {_e(hours(s.capacity))}, counting upkeep over '
        f"{_e(format_number(round(s.years, 3)))} year(s), at the config's own weights.</p>",
        '<div class="scroll"><table id="plan-table"><thead><tr><th class="num">#</th>'
        '<th>Integration</th><th>Plan</th><th class="num">Value</th>'
        '<th class="num">Hours</th></tr></thead><tbody>',
    ]
    rows = [(c, "build", c.hours) for c in p.built]
    for b in p.bought:
        rows += [(c, f"buy: {b.option.name}", None) for c in b.covers]
    rows += [(left.costed, "left out", left.needs) for left in p.left_out]
    rows.sort(key=lambda row: (row[0].item.rank, row[0].item.integration))
    for c, what, spent in rows:
        lines.append(
            f'<tr data-plan="{_e(what)}"><td class="num">{c.item.rank}</td>'
            f"<td>{_e(c.item.integration)}</td><td>{_e(what)}</td>"
            f'<td class="num">{_e(format_number(round(c.value, 2)))}</td>'
            f'<td class="num">{_e(hours(spent))}</td></tr>'
        )
    lines.append("</tbody></table></div>")
    for b in p.bought:
        lines.append(
            f"<p>Buy <strong>{_e(b.option.name)}</strong> ({_e(b.option.category)}): "
            f"{_e(hours(b.option.hours))}.</p>"
        )
    lines += [f'<p class="meta">{_e(line)}</p>' for line in summary_lines(p)]
    lines.append("</section>")
    return "\n".join(lines)


def categories_section(rollup: Rollup | None) -> str:
    """The roll-up by category ("" without one)."""
    if rollup is None:
        return ""
    size = "Size" if rollup.size is None else f"{rollup.size.title} (accounts)"
    lines = [
        '<section id="categories"><h2>By category</h2>',
        '<div class="scroll"><table id="categories-table"><thead><tr><th>Category</th>'
        '<th class="num">Integrations</th><th class="num">Accounts</th>'
        f'<th class="num">{_e(size)}</th><th>Top integrations</th></tr></thead><tbody>',
    ]
    for roll in rollup.categories:
        shown = "—" if roll.size is None else format_number(roll.size)
        lines.append(
            f'<tr data-category="{_e(roll.category)}"><td>{_e(roll.category)}</td>'
            f'<td class="num">{len(roll.items)}</td><td class="num">{roll.accounts}</td>'
            f'<td class="num">{_e(shown)}</td><td>{_e(top_text(roll))}</td></tr>'
        )
    lines.append("</tbody></table></div></section>")
    return "\n".join(lines)
