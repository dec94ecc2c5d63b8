"""Making input safe to echo: in terminals, logs and spreadsheets."""

from __future__ import annotations

__all__ = ["safe_text", "shorten", "spreadsheet_safe", "yaml_scalar"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def spreadsheet_safe(text: str) -> str:
    """A CSV cell: control and invisible characters shown as escapes (`safe_text`: `cat` of
    the file cannot recolour a terminal), and a quote before text a spreadsheet would run as
    a formula."""
    text = safe_text(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def shorten(text: str, limit: int = 60) -> str:
    """Text echoed in a message, cut to `limit` characters (a 1 MB cell stays one short line)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def yaml_scalar(text: str) -> str:
    """Text as a YAML scalar: plain when that reads back the same, else double-quoted."""
    plain = text and text.isprintable() and not any(ch in text for ch in ":#{}[],&*!|>'\"%@`")
    if plain and text.strip() == text:
        return text
    escaped = text.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"'
