"""`make bench`: intscore against a DuckDB SQL script on the same request logs.

For each size and each engine (python, duckdb), after a warm-up, runs intscore and the
script as whole processes alternately (5 pairs by default), checks that both give the same
ranking, and prints medians of wall time and peak memory, the machine's noise (min-max) and
the median of the pairwise time ratios. Also: the two engines against each other from 10k to
100k rows (the crossover), `intscore --help` and `rank` of the bundled example against
`python -c "import typer"`, `check` against `rank` at 100k rows, `sensitivity` over
2,000 integrations, and `plan` of 2,000 integrations with 15 buy options (bench/plan_bench.py).

    python bench/run.py [--sizes 1000,100000,1000000] [--pairs 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PYTHON = sys.executable
INTSCORE = [PYTHON, "-m", "intscore"]
if (Path(PYTHON).parent / "intscore").exists():
    INTSCORE = [str(Path(PYTHON).parent / "intscore")]


# Children run as for a user: bytecode is cached (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which would recompile intscore's own modules on every run but not the installed ones).
CROSSOVER = (10_000, 30_000, 60_000, 100_000)  # rows, for the engines' crossover

CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of one whole process. posix_spawn starts the child without
    a copy of this process's memory (which a fork would count in the child's peak), and the
    output goes to a file, not a pipe, so a large output cannot block the child."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        actions = [
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        executable = shutil.which(command[0]) or command[0]
        started = time.perf_counter()
        pid = os.posix_spawn(executable, command, CHILD_ENV, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}): {errors[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, text


def ranking_of(text: str, name_column: str = "integration") -> list[tuple[str, float]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return [(r[name_column], round(float(r["score"]), 6)) for r in rows]


def spread(values: list[float]) -> str:
    return f"{min(values):.3g}–{max(values):.3g}"


def compare(label: str, ours: list[str], theirs: list[str], pairs: int, check=None) -> dict:
    """Alternate the two commands; return medians and the median pairwise ratio."""
    measure(ours)  # warm-up: file cache, .pyc files
    measure(theirs)
    rows = []
    output = ""
    for _ in range(pairs):
        a = measure(ours)
        b = measure(theirs)
        if check:
            check(a[2], b[2])
        rows.append((a[0], a[1], b[0], b[1]))
        output = a[2]
    ours_t = [r[0] for r in rows]
    theirs_t = [r[2] for r in rows]
    return {
        "label": label,
        "ours": statistics.median(ours_t),
        "ours_noise": spread(ours_t),
        "ours_mb": statistics.median(r[1] for r in rows),
        "theirs": statistics.median(theirs_t),
        "theirs_noise": spread(theirs_t),
        "theirs_mb": statistics.median(r[3] for r in rows),
        "ratio": statistics.median(r[0] / r[2] for r in rows),
        "ratio_noise": spread([r[0] / r[2] for r in rows]),
        "output": output,  # ours, from the last pair
    }


def same_csv(ours: str, theirs: str) -> None:
    if ours != theirs:
        raise SystemExit("the python and duckdb engines wrote different rankings")


def same_ranking(ours: str, theirs: str) -> None:
    a, b = ranking_of(ours), ranking_of(theirs)
    if a != b:
        diff = next((x, y) for x, y in zip(a, b, strict=False) if x != y) if a and b else (a, b)
        raise SystemExit(f"rankings differ ({len(a)} vs {len(b)} rows); first difference: {diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    config = str(HERE / "scoring.yaml")
    results = []
    with tempfile.TemporaryDirectory(prefix="intscore-bench-") as folder:
        # Start-up first, while this process is small: spawned children start out sharing
        # its memory, which would count in their peak.
        example = str(ROOT / "examples" / "requests.csv")
        typer = [PYTHON, "-c", "import typer"]
        results.append(compare("intscore --help", [*INTSCORE, "--help"], typer, args.pairs))
        results.append(
            compare("rank examples/requests.csv", [*INTSCORE, "rank", example], typer, args.pairs)
        )
        for rows in sorted({*sizes, *CROSSOVER}):
            path = Path(folder) / f"requests-{rows}.csv"
            # In a child process: this one stays small, so its memory never counts in a
            # child's peak (spawned children start out sharing it).
            measure([PYTHON, str(HERE / "generate.py"), str(rows), str(path)])
        for rows in sizes:
            path = Path(folder) / f"requests-{rows}.csv"
            theirs = [PYTHON, str(HERE / "reference_duckdb.py"), str(path)]
            print(f"running {rows:,} rows ...", file=sys.stderr, flush=True)
            for engine in ("python", "duckdb"):
                ours = [*INTSCORE, "rank", str(path), "-c", config, "-f", "csv", "--engine", engine]
                label = f"rank {rows:,} rows, {engine} engine"
                results.append(compare(label, ours, theirs, args.pairs, same_ranking))
            same_csv(results[-2]["output"], results[-1]["output"])  # the engines, byte for byte
        # Where DuckDB starts to pay: the two engines against each other (ratio > 1: DuckDB
        # is faster), on the same files; `auto` switches at api.AUTO_DUCKDB_BYTES.
        for rows in CROSSOVER:
            path = Path(folder) / f"requests-{rows}.csv"
            python, duck = (
                [*INTSCORE, "rank", str(path), "-c", config, "-f", "csv", "--engine", engine]
                for engine in ("python", "duckdb")
            )
            size = path.stat().st_size / (1 << 20)
            label = f"crossover: python vs duckdb engine, {rows:,} rows ({size:.1f} MiB)"
            results.append(compare(label, python, duck, args.pairs, same_csv))
        dated = str(HERE / "scoring-decay.yaml")
        for rows in (n for n in sizes if n >= 100_000):
            path = Path(folder) / f"requests-{rows}.csv"
            for engine in ("python", "duckdb"):
                with_dates, plain = (
                    [*INTSCORE, "rank", str(path), "-c", c, "-f", "csv", "--engine", engine]
                    for c in (dated, config)
                )
                label = f"dates (latest_by + decay) vs none, {rows:,} rows, {engine} engine"
                results.append(compare(label, with_dates, plain, args.pairs))
        if 100_000 in sizes:
            path = Path(folder) / "requests-100000.csv"
            check = [*INTSCORE, "check", str(path), "-c", config]
            rank = [*INTSCORE, "rank", str(path), "-c", config, "-f", "csv", "--engine", "python"]
            results.append(compare("check vs rank, 100,000 rows", check, rank, args.pairs))
        sens = measure([PYTHON, str(HERE / "sensitivity_bench.py")])[2].strip()
        plans = measure([PYTHON, str(HERE / "plan_bench.py"), "--pairs", str(args.pairs)])[2]

    print()
    print(
        "| run | intscore (median, min–max) | peak MB "
        "| reference (median, min–max) | peak MB | ratio (median, min–max) |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['label']} | {r['ours']:.3f} s ({r['ours_noise']}) | {r['ours_mb']:.0f} "
            f"| {r['theirs']:.3f} s ({r['theirs_noise']}) | {r['theirs_mb']:.0f} "
            f"| {r['ratio']:.2f} ({r['ratio_noise']}) |"
        )
    print()
    print("reference: the DuckDB SQL script for rank rows; `python -c 'import typer'` for --help")
    print("and the bundled example; `intscore rank --engine python` (plain config) for check and")
    print("for dates; the duckdb engine for the crossover.")
    print(sens)
    print(plans.strip())
    print()
    print(targets(results))


# The targets of the speed issue (#17): (label of a run, what is compared, the limit).
TARGETS = [
    ("rank examples/requests.csv", "ratio", 3.0),
    ("rank 1,000 rows, python engine", "ratio", 1.0),
    ("rank 100,000 rows, duckdb engine", "ratio", 1.5),
    ("rank 1,000,000 rows, duckdb engine", "ratio", 2.0),
    ("rank 1,000,000 rows, python engine", "ratio", 6.0),
    ("rank 1,000,000 rows, duckdb engine", "memory", 1.2),
    ("rank 1,000,000 rows, python engine", "memory", 1.2),
]


def targets(results: list[dict]) -> str:
    """Each target against this run's median: met or not (runs not made are left out)."""
    by_label = {r["label"]: r for r in results}
    lines = ["| target | this run | met |", "|---|---|---|"]
    for label, measure_, limit in TARGETS:
        r = by_label.get(label)
        if r is None:
            continue
        value = r["ratio"] if measure_ == "ratio" else r["ours_mb"] / r["theirs_mb"]
        what = "time" if measure_ == "ratio" else "peak memory"
        lines.append(
            f"| {label}: {what} ≤ {limit}× | {value:.2f}× | {'yes' if value <= limit else 'no'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
