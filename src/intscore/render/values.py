"""Formatting shared by every renderer: numbers, values, flags, safe text."""

from __future__ import annotations

import json
from typing import Any

from ..numbers import format_number
from ..ranking import CriterionScore, RankedItem, RunInfo

__all__ = [
    "flag_text",
    "item_flags",
    "json_document",
    "json_text",
    "plain_number",
    "safe_text",
    "show_points",
    "show_score",
    "show_value",
]

MISSING = "—"


def safe_text(text: str) -> str:
    """Text that cannot move the cursor or hide: control and invisible format characters
    (escape codes, carriage returns, zero-width spaces) are shown as escapes."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ch in "\n\t":
            out.append(" ")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


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


def plain_number(value: float) -> str:
    """A number for machine-readable text (CSV): no separators, no float noise."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 6))


def flag_text(flag: str) -> str:
    """`missing:difficulty` -> `missing difficulty`."""
    kind, _, criterion = flag.partition(":")
    if kind == "formula":
        return f"formula error: {criterion}"
    words = {"below": "below bands", "unknown": "unknown category"}.get(kind, kind)
    return f"{words} {criterion}".strip()


def item_flags(item: RankedItem) -> str:
    return ", ".join(flag_text(f) for f in item.flags)


def json_document(run: RunInfo, **fields: Any) -> str:
    """A command's JSON output: a version, the config it used, then its own fields."""
    config = {"source": run.config_source, "sha256": run.config_sha256}
    return json_text({"version": 1, "config": config, **fields})


def json_text(document: object) -> str:
    """Deterministic, strict JSON (never NaN or Infinity), indented, one trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
