"""The options and arguments of the commands, and the choices `choices.py` declares (formats,
engines, presets): one definition each, shared by every command that takes them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer

from .. import choices


def finite(value: float | None) -> float | None:
    """A float option's callback: NaN passes every min/max test, so it is refused here."""
    if value is not None and value != value:
        raise typer.BadParameter("nan is not a number")
    return value


def _choices(name: str, values: Sequence[str]) -> type[StrEnum]:
    """A typer choice of the values the core declares (a renderer's formats, the engines)."""
    return StrEnum(name, {v: v for v in values})  # type: ignore[return-value]


if TYPE_CHECKING:  # to a type checker, a choice is the text it holds
    RankFormat: TypeAlias = str
    CheckFormat: TypeAlias = str
    ExplainFormat: TypeAlias = str
    DiffFormat: TypeAlias = str
    SensitivityFormat: TypeAlias = str
    MatrixFormat: TypeAlias = str
    VaryChoice: TypeAlias = str
    Engine: TypeAlias = str
    Preset: TypeAlias = str
    PlanFormat: TypeAlias = str
    By: TypeAlias = str
else:
    RankFormat = _choices("RankFormat", choices.RANK_FORMATS)
    CheckFormat = _choices("CheckFormat", choices.CHECK_FORMATS)
    ExplainFormat = _choices("ExplainFormat", choices.EXPLAIN_FORMATS)
    DiffFormat = _choices("DiffFormat", choices.DIFF_FORMATS)
    SensitivityFormat = _choices("SensitivityFormat", choices.SENSITIVITY_FORMATS)
    MatrixFormat = _choices("MatrixFormat", choices.MATRIX_FORMATS)
    VaryChoice = _choices("VaryChoice", choices.VARY)
    PlanFormat = _choices("PlanFormat", choices.PLAN_FORMATS)
    By = _choices("By", choices.BY)
    Engine = _choices("Engine", choices.ENGINES)
    Preset = _choices("Preset", choices.PRESETS)


Files = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE",
        help="Request files: .csv .tsv .yaml .yml .json .xlsx .xls .ods, or - for stdin (CSV "
        "unless --input-format says otherwise).",
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        "-c",
        metavar="PATH",
        help="scoring.yaml to use (default: $INTSCORE_CONFIG, the nearest scoring.yaml, "
        "else the built-in default).",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(help="Encoding of CSV input (default: UTF-8, or as its byte-order mark says)."),
]
DelimiterOpt = Annotated[
    str | None,
    typer.Option(help="CSV delimiter (default: sniffed among , ; TAB |)."),
]
DecimalCommaOpt = Annotated[
    bool | None,
    typer.Option(
        "--decimal-comma/--decimal-point",
        help="Read numbers like 12.000,50 (European style), or like 12,000.50 (default: by "
        "the file: a ;-separated CSV has decimal commas; a column whose values show the other "
        "mark is read with it).",
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="The sheet of a workbook to read (default: the first)."
    ),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="csv|tsv|yaml|json",
        help="Format of the input (default: by extension; stdin (-) is read as CSV).",
    ),
]
TopOpt = Annotated[
    int | None, typer.Option("--top", min=1, metavar="N", help="Show only the first N.")
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="OUT", help="Write to this file (atomically) instead of stdout."
    ),
]

RankFormatOpt = Annotated[RankFormat, typer.Option("--format", "-f", help="Output format.")]
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Who groups the rows: python, or duckdb (pip install 'intscore[fast]') for one "
        "big CSV file, falling back to python for anything it would not read exactly alike; "
        "auto = duckdb from 3 MiB when installed.",
    ),
]
ByOpt = Annotated[
    By | None,
    typer.Option(
        "--by",
        help="Roll the ranking up per category: integrations, distinct accounts, their "
        "combined size, the top integrations (needs `categories:` or `catalog: true`).",
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Say on stderr which engine ranked, and why.")
]
CheckFormatOpt = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format; auto = github on GitHub Actions, else text (coloured on a "
        "terminal); sarif = SARIF 2.1.0 for code scanning.",
    ),
]
ExplainFormatOpt = Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")]
DiffFormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")]
SensitivityFormatOpt = Annotated[
    SensitivityFormat, typer.Option("--format", "-f", help="Output format.")
]
MatrixFormatOpt = Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")]
PlanFormatOpt = Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")]


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The day ages count to (default: the config's as_of, else today).",
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar while reading big inputs.")
]
