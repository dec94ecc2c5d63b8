"""`intscore plan`: the optimal plan against brute force, the worked example of docs/plans.md,
the gain over greedy, and bad plan configs."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, run, write
from intscore.engine.plan_program import (
    HOURS_TOLERANCE,
    VALUE_TOLERANCE,
    Candidate,
    Offer,
    PlanInfeasible,
    greedy,
    optimal,
)

pytest.importorskip("highspy")

DOC = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


# --- optimal against brute force -----------------------------------------------------------------


def brute_force(cands: list[Candidate], never: set[int], offers: list[Offer], capacity: float):
    """Every plan, the best by the documented rules: the most value; the fewest hours; the
    candidates highest in the ranking (compared from the top); the offers listed first."""
    n = len(cands)
    plans = []
    for ys in itertools.product((0, 1), repeat=len(offers)):
        bought = tuple(b for b in range(len(offers)) if ys[b])
        free = {c.index for c in cands if c.index not in never and set(c.covers) & set(bought)}
        rest = [c for c in cands if c.index not in free and c.index not in never]
        for mask in range(1 << len(rest)):
            built = [c for i, c in enumerate(rest) if mask >> i & 1]
            # no build hours, or worth nothing (and no must): never built
            if any(c.hours is None or (c.value <= 0 and not c.must) for c in built):
                continue
            covered = free | {c.index for c in built}
            if any(c.must and c.index not in covered for c in cands):
                continue
            hours = math.fsum([offers[b].hours for b in bought] + [c.hours for c in built])
            if hours > capacity + HOURS_TOLERANCE:
                continue
            value = math.fsum(c.value for c in cands if c.index in covered)
            plans.append((value, hours, covered, bought))
    if not plans:
        return None
    scale = max((abs(c.value) for c in cands), default=0) or 1
    top = max(p[0] for p in plans)
    plans = [p for p in plans if p[0] >= top - VALUE_TOLERANCE * scale]
    low = min(p[1] for p in plans)
    plans = [p for p in plans if p[1] <= low + HOURS_TOLERANCE]
    best = max(tuple(i in p[2] for i in range(n)) for p in plans)
    plans = [p for p in plans if tuple(i in p[2] for i in range(n)) == best]
    return min(plans, key=lambda p: sum(2**b for b in p[3]))


@st.composite
def instances(draw):
    offers = [
        Offer(f"option {b}", draw(st.sampled_from([0, 10, 25, 40])))
        for b in range(draw(st.integers(0, 3)))
    ]
    n = draw(st.integers(0, 14))
    cands, never = [], set()
    for i in range(n):
        covers = draw(st.sets(st.integers(0, len(offers) - 1), max_size=2)) if offers else set()
        flag = draw(st.sampled_from(["", "", "", "", "must", "never"]))
        value = draw(st.sampled_from([0, 0.5, 1, 2, 2.5, 3, 5, 8]))
        hours = draw(st.sampled_from([None, 0, 5, 10, 15, 20, 30]))
        cands.append(Candidate(i, value, hours, tuple(sorted(covers)), flag == "must"))
        if flag == "never":
            never.add(i)
    capacity = draw(st.sampled_from([0, 10, 20, 35, 50, 80]))
    return cands, never, offers, capacity


@settings(max_examples=60)
@given(instances())
def test_the_plan_is_the_best_by_brute_force_with_ties_as_documented(instance):
    cands, never, offers, capacity = instance
    expected = brute_force(cands, never, offers, capacity)
    allowed = [c for c in cands if c.index not in never]  # as engine.planning.make does
    try:
        got = optimal(allowed, offers, capacity)
    except PlanInfeasible:
        assert expected is None
        return
    assert expected is not None
    value, hours, covered, bought = expected
    assert got.value == pytest.approx(value, abs=1e-9)
    assert set(got.covered) == covered
    assert got.bought == bought
    assert got.hours == pytest.approx(hours, abs=1e-6)
    assert got.hours <= capacity + HOURS_TOLERANCE
    assert not got.built & never


def test_ties_go_to_fewer_hours_then_higher_rank_then_the_offer_listed_first():
    # A (rank 1) and B (rank 2) are worth 5 each; either fits, not both.
    a, b = Candidate(0, 5, 20), Candidate(1, 5, 20)
    assert optimal([a, b], [], 30).covered == {0}
    assert optimal([a, Candidate(1, 5, 10)], [], 25).covered == {1}  # fewer hours first
    # Two options cover the same candidate for the same hours: the first listed.
    c = Candidate(0, 5, None, (0, 1))
    assert optimal([c], [Offer("x", 10), Offer("y", 10)], 10).bought == (0,)
    assert optimal([c], [Offer("x", 12), Offer("y", 10)], 20).bought == (1,)


def test_greedy_takes_the_ranking_top_while_it_fits():
    # A: 100 for 90 h, B and C: 60 for 50 h each, 100 h. Greedy takes A (10 h left) and
    # nothing else fits: 100. The plan takes B and C: 120, a gain of 20.
    cands = [Candidate(0, 100, 90), Candidate(1, 60, 50), Candidate(2, 60, 50)]
    assert greedy(cands, 100).covered == {0}
    assert greedy(cands, 100).value == 100
    best = optimal(cands, [], 100)
    assert best.covered == {1, 2} and best.value == 120 and best.hours == 100


# --- the worked example ---------------------------------------------------------------------------


def worked_example(tmp_path: Path) -> None:
    (csv_text,) = blocks("csv")
    yaml_text = next(b for b in blocks("yaml") if b.startswith("version: 1"))
    write(tmp_path / "requests.csv", csv_text)
    write(tmp_path / "scoring.yaml", yaml_text)


def test_the_worked_example_of_the_docs_is_what_plan_prints(tmp_path: Path):
    worked_example(tmp_path)
    result = run("plan", "requests.csv")
    assert result.exit_code == 0, result.stderr
    expected = blocks("text")[-1]
    shown = "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"
    assert shown == expected
    assert result.stderr == ""


def test_the_worked_example_as_json(tmp_path: Path):
    worked_example(tmp_path)
    result = run("plan", "requests.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [b["integration"] for b in document["build"]] == ["Slack", "Jira"]
    # 40 h build + 10% of it a year over one year = 44 h each
    assert [b["hours"] for b in document["build"]] == [44.0, 44.0]
    assert document["buy"] == [
        {
            "name": "Unified CRM API",
            "category": "CRM",
            "hours": 160.0,
            "covers": ["Salesforce", "HubSpot", "Pipedrive"],
        }
    ]
    (workday,) = document["left_out"]
    assert (workday["integration"], workday["hours"], workday["more_hours"]) == (
        "Workday",
        1100.0,
        848.0,
    )
    assert (document["hours_used"], document["hours_left"]) == (248.0, 252.0)
    assert (document["value_covered"], document["value_total"]) == (350.0, 450.0)
    assert document["greedy"] == {
        "value": 250.0,
        "hours": 418.0,
        "build": ["Salesforce", "Slack", "Jira"],
    }
    assert document["gain"] == 100.0


def test_capacity_and_horizon_from_the_command_line(tmp_path: Path):
    worked_example(tmp_path)
    # 2 years: Slack and Jira 40 + 2 × 4 = 48 h each; 96 + 160 = 256 h.
    document = json.loads(run("plan", "requests.csv", "--horizon", "2y", "-f", "json").stdout)
    assert document["hours_used"] == 256.0
    # 100 h: Slack and Jira (88 h) only; the CRM option (160 h) no longer fits.
    document = json.loads(run("plan", "requests.csv", "--capacity", "100h", "-f", "json").stdout)
    assert [b["integration"] for b in document["build"]] == ["Slack", "Jira"]
    assert document["buy"] == [] and document["value_covered"] == 150.0
    bad = run("plan", "requests.csv", "--capacity", "-5h")
    assert bad.exit_code == 2
    assert bad.stderr == "error: --capacity: '-5h' is not a duration (like 300h, 5d or 2w)\n"


def test_must_and_never(tmp_path: Path):
    worked_example(tmp_path)
    config = (tmp_path / "scoring.yaml").read_text()
    # never Slack frees 44 h; must Salesforce is covered by the purchase anyway.
    write(
        tmp_path / "scoring.yaml",
        config.replace("  upkeep:", "  must: [Salesforce]\n  never: [Slack]\n  upkeep:"),
    )
    document = json.loads(run("plan", "requests.csv", "-f", "json").stdout)
    assert document["never"] == ["Slack"]
    assert [b["integration"] for b in document["build"]] == ["Jira"]
    assert "Slack" not in [left["integration"] for left in document["left_out"]]


# --- bad plan configs -----------------------------------------------------------------------------


def bad(tmp_path: Path, old: str, new: str):
    worked_example(tmp_path)
    config = (tmp_path / "scoring.yaml").read_text()
    assert old in config
    write(tmp_path / "scoring.yaml", config.replace(old, new))
    return run("plan", "requests.csv")


def test_a_negative_capacity_is_a_config_error_with_its_line(tmp_path: Path):
    result = bad(tmp_path, "capacity: 500h", "capacity: -5h")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: scoring.yaml:11: plan.capacity: '-5h' is not a duration (like 300h, 5d or 2w)\n"
    )


def test_an_unknown_key_says_what_it_may_be(tmp_path: Path):
    result = bad(tmp_path, "capacity: 500h", "capacty: 500h")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: scoring.yaml:11: plan.capacty: Extra inputs are not permitted "
        "(did you mean 'capacity'?)\n"
    )


def test_a_buy_option_for_a_category_nobody_requested_is_a_warning_with_its_line(
    tmp_path: Path,
):
    result = bad(tmp_path, "category: CRM", "category: ERP")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: scoring.yaml:17: buy[0].category: no requested integration is in 'ERP': "
        "'Unified CRM API' covers nothing\n"
    )


def test_an_infeasible_must_names_the_items_and_their_hours(tmp_path: Path):
    result = bad(tmp_path, "  upkeep:", "  must: [Workday, Salesforce]\n  upkeep:")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: scoring.yaml:14: plan.must: the must items need at least 1,260 h, more than "
        "the capacity of 500 h: Salesforce (330 h), Workday (1,100 h)\n"
    )


def test_a_build_field_no_input_has(tmp_path: Path):
    result = bad(tmp_path, "build: {from: difficulty,", "build: {from: dificulty,")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: scoring.yaml:13: plan.build: no input has a 'dificulty' column to read hours from\n"
    )


def test_a_must_that_names_no_integration(tmp_path: Path):
    result = bad(tmp_path, "  upkeep:", "  must: [Salesforc]\n  upkeep:")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: scoring.yaml:14: plan.must[0]: 'Salesforc' is not an integration of the data "
        "(did you mean 'Salesforce'?)\n"
    )


def test_no_capacity_and_no_plan(tmp_path: Path):
    result = bad(tmp_path, "  capacity: 500h\n", "")
    assert result.exit_code == 2
    assert "no capacity: give plan.capacity or --capacity (e.g. 1600h)" in result.stderr
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria: [{id: n, aggregate: count, scale: {min: 0, max: 9, points: 1}}]\n",
    )
    result = run("plan", "requests.csv", "--capacity", "10h")
    assert result.exit_code == 2
    assert "no `plan:` in the config" in result.stderr


def test_build_hours_that_are_not_durations_are_findings_with_their_line(tmp_path: Path):
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n  - {id: demand, aggregate: count, bands: [{min: 0, "
        "points: 0}, {min: 1, points: 1}]}\nplan: {capacity: 100h, build: build_hours}\n",
    )
    write(
        tmp_path / "requests.csv",
        "integration,account,build_hours\nSlack,Acme,lots\nJira,Acme,40\nJira,Hooli,2w\n",
    )
    result = run("plan", "requests.csv", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: requests.csv: no build hours ('build_hours') for Slack: not built unless bought",
        "warning: requests.csv:2: build_hours: 'lots' is not a duration (like 300h, 5d or 2w)",
        "warning: requests.csv:3: build_hours: rows of 'Jira' give build hours 40h (line 3), "
        "80h (line 4): the plan counts the most",
    ]
    document = json.loads(result.stdout)
    assert [(b["integration"], b["hours"]) for b in document["build"]] == [("Jira", 80.0)]


def test_check_reports_what_the_plan_cannot_build_or_buy(tmp_path: Path):
    worked_example(tmp_path)
    config = (tmp_path / "scoring.yaml").read_text().replace("category: CRM", "category: ERP")
    write(tmp_path / "scoring.yaml", config.replace("{1: 40h,", "{9: 1h, 1: 40h,"))
    write(tmp_path / "requests.csv", DOC_ROWS() + "Zoom,Acme,6\n")
    result = run("check", "requests.csv", "-f", "text")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "requests.csv: warning: no build hours ('difficulty') for Zoom: not built unless "
        "bought [no-build-hours]",
        "requests.csv:20: warning: difficulty: '6' is not in plan.build.map: no build hours "
        "for 'Zoom' [no-build-hours]",
        "scoring.yaml:17: warning: buy[0].category: no requested integration is in 'ERP': "
        "'Unified CRM API' covers nothing [unused-buy-option]",
    ]


def DOC_ROWS() -> str:
    return blocks("csv")[0]


def test_a_huge_build_hours_cell_is_one_finding_and_quick(tmp_path: Path):
    import time

    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n  - {id: demand, aggregate: count, bands: [{min: 0, "
        "points: 0}, {min: 1, points: 1}]}\nplan: {capacity: 100h, build: build_hours}\n",
    )
    hostile = "9" * 60_000 + "h" + "5" * 60_000  # near the 128 KiB a CSV cell may hold
    write(tmp_path / "requests.csv", f"integration,account,build_hours\nSlack,Acme,{hostile}\n")
    started = time.perf_counter()
    result = run("plan", "requests.csv", "-f", "json")
    assert time.perf_counter() - started < 5
    assert result.exit_code == 0
    first = result.stderr.splitlines()[1]
    assert first == (
        "warning: requests.csv:2: build_hours: '9999999999999999999999999999999999999999' is "
        "not a duration (like 300h, 5d or 2w)"
    )
