"""`check -f sarif` (SARIF 2.1.0 for code scanning), `check`'s colours on a terminal, and
`FILE...` in --help.

The SARIF schema in tests/data/sarif-schema-2.1.0.json is the SARIF 2.1.0 JSON Schema
(`sarif-2.1.0-rtm.5.json`, the SchemaStore copy of the OASIS standard's schema) as shipped in
the npm package @microsoft/jest-sarif 1.0.0-beta.0 (lib/schemas/), unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import subprocess
import sys

import jsonschema
import pytest

from conftest import DATA, EXAMPLES, ROOT, run, write
from intscore.analyses.check import RULES

SCHEMA_FILE = DATA / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
BACKLOG = (
    "integration,account,account_arr,stage,difficulty\n"
    "Slack,Acme,100000,customer,1\n"
    "Jira,Globex,lots,customer,2\n"  # line 3: not a number
)


def sarif_validator() -> jsonschema.Draft4Validator:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256  # the vendored file, unedited
    schema = json.loads(raw)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_sarif_is_valid_sarif_2_1_0_with_every_rule_and_located_results(tmp_path):
    write(tmp_path / "requests.csv", BACKLOG)
    write(tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text())
    result = run("check", "requests.csv", "nope.csv", "-f", "sarif")
    assert result.exit_code == 2  # nope.csv cannot be read
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    assert log["version"] == "2.1.0"
    [only] = log["runs"]
    driver = only["tool"]["driver"]
    assert driver["name"] == "intscore" and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == list(RULES)  # the registry, in its order
    rule = driver["rules"][list(RULES).index("invalid-value")]
    assert rule["shortDescription"] == {"text": RULES["invalid-value"].summary}
    assert rule["defaultConfiguration"] == {"level": "error"}
    results = {(r["ruleId"], r["message"]["text"]): r for r in only["results"]}
    invalid = results[("invalid-value", "account_arr: 'lots' is not a number")]
    assert invalid == {
        "ruleId": "invalid-value",
        "ruleIndex": list(RULES).index("invalid-value"),
        "level": "error",
        "message": {"text": "account_arr: 'lots' is not a number"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "requests.csv"},
                    "region": {"startLine": 3},
                }
            }
        ],
    }
    missing = results[("unreadable-file", "file not found")]
    assert missing["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "nope.csv"}}}]
    for r in only["results"]:  # every ruleIndex points at its rule
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert only["properties"]["config"] == "scoring.yaml"


def test_the_schema_check_can_fail():
    """The vendored schema does reject what is not SARIF (else the test above proves little)."""
    validator = sarif_validator()
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": []}]}
    validator.validate(bad)
    bad["runs"][0]["results"] = [{"message": {"text": "m"}, "level": "fatal"}]
    with pytest.raises(jsonschema.ValidationError, match="'fatal' is not one of"):
        validator.validate(bad)


def test_sarif_locations_are_uri_references(tmp_path):
    """A space or `#` in a path is escaped; a finding of a config gets the config's rule."""
    (tmp_path / "my data").mkdir()
    write(tmp_path / "my data" / "r #1.csv", BACKLOG)
    result = run("check", "my data/r #1.csv", "-f", "sarif")
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {"my%20data/r%20%231.csv"}
    write(tmp_path / "scoring.yaml", "version: 1\ncriteria: []\n")
    broken = json.loads(run("check", "my data/r #1.csv", "-f", "sarif").stdout)
    sarif_validator().validate(broken)
    rules = broken["runs"][0]["tool"]["driver"]["rules"]
    assert rules[-1] == {
        "id": "config",
        "name": "config",
        "shortDescription": {"text": "a scoring model that cannot be loaded"},
        "defaultConfiguration": {"level": "error"},
        "helpUri": "https://github.com/intscore/intscore/blob/main/docs/check-rules.md",
    }


def on_a_terminal(*args: str, **env: str) -> str:
    """What `intscore ARGS` prints on a pseudo-terminal, as a person at a terminal sees it."""
    controller, terminal = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    done = subprocess.Popen(
        [sys.executable, "-m", "intscore", *args],
        stdout=terminal,
        stderr=terminal,
        env={**environ, "TERM": "xterm-256color", "COLUMNS": "200", **env},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    done.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode().replace("\r\n", "\n")


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_check_text_is_coloured_on_a_terminal_only(tmp_path):
    path = str(write(tmp_path / "requests.csv", BACKLOG))
    coloured = on_a_terminal("check", path, "--config", str(ROOT / "scoring.yaml"))
    assert "\x1b[1;31merror\x1b[0m" in coloured  # the level in bold red
    piped = run("check", path, "--config", str(ROOT / "scoring.yaml")).stdout
    assert "\x1b" not in piped
    assert ANSI.sub("", coloured) == piped  # the same characters, only styled
    plain = on_a_terminal("check", path, "--config", str(ROOT / "scoring.yaml"), NO_COLOR="1")
    assert plain == piped
    written = tmp_path / "out.txt"
    on_a_terminal("check", path, "--config", str(ROOT / "scoring.yaml"), "-o", str(written))
    assert written.read_text() == piped


def test_help_shows_file_ellipsis_not_a_python_type():
    for command in ("rank", "check", "explain", "diff", "sensitivity", "matrix", "report"):
        text = run(command, "--help").stdout
        assert "list[str]" not in text and "{FILE}" not in text, command
        assert re.search(r"^  FILE\.\.\.  +(Request files|The )", text, re.M), command
    explain = run("explain", "--help").stdout
    assert explain.startswith("Usage: intscore explain [OPTIONS] NAME FILE...\n")
    assert re.search(r"^  NAME  +The integration to explain\.", explain, re.M)
    assert "NAME <str>" not in explain
    assert run("rank", "--help").stdout.startswith("Usage: intscore rank [OPTIONS] FILE...\n")
    assert run("check", "--help").stdout.startswith("Usage: intscore check [OPTIONS] [FILE...]\n")


def test_the_check_formats_are_the_renderers():
    from intscore.render import findings

    text = run("check", "--help").stdout
    # The choices come from FORMATS (typer writes <a|b> or [a|b], by version).
    assert re.search(r"-f, --format [<\[]auto\|text\|json\|github\|sarif[>\]]", text)
    assert findings.FORMATS == ("auto", "text", "json", "github", "sarif")
    examples = str(EXAMPLES / "backlog-with-problems.csv")
    for fmt in findings.FORMATS:
        assert run("check", examples, "-f", fmt).exit_code == 1, fmt
