"""The `intscore` command line: parse options, call the core, render, map errors to exit codes.

Kept import-light: the core (pydantic, yaml) and rich load inside the commands that use them,
so `intscore --help` starts fast.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .problems import IntscoreError, format_errors

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from .config import LoadedConfig
    from .ranking import Ranking, RunInfo
    from .readers import ReadOptions

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="intscore",
    help="Score and rank requested integrations with a versioned scoring model (scoring.yaml).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


class RankFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


Files = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE", help="Request files: .csv .tsv .yaml .yml .json, or - for stdin."
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
        help="Format of the input; needed for stdin (-).",
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
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {exc} "
            "(please report it; --debug shows the traceback)",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _read_options(
    encoding: str | None, delimiter: str | None, decimal_comma: bool, input_format: str | None
) -> ReadOptions:
    from .readers import ReadOptions

    return ReadOptions(
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=decimal_comma,
        input_format=input_format,
    )


def _ranked(
    files: list[str],
    config: str | None,
    encoding: str | None,
    delimiter: str | None,
    decimal_comma: bool,
    input_format: str | None,
    quiet: bool,
) -> tuple[LoadedConfig, Ranking, RunInfo]:
    """The config, the ranking of the files, and what produced it (for every output)."""
    from .api import rank_files, resolve_config, run_info

    loaded = resolve_config(config)
    options = _read_options(encoding, delimiter, decimal_comma, input_format)
    ranking = rank_files(files, loaded, options, _watch(quiet))
    return loaded, ranking, run_info(loaded, files)


def _emit(text: str, output: str | None, inputs: Sequence[str | Path | None]) -> None:
    """Print, or write atomically to `output` but never over one of the inputs (None: none)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .api import write_atomically

    write_atomically(output, text, [p for p in inputs if p is not None])


@app.command()
def rank(
    files: Files,
    config: ConfigOpt = None,
    format: Annotated[
        RankFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RankFormat.table,
    top: TopOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Rank the requested integrations in FILE... by the scoring model."""
    with _errors():
        loaded, ranking, run = _ranked(
            files, config, encoding, delimiter, decimal_comma, input_format, quiet
        )
        if format is RankFormat.table:
            from .render.terminal import print_ranking

            if output is None:
                print_ranking(_console(), ranking, run, top)
                return
            buffer = io.StringIO()
            print_ranking(_console(file=buffer, width=120), ranking, run, top)
            text = buffer.getvalue()
        elif format is RankFormat.json:
            from .render.formats import ranking_json

            text = ranking_json(ranking, run, top)
        elif format is RankFormat.csv:
            from .render.formats import ranking_csv

            text = ranking_csv(ranking, top)
        else:
            from .render.formats import ranking_markdown

            text = ranking_markdown(ranking, run, top)
        _emit(text, output, [*files, loaded.path])


class CheckFormat(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"


@app.command()
def check(
    files: Files,
    config: ConfigOpt = None,
    format: Annotated[
        CheckFormat,
        typer.Option(
            "--format", "-f", help="Output format; auto = github on GitHub Actions, else text."
        ),
    ] = CheckFormat.auto,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="RANKING.csv",
            help="A committed `rank -f csv` output that must still be current.",
        ),
    ] = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check backlog files and the scoring model; exit 1 on errors (or any finding with
    --strict), 2 when the config or a file cannot be used."""
    with _errors():
        from .api import check_files
        from .render.findings import findings_github, findings_json, findings_text

        options = _read_options(encoding, delimiter, decimal_comma, input_format)
        result = check_files(files, config, options, expect, _watch(quiet))
        chosen = format
        if chosen is CheckFormat.auto:
            github = os.environ.get("GITHUB_ACTIONS") == "true"
            chosen = CheckFormat.github if github else CheckFormat.text
        if chosen is CheckFormat.json:
            text = findings_json(result.findings)
        elif chosen is CheckFormat.github:
            text = findings_github(result.findings, result.files, result.rows)
        else:
            text = findings_text(result.findings, result.files, result.rows)
        sys.stdout.write(text)
        errors, warnings = result.counts()
        if result.unusable:
            raise typer.Exit(EXIT_UNUSABLE)
        if errors or (strict and warnings):
            raise typer.Exit(EXIT_FINDINGS)


class ExplainFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def explain(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The integration to explain.")],
    files: Files,
    vs: Annotated[
        str | None,
        typer.Option("--vs", metavar="OTHER", help="Explain the score difference to OTHER."),
    ] = None,
    config: ConfigOpt = None,
    format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.table,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Explain why NAME scores and ranks as it does (or how it differs from --vs OTHER)."""
    with _errors():
        from . import explain as explaining

        loaded, ranking, run = _ranked(
            files, config, encoding, delimiter, decimal_comma, input_format, quiet
        )
        aliases = loaded.config.aliases
        item = explaining.find_item(ranking, name, aliases)
        if vs is not None:
            other = explaining.find_item(ranking, vs, aliases)
            comparison = explaining.compare(ranking, item, other)
            if format is ExplainFormat.json:
                from .render.explain import comparison_json

                sys.stdout.write(comparison_json(comparison, run))
            else:
                from .render.explain import print_comparison

                print_comparison(_console(), comparison, run)
            return
        explanation = explaining.explain(ranking, item)
        if format is ExplainFormat.json:
            from .render.explain import explanation_json

            sys.stdout.write(explanation_json(explanation, run))
        else:
            from .render.explain import print_explanation

            print_explanation(_console(), explanation, run, len(ranking.items))


class DiffFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command()
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
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.table,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Show how the ranking moves between two configs (or two versions of the backlog)."""
    with _errors():
        from .api import diff_files

        options = _read_options(encoding, delimiter, decimal_comma, input_format)
        result = diff_files(
            files, config, options, base_config, against, base_requests, top, _watch(quiet)
        )
        if format is DiffFormat.table and output is None:
            from .render.compare import print_diff

            print_diff(_console(), result.diff, result.base, result.head)
            return
        if format is DiffFormat.json:
            from .render.compare import diff_json

            text = diff_json(result.diff, result.base, result.head)
        elif format is DiffFormat.markdown:
            from .render.compare import diff_markdown

            text = diff_markdown(result.diff, result.base, result.head)
        else:
            from .render.compare import print_diff

            buffer = io.StringIO()
            print_diff(_console(file=buffer, width=120), result.diff, result.base, result.head)
            text = buffer.getvalue()
        _emit(text, output, [*files, *(base_requests or []), *result.configs])


@app.command()
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
    config: ConfigOpt = None,
    format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.table,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """How stable is each rank when the weights wobble? Median rank, 5–95% range, P(top K)."""
    with _errors():
        from .compare import sensitivity as perturb

        _loaded, ranking, run = _ranked(
            files, config, encoding, delimiter, decimal_comma, input_format, quiet
        )
        stability = perturb(ranking, runs=runs, spread=spread, top=top, seed=seed)
        if format is ExplainFormat.json:
            from .render.compare import sensitivity_json

            sys.stdout.write(sensitivity_json(stability, run, runs, spread, top, seed))
        else:
            from .render.compare import print_sensitivity

            print_sensitivity(_console(), stability, run, runs, spread, top, seed)


@app.command()
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
    format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.table,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    decimal_comma: DecimalCommaOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Value vs effort: quick wins, big bets, fill-ins and money pits."""
    with _errors():
        from .matrix import place

        _loaded, ranking, run = _ranked(
            files, config, encoding, delimiter, decimal_comma, input_format, quiet
        )
        effort = split if effort_split is None else effort_split
        placements = place(ranking, split, effort)
        if format is ExplainFormat.json:
            from .render.matrix import matrix_json

            sys.stdout.write(matrix_json(placements, run, split, effort))
        else:
            from .render.matrix import print_matrix

            print_matrix(_console(), placements, run, split, effort)


@app.command()
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
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML page: ranking, value-vs-effort chart, breakdowns."""
    with _errors():
        from datetime import UTC, datetime

        from .matrix import place
        from .render.report import report_html

        loaded, ranking, run = _ranked(
            files, config, encoding, delimiter, decimal_comma, input_format, quiet
        )
        try:
            placements, note = place(ranking, split, split), None
        except IntscoreError as exc:
            placements, note = None, exc.findings[0].message
        epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible output when set
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
        html = report_html(ranking, run, placements, when, note, split, split)
        _emit(html, output, [*files, loaded.path])
        typer.echo(f"wrote {output}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scoring.yaml (for editors and CI validation)."""
    with _errors():
        from .config import config_schema_text

        sys.stdout.write(config_schema_text())


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
) -> None:
    """Write scoring.yaml (for a framework preset) and scoring.schema.json here."""
    with _errors():
        from .api import write_atomically
        from .config import config_schema_text, preset_text

        files = {
            "scoring.yaml": preset_text(preset.value),
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


def _console(**options: Any) -> Console:
    """A console for results on stdout (or a file); no markup is ever interpreted."""
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False, soft_wrap=True, **options)


def main() -> None:
    """Console-script entry point."""
    app()
