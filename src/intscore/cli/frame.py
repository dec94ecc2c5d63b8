"""The command line's frame: the typer app, how errors become exit codes (0 ok, 1 `check`
findings, 2 unusable input, 3 a bug), the options every command shares, and the one way
results leave (stdout, or a file written atomically)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from .. import __version__
from ..problems import IntscoreError, format_errors

if TYPE_CHECKING:
    from pathlib import Path

    from ..commands.core import Inputs
    from ..engine.ranking import Ranking
    from ..render.console import Screen

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="intscore",
    help="Score and rank requested integrations with a versioned scoring model (scoring.yaml).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


class _Command(TyperCommand):
    """A command whose arguments read `FILE...` and `NAME` in usage and help (typer would
    write `{FILE}...`, `FILE <list[str]>` and `NAME <str>`, or other spellings by version)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.param_type_name == "argument":
                _show_plainly(param)


def _show_plainly(param: Any) -> None:
    shown = f"{param.metavar or param.name.upper()}{'...' if param.nargs == -1 else ''}"
    usage = shown if param.required else f"[{shown}]"
    record = param.get_help_record
    param.get_usage_pieces = lambda ctx: [usage]
    param.get_help_record = lambda ctx: (shown, (record(ctx) or ("", ""))[1])


def _watch(quiet: bool) -> Any:
    """A progress bar for slow inputs, on an interactive stderr only."""
    if quiet or not sys.stderr.isatty():
        return None
    from ..render.progress import with_progress

    return with_progress


def _version(value: bool) -> None:
    if value:
        typer.echo(f"intscore {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks for errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Score and rank requested integrations with a versioned scoring model."""
    _state["debug"] = debug


@contextmanager
def _errors() -> Iterator[None]:
    """Map errors to exit codes: unusable input 2 (one line per problem), bugs 3."""
    from ..read.files import forget_reads

    forget_reads()
    try:
        yield
    except IntscoreError as exc:
        for line in format_errors(exc.findings):
            typer.echo(line, err=True)
        raise typer.Exit(EXIT_UNUSABLE) from None
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        sys.stderr.close()
        raise typer.Exit(EXIT_OK) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as exc:
        if _state["debug"]:
            raise
        from ..text import safe_text, shorten

        typer.echo(
            safe_text(
                f"error: internal error: {type(exc).__name__}: {shorten(str(exc), 200)} "
                "(please report it; --debug shows the traceback)"
            ),
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _inputs(
    files: list[str],
    config: str | None,
    encoding: str | None,
    delimiter: str | None,
    decimal_comma: bool | None,
    input_format: str | None,
    as_of: str | None = None,
    sheet: str | None = None,
) -> Inputs:
    """The options every command shares, in one object."""
    from datetime import date

    from ..commands.core import Inputs
    from ..read.readers import ReadOptions

    read = ReadOptions(
        encoding=encoding,
        delimiter=delimiter,
        decimal=None if decimal_comma is None else "," if decimal_comma else ".",
        input_format=input_format,
        sheet=sheet,
    )
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise IntscoreError(
                f"--as-of takes a date like 2026-11-30, not {as_of[:40]!r}"
            ) from None
    return Inputs(tuple(files), config, read, day)


def _screen(output: str | None, format: str) -> Screen:
    """Where a table goes: the terminal (its width and colours) or a file (120 columns)."""
    from ..render.console import Screen, plain_screen

    if output is not None or format != "table":
        return Screen(width=120)
    plain = plain_screen()
    if plain is not None:
        return plain
    from rich.console import Console

    terminal = Console()
    return Screen(terminal.width, terminal.color_system if terminal.is_terminal else None)


def _text_screen(output: str | None) -> Screen:
    """Where `check`'s text goes: in colour on a terminal; never into a file or a pipe, nor
    with NO_COLOR (https://no-color.org) or TERM=dumb."""
    from ..render.console import PLAIN, Screen

    plain = output is not None or not sys.stdout.isatty()
    if plain or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return PLAIN
    from rich.console import Console

    terminal = Console()
    return Screen(terminal.width, terminal.color_system)


def _notes(ranking: Ranking) -> None:
    """What `rank` leaves out without stopping, said once on stderr (`check` reports each
    with its line): keys in YAML/JSON rows that look like a field but are not read, rows
    skipped above the header or as a footer, and rows that name no integration."""
    from ..problems import FOOTER_ROWS, SKIPPED_ROWS, UNKNOWN_FIELD
    from ..render.values import unnamed_notes
    from ..text import safe_text

    for finding in ranking.warnings:
        if finding.rule in (UNKNOWN_FIELD, SKIPPED_ROWS, FOOTER_ROWS):
            typer.echo(safe_text(f"note: {finding.location}: {finding.message}"), err=True)
    for note in unnamed_notes(ranking):
        typer.echo(safe_text(f"note: {note}"), err=True)


_KEPT: list[object] = []


def _keep(*results: object) -> None:
    """Keep a run's big results (a ranking of a million rows) alive to the end: the console
    script then leaves without freeing them object by object (`entry.run`). Only the last
    run's, so that many runs in one process (tests) hold one."""
    _KEPT[:] = results


def _emit(
    text: str | Iterable[str], output: str | None, protected: Sequence[str | Path | None] = ()
) -> None:
    """The one way results leave (whole, or in pieces): stdout, or written atomically to
    `output` but never over one of the `protected` files (inputs and configs)."""
    if output is None:
        try:
            sys.stdout.writelines([text] if isinstance(text, str) else text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # stdout redirected to a full or failing disk
            from ..read.files import reason

            raise IntscoreError(f"cannot write to stdout: {reason(exc)}") from None
        return
    from ..read.files import write_atomically

    write_atomically(output, text, [p for p in protected if p is not None])
