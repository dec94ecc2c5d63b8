"""Messy and hostile input (issue 7): real exports read right, nothing is lost silently,
hostile files are refused fast, output is safe, and inputs are never touched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, run, write

EXPORTS = DATA / "exports"
HOSTILE = DATA / "hostile"

TWO_ROWS = [("Salesforce", 250000.0, 30.0), ("HubSpot", 30000.0, 20.0)]


def ranked(*args: str) -> list[tuple]:
    result = run("rank", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["ranking"]
    return [(i["integration"], i["criteria"]["account_size"]["value"], i["score"]) for i in items]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("excel-utf8.csv", []),  # BOM + CRLF
        ("google-sheets.csv", []),  # trailing empty columns, an empty row, Title Case headers
        ("utf16.csv", []),  # UTF-16 with BOM, tab-separated
        ("utf32.csv", []),
        ("UPPER.CSV", []),  # upper-case extension
        ("legacy-cp1252.csv", ["--encoding", "cp1252"]),
    ],
)
def test_real_exports_read_right(name, options):
    assert ranked(str(EXPORTS / name), *options) == TWO_ROWS


def test_european_excel_with_decimal_comma():
    got = ranked(str(EXPORTS / "excel-european.csv"), "--decimal-comma", "--encoding", "cp1252")
    assert got == [("Salesforce", 250000.5, 30.0), ("HubSpot", 30000.0, 20.0)]
    # SPEC §13: a ;-separated file has decimal commas without being told
    assert ranked(str(EXPORTS / "excel-european.csv")) == got
    result = run("rank", str(EXPORTS / "excel-european.csv"), "--decimal-point")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "excel-european.csv:2: account_arr: '250.000,50' is not a number "
        "(for a decimal comma, use --decimal-comma)\n"
    )


def test_crm_export_with_ragged_rows_multiline_notes_and_header_variants():
    result = run("rank", str(EXPORTS / "crm-ragged.csv"), "-f", "json")
    items = json.loads(result.stdout)["ranking"]
    assert [
        (i["integration"], i["criteria"]["account_size"]["value"], i["flags"]) for i in items
    ] == [
        ("Salesforce", 250000.0, []),
        ("HubSpot", 30000.0, ["missing:difficulty"]),  # the short row: its difficulty is blank
    ]


def test_legacy_encoding_without_the_option_suggests_it():
    result = run("rank", str(EXPORTS / "legacy-cp1252.csv"))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "legacy-cp1252.csv:2: is not UTF-8 text; give its encoding, e.g. --encoding cp1252\n"
    )


def test_header_the_config_does_not_know_gets_a_hint():
    result = run("rank", str(EXPORTS / "header-variant.csv"))
    assert result.stderr.splitlines()[-1].endswith(
        "header-variant.csv:1: no 'integration' column (columns: Integration Name, Account); "
        "if 'Integration Name' holds it, add to scoring.yaml: "
        'columns: {integration: "Integration Name"}'
    )


HOSTILE_CASES = {
    # no silent data loss
    "too-many-cells.csv": (
        "2: row has 6 cells but the header has 5; is a delimiter or quote missing?"
    ),
    "duplicate-key.yaml": "3: duplicate key 'account'",
    "duplicate-key.json": "2: duplicate key 'account'",
    "duplicate-header.csv": (
        "2: account: 'account' appears 2 times: columns 2, 3; this field takes one value and "
        "the copies disagree ('Acme' in column 2, 'Globex' in column 3)"
    ),
    "repeated-field.yaml": "3: fields 'account_arr' and 'Account ARR' are the same field",
    "blank-name.csv": (
        "1: integration: no row names an integration: 'integration' is blank in the one row "
        "with data; if another column holds the integrations, map it in scoring.yaml: "
        "columns: {integration: \"COLUMN\"} (columns: 'account', 'account_arr', 'stage', "
        "'difficulty')"
    ),
    "not-a-number.csv": "2: account_arr: 'lots' is not a number",
    # hostile
    "python-tag.yaml": (
        "1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
    ),
    "alias-bomb.yaml": "7: document too large (alias expansion?)",
    "nan.json": "1: NaN is not a valid number in JSON",
    "infinity.json": "1: Infinity is not a valid number in JSON",
    "yaml-nan.yaml": "2: '.nan' is not a finite number",
    "nul-bytes.csv": " looks like a binary file, not CSV text",
    "binary.csv": " looks like a binary file, not CSV text",
    "unknown-extension.xlsx": " is not a .xlsx workbook (not a zip file)",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_bad_and_hostile_files_exit_2_with_one_clear_line(name):
    path = EXPORTS / name if (EXPORTS / name).exists() else HOSTILE / name
    started = time.perf_counter()
    result = run("rank", str(path))
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"error: {path}:{HOSTILE_CASES[name]}".replace(":  ", ": ") in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert elapsed < 2


def test_deep_nesting_and_huge_fields_are_refused_in_bounded_time_and_memory(tmp_path):
    write(tmp_path / "deep.yaml", "- " * 20_000 + "x\n")
    write(tmp_path / "deep.json", "[" * 200_000 + "]" * 200_000)
    write(tmp_path / "huge.csv", "integration,notes\nA," + "x" * 5_000_000 + "\n")
    write(tmp_path / "huge.yaml", "- integration: " + "y" * 5_000_000 + "\n")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from intscore.entry import main\n"
        "sys.argv = ['intscore', 'rank', sys.argv[1]]\n"
        "main()\n"
    )
    expected = {
        "deep.yaml": "error: deep.yaml:1: nested more than 64 levels deep",
        "deep.json": "error: deep.json:1: nested more than 64 levels deep",
        "huge.csv": "error: huge.csv:2: a line is longer than 1,048,576 characters, the most a "
        "row may hold (scoring.yaml `read: max_line_length` raises it)",
        "huge.yaml": "error: huge.yaml: no 'account_arr' column (needed by account_size)",
    }
    for name, line in expected.items():
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code, name], cwd=tmp_path, capture_output=True, text=True
        )
        assert time.perf_counter() - started < 3, name
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stderr.splitlines()[0].replace(":1: no", ": no") == line.replace(
            ":1: no", ": no"
        )


# --- safe output --------------------------------------------------------------------------------

NASTY = (
    "integration,account,account_arr,difficulty\n"
    '"[bold red]Pwn[/bold red] [link=http://evil]x[/link]",a,1,1\n'
    '"Esc\x1b[2J\x1b]0;title\x07 name",b,1,1\n'
    '"Carriage\rReturn",c,1,1\n'
    "=cmd|' /C calc'!A0,d,1,1\n"
)


def test_terminal_output_cannot_be_hijacked(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    write(tmp_path / "n.csv", NASTY)
    out = run("rank", "n.csv").stdout
    assert "[bold red]Pwn[/bold red] [link=http://evil]x[/link]" in out  # shown literally
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "Esc\\x1b[2J\\x1b]0;title\\x07 name" in out
    assert "Carriage Return" in out  # a carriage return in a name is whitespace


def test_csv_markdown_and_json_are_safe(tmp_path):
    write(tmp_path / "n.csv", NASTY)
    csv_out = run("rank", "n.csv", "-f", "csv").stdout
    assert "\n1,'=cmd|' /C calc'!A0," in csv_out
    md = run("rank", "n.csv", "-f", "markdown").stdout
    assert "=cmd\\|' /C calc'!A0" in md
    assert "| Carriage Return |" in md
    doc = json.loads(run("rank", "n.csv", "-f", "json").stdout)
    assert "Carriage Return" in {i["integration"] for i in doc["ranking"]}
    assert "NaN" not in run("rank", "n.csv", "-f", "json").stdout


def test_unicode_names_display_and_align(tmp_path):
    write(
        tmp_path / "u.csv",
        "integration,account,account_arr,difficulty\n"
        "Société Générale Sync,a,1,1\n飞书 Feishu,b,1,1\n🚀 Rocket,c,1,1\nשלום CRM,d,1,1\n",
    )
    from rich.cells import cell_len

    lines = run("rank", "u.csv").stdout.splitlines()
    rows = [line for line in lines if line[:1].isdigit()]
    assert len(rows) == 4
    assert len({cell_len(line.rstrip()) for line in rows}) == 1  # every row ends in one column
    assert any("飞书 Feishu" in line for line in rows)
    assert any("🚀 Rocket" in line for line in rows)


def test_zero_width_characters_group_apart_show_and_warn(tmp_path):
    write(
        tmp_path / "z.csv",
        "integration,account,account_arr,difficulty\nSlack,a,1,1\nSl\u200back,b,1,1\n",
    )
    doc = json.loads(run("rank", "z.csv", "-f", "json").stdout)
    assert sorted(i["integration"] for i in doc["ranking"]) == ["Slack", "Sl\u200back"]
    assert "Sl\\u200back" in run("rank", "z.csv").stdout
    check = run("check", "z.csv").stdout
    assert "'Sl\\u200back' looks like 'Slack'" in check


# --- nothing touched ----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_no_command_writes_renames_or_deletes_inputs(tmp_path):
    shutil.copy(DATA / "spec6.csv", tmp_path / "r.csv")
    shutil.copy(HOSTILE / "duplicate-key.yaml", tmp_path / "bad.yaml")
    (tmp_path / "scoring.yaml").write_text((DATA.parent.parent / "scoring.yaml").read_text())
    before = snapshot(tmp_path)
    mtimes = {p: os.stat(tmp_path / p).st_mtime_ns for p in before}
    for args in (
        ["rank", "r.csv"],
        ["rank", "r.csv", "-f", "json"],
        ["check", "r.csv", "bad.yaml"],
        ["explain", "HubSpot", "r.csv"],
        ["diff", "r.csv", "--base-config", "scoring.yaml"],
        ["sensitivity", "r.csv", "--runs", "20"],
        ["rank", "bad.yaml", "-o", "out.csv"],
        ["rank", "r.csv", "-o", "r.csv"],
        ["rank", "r.csv", "-o", "scoring.yaml"],
    ):
        run(*args)
    assert snapshot(tmp_path) == before  # no new, changed or missing file
    assert {p: os.stat(tmp_path / p).st_mtime_ns for p in before} == mtimes


def test_refuses_to_overwrite_the_config(tmp_path):
    shutil.copy(DATA / "spec6.csv", tmp_path / "r.csv")
    write(tmp_path / "scoring.yaml", (DATA.parent.parent / "scoring.yaml").read_text())
    result = run("rank", "r.csv", "-o", "scoring.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: refusing to write over the input file scoring.yaml\n",
    )
