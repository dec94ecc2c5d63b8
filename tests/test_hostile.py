"""Hostile input, round two (issue 12): each defect found by trying the build as an attacker
would, with the regression test that fails on the code before the fix."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import types
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, run, write

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
