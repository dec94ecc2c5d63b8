"""The core's front door: load a config and input files, rank, and say where they came from.

The CLI calls these; so can Python code. Nothing here prints.
"""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import LoadedConfig, find_config, load_config
from .problems import Finding, IntscoreError
from .ranking import Ranking, RunInfo
from .readers import ReadOptions, Table, read_table

if TYPE_CHECKING:
    from .compare import RankingDiff

__all__ = [
    "CheckResult",
    "check_files",
    "config_at_ref",
    "diff_files",
    "load_tables",
    "rank_files",
    "resolve_config",
    "run_info",
    "write_atomically",
]


def resolve_config(explicit: str | None = None) -> LoadedConfig:
    """The config by the lookup order of SPEC §2, loaded and validated."""
    return load_config(find_config(explicit))


def load_tables(
    files: Sequence[str],
    options: ReadOptions,
    unreadable: list[Finding] | None = None,
    watch: Callable[[Table], Table] | None = None,
) -> Iterator[Table]:
    """Open each input in turn (lazily: one file's rows are streamed at a time). A file that
    cannot be read raises; with `unreadable` given, the error is noted there instead and the
    rows read before it are kept."""
    if not files:
        raise IntscoreError("no input files given")
    for path in files:
        try:
            table = read_table(path, options)
        except IntscoreError as exc:
            if unreadable is None:
                raise
            unreadable.extend(exc.findings)
            continue
        if unreadable is not None:
            table.rows = _guarded(table.rows, unreadable)
        yield watch(table) if watch else table


def _guarded(
    rows: Iterator[tuple[int, list[Any]]], unreadable: list[Finding]
) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except IntscoreError as exc:
        unreadable.extend(exc.findings)


def rank_files(
    files: Sequence[str],
    config: LoadedConfig,
    options: ReadOptions | None = None,
    watch: Callable[[Table], Table] | None = None,
) -> Ranking:
    """Rank the rows of all files; raises IntscoreError when the input is unusable.
    `watch` may wrap each table (e.g. with a progress bar)."""
    from .engine import rank

    ranking = rank(load_tables(files, options or ReadOptions(), watch=watch), config.config)
    if ranking.errors:
        raise IntscoreError(list(ranking.errors))
    return ranking


@dataclass(frozen=True)
class CheckResult:
    """Findings of `check`, and whether the input could be checked at all."""

    findings: list[Finding]
    unusable: bool  # config invalid or a file unreadable: exit 2
    files: int
    rows: int

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for f in self.findings if f.severity == "error")
        return errors, len(self.findings) - errors


def check_files(
    files: Sequence[str],
    config_path: str | None,
    options: ReadOptions | None = None,
    expect: str | None = None,
    watch: Callable[[Table], Table] | None = None,
) -> CheckResult:
    """Run every check rule over the config and the files. Never raises for bad input: config
    errors and unreadable files become findings of a result marked unusable."""
    from .check import CheckContext, run_rules
    from .engine import rank
    from .render.formats import ranking_csv

    options = options or ReadOptions()
    try:
        loaded = resolve_config(config_path)
    except IntscoreError as exc:
        findings = [replace(f, rule="config") for f in exc.findings]
        return CheckResult(findings, unusable=True, files=len(files), rows=0)
    unreadable: list[Finding] = []
    ranking = rank(load_tables(files, options, unreadable, watch), loaded.config)
    expected = None
    if expect is not None:
        try:
            expected = (expect, Path(expect).read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            unreadable.append(Finding(expect, None, "unreadable-file", "file not found"))
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            unreadable.append(Finding(expect, None, "unreadable-file", f"cannot read: {reason}"))
    context = CheckContext(
        config=loaded,
        ranking=ranking,
        expected=expected,
        ranking_csv=ranking_csv(ranking) if expected else None,
        refresh_command=refresh_command(files, config_path, expect),
        unreadable=tuple(unreadable),
    )
    findings = run_rules(context)
    rows = sum(i.rows for i in ranking.inputs)
    return CheckResult(findings, unusable=bool(unreadable), files=len(files), rows=rows)


def refresh_command(files: Sequence[str], config_path: str | None, expect: str | None) -> str:
    """The `intscore rank` command that rewrites the --expect file."""
    parts = ["intscore", "rank", *(shlex.quote(f) for f in files)]
    if config_path:
        parts += ["-c", shlex.quote(config_path)]
    parts += ["-f", "csv", "-o", shlex.quote(expect or "ranking.csv")]
    return " ".join(parts)


@dataclass(frozen=True)
class DiffResult:
    diff: RankingDiff
    base: RunInfo
    head: RunInfo
    configs: tuple[Path | None, ...] = ()  # the config files read (never to be written over)


def diff_files(
    files: Sequence[str],
    config_path: str | None,
    options: ReadOptions | None = None,
    base_config: str | None = None,
    against: str | None = None,
    base_requests: Sequence[str] | None = None,
    top: int = 10,
    watch: Callable[[Table], Table] | None = None,
) -> DiffResult:
    """Rank twice — base (old config and/or old requests) and head — and compare."""
    from .compare import diff_rankings

    if base_config and against:
        raise IntscoreError("give --base-config or --against, not both")
    if not (base_config or against or base_requests):
        raise IntscoreError("nothing to compare: give --base-config, --against or --base-requests")
    options = options or ReadOptions()
    head_loaded = resolve_config(config_path)
    if against:
        base_loaded = config_at_ref(head_loaded, against)
    elif base_config:
        base_loaded = load_config(Path(base_config))
    else:
        base_loaded = head_loaded
    base_files = list(base_requests) if base_requests else list(files)
    head = rank_files(files, head_loaded, options, watch)
    base = rank_files(base_files, base_loaded, options, watch)
    diff = diff_rankings(base, head, top, base_loaded.config, head_loaded.config)
    return DiffResult(
        diff,
        run_info(base_loaded, base_files),
        run_info(head_loaded, files),
        (base_loaded.path, head_loaded.path),
    )


def config_at_ref(current: LoadedConfig, ref: str) -> LoadedConfig:
    """The committed version of the config file at a git ref (e.g. origin/main, HEAD~1)."""
    import subprocess

    from .config import parse_config

    if current.path is None:
        raise IntscoreError(
            "--against compares the config file with its committed version, "
            "but no config file is in use (built-in default); give --config"
        )
    folder = current.path.resolve().parent

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
            )
        except FileNotFoundError:
            raise IntscoreError("--against needs git, and git is not installed") from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise IntscoreError(f"--against needs a git checkout, and {folder} is not in one")
    relative = current.path.resolve().relative_to(Path(top.stdout.strip()).resolve())
    shown = git("show", f"{ref}:{relative.as_posix()}")
    if shown.returncode != 0:
        reason = (shown.stderr.strip().splitlines() or ["unknown error"])[-1]
        reason = reason.removeprefix("fatal: ")
        raise IntscoreError(f"cannot read {relative.as_posix()} at {ref}: {reason}")
    return parse_config(shown.stdout, f"{relative.as_posix()}@{ref}", None)


def run_info(config: LoadedConfig, files: Sequence[str]) -> RunInfo:
    shown = tuple("<stdin>" if f == "-" else f for f in files)
    return RunInfo(config.source, config.sha256, shown)


def write_atomically(target: str, text: str, inputs: Sequence[str | Path] = ()) -> None:
    """Write `text` to `target` via a temporary file in the same folder and a rename, so a
    reader never sees half a file; refuse to write over any of `inputs`."""
    path = Path(target)
    for candidate in inputs:
        if str(candidate) == "-":
            continue
        try:
            if path.exists() and path.samefile(candidate):
                raise IntscoreError(f"refusing to write over the input file {target}")
        except OSError:
            continue
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise IntscoreError(f"cannot write {target}: folder {folder} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
