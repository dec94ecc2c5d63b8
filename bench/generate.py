"""Seeded request logs for benchmarks: one row per request.

~N/50 integrations with Zipf-like popularity, N/10 accounts, each account with one ARR and
stage, each integration with one difficulty (1-5, some blank).
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path


def generate(path: Path, rows: int, seed: int = 42) -> Path:
    """Write a request log of `rows` rows to `path` (same seed, same file)."""
    rng = random.Random(seed)
    n_integrations = max(rows // 50, 5)
    n_accounts = max(rows // 10, 10)
    integrations = [f"Integration {i:05d}" for i in range(n_integrations)]
    weights = [1.0 / (rank + 1) for rank in range(n_integrations)]
    difficulty = {
        name: ("" if rng.random() < 0.05 else str(rng.randint(1, 5))) for name in integrations
    }
    arr = [
        rng.choice([5_000, 20_000, 60_000, 150_000, 400_000, 900_000]) for _ in range(n_accounts)
    ]
    stage = [rng.choice(["customer", "customer", "prospect"]) for _ in range(n_accounts)]
    chosen = rng.choices(integrations, weights=weights, k=rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["integration", "account", "account_arr", "stage", "difficulty", "requested_at"]
        )
        for name in chosen:
            a = rng.randrange(n_accounts)
            day = rng.randint(1, 28)
            writer.writerow(
                [
                    name,
                    f"Account {a:06d}",
                    arr[a],
                    stage[a],
                    difficulty[name],
                    f"2026-{rng.randint(1, 12):02d}-{day:02d}",
                ]
            )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generate(args.out, args.rows, args.seed)


if __name__ == "__main__":
    main()
