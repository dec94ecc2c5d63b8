"""A ranking as a terminal table, JSON, CSV or Markdown."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..choices import RANK_FORMATS
from ..text import safe_text
from .console import PLAIN, Screen, rich_text
from .table_layout import Column, Layout, Piece, draw_with_rich, plain_text
from .values import (
    item_flags,
    markdown_cell,
    run_extras,
    show_points,
    show_score,
    show_value,
    tie_notes,
    top_note,
)

if TYPE_CHECKING:
    from ..engine.ranking import Ranking, RunInfo

__all__ = ["FORMATS", "csv_line", "ranking_chunks", "render_ranking"]

FORMATS = RANK_FORMATS
COLLECT_EVERY = 1000  # JSON items between two collections of their garbage


def render_ranking(
    ranking: Ranking, run: RunInfo, fmt: str, top: int | None = None, screen: Screen = PLAIN
) -> str:
    """The ranking (its first `top` items) in one of FORMATS."""
    if fmt == "json":
        from ..engine.documents import ranking_chunks

        return "".join(ranking_chunks(ranking, run, top))
    if fmt == "csv":
        from ..engine.documents import ranking_rows

        return "".join(map(csv_line, ranking_rows(ranking, top)))
    if fmt == "markdown":
        return _markdown(ranking, run, top)
    layout = _layout(ranking, run, top, screen.width)
    text = None if screen.color_system else plain_text(layout, screen.width)
    if text is not None:
        return text
    return rich_text(lambda console: draw_with_rich(console, layout), screen)


def ranking_chunks(
    ranking: Ranking, run: RunInfo, fmt: str, top: int | None = None, screen: Screen = PLAIN
) -> Iterator[str]:
    """`render_ranking` in pieces, written as they come: JSON an item at a time (a million
    integrations are never one string), CSV a line at a time, other formats whole."""
    if fmt == "json":
        from ..engine.documents import ranking_chunks as json_chunks

        yield from _collected(json_chunks(ranking, run, top))
    elif fmt == "csv":
        from ..engine.documents import ranking_rows

        yield from map(csv_line, ranking_rows(ranking, top))
    else:
        yield render_ranking(ranking, run, fmt, top, screen)


def _collected(chunks: Iterator[str]) -> Iterator[str]:
    """The chunks, with the garbage of `json.dumps(indent=...)` collected as they go: its
    encoder leaves a reference cycle per call, and with the collector off (`entry.py`) a
    million items kept 1.8 GB of them. What exists before is frozen, so that each collection
    looks at the new objects only."""
    if gc.isenabled():
        yield from chunks
        return
    gc.freeze()
    try:
        for n, chunk in enumerate(chunks, 1):
            yield chunk
            if n % COLLECT_EVERY == 0:
                gc.collect(0)
    finally:
        gc.unfreeze()


def csv_line(cells: list[str]) -> str:
    """One CSV line. Besides what CSV needs quoted (commas, quotes, line breaks), a cell with a
    `;` is quoted too: a spreadsheet set to split on `;` would otherwise split it, and a part
    like `=1+1` would run as a formula."""
    joined = "\x01".join(cells)  # most lines: one search of them all, not one per cell
    if "\0" in joined:  # the readers refuse NUL; text from elsewhere (the API) shows it escaped
        return csv_line([cell.replace("\0", "\\x00") for cell in cells])
    if not _needs_quotes(joined):
        return ",".join(cells) + "\n"
    return ",".join(_quoted(cell) if _needs_quotes(cell) else cell for cell in cells) + "\n"


_needs_quotes = re.compile(r'[,";\n\r]').search


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _layout(ranking: Ranking, run: RunInfo, top: int | None, width: int) -> Layout:
    """The ranking table with the config and inputs it came from, for a screen this wide."""
    shown = ranking.items[:top]
    longest = max((len(item.integration) for item in shown), default=11)
    columns = [
        Column("#", "right"),
        Column("Integration", min_width=min(max(longest, 11), 16), fold=True),
        Column("Score", "right", style="bold"),
    ]
    cells_by_item = []
    for item in shown:
        cells: list[list[Piece]] = []
        for c in ranking.criteria:
            score = item.criteria[c.id]
            cell: list[Piece] = [(show_value(score.value), None)]
            cell.append((f" ({show_points(score)})", "dim"))
            if score.status != "ok":
                cell.append(("!", "bold yellow"))
            cells.append(cell)
        cells_by_item.append(cells)
    widest = [
        max((sum(len(part) for part, _ in cells[i]) for cells in cells_by_item), default=1)
        for i in range(len(ranking.criteria))
    ]
    # Criterion headers stay on one line when the table fits; else they wrap at spaces.
    fixed = len(str(len(ranking.items))) + min(max(longest, 11), 16) + 5 + 3
    fixed += 14 if ranking.has_rules else 0
    count = 5 + len(ranking.criteria) + ranking.has_rules
    natural = sum(max(w, len(c.title)) for w, c in zip(widest, ranking.criteria, strict=True))
    one_line = fixed + natural + count <= width
    padding = (1, 1) if fixed + natural + 2 * count <= width else (1, 0)  # wider gaps
    for w, c in zip(widest, ranking.criteria, strict=True):
        word = len(c.title) if one_line else max(len(part) for part in c.title.split() or [""])
        columns.append(Column(c.title, "right", min_width=w, max_width=max(w, word)))
    columns.append(Column("Req", "right"))
    if ranking.has_rules:
        columns.append(Column("Recommendation", min_width=14, fold=True))
    layout = Layout("Integration ranking", columns, padding)
    for item, criteria_cells in zip(shown, cells_by_item, strict=True):
        row: list[list[Piece]] = [
            [(str(item.rank), None)],
            [(safe_text(item.integration), None)],
            [(show_score(item.score), None)],
            *criteria_cells,
            [(str(item.requester_count()), None)],
        ]
        if ranking.has_rules:
            advice = item.recommendation
            row.append([(safe_text(advice.label) if advice else "", None)])
        layout.rows.append(row)
    layout.lines = _lines_under(ranking, run, top)
    return layout


def _lines_under(ranking: Ranking, run: RunInfo, top: int | None) -> list[list[Piece]]:
    """What the table's lines under it say: the config and inputs, flags, ties, the cut."""
    rows = sum(i.rows for i in ranking.inputs)
    files = ", ".join(run.inputs)
    where = f"config: {run.config_source} · {_rows(rows)} from {files}{run_extras(ranking, run)}"
    where += " · value (points)"
    lines: list[list[Piece]] = [[(safe_text(where), None)]]
    flagged = [item for item in ranking.items[:top] if item.flags]
    if flagged:
        lines.append([("! flags:", "bold yellow")])
        for item in flagged:
            lines.append([(f"  {safe_text(item.integration)}: {item_flags(item)}", None)])
    for note in tie_notes(ranking, top):
        lines.append([(safe_text(note), None)])
    cut = top_note(ranking, top)
    if cut:
        lines.append([(cut, None)])
    return lines


def _markdown(ranking: Ranking, run: RunInfo, top: int | None = None) -> str:
    """A GitHub-flavoured Markdown table, ready to paste in an issue or PR."""
    header = ["#", "Integration", "Score"]
    align = ["--:", ":--", "--:"]
    for c in ranking.criteria:
        header += [markdown_cell(c.title), "pts"]
        align += ["--:", "--:"]
    header += ["Requesters", "Flags"]
    align += ["--:", ":--"]
    if ranking.has_rules:
        header.append("Recommendation")
        align.append(":--")
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    for item in ranking.items[:top]:
        cells = [str(item.rank), markdown_cell(item.integration), show_score(item.score)]
        for c in ranking.criteria:
            score = item.criteria[c.id]
            cells += [markdown_cell(show_value(score.value)), show_points(score)]
        cells += [str(item.requester_count()), markdown_cell(item_flags(item))]
        if ranking.has_rules:
            advice = item.recommendation
            cells.append(markdown_cell(advice.label) if advice else "")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    notes = [*tie_notes(ranking, top), *filter(None, [top_note(ranking, top)])]
    lines += [f"_{markdown_cell(note)}_  " for note in notes]
    lines.append(f"_{_run_line(run, ranking)}_")
    return "\n".join(lines) + "\n"


def _run_line(run: RunInfo, ranking: Ranking) -> str:
    rows = sum(i.rows for i in ranking.inputs)
    files = ", ".join(run.inputs)
    extras = run_extras(ranking, run)
    return markdown_cell(f"config: {run.config_source} · {_rows(rows)} from {files}{extras}")


def _rows(n: int) -> str:
    return f"{n:,} row{'s' * (n != 1)}"
