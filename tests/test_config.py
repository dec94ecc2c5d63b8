"""scoring.yaml: validation with YAML lines, the built-in default, lookup order (SPEC §2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run, write
from intscore.model.loading import BUILTIN_SOURCE, builtin_config_text, find_config, load_config
from intscore.problems import IntscoreError, format_errors

BASE = """\
version: 1
criteria:
  - id: demand
    aggregate: count
    bands: [{min: 0, points: 0}, {min: 3, points: 1}]
    weight: 40
"""


def errors_of(text: str, tmp_path: Path) -> list[str]:
    path = write(tmp_path / "scoring.yaml", text)
    with pytest.raises(IntscoreError) as info:
        load_config(path)
    return format_errors(info.value.findings)  # as the CLI prints them


def test_builtin_default_is_the_repository_scoring_yaml():
    assert builtin_config_text() == (ROOT / "scoring.yaml").read_text(encoding="utf-8")


def test_builtin_default_loads_with_the_spec_criteria():
    loaded = load_config(None)
    assert loaded.source == BUILTIN_SOURCE
    config = loaded.model
    assert [c.id for c in config.criteria] == ["demand", "account_size", "difficulty"]
    assert [c.weight for c in config.criteria] == [40, 40, 20]
    assert [c.max_points for c in config.criteria] == [2, 2, 2]
    assert config.criteria[2].kind == "effort"


def test_negative_weight_names_file_line_and_field(tmp_path):
    text = (
        BASE
        + """\
  - id: size
    field: account_arr
    aggregate: sum
    bands: [{min: 0, points: 0}]
    weight: -1
"""
    )
    assert errors_of(text, tmp_path) == [
        "error: scoring.yaml:11: criteria[1].weight: Input should be greater than or equal to 0"
    ]


def test_misspelled_key_is_reported_with_a_suggestion(tmp_path):
    text = BASE.replace("weight: 40", "wieght: 40")
    assert errors_of(text, tmp_path) == [
        "error: scoring.yaml:6: criteria[0].wieght: Extra inputs are not permitted "
        "(did you mean 'weight'?)"
    ]


def test_several_problems_each_on_their_own_line(tmp_path):
    text = """\
version: 2
columns: {integration: name}
criteria:
  - id: demand
    aggregate: count
    bands: [{min: 3, points: 1}, {min: 1, points: 2}]
  - id: 2bad
    field: x
    map: {a: 1}
    missing: lots
"""
    assert errors_of(text, tmp_path) == [
        "error: scoring.yaml:1: version: Input should be 1",
        "error: scoring.yaml:6: criteria[0].bands: band mins must be strictly ascending "
        "(1 after 3)",
        "error: scoring.yaml:7: criteria[1].id: String should match pattern "
        "'^[A-Za-z_][A-Za-z0-9_]*$'",
        "error: scoring.yaml:10: criteria[1].missing: should be a number of points or 'error'",
    ]


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            "    aggregate: count\n    weight: 1\n",
            "criteria[0]: give exactly one of bands, map or scale",
        ),
        (
            "    aggregate: count\n    map: {a: 1}\n    bands: [{min: 0, points: 1}]\n",
            "criteria[0]: give exactly one of bands, map or scale (found bands, map)",
        ),
        (
            "    aggregate: sum\n    bands: [{min: 0, points: 1}]\n",
            "criteria[0]: aggregate 'sum' needs a field",
        ),
        (
            "    field: d\n    map: {a: 1}\n    missing: 5\n",
            "criteria[0]: missing (5) is more than the largest points (1)",
        ),
        (
            "    field: d\n    map: {a: 0}\n",
            "at least one criterion needs a weight and points above 0",
        ),
        (
            "    field: d\n    scale: {min: 5, max: 1, points: 2}\n",
            "criteria[0].scale: max must be greater than min",
        ),
    ],
)
def test_criterion_shape_errors(tmp_path, criterion, message):
    text = "version: 1\ncriteria:\n  - id: c\n" + criterion
    [line] = errors_of(text, tmp_path)
    assert line.endswith(message), line
    assert line.startswith("error: scoring.yaml:")


def test_duplicate_criterion_ids(tmp_path):
    text = BASE + BASE.split("criteria:\n")[1]
    assert errors_of(text, tmp_path) == [
        "error: scoring.yaml:2: criteria: criterion id 'demand' is used twice"
    ]


def test_invalid_yaml_and_duplicate_keys(tmp_path):
    assert errors_of("version: 1\ncriteria: [\n", tmp_path) == [
        "error: scoring.yaml:3: invalid YAML: did not find expected node content"
    ]
    assert errors_of(BASE + "version: 1\n", tmp_path) == [
        "error: scoring.yaml:7: duplicate key 'version'"
    ]


def test_missing_config_file(tmp_path):
    with pytest.raises(IntscoreError) as info:
        load_config(tmp_path / "nope.yaml")
    assert str(info.value).endswith("nope.yaml: config file not found")


def test_lookup_order(tmp_path, monkeypatch):
    nested = tmp_path / "team" / "backlog"
    nested.mkdir(parents=True)
    assert find_config(cwd=nested) is None  # stops at the repository root (.git)
    write(tmp_path / "scoring.yaml", BASE)
    assert find_config(cwd=nested) == tmp_path / "scoring.yaml"
    write(tmp_path / "team" / "scoring.yaml", BASE)
    assert find_config(cwd=nested) == tmp_path / "team" / "scoring.yaml"
    monkeypatch.setenv("INTSCORE_CONFIG", "from-env.yaml")
    assert find_config(cwd=nested) == Path("from-env.yaml")
    assert find_config("explicit.yaml", cwd=nested) == Path("explicit.yaml")


def test_rank_uses_the_nearest_config_and_says_so(tmp_path):
    shutil.copy(ROOT / "tests" / "data" / "spec6.csv", tmp_path / "r.csv")
    write(tmp_path / "scoring.yaml", BASE)
    result = run("rank", "r.csv", "-f", "csv")
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[0]
        == "rank,integration,score,demand,demand_points,requesters,flags"
    )
    result = run("rank", "r.csv", "-f", "json")
    assert '"source": "scoring.yaml"' in result.stdout


def test_bad_config_exits_2_without_traceback(tmp_path):
    shutil.copy(ROOT / "tests" / "data" / "spec6.csv", tmp_path / "r.csv")
    write(tmp_path / "bad.yaml", BASE.replace("weight: 40", "weight: heavy"))
    result = run("rank", "r.csv", "-c", "bad.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    expected = "error: bad.yaml:6: criteria[0].weight: Input should be a valid number\n"
    assert result.stderr == expected
