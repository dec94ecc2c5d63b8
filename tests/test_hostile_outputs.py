"""Hostile input, round four: what an adversarial probe of the whole CLI found (outputs written
over files read only by lookup, NaN options, escape codes in CSV and annotations, a quote
never closed, a committed ranking csv cannot read). Each test fails on the code before its fix."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run, write

HEADER = "integration,account,account_arr,stage,difficulty\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def team(tmp_path, monkeypatch) -> Path:
    """The estimates example: a scoring.yaml found by lookup and three estimators' files."""
    shutil.copytree(EXAMPLES / "estimates", tmp_path / "team")
    monkeypatch.chdir(tmp_path / "team")
    return tmp_path / "team"


def test_no_output_over_the_config_found_by_lookup(team):
    before = digest(team / "scoring.yaml")
    for args in (
        ("check", "requests.csv", "-o", "scoring.yaml"),
        ("rank", "requests.csv", "-o", "scoring.yaml"),
        ("estimates", "template", "requests.csv", "-o", "scoring.yaml", "--force"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr.endswith(
            "error: refusing to write over the input file scoring.yaml\n"
        ), args
    assert digest(team / "scoring.yaml") == before


def test_no_output_over_an_estimators_file(team):
    target = team / "estimates" / "eng-lee.yaml"
    before = digest(target)
    for command in ("rank", "check", "matrix", "sensitivity", "report"):
        result = run(command, "requests.csv", "-o", "estimates/eng-lee.yaml")
        assert result.exit_code == 2, command
        assert "refusing to write over the input file estimates/eng-lee.yaml" in result.stderr
    assert digest(target) == before


def test_a_file_read_by_an_earlier_run_is_not_protected_in_the_next(team):
    # One process, many runs (the Python API, tests): only the running command's inputs count.
    assert run("rank", "requests.csv", "-f", "csv", "-o", "ranking.csv").exit_code == 0
    assert run("check", "requests.csv", "--expect", "ranking.csv").exit_code != 2  # read it
    assert run("rank", "requests.csv", "-f", "csv", "-o", "ranking.csv").exit_code == 0


def test_a_committed_ranking_csv_cannot_read_is_a_finding_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.csv", HEADER + "Slack,Acme,1,customer,1\n")
    write(tmp_path / "big.csv", "a" * 140_000 + "\n")
    result = run("check", "r.csv", "--expect", "big.csv")
    assert result.exit_code == 1
    assert "big.csv:1: error: not a ranking CSV: field larger than field limit" in result.stdout


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--spread", ("sensitivity", "--spread", "nan")),
        ("--split", ("matrix", "--split", "nan")),
        ("--effort-split", ("matrix", "--effort-split", "nan")),
        ("--spread", ("plan", "--vary", "weights", "--spread", "nan", "--runs", "1")),
    ],
)
def test_nan_is_no_value_for_a_float_option(tmp_path, monkeypatch, option, args):
    # NaN passes every min/max test: matrix printed "value ≥ nan", JSON exited 3, plan hung.
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.csv", HEADER + "Slack,Acme,1,customer,1\n")
    result = run(args[0], "r.csv", *args[1:])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr
    assert "nan is not a number" in result.stderr


def test_csv_cells_and_annotations_show_escape_codes_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "r.csv",
        HEADER + "Evil\x1b[31mRed\x1b[0m,Acme,,customer,1\nSla\u200bck,B,5,customer,2\n",
    )
    ranked = run("rank", "r.csv", "-f", "csv").stdout
    assert "\x1b" not in ranked and "\u200b" not in ranked
    assert "Evil\\x1b[31mRed\\x1b[0m" in ranked and "Sla\\u200bck" in ranked
    checked = run("check", "r.csv", "-f", "github").stdout
    annotations = [line for line in checked.splitlines() if line.startswith("::")]
    assert annotations and not any("\x1b" in line for line in annotations)
    assert any("Evil\\x1b[31mRed\\x1b[0m" in line for line in annotations)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_quote_never_closed_is_an_error_not_one_long_name(tmp_path, monkeypatch, engine):
    # The quote on line 2 took lines 3 and 4 into one integration name, with exit 0.
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "r.csv",
        HEADER + '"Slack,Acme,1,customer,1\nJira,B,1,customer,1\nZoom,C,1,customer,1\n',
    )
    result = run("rank", "r.csv", "--engine", engine)
    assert result.exit_code == 2
    assert result.stderr == (
        'error: r.csv:2: a quote (") opened in the row of line 2 is never closed: it takes in '
        "every line to the end of the file (line 4)\n"
    )


def test_quoted_line_breaks_that_close_still_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "r.csv",
        HEADER + 'Jira,B,1,customer,1\n"Slack\nTeams",Acme,1,customer,1',  # no final newline
    )
    result = run("rank", "r.csv", "-f", "csv")
    assert result.exit_code == 0
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == [
        "Jira",
        "Slack Teams",
    ]
