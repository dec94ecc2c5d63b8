"""Hostile input, round two (issue 12): each defect found by trying the build as an attacker
would, with the regression test that fails on the code before the fix."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, assert_inert, github_markdown, run, write

MB = 1 << 20
HEADER = "integration,account,account_arr,stage,difficulty\n"


@contextmanager
def hang_guard(seconds: float = 60.0):
    """Fail instead of hanging where Python code loops (quadratic code on a 1 MB input never
    finishes). Not a speed target: that is `make bench`. A regular expression running in C
    cannot be interrupted, so those are run in a child process with a timeout."""

    def expired(signum, frame):
        raise TimeoutError(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def intscore(*args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """The installed `intscore` in a child process that is killed after `timeout` seconds."""
    exe = Path(sys.executable).with_name("intscore")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


ADVERSARIAL_CELLS = {
    "currency-spaces": "USD" + " " * (MB // 2) + "1" + " " * (MB // 2) + "x",
    "digits-then-letter": "1" * MB + "x",
    "thousands-groups": "1," * (MB // 2) + "x",
    "dots-and-digits": ".1" * (MB // 2) + "x",
    "signs": "-" * MB,
    "exponent": "1e" + "1" * MB,
    "spaces-only-inside": "$ " + "1 " * (MB // 2),
}


def test_every_cell_converter_is_linear_on_1mb_cells():
    code = """
import json, sys
from intscore.matching import category_key
from intscore.numbers import NotANumber, parse_number
out = {}
for shape, cell in json.load(sys.stdin).items():
    messages = []
    for decimal_comma in (False, True):
        try:
            parse_number(cell, decimal_comma=decimal_comma)
        except NotANumber as exc:
            messages.append(str(exc))
    out[shape] = (messages, category_key(cell)[0])
print(json.dumps(out))
"""
    child = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(ADVERSARIAL_CELLS),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results = json.loads(child.stdout)
    for shape, (messages, kind) in results.items():
        assert len(messages) == 2, shape  # not a number, either way
        assert all(len(m) < 120 for m in messages), shape  # a short piece of the cell shown
        assert kind == "s", shape  # in a mapped column: text, not a number


def test_rank_and_check_on_files_of_hostile_cells(tmp_path):
    """1 MB cells in JSON (a CSV field stops at 128 KiB: 100 KB cells there)."""
    rows = [
        {"integration": "A", "account": "acme", "account_arr": cell, "difficulty": cell}
        for cell in ADVERSARIAL_CELLS.values()
    ]
    rows.append({"integration": "x" * MB, "account": " " * MB + "y", "account_arr": 1})
    write(tmp_path / "hostile.json", json.dumps(rows))
    small = [cell[:100_000] for cell in ADVERSARIAL_CELLS.values()]
    lines = [f'A,acme,"{cell}",customer,"{cell}"' for cell in small]
    write(tmp_path / "hostile.csv", HEADER + "\n".join(lines) + "\n")
    for name in ("hostile.json", "hostile.csv"):
        result = intscore("rank", name)
        assert result.returncode == 2
        assert "account_arr: " in result.stderr and "is not a number" in result.stderr
        assert max(len(line) for line in result.stderr.splitlines()) < 200
        checked = intscore("check", name, "-f", "json")
        assert checked.returncode == 1
        assert "invalid-value" in {f["rule"] for f in json.loads(checked.stdout)["findings"]}


def test_long_names_are_reported_once_and_not_compared(tmp_path):
    names = [chr(ord("a") + n % 26) * 5000 + str(n) for n in range(200)]
    path = write(tmp_path / "r.csv", "integration\n" + "\n".join(names) + "\n")
    with hang_guard():
        result = run("check", str(path), "-f", "json")
    found = json.loads(result.stdout)["findings"]
    rules = [f["rule"] for f in found]
    assert rules.count("long-name") == 200
    assert "near-duplicate-name" not in rules
    first = next(f for f in found if f["rule"] == "long-name")
    assert first["message"] == (
        "an integration name of 5,001 characters; names over 200 are not compared for "
        "near-duplicates"
    )


def test_punctuation_variants_give_one_finding_each_not_one_per_pair(tmp_path):
    punctuation = "!#$%&()*+-./:<=>?@[]^_{}~"
    names = ["Salesforce"] * 3  # the most used spelling: every variant points at it
    for n in range(3000):
        a, b = punctuation[n % 25], punctuation[(n // 25) % 25]
        names.append(f"Sales{a}{b}force{'.' * (n // 625)}")
    path = write(tmp_path / "r.csv", "integration\n" + "\n".join(names) + "\n")
    with hang_guard():
        result = run("check", str(path), "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    found = [f for f in findings if f["rule"] == "near-duplicate-name"]
    assert len(found) == 3000
    assert all("looks like 'Salesforce' (line 2)" in f["message"] for f in found)


def test_composed_and_decomposed_names_are_one_integration(tmp_path):
    path = write(
        tmp_path / "r.csv", HEADER + "Caf\u00e9,a,1,customer,1\nCafe\u0301,b,1,customer,1\n"
    )
    doc = json.loads(run("rank", str(path), "-f", "json").stdout)
    assert [(i["integration"], i["requesters"]) for i in doc["ranking"]] == [("Café", 2)]


def test_fullwidth_and_cyrillic_look_alikes_are_flagged(tmp_path):
    rows = "Slack,a\nSlack,b\n\uff33lack,c\nSl\u0430ck,d\n"
    path = write(tmp_path / "r.csv", "integration,account\n" + rows)
    found = json.loads(run("check", str(path), "-f", "json").stdout)["findings"]
    messages = [f["message"] for f in found if f["rule"] == "near-duplicate-name"]
    assert messages == [
        "'Ｓlack' (fullwidth letters) looks like 'Slack' (line 2); if they are the same, add "
        "to scoring.yaml: aliases: {Slack: [Ｓlack]}",
        "'Slаck' (mixes Cyrillic and Latin letters) looks like 'Slack' (line 2); if they are "
        "the same, add to scoring.yaml: aliases: {Slack: [Slаck]}",
    ]


# --- writing files ------------------------------------------------------------------------------


def spec6(tmp_path: Path) -> str:
    (tmp_path / "r.csv").write_text((ROOT / "tests" / "data" / "spec6.csv").read_text())
    return "r.csv"


def test_new_outputs_follow_the_umask_and_existing_ones_keep_their_mode(tmp_path):
    name = spec6(tmp_path)
    old = os.umask(0o022)
    try:
        assert run("rank", name, "-o", "new.csv").exit_code == 0
        assert stat.S_IMODE(os.stat("new.csv").st_mode) == 0o644
        os.chmod("new.csv", 0o600)
        assert run("rank", name, "-o", "new.csv").exit_code == 0
        assert stat.S_IMODE(os.stat("new.csv").st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_symlink_is_written_through_not_replaced(tmp_path):
    name = spec6(tmp_path)
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "ranking.csv").write_text("old\n")
    os.symlink("real/ranking.csv", "link.csv")
    assert run("rank", name, "-f", "csv", "-o", "link.csv").exit_code == 0
    assert os.path.islink("link.csv")
    assert (tmp_path / "real" / "ranking.csv").read_text().startswith("rank,integration")
    assert sorted(os.listdir(tmp_path / "real")) == ["ranking.csv"]  # no temporary file left


def test_a_fifo_and_a_device_are_written_directly(tmp_path):
    name = spec6(tmp_path)
    os.mkfifo("pipe")
    received = []
    reader = threading.Thread(target=lambda: received.append(Path("pipe").read_text()))
    reader.start()
    assert run("rank", name, "-f", "csv", "-o", "pipe").exit_code == 0
    reader.join(10)
    assert received[0].startswith("rank,integration")
    assert stat.S_ISFIFO(os.stat("pipe").st_mode)
    assert run("rank", name, "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_or_a_missing_folder_is_a_usage_error(tmp_path):
    name = spec6(tmp_path)
    (tmp_path / "out").mkdir()
    result = run("rank", name, "-o", "out")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot write out: it is a folder; give a file name\n",
    )
    result = run("rank", name, "-o", "nowhere/r.csv")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot write nowhere/r.csv: folder " + str(tmp_path / "nowhere") + " does not "
        "exist\n",
    )


def test_stdin_redirected_from_the_output_file_is_protected(tmp_path):
    name = spec6(tmp_path)
    before = (tmp_path / name).read_bytes()
    exe = Path(sys.executable).with_name("intscore")
    with open(name, "rb") as stdin:
        result = subprocess.run(
            [str(exe), "rank", "-", "--input-format", "csv", "-f", "csv", "-o", name],
            stdin=stdin,
            capture_output=True,
            text=True,
        )
    assert result.returncode == 2
    assert result.stderr == "error: refusing to write over the input file r.csv\n"
    assert (tmp_path / name).read_bytes() == before


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from intscore.read import files

    real_fdopen = os.fdopen

    def interrupted(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        handle.write = lambda text: (_ for _ in ()).throw(SystemExit(143))  # as SIGTERM does
        return handle

    monkeypatch.setattr(files.os, "fdopen", interrupted)
    (tmp_path / "out").mkdir()
    with pytest.raises(SystemExit):
        files.write_atomically(str(tmp_path / "out" / "r.csv"), "text")
    assert os.listdir(tmp_path / "out") == []


def test_sigterm_and_an_early_ctrl_c_exit_quietly(monkeypatch):
    from intscore import entry

    with pytest.raises(SystemExit) as stopped:
        entry._terminate(signal.SIGTERM, None)
    assert stopped.value.code == 143

    class Interrupted(types.ModuleType):
        def __getattr__(self, name):
            raise KeyboardInterrupt  # Ctrl-C while the CLI's modules are still loading

    monkeypatch.setitem(sys.modules, "intscore.cli", Interrupted("intscore.cli"))
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130


# --- git ----------------------------------------------------------------------------------------


def git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True)


def repo_with_config(tmp_path: Path) -> None:
    os.rmdir(tmp_path / ".git")
    spec6(tmp_path)
    (tmp_path / "scoring.yaml").write_text((ROOT / "scoring.yaml").read_text())
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")


def test_a_git_ref_can_never_be_an_option(tmp_path):
    repo_with_config(tmp_path)
    for ref in ("--output=pwned.txt", "-p", "--output=/tmp/x HEAD"):
        result = run("diff", "r.csv", "--against", ref)
        assert result.exit_code == 2, ref
        assert result.stderr == f"error: --against: '{ref}' is not a git revision\n"
    assert not (tmp_path / "pwned.txt").exists()
    assert run("diff", "r.csv", "--against", "HEAD").exit_code == 0


def test_against_with_git_dir_elsewhere_is_a_usage_error(tmp_path, monkeypatch):
    repo_with_config(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    result = run("diff", "r.csv", "--against", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --against: 'HEAD' is not a commit")


# --- numbers ------------------------------------------------------------------------------------


def config_with(tmp_path: Path, old: str, new: str) -> str:
    text = (ROOT / "scoring.yaml").read_text()
    assert old in text
    write(tmp_path / "c.yaml", text.replace(old, new, 1))
    return "c.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "weight: 40",
            "weight: 1.0e+308",
            "criteria[0].weight: Input should be less than or equal to 1000000",
        ),
        ("weight: 40", "weight: true", "criteria[0].weight: Input should be a valid number"),
        ("weight: 40", 'weight: "40"', "criteria[0].weight: Input should be a valid number"),
        ("{min: 3, points: 1}", "{min: 1e300, points: 1}", "criteria[0].bands[1].min: "),
    ],
)
def test_numbers_beyond_the_documented_range_are_config_errors(tmp_path, old, new, message):
    name = spec6(tmp_path)
    result = run("rank", name, "-c", config_with(tmp_path, old, new), "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: c.yaml:")
    assert message in result.stderr


def test_huge_integers_in_yaml_and_json_are_input_errors(tmp_path):
    digits400 = "9" * 400
    write(tmp_path / "a.yaml", f"- {{integration: A, account: x, account_arr: {digits400}}}\n")
    result = run("rank", "a.yaml")
    assert result.exit_code == 2
    assert "account_arr: '99999999" in result.stderr and "is too large" in result.stderr
    write(tmp_path / "b.json", f'[{{"integration": "A", "account_arr": {"9" * 5000}}}]')
    result = run("rank", "b.json")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: b.json:1: a number with 5,000 digits is too long\n",
    )
    write(tmp_path / "c.yaml", f"- {{integration: A, account_arr: {'9' * 5000}}}\n")
    result = run("rank", "c.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: c.yaml:1: a number with 5,000 digits is too long\n",
    )


def test_a_formula_that_overflows_is_flagged_not_nan(tmp_path):
    name = spec6(tmp_path)
    text = (ROOT / "scoring.yaml").read_text() + 'formula: "account_size * 1e300 * 1e300"\n'
    write(tmp_path / "f.yaml", text)
    result = run("rank", name, "-c", "f.yaml", "-f", "csv")
    assert result.exit_code == 0
    assert "NaN" not in result.stdout and "inf" not in result.stdout
    assert "formula:number too large" in result.stdout


# --- messages -----------------------------------------------------------------------------------


def test_errors_on_stderr_cannot_forge_annotations_or_escape_codes(tmp_path):
    header = '"account_arr\n::error file=x.py,line=1::forged\x1b]0;title\x07"'
    path = write(tmp_path / "r.csv", f"integration,account,{header}\nA,a,lots\n")
    config = config_with(
        tmp_path,
        "field: account_arr",
        "field: " + json.dumps("account_arr\n::error file=x.py,line=1::forged\x1b]0;title\x07"),
    )
    result = run("rank", str(path), "-c", config)
    assert result.exit_code == 2
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    assert "\x1b" not in result.stderr and "\\x1b]0;title\\x07" in result.stderr


def test_markdown_shows_html_and_mentions_as_text(tmp_path):
    path = write(
        tmp_path / "r.csv",
        "integration,account,account_arr,difficulty\n<img src=x onerror=alert(1)> @octocat,a,1,1\n",
    )
    out = run("rank", str(path), "-f", "markdown").stdout
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt; @&#8203;octocat" in out


def test_csv_quotes_cells_a_semicolon_spreadsheet_would_split(tmp_path):
    path = write(tmp_path / "r.csv", HEADER + '"Acme;=1+1",a,1,customer,1\n')
    out = run("rank", str(path), "-f", "csv").stdout
    assert '\n1,"Acme;=1+1",' in out


# --- config validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        (
            "columns: {integration: integration, account: Integration}",
            "columns: 'integration' and 'account' both read the column 'Integration'",
        ),
        ("aliases: {Slack: [slack]}", "aliases: 'slack' under 'Slack' is the name itself"),
        (
            "aliases: {A: [B], B: [A]}",
            "aliases: 'B' is a spelling of 'A' and a canonical name itself",
        ),
        ("aliases: {A: [X], B: [x]}", "aliases: 'x' is listed under 'A' and 'B'"),
    ],
)
def test_the_config_refuses_what_it_used_to_accept(tmp_path, addition, message):
    name = spec6(tmp_path)
    text = "\n".join(
        line
        for line in (ROOT / "scoring.yaml").read_text().splitlines()
        if not line.startswith(
            (
                "columns:",
                "  integration:",
                "  account:",
                "  core:",
                "  customization:",
                "  maintenance_capacity:",
                "  # account_arr",
            )
        )
    )
    write(tmp_path / "c.yaml", text + "\n" + addition + "\n")
    result = run("rank", name, "-c", "c.yaml")
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr


def test_ten_thousand_bands_are_compiled_once(tmp_path, monkeypatch):
    from intscore.model import scorers

    built = []
    original = scorers.Bands.__init__

    def counting(self, bands):
        built.append(len(bands))
        original(self, bands)

    monkeypatch.setattr(scorers.Bands, "__init__", counting)
    bands = ", ".join(f"{{min: {n}, points: {n % 3}}}" for n in range(10_000))
    write(
        tmp_path / "c.yaml",
        f"version: 1\ncriteria:\n  - id: d\n    aggregate: count\n    bands: [{bands}]\n",
    )
    names = "\n".join(f"I{n}" for n in range(2000))
    write(tmp_path / "r.csv", "integration\n" + names + "\n")
    assert run("rank", "r.csv", "-c", "c.yaml", "-f", "csv").exit_code == 0
    assert built == [10_000]


def test_config_lookup_outside_home_and_repositories_stays_in_the_folder(tmp_path, monkeypatch):
    from intscore.model.loading import find_config

    os.rmdir(tmp_path / ".git")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "scoring.yaml").write_text("planted")
    (tmp_path / "work" / "x").mkdir(parents=True)
    assert find_config(cwd=tmp_path / "work" / "x") is None
    assert find_config(cwd=tmp_path) == tmp_path / "scoring.yaml"


# --- unbounded reads and exit codes -------------------------------------------------------------


def test_reads_of_whole_files_are_bounded(tmp_path, monkeypatch):
    name = spec6(tmp_path)
    result = run("rank", name, "-c", "/dev/zero")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: /dev/zero: is larger than 1 MiB, the most read whole\n",
    )
    monkeypatch.setenv("INTSCORE_CONFIG", "/dev/zero")
    assert run("rank", name).exit_code == 2
    monkeypatch.delenv("INTSCORE_CONFIG")
    result = run("rank", "/dev/zero", "--input-format", "yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: /dev/zero: is larger than 64 MiB, the most read whole\n",
    )


BAD_OPTIONS = [
    ("rank", "r.csv", "-o", "."),
    ("rank", "r.csv", "--encoding", "rot13"),
    ("rank", "r.csv", "--encoding", "no-such-codec"),
    ("rank", "-", "-", "--input-format", "csv"),
    ("rank", "r.csv", "--input-format", "xlsx"),
    ("rank", "r.csv", "--delimiter", ";;"),
    ("rank", "r.csv", "--top", "0"),
    ("rank", "r.csv", "-c", "."),
    ("rank", "r.csv", "-c", "missing.yaml"),
    ("rank", "missing.csv"),
    ("rank", "."),
    ("check", "r.csv", "--expect", "."),
    ("check", "r.csv", "--expect", "/dev/zero"),
    ("check", "r.csv", "-o", "."),
    ("explain", "Nope", "r.csv"),
    ("explain", "HubSpot", "r.csv", "--vs", "Nope"),
    ("diff", "r.csv"),
    ("diff", "r.csv", "--base-config", "."),
    ("diff", "r.csv", "--against", "HEAD"),
    ("diff", "r.csv", "--base-config", "missing.yaml", "--against", "HEAD"),
    ("sensitivity", "r.csv", "--runs", "0"),
    ("sensitivity", "r.csv", "--spread", "2"),
    ("matrix", "r.csv", "--split", "101"),
    ("report", "r.csv", "-o", "."),
    ("report", "r.csv", "-o", "nowhere/r.html"),
    ("schema", "-o", "."),
    ("init", "--preset", "nope"),
]


def test_every_unusable_option_exits_2_with_one_line(tmp_path, monkeypatch):
    spec6(tmp_path)
    for args in BAD_OPTIONS:
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, args
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    result = run("report", "r.csv", "-o", "r.html")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: SOURCE_DATE_EPOCH must be a time in seconds since 1970, not 'abc'\n",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1" * 30)
    assert run("report", "r.csv", "-o", "r.html").exit_code == 2


# --- round three (issue 26): bounded lines and widths -------------------------------------------

LIMIT_NOTE = "(scoring.yaml `read: max_line_length` raises it)"


def measured(args: list[str], cwd: Path, timeout: float = 60.0) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak memory in MB) of `intscore ARGS` in a child process."""
    # The peak of this process's own memory (VmHWM): ru_maxrss would count the memory of the
    # test process it was forked from.
    code = (
        "import re, sys\n"
        "from intscore.entry import main\n"
        "sys.argv = ['intscore', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    status = open('/proc/self/status').read()\n"
        "    peak = re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)\n"
        "    print(f'peak-kb {peak}', file=sys.stderr)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    *lines, peak = proc.stderr.splitlines()
    assert peak.startswith("peak-kb "), proc.stderr
    return proc.returncode, "".join(f"{line}\n" for line in lines), seconds, int(peak[8:]) / 1024


def test_a_100_mib_line_through_a_fifo_ends_in_seconds_and_megabytes(tmp_path):
    """Before: exit 3 (MemoryError) after 47 s at 7.8 GB; csv.reader built the whole line."""
    os.mkfifo(tmp_path / "line.csv")
    sent = []

    def feed():  # `a,a,a,…` and no line break, as fast as the reader takes it
        chunk = b"a," * (1 << 19)  # 1 MiB
        try:
            with open(tmp_path / "line.csv", "wb") as pipe:
                for _ in range(100):
                    pipe.write(chunk)
                    sent.append(len(chunk))
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    code, stderr, seconds, peak = measured(["rank", "line.csv"], tmp_path)
    writer.join(30)
    assert not writer.is_alive()
    assert (code, stderr) == (
        2,
        "error: line.csv:1: a line is longer than 1,048,576 characters, the most a row may "
        f"hold {LIMIT_NOTE}\n",
    )
    assert sum(sent) < 20 * MB  # it stopped reading, not read to the end
    assert seconds < 10
    assert peak < 150, peak


def limits_config(tmp_path: Path, read: str) -> str:
    write(tmp_path / "c.yaml", (ROOT / "scoring.yaml").read_text() + f"read: {read}\n")
    return "c.yaml"


def test_a_row_over_many_lines_counts_whole_and_the_limit_can_be_raised(tmp_path):
    # Line 2 is `A,"x` (5 characters with its line break), each next line `x` (2): the row
    # passes 1,024 characters with its 510th next line (5 + 2 × 510 = 1,025), line 512.
    row = 'A,"' + "x\n" * 600 + '",1,1\n'
    write(tmp_path / "r.csv", "integration,notes,account_arr,difficulty\n" + row)
    result = run("rank", "r.csv", "-c", limits_config(tmp_path, "{max_line_length: 1024}"))
    assert (result.exit_code, result.stderr) == (
        2,
        "error: r.csv:2: a row (lines 2–512) is longer than 1,024 characters, the most a row "
        f"may hold {LIMIT_NOTE}\n",
    )
    result = run("rank", "r.csv", "-c", limits_config(tmp_path, "{max_line_length: 4096}"))
    assert result.exit_code == 0, result.stderr


def test_a_row_wider_than_the_field_limit_is_refused_and_the_limit_can_be_raised(tmp_path):
    header = ["integration", "account_arr", "difficulty"] + [f"x{i}" for i in range(19_997)]
    write(tmp_path / "r.csv", ",".join(header) + "\nJira,5,2\n")
    result = run("rank", "r.csv", "-f", "csv")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: r.csv:1: a row of 20,000 fields; the most a row may have is 16,384 "
        "(scoring.yaml `read: max_fields` raises it)\n",
    )
    config = limits_config(tmp_path, "{max_fields: 20000}")
    result = run("rank", "r.csv", "-c", config, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("1,Jira,")


def test_yaml_and_json_files_cannot_grow_as_the_square_of_their_fields(tmp_path):
    """Before: 5,000 rows each with a field of its own took 3.3 s and 245 MB (a list as wide
    as every field, for every row); 50,000 would have taken hours."""
    rows = [json.dumps({"integration": f"I{n}", f"k{n}": 1}) for n in range(17_000)]
    write(tmp_path / "many.json", "[\n" + ",\n".join(rows) + "\n]\n")
    result = run("rank", "many.json")
    # the 16,385th field (`integration`, k0 … k16382, then k16383) is in row 16,384: line 16,385
    assert (result.exit_code, result.stderr) == (
        2,
        "error: many.json:16385: more than 16,384 different fields, the most a file may have "
        "(scoring.yaml `read: max_fields` raises it)\n",
    )
    write(tmp_path / "square.json", "[\n" + ",\n".join(rows[:6000]) + "\n]\n")
    result = run("rank", "square.json")
    # 6,000 rows × 6,001 fields (integration, k0 … k5999) = 36,006,000 cells
    assert (result.exit_code, result.stderr) == (
        2,
        "error: square.json: 6,000 rows × 6,001 different fields is more than 33,554,432 "
        "cells; give each row the same few fields\n",
    )
    write(tmp_path / "wide.json", "[\n" + ",\n".join(rows[:5000]) + "\n]\n")
    with hang_guard(20):  # 5,000 × 5,001: read, and told what is missing
        result = run("rank", "wide.json", "-f", "csv")
    assert result.stderr == (
        "error: wide.json:1: no 'account_arr' column (needed by account_size)\n"
        "error: wide.json:1: no 'difficulty' column (needed by difficulty)\n"
    )


needs_duckdb = pytest.mark.skipif(
    importlib.util.find_spec("duckdb") is None, reason="DuckDB (intscore[fast]) not installed"
)


def wide_file(path: Path, columns: int, size: int) -> None:
    """A CSV of `columns` columns and about `size` bytes that DuckDB can read."""
    header = ["integration", "account", "account_arr", "difficulty"]
    header += [f"x{i}" for i in range(columns - 4)]
    rest = ",7" * (columns - 4)
    lines = [",".join(header)]
    n = 0
    total = len(lines[0])
    while total < size:
        lines.append(f"I{n % 50},a{n},{1000 + n % 7},{n % 5 + 1}{rest}")
        total += len(lines[-1]) + 1
        n += 1
    path.write_text("\n".join(lines) + "\n")


@needs_duckdb
def test_the_duckdb_engine_never_takes_a_file_too_wide_for_it(tmp_path):
    """Before: 60,000 columns went to DuckDB (23.5 s, 1.87 GB; Python 0.23 s)."""
    wide_file(tmp_path / "w100.csv", 100, 3_300_000)
    result = run("rank", "w100.csv", "-v", "-f", "csv")
    assert result.stderr == "engine: python (the file has 100 columns; DuckDB takes 64 at most)\n"
    python_out = result.stdout
    result = run("rank", "w100.csv", "-v", "-f", "csv", "--engine", "duckdb")
    assert (result.stderr, result.stdout) == ("engine: duckdb\n", python_out)
    wide_file(tmp_path / "w600.csv", 600, 100_000)
    result = run("rank", "w600.csv", "-v", "-f", "csv", "--engine", "duckdb")
    assert result.stderr == "engine: python (the file has 600 columns; DuckDB takes 500 at most)\n"


# --- round three: exit 3 nowhere on input --------------------------------------------------------


def codec_names() -> list[str]:
    """Every encoding name Python knows: its aliases and its codec modules."""
    import encodings
    import pkgutil
    from encodings.aliases import aliases

    modules = {m.name for m in pkgutil.iter_modules(encodings.__path__)} - {"aliases"}
    return sorted(set(aliases) | set(aliases.values()) | modules)


ENCODED_SAMPLES = [
    b"integration,account\nJira,a\n",
    b'[{"integration": "Jira"}]',
    b"integration\nJi+2AA-ra\n",  # utf-7: a lone surrogate
    b"integration\nJi\\ud800ra\n",  # unicode_escape: a lone surrogate
    b"integration\n\xff\xfe\xd8\x00\n",
    b"integration\nxn--a-\xff\n",
    b"\x1b$B\x30\x21\x1b(B\n",
]


def test_every_encoding_name_reads_or_refuses_with_one_message():
    """Before: utf-16 without a BOM, idna, punycode and undefined ended in exit 3."""
    import io

    from intscore.problems import IntscoreError
    from intscore.read.readers import ReadOptions, read_stream

    names = codec_names()
    assert {"utf_16", "idna", "punycode", "utf_7", "unicode_escape", "undefined"} <= set(names)
    for name in names:
        for fmt in ("csv", "json", "yaml"):
            for data in ENCODED_SAMPLES:
                try:
                    table = read_stream(io.BytesIO(data), "x", fmt, ReadOptions(encoding=name))
                    cells = [cell for _, row in table.rows for cell in row]
                except IntscoreError as exc:
                    assert all(len(f.message) < 200 for f in exc.findings), (name, fmt, data)
                    continue
                for text in [*table.header, *cells]:  # whatever is read can be written
                    str(text).encode("utf-8")


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        (
            "utf-16",
            "cannot be read as utf-16: it has no byte-order mark; give utf-16-le or utf-16-be",
        ),
        ("punycode", "cannot be read as punycode"),
        ("undefined", "cannot be read as undefined"),
    ],
)
def test_an_encoding_that_cannot_read_the_file_is_one_error(tmp_path, encoding, message):
    write(tmp_path / "r.csv", "integration,account\nJira,a\n")
    result = run("rank", "r.csv", "--encoding", encoding)
    assert (result.exit_code, result.stderr) == (2, f"error: r.csv:1: {message}\n")


SURROGATE = "'\\ud800' is half of a UTF-16 surrogate pair, not a character"


def test_a_lone_surrogate_is_refused_at_reading_with_its_line(tmp_path):
    """Before: exit 3 (UnicodeEncodeError) from rank -f json, rank -f csv and report."""
    rows = '[\n{"integration": "Jira", "account_arr": 5, "difficulty": 2},\n'
    rows += '{"integration": "Ji\\ud800ra", "account_arr": 5, "difficulty": 2}\n]'
    write(tmp_path / "s.json", rows)
    for args in (["-f", "json"], ["-f", "csv"], ["-f", "markdown"], ["-f", "table"]):
        result = run("rank", "s.json", *args)
        assert (result.exit_code, result.stderr) == (2, f"error: s.json:3: {SURROGATE}\n"), args
    result = run("report", "s.json", "-o", "r.html")
    assert (result.exit_code, result.stderr) == (2, f"error: s.json:3: {SURROGATE}\n")
    assert not (tmp_path / "r.html").exists()
    result = run("check", "s.json")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == f"s.json:3: error: {SURROGATE} [unreadable-file]"
    write(tmp_path / "k.json", '[{"integration": "Jira", "Ji\\udc80ra": 1}]')
    assert run("rank", "k.json").stderr == f"error: k.json:1: {SURROGATE.replace('d800', 'dc80')}\n"
    # utf-7 decodes `+2AA-` to a lone surrogate too
    write(tmp_path / "u.csv", "integration,account\nJira,a\nJi+2AA-ra,b\n")
    result = run("rank", "u.csv", "--encoding", "utf-7")
    assert (result.exit_code, result.stderr) == (2, f"error: u.csv:3: {SURROGATE}\n")
    # a whole pair is one character, and fine
    write(
        tmp_path / "p.json",
        '[{"integration": "\\ud83d\\ude80", "account_arr": 5, "difficulty": 2}]',
    )
    assert run("rank", "p.json", "-f", "csv").stdout.splitlines()[1].startswith("1,🚀,")


NUL = "a NUL character (\\x00) is not text"


def test_a_nul_anywhere_in_the_file_is_refused_and_never_written(tmp_path):
    """Before: a NUL after the first 4 KiB became part of a name, and -f csv wrote it raw."""
    header = "integration,account,account_arr,difficulty\n"
    write(tmp_path / "late.csv", header + "Jira,a,5,2\n" * 600 + "Ji\0ra,b,5,2\n")
    write(tmp_path / "n.json", '[\n{"integration": "Ji\\u0000ra", "account_arr": 5}\n]')
    write(tmp_path / "n.yaml", '- integration: Jira\n- integration: "Ji\\0ra"\n')
    (tmp_path / "u16.csv").write_bytes((header + "Jira,a,5,2\nJi\0ra,b,5,2\n").encode("utf-16"))
    expected = {"late.csv": 602, "n.json": 2, "n.yaml": 2, "u16.csv": 3}
    for name, line in expected.items():
        result = run("rank", name, "-f", "csv")
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"error: {name}:{line}: {NUL}\n",
        ), name
    text = (ROOT / "scoring.yaml").read_text() + 'aliases: {"Ji\\0ra": [Jira]}\n'
    write(tmp_path / "c.yaml", text)
    line = text.count("\n")
    result = run("rank", "late.csv", "-c", "c.yaml")
    assert (result.exit_code, result.stderr) == (2, f"error: c.yaml:{line}: {NUL}\n")


def test_csv_output_never_holds_a_raw_nul():
    from intscore.render.ranking import csv_line

    assert csv_line(["1", "Ji\0ra", "x;y"]) == '1,Ji\\x00ra,"x;y"\n'


@pytest.mark.parametrize(
    ("code", "where", "message"),
    [
        ("ENOSPC", "write", "no space left on device"),
        ("EROFS", "mkstemp", "read-only file system"),
        ("EDQUOT", "replace", "disk quota exceeded"),
        ("EFBIG", "write", "file too large"),
        ("EIO", "fchmod", "input/output error"),
    ],
)
def test_a_failing_disk_under_o_is_one_error_and_the_old_file_stays(
    tmp_path, monkeypatch, code, where, message
):
    """Before: exit 3 "internal error: OSError"."""
    import errno

    from intscore.read import files

    name = spec6(tmp_path)
    write(tmp_path / "out.csv", "old\n")
    number = getattr(errno, code)

    def fail(*args, **kwargs):
        raise OSError(number, os.strerror(number))

    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)
            handle.write = fail
            return handle

        monkeypatch.setattr(files.os, "fdopen", fdopen)
    elif where == "mkstemp":
        monkeypatch.setattr(files.tempfile, "mkstemp", fail)
    else:
        monkeypatch.setattr(files.os, where, fail)
    result = run("rank", name, "-f", "csv", "-o", "out.csv")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot write out.csv: {message}\n")
    assert (tmp_path / "out.csv").read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == [".git", "out.csv", "r.csv"]  # no temporary file


def test_a_full_disk_behind_stdout_or_a_device_is_one_error(tmp_path):
    name = spec6(tmp_path)
    exe = Path(sys.executable).with_name("intscore")
    for args in (["-f", "csv"], ["-f", "json"], ["-o", "/dev/full"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [str(exe), "rank", name, *args], stdout=full, stderr=subprocess.PIPE, text=True
            )
        where = "/dev/full" if "-o" in args else "to stdout"
        assert (result.returncode, result.stderr) == (
            2,
            f"error: cannot write {where}: no space left on device\n",
        ), args


# --- round three: unreadable and missing inputs --------------------------------------------------


def test_a_missing_or_unreadable_input_is_one_error_and_no_invented_finding(tmp_path, monkeypatch):
    """Before: `check` added `<input>:1:` missing-column findings (and an unused-map warning)
    about a file it never read."""
    result = run("check", "missing.csv")
    assert (result.exit_code, result.stdout) == (
        2,
        "missing.csv: error: file not found [unreadable-file]\n"
        "1 error (1 file, 0 rows) · config: built-in default\n",
    )
    spec6(tmp_path)
    real_open = open

    def denied(path, *args, **kwargs):
        if str(path).endswith("r.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    from intscore.read import files

    monkeypatch.setattr(files, "open", denied, raising=False)
    result = run("check", "r.csv", "-f", "json")
    assert result.exit_code == 2
    found = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["line"], f["rule"], f["message"]) for f in found] == [
        ("r.csv", None, "unreadable-file", "permission denied")
    ]
    result = run("rank", "r.csv")
    assert (result.exit_code, result.stderr) == (2, "error: r.csv: permission denied\n")


# --- round three: Markdown in pull requests ------------------------------------------------------

HOSTILE_NAMES = [
    "![pixel](https://t.example/p.png)",
    "[click](javascript:alert(1))",
    "[ref][1]",
    "<https://t.example>",
    "https://t.example/x",
    "www.t.example",
    "mailto:a@t.example",
    "a@t.example",
    "#1",
    "GH-2",
    "owner/repo#3",
    "@octocat",
    ":shipit:",
    "$\\color{red}{x}$",
    "$$x$$",
    "$`x`$",
    "\\(x\\)",
    "\\[x\\]",
    "`code` **bold** ~~gone~~ _it_",
    "a | b",
    "&amp; &#64;octocat",
]
FRAGMENTS = [
    *"![]()<>`*_~$\\|#@:/.&;-^",
    "http://",
    "HTTPS://",
    "www.",
    "WwW.",
    "ftp://",
    "mailto:",
    "xmpp:",
    "javascript:",
    "t.example",
    "a@b.co",
    "gh-",
    "1",
    "shipit",
    "x",
    " ",
    "\n",
    "\t",
    "&#64;",
    "\u200b",
]


def markdown_of(tmp_path: Path, names: list[str]) -> list[str]:
    """rank -f markdown and diff -f markdown (the Action's job summary) over these names."""
    import csv
    import io

    def backlog(rows: list[str]) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["integration", "account", "account_arr", "difficulty"])
        writer.writerows([name, f"a{i}", 1000 * (i + 1), 1 + i % 5] for i, name in enumerate(rows))
        return out.getvalue()

    write(tmp_path / "new.csv", backlog(names))
    write(tmp_path / "old.csv", backlog(names[::-1]))
    new, old = str(tmp_path / "new.csv"), str(tmp_path / "old.csv")
    ranked = run("rank", new, "-f", "markdown")
    diffed = run("diff", new, "--base-requests", old, "-f", "markdown", "--top", "50")
    assert (ranked.exit_code, diffed.exit_code) == (0, 0), (ranked.stderr, diffed.stderr)
    return [ranked.stdout, diffed.stdout]


def test_markdown_shows_the_named_hostile_names_as_text(tmp_path):
    """Before: images, links, #1, :shipit: and $math$ went through from integration names."""
    outputs = markdown_of(tmp_path, [f"N{i} {name}" for i, name in enumerate(HOSTILE_NAMES)])
    for markdown in outputs:
        assert_inert(markdown)
    rendered = github_markdown().render(outputs[0])
    for shown in ("![pixel](https://t.example/p.png)", "$\\color{red}{x}$", "\\(x\\)", "a | b"):
        assert shown in rendered.replace("\u200b", "").replace("&amp;", "&")
    # a hostile scoring.yaml in a pull request: its labels are echoed too
    text = (
        (ROOT / "scoring.yaml")
        .read_text()
        .replace("label: Demand", "label: '![p](https://t.example/p.png) @team #4 :shipit: $x$'", 1)
    )
    assert text != (ROOT / "scoring.yaml").read_text()
    write(tmp_path / "c.yaml", text)
    write(tmp_path / "base.yaml", (ROOT / "scoring.yaml").read_text())
    for args in (["rank", "new.csv"], ["diff", "new.csv", "--base-config", "base.yaml"]):
        result = run(*args, "-c", "c.yaml", "-f", "markdown")
        assert result.exit_code == 0, result.stderr
        assert_inert(result.stdout)


@settings(max_examples=30)
@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10), min_size=1, max_size=12)
)
def test_markdown_of_generated_hostile_names_links_nothing(names):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        names = [f"N{i} " + "".join(parts) for i, parts in enumerate(names)]
        for markdown in markdown_of(Path(folder), names):
            assert_inert(markdown)


# --- round three: bounds of the big commands ----------------------------------------------------

EXAMPLE_RUNS = [
    ("requests.csv", None),
    ("requests.yaml", None),
    ("backlog.yaml", None),
    ("crm-export.csv", "crm-scoring.yaml"),
    ("salesforce-opportunities.csv", "salesforce-scoring.yaml"),
    ("votes.csv", "votes-scoring.yaml"),
]


@pytest.mark.parametrize(("data", "config"), EXAMPLE_RUNS)
def test_rank_json_is_written_an_item_at_a_time_and_reads_the_same(tmp_path, data, config):
    """Before: the whole document was built (models, then one string) and written at once:
    9.9 GB at a million integrations. The pieces the CLI writes join to the very same text."""
    from conftest import EXAMPLES
    from intscore.commands.core import Inputs, rank_inputs
    from intscore.engine.documents import document_text, ranking_document
    from intscore.render.ranking import ranking_chunks

    inputs = Inputs((str(EXAMPLES / data),), str(EXAMPLES / config) if config else None)
    ranked = rank_inputs(inputs)
    for top in (None, 1, 3, 10_000):
        whole = document_text(ranking_document(ranked.ranking, ranked.run, top))
        pieces = list(ranking_chunks(ranked.ranking, ranked.run, "json", top))
        assert "".join(pieces) == whole
        assert len(pieces) == len(ranked.ranking.items[:top]) + 3  # head, items, close, tail
    empty = replace(ranked.ranking, items=())
    assert "".join(ranking_chunks(empty, ranked.run, "json")) == (
        document_text(ranking_document(empty, ranked.run))
    )
    args = [str(EXAMPLES / data), *(["-c", str(EXAMPLES / config)] if config else [])]
    assert run("rank", *args, "-f", "json", "-o", "out.json").exit_code == 0
    assert (tmp_path / "out.json").read_text() == document_text(
        ranking_document(ranked.ranking, ranked.run)
    )


def test_streamed_json_leaves_no_garbage_with_the_collector_off(tmp_path, monkeypatch):
    """The CLI runs with the cyclic collector off (entry.py), and `json.dumps(indent=2)`
    leaves a reference cycle per call: before, a million items kept 1.8 GB of them."""
    import gc

    from intscore.commands.core import Inputs, rank_inputs
    from intscore.render import ranking as ranking_view

    rows = "".join(f"I{n},{n},3\n" for n in range(3000))
    write(tmp_path / "r.csv", "integration,account_arr,difficulty\n" + rows)
    ranked = rank_inputs(Inputs((str(tmp_path / "r.csv"),)))
    monkeypatch.setattr(ranking_view, "COLLECT_EVERY", 10)
    gc.collect()
    gc.disable()
    try:
        for _ in ranking_view.ranking_chunks(ranked.ranking, ranked.run, "json"):
            pass
        left = gc.collect()  # at most the last 9 items' garbage; 3,000 items' without it
    finally:
        gc.enable()
    assert left < 1000


def test_sensitivity_refuses_more_runs_than_its_budget_saying_how_many_would_do(
    tmp_path, monkeypatch
):
    """Before: --runs 1000000 on 1,000 integrations ran past 120 s and 4 GB."""
    from intscore.analyses import sensitivity

    rows = "".join(f"I{n},{n},3\n" for n in range(1000))
    write(tmp_path / "k.csv", "integration,account_arr,difficulty\n" + rows)
    result = run("sensitivity", "k.csv", "--runs", "1000000")
    # 1,000,000 runs × 1,000 integrations = 10⁹ ranks; 20,000,000 / 1,000 = 20,000 runs
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --runs 1,000,000 × 1,000 integrations is 1,000,000,000 ranks, more than "
        "sensitivity computes (20,000,000); give --runs 20,000 or fewer\n",
    )
    monkeypatch.setattr(sensitivity, "MAX_RANKS", 4000)
    spec6(tmp_path)  # 4 integrations: 1,000 runs are 4,000 ranks, the most
    assert run("sensitivity", "r.csv", "--runs", "1000", "-f", "json").exit_code == 0
    result = run("sensitivity", "r.csv", "--runs", "1001")
    assert result.stderr.endswith("(4,000); give --runs 1,000 or fewer\n")
    monkeypatch.setattr(sensitivity, "MAX_RANKS", 3000)  # refused before scoring: 750 is the most
    result = run("sensitivity", "r.csv", "--runs", "1000")
    assert result.stderr == (
        "error: --runs 1,000 × 4 integrations is 4,000 ranks, more than sensitivity computes "
        "(3,000); give --runs 750 or fewer\n"
    )
    monkeypatch.setattr(sensitivity, "MAX_RANKS", 3)
    result = run("sensitivity", "r.csv", "--runs", "1")
    assert result.stderr.endswith("(3); rank fewer integrations\n")


def test_check_and_diff_refuse_more_integrations_than_they_compare_before_scoring(
    tmp_path, monkeypatch
):
    """Before: at a million integrations check took 4.8 GB, diff ran past 180 s."""
    from intscore.commands import core as commands
    from intscore.engine import rank

    spec6(tmp_path)
    monkeypatch.setattr(commands, "MAX_COMPARED", 3)  # spec6 has 4 integrations
    scored = []
    real = rank.score_groups
    monkeypatch.setattr(rank, "score_groups", lambda *a: scored.append(1) or real(*a))
    message = "4 integrations; this command takes at most 3 (`intscore rank` takes any number)"
    for args in (["check", "r.csv"], ["diff", "r.csv", "--base-requests", "r.csv"]):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (2, f"error: {message}\n"), args
    assert scored == []  # refused after reading, before scoring
    assert run("rank", "r.csv").exit_code == 0
    assert scored == [1]


def test_a_report_past_its_size_holds_the_top_integrations_with_a_note(tmp_path, monkeypatch):
    """Before: a million integrations made a 450 MB page (36 s, 4.9 GB)."""
    from intscore.render import report_size

    spec6(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run("report", "r.csv", "-o", "whole.html").exit_code == 0
    monkeypatch.setattr(report_size, "MAX_ITEMS", 2)
    assert run("report", "r.csv", "-o", "cut.html").exit_code == 0
    whole = (tmp_path / "whole.html").read_text()
    cut = (tmp_path / "cut.html").read_text()
    note = (
        '<p class="note" id="summary">This page holds the first 2 of 4 integrations; the '
        "what-if re-ranks those. `intscore rank -f csv` lists them all.</p></header>"
    )
    assert note in cut and 'id="summary"' not in whole
    rows = re.findall(r'<tr data-integration="([^"]*)"', cut)
    assert (
        rows
        == re.findall(r'<tr data-integration="([^"]*)"', whole)[:2]
        == [
            "HubSpot",
            "Salesforce",
        ]
    )


@needs_duckdb
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("extra", [-3, -2, -1, 0, 1, 2])
@pytest.mark.parametrize("letter", ["x", "é"])
def test_both_engines_take_the_same_lines_under_a_small_line_limit(tmp_path, ending, extra, letter):
    """The fuzz run found DuckDB reading a line longer than `read: max_line_length` (it had
    its own limit of 128 KiB): now it never takes more, and a longer line falls back."""
    config = limits_config(tmp_path, "{max_line_length: 1024}")
    head = f"integration,account_arr,difficulty{ending}"
    start = "Jira,5,"
    # the long line has 1,024 + extra characters with its line break
    cell = letter * (1024 + extra - len(start) - len(ending))
    write(tmp_path / "r.csv", head + f"Slack,3,1{ending}" + start + cell + ending)
    results = [
        run("rank", "r.csv", "-c", config, "-f", "csv", "--engine", engine)
        for engine in ("python", "duckdb")
    ]
    python, duckdb = ((r.exit_code, r.stdout, r.stderr) for r in results)
    assert python == duckdb
    too_long = extra > 0
    assert python[0] == 2 if too_long else python[0] in (0, 2)
    assert ("a line is longer than 1,024 characters" in python[2]) == too_long
