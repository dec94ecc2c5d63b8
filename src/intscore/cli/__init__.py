"""The command line: parse options, call the core, render, map errors to exit codes."""

# Kept import-light: the core (pydantic, yaml) and rich load inside the commands that use
# them, and a run of one command loads (and typer builds) that command alone, so a short
# `intscore rank` starts fast. Each command is defined once, in the module named below.

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["Engine", "app", "typer_app"]

# Where each command is defined, in the order `intscore --help` lists them: the everyday
# commands first, then the command groups (`estimates template`).
COMMANDS = {
    "rank": "core_commands",
    "plan": "analysis_commands",
    "check": "core_commands",
    "explain": "analysis_commands",
    "diff": "analysis_commands",
    "sensitivity": "analysis_commands",
    "matrix": "analysis_commands",
    "report": "analysis_commands",
    "schema": "setup_commands",
    "init": "setup_commands",
    "estimates": "estimates_commands",
}
ORDER = tuple(COMMANDS)


def typer_app(args: Sequence[str] | None = None) -> typer.Typer:
    """The typer app with every command; or, for a command line (`args`, without the
    program's name) that names a command, with the commands of that command's module only —
    the same definitions, fewer of them built. Shell completion always gets them all."""
    from .frame import app

    named = _command_named(args) if args is not None else None
    if any(k.endswith("_COMPLETE") for k in os.environ):
        named = None
    modules = dict.fromkeys(COMMANDS.values()) if named is None else {COMMANDS[named]: None}
    for module in modules:
        importlib.import_module(f".{module}", __name__)
    _EVERY.extend(c for c in app.registered_commands if c not in _EVERY)
    _EVERY.sort(key=lambda c: ORDER.index(_name(c)))
    app.registered_commands = [c for c in _EVERY if named in (None, _name(c))]
    return app


_EVERY: list[Any] = []  # every command registered so far, in `--help` order


def _name(command: Any) -> str:
    return getattr(command.callback, "__name__", "")


def _command_named(args: Sequence[str]) -> str | None:
    """The command a command line runs: its first word that is not an option (the app's own
    options are flags, so none takes the next word as its value); none when help is asked
    before it (`intscore --help rank` lists every command)."""
    for arg in args:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def __getattr__(name: str) -> Any:
    if name == "app":
        return typer_app()
    if name == "Engine":
        from .options import Engine

        return Engine
    raise AttributeError(name)
