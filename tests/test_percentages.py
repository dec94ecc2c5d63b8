"""Percentages are numbers (`80%` is 0.8 wherever a number is read), a column that mixes them
with plain numbers above 1 is `ambiguous-number`, criteria may name levels that stand for
numbers, and `relative: true` columns are checked for their smallest item."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, run, write
from intscore.engine.number_columns import NumberColumn
from intscore.matching import category_key
from intscore.model.levels import Levels
from intscore.numbers import NotANumber, parse_number

MB = 1_000_000


# --- reading a percentage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("80%", 0.8),
        ("80 %", 0.8),
        (" 80% ", 0.8),
        ("80\u00a0%", 0.8),  # French typography: a no-break space before the sign
        ("12.5%", 0.125),
        ("100%", 1.0),
        ("0%", 0.0),
        ("-5%", -0.05),
        ("+7.5 %", 0.075),
        (".5%", 0.005),
        ("1e2%", 1.0),
    ],
)
def test_percentages_read_as_fractions_exactly(text, value):
    # Exactly the float of the fraction typed as a decimal (no 80 * 0.01 = 0.8000000000000002).
    assert parse_number(text) == value
    assert category_key(text) == ("n", value)


@pytest.mark.parametrize(
    ("text", "value"), [("12,5 %", 0.125), ("80%", 0.8), ("1.250,5%", 12.505), ("-0,5%", -0.005)]
)
def test_percentages_with_a_decimal_comma(text, value):
    assert parse_number(text.replace(",", "#").replace(".", ",").replace("#", ".")) == value
    assert parse_number(text, decimal_comma=True) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("%", "'%' is not a number"),
        ("80%%", "'80%%' is not a number"),
        ("$5%", "'$5%' is not a number"),  # currency and percent: not a number
        ("5k%", "'5k%' is not a number"),
        ("% 80", "'% 80' is not a number"),
        ("abc%", "'abc%' is not a number"),
        ("12,5 %", "'12,5 %' is not a number (for a decimal comma, use --decimal-comma)"),
    ],
)
def test_what_is_not_a_percentage(text, message):
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    assert str(info.value) == message


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    fraction=st.text(alphabet="0123456789", max_size=6),
    spaced=st.booleans(),
)
def test_a_percentage_is_its_decimal_moved_two_places(whole, fraction, spaced):
    digits = f"{whole}.{fraction}" if fraction else str(whole)
    text = digits + (" %" if spaced else "%")
    expected = float(Decimal(digits).scaleb(-2))  # the fraction, rounded once
    assert parse_number(text) == expected
    assert parse_number(text.replace(".", ","), decimal_comma=True) == expected
    assert category_key(text) == ("n", expected)


def test_hostile_percent_cells_are_refused_in_linear_time():
    cells = {
        "percent signs": "%" * MB,
        "digits then percent": "1" * MB + "%",
        "spaces before percent": "1" + " " * MB + "%",
        "percent then digits": "%" + "1" * MB,
        "signs then percent": "-" * MB + "%",
    }
    levels = Levels({"high": 1.0})
    start = time.perf_counter()
    for shape, cell in cells.items():
        for decimal_comma in (False, True):
            with pytest.raises(NotANumber) as info:
                levels.read(cell, decimal_comma)
            assert len(str(info.value)) < 120, shape  # a short piece of the cell shown
        assert category_key(cell)[0] == "s", shape
    column = NumberColumn()
    for line in range(MB // 10):  # many distinct texts: memory and time stay flat
        column.observe(f"{line}%", line / 100, line)
    assert column.examples["percent"] == [("0%", 0.0, 0), ("1%", 0.01, 1), ("2%", 0.02, 2)]
    assert time.perf_counter() - start < 5.0  # quadratic work on 1 MB cells takes hours


# --- the same points as 0.8 in every kind of criterion ------------------------------------------

EVERY_KIND = """\
version: 1
criteria:
  - id: banded
    field: share
    bands: [{min: 0, points: 0}, {min: 0.75, points: 2}]
  - id: scaled
    field: share
    scale: {min: 0, max: 1, points: 10}
  - id: map_of_fractions
    field: label
    map: {0.8: 3, 0.5: 1}
  - id: map_of_percents
    field: label
    map: {"80%": 4, "50%": 1}
"""


def test_80_percent_scores_as_0_8_in_bands_scales_and_maps(tmp_path):
    write(tmp_path / "scoring.yaml", EVERY_KIND)
    write(
        tmp_path / "r.csv",
        "integration,share,label\nTyped as percent,80%,80 %\nTyped as fraction,0.8,0.8\n",
    )
    result = run("rank", "r.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["ranking"]
    points = {i["integration"]: {c: v["points"] for c, v in i["criteria"].items()} for i in items}
    # 0.8 ≥ 0.75: 2 points; scale 0..1 → 10 × 0.8 = 8; map key 0.8 ↔ "80%" both ways: 3, 4.
    expected = {"banded": 2.0, "scaled": 8.0, "map_of_fractions": 3.0, "map_of_percents": 4.0}
    assert points == {"Typed as percent": expected, "Typed as fraction": expected}
    # 100 × (2 + 8 + 3 + 4) / (2 + 10 + 3 + 4) = 100 × 17 / 19
    assert [(i["rank"], i["score"]) for i in items] == [(1, 89.473684211), (1, 89.473684211)]


def test_80_percent_is_0_8_in_a_formula_and_a_condition(tmp_path):
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n  - id: share\n    field: share\n"
        "    where: {share: {at_least: 0.5}}\nformula: share * 100\n",
    )
    write(tmp_path / "r.csv", "integration,share\nA,80%\nB,0.8\nC,40%\n")
    result = run("rank", "r.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["ranking"]
    # 0.8 × 100 = 80 for both spellings; C's 40 % is below 50 %: no value (0 points).
    assert [(i["integration"], i["score"]) for i in items] == [
        ("A", 80.0),
        ("B", 80.0),
        ("C", 0.0),
    ]


def test_a_semicolon_file_with_a_decimal_comma_reads_its_percentages(tmp_path):
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n  - id: share\n    field: share\n"
        "    scale: {min: 0, max: 1, points: 100}\n",
    )
    write(tmp_path / "r.csv", "integration;share\nA;12,5 %\nB;0,8\nC;1.000 %\n")
    result = run("rank", "r.csv", "--decimal-comma", "-f", "json")
    assert result.exit_code == 0, result.stderr
    got = {
        i["integration"]: i["criteria"]["share"]["value"]
        for i in json.loads(result.stdout)["ranking"]
    }
    assert got == {"A": 0.125, "B": 0.8, "C": 10.0}  # 1.000 % is a thousand percent


# --- a column that mixes percentages with plain numbers above 1 ---------------------------------

MIXED = "integration,share\nA,80%\nB,0.5\nC,80\nD,90%\nE,75\nF,1\n"
SHARE = """\
version: 1
criteria:
  - id: share
    field: share
    scale: {min: 0, max: 1, points: 1}
"""
AMBIGUOUS = (
    "share: percentages and plain numbers above 1 in one column: '80%' (line 2), '90%' "
    "(line 5) beside '80' (line 4), '75' (line 6); is 80 meant as 80% (0.8)? write every "
    "value one way"
)


def test_80_percent_beside_80_is_an_ambiguous_number_error_with_the_lines(tmp_path):
    write(tmp_path / "scoring.yaml", SHARE)
    write(tmp_path / "r.csv", MIXED)
    result = run("rank", "r.csv")
    assert result.exit_code == 2
    # Line 4, where the column first holds both; 0.5 and 1 can be shares: not named.
    assert result.stderr == f"error: r.csv:4: {AMBIGUOUS}\n"
    checked = run("check", "r.csv", "-f", "json")
    assert checked.exit_code == 1
    assert json.loads(checked.stdout)["findings"] == [
        {
            "file": "r.csv",
            "line": 4,
            "severity": "error",
            "rule": "ambiguous-number",
            "field": "share",
            "message": AMBIGUOUS.removeprefix("share: "),
        }
    ]


def test_the_ambiguity_names_three_of_each_and_counts_the_rest(tmp_path):
    write(tmp_path / "scoring.yaml", SHARE)
    rows = "".join(f"P{n},{n}%\n" for n in range(1, 6)) + "".join(
        f"N{n},{n + 1}\n" for n in range(1, 5)
    )
    write(tmp_path / "r.csv", "integration,share\n" + rows + "Q,1%\n")
    result = run("check", "r.csv")
    assert result.stdout.splitlines()[0] == (
        "r.csv:7: error: share: percentages and plain numbers above 1 in one column: '1%' "
        "(line 2), '2%' (line 3), '3%' (line 4) and 2 more beside '2' (line 7), '3' (line 8), "
        "'4' (line 9) and 1 more; is 2 meant as 2% (0.02)? write every value one way "
        "[ambiguous-number]"
    )


def test_yaml_numbers_beside_percentages_are_ambiguous_too(tmp_path):
    write(tmp_path / "scoring.yaml", SHARE)
    write(tmp_path / "b.yaml", "- {integration: A, share: 80%}\n- {integration: B, share: 80}\n")
    result = run("rank", "b.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: b.yaml:2: share: percentages and plain numbers above 1 in one column: '80%' "
        "(line 1) beside '80' (line 2);"
    )


@pytest.mark.parametrize(
    "cells",
    [
        ["80%", "0.5", "1", "0"],  # fractions beside percentages: one convention
        ["80", "75", "1200"],  # no percentage
        ["80%", "high"],  # a named level is no plain number
        ["150%", "-1"],
    ],
)
def test_columns_that_are_not_ambiguous(tmp_path, cells):
    write(
        tmp_path / "scoring.yaml",
        SHARE + "    levels: {high: 100%}\n",
    )
    write(
        tmp_path / "r.csv",
        "integration,share\n" + "".join(f"I{n},{c}\n" for n, c in enumerate(cells)),
    )
    result = run("check", "r.csv", "-f", "json")
    assert "ambiguous-number" not in {f["rule"] for f in json.loads(result.stdout)["findings"]}


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=300), st.booleans()), min_size=1, max_size=30
    )
)
def test_a_column_is_ambiguous_exactly_when_it_has_a_percentage_and_a_plain_number_above_1(
    cells,
):
    column = NumberColumn()
    first: dict[str, int] = {}
    for line, (n, percent) in enumerate(cells, 2):
        text = f"{n}%" if percent else str(n)
        column.observe(text, parse_number(text), line)
        if percent:
            first.setdefault("percent", line)
        elif n > 1:
            first.setdefault("plain", line)
    findings = column.findings("f.csv", "share")
    assert column.ambiguous() == (len(first) == 2) == bool(findings)
    if findings:
        # located where the column first holds both
        assert [(f.line, f.rule, f.field) for f in findings] == [
            (max(first.values()), "ambiguous-number", "share")
        ]


def test_both_engines_report_the_ambiguity_alike(tmp_path):
    pytest.importorskip("duckdb", reason="the fast extra (DuckDB) is not installed")
    write(tmp_path / "scoring.yaml", SHARE)
    write(tmp_path / "r.csv", MIXED)
    python = run("rank", "r.csv", "--engine", "python")
    fast = run("rank", "r.csv", "--engine", "duckdb", "-v")
    assert (fast.exit_code, python.exit_code) == (2, 2)
    assert python.stderr == f"error: r.csv:4: {AMBIGUOUS}\n"
    assert fast.stderr.endswith(python.stderr)
    assert "'share' mixes number conventions" in fast.stderr


# --- levels: names that stand for numbers --------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            "    levels: {high: lots}\n    bands: [{min: 0, points: 1}]\n",
            "scoring.yaml:5: criteria[0].levels: high: 'lots' is not a number",
        ),
        (
            "    levels: {80%: 0.8}\n    bands: [{min: 0, points: 1}]\n",
            "scoring.yaml:5: criteria[0].levels: '80%' is a number, not a name: a number reads "
            "as itself",
        ),
        (
            "    levels: {high: 1}\n    map: {a: 1}\n",
            "scoring.yaml:3: criteria[0]: levels name the numbers of a field scored by bands, a "
            "scale or a formula; a map names its categories itself",
        ),
    ],
)
def test_levels_are_checked_when_the_config_loads(tmp_path, criterion, message):
    write(tmp_path / "scoring.yaml", "version: 1\ncriteria:\n  - id: c\n    field: c\n" + criterion)
    write(tmp_path / "r.csv", "integration,c\nA,1\n")
    result = run("rank", "r.csv")
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_one_field_is_read_with_one_set_of_levels(tmp_path):
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n"
        "  - id: a\n    field: c\n    levels: {high: 1}\n    bands: [{min: 0, points: 1}]\n"
        "  - id: b\n    field: c\n    bands: [{min: 0, points: 1}]\n",
    )
    write(tmp_path / "r.csv", "integration,c\nA,1\n")
    result = run("rank", "r.csv")
    assert result.stderr == (
        "error: scoring.yaml:2: criteria: 'a' and 'b' read 'c' with different levels; give "
        "both the same levels\n"
    )


def test_levels_read_names_in_any_case_and_yaml_booleans_by_their_spellings():
    levels = Levels({"high": 1.0, "true": 0.5})
    assert [levels.read(cell) for cell in (" HIGH ", "yes", "On", True, "0.25", "25%")] == [
        1.0,
        0.5,
        0.5,
        0.5,
        0.25,
        0.25,
    ]
    assert levels.level("1") is None  # a number is itself, never a level


# --- relative estimates: the smallest item is 1 ------------------------------------------------

WSJF = ROOT / "src" / "intscore" / "model" / "presets" / "wsjf.yaml"


def test_wsjf_warns_about_a_column_with_no_1(tmp_path):
    write(
        tmp_path / "w.csv",
        "integration,business_value,time_criticality,risk_reduction,job_size\n"
        "A,3,1,2,1\nB,5,2,1,2\nC,2,13,8,3\n",
    )
    result = run("check", "w.csv", "-c", str(WSJF))
    assert result.exit_code == 0  # a warning
    assert result.stdout.splitlines() == [
        "w.csv:4: warning: business_value: no integration has 1 on this relative scale; the "
        "smallest is 2 ('C'): give the smallest item 1 and size the others against it "
        "[no-smallest-item]",
        f"1 warning (1 file, 3 rows) · config: {WSJF}",
    ]
    assert run("check", "w.csv", "-c", str(WSJF), "--strict").exit_code == 1


def test_relative_is_a_criterion_option_not_a_preset(tmp_path):
    write(
        tmp_path / "scoring.yaml",
        "version: 1\ncriteria:\n  - id: size\n    field: size\n    relative: true\n"
        "    bands: [{min: 0, points: 1}]\n"
        "check: {severity: {no-smallest-item: error}}\n",
    )
    write(tmp_path / "r.csv", "integration,size\nA,0.5\nB,2\nC,\n")
    result = run("check", "r.csv")
    assert result.exit_code == 1  # raised to an error by the config
    assert result.stdout.splitlines()[0] == (
        "r.csv:2: error: size: no integration has 1 on this relative scale; the smallest is "
        "0.5 ('A'): give the smallest item 1 and size the others against it [no-smallest-item]"
    )
    write(tmp_path / "r.csv", "integration,size\nA,1\nB,2\n")
    assert run("check", "r.csv").stdout.startswith("no problems")
