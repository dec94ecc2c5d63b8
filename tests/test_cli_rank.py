"""`intscore rank` through the CLI: formats, --top, -o, errors and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, ROOT, run, write

SPEC6 = DATA / "spec6.csv"


def spec6(tmp_path: Path) -> str:
    shutil.copy(SPEC6, tmp_path / "requests.csv")
    return "requests.csv"


def test_top_limits_every_format(tmp_path):
    name = spec6(tmp_path)
    assert run("rank", name, "--top", "2", "-f", "csv").stdout.count("\n") == 3
    doc = json.loads(run("rank", name, "--top", "1", "-f", "json").stdout)
    assert [i["integration"] for i in doc["ranking"]] == ["HubSpot"]
    table = run("rank", name, "--top", "2").stdout
    assert "Workday" not in table
    assert "showing the top 2 of 4 integrations" in table


def test_output_file_is_written_and_input_untouched(tmp_path):
    name = spec6(tmp_path)
    before = (tmp_path / name).read_bytes()
    result = run("rank", name, "-f", "csv", "-o", "ranking.csv")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (tmp_path / "ranking.csv").read_text().startswith("rank,integration,score")
    assert (tmp_path / name).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "ranking.csv", "requests.csv"]


def test_table_to_output_file_has_no_escape_codes(tmp_path):
    name = spec6(tmp_path)
    assert run("rank", name, "-o", "ranking.txt").exit_code == 0
    text = (tmp_path / "ranking.txt").read_text()
    assert "HubSpot" in text
    assert "\x1b" not in text


def test_refuses_to_write_over_an_input(tmp_path):
    name = spec6(tmp_path)
    before = (tmp_path / name).read_bytes()
    result = run("rank", name, "-f", "csv", "-o", name)
    assert result.exit_code == 2
    assert result.stderr == "error: refusing to write over the input file requests.csv\n"
    assert (tmp_path / name).read_bytes() == before


def test_failed_run_leaves_no_output_file(tmp_path):
    write(tmp_path / "bad.csv", "integration,account,account_arr,difficulty\nA,x,lots,1\n")
    result = run("rank", "bad.csv", "-o", "out.csv")
    assert result.exit_code == 2
    assert not (tmp_path / "out.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "bad.csv"]


def test_invalid_value_error_line(tmp_path):
    write(
        tmp_path / "requests.csv",
        "integration,account,account_arr,stage,difficulty\n"
        + "Salesforce,Acme,250000,customer,3\n" * 12
        + "Salesforce,Globex,lots,customer,3\n",
    )
    result = run("rank", "requests.csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: requests.csv:14: account_arr: 'lots' is not a number\n"


def test_at_most_20_errors_then_a_count(tmp_path):
    rows = "".join(f"A{i},acct,bad{i},customer,1\n" for i in range(25))
    write(tmp_path / "r.csv", "integration,account,account_arr,stage,difficulty\n" + rows)
    result = run("rank", "r.csv")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[0] == "error: r.csv:2: account_arr: 'bad0' is not a number"
    assert lines[19] == "error: r.csv:21: account_arr: 'bad19' is not a number"
    assert lines[20] == "... and 5 more"


def test_missing_column_error(tmp_path):
    write(tmp_path / "r.csv", "integration,account\nA,x\n")
    result = run("rank", "r.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: r.csv:1: no 'account_arr' column (needed by account_size)\n"
        "error: r.csv:1: no 'difficulty' column (needed by difficulty)\n"
    )


def test_missing_input_file_and_usage_errors(tmp_path):
    result = run("rank", "nope.csv")
    assert (result.exit_code, result.stderr) == (2, "error: nope.csv: file not found\n")
    result = run("rank", spec6(tmp_path), "-f", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format' / '-f'" in result.stderr
    assert "Traceback" not in result.stderr


def test_csv_output_escapes_formula_cells(tmp_path):
    write(
        tmp_path / "r.csv",
        "integration,account,account_arr,difficulty\n=HYPERLINK(1),x,1,1\n@SUM,y,1,1\n+1,z,1,1\n",
    )
    result = run("rank", "r.csv", "-f", "csv")
    assert result.exit_code == 0
    names = [line.split(",")[1] for line in result.stdout.splitlines()[1:]]
    assert sorted(names) == ["'+1", "'=HYPERLINK(1)", "'@SUM"]


def test_markdown_escapes_pipes_and_newlines(tmp_path):
    write(
        tmp_path / "r.csv",
        'integration,account,account_arr,difficulty\n"Odd | name\nwith newline",x,1,1\n',
    )
    result = run("rank", "r.csv", "-f", "markdown")
    assert "| 1 | Odd \\| name with newline | " in result.stdout


def test_json_is_byte_identical_for_identical_input(tmp_path):
    name = spec6(tmp_path)
    assert run("rank", name, "-f", "json").stdout == run("rank", name, "-f", "json").stdout


def test_version_and_help():
    assert run("--version").stdout == "intscore 0.1.0\n"
    result = run("rank", "--help")
    assert result.exit_code == 0
    assert "--format" in result.stdout


def test_help_does_not_import_pydantic_or_yaml():
    code = (
        "import sys\n"
        "from intscore.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('pydantic', 'yaml', 'intscore.engine.rank')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "HEAVY []"


def test_installed_console_script_runs_the_demo():
    """A real subprocess of the installed `intscore` on the bundled example."""
    exe = Path(sys.executable).with_name("intscore")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(exe), "rank", "examples/requests.csv", "-f", "csv", "--top", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("rank,integration,score")
    assert len(proc.stdout.splitlines()) == 4
    proc = subprocess.run(
        [sys.executable, "-m", "intscore", "rank", "missing.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert (proc.returncode, proc.stderr) == (2, "error: missing.csv: file not found\n")


def test_yaml_example_ranks_like_the_csv_example():
    csv_out = run("rank", str(EXAMPLES / "requests.csv"), "-f", "csv").stdout
    yaml_out = run("rank", str(EXAMPLES / "requests.yaml"), "-f", "csv").stdout
    assert csv_out == yaml_out
    assert len(csv_out.splitlines()) == 15  # 14 integrations


def test_crm_export_with_its_own_scoring():
    result = run(
        "rank",
        str(EXAMPLES / "crm-export.csv"),
        "-c",
        str(EXAMPLES / "crm-scoring.yaml"),
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    top = doc["ranking"][0]
    assert (top["integration"], top["score"]) == ("Salesforce", 80.0)
    names = [i["integration"] for i in doc["ranking"]]
    assert "SFDC" not in names and "MS Teams" not in names
    assert len(names) == 14


def test_unexpected_errors_are_one_line_exit_3_and_debug_shows_them(tmp_path, monkeypatch):
    import pytest

    import intscore.commands.core

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(intscore.commands.core, "rank_files", broken)
    name = spec6(tmp_path)
    result = run("rank", name)
    assert result.exit_code == 3
    assert result.stderr == (
        "error: internal error: RuntimeError: boom "
        "(please report it; --debug shows the traceback)\n"
    )
    with pytest.raises(RuntimeError):
        run("--debug", "rank", name)


PRINTING = [
    ("rank", "requests.csv", "-f", "json"),
    ("rank", "requests.csv", "-f", "markdown"),
    ("check", "requests.csv", "-f", "json"),
    ("explain", "HubSpot", "requests.csv"),
    ("explain", "HubSpot", "requests.csv", "--vs", "Workday", "-f", "json"),
    ("diff", "requests.csv", "--base-requests", "requests.csv", "-f", "markdown"),
    ("sensitivity", "requests.csv", "--runs", "20", "-f", "json"),
    ("matrix", "requests.csv"),
    ("schema",),
]


def test_every_printing_command_writes_to_o_what_it_prints(tmp_path):
    spec6(tmp_path)
    for args in PRINTING:
        printed = run(*args)
        assert printed.exit_code == 0, (args, printed.stderr)
        written = run(*args, "-o", "out.txt")
        assert written.exit_code == 0 and written.stdout == "", args
        text = (tmp_path / "out.txt").read_text(encoding="utf-8")
        if args[0] in ("explain", "matrix"):  # tables: at the file width (120), not 100
            assert text.split()[:3] == printed.stdout.split()[:3], args
        else:
            assert text == printed.stdout, args


def test_shell_completion_is_offered_and_completes_commands_and_options():
    exe = str(Path(sys.executable).with_name("intscore"))
    script = subprocess.run(
        [exe, "--show-completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    assert "_intscore_completion" in script and "complete " in script
    env = {**os.environ, "_INTSCORE_COMPLETE": "complete_bash", "COMP_CWORD": "1"}
    words = {"intscore ra": "rank", "intscore sen": "sensitivity"}
    for typed, completed in words.items():
        got = subprocess.run(
            [exe], env={**env, "COMP_WORDS": typed}, capture_output=True, text=True
        ).stdout.split()
        assert got == [completed]
    got = subprocess.run(
        [exe],
        env={**env, "COMP_WORDS": "intscore sensitivity --va", "COMP_CWORD": "2"},
        capture_output=True,
        text=True,
    ).stdout.split()
    assert got == ["--vary"]
    assert "--install-completion" in run("--help").stdout


def test_engine_duckdb_without_the_fast_extra_is_a_usage_error(monkeypatch):
    from intscore.engine import choice

    monkeypatch.setattr(choice, "duckdb_available", lambda: False)
    result = run("rank", str(EXAMPLES / "requests.csv"), "--engine", "duckdb")
    assert result.exit_code == 2
    assert result.stderr == "error: --engine duckdb needs DuckDB: pip install 'intscore[fast]'\n"


def test_engine_auto_without_the_fast_extra_ranks_in_python_and_says_why(monkeypatch):
    from intscore.engine import choice

    monkeypatch.setattr(choice, "duckdb_available", lambda: False)
    monkeypatch.setattr(choice, "AUTO_DUCKDB_BYTES", 0)
    result = run("rank", str(EXAMPLES / "requests.csv"), "-v", "-f", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "engine: python (DuckDB is not installed (pip install 'intscore[fast]'))\n"
    )
    assert result.stdout == run("rank", str(EXAMPLES / "requests.csv"), "-f", "csv").stdout


def test_an_unknown_engine_is_refused_by_the_option():
    result = run("rank", str(EXAMPLES / "requests.csv"), "--engine", "spark")
    assert result.exit_code == 2
    assert "'spark' is not one of 'auto', 'python', 'duckdb'" in result.stderr


def test_the_engine_option_offers_what_the_api_knows():
    from intscore import cli
    from intscore.engine import choice

    assert tuple(e.value for e in cli.Engine) == choice.ENGINES


def test_the_console_script_leaves_with_the_run_s_exit_code(monkeypatch, capsys):
    """`entry.run` leaves at once (os._exit) with what `sys.exit` would have given: the code,
    0 for none, 1 after the message of sys.exit("...") — with what was written flushed."""
    from intscore import entry

    left: list[int] = []
    monkeypatch.setattr(entry.os, "_exit", left.append)
    for raised, code in [(SystemExit(2), 2), (SystemExit(None), 0), (SystemExit("no"), 1)]:

        def main(raised: SystemExit = raised) -> None:
            print("written")
            raise raised

        monkeypatch.setattr(entry, "main", main)
        entry.run()
        assert left[-1] == code
    monkeypatch.setattr(entry, "main", lambda: None)
    entry.run()
    assert left == [2, 0, 1, 0]
    captured = capsys.readouterr()
    assert captured.out == "written\n" * 3
    assert captured.err == "no\n"


def test_python_m_intscore_exits_with_the_commands_code(tmp_path):
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "intscore",
            "rank",
            str(ROOT / "examples" / "requests.csv"),
            "-f",
            "csv",
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and ok.stdout.startswith("rank,integration,score")
    assert len(ok.stdout.splitlines()) == 15  # the header and every integration: all flushed
    missing = subprocess.run(
        [sys.executable, "-m", "intscore", "rank", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr == f"error: {tmp_path / 'none.csv'}: file not found\n"


@pytest.mark.parametrize("args", [["--help", "rank"], ["-h", "check"], ["--debug", "-h", "plan"]])
def test_help_before_a_command_lists_every_command(args):
    from intscore.cli import COMMANDS

    out = subprocess.run(
        [sys.executable, "-m", "intscore", *args], capture_output=True, text=True, check=True
    ).stdout
    listed = out.split("Commands:")[1].split()
    assert [name for name in COMMANDS if name in listed] == list(COMMANDS)


def test_the_line_check_stops_when_the_run_has_ended(tmp_path):
    from threading import Event

    from intscore.engine.duckdb_lines import Unsupported, count_lines

    path = write(tmp_path / "r.csv", "integration\nA\n" * 10)
    assert count_lines(str(path), ",") == 20
    stop = Event()
    stop.set()
    with pytest.raises(Unsupported, match="stopped"):
        count_lines(str(path), ",", stop)
