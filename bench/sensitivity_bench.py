"""Sensitivity at 1,000 runs over 2,000 integrations: weights only (banded criteria, and a
scale criterion that makes every points vector distinct), and data (a bootstrap over the
requesters of a 100,000-row log, 50 requesters an integration on average)."""

import random
import statistics
import time

from intscore.analyses.sensitivity import Perturbation, sensitivity
from intscore.engine.rank import rank
from intscore.model.loading import builtin_config_text, parse_config
from intscore.read.rows import Table

HEADER = ["integration", "account", "account_arr", "stage", "difficulty"]


def ranking_for(config_text: str, requesters: tuple[int, int]):
    rng = random.Random(1)
    rows = []
    for n in range(2000):
        difficulty = str(rng.randint(1, 5))
        for i in range(rng.randint(*requesters)):
            stage = rng.choice(["customer", "prospect"])
            rows.append([f"I{n}", f"a{n}-{i}", str(rng.randint(0, 70_000)), stage, difficulty])
    table = Table("bench.csv", "csv", HEADER, iter([(n + 2, r) for n, r in enumerate(rows)]))
    return rank([table], parse_config(config_text, "bench").model), len(rows)


def timed(label: str, ranking, **options) -> None:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        sensitivity(ranking, Perturbation(runs=1000, spread=0.25, top=10, seed=0, **options))
        times.append(time.perf_counter() - started)
    print(
        f"sensitivity, 1,000 runs x 2,000 integrations, {label}: median "
        f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"
    )


banded = builtin_config_text()
scaled = banded.replace(
    "    bands: [{min: 0, points: 0}, {min: 100000, points: 1}, {min: 500000, points: 2}]",
    "    scale: {min: 0, max: 2000000, points: 2}",
)
timed("--vary weights, banded criteria", ranking_for(banded, (1, 4))[0])
timed("--vary weights, a scale criterion (all distinct)", ranking_for(scaled, (1, 4))[0])
log, rows = ranking_for(banded, (1, 99))
timed(f"--vary data, {rows:,} rows", log, vary="data")
timed(f"--vary both, {rows:,} rows", log, vary="both")
