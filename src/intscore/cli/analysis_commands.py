"""The commands that question a ranking: `explain`, `diff`, `sensitivity`, `matrix`, `report`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..problems import IntscoreError
from ..render import diff as diff_view
from ..render import explain as explain_view
from ..render import matrix as matrix_view
from ..render import plan as plan_view
from ..render import sensitivity as sensitivity_view

if TYPE_CHECKING:
    from datetime import datetime

    from ..analyses.categories import Rollup
    from ..analyses.plan import PlanResult
    from ..commands.core import Ranked


from .frame import EXIT_FINDINGS, _Command, _emit, _errors, _inputs, _keep, _screen, _watch, app
from .options import (
    AsOfOpt,
    ConfigOpt,
    DecimalCommaOpt,
    DelimiterOpt,
    DiffFormatOpt,
    EncodingOpt,
    ExplainFormatOpt,
    Files,
    InputFormatOpt,
    MatrixFormatOpt,
    OutputOpt,
    PlanFormatOpt,
    QuietOpt,
    SensitivityFormatOpt,
    SheetOpt,
    VaryChoice,
    finite,
)


@app.command(cls=_Command)
def explain(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The integration to explain.")],
    files: Files,
    vs: Annotated[
        str | None,
        typer.Option("--vs", metavar="OTHER", help="Explain the score difference to OTHER."),
    ] = None,
    config: ConfigOpt = None,
    format: ExplainFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Explain why NAME scores and ranks as it does (or how it differs from --vs OTHER)."""
    with _errors():
        from ..analyses import explain as explaining
        from ..commands.core import rank_inputs

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        ranked = rank_inputs(inputs, _watch(quiet))
        ranking, aliases = ranked.ranking, ranked.config.model.aliases
        item = explaining.find_item(ranking, name, aliases)
        screen = _screen(output, format)
        if vs is not None:
            other = explaining.find_item(ranking, vs, aliases)
            versus = explaining.versus(ranking, item, other)
            text = explain_view.render_versus(versus, ranked.run, format, screen)
        else:
            explanation = explaining.explain(ranking, item)
            total = len(ranking.items)
            text = explain_view.render_explanation(explanation, ranked.run, format, total, screen)
        _emit(text, output, [*files, ranked.config.path])


@app.command(cls=_Command)
def diff(
    files: Files,
    base_config: Annotated[
        str | None,
        typer.Option("--base-config", metavar="OLD.yaml", help="The config to compare against."),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="GIT_REF",
            help="Compare against the config as committed at this git ref (e.g. origin/main).",
        ),
    ] = None,
    base_requests: Annotated[
        list[str] | None,
        typer.Option(
            "--base-requests",
            metavar="OLD_FILE",
            help="Old version of the backlog (repeat for several files).",
        ),
    ] = None,
    config: ConfigOpt = None,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Report entries into/out of the top N.")
    ] = 10,
    format: DiffFormatOpt = "table",
    output: OutputOpt = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit 1 when an integration changed rank, entered or left (as git diff does).",
        ),
    ] = False,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Show how the ranking moves between two configs (or two versions of the backlog)."""
    with _errors():
        from ..commands.core import diff_files

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        result = diff_files(inputs, base_config, against, base_requests, top, _watch(quiet))
        _keep(result)
        text = diff_view.render_diff(
            result.diff, result.base, result.head, format, _screen(output, format)
        )
        _emit(text, output, [*files, *(base_requests or []), *result.configs])
        if exit_code and result.diff.moved:
            raise typer.Exit(EXIT_FINDINGS)


@app.command(cls=_Command)
def sensitivity(
    files: Files,
    spread: Annotated[
        float,
        typer.Option(
            "--spread",
            min=0.0,
            max=0.99,
            callback=finite,
            help="Each weight × U(1 − spread, 1 + spread).",
        ),
    ] = 0.25,
    runs: Annotated[int, typer.Option("--runs", min=1, max=1_000_000)] = 1000,
    top: Annotated[int, typer.Option("--top", min=1, metavar="K", help="The top-K cut.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same output).")] = 0,
    vary: Annotated[
        VaryChoice,
        typer.Option(
            "--vary",
            help="What wobbles: the weights, the data (a bootstrap over each integration's "
            "requesters), both, or the estimates (each estimated field one of its "
            "estimators' values).",
        ),
    ] = "weights",
    config: ConfigOpt = None,
    format: SensitivityFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """How stable is each rank when the weights or the data wobble? Median rank, 5–95% range,
    P(top K)."""
    with _errors():
        from ..analyses.sensitivity import MAX_RANKS, Perturbation, check_budget
        from ..analyses.sensitivity import sensitivity as perturb
        from ..commands.core import rank_inputs
        from ..engine.rank import TooManyIntegrations

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        try:  # refused before scoring when the runs would be too many
            ranked = rank_inputs(inputs, _watch(quiet), most=MAX_RANKS // runs)
        except TooManyIntegrations as exc:
            check_budget(runs, exc.count)
            raise
        how = Perturbation(runs=runs, spread=spread, top=top, seed=seed, vary=str(vary))  # type: ignore[arg-type]
        stability = perturb(ranked.ranking, how)
        _keep(ranked, stability)
        text = sensitivity_view.render_sensitivity(
            stability, ranked.run, format, how, _screen(output, format)
        )
        _emit(text, output, [*files, ranked.config.path])


@app.command(cls=_Command)
def matrix(
    files: Files,
    split: Annotated[
        float,
        typer.Option(
            "--split",
            min=0,
            max=100,
            callback=finite,
            help="Where high starts on both axes (0-100).",
        ),
    ] = 50.0,
    effort_split: Annotated[
        float | None,
        typer.Option(
            "--effort-split", min=0, max=100, callback=finite, help="A different split for effort."
        ),
    ] = None,
    config: ConfigOpt = None,
    format: MatrixFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Value vs effort: quick wins, big bets, fill-ins and money pits."""
    with _errors():
        from ..analyses.matrix import place
        from ..commands.core import rank_inputs

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        ranked = rank_inputs(inputs, _watch(quiet))
        effort = split if effort_split is None else effort_split
        placements = place(ranked.ranking, split, effort)
        text = matrix_view.render_matrix(
            placements, ranked.run, format, split, effort, _screen(output, format)
        )
        _emit(text, output, [*files, ranked.config.path])


@app.command(cls=_Command)
def plan(
    files: Files,
    capacity: Annotated[
        str | None,
        typer.Option(
            "--capacity",
            metavar="HOURS",
            help="Engineering hours available, e.g. 1600h, 200d (8 h), 40w (40 h); default: "
            "plan.capacity.",
        ),
    ] = None,
    horizon: Annotated[
        str | None,
        typer.Option(
            "--horizon", metavar="SPAN", help="Upkeep is counted over this long: 1y, 26w, 180d."
        ),
    ] = None,
    vary: Annotated[
        VaryChoice | None,
        typer.Option(
            "--vary",
            help="Plan again under sensitivity's runs (weights, data or both) and show each "
            "integration's share of plans.",
        ),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=100_000)] = 200,
    spread: Annotated[
        float,
        typer.Option(
            "--spread",
            min=0.0,
            max=0.99,
            callback=finite,
            help="With --vary: each weight × U(1 ± spread).",
        ),
    ] = 0.25,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --vary.")] = 0,
    config: ConfigOpt = None,
    format: PlanFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """What to build and what to buy with the hours there are: the plan that covers the most
    value within the capacity (build + upkeep), and its gain over the ranking's top."""
    with _errors():
        from ..analyses.sensitivity import Perturbation
        from ..commands.core import plan_inputs
        from ..problems import finding_lines

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        how = None
        if vary is not None:
            how = Perturbation(runs=runs, spread=spread, seed=seed, vary=str(vary))  # type: ignore[arg-type]
        planned = plan_inputs(inputs, capacity, horizon, how, _watch(quiet))
        for line in finding_lines(list(planned.warnings), prefix="warning: "):
            typer.echo(line, err=True)
        text = plan_view.render_plan(
            planned.result, planned.ranked.run, format, _screen(output, format)
        )
        _emit(text, output, [*files, planned.ranked.config.path])


@app.command(cls=_Command)
def report(
    files: Files,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="OUT.html", help="The HTML file to write.")
    ],
    split: Annotated[
        float,
        typer.Option(
            "--split", min=0, max=100, callback=finite, help="Quadrant split for the chart."
        ),
    ] = 50.0,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = None,
    sheet: SheetOpt = None,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML page: ranking, value-vs-effort chart, breakdowns."""
    with _errors():
        from ..analyses.matrix import place
        from ..analyses.whatif import what_if
        from ..commands.core import rank_inputs
        from ..render.report import render_report
        from ..render.report_size import summarised
        from ..text import safe_text

        inputs = _inputs(
            files, config, encoding, delimiter, decimal_comma, input_format, as_of, sheet
        )
        ranked = rank_inputs(inputs, _watch(quiet))
        _keep(ranked)
        ranking, cut = summarised(ranked.ranking)
        try:
            placements, note = place(ranking, split, split), None
        except IntscoreError as exc:
            placements, note = None, exc.findings[0].message
        when = _build_time()
        sliders = what_if(ranking, ranked.config)
        planned, rollup = _report_extras(ranked)
        html = render_report(
            ranking,
            ranked.run,
            placements,
            when,
            note,
            split,
            split,
            sliders,
            planned,
            rollup,
            cut,
        )
        _emit(html, output, [*files, ranked.config.path])
        typer.echo(safe_text(f"wrote {output}"), err=True)


def _report_extras(ranked: Ranked) -> tuple[PlanResult | None, Rollup | None]:
    """The plan (with `plan:` and a capacity, when the solver is installed) and the roll-up
    by category (with categories), for the report; a note on stderr for a plan it cannot
    make."""
    from ..analyses.categories import roll_up
    from ..analyses.plan import plan as make_plan
    from ..milp import solver_available
    from ..text import safe_text

    model = ranked.config.model
    rollup = None
    if model.categories is not None or model.catalog:
        rollup = roll_up(ranked.ranking, model)
    planned = None
    if model.plan is not None and model.plan.capacity is not None:
        if not solver_available():
            typer.echo("note: no plan in the report: pip install 'intscore[plan]'", err=True)
        else:
            try:
                planned = make_plan(ranked.ranking, model)
            except IntscoreError as exc:
                reason = exc.findings[0].message
                typer.echo(safe_text(f"note: no plan in the report: {reason}"), err=True)
    return planned, rollup


def _build_time() -> datetime:
    """Now, or $SOURCE_DATE_EPOCH when set (reproducible builds)."""
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise IntscoreError(
            f"SOURCE_DATE_EPOCH must be a time in seconds since 1970, not {epoch[:40]!r}"
        ) from None
