"""Which row pass ranks: the Python pass, or the DuckDB pass for one big CSV file on disk
(`pip install 'intscore[fast]'`). The cheap reasons come first, so a small file never loads
DuckDB; the DuckDB pass itself declines anything it would not read exactly alike."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

__all__ = ["AUTO_DUCKDB_BYTES", "ENGINES", "duckdb_available", "python_because"]

ENGINES = ("auto", "python", "duckdb")  # `rank --engine` offers these
# `auto` hands files from this size to DuckDB: `make bench` measured the two engines equal
# near 2.2 MiB (python/duckdb time 0.92 at 1.8 MiB, 1.22 at 3.5 MiB).
AUTO_DUCKDB_BYTES = 3 << 20


def duckdb_available() -> bool:
    """Whether the `fast` extra (DuckDB) is installed (without loading it)."""
    return importlib.util.find_spec("duckdb") is not None


def python_because(
    engine: str, listed: bool, size: int | None, fmt: Callable[[], str]
) -> str | None:
    """Why the Python pass ranks instead of DuckDB (None: try DuckDB), for an engine asked
    for, an output that lists every requester or not, the one input's size (None: several
    files, stdin or a pipe) and format (asked last). Refuses an unknown engine, and `duckdb` without
    DuckDB installed."""
    if engine not in ENGINES:
        from ..problems import IntscoreError

        raise IntscoreError(f"unknown engine '{engine}': use {', '.join(ENGINES)}")
    if engine == "python":
        return ""
    if engine == "duckdb" and not duckdb_available():
        from ..problems import IntscoreError

        raise IntscoreError("--engine duckdb needs DuckDB: pip install 'intscore[fast]'")
    if listed:
        return "this output lists every requester"
    if size is None:  # several files, stdin, or a pipe (which must be read only once)
        return "DuckDB reads one file at a time, from disk"
    if engine == "auto" and size < AUTO_DUCKDB_BYTES:
        return f"the file is under {AUTO_DUCKDB_BYTES >> 20} MiB"
    if not duckdb_available():
        return "DuckDB is not installed (pip install 'intscore[fast]')"
    if fmt() not in ("csv", "tsv"):  # before reading: the file is read once
        return "DuckDB reads CSV files"
    return None
