"""`intscore matrix` and `intscore report`: quadrants, the HTML page, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run, write
from intscore.model.loading import builtin_config_text

CONFIG = """\
version: 1
criteria:
  - id: value
    field: value
    scale: {min: 0, max: 100, points: 100}
  - id: ease
    kind: effort
    field: ease
    scale: {min: 0, max: 100, points: 100}
"""


PRESETS = ROOT / "src" / "intscore" / "model" / "presets"


def test_quadrants_including_points_exactly_on_the_split(tmp_path):
    # effort = 100 - ease; a point exactly on a split counts as high on that axis.
    write(tmp_path / "scoring.yaml", CONFIG)
    write(
        tmp_path / "m.csv",
        "integration,value,ease\n"
        "Quick,80,80\n"  # value 80, effort 20
        "Bet,80,10\n"  # value 80, effort 90
        "Fill,10,90\n"  # value 10, effort 10
        "Pit,10,10\n"  # value 10, effort 90
        "OnBoth,50,50\n"  # value 50 (high), effort 50 (high): a big bet
        "OnValue,50,51\n"  # value 50 (high), effort 49: a quick win
        "OnEffort,49,50\n",  # value 49 (low), effort 50 (high): a money pit
    )
    doc = json.loads(run("matrix", "m.csv", "-f", "json").stdout)
    got = {i["integration"]: (i["value"], i["effort"], i["quadrant"]) for i in doc["items"]}
    assert got == {
        "Quick": (80, 20, "Quick wins"),
        "Bet": (80, 90, "Big bets"),
        "Fill": (10, 10, "Fill-ins"),
        "Pit": (10, 90, "Money pits"),
        "OnBoth": (50, 50, "Big bets"),
        "OnValue": (50, 49, "Quick wins"),
        "OnEffort": (49, 50, "Money pits"),
    }
    doc = json.loads(run("matrix", "m.csv", "-f", "json", "--split", "85").stdout)
    assert {i["integration"]: i["quadrant"] for i in doc["items"]}["Bet"] == "Money pits"


def test_matrix_in_80_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("matrix", str(EXAMPLES / "requests.csv"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[3].startswith("╭─") and "Quick wins (6)" in lines[3] and "Big bets (5)" in lines[3]
    assert "│ Microsoft Teams     80.0  v 75 e  0  │" in result.stdout


def test_matrix_needs_an_effort_criterion(tmp_path):
    write(tmp_path / "scoring.yaml", CONFIG.replace("    kind: effort\n", ""))
    write(tmp_path / "m.csv", "integration,value,ease\nA,1,1\n")
    result = run("matrix", "m.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the matrix needs at least one criterion with `kind: effort` "
        "(e.g. build difficulty); this config has none\n"
    )


@pytest.fixture
def report(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    result = run("report", "requests.csv", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "wrote report.html\n"
    return tmp_path / "report.html"


def test_report_structure(report):
    html = report.read_text(encoding="utf-8")
    names = [
        line.split(",")[1]
        for line in run("rank", "requests.csv", "-f", "csv").stdout.splitlines()[1:]
    ]
    assert len(names) == 14
    table = html.split('<table id="ranking">')[1].split("</table>")[0]
    chart = re.search(r'<svg id="matrix".*?</svg>', html, re.S).group(0)
    for name in names:
        assert f"<td>{name}" in table
        assert name in chart
    root = ET.fromstring(chart)  # well-formed SVG
    assert root.tag == "svg"
    assert len(root.findall(".//circle")) >= 5
    assert html.count('<svg class="bar"') == 14
    assert "generated 2026-09-21 " in html
    assert "config: <code>built-in default</code>" in html
    # The built-in default to copy or download, as shipped (its weights in place).
    assert f'<pre id="weights-yaml">\n{escape(builtin_config_text())}</pre>' in html
    assert 'download="scoring.yaml"' in html
    assert "requests.csv (70 rows)" in html


def test_report_has_no_external_references(report):
    html = report.read_text(encoding="utf-8")
    assert "<script src" not in html and html.count("<script>") == 1  # its own, inline
    assert "<link" not in html
    assert "@import" not in html
    assert "url(" not in html
    # One link (and the script that sets it): the config to download, inline.
    links = re.findall(r'(src|href)\s*=\s*"([^"]*)"', html)
    assert {(a, v.split(",")[0]) for a, v in links} == {("href", "data:text/yaml;charset=utf-8")}
    assert "fetch(" not in html and "XMLHttpRequest" not in html
    addresses = re.findall(r"https?://[^\s\"']+", html)
    assert set(addresses) == {"http://www.w3.org/2000/svg"}  # a namespace name, not a fetch


def test_report_escapes_names_and_never_writes_over_inputs(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,account,account_arr,difficulty\n<script>alert(1)</script>,a,1,1\n",
    )
    assert run("report", "r.csv", "-o", "r.html").exit_code == 0
    html = (tmp_path / "r.html").read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    before = (tmp_path / "r.csv").read_bytes()
    result = run("report", "r.csv", "-o", "r.csv")
    assert result.exit_code == 2
    assert (tmp_path / "r.csv").read_bytes() == before


def test_report_weights_are_written_exactly_as_the_config_has_them(tmp_path):
    """The sliders and the YAML to copy show a weight as the config gives it: not rounded to
    2 decimals or 6 significant digits, and without separators."""
    config = CONFIG.replace("field: value\n", "field: value\n    weight: 33.125\n")
    config = config.replace("field: ease\n", "field: ease\n    weight: 654321.5\n")
    write(tmp_path / "scoring.yaml", config)
    write(tmp_path / "m.csv", "integration,value,ease\nA,80,80\nB,20,40\n")
    assert run("report", "m.csv", "-o", "r.html").exit_code == 0
    html = (tmp_path / "r.html").read_text()
    inputs = re.findall(r"<input [^>]*>", html)
    assert [re.findall(r'(max|value)="([^"]*)"', i) for i in inputs] == [
        [("max", "654354.625"), ("value", "33.125")],
        [("max", "1000000"), ("value", "33.125")],  # a number box: up to what the config takes
        [("max", "654354.625"), ("value", "654321.5")],
        [("max", "1000000"), ("value", "654321.5")],
    ]
    yaml_copy = re.search(r'<pre id="weights-yaml">\n(.*?)</pre>', html, re.S).group(1)
    assert yaml_copy == escape(config)  # the whole file, as written


def test_report_for_a_formula_config_explains_missing_parts(tmp_path):
    shutil.copy(EXAMPLES / "presets" / "ice.csv", tmp_path / "ice.csv")
    shutil.copy(PRESETS / "ice.yaml", tmp_path / "scoring.yaml")
    assert run("report", "ice.csv", "-o", "ice.html").exit_code == 0
    html = (tmp_path / "ice.html").read_text()
    assert "scores with a formula" in html
    assert '<svg id="matrix"' in html  # ICE has an effort criterion (ease)
