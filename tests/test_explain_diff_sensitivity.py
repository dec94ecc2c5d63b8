"""`explain`, `diff` and `sensitivity` on hand-computed examples."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, ROOT, run, write
from intscore.analyses.sensitivity import Perturbation, sensitivity
from intscore.engine.rank import rank
from intscore.model.loading import load_config
from intscore.read.rows import Table


@pytest.fixture
def spec6(tmp_path: Path) -> str:
    shutil.copy(DATA / "spec6.csv", tmp_path / "requests.csv")
    return "requests.csv"


# --- explain ------------------------------------------------------------------------------------


def test_explain_shows_how_each_value_was_computed(spec6):
    result = run("explain", "hubspot", spec6)
    assert result.exit_code == 0
    assert result.stdout == (
        "HubSpot — rank 1 of 4, score 60.0\n"
        "Demand: 3.5 → 1 of 2 points, weight 40: adds 20.0\n"
        "  3.5 requesters = 3 customers × 1 + 1 prospect × 0.5; band 3 to <10\n"
        "Account size: 150,000 → 1 of 2 points, weight 40: adds 20.0\n"
        "  sum of Stark 60,000 + Umbrella 40,000 + Hooli 30,000 + Wayne 20,000; "
        "band 100,000 to <500,000\n"
        "Build difficulty: 1 → 2 of 2 points, weight 20: adds 20.0\n"
        "  '1' from requests.csv:6; map 1 → 2\n"
        "score = 20.0 + 20.0 + 20.0 = 60.0  (100 × Σ weight × points / 200)\n"
        "Recommendation: Buy (rule 8: default rule) — Not core, and a vendor (e.g. a unified "
        "API) can maintain it.\n"
        "Requesters (4): Hooli, Stark, Umbrella, Wayne\n"
        "Flags: none\n"
        # Hand-computed: without Stark (a $60,000 customer) demand drops to 2.5 (0 points)
        # and ARR to 90,000 (0 points), leaving difficulty's 20.0 — below Salesforce (50) and
        # Workday (40), above NetSuite (0). Any other requester costs less.
        "Costliest requester: without Stark, 60.0 → 20.0, rank 1 → 3.\n"
        "Ranked first: no integration scores more.\n"
        "config: built-in default\n"
    )


def test_explain_gap_to_the_next_rank(spec6):
    result = run("explain", "Salesforce", spec6)
    assert result.stdout.splitlines()[-7:-1] == [
        "Flags: none",
        "Costliest requester: without Acme, 50.0 → 30.0, rank 2 → 3.",
        "Next up: HubSpot (rank 1, 60.0), 10.0 points ahead.",
        "Any one of these would close the gap:",
        "  Build difficulty 1 (now 3): +10.0",
        "  Demand ≥ 3 (now 2.5): +20.0",
    ]


def test_explain_missing_value_and_json(spec6):
    doc = json.loads(run("explain", "NetSuite", spec6, "-f", "json").stdout)
    assert doc["rank"] == 4
    assert doc["flags"] == ["missing:difficulty"]
    assert doc["criteria"]["difficulty"]["how"] == "no value in any row"
    assert doc["criteria"]["demand"]["how"] == "0.5 requesters = 1 prospect × 0.5"
    assert doc["next_up"]["integration"] == "Workday"
    assert doc["next_up"]["gap"] == 40.0
    assert [s["needs"] for s in doc["next_up"]["steps"] if s["closes"]] == [
        "Demand ≥ 10 (now 0.5)",
        "Account size ≥ 500,000 (now 90,000)",
    ]


def test_explain_vs_spec_example(spec6):
    """SPEC §6: HubSpot vs Salesforce differ by 10.0 points:
    +40·1 demand, −40·1 ARR, +20·1 difficulty over 200 × 100."""
    result = run("explain", "HubSpot", spec6, "--vs", "Salesforce")
    assert result.exit_code == 0
    assert result.stdout == (
        "HubSpot 60.0 (rank 1) vs Salesforce 50.0 (rank 2): HubSpot scores 10.0 more\n"
        "Criterion              HubSpot    Salesforce   Δ points   Weight   Δ score\n"
        "──────────────────────────────────────────────────────────────────────────\n"
        "Demand                 3.5 (1)       2.5 (0)         +1       40     +20.0\n"
        "Account size       150,000 (1)   740,000 (2)         −1       40     −20.0\n"
        "Build difficulty         1 (2)         3 (1)         +1       20     +10.0\n"
        "Δ score = 100 × (+40·1 −40·1 +20·1) / 200 = +10.0\n"
        "config: built-in default\n"
    )
    doc = json.loads(run("explain", "HubSpot", spec6, "--vs", "Salesforce", "-f", "json").stdout)
    assert doc["difference"] == 10.0
    assert {k: v["difference"] for k, v in doc["criteria"].items()} == {
        "demand": 20.0,
        "account_size": -20.0,
        "difficulty": 10.0,
    }


def test_explain_unknown_name_suggests_the_closest(spec6):
    result = run("explain", "Salesfrce", spec6)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no integration called 'Salesfrce' in the input; did you mean 'Salesforce'?\n"
    )


def test_explain_finds_aliases(tmp_path):
    config = (ROOT / "scoring.yaml").read_text() + "aliases:\n  Salesforce: [SFDC]\n"
    write(tmp_path / "scoring.yaml", config)
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\nSFDC,a,1,1\n")
    result = run("explain", "sfdc", "r.csv")
    assert result.stdout.startswith("Salesforce — rank 1 of 1")


# --- diff ---------------------------------------------------------------------------------------

SWAP = "integration,account,account_arr,difficulty\n" + "".join(
    [f"Easy,a{i},10000,1\n" for i in range(3)] + [f"Big,b{i},300000,5\n" for i in range(2)]
)


def test_diff_weight_edit_swaps_two_integrations(tmp_path):
    # Easy: demand 3 -> 1 pt, ARR 30,000 -> 0, difficulty 1 -> 2.
    # Big:  demand 2 -> 0,    ARR 600,000 -> 2, difficulty 5 -> 0.
    # Weights 40/40/60 (÷ 280): Easy (40 + 120) = 57.1, Big 80 = 28.6.
    # Weights 40/100/60 (÷ 400): Easy 160 = 40.0, Big 200 = 50.0: they swap.
    write(tmp_path / "r.csv", SWAP)
    old = (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 60")
    new = old.replace(
        "{min: 500000, points: 2}]\n    weight: 40", "{min: 500000, points: 2}]\n    weight: 100"
    )
    write(tmp_path / "old.yaml", old)
    write(tmp_path / "new.yaml", new)
    doc = json.loads(
        run("diff", "r.csv", "--base-config", "old.yaml", "-c", "new.yaml", "-f", "json").stdout
    )
    got = [
        (i["integration"], i["old_rank"], i["new_rank"], round(i["old_score"], 1), i["new_score"])
        for i in doc["items"]
    ]
    assert got == [("Big", 2, 1, 28.6, 50.0), ("Easy", 1, 2, 57.1, 40.0)]
    assert doc["config_changes"] == ["account_size: weight 40 → 100"]
    assert doc["base"]["config"] == "old.yaml"
    assert doc["head"]["config"] == "new.yaml"


def test_diff_table_and_markdown(tmp_path):
    write(tmp_path / "r.csv", SWAP)
    write(
        tmp_path / "old.yaml",
        (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 60"),
    )
    write(
        tmp_path / "new.yaml",
        (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 5"),
    )
    result = run("diff", "r.csv", "--base-config", "old.yaml", "-c", "new.yaml", "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "### intscore: ranking changes\n"
        "\n"
        "`old.yaml` → `new.yaml`\n"
        "\n"
        "- difficulty: weight 60 → 5\n"
        "\n"
        "| Integration | Rank | Move | Score | Δ | Why |\n"
        "| :-- | --: | --: | --: | --: | :-- |\n"
        "| Big | 2 → 1 | ▲1 | 28.6 → 47.1 | +18.5 | difficulty weight 60→5 |\n"
        "| Easy | 1 → 2 | ▼1 | 57.1 → 29.4 | -27.7 | difficulty weight 60→5 |\n"
        "\n"
        "2 of the 2 shown changed rank\n"
    )
    table = run("diff", "r.csv", "--base-config", "old.yaml", "-c", "new.yaml").stdout
    assert table.splitlines()[:2] == [
        "base: old.yaml · head: new.yaml",
        "  difficulty: weight 60 → 5",
    ]
    assert table.splitlines()[4].split() == [
        "Big",
        "2",
        "→",
        "1",
        "▲1",
        "28.6",
        "→",
        "47.1",
        "+18.5",
        "difficulty",
        "weight",
        "60→5",
    ]


def test_diff_base_requests_and_top_entries(tmp_path):
    write(
        tmp_path / "old.csv",
        "integration,account,account_arr,difficulty\nA,x,1,1\nB,y,1,3\nC,z,1,5\n",
    )
    write(
        tmp_path / "new.csv",
        "integration,account,account_arr,difficulty\nA,x,1,5\nB,y,1,3\nD,z,1,1\n",
    )
    doc = json.loads(
        run("diff", "new.csv", "--base-requests", "old.csv", "--top", "1", "-f", "json").stdout
    )
    assert [
        (i["integration"], i["old_rank"], i["new_rank"], i["changed"]) for i in doc["items"]
    ] == [
        ("D", None, 1, []),
        ("B", 2, 2, []),
        ("A", 1, 3, ["difficulty"]),
        ("C", 3, None, []),
    ]
    assert (doc["entered_top"], doc["left_top"]) == (["D"], ["A"])


def test_diff_needs_something_to_compare(spec6):
    result = run("diff", spec6)
    assert (result.exit_code, result.stderr) == (
        2,
        "error: nothing to compare: give --base-config, --against or --base-requests\n",
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_diff_against_a_git_ref(tmp_path):
    shutil.rmtree(tmp_path / ".git")
    git(tmp_path, "init", "-q")
    write(tmp_path / "r.csv", SWAP)
    write(
        tmp_path / "scoring.yaml",
        (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 60"),
    )
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    write(
        tmp_path / "scoring.yaml",
        (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 5"),
    )
    git(tmp_path, "commit", "-qam", "lower difficulty weight")
    result = run("diff", "r.csv", "--against", "HEAD~1", "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["base"]["config"] == "scoring.yaml@HEAD~1"
    assert doc["config_changes"] == ["difficulty: weight 60 → 5"]
    assert [(i["integration"], i["old_rank"], i["new_rank"]) for i in doc["items"]] == [
        ("Big", 2, 1),
        ("Easy", 1, 2),
    ]
    result = run("diff", "r.csv", "--against", "no-such-ref")
    assert result.exit_code == 2
    assert result.stderr == "error: --against: 'no-such-ref' is not a commit in this repository\n"


def test_diff_against_outside_git(tmp_path):
    shutil.rmtree(tmp_path / ".git")
    write(tmp_path / "r.csv", SWAP)
    write(tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text())
    result = run("diff", "r.csv", "--against", "HEAD", "-c", "scoring.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"error: --against needs a git checkout, and {tmp_path} is not in one\n"


# --- sensitivity --------------------------------------------------------------------------------


def test_sensitivity_is_deterministic_for_a_seed():
    path = str(ROOT / "examples" / "requests.csv")
    a = run("sensitivity", path, "--seed", "7", "-f", "json").stdout
    assert a == run("sensitivity", path, "--seed", "7", "-f", "json").stdout
    assert a != run("sensitivity", path, "--seed", "8", "-f", "json").stdout


def test_sensitivity_with_no_spread_keeps_every_rank():
    path = str(ROOT / "examples" / "requests.csv")
    doc = json.loads(run("sensitivity", path, "--spread", "0", "--top", "3", "-f", "json").stdout)
    for item in doc["items"]:
        assert item["rank_p5"] == item["rank_p95"] == item["rank"] == item["median_rank"]
        assert item["top_share"] == (1.0 if item["rank"] <= 3 else 0.0)
        assert item["unstable"] is False


def test_sensitivity_table_flags_unstable_ranks():
    path = str(ROOT / "examples" / "requests.csv")
    result = run("sensitivity", path, "--top", "5", "--runs", "200")
    assert result.exit_code == 0
    assert "Workday" in result.stdout.splitlines()[-1]
    assert "unstable (in the top 5 in 20–80% of runs)" in result.stdout


CONFIG = load_config(None).model


def table(rows):
    header = ["integration", "account", "account_arr", "stage", "difficulty"]
    return Table("r.csv", "csv", header, iter([(n + 2, r) for n, r in enumerate(rows)]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 99_999), st.sampled_from(["3", "4", "5", ""])),
        min_size=1,
        max_size=12,
    ),
    st.floats(0.0, 0.9),
    st.integers(0, 2**32),
)
def test_a_clear_leader_stays_first(others, spread, seed):
    """A leader with the most points on every criterion has median rank 1 whatever the weights."""
    rows = [["Leader", f"L{i}", "600000", "customer", "1"] for i in range(10)]
    for n, (requesters, arr, difficulty) in enumerate(others):
        rows += [
            [f"Other {n}", f"o{n}-{i}", str(arr), "customer", difficulty] for i in range(requesters)
        ]
        rows.append([f"Other {n}", "", "", "", difficulty])
    ranking = rank([table(rows)], CONFIG)
    result = sensitivity(ranking, Perturbation(runs=50, spread=spread, top=1, seed=seed))
    leader = next(s for s in result if s.integration == "Leader")
    assert leader.median_rank == 1
    assert leader.top_share == 1.0


def test_sensitivity_benchmark_2000_integrations():
    """1,000 runs over 2,000 integrations and 3 criteria (figures in the issue note; the
    assertion only guards against an accidental quadratic blow-up)."""
    import random

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
    ranking = rank([table(rows)], CONFIG)
    started = time.perf_counter()
    result = sensitivity(ranking, Perturbation(runs=1000, spread=0.25, top=10, seed=0))
    elapsed = time.perf_counter() - started
    assert len(result) == 2000
    assert elapsed < 30


def test_diff_output_never_overwrites_a_config(tmp_path):
    write(tmp_path / "r.csv", SWAP)
    old = (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 60")
    write(tmp_path / "old.yaml", old)
    write(tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text())
    for target in ("old.yaml", "scoring.yaml"):
        result = run("diff", "r.csv", "--base-config", "old.yaml", "-f", "markdown", "-o", target)
        assert (result.exit_code, result.stderr) == (
            2,
            f"error: refusing to write over the input file {target}\n",
        )
    assert (tmp_path / "old.yaml").read_text() == old


def test_explain_next_up_tied_top_and_requesters_without_an_account(tmp_path, monkeypatch):
    # Built-in config (weights 40/40/20, Σ weight × max points = 200):
    #   Alpha: 3 customers (Demand 3 → 1 pt), ARR 150,000 (1 pt), difficulty 1 (2 pts)
    #          → 100 × (40 + 40 + 40) / 200 = 60.0
    #   Beta:  3 customers (1 pt), ARR 120,000 (1 pt), difficulty 1 (2 pts) → 60.0; the
    #          tiebreak (Demand 3 = 3, then Account size 150,000 > 120,000) ranks it 2
    #   Gamma: G1 and a row with no account (a requester of its own): Demand 2 (0 pts),
    #          ARR 50,000 (0 pts), difficulty 1 (2 pts) → 20.0
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "requests.csv",
        "integration,account,account_arr,stage,difficulty\n"
        "Alpha,A1,50000,customer,1\nAlpha,A2,50000,customer,1\nAlpha,A3,50000,customer,1\n"
        "Beta,B1,40000,customer,1\nBeta,B2,40000,customer,1\nBeta,B3,40000,customer,1\n"
        "Gamma,G1,50000,customer,1\nGamma,,,customer,1\n",
    )
    gamma = run("explain", "Gamma", "requests.csv").stdout.splitlines()
    # The next up is the nearest integration above that scores more: Beta (rank 2), the
    # first a rise in Gamma's score would pass, not Alpha (rank 1) at the same 60.0.
    assert "Next up: Beta (rank 2, 60.0), 40.0 points ahead." in gamma
    assert "Requesters (2): G1, line 9" in gamma
    doc = json.loads(run("explain", "Gamma", "requests.csv", "-f", "json").stdout)
    assert [doc["next_up"][k] for k in ("integration", "rank", "score", "gap")] == [
        "Beta",
        2,
        60.0,
        40.0,
    ]
    beta = run("explain", "Beta", "requests.csv").stdout.splitlines()
    assert "Ranked first: no integration scores more." not in beta
    assert "No integration scores more: it shares the top score; the tiebreak ranks it 2." in beta
    alpha = run("explain", "Alpha", "requests.csv").stdout.splitlines()
    assert "Ranked first: no integration scores more." in alpha
