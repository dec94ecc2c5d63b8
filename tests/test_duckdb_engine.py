"""The DuckDB pass (`rank --engine duckdb`, `pip install 'intscore[fast]'`): the same output as
the Python pass, byte for byte, or a fallback to it that says why (`--verbose`)."""

from __future__ import annotations

import csv
import io
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, run, write
from intscore.commands.core import Inputs, rank_inputs, resolve_config
from intscore.engine import duckdb_lines, duckdb_pass
from intscore.problems import IntscoreError
from intscore.read.inputs import read_table
from intscore.render.ranking import render_ranking

pytest.importorskip("duckdb", reason="the fast extra (DuckDB) is not installed")

FORMATS = ("table", "csv", "markdown")
LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"  # `make fuzz`: many more examples


def default_config():
    return resolve_config(str(ROOT / "scoring.yaml")).model


def both(*args: str):
    """(python, duckdb) runs of `rank` with these arguments; the second with --verbose."""
    return run("rank", *args, "--engine", "python"), run("rank", *args, "--engine", "duckdb", "-v")


def engine_line(result) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("engine: "))


EXAMPLE_CONFIGS = [
    ("requests.csv", "scoring.yaml"),
    ("crm-export.csv", "examples/crm-scoring.yaml"),
    ("salesforce-opportunities.csv", "examples/salesforce-scoring.yaml"),
    ("votes.csv", "examples/votes-scoring.yaml"),
    ("backlog-with-problems.csv", "scoring.yaml"),
    ("presets/rice.csv", "src/intscore/model/presets/rice.yaml"),
    ("presets/rice-percent.csv", "src/intscore/model/presets/rice.yaml"),
    ("presets/wsjf.csv", "src/intscore/model/presets/wsjf.yaml"),
    ("presets/ice.csv", "src/intscore/model/presets/ice.yaml"),
    ("requests.yaml", "scoring.yaml"),
    ("backlog.yaml", "scoring.yaml"),
    ("estimates/requests.csv", "examples/estimates/scoring.yaml"),  # estimates merged alike
    ("exports/hubspot-deals.csv", "examples/exports/hubspot-deals-scoring.yaml"),
    ("exports/productboard-notes.csv", "examples/exports/productboard-notes-scoring.yaml"),
    ("exports/canny-votes.csv", "examples/exports/canny-votes-scoring.yaml"),
    ("exports/zendesk-tickets.csv", "examples/exports/zendesk-tickets-scoring.yaml"),
    ("exports/salesforce-report/report.csv", "examples/exports/salesforce-report/scoring.yaml"),
    ("exports/salesforce-grouped/report.csv", "examples/exports/salesforce-grouped/scoring.yaml"),
    (
        "exports/excel-german/integrationswuensche.csv",
        "examples/exports/excel-german/scoring.yaml",
    ),
    ("exports/google-sheets/form-responses.csv", "examples/exports/google-sheets/scoring.yaml"),
    ("exports/jira-issues/issues.csv", "examples/exports/jira-issues/scoring.yaml"),
]
# Exports the reader reshapes, which the DuckDB pass leaves to the Python pass (and why)
FALLBACKS = {
    "exports/salesforce-report/report.csv": "the file has blank lines or rows over several lines",
    "exports/salesforce-grouped/report.csv": (
        "the file has subtotal or total rows (the reader leaves them out)"
    ),
    "exports/excel-german/integrationswuensche.csv": "the header is not on the first line",
    "exports/jira-issues/issues.csv": "a header repeats (one multi-valued column)",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("example", "config"), EXAMPLE_CONFIGS)
def test_every_example_ranks_alike_on_both_engines(example, config, fmt):
    path = EXAMPLES / example
    python, fast = both(str(path), "-c", str(ROOT / config), "-f", fmt)
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)
    if fast.exit_code == 0:  # CSV runs on DuckDB (real exports: quotes, dates, filters, decay)
        expected = "duckdb" if path.suffix == ".csv" else "python (DuckDB reads CSV files)"
        if example in FALLBACKS:
            expected = f"python ({FALLBACKS[example]})"
        assert engine_line(fast) == f"engine: {expected}"
        assert fast.stderr.replace(engine_line(fast) + "\n", "") == python.stderr


def test_every_example_is_in_the_differential():
    listed = {e for e, _ in EXAMPLE_CONFIGS}
    on_disk = {
        str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.suffix in (".csv", ".yaml")
    }
    on_disk -= {p for p in on_disk if p.endswith("scoring.yaml") or p.startswith("ci/")}
    on_disk -= {"backlog-with-problems.ranking.csv"}  # a committed ranking (`check --expect`)
    on_disk -= {p for p in on_disk if p.startswith("estimates/estimates/")}  # estimators' files
    on_disk |= {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.xlsx")}
    listed |= {"exports/hubspot-workbook/companies.xlsx"}  # a workbook: the Python pass only
    assert on_disk == listed


def test_the_bundled_example_really_runs_on_duckdb():
    fast = run("rank", str(EXAMPLES / "requests.csv"), "--engine", "duckdb", "-v", "-f", "csv")
    assert engine_line(fast) == "engine: duckdb"
    # the example has quoted fields ("Acme, Inc."): well formed, so DuckDB reads them
    assert b'"' in (EXAMPLES / "requests.csv").read_bytes()


HEADER = "integration,account,account_arr,stage,difficulty\n"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('Slack,"Acme\nCorp",1000,customer,1\n', "a quoted field spans lines or is not closed"),
        ('Slack,Acme "big",1000,customer,1\n', "a quoted field spans lines or is not closed"),
        ('Slack,"Acme" x,1000,customer,1\n', "a quoted field spans lines or is not closed"),
        ("Slack,Acme,1000,customer,1\n\nJira,B,5,x,2\n", "the file has blank lines or rows over"),
        ("Slack,Acme,1000,customer,1\rJira,B,5,x,2\n", "the file has a carriage return that"),
        ("Slack,Acme,1000,customer,1,  \n", "DuckDB: "),
    ],
)
def test_what_duckdb_would_not_read_alike_falls_back_to_python(tmp_path, body, reason):
    path = write(tmp_path / "in.csv", HEADER + body)
    python, fast = both(str(path), "-f", "csv")
    assert engine_line(fast).startswith(f"engine: python ({reason}")
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)


@pytest.mark.parametrize("name", ["", "  ", "\u00a0", "\u2003\u3000"])
def test_a_row_with_no_name_but_other_text_is_no_request_on_both_engines(tmp_path, name):
    """It names no integration: not counted, a notice on stderr, the same on both engines
    (a name of Unicode spaces is blank to both)."""
    body = f"Slack,Acme,1000,customer,1\n{name},B,5,x,2\n\u00a0,,\u2003,,\n"
    path = write(tmp_path / "in.csv", HEADER + body)
    python, fast = both(str(path), "-f", "csv")
    assert engine_line(fast) == "engine: duckdb"
    note = f"note: {path}: 1 row names no integration (line 3); not counted "
    note += "(intscore check lists them)\n"
    assert (python.exit_code, python.stderr) == (0, note)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (
        0,
        python.stdout,
        "engine: duckdb\n" + note,
    )
    assert python.stdout.count("\n") == 2  # the header and Slack


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("ending", ["\n", "\n\n", "   \n\n"])
def test_empty_lines_at_the_end_run_on_duckdb(tmp_path, newline, ending):
    text = HEADER + "Slack,Acme,1000,customer,1\nJira,B,5,x,2\n" + ending
    path = write(tmp_path / "in.csv", text.replace("\n", newline))
    python, fast = both(str(path), "-f", "csv")
    assert engine_line(fast) == "engine: duckdb"
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)


def test_rows_of_blank_cells_are_skipped_on_duckdb_too(tmp_path):
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\n ,,,,\n,,\n")
    python, fast = both(str(path), "-f", "csv")
    assert engine_line(fast) == "engine: duckdb"
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)


@pytest.mark.parametrize(
    "accounts",
    [
        ["Acme", "Globex", "Stark"],  # keys apart to the SQL check: no account is mapped
        ["Acme", "Ac me", "Globex"],  # apart only with their spaces: Python tells
        ["Acme", "ACME", " acme "],  # one key, three spellings
        ["Initech,  Inc.", "Initech, Inc."],  # inner spaces collapse
        ["Acme\x1fCorp", "Acme Corp"],  # whitespace to Python, not a space
        ["Straße", "STRASSE"],  # case-folded, not lower-cased
        ["e\u0301clair", "\u00e9clair"],  # NFC
        ["Acme\u00a0Corp", "Acme Corp"],  # a no-break space
        ["Acme", " ", "Globex", " "],  # blank accounts: a requester each
    ],
)
def test_accounts_are_told_apart_as_by_the_python_pass(tmp_path, accounts):
    rows = "".join(
        f'Slack,"{a}",{100 * (i + 1)},customer,1\nJira,"{a}",5,prospect,2\n'
        for i, a in enumerate(accounts)
    )
    path = write(tmp_path / "in.csv", HEADER + rows)
    python, fast = both(str(path), "-f", "csv")
    assert engine_line(fast) == "engine: duckdb"
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)
    notes = fast.stderr.replace(engine_line(fast) + "\n", "")
    assert notes == python.stderr  # the blank account's warning too


@pytest.mark.parametrize(
    ("body", "engine"),
    [
        ("Slack,Acme,lots,customer,1\n", "engine: python (invalid values "),
        (",Acme,1000,customer,1\n", "engine: duckdb"),  # no row names an integration
        ("Slack,Acme,1000,customer,1,x\n", "engine: python (DuckDB: "),
        ("Slack,\xff,1,x,1\n", None),  # refused as the header is read: before any engine
    ],
)
def test_input_errors_are_the_python_pass_s_word_for_word(tmp_path, body, engine):
    path = tmp_path / "in.csv"
    path.write_bytes(HEADER.encode() + body.encode("latin-1"))
    python, fast = both(str(path), "-f", "csv")
    assert fast.exit_code == python.exit_code == 2
    said = fast.stderr.removesuffix(python.stderr)  # the engine, before the errors
    assert said.startswith(engine) if engine else said == ""
    assert said.count("\n") == (1 if engine else 0) and fast.stderr.endswith(python.stderr)


def test_an_invalid_value_is_reported_with_its_line_as_by_the_python_pass(tmp_path):
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\nJira,B,lots,x,2\n")
    python, fast = both(str(path))
    assert fast.exit_code == python.exit_code == 2
    why = "invalid values (the Python pass reports each with its line)"
    assert engine_line(fast) == f"engine: python ({why})"
    assert fast.stderr == engine_line(fast) + "\n" + python.stderr
    assert "in.csv:3" in fast.stderr


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["-f", "json"], "this output lists every requester"),
        (["EXTRA"], "DuckDB reads one file at a time, from disk"),
    ],
)
def test_outputs_it_does_not_serve_fall_back(tmp_path, args, reason):
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\n")
    args = [str(path) if a == "EXTRA" else a for a in args]
    python, fast = both(str(path), *args)
    assert engine_line(fast) == f"engine: python ({reason})"
    assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)


DATED = (
    "integration,account,account_arr,stage,requested_at\n"
    "Slack,Acme,1000,customer,2026-01-10\n"
    "Slack,Acme,3000,customer,2025-12-01\n"
    "slack,Globex,500,prospect,2026-03-01\n"
    "Jira,Acme,700,customer,2027-01-01\n"
    "Jira,,900,partner,2026-02-02\n"
    "Jira,Initech,,customer,\n"
    "Slack,Initech,250,lost,2026-02-20\n"
)


@pytest.mark.parametrize(
    "extra",
    [
        "filter: {stage: {not: lost}}\n",
        "filter: {requested_at: {within: 90d}}\n",
        "latest_by: requested_at\n",
        "filter: {account_arr: {at_least: 600}}\nlatest_by: requested_at\n",
    ],
)
def test_filters_dates_segments_and_decay_run_on_duckdb_alike(tmp_path, extra):
    config = (
        "version: 1\nas_of: 2026-03-15\ncriteria:\n"
        "  - {id: demand, aggregate: count, row_weight: {field: stage, map: {customer: 1,"
        " prospect: 0.5}, default: 0.2, decay: {field: requested_at, half_life: 60d}},\n"
        "     bands: [{min: 0, points: 0}, {min: 1, points: 1}, {min: 2, points: 2}]}\n"
        "  - {id: arr, field: account_arr, aggregate: sum, where: {stage: customer},\n"
        "     bands: [{min: 0, points: 0}, {min: 1000, points: 1}]}\n" + extra
    )
    args = [str(write(tmp_path / "in.csv", DATED)), "-c", str(write(tmp_path / "s.yaml", config))]
    for fmt in FORMATS:
        python, fast = both(*args, "-f", fmt)
        assert engine_line(fast) == "engine: duckdb"
        assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)
    check = run("check", *args, "-f", "json")  # the future date is a warning with its line
    assert '"line": 5' in check.stdout


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        # Plain integers, summed in SQL: 10 × 999,999,999,999,999 = 9,999,999,999,999,990,
        # above 2**53, so a float holds the nearest even: 9,999,999,999,999,990 is even
        # beside ...989 and ...991, both odd, and 2**53 < it < 2**54 spaces floats by 2.
        (["999999999999999"] * 10, "9,999,999,999,999,990"),
        # Plain (12, 0) and not plain in one column: 7 + 1,200 + 5 + 3 (an Arabic-Indic
        # three) + 40 + 12 + 0 = 1,267
        (["007", "$1,200", "+5", "\u0663", "  40 ", "12", "0"], "1,267"),
        # Not all integers: 1.5 + 2 + 3 = 6.5, summed in Python
        (["1.5", "2", "3"], "6.5"),
    ],
)
def test_sums_of_integers_are_exact_on_both_engines(tmp_path, cells, total):
    body = "integration,account,account_arr\n" + "".join(
        f'Acme,a{i},"{cell}"\n' for i, cell in enumerate(cells)
    )
    config = (
        "version: 1\ncriteria:\n  - {id: arr, field: account_arr, aggregate: sum,\n"
        "     bands: [{min: 0, points: 0}, {min: 1000, points: 1}]}\n"
    )
    args = [str(write(tmp_path / "in.csv", body)), "-c", str(write(tmp_path / "s.yaml", config))]
    for fmt in FORMATS:
        python, fast = both(*args, "-f", fmt)
        assert engine_line(fast) == "engine: duckdb"
        assert fast.stdout == python.stdout
    assert f" {total} " in python.stdout.replace("(", " ")


def test_auto_leaves_small_files_to_python(tmp_path):
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\n")
    result = run("rank", str(path), "-v")
    assert engine_line(result) == "engine: python (the file is under 3 MiB)"


def test_python_engine_says_so_without_a_reason(tmp_path):
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\n")
    assert engine_line(run("rank", str(path), "-v", "--engine", "python")) == "engine: python"


def test_tsv_semicolons_bom_and_crlf_run_on_duckdb(tmp_path):
    for name, delimiter, arr, extra in [
        ("in.tsv", "\t", "1,000.50", []),
        ("in.csv", ";", "1.000,50", ["--decimal-comma"]),
    ]:
        rows = [["Slack", "Acme", arr, "customer", "1"], ["slack ", "acme", "", "", "2"]]
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
            [HEADER.strip().split(","), *rows]
        )
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode())
        python, fast = both(str(path), "-f", "csv", *extra)
        assert engine_line(fast) == "engine: duckdb"
        assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('a,"b, c"\r\n"d ""e""",f\r\n\r\n', 3),  # quoted fields, CRLF: the header and 2 rows
        ('a,"b\nc"\nd,e\n', "a quoted field spans lines"),
        ("a,b\rc,d\ne,f\n", "the file has a carriage return that ends no line"),
        ('a,b\nc,"d" x\n', "a quoted field spans lines"),  # quoted, but not whole
        ("a,b\n" * 20 + 'c,"d\n', "a quoted field spans lines"),  # never closed, at the end
    ],
)
def test_line_checks_do_not_depend_on_where_the_chunks_end(tmp_path, monkeypatch, body, expected):
    """The one read that counts lines and checks quotes sees every line whole, whichever
    chunk it starts in: 1- to 7-byte chunks give the answer one chunk gives."""
    path = write(tmp_path / "in.csv", "h1,h2\n" + body)

    def answer() -> object:
        try:
            return duckdb_lines.count_lines(str(path), ",")
        except duckdb_pass.Unsupported as exc:
            return str(exc)

    whole = answer()
    assert whole == expected if isinstance(expected, int) else whole.startswith(expected)
    for size in range(1, 8):
        monkeypatch.setattr(duckdb_lines, "_CHUNK", size)
        assert answer() == whole, size


@pytest.mark.parametrize("cell", ['"' * (1 << 20), '"' + "a" * (1 << 20), '"",' * (1 << 18)])
def test_a_hostile_megabyte_line_falls_back(tmp_path, cell):
    """DuckDB's well-formedness check is linear (possessive loops) and declines the line; the
    Python reader refuses it while reading, before an engine is chosen, the same way for
    both, and with the read limits raised still answers exactly as without DuckDB."""
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme," + cell + ",x,1\n")
    sane = write(tmp_path / "sane.csv", HEADER + "Slack,Acme,1,x,1\n")
    with pytest.raises(duckdb_pass.Unsupported):
        duckdb_pass.group_csv(read_table(str(sane)), str(path), default_config(), 0)
    python, fast = both(str(path), "-f", "csv")
    assert fast.exit_code == python.exit_code == 2
    assert "in.csv:2: " in python.stderr
    assert fast.stderr == python.stderr
    roomy = "read: {max_line_length: 4194304, max_fields: 1000000}\n"
    config = write(tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text() + roomy)
    python, fast = both(str(path), "-c", str(config), "-f", "csv")
    assert fast.exit_code == python.exit_code
    assert fast.stdout == python.stdout
    said = [line for line in fast.stderr.splitlines(True) if not line.startswith("engine: ")]
    assert "".join(said) == python.stderr


# ---- differential: generated logs and configs through both engines -------------------------

CONFIG_HEAD = """version: 1
as_of: 2026-03-15
criteria:
"""
ARR_SUM = (
    "  - {id: arr, field: account_arr, aggregate: sum,\n"
    "     bands: [{min: 0, points: 0}, {min: 500, points: 1}, {min: 5000, points: 2}]}\n"
)
CRITERIA = {
    "count": (
        "  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}\n"
    ),
    "weighted": (
        "  - {id: wdemand, aggregate: count, row_weight: {field: stage, map: {customer: 1,"
        " prospect: 0.5, partner: 0.3}, default: 0.1},\n"
        "     bands: [{min: 0, points: 0}, {min: 1.5, points: 1}, {min: 3, points: 2}]}\n"
    ),
    "count_field": (
        "  - {id: paying, field: account_arr, aggregate: count,"
        " bands: [{min: 0, points: 0}, {min: 2, points: 1}]}\n"
    ),
    "sum": ARR_SUM,
    "mean": (
        "  - {id: mean_arr, field: account_arr, aggregate: mean,"
        " scale: {min: 0, max: 10000, points: 3}}\n"
    ),
    "min": (
        "  - {id: min_arr, field: account_arr, aggregate: min,"
        " bands: [{min: -100, points: 0}, {min: 10, points: 1}]}\n"
    ),
    "max": (
        "  - {id: max_arr, field: account_arr, aggregate: max,"
        " scale: {min: 0, max: 5000, points: 2}}\n"
    ),
    "value": (
        "  - {id: difficulty, kind: effort, field: difficulty, aggregate: value,"
        " map: {1: 2, 2: 2, 3: 1, S: 2, M: 1}, missing: 0}\n"
    ),
    "value_error": (
        "  - {id: difficulty, kind: effort, field: difficulty, aggregate: value,"
        " map: {1: 2, 2: 2, 3: 1, S: 2, M: 1}, missing: error}\n"
    ),
    "decayed": (
        "  - {id: recent, aggregate: count, row_weight: {field: stage, map: {customer: 1,"
        " prospect: 0.5}, default: 0.25, decay: {field: requested_at, half_life: 90d}},\n"
        "     bands: [{min: 0, points: 0}, {min: 0.8, points: 1}, {min: 2, points: 2}]}\n"
    ),
    "sum_where": (
        "  - {id: customer_arr, field: account_arr, aggregate: sum, where: {stage: customer},\n"
        "     bands: [{min: 0, points: 0}, {min: 500, points: 1}]}\n"
    ),
    "count_recent": (
        "  - {id: recent_count, aggregate: count, where: {requested_at: {within: 60d}},\n"
        "     bands: [{min: 0, points: 0}, {min: 1, points: 1}]}\n"
    ),
    "value_where": (
        "  - {id: effort, field: difficulty, aggregate: value, where: {stage: [customer, x]},"
        " map: {1: 2, 3: 1, S: 2}, missing: 0}\n"
    ),
    "where_names": (
        "  - {id: crm_demand, aggregate: count,\n"
        "     where: {integration: [Salesforce, HubSpot, jira]},\n"
        "     bands: [{min: 0, points: 0}, {min: 2, points: 1}]}\n"
    ),
    "mean_where": (
        "  - {id: big_mean, field: account_arr, aggregate: mean,"
        " where: {account_arr: {at_least: 100}}, scale: {min: 0, max: 9000, points: 3}}\n"
    ),
    "sum_requests": (
        "  - {id: pipeline, field: account_arr, aggregate: sum, over: requests,\n"
        "     bands: [{min: 0, points: 0}, {min: 800, points: 1}, {min: 8000, points: 2}]}\n"
    ),
    "max_requests": (
        "  - {id: biggest_deal, field: account_arr, aggregate: max, over: requests,"
        " where: {stage: [customer, prospect]}, scale: {min: 0, max: 5000, points: 2}}\n"
    ),
    "mean_requests": (
        "  - {id: mean_deal, field: account_arr, aggregate: mean, over: requests,"
        " bands: [{min: -10, points: 0}, {min: 300, points: 1}]}\n"
    ),
}
# `columns:` entries (one mapping; of the integration's, one at a time)
COLUMNS = {
    "split": "integration: {column: integration, split: ';'}",
    "keep_names": "integration: {column: integration, split: ';', keep: [Salesforce, jira, Café]}",
    "keep_prefix": "integration: {column: integration, split: ' ', keep: {prefix: int_}}",
    "keep_glob": "integration: {column: integration, split: ';', keep: {glob: '*a*'}}",
    "else_email": "account: {column: account, else_email: email}",
    "per_account": "account_arr: {column: account_arr, per: account}",
    "per_stage": "stage: {column: stage, per: account}",
}
EXTRAS = {
    "aliases": "aliases: {Salesforce: [SFDC, Salesforce CRM]}\n",
    "rules": (
        "recommend:\n"
        "  - {when: {core: [yes, true]}, then: Build, because: core}\n"
        "  - {then: Buy, because: default}\n"
    ),
    "tiebreak": "tiebreak: [{first}]\n",
    "filter_stage": "filter: {stage: {not: [other]}}\n",
    "filter_date": "filter: {requested_at: {within: 365d}}\n",
    "filter_number": "filter: {account_arr: {below: 5000}}\n",
    "filter_names": "filter: {integration: {not: [jira, SFDC]}}\n",
    "filter_both": "filter: {integration: [Salesforce, HubSpot, Slack], stage: {not: other}}\n",
    "latest_by": "latest_by: requested_at\n",
    "us_dates": "dates: {formats: ['%m/%d/%Y']}\n",
    "name_rule": (
        "recommend:\n"
        "  - {when: {integration: {not: [Slack, SFDC]}}, then: Build, because: ours}\n"
        "  - {then: Later, because: default}\n"
    ),
    "date_rule": (
        "recommend:\n"
        "  - {when: {requested_at: {after: 2026-01-01}}, then: Soon, because: recent}\n"
        "  - {then: Later, because: default}\n"
    ),
}
CLASHES = [{"rules", "date_rule"}, {"rules", "name_rule"}, {"date_rule", "name_rule"}]
NAMES = ["Salesforce", "salesforce ", "SFDC", "Salesforce CRM", "HubSpot", "Hub  Spot", "Jira"]
NAMES += ["Café", "Cafe\u0301", "Slack; Jira", "Jira;Slack;jira", "; ;", "a,b", 'say "hi"']
NAMES += ["", "  ", "\u00a0", "int_Slack vip", "int_jira int_Salesforce", "vip billing"]
EMAILS = ["dana@acme.com", "x@gmail.com", "", "bob@Globex.com", "Ann <ann@initech.com>"]
EMAILS += ["not an email", "a@b@c", "eve@hotmail.co.uk", "ops@stark.io"]
ACCOUNTS = ["Acme", "acme", " ACME ", "Globex", "Initech, Inc.", "", " ", "Ünïcode", "Stark"]
ACCOUNTS += ["Ac me", "Initech,  Inc.", "GLOBEX"]
NUMBERS = ["250", "1,200", "$1,200", "12k", "1.5", "0", "", "", "7000", "-3", "1e3", "  40 "]
NUMBERS += ["007", "999999999999999", "1000000000000000", "\u0663", "+5", "12 "]  # plain-looking
STAGES = ["customer", "Prospect", "PARTNER", "", "other"]
DIFFICULTY = ["1", "3", "3.0", "S", "m", "XL", "", ""]
CORE = ["yes", "no", "", "true"]
DATES = ["2026-01-10", "2026-03-01", "2025-06-30", "2027-02-01", "2026-03-15T10:00:00Z", ""]
DATES += [" 2026-02-28 ", "03/01/2026"]  # the last needs us_dates (else: invalid, on both)


@st.composite
def logs(draw):
    """(CSV bytes, config text): a request log as an export would write it."""
    columns = ["integration", "account", "account_arr", "stage", "difficulty", "core"]
    columns += ["requested_at", "email"]
    columns = [c for c in columns if c == "integration" or draw(st.integers(0, 5))]
    pools = {
        "integration": NAMES,
        "account": ACCOUNTS,
        "account_arr": NUMBERS,
        "stage": STAGES,
        "difficulty": DIFFICULTY,
        "core": CORE,
        "requested_at": DATES,
        "email": EMAILS,
    }
    n = draw(st.integers(0, 30))
    rows = [[draw(st.sampled_from(pools[c])) for c in columns] for _ in range(n)]
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    chosen = draw(st.lists(st.sampled_from(sorted(CRITERIA)), min_size=1, max_size=4, unique=True))
    if "value" in chosen and "value_error" in chosen:
        chosen.remove("value_error")
    config = CONFIG_HEAD + "".join(CRITERIA[c] for c in chosen)
    extras = draw(st.lists(st.sampled_from(sorted(EXTRAS)), max_size=4, unique=True))
    filters = [e for e in extras if e.startswith("filter")]
    extras = [e for e in extras if not e.startswith("filter") or e == filters[0]]
    for clash in CLASHES:
        if clash <= set(extras):
            extras.remove(sorted(clash)[0])
    first = CRITERIA[chosen[0]].split("id: ")[1].split(",")[0]
    config += "".join(EXTRAS[e].replace("{first}", first) for e in extras)
    entries = draw(st.lists(st.sampled_from(sorted(COLUMNS)), max_size=3, unique=True))
    naming = [e for e in entries if COLUMNS[e].startswith("integration")]
    entries = [e for e in entries if e not in naming[1:]]  # one integration entry
    if "rules" in extras:
        entries.append("core")
    picked = [COLUMNS.get(e, "core: core") for e in entries]
    if picked:
        config += "columns: {" + ", ".join(picked) + "}\n"
    return out.getvalue().encode(), config


def outcome(path: Path, config: Path, engine: str):
    """Everything `rank` shows, and which engine ran."""
    try:
        ranked = rank_inputs(Inputs((str(path),), str(config)), engine=engine, listed=False)
    except IntscoreError as exc:
        return ("error", [str(f) for f in exc.findings]), "error"
    ranking = ranked.ranking
    texts = tuple(render_ranking(ranking, ranked.run, f) for f in FORMATS)
    return (texts, ranking.warnings, ranking.unbound, ranking.inputs), ranked.engine


def compare(tmp: Path, data: bytes, config_text: str) -> str:
    path = tmp / "log.csv"
    path.write_bytes(data)
    config = write(tmp / "scoring.yaml", config_text)
    python, _ = outcome(path, config, "python")
    fast, engine = outcome(path, config, "duckdb")
    assert fast == python
    return engine


@settings(max_examples=settings().max_examples if LONG_RUN else 40)  # `make fuzz`: 20,000
@given(logs())
def test_generated_logs_rank_alike_on_both_engines(tmp_path_factory, log):
    data, config = log
    note(data.decode())
    note(config)
    engine = compare(tmp_path_factory.mktemp("log"), data, config)
    note(f"engine: {engine}")


def test_most_generated_logs_really_run_on_duckdb(tmp_path):
    """The differential above is only worth something if DuckDB does the grouping."""
    rng = random.Random(7)
    engines = []
    for i in range(30):
        data, config = _seeded_log(rng)
        folder = tmp_path / str(i)
        folder.mkdir()
        engines.append(compare(folder, data, config))
    assert engines.count("duckdb") >= 22, engines


def _seeded_log(rng: random.Random) -> tuple[bytes, str]:
    """A valid log (numbers that parse) and a config of many criteria and column entries."""
    names = [n for n in NAMES if n.strip(" ;")]
    numbers = [n for n in NUMBERS if n.strip() not in ("-3",)]
    pools = [names, ACCOUNTS, numbers, STAGES, DIFFICULTY, CORE, EMAILS]
    rows = [[rng.choice(pool) for pool in pools] for _ in range(rng.randint(1, 40))]
    out = io.StringIO()
    writer = csv.writer(out, quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    header = ["integration", "account", "account_arr", "stage", "difficulty", "core", "email"]
    writer.writerow(header)
    writer.writerows(rows)
    config = CONFIG_HEAD + CRITERIA["weighted"] + CRITERIA["sum"] + CRITERIA["value"]
    config += CRITERIA["max"] + CRITERIA["sum_requests"] + EXTRAS["aliases"] + EXTRAS["rules"]
    config += "columns: {core: core, " + COLUMNS["else_email"] + ", " + COLUMNS["per_stage"] + "}\n"
    return out.getvalue().encode(), config


def test_a_pipe_is_read_once_by_the_python_pass(tmp_path):
    """A named pipe cannot be read twice: DuckDB leaves it alone, not a row is lost."""
    import os
    import threading

    text = HEADER + "Slack,Acme,1000,customer,1\nJira,Globex,5,prospect,2\n"
    expected = run("rank", str(write(tmp_path / "plain.csv", text)), "-f", "csv").stdout
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as handle:
            handle.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    result = run("rank", str(fifo), "-f", "csv", "--engine", "duckdb", "-v")
    writer.join(timeout=10)
    assert engine_line(result) == "engine: python (DuckDB reads one file at a time, from disk)"
    assert result.stdout == expected


def test_duckdb_spills_into_a_private_folder_and_fetches_no_extension(tmp_path, monkeypatch):
    """Past its memory limit DuckDB writes temporary files: never into the user's folder
    (its default for an in-memory database is `.tmp` there), and the folder goes afterwards."""
    import duckdb

    seen = {}
    connect = duckdb.connect

    def recording(database, config=None):
        seen.update(config or {})
        return connect(database, config=config)

    monkeypatch.setattr(duckdb, "connect", recording)
    path = write(tmp_path / "in.csv", HEADER + "Slack,Acme,1000,customer,1\n")
    before = sorted(p.name for p in Path.cwd().iterdir())
    assert engine_line(run("rank", str(path), "--engine", "duckdb", "-v")) == "engine: duckdb"
    spill = Path(seen["temp_directory"])
    assert not spill.exists() and Path.cwd() not in spill.parents
    assert seen["autoinstall_known_extensions"] is False
    assert sorted(p.name for p in Path.cwd().iterdir()) == before


def test_plan_attributes_and_rules_on_the_plan_rank_alike_on_duckdb(tmp_path):
    """Build hours are integration attributes (an extra slot after the criteria's): the DuckDB
    pass reads them too, so recommendations that test the plan come out the same."""
    pytest.importorskip("highspy")
    config = (
        "version: 1\ncategories: {Jira: tools, Slack: tools}\ncriteria:\n"
        "  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}\n"
        "plan: {capacity: 900h, build: hours, upkeep: {per_year: 10%}}\n"
        "buy: [{name: Tool API, category: tools, hours: 300h}]\n"
        "recommend:\n  - {when: {plan: bought}, then: Buy}\n"
        "  - {when: {plan: built}, then: Build}\n  - {then: Defer}\n"
    )
    rows = "integration,account,hours\n" + "".join(
        f"{name},{account},{hours}\n"
        for name, account, hours in [
            ("Jira", "Acme", "400h"),
            ("Jira", "Globex", ""),
            ("Slack", "Acme", "2w"),
            ("Zoom", "Acme", "500"),
            ("Zoom", "Hooli", ""),
            ("Teams", "Hooli", ""),
            ("Workday", "Acme", "800h"),
            ("Workday", "Initech", "700h"),
        ]
    )
    args = [str(write(tmp_path / "in.csv", rows)), "-c", str(write(tmp_path / "s.yaml", config))]
    for fmt in FORMATS:
        python, fast = both(*args, "-f", fmt)
        assert engine_line(fast) == "engine: duckdb"
        assert (fast.exit_code, fast.stdout) == (python.exit_code, python.stdout)
    # Jira and Slack (tools) bought for 300 h; Zoom built (550 h); Workday (conflicting
    # estimates: the most, 800 h + 80 h) and Teams (no hours) left out.
    table = both(*args)[1].stdout
    assert [line.split()[1:2] + line.split()[-1:] for line in table.splitlines()[2:7]] == [
        ["Jira", "Buy"],
        ["Workday", "Defer"],
        ["Zoom", "Build"],
        ["Slack", "Buy"],
        ["Teams", "Defer"],
    ]
