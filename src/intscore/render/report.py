"""One self-contained HTML page: the ranking, a value-vs-effort chart, contributions and
requesters — and sliders to move each weight and watch the ranking re-order (the what-if
report). Nothing is fetched from anywhere: inline CSS, hand-written SVG and one inline script,
all allowed by hash in a Content-Security-Policy; without JavaScript the page is the static
ranking. It opens offline, prints, and reads on a phone."""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from ..numbers import format_number, plain_number
from .values import flag_text, show_score, show_value, tie_notes

if TYPE_CHECKING:
    from datetime import datetime

    from ..analyses.matrix import Placement
    from ..engine.ranking import Ranking, RunInfo

__all__ = ["FORMATS", "render_report"]

FORMATS = ("html",)

SHOWN_ROWS = 100  # rows of a long ranking shown before "show all" (the rest re-order unseen)
SHOWN_PARTS = 200  # integrations with a score bar and a requester list
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
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.c0 { background: #2563eb; } .c1 { background: #16a34a; } .c2 { background: #d97706; }
.c3 { background: #9333ea; } .c4 { background: #dc2626; } .c5 { background: #0891b2; }
.c6 { background: #4d7c0f; } .c7 { background: #be185d; }
#what-if { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
#what-if h2 { margin-top: 0; border: 0; }
.weight { display: grid; grid-template-columns: minmax(8em, 14em) 1fr 6em; gap: 8px;
          align-items: center; margin: 6px 0; }
.weight input[type=range] { width: 100%; }
.weight input[type=number] { width: 6em; }
.actions { margin-top: 8px; }
#weights-yaml { background: var(--band); padding: 8px; border-radius: 6px; }
td.move { width: 3em; }
#ranking.folded tbody tr:nth-child(n+101) { display: none; }
#ranking { table-layout: auto; }
.up { color: #15803d; } .down { color: #b91c1c; }
circle.point { fill: #2563eb; fill-opacity: 0.75; }
text.quadrant { font-weight: 600; }
@media (max-width: 640px) { body { font-size: 14px; padding: 12px 8px; }
  th, td { padding: 4px 5px; }
  .weight { grid-template-columns: 1fr; } }
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
    script = _script()
    policy = (
        "default-src 'none'; "
        f"script-src '{_digest(script)}'; style-src '{_digest(CSS)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Integration ranking</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Integration ranking</h1>",
        f'<p class="meta">{len(ranking.items)} integrations from {rows} rows · '
        f"generated {_e(generated.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        f'<p class="meta">config: <code>{_e(run.config_source)}</code> '
        f"(sha256 {_e(run.config_sha256[:12])}) · inputs: {_e(inputs)}"
        + (f" · as of {_e(run.as_of.isoformat())}" if ranking.dated and run.as_of else "")
        + "</p>",
        f'<p class="meta">score: {_e(_score_rule(ranking))}</p></header>',
    ]
    if not ranking.formula:
        parts.append(_what_if(ranking))
    parts += [
        _ranking_table(ranking),
        "<h2>Value vs effort</h2>",
    ]
    chart = None
    if placements is not None:
        svg, chart = _scatter(placements, value_split, effort_split)
        parts.append(svg)
    else:
        parts.append(f'<p class="note">{_e(matrix_note or "Not available for this config.")}</p>')
    parts.append("<h2>What each score is made of</h2>")
    parts.append(_bars(ranking))
    parts.append("<h2>Requesters</h2>")
    parts.append(_requesters(ranking))
    parts.append(
        '<p class="note">Made with intscore. This page is self-contained: '
        "it loads nothing from the network.</p>"
    )
    parts.append(_data(ranking, chart))
    parts.append(f"<script>{script}</script></body></html>")
    return "\n".join(parts) + "\n"


def _script() -> str:
    return resources.files("intscore.render").joinpath("report.js").read_text(encoding="utf-8")


def _digest(text: str) -> str:
    """A CSP source for inline code: its sha256, base64."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _what_if(ranking: Ranking) -> str:
    """The weights panel: hidden until the script shows it (without JavaScript it would do
    nothing), one labelled slider and number per criterion, a reset, the YAML to copy."""
    total = sum(c.weight for c in ranking.criteria)
    top = max(total, max(c.weight for c in ranking.criteria), 1.0)
    step = _step(top)
    lines = [
        '<section id="what-if" hidden aria-labelledby="what-if-title">',
        '<h2 id="what-if-title">What if the weights were different?</h2>',
        '<p class="note">Move a weight: the ranking and the chart re-order at once, from the '
        "same points. ▲/▼ show the move against the config's own order.</p>",
    ]
    for c in ranking.criteria:
        weight = plain_number(c.weight)
        lines.append(
            f'<div class="weight"><label for="weight-{_e(c.id)}">{_e(c.title)}</label>'
            f'<input type="range" id="weight-{_e(c.id)}" name="weight-{_e(c.id)}" min="0" '
            f'max="{_e(plain_number(top))}" step="{_e(step)}" value="{_e(weight)}">'
            f'<input type="number" name="number-{_e(c.id)}" min="0" step="{_e(step)}" '
            f'value="{_e(weight)}" aria-label="{_e(c.title)} weight"></div>'
        )
    lines += [
        '<div class="actions"><button type="button" id="reset-weights">'
        "Reset to the config's weights</button> "
        '<button type="button" id="copy-weights">Copy as YAML</button></div>',
        '<p class="note">Paste into scoring.yaml:</p>',
        f'<pre id="weights-yaml">{_e(_weights_yaml(ranking))}</pre>',
        "</section>",
    ]
    return "\n".join(lines)


def _step(top: float) -> str:
    """A slider step of about a hundredth of the range, a power of ten."""
    power = 1.0
    while power * 10 <= top / 10:
        power *= 10
    while power > top / 100 and power > 1e-6:
        power /= 10
    return plain_number(power)


def _weights_yaml(ranking: Ranking) -> str:
    lines = ["criteria:"]
    for c in ranking.criteria:
        lines += [f"  - id: {c.id}", f"    weight: {plain_number(c.weight)}"]
    return "\n".join(lines) + "\n"


def _data(ranking: Ranking, chart: dict[str, float] | None) -> str:
    """What the script re-weights: each item's points, its place among equal scores."""
    titles = {c.id: c.title.lower() for c in ranking.criteria}
    data = {
        "formula": bool(ranking.formula),
        "criteria": [
            {"id": c.id, "weight": c.weight, "max": c.max_points, "kind": c.kind}
            for c in ranking.criteria
        ],
        "items": [
            {
                "name": item.integration,
                "points": [item.criteria[c.id].points for c in ranking.criteria],
                "order": item.tie_order,
                "group": item.tie_group,
                "rank": item.rank,
            }
            for item in ranking.items
        ],
        "tiebreak": ", then ".join(titles.get(cid, cid) for cid in ranking.tiebreak),
        "chart": chart,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="intscore-data">{text}</script>'


def _score_rule(ranking: Ranking) -> str:
    if ranking.formula:
        return ranking.formula
    terms = " + ".join(f"{format_number(c.weight)}×{c.id}" for c in ranking.criteria)
    return f"100 × ({terms}) / maximum"


def _ranking_table(ranking: Ranking) -> str:
    head = [
        '<th class="num">#</th>',
        '<th class="move"><span class="sr">Move</span></th>',
        "<th>Integration</th>",
        '<th class="num">Score</th>',
    ]
    for c in ranking.criteria:
        head.append(f'<th class="num">{_e(c.title)}</th>')
    head.append('<th class="num">Requesters</th>')
    if ranking.has_rules:
        head.append("<th>Recommendation</th>")
    folded = len(ranking.items) > SHOWN_ROWS  # by the script: without it, every row shows
    lines = ['<h2>Ranking</h2><div class="scroll"><table id="ranking">', "<thead><tr>"]
    lines += head
    lines.append("</tr></thead><tbody>")
    for index, item in enumerate(ranking.items):
        flags = (
            f'<br><span class="flags">{_e(", ".join(flag_text(f) for f in item.flags))}</span>'
            if item.flags
            else ""
        )
        cells = [
            f'<td class="num">{item.rank}</td>',
            '<td class="move"></td>',
            f"<td>{_e(item.integration)}{flags}</td>",
            f'<td class="num"><strong class="score">{_e(show_score(item.score))}</strong></td>',
        ]
        for c in ranking.criteria:
            score = item.criteria[c.id]
            cells.append(
                f'<td class="num">{_e(show_value(score.value))} '
                f'<span class="note">({_e(format_number(score.points))} pts)</span></td>'
            )
        cells.append(f'<td class="num">{item.requester_count()}</td>')
        if ranking.has_rules:
            advice = item.recommendation
            cells.append(
                f'<td title="{_e(advice.because)}">{_e(advice.label)}</td>'
                if advice
                else "<td></td>"
            )
        score = "" if item.score is None else repr(item.score)
        lines.append(
            f'<tr data-integration="{_e(item.integration)}" data-index="{index}" '
            f'data-rank="{item.rank}" data-score="{_e(score)}">' + "".join(cells) + "</tr>"
        )
    lines.append("</tbody></table></div>")
    if folded:
        lines.append(
            f'<p hidden><button type="button" id="show-all">Show all {len(ranking.items):,} '
            f"integrations</button> (the first {SHOWN_ROWS} are shown)</p>"
        )
    notes = tie_notes(ranking)
    lines.append(
        '<p class="note" id="tiebreaks"'
        + ("" if notes else " hidden")
        + ">"
        + "<br>".join(map(_e, notes))
        + "</p>"
    )
    return "\n".join(lines)


def _scatter(
    placements: list[Placement], value_split: float, effort_split: float
) -> tuple[str, dict[str, float]]:
    """The chart, and its geometry for the script that redraws its points. Quadrant names
    sit in the margins, outside the plot, so no point's label can ever cover one."""
    width, height = 720, 520
    left, right, top, bottom = 48, 24, 44, 84
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(effort: float) -> float:
        return left + plot_w * effort / 100

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 100)

    sx, sy = x(effort_split), y(value_split)
    base = top + plot_h
    out = [
        f'<svg id="matrix" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        'aria-label="Value versus effort scatter chart">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f9fafb" '
        'stroke="#d1d5db"/>',
        f'<line x1="{sx:.1f}" y1="{top}" x2="{sx:.1f}" y2="{base}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<line x1="{left}" y1="{sy:.1f}" x2="{left + plot_w}" y2="{sy:.1f}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<text class="quadrant" x="{left}" y="{top - 12}" fill="#16a34a">↖ Quick wins</text>',
        f'<text class="quadrant" x="{left + plot_w}" y="{top - 12}" text-anchor="end">'
        "Big bets ↗</text>",
        f'<text class="quadrant" x="{left}" y="{base + 34}">↙ Fill-ins</text>',
        f'<text class="quadrant" x="{left + plot_w}" y="{base + 34}" text-anchor="end" '
        'fill="#dc2626">Money pits ↘</text>',
        f'<text x="{left + plot_w / 2}" y="{height - 12}" text-anchor="middle">effort →</text>',
        f'<text x="14" y="{top + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2})">value →</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        out.append(f'<text x="{x(tick):.1f}" y="{base + 14}" text-anchor="middle">{tick}</text>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    # Integrations at the same spot share one dot; their names stack beside it (upwards at
    # the bottom, so they stay in the plot).
    out.append('<g id="points">')
    spots: dict[tuple[float, float], list[Placement]] = {}
    for p in placements:
        spots.setdefault((round(p.effort, 1), round(p.value, 1)), []).append(p)
    for group in spots.values():
        cx, cy = x(group[0].effort), y(group[0].value)
        names = ", ".join(p.item.integration for p in group)
        out.append(
            f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="{5 + min(len(group), 6)}">'
            f"<title>{_e(names)}</title></circle>"
        )
        end = cx > left + plot_w * 0.7
        shown = min(len(group), 6)
        up = cy + 4 + 12 * (shown - 1) > base - 2
        for n, p in enumerate(group[:6]):
            label = p.item.integration if n < 5 or len(group) == 6 else f"+{len(group) - 5} more"
            ly = cy + 4 - 12 * n if up else cy + 4 + 12 * n
            out.append(
                f'<text class="label" x="{cx + (-10 if end else 10):.1f}" y="{ly:.1f}" '
                f'text-anchor="{"end" if end else "start"}">{_e(label)}</text>'
            )
    out.append("</g></svg>")
    chart = {"left": left, "top": top, "width": plot_w, "height": plot_h}
    return "\n".join(out), chart


def _bars(ranking: Ranking) -> str:
    if ranking.formula:
        return (
            '<p class="note">This config scores with a formula, so scores are not sums of '
            "contributions.</p>"
        )
    colors = {c.id: PALETTE[n % len(PALETTE)] for n, c in enumerate(ranking.criteria)}
    legend = "".join(
        f'<span><i class="c{n % len(PALETTE)}"></i>{_e(c.title)}</span>'
        for n, c in enumerate(ranking.criteria)
    )
    lines = [f'<p class="legend">{legend}</p>', '<div class="scroll"><table class="bars">']
    for item in ranking.items[:SHOWN_PARTS]:
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
    lines.append(_more(ranking))
    return "\n".join(lines)


def _more(ranking: Ranking) -> str:
    """A note where a long ranking's details stop."""
    more = len(ranking.items) - SHOWN_PARTS
    if more <= 0:
        return ""
    return (
        f'<p class="note">The first {SHOWN_PARTS} of {len(ranking.items):,} integrations; '
        "<code>intscore explain NAME</code> tells any one in full.</p>"
    )


def _requesters(ranking: Ranking) -> str:
    lines = ['<ul class="requesters">']
    for item in ranking.items[:SHOWN_PARTS]:
        accounts = sorted({r.account for r in item.requesters if r.account}, key=str.casefold)
        shown = ", ".join(accounts[:20])
        if len(accounts) > 20:
            shown += f", and {len(accounts) - 20} more"
        lines.append(
            f"<li><strong>{_e(item.integration)}</strong> "
            f"({item.requester_count()}): {_e(shown) or '—'}</li>"
        )
    lines.append("</ul>")
    lines.append(_more(ranking))
    return "\n".join(lines)
