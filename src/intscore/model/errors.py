"""How the compiled model checks itself: `ModelError` (a rule broken, with where in
scoring.yaml), and the checks every part of the model shares."""

from __future__ import annotations

import math
from typing import Any

from ..numbers import MAX_NUMBER

__all__ = ["MAX_POINTS", "ModelError", "is_number", "require"]

MAX_POINTS = 1e6  # weights and points are at most this; thresholds and band edges ±MAX_NUMBER


class ModelError(ValueError):
    """A model that breaks one of its rules, with where in scoring.yaml (`loc`, as in
    `("criteria", 1)`): a config error with its line, or a cache entry not to be trusted."""

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.message = message
        self.loc = loc


def require(ok: bool, message: str) -> None:
    """Raise ModelError(message) unless `ok`."""
    if not ok:
        raise ModelError(message)


def is_number(value: Any, low: float = -MAX_NUMBER, high: float = MAX_NUMBER) -> bool:
    """A finite number (not a boolean) within [low, high]."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and low <= value <= high
    )
