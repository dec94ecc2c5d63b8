"""`intscore estimates template`: a blank estimator's file to fill in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..problems import IntscoreError
from .frame import _Command, _emit, _errors, _inputs, _watch, app
from .options import (
    AsOfOpt,
    ConfigOpt,
    DecimalCommaOpt,
    DelimiterOpt,
    EncodingOpt,
    Files,
    InputFormatOpt,
    QuietOpt,
)

estimates_app = typer.Typer(
    name="estimates",
    help="Estimates from several people: one reviewed YAML file per estimator.",
    no_args_is_help=True,
)
app.add_typer(estimates_app)


@estimates_app.command(cls=_Command)
def template(
    files: Files,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="The first N of the ranking.")
    ] = 20,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="estimates/NAME.yaml",
            help="The estimator's file to write (its name picks the fields `who` gives it); "
            "default: stdout.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write over an existing file.")] = False,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write a blank estimates file for the top N integrations (ranked without estimates),
    to fill in and commit."""
    with _errors():
        from ..commands.setup import estimates_template
        from ..text import safe_text

        if output is not None and os.path.lexists(output) and not force:
            raise IntscoreError(f"{output} already exists; use --force to write over it")
        stem = None if output is None else Path(output).name.rsplit(".", 1)[0]
        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        text = estimates_template(inputs, top, stem, _watch(quiet))
        _emit(text, output, [*files, config])
        if output is not None:
            typer.echo(safe_text(f"wrote {output}"), err=True)
