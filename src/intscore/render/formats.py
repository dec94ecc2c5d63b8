"""Ranking as JSON, CSV and Markdown text."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..ranking import Ranking, RunInfo
from .values import item_flags, plain_number, safe_text, show_points, show_score, show_value

__all__ = ["ranking_csv", "ranking_json", "ranking_markdown", "spreadsheet_safe"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def ranking_json(ranking: Ranking, run: RunInfo, top: int | None = None) -> str:
    """The stable JSON contract (SPEC §4), indented, one trailing newline."""
    from ..json_output import ranking_document

    document = ranking_document(ranking, run, top)
    return document.model_dump_json(indent=2) + "\n"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return plain_number(float(value))
    return spreadsheet_safe(str(value))


def ranking_csv(ranking: Ranking, top: int | None = None) -> str:
    """One row per integration: rank, name, score, each criterion's value and points."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["rank", "integration", "score"]
    for c in ranking.criteria:
        header += [c.id, f"{c.id}_points"]
    header += ["requesters", "flags"]
    if ranking.has_rules:
        header.append("recommendation")
    writer.writerow(header)
    for item in ranking.items[:top]:
        row = [
            str(item.rank),
            spreadsheet_safe(item.integration),
            "" if item.score is None else plain_number(item.score),
        ]
        for c in ranking.criteria:
            score = item.criteria[c.id]
            row += [_csv_value(score.value), plain_number(score.points)]
        row += [str(item.requester_count()), spreadsheet_safe(" ".join(item.flags))]
        if ranking.has_rules:
            advice = item.recommendation
            row.append(spreadsheet_safe(advice.label) if advice else "")
        writer.writerow(row)
    return out.getvalue()


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = safe_text(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|")


def ranking_markdown(ranking: Ranking, run: RunInfo, top: int | None = None) -> str:
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
    lines.append(f"_{_run_line(run, ranking)}_")
    return "\n".join(lines) + "\n"


def _run_line(run: RunInfo, ranking: Ranking) -> str:
    rows = sum(i.rows for i in ranking.inputs)
    files = ", ".join(run.inputs)
    return markdown_cell(f"config: {run.config_source} · {rows:,} rows from {files}")
