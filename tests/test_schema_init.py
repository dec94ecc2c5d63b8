"""`intscore schema` (committed, tested for drift) and `intscore init`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, EXAMPLES, ROOT, run, write
from intscore.model.loading import builtin_config_text, config_schema, config_schema_text
from intscore.problems import IntscoreError
from intscore.read.structured import load_yaml

SCHEMA = config_schema()
INVALID = sorted((DATA / "invalid-configs").glob("*.yaml"))


def as_json(path: Path):
    # What an editor's YAML language server checks: keys as strings, like JSON.
    return json.loads(json.dumps(load_yaml(path.read_text(encoding="utf-8"))))


def test_committed_schema_matches_the_models():
    committed = (ROOT / "scoring.schema.json").read_text(encoding="utf-8")
    assert committed == config_schema_text(), (
        "scoring.schema.json is out of date: run `intscore schema > scoring.schema.json`"
    )


def test_schema_command_prints_it():
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == config_schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def undescribed(node, path: str = "") -> list[str]:
    """Every property, anywhere in a schema, whose schema has no description."""
    found = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if not (isinstance(prop, dict) and prop.get("description", "").strip()):
                found.append(f"{path}.{name}")
        for key, child in node.items():
            found += undescribed(child, f"{path}/{key}")
    elif isinstance(node, list):
        for n, child in enumerate(node):
            found += undescribed(child, f"{path}[{n}]")
    return found


def test_every_property_of_the_schema_has_a_description():
    # An editor shows these on hover; a key without one is a key the user must guess.
    assert undescribed(json.loads((ROOT / "scoring.schema.json").read_text())) == []
    assert undescribed({"properties": {"a": {"type": "string"}}}) == [".a"]  # the walk sees one


def test_scoring_yaml_carries_the_modeline():
    first = (ROOT / "scoring.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./scoring.schema.json"


@pytest.mark.parametrize(
    "path", [ROOT / "scoring.yaml", *sorted(EXAMPLES.glob("*scoring*.yaml"))], ids=lambda p: p.name
)
def test_every_example_config_validates(path):
    jsonschema.validate(as_json(path), SCHEMA)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixtures_fail_the_schema_and_the_loader(path):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_json(path), SCHEMA)
    from intscore.model.loading import load_config

    with pytest.raises(IntscoreError):
        load_config(path)


def test_init_writes_both_files(tmp_path):
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout == "wrote scoring.yaml\nwrote scoring.schema.json\n"
    assert (tmp_path / "scoring.yaml").read_text() == builtin_config_text()
    assert (tmp_path / "scoring.schema.json").read_text() == config_schema_text()


def test_init_never_overwrites_without_force(tmp_path):
    write(tmp_path / "scoring.yaml", "mine\n")
    result = run("init")
    assert result.exit_code == 2
    assert result.stderr == "error: scoring.yaml already exists here; use --force to overwrite\n"
    assert (tmp_path / "scoring.yaml").read_text() == "mine\n"
    assert not (tmp_path / "scoring.schema.json").exists()
    result = run("init", "--force")
    assert result.exit_code == 0
    assert (tmp_path / "scoring.yaml").read_text() == builtin_config_text()


def test_init_config_is_used_by_rank(tmp_path):
    run("init")
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\nA,x,1,1\n")
    result = run("rank", "r.csv", "-f", "json")
    assert json.loads(result.stdout)["config"]["source"] == "scoring.yaml"
