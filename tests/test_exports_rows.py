"""Exports as they come, what rows mean (issue 22, part B): rows that name no integration,
`keep`, `,` in multi-value cells, `else_email`, `per: account`, `over: requests`, filters on
canonical names, and the smaller items (unknown-category's line, whole steps for counts, tie
footers, plurals). Both engines are compared in test_duckdb_engine.py."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run, write
from intscore.model.aggregates import Binding, Removal, aggregate, resampled_aggregates
from intscore.model.compiled import Criterion


def rank_csv(tmp_path, csv_text: str, config: str, *args: str):
    data = write(tmp_path / "in.csv", csv_text)
    cfg = write(tmp_path / "s.yaml", config)
    return run("rank", str(data), "-c", str(cfg), *args)


def rows_of(result) -> list[tuple[str, ...]]:
    """`rank -f csv` as (integration, score, ...) tuples, without the header."""
    lines = result.stdout.strip().splitlines()[1:]
    return [tuple(line.split(",")) for line in lines]


COUNT = """version: 1
criteria:
  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}
"""


# --- 1. rows that name no integration -------------------------------------------------------------


def test_rows_that_name_no_integration_are_not_counted_and_rank_says_so_once(tmp_path):
    text = (
        "integration,account\n"
        "Slack,Acme\n"
        ",Globex\n"  # line 3: no integration
        "Slack,Initech\n"
        " ,Hooli\n"  # line 5: blank
        ",\n"  # line 6: an empty row, nothing to say
        "Jira,Acme\n"
        ",Stark\n"  # line 8
        ",Wayne\n"  # line 9
    )
    result = rank_csv(tmp_path, text, COUNT, "-f", "csv")
    assert result.exit_code == 0
    # Slack: Acme and Initech, 2 requesters -> 1 point, 100.0; Jira: 1 -> 0 points.
    assert rows_of(result) == [
        ("1", "Slack", "100", "2", "1", "2", ""),
        ("2", "Jira", "0", "1", "0", "1", ""),
    ]
    assert result.stderr == (
        f"note: {tmp_path / 'in.csv'}: 4 rows name no integration (lines 3, 5, 8, …); "
        "not counted (intscore check lists them)\n"
    )
    check = run("check", str(tmp_path / "in.csv"), "-c", str(tmp_path / "s.yaml"), "-f", "json")
    found = [
        (f["line"], f["severity"], f["message"])
        for f in json.loads(check.stdout)["findings"]
        if f["rule"] == "no-integration"
    ]
    blank = "blank: the row names no integration and is not counted (fill in the cell to count it)"
    assert found == [(n, "warning", blank) for n in (3, 5, 8, 9)]
    assert check.exit_code == 0  # warnings only


def test_one_row_naming_no_integration_is_said_in_the_singular(tmp_path):
    result = rank_csv(tmp_path, "integration,account\nSlack,Acme\n,Globex\n", COUNT)
    assert result.stderr == (
        f"note: {tmp_path / 'in.csv'}: 1 row names no integration (line 3); not counted "
        "(intscore check lists them)\n"
    )
    assert "· 1 row from " in result.stdout  # not "1 rows"


def test_a_file_in_which_no_row_names_an_integration_is_an_error_listing_its_headers(tmp_path):
    text = "integration,Product Area,account\n,Slack,Acme\n,Jira,Globex\n"
    result = rank_csv(tmp_path, text, COUNT)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'in.csv'}:1: integration: no row names an integration: "
        "'integration' is blank in all 2 rows with data; if another column holds the "
        'integrations, map it in scoring.yaml: columns: {integration: "COLUMN"} '
        "(columns: 'Product Area', 'account')\n"
    )


def test_the_filter_applies_before_rows_that_name_no_integration(tmp_path):
    config = COUNT + "filter: {region: EMEA}\n"
    text = "integration,account,region\nSlack,Acme,EMEA\n,Globex,NA\n,Initech,EMEA\n"
    result = rank_csv(tmp_path, text, config, "-f", "csv")
    # line 3 is filtered out (NA): not reported; line 4 passes the filter and names nothing
    assert "(line 4)" in result.stderr and "line 3" not in result.stderr
    doc = json.loads(rank_csv(tmp_path, text, config, "-f", "json").stdout)
    assert doc["inputs"][0] | {"file": "-"} == {
        "file": "-",
        "format": "csv",
        "rows": 1,
        "filtered": 1,
        "unnamed": 1,
    }


def test_a_filter_that_keeps_no_row_is_an_error_never_an_empty_ranking(tmp_path):
    config = COUNT + "filter: {integration: [Salesforce, HubSpot]}\n"
    text = "integration,account\nSlack,Acme\nJira,Globex\nSlack,Initech\n"
    result = rank_csv(tmp_path, text, config)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {tmp_path / 'in.csv'}: filter kept 0 of 3 rows, so there is nothing to rank; "
        "loosen `filter:` in scoring.yaml (integration Salesforce or HubSpot)\n"
    )
    check = run("check", str(tmp_path / "in.csv"), "-c", str(tmp_path / "s.yaml"))
    assert check.exit_code == 1
    assert "[nothing-to-rank]" in check.stdout


def test_a_header_without_rows_is_nothing_to_rank(tmp_path):
    result = rank_csv(tmp_path, "integration,account\n", COUNT)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'in.csv'}: no rows to rank (the input has a header but no data)\n"
    )


def test_yaml_rows_without_a_name_are_not_requests_either(tmp_path):
    write(tmp_path / "r.yaml", "- {integration: Slack, account: Acme}\n- {account: Globex}\n")
    result = run("rank", str(tmp_path / "r.yaml"), "-c", str(write(tmp_path / "s.yaml", COUNT)))
    assert result.exit_code == 0
    assert "1 row names no integration (line 2)" in result.stderr


def test_many_rows_naming_no_integration_are_counted_and_the_warnings_bounded(tmp_path):
    text = "integration,account\nSlack,Acme\n" + ",x\n" * 1005
    data = write(tmp_path / "in.csv", text)
    cfg = write(tmp_path / "s.yaml", COUNT)
    result = run("rank", str(data), "-c", str(cfg))
    assert "1,005 rows name no integration (lines 3, 4, 5, …)" in result.stderr
    found = json.loads(run("check", str(data), "-c", str(cfg), "-f", "json").stdout)["findings"]
    unnamed = [f for f in found if f["rule"] == "no-integration"]
    assert len(unnamed) == 1001  # the first 1,000 with their line, and how many more
    assert [f["line"] for f in unnamed[1:]] == list(range(3, 1003))
    assert (unnamed[0]["line"], unnamed[0]["message"]) == (
        None,
        "and 5 more rows that name no integration",
    )


# --- 2. keep --------------------------------------------------------------------------------------

TAGS = (
    "id,Tags,Organization\n"
    "1,integration_salesforce integration_slack vip,Acme\n"
    "2,vip billing,Globex\n"  # line 3: nothing kept
    "3,Integration_Slack,Initech\n"
    "4,integration_slack integration_slack,Hooli\n"  # one request: the same name twice
    "5,integration_SFDC,Stark\n"
)


@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        # prefix: removed from the name, any case; aliases after keep (SFDC -> Salesforce)
        (
            "{prefix: integration_}",
            [("1", "slack", "3"), ("2", "Salesforce", "2")],
        ),
        # names: whole parts, matched like names (any case), also through aliases
        # (integration_SFDC is Salesforce); integration_salesforce is not a name listed
        (
            "[INTEGRATION_SLACK, Salesforce]",
            [("1", "integration_slack", "3"), ("2", "Salesforce", "1")],
        ),
        # glob: whole parts that match (any case), as they are; then aliases
        (
            "{glob: 'integration_s*'}",
            [
                ("1", "integration_slack", "3"),
                ("2", "integration_salesforce", "1"),
                ("2", "Salesforce", "1"),
            ],
        ),
    ],
)
def test_keep_counts_only_the_parts_that_are_integrations(tmp_path, keep, expected):
    config = (
        "version: 1\n"
        f"columns: {{integration: {{column: Tags, split: ' ', keep: {keep}}}, "
        "account: Organization}\n"
        "aliases: {Salesforce: [SFDC, integration_sfdc]}\n"
        "criteria:\n"
        "  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 3, points: 1}]}\n"
    )
    result = rank_csv(tmp_path, TAGS, config, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert [(r[0], r[1], r[3]) for r in rows_of(result)] == expected
    assert "(line 3)" in result.stderr  # vip billing: no part kept


def test_the_warning_for_a_row_with_nothing_kept_says_which_keep(tmp_path):
    config = (
        "version: 1\ncolumns: {integration: {column: Tags, split: ' ', keep: {prefix: "
        "integration_}}, account: Organization}\n" + COUNT.split("\n", 1)[1]
    )
    write(tmp_path / "in.csv", TAGS)
    write(tmp_path / "s.yaml", config)
    check = run("check", "in.csv", "-c", "s.yaml")
    assert (
        "in.csv:3: warning: Tags: 'vip billing' has no part that keep (prefix integration_) "
        "keeps: the row names no integration and is not counted (widen keep to count it) "
        "[no-integration]"
    ) in check.stdout


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{column: Tags, keep: {prefix: ' '}}", "a blank prefix or glob keeps everything"),
        ("{column: Tags, keep: {prefix: a, glob: b}}", "give prefix, or glob, or a list"),
        ("{column: Tags, keep: []}", "list the names to keep"),
    ],
)
def test_keep_is_checked_where_it_is_written(tmp_path, entry, message):
    config = f"version: 1\ncolumns:\n  integration: {entry}\n" + COUNT.split("\n", 1)[1]
    result = rank_csv(tmp_path, TAGS, config)
    assert result.exit_code == 2
    assert "s.yaml:3: columns.integration" in result.stderr and message in result.stderr


def test_keep_and_else_email_apply_to_their_own_fields_only(tmp_path):
    config = "version: 1\ncolumns: {account: {column: a, keep: [x]}}\n" + COUNT.split("\n", 1)[1]
    result = rank_csv(tmp_path, TAGS, config)
    assert "account: keep applies to the integration column" in result.stderr
    config = "version: 1\ncolumns: {stage: {column: a, else_email: e}}\n" + COUNT.split("\n", 1)[1]
    assert (
        "stage: else_email applies to the account column" in rank_csv(tmp_path, TAGS, config).stderr
    )


# --- 3. `,` in multi-value cells ------------------------------------------------------------------


def test_a_comma_between_names_found_alone_is_a_multi_value_cell(tmp_path):
    text = (
        "integration,account\n"
        "Slack,Acme\n"
        '"Slack, Microsoft Teams",Globex\n'  # line 3: Slack is elsewhere a whole cell
        '"Pipes, Inc",Initech\n'  # a name with a comma: neither part is found alone
    )
    write(tmp_path / "in.csv", text)
    check = run("check", "in.csv")
    found = [line for line in check.stdout.splitlines() if "multi-value-cell" in line]
    assert found == [
        "in.csv:3: warning: integration: 'Slack, Microsoft Teams' looks like several "
        "integrations in one cell; to count each, add to scoring.yaml: columns: {integration: "
        '{column: integration, split: ","}} [multi-value-cell]'
    ]


# --- 4. else_email --------------------------------------------------------------------------------


def test_the_account_comes_from_the_e_mail_domain_where_the_account_is_blank(tmp_path):
    config = (
        "version: 1\ncolumns: {account: {column: Company, else_email: Email}}\n"
        "criteria:\n  - {id: arr, field: arr, aggregate: sum, bands: [{min: 0, points: 1}]}\n"
    )
    text = (
        "integration,Company,Email,arr\n"
        "Slack,Acme,dana@acme.com,10\n"
        "Slack,,bob@Acme.com,20\n"  # -> acme.com
        "Slack,,Dana Lee <dana@acme.com>,30\n"  # -> acme.com: the same requester, latest 30
        "Slack,,x@gmail.com,1\n"  # free mail: an anonymous requester
        "Slack,,y@hotmail.co.uk,1\n"  # free mail under a country ending
        "Slack,,not an address,1\n"  # no account
    )
    data = write(tmp_path / "in.csv", text)
    cfg = write(tmp_path / "s.yaml", config)
    doc = json.loads(run("rank", str(data), "-c", str(cfg), "-f", "json").stdout)
    (item,) = doc["ranking"]
    # Acme 10, acme.com 30 (its latest row), and three rows with no account: 5 requesters.
    assert (item["requesters"], item["accounts"]) == (5, ["Acme", "acme.com"])
    assert item["criteria"]["arr"]["value"] == 10 + 30 + 1 + 1 + 1
    check = run("check", str(data), "-c", str(cfg))
    assert check.stdout.count("[blank-account]") == 3  # lines 5, 6, 7


def test_an_e_mail_column_alone_gives_accounts_when_the_account_column_is_missing(tmp_path):
    config = (
        "version: 1\ncolumns: {account: {column: Company, else_email: [Requester email, Email]}}\n"
        "criteria:\n  - {id: demand, aggregate: count, bands: [{min: 0, points: 1}]}\n"
    )
    text = "integration,Email\nSlack,a@acme.com\nSlack,b@acme.com\nSlack,c@globex.com\n"
    doc = json.loads(rank_csv(tmp_path, text, config, "-f", "json").stdout)
    assert doc["ranking"][0]["accounts"] == ["acme.com", "globex.com"]


# --- 5. per: account ------------------------------------------------------------------------------

PER_ACCOUNT = """version: 1
columns: {mrr: {column: MRR, per: account}}
criteria:
  - {id: mrr, field: mrr, aggregate: sum, bands: [{min: 0, points: 0}, {min: 5000, points: 1}]}
"""


def test_an_account_fact_is_the_account_s_latest_value_on_every_integration(tmp_path):
    text = (
        "integration,account,MRR\n"
        "Notion,Acme,2000\n"  # an old vote: MRR 2,000 then
        "Slack,Acme,9000\n"  # Acme's latest MRR: 9,000, for Notion too
        "Slack,Globex,1000\n"
        "Notion,,2000\n"  # no account: its own value
        "Slack,Acme,\n"  # a blank value changes nothing
    )
    result = rank_csv(tmp_path, text, PER_ACCOUNT, "-f", "csv")
    # Slack: Acme 9,000 + Globex 1,000 = 10,000; Notion: Acme 9,000 (not 2,000) + 2,000.
    assert rows_of(result) == [
        ("1", "Notion", "100", "11000", "1", "2", ""),
        ("1", "Slack", "100", "10000", "1", "2", ""),
    ]
    # Without `per: account`, Notion keeps Acme's stale 2,000: 4,000, below the band.
    without = rank_csv(tmp_path, text, PER_ACCOUNT.replace(", per: account", ""), "-f", "csv")
    assert [r[1:4] for r in rows_of(without)] == [
        ("Slack", "100", "10000"),
        ("Notion", "0", "4000"),
    ]


def test_an_account_fact_follows_latest_by_not_the_file_order(tmp_path):
    config = PER_ACCOUNT + "latest_by: voted\n"
    text = (
        "integration,account,MRR,voted\n"
        "Slack,Acme,9000,2025-11-20\n"  # newest first, as vote logs are
        "Notion,Acme,2000,2025-01-05\n"
        "Slack,Globex,100,\n"  # undated: before every dated row
    )
    result = rank_csv(tmp_path, text, config, "--as-of", "2026-01-01", "-f", "csv")
    assert [r[1:4] for r in rows_of(result)] == [
        ("Notion", "100", "9000"),
        ("Slack", "100", "9100"),
    ]


# --- 6. over: requests ----------------------------------------------------------------------------

PIPELINE = """version: 1
criteria:
  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}
  - id: pipeline
    field: amount
    aggregate: sum
    over: requests
    where: {stage: {not: Closed Lost}}
    bands: [{min: 0, points: 0}, {min: 100000, points: 1}]
"""
DEALS = (
    "integration,account,amount,stage\n"
    "Salesforce,Acme,60000,Open\n"
    "Salesforce,Acme,50000,Open\n"  # a second deal of Acme: counted too
    '"Salesforce;Slack",Globex,30000,Open\n'
    "Salesforce,Hooli,90000,Closed Lost\n"  # outside the segment
    "Slack,,20000,Open\n"
)


def test_over_requests_sums_every_deal_not_each_account_s_last(tmp_path):
    config = PIPELINE + "columns: {integration: {column: integration, split: ';'}}\n"
    result = rank_csv(tmp_path, DEALS, config, "-f", "csv")
    # Salesforce: 60,000 + 50,000 + 30,000 = 140,000 (Hooli's lost deal left out) -> 1 point;
    # demand 3 (Acme, Globex, Hooli) -> 1 point: 100.0. Slack: 30,000 + 20,000; 2 requesters.
    assert rows_of(result) == [
        ("1", "Salesforce", "100", "3", "1", "140000", "1", "3", ""),
        ("2", "Slack", "50", "2", "1", "50000", "0", "2", ""),
    ]
    explained = run(
        "explain", "Salesforce", str(tmp_path / "in.csv"), "-c", str(tmp_path / "s.yaml")
    )
    assert (
        "  sum of Acme 60,000 + Acme 50,000 + Globex 30,000 over 3 requests "
        "(only stage not Closed Lost); band ≥ 100,000"
    ) in explained.stdout
    # Without Acme (both its deals): pipeline 30,000 -> 0 points, demand 2 -> 1 point: 50.0.
    assert "Costliest requester: without Acme, 100.0 → 50.0, rank 1 → 1." in explained.stdout


def test_over_requests_applies_to_sum_mean_min_max_only(tmp_path):
    config = (
        "version: 1\ncriteria:\n"
        "  - {id: d, aggregate: count, over: requests, bands: [{min: 0, points: 0}]}\n"
    )
    result = rank_csv(tmp_path, DEALS, config)
    assert result.exit_code == 2
    assert "over: requests applies to sum, mean, min and max, not to 'count'" in result.stderr


CRITERION_KINDS = ["sum", "mean", "min", "max"]


@given(
    kind=st.sampled_from(CRITERION_KINDS),
    requests=st.lists(
        st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(-50, 50))),
        min_size=1,
        max_size=12,
    ),
)
def test_leaving_out_or_resampling_a_requester_leaves_out_or_repeats_all_its_requests(
    kind, requests
):
    """Explain's "without" and sensitivity's resamples agree with aggregating the requests
    themselves (what ranking the rows without that requester, or with its rows repeated,
    gives)."""
    criterion = Criterion(
        "x",
        None,
        None,
        "value",
        "amount",
        kind,
        None,
        None,
        None,
        None,
        None,
        0.0,
        1.0,
        over="requests",
    )
    binding = Binding(criterion, ["amount"], 0)
    owners_seen = sorted({owner for owner, _ in requests})
    position = {owner: p for p, owner in enumerate(owners_seen)}
    rows = [[amount] for _, amount in requests]
    owners = [position[owner] for owner, _ in requests]
    n = len(owners_seen)

    def direct(chosen: list[int]) -> float | None:
        """The aggregate of the requests of these requesters (each as often as chosen)."""
        amounts = [
            float(row[0])
            for p in chosen
            for row, owner in zip(rows, owners, strict=True)
            if owner == p and row[0] is not None
        ]
        return aggregate(kind, amounts, None, None)

    value = direct(list(range(n)))
    removal = Removal(binding, rows, value, owners)
    for p in range(n):
        row = next(r for r, o in zip(rows, owners, strict=True) if o == p)
        assert removal.without(p, row) == direct([q for q in range(n) if q != p])
    draws = [random.Random(len(requests)).randrange(n) for _ in range(n * 3)]
    got = resampled_aggregates(binding, rows, draws, 3, owners, n)
    assert got == [direct(draws[b * n : (b + 1) * n]) for b in range(3)]


# --- 7. filter and where on canonical names -------------------------------------------------------


def test_filter_and_where_on_the_integration_compare_canonical_names(tmp_path):
    config = """version: 1
columns: {integration: {column: integration, split: ';'}}
aliases: {Salesforce: [SFDC]}
filter: {integration: {not: [Internal tool]}}
criteria:
  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 1, points: 1}]}
  - id: crm
    aggregate: count
    where: {integration: [sfdc, HubSpot]}
    bands: [{min: 0, points: 0}, {min: 1, points: 1}]
"""
    text = (
        "integration,account\n"
        "SFDC;internal  TOOL,Acme\n"  # the Internal tool part is dropped, SFDC kept
        "Slack,Globex\n"
        "Internal Tool,Initech\n"  # every part dropped: filtered out
    )
    result = rank_csv(tmp_path, text, config, "-f", "csv")
    # Salesforce: 1 requester, in the crm segment (SFDC is Salesforce) -> 2 of 2 points.
    assert rows_of(result) == [
        ("1", "Salesforce", "100", "1", "1", "1", "1", "1", ""),
        ("2", "Slack", "50", "1", "1", "0", "0", "1", ""),
    ]
    doc = json.loads(rank_csv(tmp_path, text, config, "-f", "json").stdout)
    assert (doc["inputs"][0]["rows"], doc["inputs"][0]["filtered"]) == (2, 1)


def test_a_number_test_on_the_integration_is_a_config_error(tmp_path):
    config = COUNT + "filter: {integration: {at_least: 3}}\n"
    result = rank_csv(tmp_path, "integration\nSlack\n", config)
    assert result.exit_code == 2
    assert "an integration is a name: test it with a value, a list of values or not" in (
        result.stderr
    )


def test_a_rule_on_the_integration_recommends_by_canonical_name(tmp_path):
    config = COUNT + (
        "aliases: {Salesforce: [SFDC]}\nrecommend:\n"
        "  - {when: {integration: [salesforce]}, then: Build, because: ours}\n"
        "  - {then: Buy, because: default}\n"
    )
    doc = json.loads(rank_csv(tmp_path, "integration\nSFDC\nSlack\n", config, "-f", "json").stdout)
    assert {i["integration"]: i["recommendation"]["label"] for i in doc["ranking"]} == {
        "Salesforce": "Build",
        "Slack": "Buy",
    }


# --- 9. the smaller items -------------------------------------------------------------------------


def test_unknown_category_points_at_the_row_with_the_value(tmp_path):
    text = (
        "integration,account,stage\n"
        "Slack,Acme,customer\n"
        "Slack,Acme,partner\n"  # line 3: Acme's latest stage, not in the map
        "Jira,Globex,customer\n"
    )
    write(tmp_path / "in.csv", text)
    check = run("check", "in.csv")
    assert (
        "in.csv:3: warning: stage: 'partner' is not one of customer, prospect; counted with "
        "weight 1 [unknown-category]"
    ) in check.stdout


def test_explain_suggests_whole_requesters_for_a_count(tmp_path):
    config = """version: 1
criteria:
  - {id: demand, aggregate: count, scale: {min: 0, max: 10, points: 10}, weight: 1}
  - id: size
    field: arr
    aggregate: sum
    bands: [{min: 0, points: 0}, {min: 500, points: 3.3}]
    weight: 1
"""
    text = "integration,account,arr\nA,a1,10\nA,a2,10\nA,a3,10\nB,b1,700\nB,b2,\nB,b3,\nB,b4,\n"
    data, cfg = write(tmp_path / "in.csv", text), write(tmp_path / "s.yaml", config)
    explained = run("explain", "A", str(data), "-c", str(cfg)).stdout
    # B scores 100 × (4 + 3.3) / 13.3 = 54.9, A 100 × 3 / 13.3 = 22.6: A needs 4.3 more points
    # of demand, a demand of 7.3 — that is 8 requesters (7 would not do).
    assert "  demand ≥ 8 (now 3): +37.6\n" in explained


def test_tie_footers_keep_the_labels_case(tmp_path):
    config = (
        "version: 1\ncriteria:\n  - {id: d, label: Demand from EMEA, aggregate: count, "
        "bands: [{min: 0, points: 0}, {min: 5, points: 1}]}\ntiebreak: [d]\n"
    )
    result = rank_csv(tmp_path, "integration,account\nA,x\nA,y\nB,z\n", config)
    assert "ranks 1–2 score 0.0; ordered by Demand from EMEA\n" in result.stdout
