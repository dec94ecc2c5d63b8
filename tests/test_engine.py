"""The engine on hand-computed examples: requesters, aggregates, segments, maps, ties.

No disk: tables are read from bytes in memory."""

from __future__ import annotations

import io

import pytest

from intscore.engine.rank import rank
from intscore.engine.ranking import Flag
from intscore.model.loading import parse_config
from intscore.read.readers import ReadOptions, read_stream


def config(text: str):
    return parse_config(text, "scoring.yaml").model


def table(text: str, name: str = "r.csv", **options):
    data = io.BytesIO(text.encode("utf-8"))
    return read_stream(data, name, name.rpartition(".")[2], ReadOptions(**options))


def ranked(csv_text: str, config_text: str, name: str = "r.csv", **options):
    return rank([table(csv_text, name, **options)], config(config_text))


COUNT = """\
version: 1
criteria:
  - id: demand
    aggregate: count
    row_weight: {field: stage, map: {customer: 1, prospect: 0.5}, default: 1}
    scale: {min: 0, max: 4, points: 4}
"""


def test_one_requester_per_account_later_values_win():
    text = (
        "integration,account,stage\n"
        "A,acme,prospect\n"
        "A, ACME ,customer\n"  # same account, spelled differently: now a customer
        "A,Globex,\n"  # blank stage: default weight 1
        "A,Initech,partner\n"  # not in the map: default weight 1
    )
    r = ranked(text, COUNT)
    [item] = r.items
    assert item.criteria["demand"].value == 3.0
    assert [(q.account, q.rows) for q in item.requesters] == [
        ("acme", 2),
        ("Globex", 1),
        ("Initech", 1),
    ]


def test_without_an_account_column_every_row_is_a_requester():
    r = ranked("integration,stage\nA,customer\nA,customer\nA,prospect\n", COUNT)
    assert r.items[0].criteria["demand"].value == 2.5
    assert r.unbound == (("account", "no 'account' column: each row is a requester"),)


def test_blank_account_rows_carry_attributes_but_request_nothing():
    text = "integration,account,difficulty\nA,Acme,\nA,,2\n"
    cfg = COUNT + (
        "  - id: difficulty\n    field: difficulty\n    map: {1: 2, 2: 1}\n    weight: 1\n"
    )
    [item] = ranked(text, cfg).items
    assert item.criteria["demand"].value == 1.0
    assert item.criteria["difficulty"].value == "2"
    assert item.criteria["difficulty"].points == 1


SUMS = """\
version: 1
criteria:
  - id: all_arr
    field: arr
    aggregate: sum
    bands: [{min: 0, points: 0}, {min: 100, points: 1}]
  - id: customer_arr
    field: arr
    aggregate: sum
    where: {stage: [customer, Partner]}
    bands: [{min: 0, points: 0}, {min: 100, points: 1}]
  - id: mean_arr
    field: arr
    aggregate: mean
    scale: {min: 0, max: 100, points: 10}
  - id: min_arr
    field: arr
    aggregate: min
    scale: {min: 0, max: 100, points: 1}
  - id: max_arr
    field: arr
    aggregate: max
    scale: {min: 0, max: 100, points: 1}
"""


def test_aggregates_and_segments():
    text = (
        "integration,account,arr,stage\n"
        "A,Acme,$50,customer\n"
        "A,Acme,60,customer\n"  # later value wins: Acme's ARR is 60, counted once
        "A,Globex,30,prospect\n"
        "A,Initech,,partner\n"  # no ARR: skipped by the numeric aggregates
        "A,Hooli,10,PARTNER\n"
    )
    [item] = ranked(text, SUMS).items
    values = {cid: s.value for cid, s in item.criteria.items()}
    assert values == {
        "all_arr": 100.0,
        "customer_arr": 70.0,
        "mean_arr": pytest.approx(100 / 3),
        "min_arr": 10.0,
        "max_arr": 60.0,
    }
    assert item.criteria["all_arr"].points == 1
    assert item.criteria["customer_arr"].points == 0
    assert item.criteria["mean_arr"].points == pytest.approx(10 / 3)


def test_scale_clamps_and_lower_is_better():
    cfg = """\
version: 1
criteria:
  - id: effort
    field: weeks
    scale: {min: 2, max: 10, points: 4, direction: lower_is_better}
"""
    r = ranked("integration,weeks\nA,1\nB,6\nC,12\n", cfg)
    assert [(i.integration, i.criteria["effort"].points) for i in r.items] == [
        ("A", 4.0),
        ("B", 2.0),
        ("C", 0.0),
    ]


DIFFICULTY = """\
version: 1
criteria:
  - id: demand
    aggregate: count
    bands: [{min: 0, points: 0}, {min: 1, points: 1}]
  - id: difficulty
    field: difficulty
    map: {1: 2, 3: 1, 5: 0, S: 2, XL: 0}
    missing: 0
"""


def test_map_matches_case_insensitively_and_numbers_by_value():
    text = "integration,difficulty\nA, s \nB,3.0\nC,xl\nD,1\n"
    r = ranked(text, DIFFICULTY)
    points = {i.integration: i.criteria["difficulty"].points for i in r.items}
    assert points == {"A": 2, "B": 1, "C": 0, "D": 2}


def test_conflicting_values_take_the_fewest_points_and_flag():
    text = "integration,account,difficulty\nA,x,1\nA,y,5\nA,z,3\nA,w,1.0\n"
    [item] = ranked(text, DIFFICULTY).items
    score = item.criteria["difficulty"]
    assert (score.value, score.points, score.status) == ("5", 0, "conflict")
    assert [(s.value, s.line, s.points) for s in score.seen] == [
        ("1", 2, 2),
        ("5", 3, 0),
        ("3", 4, 1),
    ]
    assert item.flags == (Flag("conflict", "difficulty"),)


def test_unknown_category_scores_as_missing_and_is_flagged():
    [item] = ranked("integration,difficulty\nA,huge\n", DIFFICULTY).items
    assert (item.criteria["difficulty"].points, item.criteria["difficulty"].status) == (
        0,
        "unknown",
    )
    assert item.flags == (Flag("unknown", "difficulty"),)


def test_missing_error_stops_the_ranking():
    cfg = DIFFICULTY.replace("missing: 0", "missing: error")
    r = ranked("integration,difficulty\nA,1\nB,\n", cfg)
    [error] = r.errors
    assert (error.line, error.rule, error.text) == (
        3,
        "missing-value",
        "difficulty: no value for 'B'",
    )


def test_names_group_after_trimming_case_and_aliases():
    cfg = DIFFICULTY + "aliases:\n  Salesforce: [SFDC, Salesforce CRM]\n"
    text = (
        "integration,difficulty\n"
        "hubspot,1\nHubSpot,1\n HubSpot ,1\n"
        "SFDC,3\nsalesforce  crm,3\nsfdc,3\n"
    )
    r = ranked(text, cfg)
    assert [(i.integration, i.criteria["demand"].value) for i in r.items] == [
        ("HubSpot", 3.0),
        ("Salesforce", 3.0),
    ]


def test_shown_name_is_the_most_frequent_spelling_first_seen_on_a_tie():
    r = ranked("integration,difficulty\nslack,1\nSlack,1\nSlack,1\njira,1\nJIRA,1\n", DIFFICULTY)
    assert sorted(i.integration for i in r.items) == ["Slack", "jira"]


def test_ties_share_a_rank_and_are_listed_by_name():
    text = "integration,difficulty\nzeta,1\nAlpha,1\nmid,3\nBeta,3\nlast,5\n"
    r = ranked(text, DIFFICULTY)
    assert [(i.rank, i.integration) for i in r.items] == [
        (1, "Alpha"),
        (1, "zeta"),
        (3, "Beta"),
        (3, "mid"),
        (5, "last"),
    ]


def test_invalid_values_and_missing_columns_are_errors_blank_names_are_not_requests():
    cfg = SUMS
    text = "integration,account,arr,stage\nA,Acme,lots,customer\n,Globex,5,\n,,,\nB,Hooli,12k,\n"
    r = ranked(text, cfg)
    assert [(e.line, e.rule, e.text) for e in r.errors] == [
        (2, "invalid-value", "arr: 'lots' is not a number"),
    ]
    # Line 3 names no integration: a warning, not counted; line 4 is empty: nothing at all.
    assert [(w.line, w.rule, w.text) for w in r.warnings] == [
        (
            3,
            "no-integration",
            "integration: blank: the row names no integration and is not counted "
            "(fill in the cell to count it)",
        )
    ]
    assert [(i.rows, i.unnamed) for i in r.inputs] == [(2, 1)]
    r = ranked("integration,account\nA,x\n", cfg)
    assert [(e.line, e.rule, e.message) for e in r.errors] == [
        (
            1,
            "missing-column",
            "no 'arr' column (needed by all_arr, customer_arr, mean_arr, min_arr, max_arr)",
        )
    ]


def test_columns_mapping_and_decimal_comma():
    cfg = SUMS + "columns: {integration: Integration Requested, arr: Annual Revenue}\n"
    text = "Integration Requested;Annual Revenue\nA;€120.000,50\n"
    [item] = ranked(text, cfg, decimal=",").items
    assert item.criteria["all_arr"].value == 120000.5


def test_several_files_combine():
    b = "A:\n  - account: y\n  - account: x\nB:\n  account: z\n"
    tables = [table("integration,account\nA,x\n", "a.csv"), table(b, "b.yaml")]
    r = rank(tables, config(DIFFICULTY))
    assert [(i.integration, i.criteria["demand"].value) for i in r.items] == [
        ("A", 2.0),
        ("B", 1.0),
    ]
    assert [(s.format, s.rows) for s in r.inputs] == [("csv", 1), ("yaml", 3)]


def test_weights_are_relative():
    text = "integration,account,difficulty\nA,x,1\nB,y,5\nB,z,5\n"
    heavy = DIFFICULTY.replace("1}]", "1}]\n    weight: 40").replace(
        "missing: 0", "missing: 0\n    weight: 20"
    )
    light = DIFFICULTY.replace("1}]", "1}]\n    weight: 0.4").replace(
        "missing: 0", "missing: 0\n    weight: 0.2"
    )
    a = ranked(text, heavy)
    b = ranked(text, light)
    # A: demand 1 pt × 40 + difficulty 2 pts × 20 = 80 of 80; B: 40 of 80.
    assert [i.score for i in a.items] == [i.score for i in b.items] == [100.0, 50.0]


def test_rankings_sort_numerically_not_as_text():
    """100.0 ranks above 93.3, and 9.5 below 10.0 (as numbers, not strings)."""
    cfg = """\
version: 1
criteria:
  - id: value
    field: value
    scale: {min: 0, max: 1000, points: 100}
"""
    r = ranked("integration,value\nA,95\nB,100\nC,933\nD,1000\n", cfg)
    assert [(i.integration, i.score) for i in r.items] == [
        ("D", 100.0),
        ("C", 93.3),
        ("B", 10.0),
        ("A", 9.5),
    ]
    assert [i.rank for i in r.items] == [1, 2, 3, 4]


def test_yaml_numbers_and_booleans_as_names_stay_apart():
    """In YAML, 1 and true are equal as Python dict keys; they must not merge."""
    text = (
        "- {integration: 1, account: true, difficulty: 1}\n"
        "- {integration: true, account: 1, difficulty: 1}\n"
        "- {integration: true, account: yes, difficulty: 1}\n"
    )
    r = ranked(text, DIFFICULTY, name="r.yaml")
    got = {i.integration: sorted(q.account for q in i.requesters) for i in r.items}
    assert got == {"1": ["true"], "true": ["1", "true"]}


def test_ties_are_listed_by_the_name_shown_even_for_aliases():
    """An alias's canonical name is what sorts a tie, not the spelling in the rows."""
    cfg = DIFFICULTY + "aliases:\n  Zendesk: [aaa helpdesk]\n"
    r = ranked("integration,difficulty\naaa helpdesk,1\nMonday,1\n", cfg)
    assert [(i.rank, i.integration) for i in r.items] == [(1, "Monday"), (1, "Zendesk")]
