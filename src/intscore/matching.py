"""How cells match names, map keys and `where` values: forgiving about case, spacing,
number spelling ("3.0" is 3) and boolean spelling (yes/true/y/1)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .numbers import MAX_NUMBER_TEXT, percent_value

__all__ = [
    "CategoryMatcher",
    "category_key",
    "name_key",
    "name_keys",
    "normalize_header",
    "tidy_name",
    "tidy_names",
]

_SPACES = re.compile(r"\s+")
_HEADER_SEPARATORS = re.compile(r"[\s_\-]+")
# No overlapping quantifiers: the dot is required before the fraction, so matching is linear.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?")
_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


def normalize_header(name: str) -> str:
    """Headers match ignoring case, surrounding spaces and `_`/`-`/space differences."""
    return _HEADER_SEPARATORS.sub("_", name.strip().casefold()).strip("_")


def name_key(name: str) -> str:
    """Group key of a name: NFC-normalised, trimmed, inner spaces collapsed, case-folded."""
    return tidy_name(name).casefold()


def name_keys(names: list[str]) -> list[str]:
    """`name_key` of many names at once."""
    return [name.casefold() for name in tidy_names(names)]


def tidy_names(names: list[str]) -> list[str]:
    """`tidy_name` of many names at once (the DuckDB pass's distinct names and accounts):
    the same steps, each done once over all the names joined by NUL, a character no cell
    holds (the readers refuse it) and one that neither composes nor collapses."""
    if not names:
        return []
    if any("\0" in name for name in names):
        return [tidy_name(name) for name in names]
    joined = "\0".join(names)
    if not unicodedata.is_normalized("NFC", joined):
        joined = unicodedata.normalize("NFC", joined)
    return [part.strip() for part in _SPACES.sub(" ", joined).split("\0")]


def tidy_name(name: str) -> str:
    """A name as shown: NFC-normalised (a composed and a decomposed `é` are one letter),
    trimmed, inner spaces collapsed."""
    if not unicodedata.is_normalized("NFC", name):
        name = unicodedata.normalize("NFC", name)
    return _SPACES.sub(" ", name.strip())


def category_key(value: Any) -> tuple[str, Any]:
    """Key for matching a cell against config keys: case and surrounding spaces ignored,
    numbers equal by value ("3.0" matches 3, "80%" matches 0.8), `true`/`false` as
    booleans."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        try:
            return ("n", float(value))
        except OverflowError:  # an integer too large for a float is still a number
            return ("n", value)
    text = str(value).strip().casefold()
    if len(text) <= MAX_NUMBER_TEXT:
        if _PLAIN_NUMBER.fullmatch(text):
            return ("n", float(text))
        if text.endswith("%"):
            digits = text[:-1].rstrip()
            if _PLAIN_NUMBER.fullmatch(digits):
                return ("n", percent_value(digits))
    if text in ("true", "false"):
        return ("b", text == "true")
    return ("s", text)


def _boolean_key(value: Any) -> tuple[str, bool] | None:
    text = str(value).lower() if isinstance(value, bool) else str(value).strip().casefold()
    if text in _TRUE:
        return ("b", True)
    if text in _FALSE:
        return ("b", False)
    return None


class CategoryMatcher:
    """Looks cell values up among config keys (a criterion's map, `where`, `row_weight`)."""

    __slots__ = ("entries", "seen")

    def __init__(self, mapping: dict[Any, Any]):
        self.entries = {category_key(k): (k, v) for k, v in mapping.items()}
        self.seen: dict[str, tuple[Any, Any] | None] = {}  # cell text -> answer

    @classmethod
    def any_of(cls, allowed: Any) -> CategoryMatcher:
        """A matcher for `where`/`when` conditions: one value or a list of values."""
        return cls(dict.fromkeys(allowed if isinstance(allowed, list) else [allowed], True))

    def get(self, value: Any) -> tuple[Any, Any] | None:
        """(config key, mapped value) for a cell value, or None when no key matches."""
        if value.__class__ is str:
            if value in self.seen:
                return self.seen[value]
            found = self._lookup(value)
            if len(self.seen) < 100_000:
                self.seen[value] = found
            return found
        return self._lookup(value)

    def _lookup(self, value: Any) -> tuple[Any, Any] | None:
        found = self.entries.get(category_key(value))
        if found is None:
            boolean = _boolean_key(value)
            if boolean is not None:
                found = self.entries.get(boolean)
        return found
