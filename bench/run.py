"""`make bench`: intscore against the plain DuckDB SQL a user would write, paired in one run.

The reference is the shared benchmark (bench/reference/, a copy of ../shared/bench/ checked
against it when present): `gen_requests.py` writes a request log of N rows (up to 2,000
integrations, N/10 accounts each with its own ARR), `ref_duckdb.py` ranks it with one SQL
query, and `bench.yaml` is the scoring.yaml that gives the same ranking in intscore. Each
comparison runs both as whole processes (start-up included), alternately, after a warm-up,
and reports medians of wall time and peak memory, the noise (min–max), and the median of the
pairwise ratios; every pair's rankings are compared (the order, and scores to 2 decimals).

Then: the bundled example against `python -c "import typer"`; a log of 20,000 integrations
(bench/generate.py at 1M rows: N/50 integrations), where `rank` meets the SQL and `check`,
`sensitivity --runs 1000` and the report page meet `rank`; the rankings of both engines
compared byte for byte on every file; and `plan` of 2,000 integrations with 15 buy options
(bench/plan_bench.py, against its target of 2 s). It ends with each target of the speed
issue, this run's figure, and whether it is met.

    python bench/run.py [--sizes 1000,100000,1000000,10000000] [--pairs 5] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFERENCE = HERE / "reference"
SHARED = ROOT.parent / "shared" / "bench"
PYTHON = sys.executable
INTSCORE = [str(Path(PYTHON).parent / "intscore")]
if not Path(INTSCORE[0]).exists():
    INTSCORE = [PYTHON, "-m", "intscore"]
# Children run as for a user: bytecode cached (some sandboxes set PYTHONDONTWRITEBYTECODE).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], output: Path | None = None) -> tuple[float, float, str]:
    """(seconds, peak MiB, what it wrote) of one whole process, spawned without a copy of this
    process's memory; its output goes to a file (or `output`, when it writes one itself)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        executable = shutil.which(command[0]) or command[0]
        started = time.perf_counter()
        pid = os.posix_spawn(executable, command, CHILD_ENV, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors[-2000:]}")
    if output is not None:
        text = output.read_text()
    return elapsed, usage.ru_maxrss / 1024, text


def ranking_of(text: str) -> list[tuple[str, str]]:
    """(integration, score to 2 decimals) in order, from intscore's or the reference's CSV."""
    return [
        (r["integration"], f"{float(r['score']):.2f}") for r in csv.DictReader(io.StringIO(text))
    ]


def same_ranking(ours: str, theirs: str) -> None:
    a, b = ranking_of(ours), ranking_of(theirs)
    if a != b:
        first = next(((x, y) for x, y in zip(a, b, strict=False) if x != y), (len(a), len(b)))
        raise SystemExit(f"intscore and the reference rank differently; first difference: {first}")


def compare(
    label: str, ours: list[str], theirs: list[str], pairs: int, **kw: Any
) -> dict[str, Any]:
    """Alternate the two commands after a warm-up of each; medians and pairwise ratios."""
    check = kw.get("check")
    their_output = kw.get("their_output")
    measure(ours)
    measure(theirs, their_output)
    rows = []
    for _ in range(pairs):
        a = measure(ours)
        b = measure(theirs, their_output)
        if check:
            check(a[2], b[2])
        rows.append((a[0], a[1], b[0], b[1]))
    ratios = [r[0] / r[2] for r in rows]
    return {
        "label": label,
        "ours": statistics.median(r[0] for r in rows),
        "ours_noise": _spread([r[0] for r in rows]),
        "ours_mb": statistics.median(r[1] for r in rows),
        "theirs": statistics.median(r[2] for r in rows),
        "theirs_noise": _spread([r[2] for r in rows]),
        "theirs_mb": statistics.median(r[3] for r in rows),
        "ratio": statistics.median(ratios),
        "ratio_noise": _spread(ratios),
    }


def _spread(values: list[float]) -> str:
    return f"{min(values):.3g}–{max(values):.3g}"


def reference_is_current() -> None:
    """The copy in bench/reference/ is the shared benchmark, byte for byte (when it is here)."""
    if not SHARED.is_dir():
        print(f"note: {SHARED} is not here; using bench/reference/ as it is", file=sys.stderr)
        return
    for name in ("gen_requests.py", "ref_duckdb.py", "bench.yaml"):
        if not filecmp.cmp(SHARED / name, REFERENCE / name, shallow=False):
            raise SystemExit(f"bench/reference/{name} differs from {SHARED / name}: copy it again")


def rank_command(
    path: Path, engine: str = "auto", config: Path = REFERENCE / "bench.yaml"
) -> list[str]:
    return [*INTSCORE, "rank", str(path), "-c", str(config), "-f", "csv", "--engine", engine]


def size_runs(folder: Path, rows: int, pairs: int) -> list[dict[str, Any]]:
    """intscore (auto: the DuckDB pass from 3 MiB) and, up to 1M rows, the Python pass, each
    against the reference SQL on a shared-generator log of `rows` rows; both engines' CSV
    compared byte for byte."""
    path = folder / f"requests-{rows}.csv"
    measure([PYTHON, str(REFERENCE / "gen_requests.py"), str(rows), str(path)])
    out = folder / "reference.csv"
    theirs = [PYTHON, str(REFERENCE / "ref_duckdb.py"), str(path), str(out)]
    print(f"running {rows:,} rows ...", file=sys.stderr, flush=True)
    results = [
        compare(
            f"rank {rows:,} rows, intscore[fast]",
            rank_command(path),
            theirs,
            pairs,
            check=same_ranking,
            their_output=out,
        )
    ]
    if rows <= 1_000_000:
        results.append(
            compare(
                f"rank {rows:,} rows, python engine",
                rank_command(path, "python"),
                theirs,
                pairs,
                check=same_ranking,
                their_output=out,
            )
        )
    engines_agree(path)
    path.unlink()
    return results


def engines_agree(path: Path, config: Path = REFERENCE / "bench.yaml") -> None:
    """The Python and the DuckDB pass write the same CSV, byte for byte."""
    python = measure(rank_command(path, "python", config))[2]
    duck = measure(rank_command(path, "duckdb", config))[2]
    if python != duck:
        raise SystemExit(f"the python and duckdb engines rank {path.name} differently")


def wide_runs(folder: Path, pairs: int) -> list[dict[str, Any]]:
    """A log of 20,000 integrations (1M rows, bench/generate.py): rank against the SQL, and
    check and sensitivity against rank; the report page's size."""
    path = folder / "integrations-20000.csv"
    measure([PYTHON, str(HERE / "generate.py"), "1000000", str(path)])
    out = folder / "reference.csv"
    theirs = [PYTHON, str(REFERENCE / "ref_duckdb.py"), str(path), str(out)]
    config = HERE / "scoring.yaml"  # the default criteria, as generate.py's columns need
    print("running 20,000 integrations ...", file=sys.stderr, flush=True)
    python_rank = rank_command(path, "python", config)
    results = [
        compare(
            "20,000 integrations: rank, intscore[fast]",
            rank_command(path, "auto", config),
            theirs,
            pairs,
            their_output=out,
        ),
        compare(
            "20,000 integrations: check vs rank (python engine)",
            [*INTSCORE, "check", str(path), "-c", str(config)],
            python_rank,
            pairs,
        ),
        compare(
            "20,000 integrations: sensitivity --runs 1000 vs rank (python engine)",
            [*INTSCORE, "sensitivity", str(path), "-c", str(config), "--runs", "1000"],
            python_rank,
            pairs,
        ),
    ]
    page = folder / "report.html"
    measure([*INTSCORE, "report", str(path), "-c", str(config), "-o", str(page)])
    results.append({"label": "20,000 integrations: report page", "bytes": page.stat().st_size})
    engines_agree(path, config)
    path.unlink()
    return results


# The speed issue's targets: (label of a run, what is compared, the limit).
TARGETS = [
    ("rank 1,000 rows, intscore[fast]", "ratio", 0.8),
    ("rank 100,000 rows, intscore[fast]", "ratio", 1.6),
    ("rank 1,000,000 rows, intscore[fast]", "ratio", 1.8),
    ("rank 10,000,000 rows, intscore[fast]", "ratio", 2.0),
    ("rank 1,000,000 rows, intscore[fast]", "memory", 1.25),
    ("rank 10,000,000 rows, intscore[fast]", "memory", 1.4),
    ("rank 1,000,000 rows, python engine", "ratio", 8.0),
    ("rank examples/requests.csv vs import typer", "ratio", 2.0),
    ("20,000 integrations: rank, intscore[fast]", "ratio", 2.5),
    ("20,000 integrations: check vs rank (python engine)", "ratio", 1.2),
    ("20,000 integrations: sensitivity --runs 1000 vs rank (python engine)", "ratio", 1.5),
    ("20,000 integrations: report page", "bytes", 4 << 20),
]


def targets(results: list[dict[str, Any]]) -> str:
    """Each target against this run's median: met or not (runs not made are left out)."""
    by_label = {r["label"]: r for r in results}
    lines = ["| target | this run | met |", "|---|---|---|"]
    for label, kind, limit in TARGETS:
        r = by_label.get(label)
        if r is None:
            continue
        if kind == "bytes":
            value, shown, limit_shown = r["bytes"], f"{r['bytes'] / (1 << 20):.2f} MiB", "4 MiB"
        else:
            value = r["ratio"] if kind == "ratio" else r["ours_mb"] / r["theirs_mb"]
            shown, limit_shown = f"{value:.2f}×", f"{limit}×"
        what = {"ratio": "time", "memory": "peak memory", "bytes": "size"}[kind]
        lines.append(
            f"| {label}: {what} ≤ {limit_shown} | {shown} | {'yes' if value <= limit else 'no'} |"
        )
    return "\n".join(lines)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| run | intscore (median, min–max) | peak MiB | reference (median, min–max) | peak MiB "
        "| ratio (median, min–max) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        if "bytes" in r:
            lines.append(f"| {r['label']} | {r['bytes']:,} bytes | | | | |")
            continue
        lines.append(
            f"| {r['label']} | {r['ours']:.3f} s ({r['ours_noise']}) | {r['ours_mb']:.0f} "
            f"| {r['theirs']:.3f} s ({r['theirs_noise']}) | {r['theirs_mb']:.0f} "
            f"| {r['ratio']:.2f} ({r['ratio_noise']}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000,10000000")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="no 10M rows, no 20k integrations")
    args = parser.parse_args()
    reference_is_current()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        sizes = [s for s in sizes if s < 10_000_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="intscore-bench-") as name:
        folder = Path(name)
        example = str(ROOT / "examples" / "requests.csv")
        typer = [PYTHON, "-c", "import typer"]
        # Start-up first, while this process is small.
        results.append(
            compare("intscore --help vs import typer", [*INTSCORE, "--help"], typer, args.pairs)
        )
        results.append(
            compare(
                "rank examples/requests.csv vs import typer",
                [*INTSCORE, "rank", example],
                typer,
                args.pairs,
            )
        )
        for rows in sizes:
            results += size_runs(folder, rows, args.pairs)
        if not args.quick:
            results += wide_runs(folder, args.pairs)
        plans = measure([PYTHON, str(HERE / "plan_bench.py"), "--pairs", str(args.pairs)])[2]
    print()
    print(table(results))
    print()
    print("reference: bench/reference/ref_duckdb.py (the shared SQL) for rank; `python -c 'import")
    print("typer'` for start-up; `rank --engine python` for check and sensitivity.")
    print(plans.strip())
    print()
    print(targets(results))


if __name__ == "__main__":
    main()
