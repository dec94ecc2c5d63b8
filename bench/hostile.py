"""Adversarial inputs at 10 KB, 100 KB and 1 MB: `rank` and `check` must grow no faster than
about N log N (issue 12). Prints one row per shape and command with the times and the growth
from 100 KB to 1 MB (10× the bytes: about 10× the time is linear, 100× would be quadratic).

    python bench/hostile.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
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


def main() -> None:
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


if __name__ == "__main__":
    main()
