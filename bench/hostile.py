"""Adversarial inputs at 10 KB, 100 KB and 1 MB: `rank` and `check` must grow no faster than
about N log N (issue 12). Prints one row per shape and command with the times and the growth
from 100 KB to 1 MB (10× the bytes: about 10× the time is linear, 100× would be quadratic).

Then the bounds of issue 26, each with its time and peak memory: a 100 MiB line without a line
break through a FIFO, a JSON file whose every row has a field of its own, and CSV files of
4 MB and 40 MB from 20 to 16,384 columns on both engines (where `auto` stops using DuckDB).

    python bench/hostile.py [cells|bounds]   # both by default
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SIZES = [10_000, 100_000, 1_000_000]
EXE = str(Path(sys.executable).with_name("intscore"))
PUNCTUATION = "!#$%&()*+-./:<=>?@[]^_{}~"


def one_cell(field: str, cell: str) -> list[dict]:
    row = {"integration": "A", "account": "acme", "account_arr": 1, "difficulty": 1}
    row[field] = cell
    return [row]


def shapes(size: int) -> dict[str, list[dict]]:
    half = size // 2
    return {
        "money cell: USD, spaces, 1, spaces, x": one_cell(
            "account_arr", "USD" + " " * half + "1" + " " * (size - half) + "x"
        ),
        "mapped cell: digits then a letter": one_cell("difficulty", "1" * size + "x"),
        "one long name": one_cell("integration", "x" * size),
        "names of 5,000 characters": [
            {"integration": chr(97 + n % 26) * 5000 + str(n), "account": str(n)}
            for n in range(max(size // 5000, 1))
        ],
        "punctuation variants of one name": [
            {
                "integration": f"Sales{PUNCTUATION[n % 25]}{PUNCTUATION[(n // 25) % 25]}force"
                + "." * (n // 625),
                "account": str(n),
            }
            for n in range(max(size // 40, 1))
        ],
        "200-character names one typo apart": [
            {"integration": "n" * 100 + chr(97 + n % 26) + "m" * 99 + str(n // 26), "account": "a"}
            for n in range(max(size // 220, 1))
        ],
    }


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([EXE, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - started


def cells() -> None:
    table: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in SIZES:
            for name, rows in shapes(size).items():
                path = os.path.join(folder, "input.json")
                Path(path).write_text(json.dumps(rows))
                for command in ("rank", "check"):
                    extra = ["-f", "json"] if command == "check" else []
                    best = min(timed([command, path, *extra]) for _ in range(3))
                    table.setdefault((name, command), []).append(best)
    print("| shape | command | 10 KB | 100 KB | 1 MB | 1 MB / 100 KB |")
    print("|---|---|---|---|---|---|")
    for (name, command), times in table.items():
        cells = " | ".join(f"{t:.2f} s" for t in times)
        print(f"| {name} | {command} | {cells} | {times[2] / times[1]:.1f}× |")


# `intscore` with DuckDB allowed any width (the engine choice stops it at 500 columns), to
# measure what the limit saves.
ANY_WIDTH = (
    "import sys; import intscore.engine.choice as c; c.DUCKDB_COLUMNS = 10**9; "
    "from intscore.entry import main; sys.argv[0] = 'intscore'; main()"
)


def measured(args: list[str], cwd: str, any_width: bool = False) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one `intscore` run."""
    command = [sys.executable, "-c", ANY_WIDTH, *args] if any_width else [EXE, *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, child.returncode


def wide_csv(path: str, columns: int, size: int) -> None:
    header = ["integration", "account", "account_arr", "difficulty"]
    header += [f"x{i}" for i in range(columns - 4)]
    rest = ",7" * (columns - 4)
    with open(path, "w") as out:
        out.write(",".join(header) + "\n")
        written, n = 0, 0
        while written < size:
            line = f"I{n % 50},a{n},{1000 + n % 7},{n % 5 + 1}{rest}\n"
            written += out.write(line)
            n += 1


def bounds() -> None:
    print("| input | command | time | peak memory | exit |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        fifo = os.path.join(folder, "line.csv")
        os.mkfifo(fifo)

        def feed() -> None:
            try:
                with open(fifo, "wb") as pipe:
                    for _ in range(100):
                        pipe.write(b"a," * (1 << 19))
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed)
        writer.start()
        seconds, peak, code = measured(["rank", "line.csv"], folder)
        writer.join()
        print(f"| 100 MiB line, FIFO | rank | {seconds:.2f} s | {peak:.0f} MB | {code} |")

        rows = [{"integration": f"I{n}", f"k{n}": 1} for n in range(5000)]
        Path(folder, "fields.json").write_text(json.dumps(rows))
        seconds, peak, code = measured(["rank", "fields.json"], folder)
        shown = f"{seconds:.2f} s | {peak:.0f} MB | {code}"
        print(f"| 5,000 JSON rows, a field each | rank | {shown} |")

        for size in (4_000_000, 40_000_000):
            for columns in (20, 64, 100, 500, 1000, 16_384):
                if size > 4_000_000 and columns > 1000:
                    continue
                wide_csv(os.path.join(folder, "wide.csv"), columns, size)
                for engine in ("python", "duckdb"):
                    args = ["rank", "wide.csv", "-f", "csv", "--engine", engine]
                    seconds, peak, code = measured(args, folder, any_width=engine == "duckdb")
                    print(
                        f"| {size // 1_000_000} MB, {columns:,} columns | {engine} | "
                        f"{seconds:.2f} s | {peak:.0f} MB | {code} |"
                    )


if __name__ == "__main__":
    which = sys.argv[1:] or ["cells", "bounds"]
    if "cells" in which:
        cells()
    if "bounds" in which:
        bounds()
