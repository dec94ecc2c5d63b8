"""Issue 4's benchmark: 1,000 sensitivity runs over 2,000 integrations and 3 criteria."""

import random
import statistics
import time

from intscore.config_loading import builtin_config_text, parse_config
from intscore.engine import rank
from intscore.rows import Table
from intscore.sensitivity import sensitivity

HEADER = ["integration", "account", "account_arr", "stage", "difficulty"]


def ranking_for(config_text: str):
    rng = random.Random(1)
    rows = []
    for n in range(2000):
        for i in range(rng.randint(1, 4)):
            rows.append(
                [
                    f"I{n}",
                    f"a{n}-{i}",
                    str(rng.randint(0, 700_000)),
                    "customer",
                    str(rng.randint(1, 5)),
                ]
            )
    table = Table("bench.csv", "csv", HEADER, iter([(n + 2, r) for n, r in enumerate(rows)]))
    return rank([table], parse_config(config_text, "bench").config)


banded = builtin_config_text()
scaled = banded.replace(
    "    bands: [{min: 0, points: 0}, {min: 100000, points: 1}, {min: 500000, points: 2}]",
    "    scale: {min: 0, max: 2000000, points: 2}",
)
for label, text in (("banded criteria", banded), ("a scale criterion (all distinct)", scaled)):
    ranking = ranking_for(text)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        sensitivity(ranking, runs=1000, spread=0.25, top=10, seed=0)
        times.append(time.perf_counter() - started)
    print(
        f"sensitivity, 1,000 runs x 2,000 integrations, {label}: median "
        f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"
    )
