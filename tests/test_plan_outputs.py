"""What plans and categories give the other commands: `rank --by category`, recommendations
that test the plan, `plan --vary`, and the report's plan and roll-up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, run, write

DOC = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
CSV = re.findall(r"```csv\n(.*?)```", DOC, re.S)[0]
YAML = next(b for b in re.findall(r"```yaml\n(.*?)```", DOC, re.S) if b.startswith("version"))

ROLLUP_CONFIG = """version: 1
categories: catalog
criteria:
  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}
  - {id: account_size, label: ARR, field: account_arr, aggregate: sum,
     bands: [{min: 0, points: 0}, {min: 100000, points: 1}]}
"""
ROLLUP_ROWS = """integration,account,account_arr
Salesforce,Acme,100000
Salesforce,Globex,50000
HubSpot,acme,100000
Slack,Acme,100000
Zoom,Hooli,20000
Frobnicator,Initech,5000
"""


def test_rank_by_category_counts_each_account_once(tmp_path: Path):
    write(tmp_path / "scoring.yaml", ROLLUP_CONFIG)
    write(tmp_path / "requests.csv", ROLLUP_ROWS)
    result = run("rank", "requests.csv", "--by", "category", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["size"] == {"criterion": "account_size", "field": "account_arr"}
    shown = [
        (c["category"], c["integrations"], c["requesters"], c["accounts"], c["size"])
        for c in document["categories"]
    ]
    # Scores: Salesforce 2 requesters (1 pt) and 150,000 (1 pt) = 100; HubSpot and Slack
    # 100,000 (1 pt of 2) = 50, rank 2; Zoom and Frobnicator 0, rank 4.
    # CRM: Salesforce (Acme, Globex) and HubSpot (acme: the same account): 2 accounts,
    # 100,000 + 50,000. chat: Slack (Acme) and Zoom (Hooli): 100,000 + 20,000. Equal on
    # accounts and integrations, by name; no category last.
    assert shown == [
        ("CRM", 2, 3, 2, 150000.0),
        ("chat", 2, 2, 2, 120000.0),
        ("(no category)", 1, 1, 1, 5000.0),
    ]
    assert [t["integration"] for t in document["categories"][0]["top"]] == [
        "Salesforce",
        "HubSpot",
    ]
    table = run("rank", "requests.csv", "--by", "category").stdout
    assert "CRM" in table and "ARR (accounts)" in table and "150,000" in table
    markdown = run("rank", "requests.csv", "--by", "category", "-f", "markdown").stdout
    # a zero-width space after '#': GitHub would otherwise link "#1" to issue 1
    assert (
        "| CRM | 2 | 2 | 150,000 | Salesforce (#&#8203;1, 100.0), HubSpot (#&#8203;2, 50.0) |"
        in markdown
    )


def test_rank_by_category_needs_categories(tmp_path: Path):
    write(tmp_path / "scoring.yaml", ROLLUP_CONFIG.replace("categories: catalog\n", ""))
    write(tmp_path / "requests.csv", ROLLUP_ROWS)
    result = run("rank", "requests.csv", "--by", "category")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: rank --by category needs categories: add")
    assert run("rank", "requests.csv", "--by", "category", "-f", "csv").exit_code == 2


def default_rules() -> str:
    return "recommend:" + (ROOT / "scoring.yaml").read_text(encoding="utf-8").split("recommend:")[1]


def test_the_default_rules_build_buy_and_defer_by_the_plan(tmp_path: Path):
    pytest.importorskip("highspy")
    write(tmp_path / "requests.csv", CSV)
    write(tmp_path / "scoring.yaml", YAML + default_rules())
    result = run("rank", "requests.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    advice = {i["integration"]: i["recommendation"] for i in json.loads(result.stdout)["ranking"]}
    # The plan of docs/plans.md: build Slack and Jira, buy the CRMs, leave Workday out.
    assert {name: a["label"] for name, a in advice.items()} == {
        "Salesforce": "Buy",
        "Slack": "Build in-house",
        "Workday": "Defer",
        "HubSpot": "Buy",
        "Jira": "Build in-house",
        "Pipedrive": "Buy",
    }
    assert advice["Workday"]["reason"] == "plan is 'left out'"
    assert advice["Salesforce"]["reason"] == "plan is 'bought'"
    # A rule on a state the plan does not have is a config error with its line.
    write(tmp_path / "scoring.yaml", YAML + "recommend:\n  - {when: {plan: maybe}, then: X}\n")
    bad = run("rank", "requests.csv")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "error: scoring.yaml:20: recommend[0].when.plan: 'maybe' is not a plan state "
        "(built, bought, left out, chosen)\n"
    )


def test_without_a_capacity_rules_on_the_plan_stop_rank(tmp_path: Path):
    write(tmp_path / "requests.csv", CSV)
    write(tmp_path / "scoring.yaml", YAML.replace("  capacity: 500h\n", "") + default_rules())
    result = run("rank", "requests.csv")
    assert result.exit_code == 2
    assert "no capacity: give plan.capacity or --capacity (e.g. 1600h) (the recommendations " in (
        result.stderr
    )


def test_plan_vary_gives_each_integration_its_share_of_plans(tmp_path: Path):
    pytest.importorskip("highspy")
    write(tmp_path / "requests.csv", CSV)
    write(tmp_path / "scoring.yaml", YAML)
    # One criterion: a score is 100 × points / max points whatever its weight, so every run
    # makes the same plan: everything but Workday in every run.
    result = run("plan", "requests.csv", "--vary", "weights", "--runs", "7", "-f", "json")
    document = json.loads(result.stdout)
    shares = {s["integration"]: s["share"] for s in document["shares"]}
    assert shares == {
        "Salesforce": 1.0,
        "Slack": 1.0,
        "Workday": 0.0,
        "HubSpot": 1.0,
        "Jira": 1.0,
        "Pipedrive": 1.0,
    }
    assert document["vary"] == {
        "vary": "weights",
        "runs": 7,
        "spread": 0.25,
        "resamples": None,
        "seed": 0,
    }
    table = run("plan", "requests.csv", "--vary", "data", "--runs", "7").stdout
    assert "In plans" in table and "7 runs, each integration's requesters resampled" in table


def test_the_report_shows_the_plan_and_the_roll_up(tmp_path: Path):
    pytest.importorskip("highspy")
    write(tmp_path / "requests.csv", CSV)
    write(tmp_path / "scoring.yaml", YAML + default_rules())
    result = run("report", "requests.csv", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    plan = html.split('<section id="plan">')[1].split("</section>")[0]
    rows = re.findall(r'<tr data-plan="([^"]+)"><td class="num">\d+</td><td>([^<]+)</td>', plan)
    assert rows == [
        ("buy: Unified CRM API", "Salesforce"),
        ("build", "Slack"),
        ("left out", "Workday"),
        ("buy: Unified CRM API", "HubSpot"),
        ("build", "Jira"),
        ("buy: Unified CRM API", "Pipedrive"),
    ]
    assert "Hours: 248 h used of 500 h, 252 h left" in plan
    assert '<tr data-category="CRM"><td>CRM</td><td class="num">3</td>' in html
    assert 'id="plan-rules">Rules 4, 5, 6 test the plan' in html
