"""Dates in request data: ISO 8601 always (`2025-03-01`, `2025-03-01T10:00:00Z`), other
formats by strftime pattern (`%m/%d/%Y`). A date is kept as its day number (proleptic
Gregorian ordinal), so ages are whole days and comparisons are integer comparisons.

Linear in the cell: the text is trimmed and capped before any parser sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from .numbers import NotANumber

__all__ = ["MAX_DATE_TEXT", "NO_DAY", "NotADate", "day_number", "parse_date", "show_day"]

MAX_DATE_TEXT = 40  # `2025-03-01T10:00:00.000000+05:30` is 32
NO_DAY = 10**9  # no as_of: no date is in the future, and nothing counts ages


class NotADate(NotANumber):
    """Raised with a user-facing reason when a cell is not a date."""


def parse_date(value: object, formats: Sequence[str] = ()) -> int:
    """The day number of a cell: ISO 8601 dates and date-times (the day in UTC when a zone
    is given), or one of `formats`."""
    if isinstance(value, datetime):
        return _day_of(value)
    if isinstance(value, date):
        return value.toordinal()
    if not isinstance(value, str):
        raise NotADate(f"{_show(value)} is not a date")
    text = value.strip()
    if not text or len(text) > MAX_DATE_TEXT:
        raise NotADate(f"{_show(value)} is not a date")
    try:
        return date.fromisoformat(text).toordinal()
    except ValueError:
        pass
    try:
        return _day_of(datetime.fromisoformat(text))
    except ValueError:
        pass
    for pattern in formats:
        try:
            return _day_of(datetime.strptime(text, pattern))
        except ValueError:
            continue
    hint = "" if formats else '; for other formats add dates: {formats: ["%m/%d/%Y"]}'
    raise NotADate(f"{_show(value)} is not a date (ISO 8601, e.g. 2025-03-01{hint})")


def _day_of(moment: datetime) -> int:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().toordinal()


def day_number(day: date | None) -> int:
    """The day number of a date (NO_DAY for none)."""
    return NO_DAY if day is None else day.toordinal()


def show_day(number: int) -> str:
    """A day number as ISO 8601."""
    return date.fromordinal(number).isoformat()


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)
