"""Fits where teams work (issue 15): the config found next to the backlog and named, a
scoring.yaml among the checked files linted as a config, checks as configuration, and the
`check -f json` object."""

from __future__ import annotations

import json
import os
import re

from conftest import ROOT, run, write

BACKLOG = (
    "integration,account,account_arr,stage,difficulty\n"
    "Slack,Acme,100000,customer,1\nSlack,Acme,100000,customer,1\n"
)


def repo_with_backlog_folder(tmp_path):
    """A repository whose backlog and its scoring.yaml live in backlog/, checked from the root
    (as a pre-commit hook runs)."""
    (tmp_path / "backlog").mkdir()
    write(tmp_path / "backlog" / "requests.csv", BACKLOG)
    config = (ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 30")
    write(tmp_path / "backlog" / "scoring.yaml", config)


def test_the_config_next_to_the_backlog_is_found_and_named(tmp_path):
    repo_with_backlog_folder(tmp_path)
    result = run("check", "backlog/requests.csv")
    assert result.stdout.splitlines()[-1].endswith(" · config: backlog/scoring.yaml")
    doc = json.loads(run("check", "backlog/requests.csv", "-f", "json").stdout)
    assert doc["config"]["source"] == "backlog/scoring.yaml"
    github = run("check", "backlog/requests.csv", "-f", "github").stdout
    assert github.splitlines()[-1].endswith(" · config: backlog/scoring.yaml")
    ranked = json.loads(run("rank", "backlog/requests.csv", "-f", "json").stdout)
    assert ranked["config"]["source"] == "backlog/scoring.yaml"


def test_a_pre_commit_run_over_the_folder_lints_the_config_as_a_config(tmp_path):
    repo_with_backlog_folder(tmp_path)
    result = run("check", "backlog/scoring.yaml", "backlog/requests.csv")
    assert result.exit_code == 0, result.stdout  # warnings only
    assert "'version' should map" not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "1 warning (2 files, 2 rows) · config: backlog/scoring.yaml · linted as configs: "
        "backlog/scoring.yaml"
    )
    broken = (tmp_path / "backlog" / "scoring.yaml").read_text().replace("weight: 30", "wieght: 30")
    write(tmp_path / "backlog" / "scoring.yaml", broken)
    result = run("check", "backlog/scoring.yaml")
    assert result.exit_code == 2
    assert re.search(
        r"^backlog/scoring.yaml:\d+: error: criteria\[2\]\.wieght: ", result.stdout, re.M
    )
    both = run("check", "backlog/scoring.yaml", "backlog/requests.csv").stdout
    assert both.count("wieght") == 1  # the config among the files and the one in use: once
    # A config alone, with a smell: its own rules run.
    smelly = broken.replace("wieght: 30", "weight: 0")
    write(tmp_path / "backlog" / "scoring.yaml", smelly)
    result = run("check", "backlog/scoring.yaml")
    assert result.exit_code == 0
    assert "'difficulty' has weight 0 and never counts [zero-weight]" in result.stdout


def test_telling_a_config_from_a_backlog_does_not_parse_the_backlog(tmp_path, monkeypatch):
    """A YAML backlog whose text never says both `version` and `criteria` is not parsed to
    find out: `check` leaves it to the reader, which parses it once, as rows."""
    from intscore.commands import core as api
    from intscore.read import structured

    write(tmp_path / "backlog.yaml", "- integration: Slack\n  account: Acme\n")
    write(tmp_path / "config.yaml", "version: 1\ncriteria: []\n")
    parsed: list[str] = []
    real = structured.load_yaml
    monkeypatch.setattr(structured, "load_yaml", lambda text: parsed.append(text) or real(text))
    assert not api.is_config_file(str(tmp_path / "backlog.yaml"))
    assert parsed == []
    assert api.is_config_file(str(tmp_path / "config.yaml"))
    assert parsed == ["version: 1\ncriteria: []\n"]


def test_inputs_with_different_nearest_configs_are_a_usage_error(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder / "r.csv", BACKLOG)
        write(tmp_path / folder / "scoring.yaml", (ROOT / "scoring.yaml").read_text())
    result = run("rank", "a/r.csv", "b/r.csv")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: the input files have different nearest configs (a/scoring.yaml for a/r.csv; "
        "b/scoring.yaml for b/r.csv); choose one with --config\n",
    )
    assert run("rank", "a/r.csv", "b/r.csv", "-c", "a/scoring.yaml").exit_code == 0


def test_rules_can_be_ignored_or_relevelled_in_the_config_and_per_run(tmp_path):
    write(tmp_path / "r.csv", BACKLOG)
    base = (ROOT / "scoring.yaml").read_text()
    write(tmp_path / "scoring.yaml", base)
    assert "[duplicate-request]" in run("check", "r.csv").stdout
    assert (
        "[duplicate-request]" not in run("check", "r.csv", "--ignore", "duplicate-request").stdout
    )
    write(tmp_path / "scoring.yaml", base + "check: {ignore: [duplicate-request]}\n")
    assert run("check", "r.csv").stdout.startswith("no problems")
    write(tmp_path / "scoring.yaml", base + "check: {severity: {duplicate-request: error}}\n")
    result = run("check", "r.csv")
    assert result.exit_code == 1
    assert ": error: 'Acme' asks for 'Slack' again" in result.stdout


def test_unknown_rule_ids_are_errors_that_list_the_known_ones(tmp_path):
    write(tmp_path / "r.csv", BACKLOG)
    result = run("check", "r.csv", "--ignore", "duplicate-requests")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --ignore: unknown rule 'duplicate-requests' (rules: ambiguous-number, "
        "below-lowest-band, blank-account, conflicting-value,"
    )
    write(
        tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text() + "check: {ignore: [nope]}\n"
    )
    result = run("check", "r.csv")
    assert result.exit_code == 2
    assert re.search(
        r"^scoring.yaml:\d+: error: check: unknown rule 'nope' \(rules: ", result.stdout, re.M
    )


def test_check_json_is_one_object_with_the_config_inputs_findings_and_summary(tmp_path):
    write(tmp_path / "r.csv", BACKLOG)
    doc = json.loads(run("check", "r.csv", "-f", "json").stdout)
    assert list(doc) == [
        "version",
        "config",
        "as_of",
        "inputs",
        "linted_configs",
        "findings",
        "summary",
    ]
    assert doc["version"] == 1
    assert doc["config"]["source"] == "built-in default"
    assert doc["inputs"] == [
        {"file": "r.csv", "format": "csv", "rows": 2, "filtered": 0, "unnamed": 0}
    ]
    assert [f["rule"] for f in doc["findings"]] == ["duplicate-request"]
    assert doc["findings"][0] == {
        "file": "r.csv",
        "line": 3,
        "severity": "warning",
        "rule": "duplicate-request",
        "field": None,
        "message": "'Acme' asks for 'Slack' again (first on line 2); it counts once",
    }
    assert doc["summary"] == {"errors": 0, "warnings": 1}


def test_check_rules_lists_every_rule():
    result = run("check", "--rules")
    assert result.exit_code == 0
    assert re.search(r"^duplicate-request +warning +the same account asking", result.stdout, re.M)
    assert run("check").exit_code == 2


def test_make_test_never_installs_system_packages():
    makefile = (ROOT / "Makefile").read_text()
    test_target = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "ensure-chromium" not in test_target and "apt" not in test_target
    ci = (ROOT / ".ci" / "run").read_text()
    assert "ensure-chromium" in ci and "CI=true" in ci and "make test" in ci
    assert os.access(ROOT / ".ci" / "run", os.R_OK)
