"""The `intscore` command line: parse options, call the core, render, map errors to exit codes.

Kept import-light: the core (pydantic, yaml) and rich load inside the commands that use them,
so `intscore --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from . import __version__
from .problems import IntscoreError, format_errors
from .render import diff as diff_view
from .render import explain as explain_view
from .render import findings as findings_view
from .render import matrix as matrix_view
from .render import ranking as ranking_view
from .render import sensitivity as sensitivity_view

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from .commands import Inputs
    from .engine.ranking import Ranking
    from .render.console import Screen

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


def _choices(name: str, formats: Sequence[str]) -> type[StrEnum]:
    """A typer choice of the formats a renderer declares."""
    return StrEnum(name, {f: f for f in formats})  # type: ignore[return-value]


RankFormat = _choices("RankFormat", ranking_view.FORMATS)
CheckFormat = _choices("CheckFormat", findings_view.FORMATS)
ExplainFormat = _choices("ExplainFormat", explain_view.FORMATS)
DiffFormat = _choices("DiffFormat", diff_view.FORMATS)
SensitivityFormat = _choices("SensitivityFormat", sensitivity_view.FORMATS)
MatrixFormat = _choices("MatrixFormat", matrix_view.FORMATS)
VaryChoice = _choices("VaryChoice", ("weights", "data", "both"))
Engine = _choices("Engine", ("auto", "python", "duckdb"))  # = api.ENGINES


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


Files = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE",
        help="Request files: .csv .tsv .yaml .yml .json, or - for stdin (CSV unless "
        "--input-format says otherwise).",
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
    bool, typer.Option("--decimal-comma", help="Read numbers like 12.000,50 (European style).")
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


def _watch(quiet: bool) -> Any:
    """A progress bar for slow inputs, on an interactive stderr only."""
    if quiet or not sys.stderr.isatty():
        return None
    from .render.progress import with_progress

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
        from .text import safe_text, shorten

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
    decimal_comma: bool,
    input_format: str | None,
    as_of: str | None = None,
) -> Inputs:
    """The options every command shares, in one object."""
    from datetime import date

    from .commands import Inputs
    from .read.readers import ReadOptions

    read = ReadOptions(
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=decimal_comma,
        input_format=input_format,
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
    from .render.console import Screen

    if output is not None or format != "table":
        return Screen(width=120)
    from rich.console import Console

    terminal = Console()
    return Screen(terminal.width, terminal.color_system if terminal.is_terminal else None)


def _text_screen(output: str | None) -> Screen:
    """Where `check`'s text goes: in colour on a terminal; never into a file or a pipe, nor
    with NO_COLOR (https://no-color.org) or TERM=dumb."""
    from .render.console import PLAIN, Screen

    plain = output is not None or not sys.stdout.isatty()
    if plain or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return PLAIN
    from rich.console import Console

    terminal = Console()
    return Screen(terminal.width, terminal.color_system)


def _notes(ranking: Ranking) -> None:
    """Keys in YAML/JSON rows that look like a field but are not read: said once on stderr,
    since their values count for nothing (`check` reports them with their line)."""
    from .problems import UNKNOWN_FIELD
    from .text import safe_text

    for finding in ranking.warnings:
        if finding.rule == UNKNOWN_FIELD:
            typer.echo(safe_text(f"note: {finding.location}: {finding.message}"), err=True)


def _emit(text: str, output: str | None, protected: Sequence[str | Path | None] = ()) -> None:
    """The one way results leave: stdout, or written atomically to `output` but never over
    one of the `protected` files (inputs and configs)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .read.files import write_atomically

    write_atomically(output, text, [p for p in protected if p is not None])


@app.command(cls=_Command)
def rank(
    files: Files,
    config: ConfigOpt = None,
    format: RankFormatOpt = "table",
    top: TopOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
    engine: EngineOpt = "auto",
    verbose: VerboseOpt = False,
) -> None:
    """Rank the requested integrations in FILE... by the scoring model."""
    with _errors():
        from .commands import rank_inputs

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        ranked = rank_inputs(
            inputs,
            _watch(quiet),
            engine=engine,
            listed=format == "json",
            engine_chosen=_say_engine if verbose else None,
        )
        _notes(ranked.ranking)
        text = ranking_view.render_ranking(
            ranked.ranking, ranked.run, format, top, _screen(output, format)
        )
        _emit(text, output, [*files, ranked.config.path])
        if format == "csv":  # no room for a footer in CSV: a cut tie is said on stderr
            from .engine.ranking import tied_beyond
            from .render.values import top_note

            if tied_beyond(ranked.ranking, top):
                typer.echo(f"note: {top_note(ranked.ranking, top)}", err=True)


def _say_engine(engine: str, why: str) -> None:
    """`rank -v`: which engine ranks, and why the Python pass does when DuckDB could."""
    from .text import safe_text

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
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check backlog files and the scoring model; exit 1 on errors (or any finding with
    --strict), 2 when the config or a file cannot be used."""
    with _errors():
        if rules:
            from .problems import RULES

            fmt = "json" if format == "json" else "text"
            _emit(findings_view.render_rules(list(RULES.values()), fmt), output)
            return
        if not files:
            raise IntscoreError("give the files to check (or --rules to list the rules)")
        from .commands import check_files

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        result = check_files(inputs, expect, _watch(quiet), ignore or ())
        on_github = os.environ.get("GITHUB_ACTIONS") == "true"
        text = findings_view.render_findings(result, format, on_github, _text_screen(output))
        _emit(text, output, [*files, config, expect])
        errors, warnings = result.counts()
        if result.unusable:
            raise typer.Exit(EXIT_UNUSABLE)
        if errors or (strict and warnings):
            raise typer.Exit(EXIT_FINDINGS)


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
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Explain why NAME scores and ranks as it does (or how it differs from --vs OTHER)."""
    with _errors():
        from .analyses import explain as explaining
        from .commands import rank_inputs

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
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
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Show how the ranking moves between two configs (or two versions of the backlog)."""
    with _errors():
        from .commands import diff_files

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        result = diff_files(inputs, base_config, against, base_requests, top, _watch(quiet))
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
            "--spread", min=0.0, max=0.99, help="Each weight × U(1 − spread, 1 + spread)."
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
            "requesters), or both.",
        ),
    ] = "weights",
    config: ConfigOpt = None,
    format: SensitivityFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """How stable is each rank when the weights or the data wobble? Median rank, 5–95% range,
    P(top K)."""
    with _errors():
        from .analyses.sensitivity import Perturbation
        from .analyses.sensitivity import sensitivity as perturb
        from .commands import rank_inputs

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        ranked = rank_inputs(inputs, _watch(quiet))
        how = Perturbation(runs=runs, spread=spread, top=top, seed=seed, vary=vary.value)
        stability = perturb(ranked.ranking, how)
        text = sensitivity_view.render_sensitivity(
            stability, ranked.run, format, how, _screen(output, format)
        )
        _emit(text, output, [*files, ranked.config.path])


@app.command(cls=_Command)
def matrix(
    files: Files,
    split: Annotated[
        float,
        typer.Option("--split", min=0, max=100, help="Where high starts on both axes (0-100)."),
    ] = 50.0,
    effort_split: Annotated[
        float | None,
        typer.Option("--effort-split", min=0, max=100, help="A different split for effort."),
    ] = None,
    config: ConfigOpt = None,
    format: MatrixFormatOpt = "table",
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Value vs effort: quick wins, big bets, fill-ins and money pits."""
    with _errors():
        from .analyses.matrix import place
        from .commands import rank_inputs

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        ranked = rank_inputs(inputs, _watch(quiet))
        effort = split if effort_split is None else effort_split
        placements = place(ranked.ranking, split, effort)
        text = matrix_view.render_matrix(
            placements, ranked.run, format, split, effort, _screen(output, format)
        )
        _emit(text, output, [*files, ranked.config.path])


@app.command(cls=_Command)
def report(
    files: Files,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="OUT.html", help="The HTML file to write.")
    ],
    split: Annotated[
        float, typer.Option("--split", min=0, max=100, help="Quadrant split for the chart.")
    ] = 50.0,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML page: ranking, value-vs-effort chart, breakdowns."""
    with _errors():
        from .analyses.matrix import place
        from .analyses.whatif import what_if
        from .commands import rank_inputs
        from .render.report import render_report
        from .text import safe_text

        inputs = _inputs(files, config, encoding, delimiter, decimal_comma, input_format, as_of)
        ranked = rank_inputs(inputs, _watch(quiet))
        try:
            placements, note = place(ranked.ranking, split, split), None
        except IntscoreError as exc:
            placements, note = None, exc.findings[0].message
        when = _build_time()
        sliders = what_if(ranked.ranking, ranked.config)
        html = render_report(
            ranked.ranking, ranked.run, placements, when, note, split, split, sliders
        )
        _emit(html, output, [*files, ranked.config.path])
        typer.echo(safe_text(f"wrote {output}"), err=True)


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


@app.command()
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of scoring.yaml (for editors and CI validation)."""
    with _errors():
        from .model.loading import config_schema_text

        _emit(config_schema_text(), output)


class Preset(StrEnum):
    default = "default"
    rice = "rice"
    wsjf = "wsjf"
    ice = "ice"


@app.command()
def init(
    preset: Annotated[
        Preset, typer.Option("--preset", help="The framework to start from.")
    ] = Preset.default,
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
    input_format: InputFormatOpt = None,
) -> None:
    """Write scoring.yaml (for a framework preset, or for an export's columns with --from)
    and scoring.schema.json here."""
    with _errors():
        from .model.loading import config_schema_text, preset_text
        from .read.files import write_atomically

        if from_file is None:
            text = preset_text(preset.value)
        else:
            from .commands import infer_from_file
            from .read.readers import ReadOptions

            options = ReadOptions(encoding=encoding, delimiter=delimiter, input_format=input_format)
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
