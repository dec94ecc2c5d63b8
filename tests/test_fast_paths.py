"""The Python engine's fast paths give exactly what the general code gives (issue 27): plain
digits skip the general number parser, a plain table's rows skip `RowPass._rows`. A cell or a
row that only looks plain must take the general code and give its result."""

from __future__ import annotations

import io
import math
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import intscore.engine.rowpass as rowpass
from intscore.engine.number_columns import ReadAgain
from intscore.engine.rowpass import group_rows
from intscore.model.loading import parse_config
from intscore.numbers import (
    PLAIN_DIGITS,
    NotANumber,
    parse_general_number,
    parse_number,
    plain_integer,
)
from intscore.read.readers import ReadOptions, read_stream


def reading(read: Any, text: object, comma: bool = False) -> tuple[str, str]:
    """What a parser makes of a cell: ("value", its repr: -0.0 is not 0.0) or ("error", the
    message)."""
    try:
        return "value", repr(read(text, comma))
    except NotANumber as exc:
        return "error", str(exc)


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ("0", 0.0),
        ("7", 7.0),
        ("007", 7.0),
        ("1200", 1200.0),
        ("9" * PLAIN_DIGITS, 999_999_999_999_999.0),
    ],
)
def test_plain_digits_are_read_without_the_general_parser(text, fast):
    assert plain_integer(text) == fast
    assert (
        reading(parse_number, text) == reading(parse_general_number, text) == ("value", repr(fast))
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1_000",  # float() takes it; the general parser does not
        "٣",  # an Arabic-Indic digit: isdigit() but not ASCII
        "²",  # a superscript: isdigit() but not a number
        " 12",
        "12 ",
        "+5",
        "-0",
        "-7",
        "12.0",
        "1,200",
        "12k",
        "1" + "0" * PLAIN_DIGITS,  # 1e15: 16 digits, the largest allowed
        "9" * (PLAIN_DIGITS + 1),  # too large
        "1" * 64,
        "1" * 65,  # longer than any number
        "12\n",
        "\u00a012",
    ],
)
def test_cells_that_look_plain_take_the_general_parser(text):
    assert plain_integer(text) is None
    assert reading(parse_number, text) == reading(parse_general_number, text)
    assert reading(parse_number, text, True) == reading(parse_general_number, text, True)


def test_minus_zero_keeps_its_sign():
    assert math.copysign(1.0, parse_number("-0")) == -1.0


def test_not_text_is_not_plain():
    for value in (7, 7.5, True, None, b"7"):
        assert plain_integer(value) is None


def test_a_megabyte_of_digits_is_refused_in_linear_time():
    text = "1" * (1 << 20)
    start = time.perf_counter()
    assert plain_integer(text) is None
    assert reading(parse_number, text)[0] == "error"
    assert time.perf_counter() - start < 0.5


NUMBERISH = st.text(alphabet="0123456789 +-_.,%$kKM٣²\u00a0e", max_size=20)


@given(NUMBERISH, st.booleans())
def test_fast_path_reads_as_the_general_parser(text, comma):
    fast = plain_integer(text)
    general = reading(parse_general_number, text, comma)
    if fast is not None:
        assert general == ("value", repr(fast))
    assert reading(parse_number, text, comma) == general


@given(st.integers(min_value=0, max_value=10**PLAIN_DIGITS - 1), st.integers(0, 3))
def test_every_plain_integer_reads_as_the_general_parser(n, zeros):
    text = "0" * zeros + str(n)
    if len(text) <= PLAIN_DIGITS:
        assert plain_integer(text) == float(n) == parse_general_number(text)


# The plain table's loop (engine/plain_rows.py) against RowPass's general loop.

CONFIGS = {
    "bench": """\
version: 1
columns: {integration: integration, account: account}
criteria:
  - id: demand
    aggregate: count
    row_weight: {field: stage, map: {customer: 1, prospect: 0.5}, default: 1}
    bands: [{min: 0, points: 0}, {min: 2, points: 3}]
  - id: arr
    field: account_arr
    aggregate: sum
    bands: [{min: 0, points: 0}, {min: 1000, points: 3}]
  - id: difficulty
    kind: effort
    field: difficulty
    aggregate: value
    map: {1: 3, 2: 2, 3: 1}
""",
    "split": """\
version: 1
columns: {integration: {column: integration, split: ";"}, account: account}
criteria:
  - id: arr
    field: account_arr
    aggregate: max
    bands: [{min: 0, points: 0}, {min: 1000, points: 3}]
  - id: difficulty
    kind: effort
    field: difficulty
    aggregate: value
    where: {stage: customer}
    map: {1: 3, 2: 2, 3: 1}
""",
}

NAMES = ["Slack", "slack ", " SLACK", "Jira", "jira;Slack", "Zoom;zoom", "", " ", "Total"]
ACCOUNTS = ["acme", "Acme ", "globex", "", " ", "初"]
ARRS = ["100", "007", "1,200", "2k", "abc", "", "+5", "٣", " 12", "-0", "9" * 16, "1.250,5", "7,5"]
STAGES = ["customer", "prospect", "", "Customer "]
LEVELS = ["1", "2", "3", "", "4"]

ROWS = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(ARRS),
        st.sampled_from(STAGES),
        st.sampled_from(LEVELS),
    ),
    max_size=25,
)


def csv_text(rows: list[tuple[str, ...]], header: str) -> str:
    lines = [header] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def requester_data(r: Any) -> tuple[Any, ...]:
    """A requester as plain data (its values a list: the plain loop keeps a tuple)."""
    return (r.account, r.file, r.line, list(r.values), r.rows, r.repeat, r.blank, r.when)


def grouped_as_data(text: str, config: str, plain: bool) -> Any:
    """Everything a row pass hands on, as plain data (the loop chosen by `plain`)."""
    model = parse_config(config, "scoring.yaml").model
    table = read_stream(io.BytesIO(text.encode()), "r.csv", "csv", ReadOptions())
    with pytest.MonkeyPatch.context() as patch:
        if not plain:
            patch.setattr(rowpass, "is_plain", lambda row_pass, columns: False)
        try:
            grouped = group_rows([table], model, 20_000)
        except ReadAgain as again:  # a column's own decimal mark showed late: both loops say so
            return again.decided, str(again.error)
    groups = {
        key: (
            g.file,
            g.line,
            list(g.spellings.items()),
            [(k, requester_data(r)) for k, r in g.requesters.items()],
            [[(k, (v.value, v.file, v.line)) for k, v in seen.items()] for seen in g.attributes],
            g.facts,
        )
        for key, g in grouped.groups.items()
    }
    return (
        list(groups.items()),
        grouped.errors,
        grouped.warnings,
        grouped.inputs,
        grouped.value_rows,
        grouped.has_account,
    )


@pytest.mark.parametrize("config", sorted(CONFIGS))
@given(rows=ROWS)
def test_plain_loop_groups_as_the_general_loop(config, rows):
    text = csv_text(rows, "integration,account,account_arr,stage,difficulty")
    plain = grouped_as_data(text, CONFIGS[config], True)
    general = grouped_as_data(text, CONFIGS[config], False)
    assert plain == general


def test_the_bench_config_takes_the_plain_loop(monkeypatch):
    calls = []
    original = rowpass.plain_rows

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(rowpass, "plain_rows", counted)
    text = csv_text(
        [("Slack", "acme", "100", "customer", "1")],
        "integration,account,account_arr,stage,difficulty",
    )
    grouped_as_data(text, CONFIGS["bench"], True)
    assert calls == [1]


# The reader: rows fitted to the header in the footer's loop, total rows remembered by text.


def read_rows(text: str) -> tuple[list[tuple[int, list[str]]], list[tuple[Any, ...]]]:
    table = read_stream(io.BytesIO(text.encode()), "r.csv", "csv", ReadOptions())
    rows = list(table.rows)
    return rows, [(f.line, f.rule, f.message) for f in table.findings]


def test_total_rows_are_found_each_time_their_text_repeats():
    rows, findings = read_rows(
        "integration,account\nTrello,a\nTotal,2\nTrello,b\nTotal,2\nGitHub,c\nTotal ,3\n"
    )
    assert rows == [(2, ["Trello", "a"]), (4, ["Trello", "b"]), (6, ["GitHub", "c"])]
    assert findings == [
        (
            3,
            "footer-rows",
            "3 rows (lines 3, 5, 7) are a report's footer or subtotals, not requests; skipped "
            "(read: {footer: none} keeps them)",
        )
    ]


def test_rows_are_fitted_to_the_header_as_before():
    rows, findings = read_rows("integration,account\nA\nB,x,y\nC,z,,\nTotal,1,2\n")
    assert rows == [(2, ["A", ""]), (4, ["C", "z"])]
    assert findings[0] == (
        3,
        "invalid-row",
        "row has 3 cells but the header has 2; is a delimiter or quote missing?",
    )
    assert findings[1][:2] == (5, "invalid-row")


def test_a_column_switching_its_decimal_mark_is_read_alike_by_both_loops():
    # `1.250,5` decides the column's decimal comma: its cache is replaced, and each later
    # text must still be seen once (the contradiction's counts say how many there were).
    arrs = ["1.250,5", "80%", "90%", "95%", "97%", "200", "80%", "90%", "95%", "97%", "300"]
    rows = [("Slack", f"a{i}", arr, "customer", "1") for i, arr in enumerate(arrs)]
    text = csv_text(rows, "integration,account,account_arr,stage,difficulty")
    plain = grouped_as_data(text, CONFIGS["bench"], True)
    assert plain == grouped_as_data(text, CONFIGS["bench"], False)
    [error] = [f.message for f in plain[1] if f.rule == "ambiguous-number"]
    assert "'80%' (line 3), '90%' (line 4), '95%' (line 5) and 1 more beside" in error
