"""Work durations as people write them in plans and estimates: `300h`, `5d`, `2w`, `1.5d`,
or a bare number of hours. A working day is 8 hours and a working week 40: these
are hours of engineering work, not calendar time (the calendar durations of `within:` and
`half_life:` are `conditions.duration_days`).

The one parser of work durations: `plan` (capacity, build, upkeep) and estimates both read
them here. Linear in the text: it is trimmed and capped before a regular expression without
nested quantifiers sees it.
"""

from __future__ import annotations

import math
import re

from ..numbers import MAX_NUMBER

__all__ = ["HOURS_PER", "NotADuration", "hours_text", "is_duration", "parse_hours"]

HOURS_PER = {"h": 1.0, "d": 8.0, "w": 40.0}  # a unit's hours of work
MAX_DURATION_TEXT = 32  # `1,000,000 h` is 11 characters
_DURATION = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([hdw])")


class NotADuration(ValueError):
    """A text that is not a work duration, with a reason a user can act on."""


def is_duration(text: object) -> bool:
    """Whether a value is written as a duration with a unit (`300h`, `5d`), not a number."""
    if not isinstance(text, str) or len(text) > MAX_DURATION_TEXT:
        return False
    return _DURATION.fullmatch(text.strip().casefold()) is not None


def parse_hours(value: object) -> float:
    """Hours of work: `300h` -> 300.0, `5d` -> 40.0, `2w` -> 80.0, a number -> itself.
    NotADuration for anything else (negative, not finite, above 1e15 hours, a boolean)."""
    if isinstance(value, bool):
        raise NotADuration(f"{value!r} is not a duration (like 300h, 5d or 2w)")
    if isinstance(value, int | float):
        hours = float(value) if abs(value) <= MAX_NUMBER else math.inf
    elif isinstance(value, str) and len(value) <= MAX_DURATION_TEXT:
        found = _DURATION.fullmatch(value.strip().casefold())
        if found is None:
            raise NotADuration(f"{value!r} is not a duration (like 300h, 5d or 2w)")
        hours = float(found[1]) * HOURS_PER[found[2]]
    else:
        shown = value[:MAX_DURATION_TEXT] + "..." if isinstance(value, str) else value
        raise NotADuration(f"{shown!r} is not a duration (like 300h, 5d or 2w)")
    if not math.isfinite(hours) or not 0 <= hours <= MAX_NUMBER:
        raise NotADuration(f"{value!r} is not a duration from 0 to {MAX_NUMBER:g} hours")
    return hours


def hours_text(hours: float) -> str:
    """Hours as a duration people read: `300h` (always in hours, so values compare)."""
    return f"{hours:g}h" if hours < 1e6 else f"{hours:,.0f}h"
