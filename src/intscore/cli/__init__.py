"""The command line: parse options, call the core, render, map errors to exit codes."""

# Kept import-light: the core (pydantic, yaml) and rich load inside the commands that use
# them, so `intscore --help` starts fast. The commands register on import.

from __future__ import annotations

from . import analysis_commands, core_commands, setup_commands
from .app import app
from .options import Engine

__all__ = ["Engine", "app"]

# The order `intscore --help` lists them in: the everyday commands first.
ORDER = (
    "rank",
    "plan",
    "check",
    "explain",
    "diff",
    "sensitivity",
    "matrix",
    "report",
    "schema",
    "init",
)
_COMMANDS = (core_commands, analysis_commands, setup_commands)
app.registered_commands.sort(key=lambda c: ORDER.index(getattr(c.callback, "__name__", "")))
