"""Named levels that stand for numbers in a numeric column: RICE's confidence written as
`high` (100 %), `medium` (80 %) or `low` (50 %) beside any percentage.

A criterion's `levels:` gives the names; a cell that is one of them (matched like a map key:
case and surrounding spaces ignored) reads as its number, any other cell as a number
(`parse_number`). The criterion then scores the number with its bands, scale or formula, so
`high` and `100%` earn the same points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..matching import category_key
from ..numbers import NotANumber, parse_number

__all__ = ["Levels", "level_numbers"]


class Levels:
    """The named levels of one field, and how its cells read."""

    __slots__ = ("by_name", "names")

    def __init__(self, levels: Mapping[str, float]):
        self.by_name: dict[str, float] = {}
        for name, value in levels.items():
            for spelling in _SPELLINGS.get(name, (name,)):
                self.by_name[spelling.strip().casefold()] = value
        self.names = ", ".join(levels)

    def level(self, cell: Any) -> float | None:
        """The number of a cell that is one of the names (case and surrounding spaces
        ignored), else None."""
        if cell.__class__ is str:
            return self.by_name.get(cell.strip().casefold())
        if cell.__class__ is bool:
            return self.by_name.get("true" if cell else "false")
        return None

    def read(self, cell: Any, decimal_comma: bool = False) -> float:
        """A level's number, else the cell as a number; NotANumber names the levels."""
        found = self.level(cell)
        if found is not None:
            return found
        try:
            return parse_number(cell, decimal_comma)
        except NotANumber as exc:
            raise NotANumber(f"{exc}; levels: {self.names}") from None


# YAML reads an unquoted `yes:` as true: such a level matches the usual spellings.
_SPELLINGS = {"true": ("true", "yes", "y", "on"), "false": ("false", "no", "n", "off")}


def level_numbers(levels: Mapping[str, float | str]) -> dict[str, float]:
    """A config's levels checked: each a name (a number reads as itself, so it cannot be a
    level) for a number, written as one (0.8) or as text (`80%`). ValueError says which is
    wrong."""
    numbers: dict[str, float] = {}
    for name, value in levels.items():
        if category_key(name)[0] == "n":
            raise ValueError(f"'{name}' is a number, not a name: a number reads as itself")
        try:
            numbers[name] = parse_number(value)
        except NotANumber as exc:
            raise ValueError(f"{name}: {exc}") from None
    return numbers
