"""Parse the numbers people type into spreadsheets and CRMs: `$12,000`, `1.2M`, `€8.000,50`."""

from __future__ import annotations

import math
import re

__all__ = ["NotANumber", "format_number", "parse_number", "plain_number"]

_CURRENCY = r"(?:[$€£¥₹]|[A-Z]{3}(?=\s|\d|$))"
_SUFFIXES = {"": 1.0, "k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}

# Thousands separators: the other mark than the decimal one, or a (thin) space or apostrophe.
_BODY_POINT = r"(?:\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_BODY_COMMA = r"(?:\d{1,3}(?:[.\u00a0\u202f' ]\d{3})+|\d+)(?:,\d+)?|,\d+"


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(
        rf"""^(?P<sign1>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<sign2>[-+])?\s*
        (?P<body>{body})(?P<exp>[eE][-+]?\d+)?
        \s*(?P<suffix>k|K|mm|MM|m|M|bn|BN|b|B)?\s*(?:{_CURRENCY})?$""",
        re.VERBOSE,
    )


_POINT = _pattern(_BODY_POINT)
_COMMA = _pattern(_BODY_COMMA)


class NotANumber(ValueError):
    """Raised with a user-facing reason when a cell is not a number."""


def parse_number(text: object, decimal_comma: bool = False) -> float:
    """Read a number from a cell: ints/floats pass through, strings may carry currency,
    thousands separators and k/M/B suffixes. NaN, infinity and booleans are refused."""
    if isinstance(text, bool):
        raise NotANumber(f"{text!r} is not a number")
    if isinstance(text, int | float):
        value = float(text)
        if not math.isfinite(value):
            raise NotANumber(f"{_show(text)} is not a finite number")
        return value
    if not isinstance(text, str):
        raise NotANumber(f"{_show(text)} is not a number")
    s = text.strip()
    match = (_COMMA if decimal_comma else _POINT).match(s)
    if match is None:
        hint = ""
        if not decimal_comma and _COMMA.match(s):
            hint = " (for a decimal comma, use --decimal-comma)"
        raise NotANumber(f"{_show(text)} is not a number{hint}")
    if match["sign1"] and match["sign2"]:
        raise NotANumber(f"{_show(text)} is not a number")
    body = match["body"]
    for sep in "\u00a0\u202f' ":
        body = body.replace(sep, "")
    body = body.replace(".", "").replace(",", ".") if decimal_comma else body.replace(",", "")
    value = float(body + (match["exp"] or ""))
    value *= _SUFFIXES[(match["suffix"] or "").lower()]
    if (match["sign1"] or match["sign2"]) == "-":
        value = -value
    if not math.isfinite(value):
        raise NotANumber(f"{_show(text)} is too large")
    return value


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)


def format_number(value: float, decimals: int = 2) -> str:
    """Show a number for people: thousands separators, no needless decimals."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text


def plain_number(value: float) -> str:
    """A number for machine-readable text (CSV): no separators, no float noise."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 6))
