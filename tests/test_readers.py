"""Reading real exports (SPEC §3): encodings, delimiters, quoting, headers, YAML/JSON shapes."""

from __future__ import annotations

import codecs
import io
import sys

import pytest

from conftest import run, write
from intscore.matching import normalize_header
from intscore.problems import IntscoreError
from intscore.read.inputs import read_table
from intscore.read.readers import ReadOptions

CSV = "integration,account,account_arr\nSalesforce,Acme,250000\nHubSpot,Hooli,30000\n"


def rows_of(path, **options):
    table = read_table(str(path), ReadOptions(**options))
    rows = list(table.rows)
    return table, rows


def test_plain_csv_rows_remember_their_lines(tmp_path):
    table, rows = rows_of(write(tmp_path / "r.csv", CSV))
    assert table.header == ["integration", "account", "account_arr"]
    assert rows == [(2, ["Salesforce", "Acme", "250000"]), (3, ["HubSpot", "Hooli", "30000"])]


def test_bom_crlf_quoted_newlines_and_blank_lines(tmp_path):
    text = (
        "\ufeffintegration,account,notes\r\n"
        "\r\n"
        'Salesforce,Acme,"two\r\nlines"\r\n'
        "\r\n"
        "HubSpot,Hooli,\r\n"
    )
    table, rows = rows_of(write(tmp_path / "r.csv", text))
    assert table.header == ["integration", "account", "notes"]
    assert rows == [(3, ["Salesforce", "Acme", "two\r\nlines"]), (6, ["HubSpot", "Hooli", ""])]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    text = CSV.replace(",", delimiter)
    _, rows = rows_of(write(tmp_path / "r.csv", text))
    assert rows[0] == (2, ["Salesforce", "Acme", "250000"])


def test_delimiter_can_be_given(tmp_path):
    text = "integration;account\nA,B;C\n"
    _, rows = rows_of(write(tmp_path / "r.csv", text), delimiter=";")
    assert rows == [(2, ["A,B", "C"])]


def test_tsv_extension_means_tabs(tmp_path):
    _, rows = rows_of(write(tmp_path / "r.TSV", "integration\taccount\nA, Inc\tB\n"))
    assert rows == [(2, ["A, Inc", "B"])]


def test_trailing_empty_columns_and_short_rows(tmp_path):
    text = "integration,account,,\nA,B,,\nC\n"
    table, rows = rows_of(write(tmp_path / "r.csv", text))
    assert rows == [(2, ["A", "B", "", ""]), (3, ["C", "", "", ""])]
    assert table.findings == []


def test_row_with_more_cells_than_the_header_is_a_finding(tmp_path):
    table, rows = rows_of(write(tmp_path / "r.csv", "integration,account\nA,B,C\nD,E\n"))
    assert rows == [(3, ["D", "E"])]
    [finding] = table.findings
    assert (finding.line, finding.rule) == (2, "invalid-row")
    assert finding.message == (
        "row has 3 cells but the header has 2; is a delimiter or quote missing?"
    )


def test_duplicate_headers_are_one_column(tmp_path):
    """SPEC §13: repeated headers (any spelling) are one column, not an error; its first
    non-empty copy where no field of the config reads it."""
    table = read_table(str(write(tmp_path / "r.csv", "integration,Account,account\nA,,x\n")))
    assert table.header == ["integration", "Account"]
    assert table.repeated == {1: (2, 3)}
    assert list(table.rows) == [(2, ["A", "x"])]


def test_header_matching_is_forgiving():
    assert normalize_header("  Account ARR ") == "account_arr"
    assert normalize_header("account-arr") == "account_arr"
    assert normalize_header("ACCOUNT__ARR") == "account_arr"


def test_cp1252_needs_encoding(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("integration,account\nSalesforce,Société Générale\n".encode("cp1252"))
    with pytest.raises(IntscoreError) as info:
        rows_of(path)
    assert str(info.value) == (
        f"{path}:2: is not UTF-8 text; give its encoding, e.g. --encoding cp1252"
    )
    _, rows = rows_of(path, encoding="cp1252")
    assert rows == [(2, ["Salesforce", "Société Générale"])]


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_are_recognised_by_their_bom(tmp_path, codec):
    path = tmp_path / "r.csv"
    path.write_bytes(CSV.encode(codec))  # Python writes the BOM for these codecs
    assert path.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE[:2])
    _, rows = rows_of(path)
    assert rows[1] == (3, ["HubSpot", "Hooli", "30000"])


def test_unknown_extension(tmp_path):
    with pytest.raises(IntscoreError) as info:
        read_table(str(write(tmp_path / "r.txt", CSV)))
    assert str(info.value) == (
        f"{tmp_path}/r.txt: unknown file type ('.txt'): "
        "use .csv, .tsv, .yaml, .yml, .json, .xlsx, .xls or .ods, or give --input-format"
    )


def test_missing_file(tmp_path):
    with pytest.raises(IntscoreError) as info:
        read_table("nope.csv")
    assert str(info.value) == "nope.csv: file not found"


def test_empty_csv(tmp_path):
    with pytest.raises(IntscoreError) as info:
        list(read_table(str(write(tmp_path / "r.csv", "\n\n"))).rows)
    assert str(info.value).endswith("r.csv: no header row (the file is empty)")


YAML_LIST = """\
- integration: Salesforce
  account: Acme
  account_arr: 250000
- integration: HubSpot
  Account: Hooli
"""

YAML_MAPPING = """\
Salesforce:
  - account: Acme
    account_arr: 250000
  - account: Globex
HubSpot:
  account: Hooli
NetSuite:
"""


def test_yaml_list_of_rows(tmp_path):
    table, rows = rows_of(write(tmp_path / "r.yaml", YAML_LIST))
    assert table.header == ["integration", "account", "account_arr"]
    assert rows == [(1, ["Salesforce", "Acme", 250000]), (4, ["HubSpot", "Hooli", None])]


def test_yaml_mapping_from_name_to_rows(tmp_path):
    table, rows = rows_of(write(tmp_path / "r.yml", YAML_MAPPING))
    assert table.name_column == 0
    assert table.header == ["", "account", "account_arr"]
    assert rows == [
        (2, ["Salesforce", "Acme", 250000]),
        (4, ["Salesforce", "Globex", None]),
        (6, ["HubSpot", "Hooli", None]),
        (7, ["NetSuite", None, None]),
    ]


def test_json_rows_with_lines(tmp_path):
    text = '[\n  {"integration": "Salesforce", "account": "Acme"},\n  {"integration": "Jira"}\n]\n'
    _, rows = rows_of(write(tmp_path / "r.json", text))
    assert rows == [(2, ["Salesforce", "Acme"]), (3, ["Jira", None])]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.yaml", "- integration: A\n  integration: B\n", "2: duplicate key 'integration'"),
        ("r.json", '[{"integration": "A", "integration": "B"}]', "1: duplicate key 'integration'"),
        ("r.json", '[{"integration": "A", "arr": NaN}]', "1: NaN is not a valid number in JSON"),
        (
            "r.yaml",
            "- !!python/object/apply:os.system [ls]\n",
            "1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (
            "r.yaml",
            "just text\n",
            "1: expected a list of rows, or a mapping from integration name to rows",
        ),
        (
            "r.yaml",
            "- [1, 2]\n",
            "1: each row should be a mapping of fields (a list of rows, "
            "or a mapping from integration name to rows)",
        ),
    ],
)
def test_structured_input_errors(tmp_path, name, text, message):
    with pytest.raises(IntscoreError) as info:
        list(read_table(str(write(tmp_path / name, text))).rows)
    assert str(info.value) == f"{tmp_path}/{name}:{message}".replace(":: ", ": ")


def test_yaml_row_repeating_a_field_in_other_spelling(tmp_path):
    table, _rows = rows_of(write(tmp_path / "r.yaml", "- integration: A\n  Integration: B\n"))
    [finding] = table.findings
    assert (finding.line, finding.message) == (
        2,
        "fields 'integration' and 'Integration' are the same field",
    )


def test_stdin_is_csv_unless_input_format_says_otherwise():
    """As csvkit and sqlite-utils do: `-` alone reads CSV; --input-format picks another."""
    text = "integration,account,account_arr,difficulty\nSalesforce,Acme,250000,3\n"
    result = run("rank", "-", "-f", "csv", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("1,Salesforce,")
    yaml_text = "- {integration: Jira, account: Acme, account_arr: 250000, difficulty: 3}\n"
    result = run("rank", "-", "--input-format", "yaml", "-f", "csv", input=yaml_text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("1,Jira,")
    # YAML read as CSV (no --input-format) is a one-column table without the fields needed.
    result = run("check", "-", input=yaml_text)
    assert result.exit_code == 1
    assert "<stdin>:1: error: no 'integration' column (columns: - {integration: Jira" in (
        result.stdout
    )


def test_stdin_csv(monkeypatch):
    text = "integration,account,account_arr,difficulty\nSalesforce,Acme,250000,3\n"
    result = run("rank", "-", "--input-format", "csv", "-f", "csv", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("1,Salesforce,")


def test_reading_stdin_buffer(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CSV.encode())))
    table = read_table("-", ReadOptions(input_format="csv"))
    assert [r[1][0] for r in table.rows] == ["Salesforce", "HubSpot"]
