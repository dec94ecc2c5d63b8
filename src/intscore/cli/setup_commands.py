"""`intscore schema` and `intscore init`: starting a scoring model."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..problems import IntscoreError

if TYPE_CHECKING:
    pass

from .frame import _emit, _errors, app
from .options import (
    DecimalCommaOpt,
    DelimiterOpt,
    EncodingOpt,
    InputFormatOpt,
    OutputOpt,
    Preset,
    SheetOpt,
)


@app.command()
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of scoring.yaml (for editors and CI validation)."""
    with _errors():
        from ..model.loading import config_schema_text

        _emit(config_schema_text(), output)


@app.command()
def init(
    preset: Annotated[
        Preset, typer.Option("--preset", help="The framework to start from.")
    ] = "default",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Write a scoring.yaml for this export's own columns (instead of a preset).",
        ),
    ] = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
) -> None:
    """Write scoring.yaml (for a framework preset, or for an export's columns with --from)
    and scoring.schema.json here."""
    with _errors():
        from ..model.loading import config_schema_text, preset_text
        from ..read.files import write_atomically

        if from_file is None:
            text = preset_text(str(preset))
        else:
            from ..commands.setup import infer_from_file
            from ..read.readers import ReadOptions

            decimal = None if decimal_comma is None else "," if decimal_comma else "."
            options = ReadOptions(
                encoding=encoding,
                delimiter=delimiter,
                decimal=decimal,
                input_format=input_format,
                sheet=sheet,
            )
            inferred = infer_from_file(from_file, options)
            text = inferred.text
            found = ", ".join(f"{f} ← {h!r}" for f, h in inferred.columns.items())
            typer.echo(f"found: {found or 'nothing'}", err=True)
        files = {
            "scoring.yaml": text,
            "scoring.schema.json": config_schema_text(),
        }
        existing = [name for name in files if os.path.lexists(name)]
        if existing and not force:
            raise IntscoreError(
                f"{' and '.join(existing)} already exist{'s' * (len(existing) == 1)} here; "
                "use --force to overwrite"
            )
        for name, text in files.items():
            write_atomically(name, text)
            typer.echo(f"wrote {name}")
        if from_file is not None:
            from ..text import safe_text

            for line, what in inferred.todos:  # what could not be decided: the line to edit
                typer.echo(safe_text(f"todo: scoring.yaml:{line}: {what}"), err=True)
