"""The exports of examples/exports/ that need only what rows mean (issue 22, part B): each
ranks as worked out by hand below, `init --from` writes a config that ranks it the same with no
edit, and `check` reports the rows that name no integration. (Both engines: the differential
in test_duckdb_engine.py.) Then what `init --from` decides on other shapes."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, run, write

EXPORTS = EXAMPLES / "exports"

# Each export's ranking as `rank -f csv` gives it, worked out by hand from the rows (scores are
# 100 × Σ weight × points / Σ weight × max points; the bands are the built-in model's).
RANKINGS = {
    # HubSpot deals: demand (requesters: companies; a deal with no company, a requester of its
    # own) with bands 3 -> 1, 10 -> 2 points, weight 40; pipeline: the sum of every deal's
    # Amount (over: requests, several deals of one company each counted), 100,000 -> 1,
    # 500,000 -> 2 points, weight 40. Maximum 40 × 2 + 40 × 2 = 160.
    "hubspot-deals": [
        # Salesforce: deals 9001 Acme 120,000, 9002 Globex 45,000, 9006 Hooli 200,000,
        # 9008 Wayne 250,000, 9009 Acme 90,000, 9021 Hooli 150,000, 9023 Stark 40,000,
        # 9024 Initech 65,000 = 960,000 -> 2; requesters Acme, Globex, Hooli, Wayne, Stark,
        # Initech = 6 -> 1: 100 × (40 + 80) / 160 = 75.
        "1,Salesforce,75,6,1,960000,2,6,,",
        # Slack: 9002 Globex 45,000, 9005 "acme corp" (Acme Corp) 15,000, 9011 no company
        # 5,000, 9012 Massive 300,000, 9013 Globex 70,000, 9016 Tyrell 110,000 = 545,000 -> 2;
        # requesters Globex, Acme, the anonymous deal, Massive, Tyrell = 5 -> 1: 75, below
        # Salesforce by demand (5 < 6).
        "2,Slack,75,5,1,545000,2,5,,demand",
        # NetSuite: 9003 Initech 30,000, 9008 Wayne 250,000, 9017 Oscorp 55,000, 9024 Initech
        # 65,000 = 400,000 -> 1; Initech, Wayne, Oscorp = 3 -> 1: 100 × 80 / 160 = 50.
        "3,NetSuite,50,3,1,400000,1,3,,",
        # Zendesk: 9007 Stark 60,000, 9016 Tyrell 110,000, 9022 Pied Piper 18,000 = 188,000
        # -> 1; 3 requesters -> 1: 50, below NetSuite by pipeline (demand equal).
        "4,Zendesk,50,3,1,188000,1,3,,pipeline",
        # QuickBooks: 9010 Vandelay (no amount), 9015 Soylent 25,000, 9020 Duff 12,000, 9026
        # Vehement 8,000 ("quickbooks") = 45,000 -> 0; 4 requesters -> 1: 100 × 40 / 160 = 25.
        "5,QuickBooks,25,4,1,45000,0,4,,",
        # Microsoft Teams: 9012 Massive 300,000, 9019 Wonka 35,000 = 335,000 -> 1; 2 -> 0:
        # 25, below QuickBooks by demand (2 < 4).
        "6,Microsoft Teams,25,2,0,335000,1,2,,demand",
    ],
    # Productboard notes: demand only (weight 40, bands 3 -> 1, 10 -> 2), each requester
    # weighted by its company's plan (Customer 1, Trial 0.5, none 1) — the company's latest
    # plan on every feature (per: account): Globex's is Customer (N-113), not the Trial of
    # its older note N-102. A note without a company is its e-mail domain's (N-103 and N-110:
    # initech.com); with a free-mail address, or none, it is a requester of its own.
    "productboard-notes": [
        # Salesforce: Acme 1 (N-101, N-119), bob@gmail.com 1, Hooli 0.5, Wayne 1,
        # initech.com 1, Massive 0.5, Vandelay 1 = 6 -> 1 point: 100 × 40 / 80 = 50.
        "1,Salesforce integration,50,6,1,7,,",
        # Slack: Globex 1 (N-102, N-113), initech.com 1, Acme 1 (N-106, N-119), Oscorp 0.5,
        # Pied Piper 1, al@hotmail.co.uk 1 = 5.5 -> 1: 50.
        "2,Slack integration,50,5.5,1,6,,demand",
        # Microsoft Teams: Globex 1 (Customer, its latest plan), tom@outlook.com 1, Tyrell 1
        # = 3 -> 1: 50 (with Globex's stale Trial it would be 2.5 -> 0).
        "3,Microsoft Teams integration,50,3,1,3,,demand",
        # HubSpot: Hooli 0.5, N-115 (no e-mail, no company) 1, Wonka 0.5, Cyberdyne 0.5 = 2.5;
        # Jira: Stark 1, Globex 1, Duff 0.5 = 2.5: both 0 points, equal on everything.
        "4,HubSpot integration,0,2.5,0,4,,",
        "4,Jira integration,0,2.5,0,3,,",
    ],
    # Canny votes: demand (weight 40, bands 3 -> 1, 10 -> 2) and account size from the
    # companies' MRR (weight 40, the ARR bands / 12: 8,333.33 -> 1, 41,666.67 -> 2), each
    # company's MRR its latest by vote date (the file is newest first) on every post.
    "canny-votes": [
        # Salesforce: Globex 12,000, Hooli 30,000 (its latest; 28,000 in August), Acme 9,000,
        # Wayne 25,000, tom@outlook.com (no MRR) = 76,000 -> 2; 5 requesters -> 1: 75.
        "1,Salesforce integration,75,5,1,76000,2,5,,",
        # Slack: Acme 9,000, Stark 4,000, Globex 12,000, Cyberdyne 3,500, Massive 7,000 =
        # 35,500 -> 1; 5 -> 1: 50.
        "2,Slack integration,50,5,1,35500,1,5,,",
        # Notion: Umbrella 1,500, Acme 9,000 (its latest MRR, not the 2,000 of its September
        # vote), Vandelay 3,000, Wonka 1,000 = 14,500 -> 1; 4 -> 1: 50, below Slack by demand.
        "3,Notion integration,50,4,1,14500,1,4,,demand",
        # HubSpot: initech.com (two votes, no MRR), Tyrell 6,000, Soylent 3,000 = 9,000 -> 1;
        # 3 -> 1: 50.
        "4,HubSpot integration,50,3,1,9000,1,3,,demand",
        # Zapier: bob@gmail.com, Oscorp 800, Duff 700, Pied Piper 600 = 2,100 -> 0; 4 -> 1: 25.
        "5,Zapier integration,25,4,1,2100,0,4,,",
    ],
    # Zendesk tickets: demand only (weight 40, bands 3 -> 1); the integrations are the tags
    # with the prefix integration_ (the prefix removed), an organization's tickets one
    # requester, a ticket without one its requester's e-mail domain (stark.com), or a
    # requester of its own on free mail.
    "zendesk-tickets": [
        # salesforce: Acme (5001, 5006), Hooli, Initech, Vandelay, Globex, rob@yahoo.com = 6
        "1,salesforce,50,6,1,6,,",
        # slack: Globex, Hooli (5004, 5019), Wayne, Duff (Integration_Slack), Nakatomi = 5
        "2,slack,50,5,1,5,,demand",
        # jira: bob@gmail.com, Oscorp (the tag twice: once), Cyberdyne, stark.com = 4
        "3,jira,50,4,1,4,,demand",
        # hubspot: stark.com, Soylent, Pied Piper = 3
        "4,hubspot,50,3,1,3,,demand",
        # microsoft_teams: Tyrell, Wonka = 2 -> 0 points
        "5,microsoft_teams,0,2,0,2,,",
    ],
}
UNNAMED = {  # the lines of the rows that name no integration
    "hubspot-deals": [5, 15, 19, 26],  # a blank Integration Requested (26: only spaces)
    "productboard-notes": [8, 18],  # notes linked to no feature
    "canny-votes": [2],  # a vote on a deleted post
    "zendesk-tickets": [4, 9, 15, 23],  # tags but none integration_ (9: no tags at all)
}


def ranking(export: str, *config: str) -> list[str]:
    result = run("rank", str(EXPORTS / f"{export}.csv"), *config, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1:]


@pytest.mark.parametrize("export", sorted(RANKINGS))
def test_each_export_ranks_as_worked_out_by_hand(export):
    config = str(EXPORTS / f"{export}-scoring.yaml")
    expected = RANKINGS[export]
    assert [line.removesuffix(",") for line in ranking(export, "-c", config)] == [
        line.removesuffix(",") for line in expected
    ]


@pytest.mark.parametrize("export", sorted(RANKINGS))
def test_init_from_the_export_ranks_it_the_same_with_no_edit(tmp_path, export):
    shutil.copy(EXPORTS / f"{export}.csv", tmp_path / f"{export}.csv")
    result = run("init", "--from", f"{export}.csv")
    assert result.exit_code == 0
    assert "todo:" not in result.stderr  # nothing left to decide
    written = run("rank", f"{export}.csv", "-f", "csv")  # the scoring.yaml just written
    committed = run(
        "rank", f"{export}.csv", "-c", str(EXPORTS / f"{export}-scoring.yaml"), "-f", "csv"
    )
    assert written.exit_code == 0
    assert written.stdout == committed.stdout
    assert written.stdout.splitlines()[1:] == [line for line in RANKINGS[export]]


@pytest.mark.parametrize("export", sorted(RANKINGS))
def test_check_reports_each_row_that_names_no_integration(export):
    config = str(EXPORTS / f"{export}-scoring.yaml")
    result = run("check", str(EXPORTS / f"{export}.csv"), "-c", config, "-f", "json")
    import json

    found = json.loads(result.stdout)["findings"]
    lines = [f["line"] for f in found if f["rule"] == "no-integration"]
    assert lines == UNNAMED[export]
    assert result.exit_code == 0  # warnings: nothing stops the ranking
    notice = run("rank", str(EXPORTS / f"{export}.csv"), "-c", config).stderr
    n = len(UNNAMED[export])
    assert f"{n} row{'s' * (n != 1)} name{'s' * (n == 1)} no integration" in notice


# --- init --from on other shapes ------------------------------------------------------------------


def init_from(tmp_path, text: str) -> tuple[str, str]:
    """(the scoring.yaml written, stderr) of `init --from` on an export."""
    write(tmp_path / "export.csv", text)
    result = run("init", "--from", "export.csv")
    assert result.exit_code == 0, result.stderr
    return (tmp_path / "scoring.yaml").read_text(), result.stderr


def test_the_requester_is_never_the_integration_and_a_status_is_no_weight(tmp_path):
    text = "Id,Requester,Requester email,Product,Status\n" + "".join(
        f"{i},Dana Lee,dana@acme.com,{p},{s}\n"
        for i, (p, s) in enumerate([("Slack", "open"), ("Jira", "solved"), ("Slack", "pending")])
    )
    config, _ = init_from(tmp_path, text)
    assert "  integration: Product\n" in config
    assert "  account: {column: account, else_email: Requester email}\n" in config
    assert "row_weight" not in config  # open / solved / pending is no stage
    assert "  # not used: Status\n" in config and "  # not used: Requester\n" in config


def test_jira_dates_and_mrr_bands_scaled_from_arr(tmp_path):
    text = "Summary,Component,Customer,MRR,Created\n" + "".join(
        f"s{i},{c},{a},{m},{d}\n"
        for i, (c, a, m, d) in enumerate(
            [
                ("Slack", "Acme", "900", "03/Dec/25 4:12 PM"),
                ("Jira", "Globex", "1200", "28/Nov/25 11:05 AM"),
                ("Slack", "Initech", "300", "01/Oct/25 9:00 AM"),
            ]
        )
    )
    config, stderr = init_from(tmp_path, text)
    assert 'dates: {formats: ["%d/%b/%y %I:%M %p"]}\n' in config
    assert "  account_mrr: {column: MRR, per: account}\n" in config
    # the built-in ARR bands (100,000 and 500,000) over 12 months
    assert (
        "    bands: [{min: 0, points: 0}, {min: 8333.33, points: 1}, {min: 41666.67, points: 2}]"
    ) in config
    assert "todo:" not in stderr
    assert run("rank", "export.csv", "--as-of", "2026-01-01").exit_code == 0


def test_what_init_cannot_decide_is_a_todo_line_named_on_stderr(tmp_path):
    text = "Account,Feature,Requested on\n" + "".join(
        f"{a},{f},{d}\n"
        for a, f, d in [
            ("Acme", "Slack", "01/02/2025"),
            ("Globex", "Slack", "03/04/2025"),
            ("Initech", "Jira", "05/06/2025"),
        ]
    )
    config, stderr = init_from(tmp_path, text)
    lines = config.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("dates:"))
    what = "every date reads as %m/%d/%Y and as %d/%m/%Y: keep the one the export uses"
    assert lines[line - 1] == f'dates: {{formats: ["%m/%d/%Y"]}}   # TODO: {what}'
    assert stderr.endswith(f"todo: scoring.yaml:{line}: {what}\n")


def test_no_integration_column_is_a_todo_not_a_guess(tmp_path):
    text = "Account,Notes\nAcme,call back\nGlobex,wants a demo\n"
    config, stderr = init_from(tmp_path, text)
    assert '  integration: "COLUMN"   # TODO: no column looks like the requested integrations' in (
        config
    )
    assert "todo: scoring.yaml:6: no column looks like the requested integrations" in stderr


def test_tags_without_a_shared_prefix_are_split_and_the_keep_left_to_decide(tmp_path):
    text = "Ticket,Tags\n1,salesforce vip\n2,slack billing\n3,salesforce\n"
    config, stderr = init_from(tmp_path, text)
    assert '  integration: {column: Tags, split: " "}   # one request per part   # TODO:' in config
    assert "keep: [salesforce, vip, slack, billing]" in stderr


def test_comma_joined_names_are_split_when_a_part_is_also_a_whole_cell(tmp_path):
    text = 'Features,Company\n"Slack, Microsoft Teams",Acme\nSlack,Globex\nJira,Initech\n'
    config, _ = init_from(tmp_path, text)
    assert '  integration: {column: Features, split: ","}   # one request per part\n' in config


def test_labels_split_by_commas_keep_those_with_the_shared_prefix(tmp_path):
    # Linear / GitHub labels: "integration-slack, customer-request" (one label in capitals,
    # as people type them). Only the integration- labels are integrations.
    text = (
        "ID,Labels,Customer\n"
        'ENG-1,"integration-slack, customer-request",Acme\n'
        'ENG-2,"integration-Salesforce, customer-request",Globex\n'
        "ENG-3,integration-slack,Initech\n"
        "ENG-4,bug,Umbrella\n"
        'ENG-5,"customer-request, integration-salesforce",Hooli\n'
    )
    config, _ = init_from(tmp_path, text)
    assert '  integration: {column: Labels, split: ",", keep: {prefix: integration-}}\n' in config
    ranked = run("rank", "export.csv", "-f", "csv").stdout.splitlines()
    # slack: Acme, Initech (2); salesforce: Globex, Hooli (2); bug and customer-request are
    # no integrations, and ENG-4 names none. A name is shown as first written.
    assert sorted(line.split(",")[1] for line in ranked[1:]) == ["Salesforce", "slack"]


def test_names_with_capitals_sharing_a_prefix_are_kept_whole(tmp_path):
    text = 'Apps,Company\n"Zoho-CRM; Jira",Acme\nZoho-Desk,Globex\n"Zoho-CRM; Slack",Initech\n'
    config, _ = init_from(tmp_path, text)
    assert '  integration: {column: Apps, split: ";"}   # one request per part\n' in config


def test_an_entity_prefix_and_accents_do_not_hide_the_integration_column(tmp_path):
    # Pipedrive writes "Deal - " before every deal column: "deal" must not rule it out.
    text = (
        "Deal - Title,Deal - Integrations needed,Deal - Organization\n"
        'Big deal,"Slack, Zoom",Acme\nOther,Slack,Globex\nThird,Zoom,Initech\n'
    )
    config, stderr = init_from(tmp_path, text)
    assert '  integration: {column: Deal - Integrations needed, split: ","}' in config
    assert "todo:" not in stderr
    (tmp_path / "scoring.yaml").unlink()
    (tmp_path / "scoring.schema.json").unlink()
    text = "Intégration,Client\nSlack,Acme\nSlack,Globex\nJira,Initech\n"
    config, stderr = init_from(tmp_path, text)
    assert "  integration: Intégration\n" in config
    assert "  account: Client\n" in config


def test_difficulties_outside_the_map_are_a_todo_on_the_map_line(tmp_path):
    # Story points (1, 2, 3, 5, 8): 8 has no points in the built-in map (1–5, S–XL).
    text = "Title,Component,Estimate\n" + "".join(
        f"t{i},{c},{e}\n"
        for i, (c, e) in enumerate(
            [("Slack", 1), ("Slack", 2), ("Jira", 8), ("Jira", 3), ("Zoom", 5)]
        )
    )
    config, stderr = init_from(tmp_path, text)
    lines = config.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("    map:"))
    what = "8 not in the map: give each its points (e.g. 8: 0)"
    assert lines[line - 1].endswith(f"   # TODO: {what}")
    assert f"todo: scoring.yaml:{line}: {what}\n" in stderr
