"""The report's page at its longest (10,000 integrations) stays under 4 MB: the ranking's
rows written compactly, the script's data as columns without the names the rows carry."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import ROOT, run, write
from intscore.render.report_size import MAX_ITEMS


def test_a_page_of_the_most_integrations_it_holds_is_under_4_mb(tmp_path: Path, monkeypatch):
    lines = ["integration,account,account_arr,stage,difficulty"]
    for n in range(MAX_ITEMS):
        arr = (5_000, 60_000, 400_000)[n % 3]
        lines.append(f"Integration {n:05d},Account {n:06d},{arr},customer,{n % 5 + 1}")
    write(tmp_path / "r.csv", "\n".join(lines) + "\n")
    shutil.copy(ROOT / "bench" / "scoring.yaml", tmp_path / "scoring.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run("report", "r.csv", "-o", "p.html").exit_code == 0
    page = (tmp_path / "p.html").read_bytes()
    assert len(page) < 4_000_000  # 5,845,056 bytes before
    text = page.decode()
    rows = re.findall(r'<tr data-integration="([^"]*)" data-rank=(\d+) ', text)
    # First: 400,000 ARR (1 pt of 2) and difficulty 1 or 2 (2 pts), n % 3 == 2 and n % 5 < 2
    assert len(rows) == MAX_ITEMS and rows[:2] == [
        ("Integration 00005", "1"),
        ("Integration 00011", "1"),
    ]
    found = re.search(r'<script type="application/json" id="intscore-data">(.*?)</script>', text)
    assert found is not None
    items = json.loads(found.group(1))["items"]
    assert sorted(items) == ["group", "order", "points", "rank"]
    assert [len(column) for column in items["points"]] == [MAX_ITEMS] * 3
    assert [str(rank) for rank in items["rank"]] == [rank for _, rank in rows]
