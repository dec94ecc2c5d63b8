"""Real request data, ranked right (issue 13): multi-select cells, several headers, dates,
latest_by, decay, conditions, blank accounts, empty segments, typo'd keys, init --from.
Every expected number is computed by hand in the comments."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run, write
from intscore.engine.rank import rank
from intscore.model.loading import load_config, parse_config
from intscore.read.rows import Table

COUNT = """version: 1
criteria:
  - id: demand
    aggregate: count
    scale: {min: 0, max: 100, points: 100}
"""


def ranked(*args: str) -> dict[str, dict]:
    result = run("rank", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {i["integration"]: i for i in json.loads(result.stdout)["ranking"]}


def demand(*args: str) -> dict[str, float]:
    return {name: i["criteria"]["demand"]["value"] for name, i in ranked(*args).items()}


# --- multi-value cells and several headers ------------------------------------------------------


def test_a_split_cell_is_one_request_per_part(tmp_path):
    config = (
        COUNT + "columns: {integration: {column: Integrations, split: ';'}, account: Account}\n"
    )
    write(tmp_path / "c.yaml", config)
    write(
        tmp_path / "r.csv",
        "Integrations,Account\n"
        '"Salesforce;HubSpot; Slack",Acme\n'  # three requests; spaces around parts trimmed
        '"Workday;;workday;SAP",Globex\n'  # an empty part skipped; Workday twice counts once
        "Salesforce,Globex\n",
    )
    assert demand("r.csv", "-c", "c.yaml") == {
        "Salesforce": 2.0,
        "HubSpot": 1.0,
        "Slack": 1.0,
        "SAP": 1.0,
        "Workday": 1.0,
    }


def test_without_a_split_check_says_the_cell_holds_several_names(tmp_path):
    write(tmp_path / "r.csv", 'integration,account\n"Salesforce;HubSpot",Acme\nA|B,Globex\n')
    write(tmp_path / "c.yaml", COUNT)
    found = json.loads(run("check", "r.csv", "-c", "c.yaml", "-f", "json").stdout)["findings"]
    assert [f["message"] for f in found if f["rule"] == "multi-value-cell"] == [
        "'Salesforce;HubSpot' looks like several integrations in one cell; to count each, add "
        'to scoring.yaml: columns: {integration: {column: integration, split: ";"}}',
        "'A|B' looks like several integrations in one cell; to count each, add to "
        'scoring.yaml: columns: {integration: {column: integration, split: "|"}}',
    ]


def test_two_exports_with_different_headers_rank_together(tmp_path):
    write(
        tmp_path / "c.yaml",
        COUNT + "columns: {integration: [Integration Requested, Post Title], "
        "account: [Account Name, Company]}\n",
    )
    write(tmp_path / "crm.csv", "Integration Requested,Account Name\nSlack,Acme\nJira,Acme\n")
    write(tmp_path / "votes.csv", "Post Title,Company\nSlack,Globex\nSlack,Acme\n")
    assert demand("crm.csv", "votes.csv", "-c", "c.yaml") == {"Slack": 2.0, "Jira": 1.0}


# --- dates, as_of, latest_by, decay -------------------------------------------------------------

DECAY = """version: 1
as_of: 2026-01-21
columns: {voted: Vote Date}
criteria:
  - id: demand
    aggregate: count
    row_weight:
      {field: stage, map: {customer: 1, trial: 0.5}, decay: {field: voted, half_life: 10d}}
    scale: {min: 0, max: 100, points: 100}
"""


def test_decay_halves_a_vote_every_half_life(tmp_path):
    write(tmp_path / "c.yaml", DECAY)
    write(
        tmp_path / "r.csv",
        "integration,account,stage,Vote Date\n"
        "A,today,customer,2026-01-21\n"  # age 0: 1
        "A,ten,customer,2026-01-11\n"  # age 10: 0.5
        "A,twenty,customer,2026-01-01\n"  # age 20: 0.25
        "A,trial,trial,2025-12-22\n"  # age 30: 0.5 × 0.125 = 0.0625
        "A,later,customer,2026-02-01\n"  # after as_of: age 0, 1 (and a warning)
        "A,odd,customer,2026-01-18\n",  # age 3: 0.5 ** 0.3 = 0.812252396...
    )
    value = demand("r.csv", "-c", "c.yaml")["A"]
    assert value == pytest.approx(1 + 0.5 + 0.25 + 0.0625 + 1 + 0.5**0.3, abs=1e-9)
    found = json.loads(run("check", "r.csv", "-c", "c.yaml", "-f", "json").stdout)["findings"]
    assert [(f["line"], f["message"]) for f in found if f["rule"] == "future-date"] == [
        (6, "2026-02-01 is after 2026-01-21 (as of): its age counts as 0")
    ]


def test_as_of_is_pinned_by_the_config_or_the_command_line(tmp_path):
    write(tmp_path / "c.yaml", DECAY)
    write(tmp_path / "r.csv", "integration,account,stage,Vote Date\nA,x,customer,2026-01-11\n")
    doc = json.loads(run("rank", "r.csv", "-c", "c.yaml", "-f", "json").stdout)
    assert doc["as_of"] == "2026-01-21"
    assert doc["ranking"][0]["criteria"]["demand"]["value"] == 0.5
    later = json.loads(
        run("rank", "r.csv", "-c", "c.yaml", "--as-of", "2026-01-31", "-f", "json").stdout
    )
    assert later["as_of"] == "2026-01-31"
    assert later["ranking"][0]["criteria"]["demand"]["value"] == 0.25  # age 20
    write(tmp_path / "today.yaml", DECAY.replace("as_of: 2026-01-21\n", ""))
    doc = json.loads(run("rank", "r.csv", "-c", "today.yaml", "-f", "json").stdout)
    assert doc["as_of"] == date.today().isoformat()
    assert "· as of 2026-01-21 ·" in run("rank", "r.csv", "-c", "c.yaml").stdout
    result = run("rank", "r.csv", "-c", "c.yaml", "--as-of", "yesterday")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --as-of takes a date like 2026-11-30, not 'yesterday'\n",
    )


def test_expect_refuses_a_ranking_that_ages_by_itself(tmp_path):
    write(tmp_path / "today.yaml", DECAY.replace("as_of: 2026-01-21\n", ""))
    write(tmp_path / "r.csv", "integration,account,stage,Vote Date\nA,x,customer,2026-01-11\n")
    run("rank", "r.csv", "-c", "today.yaml", "-f", "csv", "-o", "ranking.csv")
    result = run("check", "r.csv", "-c", "today.yaml", "--expect", "ranking.csv")
    assert result.exit_code == 1
    assert (
        "ranking.csv: error: the config counts ages (decay or within), so a committed ranking "
        "goes stale by itself as days pass; pin the day: as_of: YYYY-MM-DD in scoring.yaml, "
        "or --as-of [stale-ranking]"
    ) in result.stdout
    run("rank", "r.csv", "-c", "today.yaml", "--as-of", "2026-01-21", "-f", "csv", "-o", "p.csv")
    pinned = run("check", "r.csv", "-c", "today.yaml", "--as-of", "2026-01-21", "--expect", "p.csv")
    assert pinned.exit_code == 0, pinned.stdout


LATEST = """version: 1
latest_by: voted
criteria:
  - id: demand
    aggregate: count
    row_weight: {field: plan, map: {customer: 1, trial: 0.25}}
    scale: {min: 0, max: 100, points: 100}
"""


def test_latest_by_takes_an_accounts_values_from_its_latest_row_not_the_last_one(tmp_path):
    write(tmp_path / "c.yaml", LATEST)
    # A vote log, newest first: Acme is a customer now (its latest vote), a trial before.
    write(
        tmp_path / "r.csv",
        "integration,account,plan,voted\n"
        "A,Acme,customer,2026-03-01\n"
        "A,Acme,trial,2025-06-01\n"
        "A,Globex,,2026-02-01\n"  # a blank plan on the latest row: the older value stays
        "A,Globex,trial,2025-01-01\n",
    )
    # Acme 1 (customer) + Globex 0.25 (trial): later in the file would say 0.25 + 0.25.
    assert demand("r.csv", "-c", "c.yaml") == {"A": 1.25}
    assert demand("r.csv", "-c", "c.yaml") == demand("r.csv", "-c", "c.yaml")


def test_us_dates_need_a_format_and_say_so(tmp_path):
    write(tmp_path / "c.yaml", LATEST)
    write(tmp_path / "r.csv", "integration,account,plan,voted\nA,Acme,customer,3/15/2024\n")
    result = run("rank", "r.csv", "-c", "c.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: r.csv:2: voted: '3/15/2024' is not a date (ISO 8601, e.g. 2025-03-01; for "
        'other formats add dates: {formats: ["%m/%d/%Y"]})\n',
    )
    write(tmp_path / "us.yaml", LATEST + 'dates: {formats: ["%m/%d/%Y"]}\n')
    assert demand("r.csv", "-c", "us.yaml") == {"A": 1.0}


# --- conditions ---------------------------------------------------------------------------------

SEGMENTS = """version: 1
as_of: 2026-01-31
criteria:
  - id: seg
    field: arr
    aggregate: sum
    where: {WHERE}
    scale: {min: 0, max: 1000000, points: 100}
"""
ROWS = (
    "integration,account,arr,stage,created\n"
    "A,a1,100,customer,2026-01-30\n"  # age 1
    "A,a2,200,prospect,2025-12-01\n"  # age 61
    "A,a3,400,Closed Lost,2025-01-01\n"  # age 395
    "A,a4,800,,2026-01-15\n"  # age 16, blank stage
)


@pytest.mark.parametrize(
    ("where", "total"),
    [
        ("{stage: customer}", 100),
        ("{stage: [Customer, PROSPECT]}", 300),  # any of, any case
        ("{stage: {not: Closed Lost}}", 300),  # a blank stage fails every condition
        ("{stage: {not: [closed lost, prospect]}}", 100),
        ("{arr: {at_least: 200}}", 1400),
        ("{arr: {below: 400}}", 300),
        ("{arr: {at_least: 200, below: 800}}", 600),
        ("{created: {within: 30d}}", 900),  # ages 1 and 16
        ("{created: {within: 9w}}", 1100),  # 63 days: 1, 16 and 61
        ("{created: {within: 1y}}", 1100),  # 365 days
        ("{created: {after: 2025-12-01}}", 900),  # later than that day
        ("{created: {before: 2025-12-01}}", 400),
        ("{created: {after: 2025-01-01, before: 2026-01-15}}", 200),
        ("{stage: customer, created: {within: 2d}}", 100),
    ],
)
def test_each_condition_form_in_where(tmp_path, where, total):
    write(tmp_path / "c.yaml", SEGMENTS.replace("{WHERE}", where))
    write(tmp_path / "r.csv", ROWS)
    item = ranked("r.csv", "-c", "c.yaml")["A"]
    assert item["criteria"]["seg"]["value"] == total


def test_filter_drops_rows_before_anything_else(tmp_path):
    config = COUNT + "filter: {region: [EMEA, NA], arr: {at_least: 10000}}\n"
    write(tmp_path / "c.yaml", config)
    write(
        tmp_path / "r.csv",
        "integration,account,region,arr\n"
        "A,a,EMEA,20000\nA,b,APAC,20000\nA,c,NA,5000\nA,d,,50000\nB,e,na,10000\n",
    )
    assert demand("r.csv", "-c", "c.yaml") == {"A": 1.0, "B": 1.0}
    doc = json.loads(run("rank", "r.csv", "-c", "c.yaml", "-f", "json").stdout)
    assert doc["inputs"][0]["rows"] == 2 and doc["inputs"][0]["filtered"] == 3
    assert "· 3 rows filtered out ·" in run("rank", "r.csv", "-c", "c.yaml").stdout


def test_recommend_rules_take_every_condition_form(tmp_path):
    config = COUNT + (
        "recommend:\n"
        "  - when: {launched: {after: 2026-01-01}}\n    then: New\n"
        "  - when: {tier: {not: [free, trial]}, seats: {at_least: 50}}\n    then: Big\n"
        "  - then: Other\n"
    )
    write(tmp_path / "c.yaml", config)
    write(
        tmp_path / "r.csv",
        "integration,account,launched,tier,seats\n"
        "A,a,2026-02-01,free,10\nB,b,2025-02-01,enterprise,80\nC,c,,free,90\nD,d,,,100\n",
    )
    advice = {n: i["recommendation"]["label"] for n, i in ranked("r.csv", "-c", "c.yaml").items()}
    assert advice == {"A": "New", "B": "Big", "C": "Other", "D": "Other"}  # D: no tier fails


def test_an_empty_segment_scores_a_real_zero_and_missing_means_no_value(tmp_path):
    config = SEGMENTS.replace("{WHERE}", "{stage: customer}").replace(
        "points: 100}", "points: 100}\n    missing: 7"
    )
    write(tmp_path / "c.yaml", config)
    write(
        tmp_path / "r.csv",
        "integration,account,arr,stage\nA,a,500000,prospect\nB,b,,customer\n",
    )
    items = ranked("r.csv", "-c", "c.yaml")
    # A has ARR, but no customer: a real 0 (ok, 0 points). B has no ARR at all: missing (7).
    assert (items["A"]["criteria"]["seg"]["value"], items["A"]["criteria"]["seg"]["status"]) == (
        0.0,
        "ok",
    )
    assert items["A"]["criteria"]["seg"]["points"] == 0.0
    assert items["B"]["criteria"]["seg"]["status"] == "missing"
    assert items["B"]["criteria"]["seg"]["points"] == 7.0


# --- blank accounts and typo'd keys -------------------------------------------------------------


def test_blank_accounts_are_requesters_of_their_own_unless_they_carry_only_attributes(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,account,account_arr,stage,difficulty\n"
        "A,Acme,100000,customer,\n"
        ",,,,\n"
        "A,,50000,customer,\n"  # no account: its ARR and vote count
        "A,,20000,prospect,\n"  # another anonymous requester
        "A,,,,2\n"  # only the difficulty: an attribute of A, not a requester
        "A,Acme,,,\n",
    )
    item = ranked("r.csv")["A"]
    # demand: Acme 1 + 1 + 0.5; ARR 100,000 + 50,000 + 20,000; difficulty 2 from line 6.
    assert item["criteria"]["demand"]["value"] == 2.5
    assert item["criteria"]["account_size"]["value"] == 170000
    assert item["criteria"]["difficulty"]["value"] == "2"
    assert item["requesters"] == 3
    found = json.loads(run("check", "r.csv", "-f", "json").stdout)["findings"]
    assert [(f["line"], f["message"]) for f in found if f["rule"] == "blank-account"] == [
        (4, "no account: counted as a requester of its own for 'A'"),
        (5, "no account: counted as a requester of its own for 'A'"),
    ]


def test_a_blank_account_in_yaml_counts_too(tmp_path):
    write(
        tmp_path / "r.yaml",
        "Workday:\n  - {account: Globex, account_arr: 400000, stage: customer, difficulty: 5}\n"
        "  - {account_arr: 1200000, stage: customer}\n",
    )
    item = ranked("r.yaml")["Workday"]
    assert item["criteria"]["account_size"]["value"] == 1600000
    assert item["requesters"] == 2


def test_a_misspelled_key_is_reported_and_noted(tmp_path):
    write(
        tmp_path / "r.yaml",
        "- {integration: Workday, account: Globex, account_arr: 400000, difficulty: 5}\n"
        "- {integration: Workday, acount: Wayne, account_arr: 1200000}\n"
        "- {integration: Workday, account: Hooli, notes: 'call back'}\n",
    )
    found = json.loads(run("check", "r.yaml", "-f", "json").stdout)["findings"]
    assert [(f["line"], f["message"]) for f in found if f["rule"] == "unknown-field"] == [
        (2, "'acount' is not a field the config reads — did you mean 'account'?")
    ]
    result = run("rank", "r.yaml", "-f", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: r.yaml:2: 'acount' is not a field the config reads — did you mean 'account'?\n"
    )


# --- init --from ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "columns", "unmapped", "dates", "criteria", "integrations"),
    [
        (
            "salesforce-opportunities.csv",
            '  integration: {column: Integrations Requested, split: ";"}   # one request per part\n'
            "  account: Account Name\n"
            "  amount: Amount\n"  # a deal's amount: every deal counts (over: requests)
            "  created: Created Date\n",
            # Stage is a deal's (Closed Won, Prospecting), not a customer/prospect: no weight
            ["Opportunity Name", "Stage", "Close Date", "Type", "Opportunity Owner"],
            'dates: {formats: ["%m/%d/%Y"]}\n',  # US dates
            ["demand", "pipeline"],
            10,  # integrations, multi-select cells split
        ),
        (
            "votes.csv",
            "  integration: Post Title\n"
            "  account: {column: Company, else_email: Voter Email}\n"
            "  account_arr: {column: Company ARR, per: account}\n"  # the account's, not a vote's
            "  created: Vote Date\n"
            "  stage: {column: Plan, per: account}\n",
            [],
            None,  # ISO dates need no format
            ["demand", "account_size"],
            8,
        ),
    ],
)
def test_init_from_an_export_writes_a_config_that_ranks_it(
    tmp_path, example, columns, unmapped, dates, criteria, integrations
):
    shutil.copy(EXAMPLES / example, tmp_path / example)  # the export, next to its new config
    path = example
    result = run("init", "--from", path)
    assert result.exit_code == 0, result.stderr
    assert "todo:" not in result.stderr  # nothing left to decide
    text = (tmp_path / "scoring.yaml").read_text()
    assert columns in text
    for header in unmapped:
        assert f"  # not used: {header}\n" in text
    assert text.count("# not used:") == len(unmapped)
    assert (dates in text) if dates else ("dates:" not in text)
    assert "latest_by: created " in text
    # The criteria are the built-in model's, as far as the export can feed them.
    written = load_config(str(tmp_path / "scoring.yaml"), cached=False).model
    builtin = {c.id: c for c in load_config(None).model.criteria}
    assert [c.id for c in written.criteria] == criteria
    for c in written.criteria:
        like = builtin["account_size" if c.id == "pipeline" else c.id]
        assert (c.bands, c.weight) == (like.bands, like.weight)
    assert (tmp_path / "scoring.schema.json").exists()
    ranking = ranked(path)  # the config found next to it: the one just written
    assert len(ranking) == integrations
    assert run("check", path).exit_code in (0, 1)  # usable: findings at most, never exit 2
    assert os.path.exists(tmp_path / "scoring.yaml")


def test_init_from_an_export_with_a_difficulty_column_takes_the_builtin_map(tmp_path):
    rows = "".join(f"{n},acct{i},{d}\n" for i, (n, d) in enumerate([("A", "3"), ("B", "S")] * 3))
    write(tmp_path / "x.csv", "Integration,Account,T-Shirt Size\n" + rows)
    assert run("init", "--from", "x.csv").exit_code == 0
    written = {c.id: c for c in load_config(str(tmp_path / "scoring.yaml")).model.criteria}
    builtin = {c.id: c for c in load_config(None).model.criteria}
    assert written["difficulty"].field == "difficulty"
    for attribute in ("map", "missing", "weight", "kind", "label"):
        assert getattr(written["difficulty"], attribute) == getattr(
            builtin["difficulty"], attribute
        )
    assert ranked("x.csv")["B"]["criteria"]["difficulty"]["points"] == 2  # S: 2 points


def test_the_examples_a_pm_recognises_rank_as_committed():
    sf = ranked(
        str(EXAMPLES / "salesforce-opportunities.csv"),
        "-c",
        str(EXAMPLES / "salesforce-scoring.yaml"),
    )
    assert next(iter(sf)) == "SAP SuccessFactors"
    assert sf["Jira"]["criteria"]["lost_revenue"]["value"] == 465000
    votes = ranked(str(EXAMPLES / "votes.csv"), "-c", str(EXAMPLES / "votes-scoring.yaml"))
    assert list(votes)[-1] == "Workday"  # ten accounts asked, but long ago
    assert votes["Workday"]["requesters"] == 10


# --- properties ---------------------------------------------------------------------------------

PROPERTY_CONFIG = parse_config(
    """version: 1
latest_by: voted
columns: {integration: {column: integration, split: ";"}}
criteria:
  - id: demand
    aggregate: count
    row_weight: {field: plan, map: {customer: 1, trial: 0.5}}
    bands: [{min: 0, points: 0}, {min: 2, points: 1}, {min: 4, points: 2}]
    weight: 2
  - id: arr
    field: arr
    aggregate: sum
    bands: [{min: 0, points: 0}, {min: 1000, points: 1}]
    weight: 1
tiebreak: [demand, arr]
""",
    "p.yaml",
).model
NAMES = ["Slack", "Jira", "Workday", "Zendesk"]


def table(rows: list[list[str]]) -> Table:
    header = ["integration", "account", "plan", "arr", "voted"]
    return Table("r.csv", "csv", header, iter([(n + 2, list(r)) for n, r in enumerate(rows)]))


def summary(rows: list[list[str]]) -> list[tuple]:
    ranking = rank([table(rows)], PROPERTY_CONFIG)
    return [
        (i.rank, i.integration, i.score, tuple(i.criteria[c].value for c in ("demand", "arr")))
        for i in ranking.items
    ]


@st.composite
def vote_logs(draw):
    """Votes with a distinct date each (so "latest" is never a tie), plans and ARR that
    change over time, some names in one multi-value cell."""
    n = draw(st.integers(1, 30))
    days = draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n, unique=True))
    rows = []
    for day in days:
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))
        rows.append(
            [
                ";".join(names),
                draw(st.sampled_from(["Acme", "Globex", "Hooli"])),
                draw(st.sampled_from(["customer", "trial", ""])),
                draw(st.sampled_from(["", "500", "1500"])),
                date.fromordinal(738000 + day).isoformat(),
            ]
        )
    return rows


@settings(max_examples=100, deadline=None)
@given(vote_logs(), st.randoms(use_true_random=False))
def test_row_order_never_changes_the_ranking_even_with_latest_by(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert summary(shuffled) == summary(rows)


@settings(max_examples=100, deadline=None)
@given(vote_logs())
def test_splitting_a_cell_equals_one_row_per_part(rows):
    one_per_part = [[name, *rest] for cell, *rest in rows for name in cell.split(";")]
    assert summary(one_per_part) == summary(rows)
