"""The report's estimates: for each integration, each estimated field's range of
estimates — every estimator's value, the smallest and largest, the combined value the ranking
uses, and how well the estimators agree — so a reader sees where the team should talk."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.ranking import RankedItem, Ranking

__all__ = ["estimates_section", "range_title"]

CSS = """
.agreement-low { color: #b91c1c; font-weight: 600; }
.agreement-medium { color: #b45309; }
.range { white-space: nowrap; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def range_title(item: RankedItem, field: str | None) -> str:
    """A ranking cell's ` title="..."` naming its range of estimates (none: not estimated)."""
    estimated = item.estimates.get(field or "")
    if estimated is None:
        return ""
    c = estimated.combined
    span = (
        "" if c.low is None or c.low == c.high else f", range {c.show(c.low)} to {c.show(c.high)}"
    )
    words = f"{c.how} of {c.n} estimate{'s' * (c.n != 1)}{span}, agreement {c.agreement}"
    return f' title="{_e(words)}"'


def estimates_section(ranking: Ranking, shown: int) -> str:
    """The section (empty without an `estimates:` section): the first `shown` integrations."""
    if not ranking.estimated:
        return ""
    lines = [
        "<h2>Estimates</h2>",
        '<p class="note">Each estimated field: every estimator\'s value, the range from the '
        "smallest to the largest, the combined value the ranking uses, and how well the "
        "estimators agree (low: their spread is above the field's <code>disagree</code> "
        "limit).</p>",
        '<div class="scroll"><table id="estimates"><thead><tr><th>Integration</th>'
        '<th>Field</th><th class="num">Range</th><th class="num">Combined</th>'
        "<th>Agreement</th><th>Estimates</th></tr></thead><tbody>",
    ]
    for item in ranking.items[:shown]:
        missing = [f for f in ranking.estimated if f not in item.estimates]
        for name, estimated in item.estimates.items():
            c = estimated.combined
            low = "—" if c.low is None else c.show(c.low)
            span = low if c.low == c.high else f"{low} – {c.show(c.high)}"
            lines.append(
                f'<tr data-integration="{_e(item.integration)}" data-field="{_e(name)}">'
                f"<td>{_e(item.integration)}</td><td>{_e(name)}</td>"
                f'<td class="num range">{_e(span)}</td>'
                f'<td class="num"><strong>{_e(c.show(c.value))}</strong> '
                f'<span class="note">({_e(c.how)})</span></td>'
                f'<td class="agreement-{c.agreement}">{c.agreement} (n={c.n})</td>'
                f"<td>{_e(c.listing())}</td></tr>"
            )
        if missing:
            lines.append(
                f'<tr data-integration="{_e(item.integration)}"><td>{_e(item.integration)}'
                f'</td><td>{_e(", ".join(missing))}</td><td colspan="4" class="note">'
                "nobody estimated</td></tr>"
            )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
