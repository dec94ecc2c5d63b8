"""One self-contained HTML page: the ranking, a value-vs-effort chart, contributions and
requesters — and sliders to move each weight and watch the ranking re-order (the what-if
report). Nothing is fetched from anywhere: inline CSS, hand-written SVG and one inline script,
all allowed by hash in a Content-Security-Policy; without JavaScript the page is the static
ranking. It opens offline, prints, and reads on a phone."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from ..analyses.matrix import QUADRANTS
from ..model.compiled import MAX_POINTS
from ..numbers import format_number, plain_number
from .report_chart import PHONE, WIDE, scatter
from .report_estimates import CSS as ESTIMATES_CSS
from .report_estimates import estimates_section, range_title
from .report_plan import categories_section, plan_rules_note, plan_section
from .values import flag_text, show_score, show_value, tie_notes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ..analyses.categories import Rollup
    from ..analyses.matrix import Placement
    from ..analyses.plan import PlanResult
    from ..analyses.whatif import WhatIf
    from ..engine.ranking import Ranking, RunInfo

__all__ = ["FORMATS", "render_report"]

FORMATS = ("html",)

SHOWN_ROWS = 100  # rows of a long ranking shown before "show all" (the rest re-order unseen)
SHOWN_PARTS = 200  # integrations with a score bar and a requester list
MAX_WEIGHT = plain_number(MAX_POINTS)  # what scoring.yaml accepts
PALETTE = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f", "#be185d"]


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
    what_if: WhatIf | None = None,
    planned: PlanResult | None = None,
    rollup: Rollup | None = None,
    summary_note: str | None = None,
) -> str:
    """The whole page as text; `what_if` gives the sliders recommendations and the config's
    text to rewrite (without it, no recommendation follows them and no YAML is offered);
    `planned` and `rollup` add the plan and the roll-up by category; `summary_note` says
    what `report_size.summarised` left out."""
    rows = sum(i.rows for i in ranking.inputs)
    inputs = ", ".join(f"{i.source} ({_count(i.rows, 'row')})" for i in ranking.inputs)
    script = _asset("report.js")
    style = (
        _asset("report.css")
        + _number_cells(ranking)
        + (ESTIMATES_CSS if ranking.estimated else "")
        + _card_labels(ranking)
    )
    policy = (
        "default-src 'none'; "
        f"script-src '{_digest(script)}'; style-src '{_digest(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Integration ranking</title>",
        f"<style>{style}</style></head><body>",
        "<header><h1>Integration ranking</h1>",
        f'<p class="meta">{_count(len(ranking.items), "integration")} from {_count(rows, "row")} · '
        f"generated {_e(generated.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        f'<p class="meta">config: <code>{_e(run.config_source)}</code> '
        f"(sha256 {_e(run.config_sha256[:12])}) · inputs: {_e(inputs)}"
        + (f" · as of {_e(run.as_of.isoformat())}" if ranking.dated and run.as_of else "")
        + "</p>",
        f'<p class="meta">score: {_e(_score_rule(ranking))}</p>'
        + (f'<p class="note" id="summary">{_e(summary_note)}</p>' if summary_note else "")
        + "</header>",
    ]
    if not ranking.formula:
        parts.append(_what_if(ranking, what_if))
    parts += [
        _ranking_table(ranking),
        "<h2>Value vs effort</h2>",
    ]
    charts = None
    if placements is not None:
        wide, wide_shape = scatter(placements, value_split, effort_split, WIDE)
        phone, phone_shape = scatter(placements, value_split, effort_split, PHONE)
        parts += [
            f'<div class="wide-only">{wide}</div>',
            f'<div class="phone-only">{phone}{_key(placements)}</div>',
        ]
        charts = {
            "wide": wide_shape,
            "phone": phone_shape,
            "valueSplit": value_split,
            "effortSplit": effort_split,
            # In the key's order: [high value?, high effort?, name].
            "quadrants": [[v, e, name] for (v, e), name in QUADRANTS.items()],
        }
    else:
        parts.append(f'<p class="note">{_e(matrix_note or "Not available for this config.")}</p>')
    parts += [section for section in (plan_section(planned), categories_section(rollup)) if section]
    parts.append("<h2>What each score is made of</h2>")
    parts.append(_bars(ranking))
    parts.append(estimates_section(ranking, SHOWN_PARTS))
    parts.append("<h2>Requesters</h2>")
    parts.append(_requesters(ranking))
    parts.append(
        '<p class="note">Made with intscore. This page is self-contained: '
        "it loads nothing from the network.</p>"
    )
    parts.append(_data(ranking, charts, what_if))
    parts.append(f"<script>{script}</script></body></html>")
    return "\n".join(parts) + "\n"


def _asset(name: str) -> str:
    """A file shipped beside this module (the page's stylesheet and script)."""
    return resources.files("intscore.render").joinpath(name).read_text(encoding="utf-8")


def _digest(text: str) -> str:
    """A CSP source for inline code: its sha256, base64."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _what_if(ranking: Ranking, what_if: WhatIf | None) -> str:
    """The weights panel: hidden until the script shows it (without JavaScript it would do
    nothing), one labelled slider and number per criterion, a reset, and the whole
    scoring.yaml with the weights shown, to copy or download."""
    total = sum(c.weight for c in ranking.criteria)
    top = max(total, max(c.weight for c in ranking.criteria), 1.0)
    step = _step(top)
    follows = " and each recommendation" if ranking.has_rules and what_if else ""
    lines = [
        '<section id="what-if" hidden aria-labelledby="what-if-title">',
        '<h2 id="what-if-title">What if the weights were different?</h2>',
        f'<p class="note">Move a weight: the ranking{follows} and the chart follow at once, '
        "from the same points, as <code>intscore rank</code> would give them. ▲/▼ show the "
        "move against the config's own order.</p>",
    ]
    for c in ranking.criteria:
        weight = plain_number(c.weight)
        lines.append(
            f'<div class="weight"><label for="weight-{_e(c.id)}">{_e(c.title)}</label>'
            f'<input type="range" id="weight-{_e(c.id)}" name="weight-{_e(c.id)}" min="0" '
            f'max="{_e(plain_number(top))}" step="{_e(step)}" value="{_e(weight)}">'
            f'<input type="number" name="number-{_e(c.id)}" min="0" max="{MAX_WEIGHT}" '
            f'step="{_e(step)}" value="{_e(weight)}" aria-label="{_e(c.title)} weight"></div>'
        )
    lines.append(
        '<div class="actions"><button type="button" id="reset-weights">'
        "Reset to the config's weights</button>"
    )
    if ranking.has_rules and what_if is not None:
        lines[3:3] = plan_rules_note(what_if)
    if what_if is None or what_if.template is None:
        lines += ["</div>", "</section>"]
        return "\n".join(lines)
    template, name = what_if.template, _e(what_if.file_name)
    text = template.text()
    lines += [
        f' <button type="button" id="copy-weights">Copy {name}</button>'
        f' <a id="download-weights" download="{name}" href="{_data_url(text)}">'
        f"Download {name}</a></div>",
        f"<details><summary>{name} with these weights ({text.count(chr(10)) + 1} lines)</summary>",
        # The parser drops one newline right after <pre>: this one, never the text's own.
        f'<pre id="weights-yaml">\n{_e(text)}</pre></details>',
    ]
    if not template.kept:
        lines.append(
            '<p class="note">Written out again from the config: its comments and layout '
            "could not be kept.</p>"
        )
    lines.append("</section>")
    return "\n".join(lines)


def _data_url(text: str) -> str:
    from urllib.parse import quote

    return "data:text/yaml;charset=utf-8," + quote(text, safe="")


def _step(top: float) -> str:
    """A slider step of about a hundredth of the range, a power of ten."""
    power = 1.0
    while power * 10 <= top / 10:
        power *= 10
    while power > top / 100 and power > 1e-6:
        power /= 10
    return plain_number(power)


def _data(ranking: Ranking, charts: dict[str, object] | None, what_if: WhatIf | None) -> str:
    """What the script re-weights: each item's points, its place among equal scores and the
    rules its fields pass (as an index into `holdings`: items share a few such lists); the
    recommendation rules' tests on the score (criterion -1) or points; the YAML template."""
    titles = {c.id: c.title.lower() for c in ranking.criteria}
    ids = [c.id for c in ranking.criteria]
    advising = what_if if what_if and ranking.has_rules else None
    holdings: dict[tuple[int, ...], int] = {}
    items = _item_columns(ranking, advising.holding if advising else None, holdings)
    template = what_if.template if what_if else None
    data = {
        "formula": bool(ranking.formula),
        "criteria": [
            {"id": c.id, "weight": c.weight, "max": c.max_points, "kind": c.kind}
            for c in ranking.criteria
        ],
        "items": items,
        "tiebreak": ", then ".join(titles.get(cid, cid) for cid in ranking.tiebreak),
        "charts": charts,
        "holdings": [list(h) for h in holdings],
        "rules": [
            {
                "label": r.label,
                "because": r.because,
                "plan": r.on_plan,
                "tests": [
                    [-1 if t.key == "score" else ids.index(t.key), t.at_least, t.below]
                    for t in r.tests
                ],
            }
            for r in (advising.rules if advising else ())
        ],
        "yaml": None
        if template is None
        else [
            p if isinstance(p, str) else [p.criterion, p.written, p.before, p.after]
            for p in template.pieces
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="intscore-data">{text}</script>'


def _number_cells(ranking: Ranking) -> str:
    """The ranking's number cells aligned as `td.num` (the rule's specificity is td.num's):
    every cell but the move, the name and the recommendation."""
    text = [":nth-child(2)", ":nth-child(3)"]
    if ranking.has_rules:
        text.append(f":nth-child({len(ranking.criteria) + 6})")
    return (
        f":where(#ranking > tbody > tr) > td:not({', '.join(text)}) "
        "{ text-align: right; font-variant-numeric: tabular-nums; }\n"
    )


def _item_columns(
    ranking: Ranking,
    holding: Sequence[tuple[int, ...]] | None,
    holdings: dict[tuple[int, ...], int],
) -> dict[str, object]:
    """Each item's points, tie order and group, rank and the index of the rules its fields
    pass (in `holdings`, which it fills): columns, not an object per item. The names are the
    ranking rows' data-integration."""
    items: dict[str, object] = {
        "points": [
            [_whole(item.criteria[c.id].points) for item in ranking.items] for c in ranking.criteria
        ],
        "order": [item.tie_order for item in ranking.items],
        "group": [item.tie_group for item in ranking.items],
        "rank": [item.rank for item in ranking.items],
    }
    if any("\r" in item.integration for item in ranking.items):
        items["name"] = [item.integration for item in ranking.items]  # HTML reads \r as \n
    if holding is not None:
        items["rules"] = [
            holdings.setdefault(holding[n], len(holdings)) for n in range(len(ranking.items))
        ]
    return items


def _whole(points: float) -> float | int:
    """Whole points as an integer (`2`, not `2.0`: the same number to the script)."""
    if points.__class__ is float and points.is_integer() and math.copysign(1.0, points) > 0:
        return int(points)
    return points


def _card_labels(ranking: Ranking) -> str:
    """On a phone each row is a card, its cells after the score labelled by their column."""
    titles = [c.title for c in ranking.criteria] + ["Requesters"]
    if ranking.has_rules:
        titles.append("Recommendation")
    rules = "".join(
        f'#ranking td:nth-child({n})::before {{ content: "{_css_text(title)}"; }}\n'
        for n, title in enumerate(titles, 5)
    )
    return f"@media (max-width: 640px) {{\n{rules}}}\n"


def _css_text(text: str) -> str:
    """Text safe inside a CSS string: anything but letters, digits and spaces escaped."""
    return "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text
    )


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
    body = []
    for item in ranking.items:
        flags = (
            f'<br><span class="flags">{_e(", ".join(flag_text(f) for f in item.flags))}</span>'
            if item.flags
            else ""
        )
        cells = [
            f"<td>{item.rank}",
            "<td class=move>",
            f"<td>{_e(item.integration)}{flags}",
            f"<td><strong class=score>{_e(show_score(item.score))}</strong>",
        ]
        for c in ranking.criteria:
            part = item.criteria[c.id]
            unit = "pt" if part.points == 1 else "pts"
            cells.append(
                f"<td{range_title(item, c.field)}>{_e(show_value(part.value))} "
                f"<span class=note>({_e(format_number(part.points))} {unit})</span>"
            )
        cells.append(f"<td>{item.requester_count()}")
        if ranking.has_rules:
            advice = item.recommendation
            cells.append(
                f'<td title="{_e(advice.because)}">{_e(advice.label)}' if advice else "<td>"
            )
        score = "" if item.score is None else repr(item.score)
        body.append(
            f'<tr data-integration="{_e(item.integration)}" data-rank={item.rank} '
            f'data-score="{_e(score)}">' + "".join(cells)
        )
    # A row's and a cell's end tags are implied, and a word needs no quotes (HTML): 10,000
    # rows are 2.8 MB, not 4.3.
    lines.append("".join(body) + "</tbody></table></div>")  # no space in the last cell
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


def _key(placements: list[Placement]) -> str:
    """Under the phone chart: who each number is, quadrant by quadrant."""
    lines = ['<div class="key" id="matrix-key">']
    for quadrant in QUADRANTS.values():
        names = [
            f"{p.item.rank} {p.item.integration}" for p in placements if p.quadrant == quadrant
        ]
        lines.append(f"<p><strong>{quadrant}</strong>: {_e(', '.join(names)) or '—'}</p>")
    lines.append("</div>")
    return "\n".join(lines)


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


def _count(n: int, what: str) -> str:
    """`1 row`, `12 rows`."""
    return f"{n:,} {what}{'s' * (n != 1)}"
