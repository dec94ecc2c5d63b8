"""Every `-f json` output of every command, run on the examples, against its contract: the
pydantic model in intscore.render.contracts (validated strictly, and nothing outside it) and
docs/json-contracts.md (every key the output has is a documented field)."""

from __future__ import annotations

import json
import re
import shutil
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, RootModel

from conftest import EXAMPLES, ROOT, run, write
from intscore.cli import app
from intscore.render import contracts

PAGE = (ROOT / "docs" / "json-contracts.md").read_text(encoding="utf-8")

# The page's section -> the model of that document.
MODELS = {
    "rank -f json": contracts.RankingDocument,
    "check -f json": contracts.FindingsDocument,
    "check --rules -f json": contracts.RulesDocument,
    "explain NAME -f json": contracts.ExplanationDocument,
    "explain NAME --vs OTHER -f json": contracts.VersusDocument,
    "diff -f json": contracts.DiffDocument,
    "sensitivity -f json": contracts.SensitivityDocument,
    "matrix -f json": contracts.MatrixDocument,
    "plan -f json": contracts.PlanDocument,
}

EXAMPLE_CONFIGS = [  # every example input, with the config it is meant for
    ("requests.csv", "scoring.yaml"),
    ("requests.yaml", "scoring.yaml"),
    ("backlog.yaml", "scoring.yaml"),
    ("backlog-with-problems.csv", "scoring.yaml"),
    ("crm-export.csv", "examples/crm-scoring.yaml"),
    ("salesforce-opportunities.csv", "examples/salesforce-scoring.yaml"),
    ("votes.csv", "examples/votes-scoring.yaml"),
    ("presets/rice.csv", "src/intscore/model/presets/rice.yaml"),
    ("presets/wsjf.csv", "src/intscore/model/presets/wsjf.yaml"),
    ("presets/ice.csv", "src/intscore/model/presets/ice.yaml"),
    ("presets/rice-percent.csv", "src/intscore/model/presets/rice.yaml"),
    ("estimates/requests.csv", "examples/estimates/scoring.yaml"),
    ("exports/hubspot-deals.csv", "examples/exports/hubspot-deals-scoring.yaml"),
    ("exports/productboard-notes.csv", "examples/exports/productboard-notes-scoring.yaml"),
    ("exports/canny-votes.csv", "examples/exports/canny-votes-scoring.yaml"),
    ("exports/zendesk-tickets.csv", "examples/exports/zendesk-tickets-scoring.yaml"),
    ("exports/salesforce-report/report.csv", "examples/exports/salesforce-report/scoring.yaml"),
    ("exports/salesforce-grouped/report.csv", "examples/exports/salesforce-grouped/scoring.yaml"),
    (
        "exports/excel-german/integrationswuensche.csv",
        "examples/exports/excel-german/scoring.yaml",
    ),
    ("exports/google-sheets/form-responses.csv", "examples/exports/google-sheets/scoring.yaml"),
    ("exports/jira-issues/issues.csv", "examples/exports/jira-issues/scoring.yaml"),
]


# The documents an example cannot have (exit 2, and no JSON): a file with bad rows is only
# checked; a config without an effort criterion (or with one of no 0-100 range: RICE's raw
# effort) has no matrix; a formula has no weights to vary.
REFUSED = {
    "backlog-with-problems.csv": set(MODELS) - {"check -f json"},
    "salesforce-opportunities.csv": {"matrix -f json"},
    "votes.csv": {"matrix -f json"},
    "presets/rice.csv": {"matrix -f json", "sensitivity -f json"},
    "presets/rice-percent.csv": {"matrix -f json", "sensitivity -f json"},
    "presets/wsjf.csv": {"sensitivity -f json"},
    "presets/ice.csv": {"sensitivity -f json"},
    # no effort criterion: no matrix
    "exports/hubspot-deals.csv": {"matrix -f json"},
    "exports/productboard-notes.csv": {"matrix -f json"},
    "exports/canny-votes.csv": {"matrix -f json"},
    "exports/zendesk-tickets.csv": {"matrix -f json"},
    # the exports' configs have no effort criterion: no matrix
    "exports/salesforce-report/report.csv": {"matrix -f json"},
    "exports/salesforce-grouped/report.csv": {"matrix -f json"},
    "exports/excel-german/integrationswuensche.csv": {"matrix -f json"},
    "exports/google-sheets/form-responses.csv": {"matrix -f json"},
    "exports/jira-issues/issues.csv": {"matrix -f json"},
}


def documented_fields() -> dict[str, set[str]]:
    """Each section of the page -> the field paths its table lists."""
    sections = re.split(r"^## `intscore (.+)`$", PAGE, flags=re.M)[1:]
    return {
        title: set(re.findall(r"^\| `([^`]+)` \|", body, re.M))
        for title, body in zip(sections[::2], sections[1::2], strict=True)
    }


DOCUMENTED = documented_fields()


def undocumented(value: object, documented: set[str], prefix: str = "") -> list[str]:
    """The key paths of a JSON value that the page does not list (`a[]` each item of a list,
    `a.*` each value of an object keyed by data)."""
    if isinstance(value, list):
        return [x for item in value for x in undocumented(item, documented, f"{prefix}[]")]
    if not isinstance(value, dict):
        return []
    missing = []
    for key, child in value.items():
        path = f"{prefix}.{key}" if prefix else key
        if path not in documented:
            path = f"{prefix}.*"
            if path not in documented:
                missing.append(f"{prefix}.{key}" if prefix else key)
                continue
        missing += undocumented(child, documented, path)
    return missing


def holds_to_contract(section: str, text: str) -> dict:
    """The output, checked: valid for its model in strict mode (no number as text, no text as
    a number), nothing dropped by the model (every key is one of its fields), every key
    documented. Returns the parsed document."""
    model = MODELS[section]
    document = model.model_validate_json(text, strict=True)
    parsed = json.loads(text)
    assert json.loads(document.model_dump_json()) == parsed, f"{section}: keys outside the model"
    assert undocumented(parsed, DOCUMENTED[section]) == [], section
    return parsed


def runs_for(example: str, config: str) -> list[tuple[str, list[str]]]:
    """(section, arguments) of every JSON output for one example."""
    path, cfg = str(EXAMPLES / example), str(ROOT / config)
    first, second = names(path, cfg)[:2]
    return [
        ("rank -f json", ["rank", path, "-c", cfg, "-f", "json"]),
        ("rank -f json", ["rank", path, "-c", cfg, "-f", "json", "--top", "3"]),
        ("check -f json", ["check", path, "-c", cfg, "-f", "json"]),
        ("explain NAME -f json", ["explain", first, path, "-c", cfg, "-f", "json"]),
        ("explain NAME -f json", ["explain", second, path, "-c", cfg, "-f", "json"]),
        (
            "explain NAME --vs OTHER -f json",
            ["explain", second, path, "-c", cfg, "--vs", first, "-f", "json"],
        ),
        ("sensitivity -f json", ["sensitivity", path, "-c", cfg, "--runs", "60", "-f", "json"]),
        (
            "sensitivity -f json",
            ["sensitivity", path, "-c", cfg, "--runs", "30", "--vary", "both", "-f", "json"],
        ),
        ("matrix -f json", ["matrix", path, "-c", cfg, "-f", "json"]),
    ]


def names(path: str, config: str) -> list[str]:
    """The integrations of an example, best first (none where `rank` refuses the file:
    `explain` then refuses it too, whatever the name)."""
    result = run("rank", path, "-c", config, "-f", "csv")
    rows = result.stdout.splitlines()[1:] or ["0,none,", "0,none,"]
    return [row.split(",")[1] for row in rows]


def test_the_page_has_a_section_for_every_json_output_of_every_command():
    with_json = set()
    for info in app.registered_commands:  # each command's --format choices, from its signature
        hint = typing.get_type_hints(info.callback, include_extras=True).get("format")
        if hint is not None and "json" in {m.value for m in typing.get_args(hint)[0]}:
            with_json.add(info.name or info.callback.__name__)
    assert with_json == {"rank", "check", "explain", "diff", "sensitivity", "matrix", "plan"}
    assert {section.split()[0] for section in DOCUMENTED} == with_json
    assert set(DOCUMENTED) == set(MODELS)


def test_every_field_of_every_contract_is_described():
    models = [getattr(contracts, n) for n in contracts.__all__]
    assert len(models) >= 28
    for model in models:
        assert issubclass(model, BaseModel)
        for name, info in model.model_fields.items():
            assert info.description and info.description.strip(), f"{model.__name__}.{name}"


@pytest.mark.parametrize(("example", "config"), EXAMPLE_CONFIGS, ids=lambda v: v)
def test_every_json_output_on_every_example_holds_to_its_contract(example, config):
    checked = set()
    for section, args in runs_for(example, config):
        result = run(*args)
        if result.exit_code == 2:  # not for this example (REFUSED): an error, and no JSON
            assert result.stdout == "" and result.stderr.startswith("error: "), args
            continue
        assert result.exit_code in (0, 1), (args, result.stderr)
        holds_to_contract(section, result.stdout)
        checked.add(section)
    assert checked == {section for section, _ in runs_for(example, config)} - REFUSED.get(
        example, set()
    )


def test_the_examples_cover_every_example_file():
    on_disk = {
        str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.suffix in (".csv", ".yaml")
    }
    on_disk -= {p for p in on_disk if p.endswith("scoring.yaml") or p.startswith("ci/")}
    on_disk -= {"backlog-with-problems.ranking.csv"}  # a committed ranking (`check --expect`)
    on_disk -= {p for p in on_disk if p.startswith("estimates/estimates/")}  # estimators' files
    assert on_disk == {e for e, _ in EXAMPLE_CONFIGS}


def test_diff_rules_and_the_rarer_check_documents_hold_to_their_contracts(tmp_path: Path):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    config = (ROOT / "scoring.yaml").read_text()
    write(tmp_path / "scoring.yaml", config)
    write(tmp_path / "old.yaml", config.replace("weight: 20", "weight: 60"))
    diff = run("diff", "requests.csv", "--base-config", "old.yaml", "-f", "json")
    parsed = holds_to_contract("diff -f json", diff.stdout)
    assert parsed["config_changes"] == ["difficulty: weight 60 → 20"]
    assert {i["integration"] for i in parsed["items"]} >= {"ServiceNow", "Slack"}

    rules = holds_to_contract("check --rules -f json", run("check", "--rules", "-f", "json").stdout)
    assert {"id", "severity", "summary"} == set(rules[0])

    # A scoring model given to check is linted as one; a config that cannot load is null.
    linted = run("check", "requests.csv", "scoring.yaml", "-f", "json")
    assert holds_to_contract("check -f json", linted.stdout)["linted_configs"] == ["scoring.yaml"]
    write(tmp_path / "broken.yaml", config.replace("weight: 40", "wieght: 40", 1))
    broken = run("check", "requests.csv", "-c", "broken.yaml", "-f", "json")
    assert broken.exit_code == 2
    parsed = holds_to_contract("check -f json", broken.stdout)
    assert parsed["config"] is None and parsed["summary"]["errors"] >= 1


def test_plan_documents_hold_to_their_contract(tmp_path: Path):
    pytest.importorskip("highspy")
    doc = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    write(tmp_path / "requests.csv", re.findall(r"```csv\n(.*?)```", doc, re.S)[0])
    yaml_text = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b[:7] == "version")
    write(tmp_path / "scoring.yaml", yaml_text.replace("  horizon:", "  never: [Jira]\n  horizon:"))
    plain = holds_to_contract("plan -f json", run("plan", "requests.csv", "-f", "json").stdout)
    assert plain["vary"] is None and plain["shares"] is None and plain["never"] == ["Jira"]
    varied = run("plan", "requests.csv", "-f", "json", "--vary", "both", "--runs", "5")
    parsed = holds_to_contract("plan -f json", varied.stdout)
    assert parsed["vary"]["runs"] == 5 and len(parsed["shares"]) == 6


def test_an_undocumented_or_unmodelled_key_is_caught():
    text = run("check", "--rules", "-f", "json").stdout
    extra = json.dumps([{**json.loads(text)[0], "hint": "x"}])
    with pytest.raises(AssertionError, match="keys outside the model"):
        holds_to_contract("check --rules -f json", extra)
    assert undocumented({"version": 1, "surprise": {"a": 1}}, DOCUMENTED["rank -f json"]) == [
        "surprise"
    ]
    deep = {"ranking": [{"criteria": {"any_id": {"nope": 1}}}]}
    assert undocumented(deep, DOCUMENTED["rank -f json"]) == ["ranking[].criteria.*.nope"]
    with pytest.raises(ValueError):  # strict: a number written as text is not a number
        contracts.Summary.model_validate_json('{"errors": "1", "warnings": 0}', strict=True)
    assert issubclass(contracts.RulesDocument, RootModel)
