"""`intscore plan` over 2,000 integrations with 15 buy options, as a user runs it (a whole
process, from the CSV file): a 20,000-row request log, the default criteria, build hours by
difficulty, 10% upkeep a year, 40 categories of which 15 can be bought.

    python bench/plan_bench.py [--pairs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import INTSCORE, measure  # noqa: E402

CATEGORIES = 40
OPTIONS = 15


def write_inputs(folder: Path, integrations: int = 2000, seed: int = 7) -> tuple[Path, Path]:
    """The request log and its config (same seed, same files)."""
    rng = random.Random(seed)
    log = folder / "plan-requests.csv"
    lines = ["integration,account,account_arr,stage,difficulty,category"]
    for n in range(integrations):
        difficulty = rng.randint(1, 5)
        category = f"Category {rng.randrange(CATEGORIES):02d}"
        for r in range(rng.randint(1, 19)):
            account = rng.randrange(4000)
            arr = rng.choice([5_000, 20_000, 60_000, 150_000, 400_000])
            stage = rng.choice(["customer", "customer", "prospect"])
            shown = difficulty if r == 0 else ""
            name = f"Integration {n:04d}"
            lines.append(f"{name},Account {account:04d},{arr},{stage},{shown},{category}")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = (HERE / "scoring.yaml").read_text(encoding="utf-8")
    options = "\n".join(
        f"  - {{name: Option {b:02d}, category: Category {b:02d}, hours: {hours}h}}"
        for b, hours in ((b, rng.choice([80, 200, 400])) for b in range(OPTIONS))
    )
    config += (
        "categories: category\n"
        "plan:\n"
        "  capacity: 16000h\n"
        "  build: {from: difficulty, map: {1: 40h, 2: 120h, 3: 300h, 4: 600h, 5: 1000h}}\n"
        "  upkeep: {per_year: 10%}\n"
        f"buy:\n{options}\n"
    )
    path = folder / "plan-scoring.yaml"
    path.write_text(config, encoding="utf-8")
    return log, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intscore-plan-") as folder:
        log, config = write_inputs(Path(folder))
        command = [*INTSCORE, "plan", str(log), "-c", str(config), "-f", "json"]
        measure(command)  # warm-up: file cache, .pyc files, the compiled model's cache
        times = [measure(command)[0] for _ in range(args.pairs)]
    print(
        f"plan, 2,000 integrations, {OPTIONS} buy options: median "
        f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f}) over "
        f"{args.pairs} runs (target: under 2 s)"
    )


if __name__ == "__main__":
    main()
