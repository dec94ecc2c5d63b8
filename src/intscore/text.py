"""Making input safe to echo: in terminals, logs and spreadsheets."""

from __future__ import annotations

__all__ = ["safe_text", "shorten", "spreadsheet_safe"]

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
    """Prefix a quote to text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def shorten(text: str, limit: int = 60) -> str:
    """Text echoed in a message, cut to `limit` characters (a 1 MB cell stays one short line)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
