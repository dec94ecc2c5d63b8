"""Which row pass ranks: the Python pass, or the DuckDB pass for one big CSV file on disk
(`pip install 'intscore[fast]'`). The cheap reasons come first, so a small file never loads
DuckDB; the DuckDB pass itself declines anything it would not read exactly alike."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from ..choices import ENGINES

__all__ = [
    "AUTO_DUCKDB_BYTES",
    "AUTO_DUCKDB_COLUMNS",
    "DUCKDB_COLUMNS",
    "ENGINES",
    "duckdb_available",
    "python_because",
    "wider_than_duckdb",
]

# `auto` hands files from this size to DuckDB: `make bench` measured the two engines equal
# near 2.2 MiB (python/duckdb time 0.92 at 1.8 MiB, 1.22 at 3.5 MiB).
AUTO_DUCKDB_BYTES = 3 << 20
# DuckDB's time grows with the square of the columns (`python bench/hostile.py bounds`: a 4 MB
# file took it 0.89 s at 1,000 columns and 11.9 s at 16,384, Python 0.22 and 0.47 s; the two
# were even near 64 columns at 4 MB and between 100 and 500 at 40 MB): `auto` hands it no file
# wider than the first, a forced `--engine duckdb` none wider than the second.
AUTO_DUCKDB_COLUMNS = 64
DUCKDB_COLUMNS = 500


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


def wider_than_duckdb(engine: str, columns: int) -> str | None:
    """Why a file of this many columns goes to the Python pass (None: DuckDB takes it)."""
    widest = AUTO_DUCKDB_COLUMNS if engine == "auto" else DUCKDB_COLUMNS
    if columns <= widest:
        return None
    return f"the file has {columns:,} columns; DuckDB takes {widest} at most"
