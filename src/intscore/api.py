"""The core's front door: load a config and input files, rank, and say where they came from.

The CLI calls these; so can Python code. Nothing here prints.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .config import LoadedConfig, find_config, load_config
from .problems import IntscoreError
from .ranking import Ranking, RunInfo
from .readers import ReadOptions, Table, read_table

__all__ = ["load_tables", "rank_files", "resolve_config", "run_info", "write_atomically"]


def resolve_config(explicit: str | None = None) -> LoadedConfig:
    """The config by the lookup order of SPEC §2, loaded and validated."""
    return load_config(find_config(explicit))


def load_tables(files: Sequence[str], options: ReadOptions) -> Iterator[Table]:
    """Open each input in turn (lazily: one file's rows are streamed at a time)."""
    if not files:
        raise IntscoreError("no input files given")
    for path in files:
        yield read_table(path, options)


def rank_files(
    files: Sequence[str], config: LoadedConfig, options: ReadOptions | None = None
) -> Ranking:
    """Rank the rows of all files; raises IntscoreError when the input is unusable."""
    from .engine import rank

    ranking = rank(load_tables(files, options or ReadOptions()), config.config)
    if ranking.errors:
        raise IntscoreError(list(ranking.errors))
    return ranking


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
                raise IntscoreError(f"refusing to write over the input file {candidate}")
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
