"""What the everyday and analysis commands do, from their inputs to their results: look up
and load the config, read the inputs, rank (choosing the row pass), check, diff, plan. The CLI
and the Python API call these; nothing here prints.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.choice import python_because, wider_than_duckdb
from ..engine.ranking import Ranking, RunInfo
from ..model.loading import LoadedConfig, find_config, load_config
from ..problems import (
    CONFIG,
    RULES,
    UNREADABLE_FILE,
    UNUSED_BUY_OPTION,
    Finding,
    IntscoreError,
    unknown_rules,
)
from ..read.files import read_limited, shown_path
from ..read.inputs import Inputs, Watch, file_size, load_tables, read_table
from ..read.readers import ReadOptions, format_of

if TYPE_CHECKING:
    from ..analyses.check import CheckResult
    from ..analyses.diff import RankingDiff
    from ..analyses.plan import PlanResult
    from ..analyses.sensitivity import Perturbation

__all__ = [
    "MAX_COMPARED",
    "DiffResult",
    "Inputs",
    "Ranked",
    "as_of_for",
    "check_files",
    "config_at_ref",
    "diff_files",
    "is_config_file",
    "plan_inputs",
    "rank_files",
    "rank_inputs",
    "read_options",
    "resolve_config",
    "run_info",
]


def as_of_for(loaded: LoadedConfig, given: date | None) -> date:
    """The day ages count to: --as-of, else the config's as_of, else today."""
    return given or loaded.model.as_of or date.today()


@dataclass(frozen=True)
class Ranked:
    """A ranking with the config it used and a description of the run for outputs."""

    config: LoadedConfig
    ranking: Ranking
    run: RunInfo
    engine: str = "python"  # which pass grouped the rows: "python" or "duckdb"
    engine_reason: str = ""  # why the Python pass ran when DuckDB could have


def resolve_config(
    explicit: str | None = None,
    inputs: Sequence[str] = (),
    cached: bool = True,
    estimates: bool = True,
) -> LoadedConfig:
    """The config by the lookup order (--config, $INTSCORE_CONFIG, the nearest scoring.yaml
    to the first input, then to the current folder, the built-in default), loaded (with the
    estimators' files unless `estimates` is False)."""
    return load_config(find_config(explicit, inputs=inputs), cached, estimates)


def rank_files(
    files: Sequence[str],
    config: LoadedConfig,
    options: ReadOptions | None = None,
    watch: Watch | None = None,
    as_of: date | None = None,
    most: int | None = None,
) -> Ranking:
    """Rank the rows of all files; raises IntscoreError when the input is unusable (or has
    more than `most` integrations). `watch` may wrap each table (e.g. with a progress bar)."""
    options = read_options(options, config)
    return _usable(_rank_read(files, options, config, as_of_for(config, as_of), most, watch))


def _rank_read(
    files: Sequence[str],
    options: ReadOptions,
    config: LoadedConfig,
    as_of: date,
    most: int | None,
    watch: Watch | None = None,
    unreadable: list[Finding] | None = None,
) -> Ranking:
    """Read and rank; a second time when a number column showed its own decimal mark only
    after values read the file's way (stdin, read once, is an error then)."""
    from ..engine.number_columns import ReadAgain
    from ..engine.rank import rank

    try:
        return rank(load_tables(files, options, unreadable, watch), config.model, as_of, most)
    except ReadAgain as again:
        if "-" in files:
            raise again.error from None
        if unreadable is not None:
            unreadable.clear()
        options = replace(options, column_decimals=options.column_decimals + again.decided)
        return rank(load_tables(files, options, unreadable, watch), config.model, as_of, most)


def read_options(options: ReadOptions | None, config: LoadedConfig) -> ReadOptions:
    """How to read: the config's `read:` section, overridden by the flags given (`options`),
    with the config's limits and its fields' headers (where the table starts, repeated
    columns)."""
    given = options or ReadOptions()
    model = config.model
    settings = model.read
    headers = {f: model.headers_for(f) for f in model.known_fields() | {"account"}}
    return replace(
        given,
        encoding=given.encoding or settings.encoding,
        delimiter=given.delimiter or settings.delimiter,
        decimal=given.decimal or settings.decimal,
        sheet=given.sheet or settings.sheet,
        header_row=given.header_row if given.header_row is not None else settings.header_row,
        footer=given.footer and settings.footer,
        max_line_length=model.max_line_length,
        max_fields=model.max_fields,
        name_headers=model.headers_for("integration"),
        value_headers=tuple(h for f, hs in headers.items() if f != "integration" for h in hs),
    )


def _usable(ranking: Ranking) -> Ranking:
    """The ranking, unless problems make the input unusable: then they are raised."""
    if ranking.errors:
        raise IntscoreError(list(ranking.errors))
    return ranking


# `check` and `diff` compare every integration with others (names, ranks); past this many
# they refuse after reading, before scoring: a million took minutes and gigabytes.
MAX_COMPARED = 100_000


def rank_inputs(
    inputs: Inputs,
    watch: Watch | None = None,
    config: LoadedConfig | None = None,
    engine: str = "python",
    listed: bool = True,
    engine_chosen: Callable[[str, str], None] | None = None,
    most: int | None = None,
) -> Ranked:
    """Look up the config (unless given), rank the inputs, and describe the run.

    `engine` "duckdb" groups the rows of one big CSV file in DuckDB (`intscore[fast]`),
    "auto" does when the file is big enough, and either falls back to the Python pass for
    anything DuckDB would not read exactly alike; `listed`: the output lists each requester
    (JSON), which only the Python pass keeps. `engine_chosen(engine, why)` is told which
    engine ranks, as soon as that is known (before the Python pass reads, and before an
    unusable input is refused). `most`: the Python pass refuses more integrations than
    that, before scoring them (TooManyIntegrations)."""
    loaded = config or resolve_config(inputs.config, inputs.files)
    told = engine_chosen or (lambda engine, why: None)
    ranking, reason = _rank_in_duckdb(inputs, loaded, engine, listed)
    if ranking is not None:
        told("duckdb", "")
        run = run_info(loaded, inputs.files, ranking.as_of)
        return Ranked(loaded, _usable(ranking), run, "duckdb")
    told("python", reason)
    ranking = rank_files(inputs.files, loaded, inputs.read, watch, inputs.as_of, most)
    run = run_info(loaded, inputs.files, ranking.as_of)
    return Ranked(loaded, ranking, run, "python", reason)


def _rank_in_duckdb(
    inputs: Inputs, loaded: LoadedConfig, engine: str, listed: bool
) -> tuple[Ranking | None, str]:
    """(the ranking from the DuckDB pass, "") or (None, why the Python pass runs instead)."""
    one = inputs.files[0] if len(inputs.files) == 1 else None
    size = None if one is None else file_size(one)
    because = python_because(engine, listed, size, lambda: format_of(one or "-", inputs.read))
    if because is not None or one is None:
        return None, because or ""
    path = one
    from ..engine import duckdb_pass  # light: DuckDB itself loads only when it runs
    from ..engine.rank import day_of, rank_grouped

    table = read_table(path, read_options(inputs.read, loaded))
    close = getattr(table.rows, "close", None)
    if close:
        close()  # only the header was needed
    too_wide = wider_than_duckdb(engine, len(table.header))
    if too_wide:
        return None, too_wide
    as_of = as_of_for(loaded, inputs.as_of)
    try:
        grouped = duckdb_pass.group_csv(table, path, loaded.model, day_of(loaded.model, as_of))
    except duckdb_pass.Unsupported as exc:
        return None, str(exc)
    return rank_grouped(grouped, loaded.model, as_of), ""


@dataclass(frozen=True)
class Planned:
    """A plan with the ranking it was made from, and what was found on the way (warnings:
    data without build hours, a buy option nobody needs)."""

    ranked: Ranked
    result: PlanResult
    warnings: tuple[Finding, ...]


def plan_inputs(
    inputs: Inputs,
    capacity: str | None = None,
    horizon: str | None = None,
    vary: Perturbation | None = None,
    watch: Watch | None = None,
) -> Planned:
    """Rank the inputs and plan: what to build and buy within the capacity (--capacity and
    --horizon override the config's), with `vary` the share of sensitivity runs that keep
    each integration in the plan."""
    from ..analyses.plan import plan, vary_plan
    from ..engine.planning import PlanError
    from ..model.conditions import duration_days
    from ..model.durations import NotADuration, parse_hours

    ranked = rank_inputs(inputs, watch)
    loaded = ranked.config
    hours = years = None
    try:
        hours = None if capacity is None else parse_hours(capacity)
    except NotADuration as exc:
        raise IntscoreError(f"--capacity: {exc}") from None
    if horizon is not None:
        import re

        if not re.fullmatch(r"\d{1,5}(\.\d{1,3})?\s?[dwy]", horizon.strip()):
            raise IntscoreError(
                f"--horizon takes a span like 1y, 26w or 180d, not {horizon[:40]!r}"
            )
        years = duration_days(horizon.strip()) / 365.0
    try:
        result = plan(ranked.ranking, loaded.model, hours, years)
        if vary is not None:
            result = vary_plan(result, ranked.ranking, vary, loaded.model)
    except PlanError as exc:
        raise IntscoreError(
            _at_config(loaded, exc.loc, exc.message, exc.findings[0].rule)
        ) from None
    s = result.made.setup
    notes = [
        replace(_at_config(loaded, loc, message, UNUSED_BUY_OPTION), severity="warning")
        for loc, message in s.notes
    ]
    return Planned(ranked, result, tuple(sorted((*s.findings, *notes), key=Finding.sort_key)))


def _at_config(
    loaded: LoadedConfig, loc: tuple[str | int, ...], message: str, rule: str
) -> Finding:
    """A finding about the config, at the line of `loc` in its YAML."""
    from ..model.loading import format_loc
    from ..read.structured import StructureError, line_of, load_yaml

    data = loaded.data
    if data is None and loaded.text:
        try:
            data = load_yaml(loaded.text)
        except (StructureError, IntscoreError):
            data = None
    line = line_of(data, loc) if data is not None and loc else None
    return Finding(loaded.source, line, rule, message, format_loc(loc) or None)


def is_config_file(path: str) -> bool:
    """Whether an input is a scoring model (by content: a mapping with `version` and
    `criteria`), so that a pre-commit pattern covering the backlog folder just works."""
    if path == "-" or not path.lower().endswith((".yaml", ".yml", ".json")):
        return False
    from ..read.structured import StructureError, load_json, load_yaml

    try:
        with open(path, "rb") as handle:
            raw = read_limited(handle, path)
        if b"criteria" not in raw or b"version" not in raw:
            return False  # a backlog: not parsed here only to be parsed again as data
        text = raw.decode("utf-8-sig")
        data = load_json(text) if path.lower().endswith(".json") else load_yaml(text)
    except (OSError, UnicodeDecodeError, StructureError, IntscoreError, RecursionError):
        return False
    return isinstance(data, dict) and "criteria" in data and "version" in data


def check_files(
    inputs: Inputs,
    expect: str | None = None,
    watch: Watch | None = None,
    ignore: Sequence[str] = (),
    top: int = 10,
) -> CheckResult:
    """Run every check rule (but `ignore`d ones) over the config and the files. A scoring
    model among the files is linted as a config. Never raises for bad input: config errors
    and unreadable files become findings of a result marked unusable. `top`: the top N of
    the ranking in which `missing-estimate` looks for integrations nobody estimated."""
    from ..analyses.check import CONFIG_RULES, CheckContext, CheckResult, run_rules
    from ..engine.rank import rank

    message = unknown_rules(list(ignore))
    if message:
        raise IntscoreError(f"--ignore: {message}")
    configs = tuple(f for f in inputs.files if is_config_file(f))
    files = tuple(f for f in inputs.files if f not in configs)
    findings: list[Finding] = []
    unusable = False
    for path in configs:
        try:
            linted = load_config(path, cached=False)
        except IntscoreError as exc:
            findings += [replace(f, rule=CONFIG) for f in exc.findings]
            unusable = True
            continue
        empty = rank(iter(()), linted.model, as_of_for(linted, inputs.as_of))
        context = CheckContext(config=linted, ranking=empty)
        findings += run_rules(context, ignore, only=CONFIG_RULES)
    if not files:
        if not configs:
            raise IntscoreError("no input files given")
        return CheckResult(findings, unusable, len(configs), 0, None, (), configs)
    config_path, options = inputs.config, inputs.read
    try:
        loaded = resolve_config(config_path, files, cached=False)  # check needs YAML lines
    except IntscoreError as exc:
        findings += [replace(f, rule=CONFIG) for f in exc.findings]
        unique = list(dict.fromkeys(findings))  # a broken config among the files: said once
        return CheckResult(unique, True, len(inputs.files), 0, None, (), configs)
    unreadable: list[Finding] = []
    as_of = as_of_for(loaded, inputs.as_of)
    ranking = _rank_read(
        files, read_options(options, loaded), loaded, as_of, MAX_COMPARED, watch, unreadable
    )
    expected = None
    if expect is not None:
        try:
            with open(expect, "rb") as handle:
                expected = (expect, read_limited(handle, expect).decode("utf-8-sig"))
        except FileNotFoundError:
            unreadable.append(Finding(expect, None, UNREADABLE_FILE, "file not found"))
        except IntscoreError as exc:
            unreadable.extend(exc.findings)
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            unreadable.append(Finding(expect, None, UNREADABLE_FILE, f"cannot read: {reason}"))
    context = CheckContext(
        config=loaded,
        ranking=ranking,
        expected=expected,
        refresh_command=refresh_command(files, config_path, expect, inputs.as_of),
        unreadable=tuple(unreadable),
        as_of_pinned=inputs.as_of is not None or loaded.model.as_of is not None,
        top=top,
    )
    only = _rules_to_run(loaded, configs, nothing_read=bool(unreadable) and not ranking.inputs)
    findings += run_rules(context, ignore, only)
    rows = sum(i.rows for i in ranking.inputs)
    return CheckResult(
        sorted(findings, key=Finding.sort_key),
        unusable or bool(unreadable),
        len(inputs.files),
        rows,
        run_info(loaded, files, as_of),
        ranking.inputs,
        configs,
    )


def _rules_to_run(
    loaded: LoadedConfig, configs: Sequence[str], nothing_read: bool
) -> list[str] | None:
    """The rules `check` runs over the data (None: all): not the config's own when the config
    was linted among the files already, and none about rows when no file could be read."""
    from ..analyses.check import CONFIG_RULES

    only = None
    linted_already = {Path(c).resolve() for c in configs}
    if loaded.path is not None and loaded.path.resolve() in linted_already:
        only = [r for r in RULES if r not in CONFIG_RULES]  # reported once, above
    if nothing_read:
        only = [r for r in only or RULES if r in (UNREADABLE_FILE, *CONFIG_RULES)]
    return only


def refresh_command(
    files: Sequence[str], config_path: str | None, expect: str | None, as_of: date | None = None
) -> str:
    """The `intscore rank` command that rewrites the --expect file."""
    parts = ["intscore", "rank", *(shlex.quote(f) for f in files)]
    if config_path:
        parts += ["-c", shlex.quote(config_path)]
    if as_of:
        parts += ["--as-of", as_of.isoformat()]
    parts += ["-f", "csv", "-o", shlex.quote(expect or "ranking.csv")]
    return " ".join(parts)


@dataclass(frozen=True)
class DiffResult:
    """A ranking diff and the runs on both sides."""

    diff: RankingDiff
    base: RunInfo
    head: RunInfo
    configs: tuple[Path | None, ...] = ()  # the config files read (never to be written over)


def diff_files(
    inputs: Inputs,
    base_config: str | None = None,
    against: str | None = None,
    base_requests: Sequence[str] | None = None,
    top: int = 10,
    watch: Watch | None = None,
) -> DiffResult:
    """Rank twice — base (old config and/or old requests) and head — and compare."""
    from ..analyses.diff import diff_rankings

    files, config_path, options = inputs.files, inputs.config, inputs.read
    if base_config and against:
        raise IntscoreError("give --base-config or --against, not both")
    if not (base_config or against or base_requests):
        raise IntscoreError("nothing to compare: give --base-config, --against or --base-requests")
    head_loaded = resolve_config(config_path, files)
    if against:
        base_loaded = config_at_ref(head_loaded, against)
    elif base_config:
        base_loaded = load_config(Path(base_config))
    else:
        base_loaded = head_loaded
    base_files = list(base_requests) if base_requests else list(files)
    head = rank_files(files, head_loaded, options, watch, inputs.as_of, MAX_COMPARED)
    base = rank_files(base_files, base_loaded, options, watch, inputs.as_of, MAX_COMPARED)
    diff = diff_rankings(base, head, top, base_loaded.model, head_loaded.model)
    return DiffResult(
        diff,
        run_info(base_loaded, base_files, base.as_of),
        run_info(head_loaded, files, head.as_of),
        (base_loaded.path, head_loaded.path),
    )


def config_at_ref(current: LoadedConfig, ref: str) -> LoadedConfig:
    """The committed version of the config file at a git ref (e.g. origin/main, HEAD~1)."""
    from ..model.loading import parse_config, with_estimates
    from ..read.files import committed_text

    if current.path is None:
        raise IntscoreError(
            "--against compares the config file with its committed version, "
            "but no config file is in use (built-in default); give --config"
        )
    text, relative = committed_text(current.path, ref)
    loaded = parse_config(text, f"{relative}@{ref}", None)
    # Estimates are read from today's files: the diff is the config's edits alone.
    return replace(loaded, model=with_estimates(loaded.model, current.path))


def run_info(config: LoadedConfig, files: Sequence[str], as_of: date | None = None) -> RunInfo:
    """Which config and inputs a result came from, and the day ages counted to."""
    shown = tuple("<stdin>" if f == "-" else shown_path(f) for f in files)
    return RunInfo(config.source, config.sha256, shown, as_of)
