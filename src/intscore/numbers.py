"""Parse the numbers people type into spreadsheets and CRMs: `$12,000`, `1.2M`, `€8.000,50`,
`80%`.

Every cell is parsed in time linear in its length: the text is trimmed first and capped at
`MAX_NUMBER_TEXT` characters (a longer cell is not a number), currency, sign, suffix and
percent sign are peeled off by hand, and only the bare digits meet a regular expression, one
without nested or overlapping quantifiers.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "AMBIGUOUS",
    "MAX_NUMBER",
    "MAX_NUMBER_TEXT",
    "PLAIN_DIGITS",
    "NotANumber",
    "decimal_mark",
    "format_number",
    "is_percent",
    "parse_general_number",
    "parse_number",
    "percent_value",
    "plain_integer",
    "plain_number",
]

MAX_NUMBER = 1e15  # values beyond ±this are refused: sums of a million of them stay exact enough
MAX_NUMBER_TEXT = 64  # the longest text that may be a number (`$ 1,000,000,000.00 USD` is 22)

_SYMBOLS = "$€£¥₹"
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
# Thousands separators: the other mark than the decimal one, or a (thin) space or apostrophe.
_BODY_POINT = re.compile(
    r"(?:\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d{1,3})?|\.\d+"
)
_BODY_COMMA = re.compile(
    r"(?:\d{1,3}(?:[.\u00a0\u202f' ]\d{3})+|\d+)(?:,\d+)?(?:[eE][-+]?\d{1,3})?|,\d+"
)


class NotANumber(ValueError):
    """Raised with a user-facing reason when a cell is not a number."""


# A cell of at most this many ASCII digits and nothing else is read without the general
# parser: its value is below 2**53 (an exact float) and below MAX_NUMBER.
PLAIN_DIGITS = 15


def plain_integer(text: object) -> float | None:
    """The value of the most common number cell, 1 to PLAIN_DIGITS ASCII digits and nothing
    else (`1200`, `007`), as the general parser reads it; None for any other cell (`+5`,
    ` 12`, `1_000`, `٣`, 16 digits and more), which takes the general parser."""
    if text.__class__ is str and len(text) <= PLAIN_DIGITS and text.isascii() and text.isdigit():
        return float(text)
    return None


def parse_number(text: object, decimal_comma: bool = False) -> float:
    """Read a number from a cell: ints/floats pass through, strings may carry currency,
    thousands separators and k/M/B suffixes, or be a percentage (`80%`, `12,5 %` with a
    decimal comma: 0.8, 0.125). NaN, infinity, booleans and values beyond ±MAX_NUMBER are
    refused. Plain digits take a fast path (`plain_integer`)."""
    value = plain_integer(text)
    if value is not None:
        return value
    return parse_general_number(text, decimal_comma)


def parse_general_number(text: object, decimal_comma: bool = False) -> float:
    """`parse_number` without the fast path for plain digits (tests compare the two)."""
    if isinstance(text, bool):
        raise NotANumber(f"{text!r} is not a number")
    if isinstance(text, int | float):
        try:
            value = float(text)
        except OverflowError:
            raise NotANumber(f"{_show(text)} is too large") from None
        if not math.isfinite(value):
            raise NotANumber(f"{_show(text)} is not a finite number")
        return _in_range(value, text)
    if not isinstance(text, str):
        raise NotANumber(f"{_show(text)} is not a number")
    s = text.strip()
    if len(s) > MAX_NUMBER_TEXT:
        raise NotANumber(f"{_show(text)} is not a number")
    percent = s.endswith("%")
    parts = _percent_parts(s[:-1].rstrip()) if percent else _parts(s)
    body = _BODY_COMMA if decimal_comma else _BODY_POINT
    if parts is None or not body.fullmatch(parts[1]):
        hint = ""
        if not decimal_comma and parts is not None and _BODY_COMMA.fullmatch(parts[1]):
            hint = " (for a decimal comma, use --decimal-comma)"
        raise NotANumber(f"{_show(text)} is not a number{hint}")
    sign, digits, factor = parts
    for sep in "\u00a0\u202f' ":
        digits = digits.replace(sep, "")
    grouping, decimal = (".", ",") if decimal_comma else (",", ".")
    digits = digits.replace(grouping, "").replace(decimal, ".")
    value = percent_value(digits) if percent else float(digits) * factor
    if sign == "-":
        value = -value
    if not math.isfinite(value):
        raise NotANumber(f"{_show(text)} is too large")
    return _in_range(value, text)


AMBIGUOUS = "?"  # `85.000`, `1,250`: a thousands separator, or a decimal mark
_GROUPING = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")


def decimal_mark(text: object) -> str | None:
    """The decimal mark a cell's text shows: "." (`12.5`, `1,250.50`, `1,250,000`), ","
    (`12,5`, `1.250,50`, `1.250.000`), AMBIGUOUS for a number that reads differently by the
    convention (`85.000`, `1,250`), None for one that reads the same (`1200`) or for no
    number."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if len(s) > MAX_NUMBER_TEXT or ("." not in s and "," not in s):
        return None
    parts = _percent_parts(s[:-1].rstrip()) if s.endswith("%") else _parts(s)
    if parts is None:
        return None
    digits = parts[1].lower().partition("e")[0]
    for sep in "\u00a0\u202f' ":
        digits = digits.replace(sep, "")
    points, commas = digits.count("."), digits.count(",")
    if points and commas:
        return "." if digits.rfind(".") > digits.rfind(",") else ","
    if points + commas > 1:
        return "," if points else "."  # only a thousands separator repeats
    if points + commas == 0:
        return None
    if _GROUPING.fullmatch(digits):
        return AMBIGUOUS
    return "." if points else ","


def _parts(s: str) -> tuple[str, str, float] | None:
    """(sign, bare digits, multiplier) of a trimmed cell, or None when its shape is wrong:
    [sign] [currency] [sign] digits [k|M|B] [currency], spaces allowed between the parts."""
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0], s[1:].lstrip()
    s = _strip_currency_prefix(s)
    if s[:1] in ("+", "-"):
        if sign:
            return None
        sign, s = s[0], s[1:].lstrip()
    s = _strip_currency_suffix(s)
    factor = 1.0
    lowered = s.lower()
    for suffix in ("mm", "bn", "k", "m", "b"):
        if lowered.endswith(suffix) and s[-len(suffix) :] in (suffix, suffix.upper()):
            s, factor = s[: -len(suffix)].rstrip(), _MULTIPLIERS[suffix]
            break
    if not s:
        return None
    return sign, s, factor


def _percent_parts(s: str) -> tuple[str, str, float] | None:
    """(sign, bare digits, 1) of a percentage's text without its `%`: [sign] digits, no
    currency or suffix (`$5%` and `5k%` are not numbers)."""
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0], s[1:].lstrip()
    return (sign, s, 1.0) if s else None


def percent_value(digits: str) -> float:
    """The value of a percentage written as plain digits with a decimal point: `12.5` ->
    0.125. The decimal point is moved in the text, so `80%` is exactly the float `0.8` (not
    80 / 100 or 80 * 0.01, which can differ from it in the last bit)."""
    mantissa, _, exponent = digits.lower().partition("e")
    return float(f"{mantissa}e{int(exponent or 0) - 2}")


def is_percent(text: object) -> bool:
    """Whether a cell is written as a percentage (its text ends with `%`)."""
    return isinstance(text, str) and text.rstrip().endswith("%")


def _strip_currency_prefix(s: str) -> str:
    if s[:1] and s[0] in _SYMBOLS:
        return s[1:].lstrip()
    code = s[:3]
    if len(code) == 3 and code.isascii() and code.isalpha() and code.isupper():
        rest = s[3:]
        if not rest or rest[0].isspace() or rest[0].isdigit():
            return rest.lstrip()
    return s


def _strip_currency_suffix(s: str) -> str:
    if s[-1:] and s[-1] in _SYMBOLS:
        return s[:-1].rstrip()
    code = s[-3:]
    if len(s) > 3 and code.isascii() and code.isalpha() and code.isupper():
        return s[:-3].rstrip()
    return s


def _in_range(value: float, shown: object) -> float:
    if abs(value) > MAX_NUMBER:
        raise NotANumber(f"{_show(shown)} is too large (more than {MAX_NUMBER:.0e})")
    return value


def _show(value: object) -> str:
    text = str(value) if not isinstance(value, int) else _int_text(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python will print
        return "a number with thousands of digits"


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
