"""What a user chooses among on the command line: each view's output formats, the engines,
the presets, what `sensitivity` varies and what `rank --by` rolls up by. Declared once here,
where the core, the renderers and the CLI all read them without loading one another."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "BY",
    "CHECK_FORMATS",
    "DIFF_FORMATS",
    "ENGINES",
    "EXPLAIN_FORMATS",
    "MATRIX_FORMATS",
    "PLAN_FORMATS",
    "PRESETS",
    "RANK_FORMATS",
    "ROLLUP_FORMATS",
    "SENSITIVITY_FORMATS",
    "VARY",
    "Vary",
]

RANK_FORMATS = ("table", "json", "csv", "markdown")
CHECK_FORMATS = ("auto", "text", "json", "github", "sarif")
EXPLAIN_FORMATS = ("table", "json")
DIFF_FORMATS = ("table", "markdown", "json")
SENSITIVITY_FORMATS = ("table", "json")
MATRIX_FORMATS = ("table", "json")
PLAN_FORMATS = ("table", "json", "markdown")
ROLLUP_FORMATS = ("table", "json", "markdown")

ENGINES = ("auto", "python", "duckdb")  # `rank --engine`
PRESETS = ("default", "rice", "wsjf", "ice")  # `init --preset`
BY = ("category",)  # `rank --by`
Vary = Literal["weights", "data", "both", "estimates"]
VARY: tuple[Vary, ...] = ("weights", "data", "both", "estimates")  # `sensitivity --vary`
