"""One self-contained HTML page: the ranking, a value-vs-effort chart, contributions and
requesters. No scripts, fonts, stylesheets or images from anywhere else: inline CSS and
hand-written SVG, so the file opens offline, prints, and reads on a phone."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..numbers import format_number
from .values import flag_text, show_score, show_value, tie_notes

if TYPE_CHECKING:
    from datetime import datetime

    from ..matrix import Placement
    from ..ranking import Ranking, RunInfo

__all__ = ["FORMATS", "render_report"]

FORMATS = ("html",)

PALETTE = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f", "#be185d"]

CSS = """
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --band: #f9fafb; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px 16px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.flags { color: #b45309; font-size: 0.9em; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
            vertical-align: -1px; }
svg { max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.bars td { padding: 4px 8px; }
.requesters li { margin: 2px 0; }
.note { color: var(--muted); }
@media (max-width: 640px) { body { font-size: 14px; padding: 12px 8px; }
  th, td { padding: 4px 5px; } }
@media print { body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; } tr, svg { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def render_report(
    ranking: Ranking,
    run: RunInfo,
    placements: list[Placement] | None,
    generated: datetime,
    matrix_note: str | None = None,
    value_split: float = 50.0,
    effort_split: float = 50.0,
) -> str:
    """The whole page as text."""
    rows = sum(i.rows for i in ranking.inputs)
    inputs = ", ".join(f"{i.source} ({i.rows} rows)" for i in ranking.inputs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Integration ranking</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Integration ranking</h1>",
        f'<p class="meta">{len(ranking.items)} integrations from {rows} rows · '
        f"generated {_e(generated.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        f'<p class="meta">config: <code>{_e(run.config_source)}</code> '
        f"(sha256 {_e(run.config_sha256[:12])}) · inputs: {_e(inputs)}</p>",
        f'<p class="meta">score: {_e(_score_rule(ranking))}</p></header>',
        _ranking_table(ranking),
        "<h2>Value vs effort</h2>",
    ]
    if placements is not None:
        parts.append(_scatter(placements, value_split, effort_split))
    else:
        parts.append(f'<p class="note">{_e(matrix_note or "Not available for this config.")}</p>')
    parts.append("<h2>What each score is made of</h2>")
    parts.append(_bars(ranking))
    parts.append("<h2>Requesters</h2>")
    parts.append(_requesters(ranking))
    parts.append(
        '<p class="note">Made with intscore. This page is self-contained: '
        "it loads nothing from the network.</p></body></html>"
    )
    return "\n".join(parts) + "\n"


def _score_rule(ranking: Ranking) -> str:
    if ranking.formula:
        return ranking.formula
    terms = " + ".join(f"{format_number(c.weight)}×{c.id}" for c in ranking.criteria)
    return f"100 × ({terms}) / maximum"


def _ranking_table(ranking: Ranking) -> str:
    head = ['<th class="num">#</th>', "<th>Integration</th>", '<th class="num">Score</th>']
    for c in ranking.criteria:
        head.append(f'<th class="num">{_e(c.title)}</th>')
    head.append('<th class="num">Requesters</th>')
    if ranking.has_rules:
        head.append("<th>Recommendation</th>")
    lines = ['<h2>Ranking</h2><div class="scroll"><table id="ranking">', "<thead><tr>"]
    lines += head
    lines.append("</tr></thead><tbody>")
    for item in ranking.items:
        cells = [
            f'<td class="num">{item.rank}</td>',
            f"<td>{_e(item.integration)}"
            + (
                f'<br><span class="flags">{_e(", ".join(flag_text(f) for f in item.flags))}</span>'
                if item.flags
                else ""
            )
            + "</td>",
            f'<td class="num"><strong>{_e(show_score(item.score))}</strong></td>',
        ]
        for c in ranking.criteria:
            s = item.criteria[c.id]
            cells.append(
                f'<td class="num">{_e(show_value(s.value))} '
                f'<span class="note">({_e(format_number(s.points))} pts)</span></td>'
            )
        cells.append(f'<td class="num">{item.requester_count()}</td>')
        if ranking.has_rules:
            advice = item.recommendation
            cells.append(
                f'<td title="{_e(advice.because)}">{_e(advice.label)}</td>'
                if advice
                else "<td></td>"
            )
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table></div>")
    notes = tie_notes(ranking)
    if notes:
        lines.append('<p class="note" id="tiebreaks">' + "<br>".join(map(_e, notes)) + "</p>")
    return "\n".join(lines)


def _scatter(placements: list[Placement], value_split: float, effort_split: float) -> str:
    width, height, margin = 720, 460, 48
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def x(effort: float) -> float:
        return margin + plot_w * effort / 100

    def y(value: float) -> float:
        return margin + plot_h * (1 - value / 100)

    sx, sy = x(effort_split), y(value_split)
    out = [
        f'<svg id="matrix" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        'aria-label="Value versus effort scatter chart">',
        f'<rect x="{margin}" y="{margin}" width="{plot_w}" height="{plot_h}" fill="#f9fafb" '
        'stroke="#d1d5db"/>',
        f'<line x1="{sx:.1f}" y1="{margin}" x2="{sx:.1f}" y2="{margin + plot_h}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<line x1="{margin}" y1="{sy:.1f}" x2="{margin + plot_w}" y2="{sy:.1f}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<text x="{margin + 6}" y="{margin + 14}" fill="#16a34a">Quick wins</text>',
        f'<text x="{margin + plot_w - 6}" y="{margin + 14}" text-anchor="end">Big bets</text>',
        f'<text x="{margin + 6}" y="{margin + plot_h - 6}">Fill-ins</text>',
        f'<text x="{margin + plot_w - 6}" y="{margin + plot_h - 6}" text-anchor="end" '
        'fill="#dc2626">Money pits</text>',
        f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle">effort →</text>',
        f'<text x="14" y="{height / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {height / 2})">value →</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        out.append(
            f'<text x="{x(tick):.1f}" y="{margin + plot_h + 14}" text-anchor="middle">{tick}</text>'
        )
        out.append(f'<text x="{margin - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    # Integrations at the same spot share one dot; their names stack beside it.
    spots: dict[tuple[float, float], list[Placement]] = {}
    for p in placements:
        spots.setdefault((round(p.effort, 1), round(p.value, 1)), []).append(p)
    for (effort, value), group in spots.items():
        cx, cy = x(effort), y(value)
        names = ", ".join(p.item.integration for p in group)
        out.append(
            f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="{5 + min(len(group), 6)}" '
            f'fill="#2563eb" fill-opacity="0.75"><title>{_e(names)}</title></circle>'
        )
        anchor = "end" if cx > margin + plot_w * 0.7 else "start"
        dx = -10 if anchor == "end" else 10
        for n, p in enumerate(group[:6]):
            label = p.item.integration if n < 5 or len(group) == 6 else f"+{len(group) - 5} more"
            out.append(
                f'<text class="label" x="{cx + dx:.1f}" y="{cy + 4 + 12 * n:.1f}" '
                f'text-anchor="{anchor}">{_e(label)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _bars(ranking: Ranking) -> str:
    if ranking.formula:
        return (
            '<p class="note">This config scores with a formula, so scores are not sums of '
            "contributions.</p>"
        )
    colors = {c.id: PALETTE[n % len(PALETTE)] for n, c in enumerate(ranking.criteria)}
    legend = "".join(
        f'<span><i style="background:{colors[c.id]}"></i>{_e(c.title)}</span>'
        for c in ranking.criteria
    )
    lines = [f'<p class="legend">{legend}</p>', '<div class="scroll"><table class="bars">']
    for item in ranking.items:
        x = 0.0
        rects = []
        for c in ranking.criteria:
            share = item.criteria[c.id].contribution or 0.0
            if share > 0:
                rects.append(
                    f'<rect x="{x * 4:.1f}" y="0" width="{share * 4:.1f}" height="16" '
                    f'fill="{colors[c.id]}"><title>{_e(c.title)}: {share:.1f}</title></rect>'
                )
            x += share
        lines.append(
            f"<tr><td>{_e(item.integration)}</td>"
            f'<td class="num">{_e(show_score(item.score))}</td>'
            '<td><svg class="bar" viewBox="0 0 400 16" '
            'width="400" height="16" role="img" '
            f'aria-label="{_e(item.integration)} score parts">'
            '<rect x="0" y="0" width="400" height="16" fill="#f3f4f6"/>'
            + "".join(rects)
            + "</svg></td></tr>"
        )
    lines.append("</table></div>")
    return "\n".join(lines)


def _requesters(ranking: Ranking) -> str:
    lines = ['<ul class="requesters">']
    for item in ranking.items:
        accounts = sorted({r.account for r in item.requesters if r.account}, key=str.casefold)
        shown = ", ".join(accounts[:50])
        if len(accounts) > 50:
            shown += f", and {len(accounts) - 50} more"
        lines.append(
            f"<li><strong>{_e(item.integration)}</strong> "
            f"({item.requester_count()}): {_e(shown) or '—'}</li>"
        )
    lines.append("</ul>")
    return "\n".join(lines)
