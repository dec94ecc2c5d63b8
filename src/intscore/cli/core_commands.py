"""`intscore rank` and `intscore check`: the everyday commands."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..problems import IntscoreError
from ..render import ranking as ranking_view

if TYPE_CHECKING:
    from ..commands.core import Ranked
    from ..engine.ranking import Ranking

from .frame import (
    EXIT_FINDINGS,
    EXIT_UNUSABLE,
    _Command,
    _emit,
    _errors,
    _inputs,
    _keep,
    _notes,
    _screen,
    _text_screen,
    _watch,
    app,
)
from .options import (
    AsOfOpt,
    ByOpt,
    CheckFormatOpt,
    ConfigOpt,
    DecimalCommaOpt,
    DelimiterOpt,
    EncodingOpt,
    EngineOpt,
    Files,
    InputFormatOpt,
    OutputOpt,
    QuietOpt,
    RankFormatOpt,
    SheetOpt,
    TopOpt,
    VerboseOpt,
)


@app.command(cls=_Command)
def rank(
    files: Files,
    config: ConfigOpt = None,
    format: RankFormatOpt = "table",
    top: TopOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
    engine: EngineOpt = "auto",
    verbose: VerboseOpt = False,
    by: ByOpt = None,
) -> None:
    """Rank the requested integrations in FILE... by the scoring model."""
    with _errors():
        from ..commands.core import rank_inputs

        if by is not None and format == "csv":
            raise IntscoreError("rank --by category writes a table, json or markdown, not csv")
        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        ranked = rank_inputs(
            inputs,
            _watch(quiet),
            engine=engine,
            listed=format == "json" or by is not None,  # a roll-up counts accounts
            engine_chosen=_say_engine if verbose else None,
        )
        _keep(ranked)
        _notes(ranked.ranking)
        if verbose:
            _say_marks(ranked.ranking)
        if ranked.config.model.estimated is not None:
            _unused_estimates(ranked)
        if by is not None:
            from ..analyses.categories import roll_up
            from ..render.categories import render_rollup

            rollup = roll_up(ranked.ranking, ranked.config.model)
            text = render_rollup(rollup, ranked.run, format, _screen(output, format))
            _emit(text, output, [*files, ranked.config.path])
            return
        chunks = ranking_view.ranking_chunks(
            ranked.ranking, ranked.run, format, top, _screen(output, format)
        )
        _emit(chunks, output, [*files, ranked.config.path])
        if format == "csv":  # no room for a footer in CSV: a cut tie is said on stderr
            from ..engine.ranking import tied_beyond
            from ..render.values import top_note

            if tied_beyond(ranked.ranking, top):
                typer.echo(f"note: {top_note(ranked.ranking, top)}", err=True)


def _unused_estimates(ranked: Ranked) -> None:
    """Estimates that count for nothing, said once on stderr (`check` says which)."""
    from ..analyses.check.context import CheckContext
    from ..analyses.check.estimates import unused_estimates

    unused = unused_estimates(CheckContext(ranked.config, ranked.ranking))
    if unused:
        which = "estimate is" if unused == 1 else "estimates are"
        typer.echo(f"note: {unused} {which} not used; intscore check says which and why", err=True)


def _say_marks(ranking: Ranking) -> None:
    """`rank -v`: number columns read with the other decimal mark than their file's."""
    from ..text import safe_text

    for summary in ranking.inputs:
        for header, mark, text, line in summary.number_marks:
            name = "comma" if mark == "," else "point"
            typer.echo(
                safe_text(
                    f"note: {summary.source}: '{header}' is read with a decimal {name}, as "
                    f"'{text}' on line {line} shows"
                ),
                err=True,
            )


def _say_engine(engine: str, why: str) -> None:
    """`rank -v`: which engine ranks, and why the Python pass does when DuckDB could."""
    from ..text import safe_text

    typer.echo(safe_text(f"engine: {engine}{f' ({why})' if why else ''}"), err=True)


@app.command(cls=_Command)
def check(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE",
            help="Request files (.csv .tsv .yaml .yml .json, or - for stdin); a scoring.yaml "
            "among them is checked as a config.",
        ),
    ] = None,
    config: ConfigOpt = None,
    format: CheckFormatOpt = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="RANKING.csv",
            help="A committed `rank -f csv` output that must still be current.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="RULE", help="Do not report this rule (repeat for several)."
        ),
    ] = None,
    rules: Annotated[
        bool, typer.Option("--rules", help="List every rule with its level and what it finds.")
    ] = False,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            metavar="N",
            help="missing-estimate looks for integrations nobody estimated in the top N.",
        ),
    ] = 10,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check backlog files and the scoring model; exit 1 on errors (or any finding with
    --strict), 2 when the config or a file cannot be used."""
    from ..render import findings as findings_view

    with _errors():
        if rules:
            from ..problems import RULES

            fmt = "json" if format == "json" else "text"
            _emit(findings_view.render_rules(list(RULES.values()), fmt), output)
            return
        if not files:
            raise IntscoreError("give the files to check (or --rules to list the rules)")
        from ..commands.core import check_files

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        result = check_files(inputs, expect, _watch(quiet), ignore or (), top)
        _keep(result)
        on_github = os.environ.get("GITHUB_ACTIONS") == "true"
        text = findings_view.render_findings(result, format, on_github, _text_screen(output))
        _emit(text, output, [*files, config, expect])
        errors, warnings = result.counts()
        if result.unusable:
            raise typer.Exit(EXIT_UNUSABLE)
        if errors or (strict and warnings):
            raise typer.Exit(EXIT_FINDINGS)
