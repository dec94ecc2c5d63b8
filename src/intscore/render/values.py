"""Formatting shared by every renderer: numbers, values, flags, safe text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..numbers import format_number
from ..text import safe_text

if TYPE_CHECKING:
    from ..engine.ranking import CriterionScore, Flag, RankedItem, Ranking, RunInfo

__all__ = [
    "flag_text",
    "item_flags",
    "markdown_cell",
    "markdown_code",
    "run_extras",
    "show_points",
    "show_score",
    "show_value",
    "tie_notes",
    "top_note",
]

MISSING = "—"


def show_value(value: Any) -> str:
    """A raw criterion value for people: 740,000 / 3.5 / "M" / — when missing."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(float(value))
    return safe_text(str(value))


def show_points(score: CriterionScore) -> str:
    return format_number(score.points)


def show_score(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def flag_text(flag: Flag) -> str:
    """A flag for people: `missing difficulty`, `formula error: division by zero`."""
    if flag.kind == "formula":
        return f"formula error: {flag.reason}"
    words = {"below": "below bands", "unknown": "unknown category"}.get(flag.kind, flag.kind)
    return f"{words} {flag.criterion}".strip()


def item_flags(item: RankedItem) -> str:
    return ", ".join(flag_text(f) for f in item.flags)


# Characters that start Markdown syntax a name could abuse, shown as themselves: HTML as
# text, link and image brackets and code spans escaped, `$` and `\\` as entities so that no math
# delimiter (`$x$`, `$$`, `\\(`, `\\[`) remains. `@` and `#` get a zero-width space after them:
# GitHub finds mentions and issue references (`@octocat`, `#1`, `owner/repo#1`) in the rendered
# text, where an escape is gone but the space is still there, so it never links or notifies.
_MARKDOWN = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\\": "&#92;",
        "`": "&#96;",
        "$": "&#36;",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "@": "@&#8203;",
        "#": "#&#8203;",
    }
)
# The same space inside what GitHub would link or replace in rendered text: `http://`, `www.`
# (autolinks), `:shipit:` (an emoji), `GH-1` (an issue).
_MARKDOWN_AUTO = re.compile(r":(?=//|[\w+-]+:)|(?i:www(?=\.)|gh-(?=\d))")


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell, and in a pull-request comment: one line, pipes
    escaped, HTML shown as text, and nothing that GitHub would turn into a link, an image, an
    @mention, an issue reference, an emoji or math."""
    text = safe_text(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    text = text.translate(_MARKDOWN)
    return _MARKDOWN_AUTO.sub(_zero_width_after, text)


def _zero_width_after(found: re.Match[str]) -> str:
    return found.group() + "&#8203;"


def tie_notes(ranking: Ranking, top: int | None = None) -> list[str]:
    """'ranks 4–8 score 60.0; ordered by demand, then account size' for each run of equal
    scores a tiebreak put in order."""
    from ..engine.ranking import tie_runs

    titles = {c.id: c.title for c in ranking.criteria}
    by = ", then ".join(titles.get(cid, cid) for cid in ranking.tiebreak)
    return [
        f"ranks {run.first}–{run.last} score {show_score(run.score)}; ordered by {by}"
        for run in tie_runs(ranking, top)
    ]


def top_note(ranking: Ranking, top: int | None) -> str | None:
    """'showing the top 5 of 14 integrations; 2 more share rank 5' when --top cuts."""
    from ..engine.ranking import tied_beyond

    shown = len(ranking.items[:top])
    if shown >= len(ranking.items):
        return None
    note = f"showing the top {shown} of {len(ranking.items)} integrations"
    more = tied_beyond(ranking, top)
    if more:
        rank = ranking.items[shown - 1].rank
        verb, are = ("shares", "is") if more == 1 else ("share", "are")
        note += (
            f"; {more} more {verb} rank {rank} and {are} not shown (--top {shown + more} "
            "shows them)"
        )
    return note


def run_extras(ranking: Ranking, run: RunInfo) -> str:
    """' · 12 rows filtered out · as of 2026-11-30 · estimated: difficulty' where they apply."""
    text = ""
    filtered = sum(i.filtered for i in ranking.inputs)
    if filtered:
        text += f" · {filtered:,} row{'s' * (filtered != 1)} filtered out"
    if ranking.dated and run.as_of is not None:
        text += f" · as of {run.as_of.isoformat()}"
    if ranking.estimated:
        text += f" · estimated: {safe_text(', '.join(ranking.estimated))}"
    return text


def unnamed_notes(ranking: Ranking, shown: int = 3) -> list[str]:
    """'deals.csv: 6 rows name no integration (lines 9, 12, 15, …); not counted', a line for
    each input that has such rows."""
    from ..problems import NO_INTEGRATION

    lines: dict[str, list[int]] = {}
    for f in ranking.warnings:
        if f.rule == NO_INTEGRATION and f.line is not None:
            lines.setdefault(f.file, []).append(f.line)
    notes = []
    for i in ranking.inputs:
        if not i.unnamed:
            continue
        listed = lines.get(i.source, [])[:shown]
        where = ", ".join([*map(str, listed), *(["…"] if i.unnamed > len(listed) else [])])
        line = "line" if i.unnamed == 1 else "lines"
        rows = f"{i.unnamed:,} row{'s' * (i.unnamed != 1)} {'names' if i.unnamed == 1 else 'name'}"
        notes.append(
            f"{i.source}: {rows} no integration ({line} {where}); not counted "
            "(intscore check lists them)"
        )
    return notes


def markdown_code(text: str) -> str:
    """Text as an inline code span: shown as it is (no HTML, no mentions inside code), on one
    line, fenced with more backticks than it holds."""
    text = safe_text(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    longest = 0
    current = 0
    for ch in text:
        current = current + 1 if ch == "`" else 0
        longest = max(longest, current)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
