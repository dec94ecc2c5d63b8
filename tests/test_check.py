"""`intscore check`: every rule, the output formats, exit codes, --strict and --expect."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run, write
from intscore.problems import RULES

PROBLEMS = "backlog-with-problems.csv"
EXPECT = "backlog-with-problems.ranking.csv"


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / PROBLEMS, tmp_path / PROBLEMS)
    shutil.copy(EXAMPLES / EXPECT, tmp_path / EXPECT)
    return tmp_path


TEXT = """\
backlog-with-problems.csv:1: warning: no 'stage' column [missing-column]
backlog-with-problems.csv:3: error: account_arr: 'lots' is not a number [invalid-value]
backlog-with-problems.csv:4: warning: 'Sales-force' looks like 'Salesforce' (line 2); \
if they are the same, add to scoring.yaml: aliases: {Salesforce: [Sales-force]} \
[near-duplicate-name]
backlog-with-problems.csv:5: warning: 'Acme' asks for 'Salesforce' again (first on line 2); \
it counts once [duplicate-request]
backlog-with-problems.csv:7: error: difficulty: 'Workday' is '3' here but '5' on line 6; \
ranked with '5' (fewest points) [conflicting-value]
backlog-with-problems.csv:8: error: difficulty: 'huge' for 'HubSpot' is not one of \
1, 2, 3, 4, 5, S, M, L, XL [unknown-category]
backlog-with-problems.csv:11: warning: 'Zendeks' looks like 'Zendesk' (line 9); \
if they are the same, add to scoring.yaml: aliases: {Zendesk: [Zendeks]} [near-duplicate-name]
backlog-with-problems.csv:12: warning: difficulty: no value for 'NetSuite' (scored 0 points) \
[missing-value]
backlog-with-problems.csv:13: warning: account_arr: 'Refunds API' has -5000, below the lowest \
band (0); scored 0 points [below-lowest-band]
backlog-with-problems.csv:14: warning: integration: blank: the row names no integration and \
is not counted (fill in the cell to count it) [no-integration]
backlog-with-problems.csv:15: error: row has 7 cells but the header has 5; is a delimiter or \
quote missing? [invalid-row]
backlog-with-problems.csv:16: warning: difficulty: no value for 'Data 100%: Pipes, Inc' \
(scored 0 points) [missing-value]
backlog-with-problems.csv:17: warning: difficulty: no value for 'Stripe Billing' \
(scored 0 points) [missing-value]
backlog-with-problems.csv:20: warning: 'Duff Brewing' asks for 'Stripe Billing' again \
(first on line 17); it counts once [duplicate-request]
backlog-with-problems.ranking.csv: error: the committed ranking is stale: Zendesk 3→2 \
(score 20.0→40.0), Salesforce 2→3, Refunds API 4→5 (was tied), the tie at 7 is now ordered \
(HubSpot 8, Data 100%: Pipes, Inc 9, Stripe Billing 10), Slack gone, column tiebreak added; \
refresh it with: intscore rank backlog-with-problems.csv -f csv -o \
backlog-with-problems.ranking.csv [stale-ranking]
5 errors and 10 warnings (1 file, 15 rows) · config: built-in default
"""


def test_problem_example_text_output(problems):
    result = run("check", PROBLEMS, "--expect", EXPECT)
    assert result.exit_code == 1
    assert result.stdout == TEXT
    assert result.stderr == ""


def test_problem_example_exercises_every_data_rule(problems):
    result = run("check", PROBLEMS, "--expect", EXPECT, "-f", "json")
    found = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    config_rules = {
        "zero-weight",
        "flat-bands",
        "unused-map",
        "duplicate-column",
        "unreadable-file",
        "formula-error",  # needs a formula config: tested in test_formulas_presets_rules.py
        "long-name",  # tested in test_hostile.py
        "blank-account",  # these four: tested in test_real_data.py
        "future-date",
        "unknown-field",
        "multi-value-cell",
        "ambiguous-number",  # these two: tested in test_percentages.py
        "no-smallest-item",
        "nothing-to-rank",  # no request at all: tested in test_exports_rows.py
        "no-build-hours",  # these three need a plan: tested in test_plan.py
        "unused-buy-option",
        "infeasible-plan",
        "estimates-disagree",  # these six: tested in test_estimates.py
        "unknown-integration",
        "estimate-not-allowed",
        "estimate-not-read",
        "missing-estimate",
        "estimate-overrides-data",
        "skipped-rows",  # these three: tested in test_exports_read.py
        "footer-rows",
        "repeated-column",
    }
    assert found == set(RULES) - config_rules


def test_github_annotations_escape_data_and_properties(problems):
    odd = problems / "q3: draft, 100%.csv"
    shutil.copy(problems / PROBLEMS, odd)
    result = run("check", odd.name, "-f", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    f = "q3%3A draft%2C 100%25.csv"
    assert lines[0] == f"::warning file={f},line=1,title=missing-column::no 'stage' column"
    assert lines[1] == (
        f"::error file={f},line=3,title=invalid-value::account_arr: 'lots' is not a number"
    )
    assert lines[11] == (
        f"::warning file={f},line=16,title=missing-value::difficulty: no value for "
        "'Data 100%25: Pipes, Inc' (scored 0 points)"
    )
    assert lines[13] == (
        f"::warning file={f},line=20,title=duplicate-request::'Duff%0ABrewing' asks for "
        "'Stripe Billing' again (first on line 17); it counts once"
    )
    # Then the plain list, since runners show only the first annotations.
    assert lines[14] == "q3: draft, 100%.csv:1: warning: no 'stage' column [missing-column]"
    assert lines[-1] == "4 errors and 10 warnings (1 file, 15 rows) · config: built-in default"


def test_auto_format_follows_github_actions(problems, monkeypatch):
    assert run("check", PROBLEMS).stdout.startswith("backlog-with-problems.csv:1: warning")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run("check", PROBLEMS).stdout.startswith("::warning file=backlog-with-problems.csv")


def test_json_findings_are_a_stable_list(problems):
    result = run("check", PROBLEMS, "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    assert findings[1] == {
        "file": "backlog-with-problems.csv",
        "line": 3,
        "severity": "error",
        "rule": "invalid-value",
        "field": "account_arr",
        "message": "'lots' is not a number",
    }
    assert result.stdout == run("check", PROBLEMS, "-f", "json").stdout


def test_clean_backlog_passes():
    result = run("check", str(EXAMPLES / "backlog.yaml"))
    assert result.exit_code == 0
    assert result.stdout == f"no problems (1 file, 14 rows) · config: {ROOT / 'scoring.yaml'}\n"


def test_warnings_pass_unless_strict():
    path = str(EXAMPLES / "requests.csv")
    result = run("check", path)
    assert result.exit_code == 0
    assert result.stdout.endswith(
        f"5 warnings (1 file, 70 rows) · config: {ROOT / 'scoring.yaml'}\n"
    )
    assert run("check", path, "--strict").exit_code == 1


def test_expect_passes_after_rank_and_fails_after_a_weight_edit(tmp_path):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    shutil.copy(ROOT / "scoring.yaml", tmp_path / "scoring.yaml")
    assert run("rank", "requests.csv", "-f", "csv", "-o", "ranking.csv").exit_code == 0
    result = run("check", "requests.csv", "--expect", "ranking.csv")
    assert result.exit_code == 0
    assert "stale-ranking" not in result.stdout

    config = (tmp_path / "scoring.yaml").read_text()
    (tmp_path / "scoring.yaml").write_text(config.replace("weight: 20", "weight: 60"))
    result = run("check", "requests.csv", "--expect", "ranking.csv")
    assert result.exit_code == 1
    [stale] = [line for line in result.stdout.splitlines() if "[stale-ranking]" in line]
    assert stale.startswith("ranking.csv: error: the committed ranking is stale: ")
    assert "HubSpot 4→3 (score 60.0→71.4), " in stale
    assert "Salesforce 3→7 (score 70.0→64.3), " in stale
    assert stale.endswith(
        "refresh it with: intscore rank requests.csv -f csv -o ranking.csv [stale-ranking]"
    )


def test_invalid_config_is_reported_in_the_chosen_format_and_exits_2(tmp_path):
    write(tmp_path / "scoring.yaml", "version: 1\ncriteria:\n  - id: x\n    wieght: 2\n")
    write(tmp_path / "r.csv", "integration\nA\n")
    result = run("check", "r.csv", "-f", "github")
    assert result.exit_code == 2
    assert result.stdout == (
        "::error file=scoring.yaml,line=4,title=config::criteria[0].wieght: Extra inputs are "
        "not permitted (did you mean 'weight'?)\n"
        "scoring.yaml:4: error: criteria[0].wieght: Extra inputs are not permitted "
        "(did you mean 'weight'?) [config]\n"
        "1 error (1 file, 0 rows)\n"
    )


def test_unreadable_files_are_findings_and_exit_2(tmp_path):
    write(tmp_path / "good.csv", "integration,account,account_arr,difficulty\nA,x,1,1\n")
    write(tmp_path / "dup.csv", "integration,Account,account\nA,x,y\n")
    write(tmp_path / "bad.yaml", "- integration: [\n")
    result = run("check", "good.csv", "dup.csv", "bad.yaml", "missing.json")
    assert result.exit_code == 2
    assert result.stdout == (
        "bad.yaml:2: error: invalid YAML: did not find expected node content [unreadable-file]\n"
        "dup.csv:2: error: Account: 'Account' appears 2 times: columns 2, 3; this field takes "
        "one value and the copies disagree ('x' in column 2, 'y' in column 3) "
        "[repeated-column]\n"
        "good.csv:1: warning: no 'stage' column [missing-column]\n"
        "missing.json: error: file not found [unreadable-file]\n"
        "3 errors and 1 warning (4 files, 2 rows) · config: built-in default\n"
    )


def test_check_never_stops_at_the_first_bad_row(tmp_path):
    rows = "".join(f"I{i},a{i},{'x' if i % 2 else i},1\n" for i in range(30))
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\n" + rows)
    result = run("check", "r.csv", "-f", "json")
    assert result.exit_code == 1
    invalid = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "invalid-value"]
    assert [f["line"] for f in invalid] == list(range(3, 32, 2))


CONFIG_SMELLS = """\
version: 1
criteria:
  - id: demand
    aggregate: count
    bands: [{min: 0, points: 1}, {min: 3, points: 1}]
    weight: 1
  - id: size
    field: account_arr
    aggregate: sum
    bands: [{min: 0, points: 2}, {min: 100, points: 1}]
    weight: 0
  - id: difficulty
    field: difficulty
    map: {S: 2, M: 1, L: 0}
"""


def test_config_smells_are_warnings_with_config_lines(tmp_path):
    write(tmp_path / "scoring.yaml", CONFIG_SMELLS)
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\nA,x,1,S\nB,y,2,M\n")
    result = run("check", "r.csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "scoring.yaml:5: warning: criteria[0].bands: every band of 'demand' gives 1 points "
        "[flat-bands]\n"
        "scoring.yaml:10: warning: criteria[1].bands: the points of 'size' never rise with the "
        "value; if lower is better, say `kind: effort` [flat-bands]\n"
        "scoring.yaml:11: warning: criteria[1].weight: 'size' has weight 0 and never counts "
        "[zero-weight]\n"
        "3 warnings (1 file, 2 rows) · config: scoring.yaml\n"
    )


def test_unused_map_and_unknown_stage(tmp_path):
    write(
        tmp_path / "r.csv", "integration,account,account_arr,stage,difficulty\nA,x,1,partner,huge\n"
    )
    result = run("check", "r.csv")
    assert result.stdout.splitlines()[:3] == [
        "built-in default:33: warning: criteria[2].map: no row has any of the keys of 'difficulty' "
        "(1, 2, 3, 4, 5, S, M, L, XL) [unused-map]",
        "r.csv:2: error: difficulty: 'huge' for 'A' is not one of 1, 2, 3, 4, 5, S, M, L, XL "
        "[unknown-category]",
        "r.csv:2: warning: stage: 'partner' is not one of customer, prospect; counted with "
        "weight 1 [unknown-category]",
    ]


def test_near_duplicates_ignore_digit_differences_and_catch_invisible_characters(tmp_path):
    names = [
        "Dynamics 365",
        "Dynamics 360",
        "Sales force",
        "Salesforce",
        "Service\u200bNow",
        "ServiceNow",
        "ServiceNow",
    ]
    rows = "".join(f"{n},acct{i},1,1\n" for i, n in enumerate(names))
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\n" + rows)
    result = run("check", "r.csv", "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    found = [f["message"] for f in findings if f["rule"] == "near-duplicate-name"]
    assert found == [
        "'Salesforce' looks like 'Sales force' (line 4); if they are the same, add to "
        "scoring.yaml: aliases: {Sales force: [Salesforce]}",
        "'Service\u200bNow' looks like 'ServiceNow' (line 7); if they are the same, add to "
        'scoring.yaml: aliases: {ServiceNow: ["Service\\u200bNow"]}',
    ]


ANNOTATIONS = """\
::warning file=backlog-with-problems.csv,line=1,title=missing-column::no 'stage' column
::error file=backlog-with-problems.csv,line=3,title=invalid-value::account_arr: 'lots' is not \
a number
::warning file=backlog-with-problems.csv,line=4,title=near-duplicate-name::'Sales-force' looks \
like 'Salesforce' (line 2); if they are the same, add to scoring.yaml: aliases: \
{Salesforce: [Sales-force]}
::warning file=backlog-with-problems.csv,line=5,title=duplicate-request::'Acme' asks for \
'Salesforce' again (first on line 2); it counts once
::error file=backlog-with-problems.csv,line=7,title=conflicting-value::difficulty: 'Workday' is \
'3' here but '5' on line 6; ranked with '5' (fewest points)
::error file=backlog-with-problems.csv,line=8,title=unknown-category::difficulty: 'huge' for \
'HubSpot' is not one of 1, 2, 3, 4, 5, S, M, L, XL
::warning file=backlog-with-problems.csv,line=11,title=near-duplicate-name::'Zendeks' looks like \
'Zendesk' (line 9); if they are the same, add to scoring.yaml: aliases: {Zendesk: [Zendeks]}
::warning file=backlog-with-problems.csv,line=12,title=missing-value::difficulty: no value for \
'NetSuite' (scored 0 points)
::warning file=backlog-with-problems.csv,line=13,title=below-lowest-band::account_arr: \
'Refunds API' has -5000, below the lowest band (0); scored 0 points
::warning file=backlog-with-problems.csv,line=14,title=no-integration::integration: blank: the \
row names no integration and is not counted (fill in the cell to count it)
::error file=backlog-with-problems.csv,line=15,title=invalid-row::row has 7 cells but the header \
has 5; is a delimiter or quote missing?
::warning file=backlog-with-problems.csv,line=16,title=missing-value::difficulty: no value for \
'Data 100%25: Pipes, Inc' (scored 0 points)
::warning file=backlog-with-problems.csv,line=17,title=missing-value::difficulty: no value for \
'Stripe Billing' (scored 0 points)
::warning file=backlog-with-problems.csv,line=20,title=duplicate-request::'Duff%0ABrewing' asks \
for 'Stripe Billing' again (first on line 17); it counts once
::error file=backlog-with-problems.ranking.csv,title=stale-ranking::the committed ranking is \
stale: Zendesk 3→2 (score 20.0→40.0), Salesforce 2→3, Refunds API 4→5 (was tied), the tie at 7 \
is now ordered (HubSpot 8, Data 100%25: Pipes, Inc 9, Stripe Billing 10), Slack gone, column \
tiebreak added; refresh it with: intscore rank backlog-with-problems.csv -f csv -o \
backlog-with-problems.ranking.csv
"""


def test_problem_example_exact_github_output(problems):
    """Annotations (with `%` and the newline in 'Duff\\nBrewing' escaped, `:` and `,` left as
    they are in messages), then the plain text list."""
    result = run("check", PROBLEMS, "--expect", EXPECT, "-f", "github")
    assert result.exit_code == 1
    assert result.stdout == ANNOTATIONS + TEXT
