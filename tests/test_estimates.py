"""Estimates from several people, through the CLI: the example team in examples/estimates/
(three estimators: Dana disagrees strongly on Workday, Lee misspells NetSuite, Sam — a product
manager — estimates build hours that `who` gives engineers only), estimators' files validated
like the config, a hostile folder bounded, the template, the report and the draws."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, run, write
from test_json_contracts import holds_to_contract

TEAM = EXAMPLES / "estimates"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """The example team, copied into the test's folder (a repository: it holds .git)."""
    for name in ("scoring.yaml", "requests.csv"):
        shutil.copy(TEAM / name, tmp_path / name)
    shutil.copytree(TEAM / "estimates", tmp_path / "estimates")
    return tmp_path


def estimate(team: Path, name: str, text: str) -> Path:
    return write(team / "estimates" / name, text)


# --- the example team ---------------------------------------------------------------------


CHECKED = """\
estimates/eng-dana.yaml:6: warning: difficulty: estimators disagree on 'Workday': \
Dana (platform team) 1, Lee 4, Sam (product) 5 (spread 4, above 2); the median 4 is used \
[estimates-disagree]
estimates/eng-lee.yaml:7: error: estimates: no request names 'Net Suite' (did you mean \
'NetSuite'?): its estimates are not used [unknown-integration]
estimates/pm-sam.yaml:5: error: estimates.HubSpot.build_hours: pm-sam may not estimate \
build_hours (who: eng-*): not used [estimate-not-allowed]
2 errors and 1 warning (1 file, 10 rows) · config: scoring.yaml
"""


def test_check_reports_exactly_the_teams_three_problems_with_file_and_line(team):
    result = run("check", "requests.csv", "-f", "text")
    assert result.stdout == CHECKED
    assert result.exit_code == 1


def test_rank_uses_the_medians(team):
    # difficulty's map {1: 2, 2: 2, 3: 1, 4: 0, 5: 0}; weights 40/40/20; every criterion's
    # most is 2 points, so a score is 100 × (40·d + 40·a + 20·f) / 200.
    # HubSpot: Dana 2, Lee 1, Sam 1 -> median 1 (2 pts); demand 3.5 (1 pt); ARR 150,000
    #   (1 pt): 100 × (40 + 40 + 40) / 200 = 60.0
    # Salesforce: 3, 3, 4 -> 3 (1 pt); demand 2.5 (0); ARR 740,000 (2): (0 + 80 + 20) / 2 = 50.0
    # Workday: 1, 4, 5 -> 4 (0 pts; Dana's 1 alone would give 2); demand 2 (0); ARR 1.1M (2):
    #   80 / 2 = 40.0
    # NetSuite: Dana 3, Sam 3 (Lee's 'Net Suite' names nobody) -> 3 (1 pt); 0.5 (0); 90,000
    #   (0): 20 / 2 = 10.0
    # build_hours (a `recommend` fact): Workday 400h and 480h -> 440 ≥ 400: Buy; the others
    # (Salesforce 300h, 40d = 320h -> 310; HubSpot 2w = 80h, 60h -> 70; NetSuite 200h) Build.
    result = run("rank", "requests.csv", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert [(r[1], r[2], r[7], r[8], r[-1]) for r in rows] == [
        ("HubSpot", "60", "1", "2", "Build in-house"),
        ("Salesforce", "50", "3", "1", "Build in-house"),
        ("Workday", "40", "4", "0", "Buy (unified API)"),
        ("NetSuite", "10", "3", "1", "Build in-house"),
    ]


def test_rank_names_the_estimated_fields_and_says_when_estimates_are_not_used(team):
    result = run("rank", "requests.csv")
    assert result.stdout.splitlines()[-1].startswith(
        "config: scoring.yaml · 10 rows from requests.csv · estimated: difficulty, build_hours"
    )
    # Lee's 'Net Suite' and Sam's hours count for nothing: said once, check says which.
    assert result.stderr == "note: 2 estimates are not used; intscore check says which and why\n"


def test_both_engines_rank_the_team_alike(team):
    python = run("rank", "requests.csv", "--engine", "python")
    fast = run("rank", "requests.csv", "--engine", "duckdb", "-v")
    assert fast.stdout == python.stdout
    assert "engine: duckdb" in fast.stderr


def test_explain_lists_each_estimators_value_and_the_combined_one(team):
    result = run("explain", "Workday", "requests.csv")
    lines = result.stdout.splitlines()
    assert lines[5:9] == [
        "Build difficulty: 4 → 0 of 2 points, weight 20: adds 0.0",
        "  the median of 3 estimates (Dana (platform team) 1, Lee 4, Sam (product) 5): 4, "
        "agreement low (range 1 to 5); map 4 → 0",
        "build_hours (estimated)",
        "  the median of 2 estimates (Dana (platform team) 400h, Lee 480h): 440h, agreement "
        "high (range 400h to 480h)",
    ]


def test_rank_json_carries_each_estimate_and_the_agreement(team):
    result = run("rank", "requests.csv", "-f", "json")
    document = holds_to_contract("rank -f json", result.stdout)
    by_name = {item["integration"]: item["estimates"] for item in document["ranking"]}
    workday = by_name["Workday"]["difficulty"]
    assert {k: workday[k] for k in ("combined", "min", "max", "n", "agreement")} == {
        "combined": 4.0,
        "min": 1.0,
        "max": 5.0,
        "n": 3,
        "agreement": "low",  # spread 5 - 1 = 4 > 2
    }
    assert [(e["estimator"], e["file"], e["line"], e["value"]) for e in workday["estimates"]] == [
        ("Dana (platform team)", "estimates/eng-dana.yaml", 6, 1.0),
        ("Lee", "estimates/eng-lee.yaml", 6, 4.0),
        ("Sam (product)", "estimates/pm-sam.yaml", 6, 5.0),
    ]
    # HubSpot's hours: Dana 2w = 80h, Lee 60h (Sam's 40h is not his to give): median 70,
    # spread 20; threshold 50% of 70 = 35: above 35 / 2 = 17.5, so medium.
    hours = by_name["HubSpot"]["build_hours"]
    assert (hours["combined"], hours["spread"], hours["threshold"]) == (70.0, 20.0, 35.0)
    assert (hours["n"], hours["agreement"]) == (2, "medium")
    assert by_name["NetSuite"]["build_hours"]["n"] == 1  # one estimate: high, and n says so
    assert by_name["NetSuite"]["build_hours"]["agreement"] == "high"


def test_rank_json_without_an_estimates_section_says_null(tmp_path):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    items = json.loads(run("rank", "requests.csv", "-f", "json").stdout)["ranking"]
    assert {item["estimates"] for item in items} == {None}


def test_the_report_shows_each_integrations_range_of_estimates(team):
    result = run("report", "requests.csv", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    page = (team / "report.html").read_text()
    row = page.split('<tr data-integration="Workday" data-field="difficulty">')[1].split("</tr>")[0]
    assert '<td class="num range">1 – 5</td>' in row
    assert '<td class="agreement-low">low (n=3)</td>' in row
    assert "Dana (platform team) 1, Lee 4, Sam (product) 5" in row
    assert 'title="median of 3 estimates, range 1 to 5, agreement low"' in page


def test_sensitivity_draws_from_the_estimates(team):
    # Only Workday's difficulty can move a rank: a draw of Dana's 1 gives it 2 points and
    # 60.0, over Salesforce's 50.0 (Lee's 4 and Sam's 5 give 0). HubSpot (1, 1, 2: always
    # 2 points) stays first; NetSuite (3, 3) last.
    result = run("sensitivity", "requests.csv", "--vary", "estimates", "--top", "2", "-f", "json")
    document = holds_to_contract("sensitivity -f json", result.stdout)
    share = {i["integration"]: i["top_share"] for i in document["items"]}
    assert share["HubSpot"] == 1.0 and share["NetSuite"] == 0.0
    assert 0.25 < share["Workday"] < 0.42  # a third of the draws, give or take
    assert share["Salesforce"] == pytest.approx(1 - share["Workday"])
    assert document["vary"] == "estimates"


def test_sensitivity_of_estimates_needs_an_estimates_section(tmp_path):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    result = run("sensitivity", "requests.csv", "--vary", "estimates")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --vary estimates draws from the estimators' files, but this config has no "
        "`estimates:` section\n"
    )


# --- the data and the estimates -----------------------------------------------------------


def test_an_estimate_overrides_the_data_and_check_says_where_they_differ(team):
    write(
        team / "requests.csv",
        "integration,account,account_arr,stage,difficulty,build_hours\n"
        "Salesforce,Acme,250000,customer,3,310\n"  # the medians are 3 and 310 too
        "HubSpot,Umbrella,40000,customer,5,100\n"  # the medians are 1 and 70: they win
        "Workday,Globex,400000,customer,,\n"
        "NetSuite,Initech,90000,prospect,,\n",
    )
    result = run("check", "requests.csv", "--ignore", "estimates-disagree", "-f", "json")
    found = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "warning"]
    assert [(f["line"], f["rule"], f["field"], f["message"]) for f in found] == [
        (
            3,
            "estimate-overrides-data",
            "build_hours",
            "the estimates' median 70h is used for 'HubSpot', not the data's 100h",
        ),
        (
            3,
            "estimate-overrides-data",
            "difficulty",
            "the estimates' median 1 is used for 'HubSpot', not the data's 5",
        ),
    ]
    # HubSpot, one customer of 40,000: demand 1 (0 pts), ARR (0 pts); difficulty 1, not the
    # data's 5: 2 points, so 100 × 20 × 2 / 200 = 20.0 (with the data's 5 it would be 0.0).
    ranked = run("rank", "requests.csv", "-f", "csv").stdout.splitlines()
    hubspot = next(row.split(",") for row in ranked if ",HubSpot," in row)
    assert hubspot[2] == "20" and hubspot[7:9] == ["1", "2"]


def test_missing_estimates_in_the_top_n(team):
    requests = (TEAM / "requests.csv").read_text() + "Slack,Hooli,5000000,customer\n"
    write(team / "requests.csv", requests)
    found = run("check", "requests.csv", "-f", "json").stdout
    missing = [f for f in json.loads(found)["findings"] if f["rule"] == "missing-estimate"]
    # Slack: demand 1 (0 pts), ARR 5,000,000 (2 pts), no difficulty (0): 80 / 2 = 40.0, tied
    # with Workday at rank 3.
    assert [(f["file"], f["line"], f["message"]) for f in missing] == [
        (
            "requests.csv",
            12,
            "'Slack' (rank 3, in the top 10) has no estimate of difficulty, build_hours",
        )
    ]
    top_two = run("check", "requests.csv", "--top", "2", "-f", "json").stdout
    assert "missing-estimate" not in top_two


def test_an_estimated_field_the_config_does_not_read_is_a_warning(team):
    estimate(team, "eng-kim.yaml", "estimates:\n  Salesforce: {dificulty: 2}\n")
    found = json.loads(run("check", "requests.csv", "-f", "json").stdout)["findings"]
    assert [f for f in found if f["rule"] == "estimate-not-read"] == [
        {
            "file": "estimates/eng-kim.yaml",
            "line": 2,
            "severity": "warning",
            "rule": "estimate-not-read",
            "field": "estimates.Salesforce.dificulty",
            "message": "'dificulty' is not an integration attribute the config reads — did "
            "you mean 'difficulty'?",
        }
    ]


def test_estimates_change_apart_from_the_cached_model(team):
    before = run("rank", "requests.csv", "-f", "csv").stdout  # compiles and caches the model
    estimate(team, "eng-lee.yaml", "estimator: Lee\nestimates:\n  Workday: {difficulty: 1}\n")
    estimate(team, "pm-sam.yaml", "estimates:\n  Workday: {difficulty: 1}\n")
    after = run("rank", "requests.csv", "-f", "csv").stdout  # the model from the cache
    # Workday: Dana 1, Lee 1, Sam 1 -> 1 (2 pts): (0 + 80 + 40) / 2 = 60.0, tied with HubSpot
    assert "Workday,40" in before and "Workday,60" in after


# --- estimators' files validated like the config --------------------------------------------


def test_every_problem_of_every_file_is_one_line_with_its_line(team):
    estimate(team, "eng-a.yaml", "estimator: A\nestimats:\n  Salesforce: {difficulty: 3}\n")
    estimate(team, "eng-b.yaml", "estimates:\n  Salesforce: {difficulty: 3\n")
    estimate(
        team,
        "eng-c.yaml",
        "estimates:\n"
        "  Salesforce: {difficulty: 3, build_hours: lots}\n"
        "  HubSpot: {difficulty: 9}\n"
        "  salesforce: {difficulty: 2}\n"
        "  Workday: 4\n",
    )
    estimate(team, "eng-d.yaml", "estimates:\n  Workday: {}\n  Workday: {difficulty: 1}\n")
    result = run("rank", "requests.csv")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: estimates/eng-a.yaml:2: estimats: unknown key (did you mean 'estimates'?); an "
        "estimates file has estimator and estimates",
        "error: estimates/eng-b.yaml:3: invalid YAML: did not find expected ',' or '}'",
        "error: estimates/eng-c.yaml:2: estimates.Salesforce.build_hours: 'lots' is not a number",
        "error: estimates/eng-c.yaml:3: estimates.HubSpot.difficulty: 9 is not one of the "
        "map's keys (1, 2, 3, 4, 5)",
        "error: estimates/eng-c.yaml:4: estimates: 'salesforce' is estimated twice in this file "
        "(first on line 2)",
        "error: estimates/eng-c.yaml:5: estimates.Workday: should be a mapping of field -> "
        "estimate, like {difficulty: 3}",
        "error: estimates/eng-d.yaml:3: duplicate key 'Workday'",
    ]
    checked = run("check", "requests.csv")
    assert checked.exit_code == 2  # unusable, as a broken config is
    assert "estimates/eng-c.yaml:2: error: estimates.Salesforce.build_hours" in checked.stdout


def test_a_blank_estimate_is_none_and_a_blank_file_an_error(team):
    estimate(team, "eng-kim.yaml", "estimator:\nestimates:\n  Workday: {difficulty: }\n  Slack:\n")
    assert run("rank", "requests.csv").exit_code == 0
    estimate(team, "eng-kim.yaml", "\n")
    result = run("rank", "requests.csv")
    assert result.stderr == (
        "error: estimates/eng-kim.yaml:1: the file is empty; give `estimates:` "
        "(see intscore estimates)\n"
    )


def test_a_hostile_cell_is_refused_in_linear_time(team):
    estimate(team, "eng-kim.yaml", "estimates:\n  Workday: {difficulty: " + "x" * 1_000_000 + "}\n")
    started = time.perf_counter()
    result = run("rank", "requests.csv")
    assert time.perf_counter() - started < 3
    assert result.stderr == (
        "error: estimates/eng-kim.yaml:2: estimates.Workday.difficulty: "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not one of the map's keys (1, 2, 3, 4, 5)\n"
    )


def test_the_config_section_is_validated_with_its_lines(team):
    config = (team / "scoring.yaml").read_text()
    write(team / "scoring.yaml", config.replace("build_hours: 50%}", "build_hour: 50%}"))
    assert run("rank", "requests.csv").stderr == (
        "error: scoring.yaml:38: estimates.disagree.build_hour: 'build_hour' is not an "
        "integration attribute the config reads (attributes: difficulty, build_hours)\n"
    )
    write(team / "scoring.yaml", config.replace("{difficulty: 2,", "{difficulty: 20%,"))
    assert run("rank", "requests.csv").stderr == (
        "error: scoring.yaml:38: estimates.disagree.difficulty: 'difficulty' is read by a map: "
        "give its threshold in steps, not as a share\n"
    )
    write(team / "scoring.yaml", config.replace("folder: estimates", "folder: estimate"))
    assert run("rank", "requests.csv").stderr == "error: estimate: no such folder\n"


# --- a hostile folder, bounded ----------------------------------------------------------------


def test_a_thousand_files_are_refused(team):
    for n in range(1000):
        estimate(team, f"eng-{n:04}.yaml", "estimates: {}\n")
    result = run("rank", "requests.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: estimates: holds 1,003 YAML files; at most 200 are read: none was\n"
    )


def test_a_ten_megabyte_file_is_not_read(team):
    estimate(team, "eng-big.yaml", "estimates: {}\n" + "#" * (10 << 20) + "\n")
    result = run("rank", "requests.csv")
    assert result.stderr == (
        "error: estimates/eng-big.yaml: is larger than 1 MiB, the most read: not read\n"
    )


def test_links_out_of_the_repository_are_not_followed(team, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "eng-x.yaml", "estimates:\n  Workday: {difficulty: 1}\n")
    os.symlink(outside / "eng-x.yaml", team / "estimates" / "eng-x.yaml")
    os.symlink(team / "requests.csv", team / "estimates" / "eng-inside.yaml")  # inside: read
    result = run("rank", "requests.csv")
    assert result.stderr.splitlines() == [
        "error: estimates/eng-x.yaml: links outside the repository: not read",
    ]
    config = (team / "scoring.yaml").read_text()
    write(team / "scoring.yaml", config.replace("folder: estimates", f"folder: {outside}"))
    assert run("rank", "requests.csv").stderr == (
        f"error: {outside}: is outside the repository: not read\n"
    )


def test_a_fifo_is_not_waited_on(team):
    os.mkfifo(team / "estimates" / "eng-pipe.yaml")
    result = run("rank", "requests.csv")
    assert result.stderr == "error: estimates/eng-pipe.yaml: is not a regular file: not read\n"


# --- the template -----------------------------------------------------------------------------


TEMPLATE = """\
# Estimates for the top 2 of 4 integrations, ranked without estimates
# by scoring.yaml. Fill in what you can; leave a value blank if you
# cannot say (a blank is no estimate). Commit this file to have it reviewed.
# difficulty: one of 1, 2, 3, 4, 5
# build_hours: a number, or hours of work like 300h, 5d (8 h) or 2w (40 h)
# 1 more share rank 1: add them if you like.
estimator: ""            # your name (default: the file's name)
estimates:
  HubSpot:    # rank 1, score 40.0
    difficulty:
    build_hours:
  Salesforce:    # rank 1, score 40.0
    difficulty:
    build_hours:
"""


def test_the_template_is_a_blank_file_for_the_top_ranked_without_estimates(team):
    # Without estimates nobody has a difficulty: HubSpot (demand 1 pt, ARR 1 pt), Salesforce
    # and Workday (ARR 2 pts) all score 100 × 40 × 2 / 200 = 40.0 and share rank 1, listed
    # by name; the top 2 cuts the tie, and the header says so.
    output = "estimates/eng-kim.yaml"
    result = run("estimates", "template", "requests.csv", "--top", "2", "-o", output)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "wrote estimates/eng-kim.yaml\n"
    assert (team / "estimates" / "eng-kim.yaml").read_text() == TEMPLATE
    # Valid as it is: blanks are no estimates, so the ranking is the team's own.
    assert run("rank", "requests.csv").exit_code == 0
    again = run("estimates", "template", "requests.csv", "-o", "estimates/eng-kim.yaml")
    assert again.exit_code == 2
    assert again.stderr == (
        "error: estimates/eng-kim.yaml already exists; use --force to write over it\n"
    )
    forced = run("estimates", "template", "requests.csv", "--force", "-o", "estimates/eng-kim.yaml")
    assert forced.exit_code == 0
    assert "Workday" in (team / "estimates" / "eng-kim.yaml").read_text()


def test_the_template_asks_a_file_only_for_the_fields_who_gives_it(team):
    text = run("estimates", "template", "requests.csv", "--top", "1", "-o", "pm-kim.yaml")
    assert text.exit_code == 0
    written = (team / "pm-kim.yaml").read_text()
    assert "    difficulty:\n" in written and "build_hours" not in written


def test_the_template_needs_an_estimates_section(tmp_path):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    result = run("estimates", "template", "requests.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: this config has no `estimates:` section")


def test_plan_vary_estimates_draws_the_build_hours_too(tmp_path):
    """Two engineers estimate Workday's build at 100h and 500h (median 300h). HubSpot (two
    requesters: score 100, 100h) and Workday (one: score 50) fit in 400h at the median
    (100 + 300), so the plan builds both; in a run that draws Workday's 500h they need
    600h and Workday is left out: about half the runs."""
    write(
        tmp_path / "scoring.yaml",
        "version: 1\n"
        "criteria:\n"
        "  - id: demand\n"
        "    aggregate: count\n"
        "    bands: [{min: 0, points: 0}, {min: 1, points: 1}, {min: 2, points: 2}]\n"
        "plan: {capacity: 400h, horizon: 1y, build: build_hours}\n"
        "estimates: {folder: estimates}\n",
    )
    write(tmp_path / "r.csv", "integration,account\nHubSpot,a\nHubSpot,b\nWorkday,c\n")
    (tmp_path / "estimates").mkdir()
    for name, hubspot, workday in (("eng-a", "100h", "100h"), ("eng-b", "100h", "500h")):
        write(
            tmp_path / "estimates" / f"{name}.yaml",
            f"estimates:\n  HubSpot: {{build_hours: {hubspot}}}\n"
            f"  Workday: {{build_hours: {workday}}}\n",
        )
    plain = run("plan", "r.csv", "-f", "json")
    assert plain.exit_code == 0, plain.stderr
    built = [b["integration"] for b in json.loads(plain.stdout)["build"]]
    assert built == ["HubSpot", "Workday"]  # at the median: 100 + 300 = 400h
    varied = run("plan", "r.csv", "--vary", "estimates", "--runs", "400", "-f", "json")
    assert varied.exit_code == 0, varied.stderr
    shares = {i["integration"]: i["share"] for i in json.loads(varied.stdout)["shares"]}
    assert shares["HubSpot"] == 1.0
    assert 0.35 < shares["Workday"] < 0.65
