"""Fuzzing the whole CLI in-process with generated backlogs and configs: valid, slightly
broken, and random bytes. Every run must end with exit 0, 1 or 2 and no traceback, and a
successful ranking must be consistent with the rows. `make fuzz` runs many more examples."""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, assert_inert
from intscore.cli import app
from intscore.matching import name_key

NAMES = [
    "Salesforce",
    "salesforce ",
    "SFDC",
    "HubSpot",
    "Hub Spot",
    "Workday",
    "飞书",
    "🚀 Rocket",
    "Sl\u200back",
    "שלום",
    "=cmd",
    "[bold]x[/bold]",
    "Esc\x1b[2J",
    "a|b",
    "Café",
    "x" * 60,
    # Markdown a pull request would render (issue 26): none of it may link, show or compute
    "![p](https://t.example/p.png)",
    "[c](javascript:alert(1))",
    "#1 owner/repo#2 GH-3",
    ":shipit: www.t.example",
    "$x$ $$y$$ \\(z\\)",
    "a@t.example",
]
ACCOUNTS = ["Acme", "acme", "Globex", "Initech", "", " ", "Ünïcode", "Stark\nIndustries"]
NUMBERS = ["250000", "12,000", "$12,000", "€8.000", "12k", "1.2M", "USD 8000", "-5", "0", ""]
GARBAGE = ["lots", "NaN", "inf", "1e999", "—", "\x00", '"', "12,00", "1.2.3"]
# Odd numbers and adversarial shapes (issue 12): huge, signed twice, long and backtracking-prone.
ODD_NUMBERS = ["9" * 400, "1.0e+308", "-0", "1_000", "0x10", "١٢٣", "--5", "$-5", "5 k", "12kUSD"]
ADVERSARIAL = [
    "USD" + " " * 3000 + "1" + " " * 3000 + "x",
    "1" * 5000 + "x",
    "1," * 2500 + "x",
    "-" * 5000,
    "x" * 5000,
]
STAGES = ["customer", "Prospect", "PARTNER", "", "yes"]
DIFFICULTY = ["1", "3", "5", "3.0", "S", "xl", "huge", ""]
HEADERS = {
    "integration": ["integration", "Integration", " INTEGRATION "],
    "account": ["account", "Account"],
    "account_arr": ["account_arr", "Account ARR", "account-arr"],
    "stage": ["stage", "Stage"],
    "difficulty": ["difficulty", "Difficulty"],
}


@st.composite
def rows(draw, valid: bool):
    numbers = NUMBERS if valid else NUMBERS + GARBAGE + ODD_NUMBERS + ADVERSARIAL
    return [
        {
            "integration": draw(st.sampled_from(NAMES if valid else NAMES + ADVERSARIAL)),
            "account": draw(st.sampled_from(ACCOUNTS)),
            "account_arr": draw(st.sampled_from(numbers)),
            "stage": draw(st.sampled_from(STAGES)),
            "difficulty": draw(st.sampled_from(DIFFICULTY if valid else DIFFICULTY + ADVERSARIAL)),
        }
        for _ in range(draw(st.integers(0, 25)))
    ]


def csv_text(draw, records, delimiter=","):
    import csv
    import io

    fields = [f for f in HEADERS if draw(st.integers(0, 9)) > 0 or f == "integration"]
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow([draw(st.sampled_from(HEADERS[f])) for f in fields])
    for r in records:
        writer.writerow([r[f] for f in fields])
    return out.getvalue(), fields


def mutate(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "truncate"]))
        if kind == "insert":
            text = (
                text[:pos]
                + draw(
                    st.sampled_from(
                        [
                            '"',
                            ",",
                            ";",
                            "\n",
                            "\r",
                            "\x00",
                            "\t",
                            "\ufeff",
                            ":",
                            "- ",
                            "{",
                            "&a",
                            "*a",
                            "!!python/object:x",
                            # issue 26: lone surrogates (raw, and as JSON escapes), a NUL
                            # escape, a long line and a wide row
                            "\ud800",
                            "\\ud800",
                            "\\udc80x",
                            "\\u0000",
                            "x" * 1500,
                            "a," * 40,
                        ]
                    )
                )
                + text[pos:]
            )
        elif kind == "delete":
            text = text[:pos] + text[pos + 1 :]
        else:
            text = text[:pos]
    return text


@st.composite
def backlogs(draw):
    """(file name, bytes, expected name keys or None when anything goes, extra arguments)."""
    shape = draw(st.sampled_from(["csv", "csv", "tsv", "yaml", "json", "bytes"]))
    valid = draw(st.booleans())
    records = draw(rows(valid))
    expected = None
    if shape in ("csv", "tsv"):
        text, fields = csv_text(
            draw, records, "\t" if shape == "tsv" else draw(st.sampled_from([",", ";", "|"]))
        )
        if valid and {"account_arr", "difficulty"} <= set(fields):
            expected = {name_key(r["integration"]) for r in records if r["integration"].strip()}
    elif shape in ("yaml", "json"):
        data = [{k: v for k, v in r.items() if v != "" or draw(st.booleans())} for r in records]
        text = json.dumps(data) if shape == "json" else yaml.safe_dump(data, allow_unicode=True)
    else:
        return "input.csv", draw(st.binary(max_size=300)), None, []
    if not valid or draw(st.integers(0, 4)) == 0:
        text = mutate(draw, text)
        expected = None
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "declared"]))
    args: list[str] = []
    if encoding == "declared":  # --encoding: odd codecs too (issue 26: none may exit 3)
        encoding = draw(st.sampled_from(["utf-7", "utf-16-le", "cp1252", "latin-1"]))
        declared = draw(st.sampled_from([encoding, "utf-16", "idna", "punycode", "utf-7"]))
        args = ["--encoding", declared]
        expected = None
    data = text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")
    return f"input.{shape}", data, expected, args


BASE_CONFIG = (ROOT / "scoring.yaml").read_text()  # read once: a strategy must not see it change


@st.composite
def configs(draw):
    base = BASE_CONFIG
    choice = draw(st.sampled_from(["default", "weights", "formula", "mutated", "limits"]))
    if choice == "default":
        return None
    if choice == "limits":  # small read limits, so that generated rows reach them
        return base + "read: {max_line_length: 1024, max_fields: 16}\n"
    if choice == "weights":
        for old in ("weight: 40", "weight: 20"):
            base = base.replace(
                old, f"weight: {draw(st.sampled_from(['0', '1', '0.5', '-1', '1e9', 'x']))}", 1
            )
        return base
    if choice == "formula":
        formula = draw(
            st.sampled_from(
                [
                    "demand * account_size / difficulty",
                    "log(demand)",
                    "sqrt(difficulty - 1)",
                    "demand ** 999",
                    "max(demand, account_size) / 0",
                    "foo + 1",
                    "__import__('os')",
                ]
            )
        )
        return base + f'formula: "{formula}"\n'
    return mutate(draw, base)


SLOWEST = [0.0]  # the longest single run so far (a long `make fuzz` reports it)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    atexit.register(lambda: print(f"slowest run: {SLOWEST[0]:.2f} s", file=sys.__stderr__))


def invoke(*args: str):
    started = time.perf_counter()
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    took = time.perf_counter() - started
    SLOWEST[0] = max(SLOWEST[0], took)
    assert took < 10, (args, took)  # no input may stall a run (issue 26)
    return result


def assert_clean(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr


# A short run in `make test`; `make fuzz` sets HYPOTHESIS_PROFILE=fuzz for the long one.
HAS_DUCKDB = importlib.util.find_spec("duckdb") is not None
LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


TARGETS = ["new", "existing", "link-to-input", "input", "hardlink-to-input", "folder", "missing"]


def target(folder: Path, input_path: Path, kind: str) -> str:
    """An odd place for -o to write: none of them may ever change the input."""
    out = folder / "out.csv"
    if kind == "existing":
        out.write_text("old")
    elif kind == "link-to-input":
        out.unlink(missing_ok=True)
        out.symlink_to(input_path)
    elif kind == "hardlink-to-input":
        out.unlink(missing_ok=True)
        os.link(input_path, out)
    elif kind == "input":
        return str(input_path)
    elif kind == "folder":
        return str(folder)
    elif kind == "missing":
        return str(folder / "nowhere" / "out.csv")
    return str(out)


@settings(max_examples=settings().max_examples if LONG_RUN else 25)  # `make fuzz`: 20,000
@given(
    backlogs(), configs(), st.sampled_from(["table", "csv", "markdown"]), st.sampled_from(TARGETS)
)
def test_fuzz_rank_and_check(backlog, config, other_format, draw_target):
    name, data, expected, extra = backlog
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        args = [str(path), *extra]
        if config is not None:
            # a mutation may put a lone surrogate in: written as the bytes it would be
            (Path(folder) / "scoring.yaml").write_bytes(config.encode("utf-8", "surrogatepass"))
            args += ["-c", str(Path(folder) / "scoring.yaml")]
        note(f"{name}: {data[:500]!r}")
        note(f"config: {config!r}"[:500])
        result = invoke("rank", *args, "-f", "json")
        assert_clean(result)
        if result.exit_code == 0:
            doc = json.loads(result.stdout)
            items = doc["ranking"]
            if expected is not None and config is None:
                assert {name_key(i["integration"]) for i in items} == expected
            scores = [i["score"] for i in items]
            known = [s for s in scores if s is not None]
            assert known == sorted(known, reverse=True)
            assert scores == known + [None] * (len(scores) - len(known))
            if doc["formula"] is None:
                assert all(0 <= s <= 100 for s in known)
        other = invoke("rank", *args, "-f", other_format)
        assert_clean(other)
        if other_format == "markdown" and other.exit_code == 0:
            assert_inert(other.stdout)
        if HAS_DUCKDB:  # both engines: the same output, errors and exit code, or a fallback
            python = invoke("rank", *args, "-f", other_format, "--engine", "python")
            duckdb = invoke("rank", *args, "-f", other_format, "--engine", "duckdb")
            assert_clean(duckdb)
            assert (duckdb.exit_code, duckdb.stdout, duckdb.stderr) == (
                python.exit_code,
                python.stdout,
                python.stderr,
            )
        checked = invoke("check", *args, "-f", "json")
        assert_clean(checked)
        if checked.stdout:
            assert isinstance(json.loads(checked.stdout)["findings"], list)
        written = invoke("rank", *args, "-f", "csv", "-o", target(Path(folder), path, draw_target))
        assert_clean(written)
        assert path.read_bytes() == data  # the input is never touched, whatever -o says
