"""Formulas, framework presets and build-or-buy recommendation rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, ROOT, run, write
from intscore.model.formula import FormulaError, compile_formula

PRESETS = ROOT / "src" / "intscore" / "model" / "presets"


def ranking_of(*args: str) -> list[tuple]:
    result = run("rank", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return [(i["rank"], i["integration"], i["score"]) for i in json.loads(result.stdout)["ranking"]]


# --- presets, hand-computed ---------------------------------------------------------------------


def test_rice_preset():
    # reach × impact × confidence / effort
    assert ranking_of(str(EXAMPLES / "presets" / "rice.csv"), "-c", str(PRESETS / "rice.yaml")) == [
        (1, "Slack", 800.0),  # 800 × 0.5 (low) × 1.0 (100%) / 0.5
        (2, "HubSpot", 300.0),  # 300 × 1 (medium) × 1.0 (high) / 1
        (3, "Salesforce", 200.0),  # 500 × 2 (high) × 0.8 / 4
        (4, "Workday", 30.0),  # 120 × 3 (massive) × 0.5 (low) / 6
        (5, "NetSuite", 9.0),  # 90 × 0.25 (minimal) × 0.8 (medium) / 2
        (6, "Zendesk", None),  # effort 0: division by zero, flagged and last
    ]


RICE_WORKED = EXAMPLES / "presets" / "rice-percent.csv"


def test_rice_worked_example_typed_with_percent_signs():
    # The example introductory articles print, typed as a spreadsheet shows it ("1,000",
    # "80 %", "90%"): reach × impact × confidence / effort.
    assert RICE_WORKED.read_text(encoding="utf-8") == (
        "integration,reach,impact,confidence,effort\n"
        'Feature A,"1,000",2,80 %,5\n'
        "Feature B,500,1,90%,2\n"
        'Feature C,"2,000",1,70%,8\n'
    )
    assert ranking_of(str(RICE_WORKED), "-c", str(PRESETS / "rice.yaml")) == [
        (1, "Feature A", 320.0),  # 1,000 × 2 × 0.8 = 1,600; / 5 = 320
        (2, "Feature B", 225.0),  # 500 × 1 × 0.9 = 450; / 2 = 225
        (3, "Feature C", 175.0),  # 2,000 × 1 × 0.7 = 1,400; / 8 = 175
    ]


GERMAN_RICE = """\
integration;reach;impact;confidence;effort
Feature A;1.000;2;80 %;5
Feature B;500;1;90 %;2
Feature C;2.000;1;70 %;8
"""


def test_rice_worked_example_from_a_semicolon_file_with_a_decimal_comma(tmp_path):
    # German Excel: `;` between cells, `1.000` is a thousand, `12,5 %` is 0.125.
    write(tmp_path / "r.csv", GERMAN_RICE + "Feature D;400;1;12,5 %;0,5\n")
    assert ranking_of("r.csv", "-c", str(PRESETS / "rice.yaml"), "--decimal-comma") == [
        (1, "Feature A", 320.0),  # 1,000 × 2 × 0.8 / 5
        (2, "Feature B", 225.0),  # 500 × 1 × 0.9 / 2
        (3, "Feature C", 175.0),  # 2,000 × 1 × 0.7 / 8
        (4, "Feature D", 100.0),  # 400 × 1 × 0.125 = 50; / 0.5 = 100
    ]


def test_rice_confidence_is_any_percentage_or_a_named_level(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,reach,impact,confidence,effort\n"
        "A,100,1,37%,1\n"
        "B,100,1,high,1\n"
        "C,100,1, Medium ,1\n"
        "D,100,1,LOW,1\n"
        "E,100,1,0.37,1\n"
        "F,100,massive,100 %,0.5\n"
        "G,100,0.25,0%,1\n"
        "H,100,1,150%,1\n",
    )
    assert ranking_of("r.csv", "-c", str(PRESETS / "rice.yaml")) == [
        (1, "F", 600.0),  # 100 × 3 (massive) × 1 / 0.5 person-months
        (2, "B", 100.0),  # 100 × 1 × 1 (high = 100 %) / 1
        (2, "H", 100.0),  # 150 % counts as 100 % (the scale's top): 100 × 1 × 1 / 1
        (4, "C", 80.0),  # medium = 80 %: 100 × 1 × 0.8 / 1
        (5, "D", 50.0),  # low = 50 %
        (6, "A", 37.0),  # 100 × 1 × 0.37 / 1
        (6, "E", 37.0),  # 0.37 is 37 %
        (8, "G", 0.0),  # 100 × 0.25 × 0 / 1
    ]


def test_rice_refuses_what_is_neither_a_percentage_nor_a_level(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,reach,impact,confidence,effort\nA,100,1,hgh,1\nB,100,1,80%,1\n",
    )
    result = run("rank", "r.csv", "-c", str(PRESETS / "rice.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: r.csv:2: confidence: 'hgh' is not a number; levels: high, medium, low\n"
        "error: r.csv:2: confidence: no value for 'A'\n"
    )


def test_docs_show_each_preset_example_as_the_tests_rank_it():
    docs = (ROOT / "docs" / "presets.md").read_text(encoding="utf-8")
    for name in ("rice-percent.csv", "ice.csv", "wsjf.csv"):
        text = (EXAMPLES / "presets" / name).read_text(encoding="utf-8")
        assert f"```csv\n{text}```" in docs, name
    assert f"```csv\n{GERMAN_RICE}```" in docs
    assert "docs/presets.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_wsjf_preset():
    # SAFe: cost of delay (business value + time criticality + risk reduction) / job size;
    # every column has one 1 (relative estimates), so check has nothing to say.
    args = (str(EXAMPLES / "presets" / "wsjf.csv"), "-c", str(PRESETS / "wsjf.yaml"))
    assert ranking_of(*args) == [
        (1, "Slack", 20.0),  # (5 + 13 + 2) / 1 = 20 / 1
        (2, "Salesforce", 5.2),  # (13 + 8 + 5) / 5 = 26 / 5
        (3, "HubSpot", pytest.approx(14 / 3)),  # (8 + 5 + 1) / 3 = 4.67
        (4, "Jira", 3.0),  # (1 + 2 + 3) / 2 = 6 / 2
        (5, "Workday", pytest.approx(29 / 13)),  # (20 + 1 + 8) / 13 = 2.23
    ]
    checked = run("check", *args)
    assert checked.exit_code == 0
    assert checked.stdout == f"no problems (1 file, 5 rows) · config: {args[2]}\n"


def test_ice_preset():
    assert ranking_of(str(EXAMPLES / "presets" / "ice.csv"), "-c", str(PRESETS / "ice.yaml")) == [
        (1, "Slack", 450.0),  # 5 × 9 × 10
        (2, "HubSpot", 432.0),  # 6 × 8 × 9
        (3, "Jira", 343.0),  # 7 × 7 × 7
        (4, "Salesforce", 192.0),  # 8 × 6 × 4
        (5, "Workday", 90.0),  # 9 × 5 × 2
    ]


def test_ice_as_the_mean_of_its_three_ratings(tmp_path):
    # The preset documents the mean as its one-line alternative: apply it as written there.
    text = (PRESETS / "ice.yaml").read_text(encoding="utf-8")
    alternative = "formula: (impact + confidence + ease) / 3"
    assert f"#   {alternative}\n" in text
    write(tmp_path / "ice.yaml", text.replace("formula: impact * confidence * ease", alternative))
    assert ranking_of(str(EXAMPLES / "presets" / "ice.csv"), "-c", "ice.yaml") == [
        (1, "Slack", 8.0),  # (5 + 9 + 10) / 3 = 24 / 3
        (2, "HubSpot", pytest.approx(23 / 3)),  # (6 + 8 + 9) / 3 = 7.67
        (3, "Jira", 7.0),  # (7 + 7 + 7) / 3 = 21 / 3
        (4, "Salesforce", 6.0),  # (8 + 6 + 4) / 3 = 18 / 3
        (5, "Workday", pytest.approx(16 / 3)),  # (9 + 5 + 2) / 3 = 5.33
    ]


def test_wsjf_values_off_the_fibonacci_scale_are_errors(tmp_path):
    write(
        tmp_path / "w.csv",
        "integration,business_value,time_criticality,risk_reduction,job_size\nA,4,1,1,1\n",
    )
    result = run("rank", "w.csv", "-c", str(PRESETS / "wsjf.yaml"))
    assert result.exit_code == 2
    assert result.stderr == ("error: w.csv:2: business_value: '4' is not one of the map's keys\n")


@pytest.mark.parametrize("preset", ["default", "rice", "wsjf", "ice"])
def test_init_writes_each_preset(tmp_path, preset):
    result = run("init", "--preset", preset)
    assert result.exit_code == 0
    text = (tmp_path / "scoring.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=./scoring.schema.json\n")
    if preset != "default":
        shutil.copy(EXAMPLES / "presets" / f"{preset}.csv", tmp_path / "in.csv")
        assert run("rank", "in.csv").exit_code == 0


def test_spec_example_unchanged_under_the_default_config_with_rules():
    assert ranking_of(str(DATA / "spec6.csv")) == [
        (1, "HubSpot", 60.0),
        (2, "Salesforce", 50.0),
        (3, "Workday", 40.0),
        (4, "NetSuite", 0.0),
    ]


# --- formulas -----------------------------------------------------------------------------------

BASE = """\
version: 1
criteria:
  - id: reach
    field: reach
  - id: effort
    field: effort
formula: {formula}
"""


def config_error(tmp_path: Path, formula: str) -> str:
    write(tmp_path / "scoring.yaml", BASE.format(formula=formula))
    write(tmp_path / "r.csv", "integration,reach,effort\nA,1,1\n")
    result = run("rank", "r.csv")
    assert result.exit_code == 2
    return result.stderr


def test_formula_syntax_error_names_the_line(tmp_path):
    assert config_error(tmp_path, '"reach * / effort"') == (
        "error: scoring.yaml:7: formula: syntax error at column 9: invalid syntax\n"
    )


def test_formula_unknown_name(tmp_path):
    assert config_error(tmp_path, "reach / efort") == (
        "error: scoring.yaml:7: formula: unknown name 'efort' (criteria: effort, reach)\n"
    )


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ('"reach.__class__"', "attribute access (reach.__class__) is not allowed in a formula"),
        (
            "\"__import__('os').system('ls')\"",
            "'__import__('os').system' is not an allowed function "
            "(allowed: min, max, log, sqrt, abs)",
        ),
        ('"eval(reach)"', "'eval' is not an allowed function (allowed: min, max, log, sqrt, abs)"),
        ('"[reach][0]"', "indexing ([reach][0]) is not allowed in a formula"),
        (
            '"reach if effort else 1"',
            "if/else (reach if effort else 1) is not allowed in a formula",
        ),
        ('"sqrt(reach, effort)"', "sqrt() takes 1 argument, not 2"),
        ('"min(reach)"', "min() takes at least 2 arguments, not 1"),
        ('"reach // effort"', "operator // is not allowed (use + - * / **)"),
        ("\"'text'\"", "'text' is not a number"),
    ],
)
def test_formula_rejects_anything_but_arithmetic(tmp_path, formula, message):
    assert config_error(tmp_path, formula) == f"error: scoring.yaml:7: formula: {message}\n"


def test_formula_math_errors_flag_one_integration_and_rank_it_last(tmp_path):
    write(tmp_path / "scoring.yaml", BASE.format(formula='"log(reach) / effort"'))
    write(tmp_path / "r.csv", "integration,reach,effort\nA,100,2\nB,0,1\nC,10,0\nD,10,1\n")
    result = run("rank", "r.csv", "-f", "json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)["ranking"]
    # ln(100) / 2 and ln(10) / 1 are equal: A and D share rank 1, listed by name.
    assert [(i["rank"], i["integration"]) for i in items] == [
        (1, "A"),
        (1, "D"),
        (3, "B"),
        (3, "C"),
    ]
    assert [i["integration"] for i in items] == ["A", "D", "B", "C"]
    assert items[0]["score"] == pytest.approx(2.302585093)  # ln(100) / 2
    assert items[2]["score"] is None and items[2]["flags"] == ["formula:log of 0"]
    assert items[3]["score"] is None and items[3]["flags"] == ["formula:division by zero"]
    assert items[0]["criteria"]["reach"]["contribution"] is None
    table = run("rank", "r.csv").stdout
    assert "  C: formula error: division by zero" in table
    check = run("check", "r.csv")
    assert check.exit_code == 1
    assert (
        "r.csv:4: error: the formula fails for 'C': division by zero; it ranks last" in check.stdout
    )


def test_formula_overflow_is_a_flag_not_a_crash():
    f = compile_formula("reach ** effort", {"reach", "effort"})
    with pytest.raises(OverflowError):
        f({"reach": 10.0, "effort": 5000.0})
    with pytest.raises(FormulaError):
        compile_formula("(" * 300 + "reach" + ")" * 300, {"reach"})


def test_sensitivity_refuses_formula_configs(tmp_path):
    write(tmp_path / "scoring.yaml", BASE.format(formula="reach / effort"))
    write(tmp_path / "r.csv", "integration,reach,effort\nA,1,1\n")
    result = run("sensitivity", "r.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: sensitivity varies the weights of the weighted sum, "
        "but this config scores with a formula\n"
    )


# --- recommendation rules -----------------------------------------------------------------------

RULES = """\
version: 1
columns: {core: core, region: region}
criteria:
  - id: demand
    aggregate: count
    bands: [{min: 0, points: 0}, {min: 2, points: 1}, {min: 4, points: 2}]
recommend:
  - when: {core: [yes, true]}
    then: Build in-house
    because: Core to the product.
  - when: {region: [EU, APAC], demand: {at_least: 1}}
    then: Partner
    because: Regional demand.
  - when: {score: {below: 50}}
    then: Defer
  - then: Buy
    because: Not core.
"""


def advice(tmp_path: Path, rows: str) -> dict[str, tuple]:
    write(tmp_path / "scoring.yaml", RULES)
    write(tmp_path / "r.csv", "integration,account,core,region\n" + rows)
    items = json.loads(run("rank", "r.csv", "-f", "json").stdout)["ranking"]
    return {
        i["integration"]: (
            i["recommendation"]["label"],
            i["recommendation"]["rule"],
            i["recommendation"]["reason"],
        )
        for i in items
    }


def test_rules_first_match_wins_lists_score_points_and_default(tmp_path):
    rows = (
        "Core,a,Yes,EU\nCore,b,,EU\n"  # core (any case) wins over the region rule below it
        "Eu,a,no,eu\nEu,b,,\n"  # region EU (case-insensitive) and demand points 1
        "Asia,a,n,APAC\n"  # APAC but demand 0 points: falls to score below 50
        "Big,a,,US\nBig,b,,\nBig,c,,\nBig,d,,\n"  # score 100: the default
    )
    assert advice(tmp_path, rows) == {
        "Core": ("Build in-house", 1, "core is 'Yes'"),
        "Eu": ("Partner", 2, "region is 'eu'; demand points 1 ≥ 1"),
        "Asia": ("Defer", 3, "score 0 < 50"),
        "Big": ("Buy", 4, "default rule"),
    }


def test_explain_shows_which_rule_fired(tmp_path):
    advice(tmp_path, "Core,a,true,\n")
    result = run("explain", "Core", "r.csv")
    assert "Recommendation: Build in-house (rule 1: core is 'true') — Core to the product." in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            "recommend:\n  - when: {score: gold}\n    then: X\n",
            "recommend: rule 1: 'score' is the score or a criterion's points: test it with "
            "below and/or at_least",
        ),
        (
            "recommend:\n  - when: {demand: {within: 3d}}\n    then: X\n",
            "recommend: rule 1: 'demand' is the score or a criterion's points: test it with "
            "below and/or at_least",
        ),
        (
            "recommend:\n  - then: X\n  - when: {score: {below: 3}}\n    then: Y\n",
            "recommend: rule 1 has no `when`, so the rules after it can never apply; "
            "only the last rule may be the default",
        ),
        (
            "recommend:\n  - when: {score: {}}\n    then: X\n",
            "recommend[0].when: score: give not, at_least/below, or within/after/before",
        ),
    ],
)
def test_rules_are_validated_at_load_time(tmp_path, rules, message):
    base = RULES.split("recommend:")[0]
    write(tmp_path / "scoring.yaml", base + rules)
    write(tmp_path / "r.csv", "integration\nA\n")
    result = run("rank", "r.csv")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: scoring.yaml:")
    assert line.split(": ", 2)[2] == message


def test_default_config_rules_follow_the_seed_method(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,account,account_arr,stage,difficulty,core,customization,maintenance_capacity\n"
        "Billing,a,900000,customer,5,yes,,\n"
        "Ledger,a,900000,customer,2,,high,no\n"
        "Portal,a,900000,customer,2,,high,\n"
        "Niche,a,1000,prospect,5,,,\n"
        "Chat,a,900000,customer,1,no,low,yes\n",
    )
    items = json.loads(run("rank", "r.csv", "-f", "json").stdout)["ranking"]
    got = {i["integration"]: i["recommendation"]["label"] for i in items}
    assert got == {
        "Billing": "Build in-house",  # core
        "Ledger": "Buy",  # no capacity to maintain comes before customization
        "Portal": "Build in-house",  # highly customized
        "Niche": "Defer",  # low score
        "Chat": "Buy",  # the default
    }


def test_schema_accepts_the_presets():
    """Every preset, and the built-in default, is valid against the committed JSON Schema (what
    an editor checks as the user types) and loads (what intscore checks)."""
    import jsonschema

    from intscore.model.loading import load_config
    from intscore.read.structured import load_yaml

    schema = json.loads((ROOT / "scoring.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in [*PRESETS.glob("*.yaml"), ROOT / "scoring.yaml"]:
        data = json.loads(json.dumps(load_yaml(path.read_text())))  # plain dicts and lists
        assert list(validator.iter_errors(data)) == [], path.name
        load_config(path)
    broken = {"version": 1, "criteria": [{"id": "x", "wieght": 2, "bands": []}]}
    assert list(validator.iter_errors(broken)), "the schema must refuse a typo"
