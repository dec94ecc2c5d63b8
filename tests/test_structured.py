"""Safe YAML/JSON loading: lines kept, hostile documents refused quickly (SPEC §3)."""

from __future__ import annotations

import time

import pytest

from conftest import run, write
from intscore.read.structured import StructureError, line_of, load_json, load_yaml

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def test_lines_of_keys_and_items():
    data = load_yaml("version: 1\ncriteria:\n  - id: a\n    weight: 2\n  - id: b\n")
    assert line_of(data, ("criteria", 0, "weight")) == 4
    assert line_of(data, ("criteria", 1)) == 5
    assert line_of(data, ("criteria", 1, "nothing", "here")) == 5
    assert line_of(data, ()) == 1


def test_yaml_booleans_as_keys_do_not_collide_with_numbers():
    assert load_yaml("{1: a, yes: b}") == {1: "a", "true": "b"}


def test_yaml_dates_stay_text():
    assert load_yaml("d: 2026-01-31") == {"d": "2026-01-31"}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (BOMB, "document too large (alias expansion?)", 7),
        ("- " * 100 + "x", "nested more than 64 levels deep", 1),
        (
            "a: !!python/name:os.system",
            "YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
            1,
        ),
        ("a: !custom x", "YAML tag '!custom' is not allowed", 1),
        ("a: .inf", "'.inf' is not a finite number", 1),
        ("a: 1\n---\nb: 2\n", "more than one YAML document in the file", 2),
        ("x: *nope", "unknown alias 'nope'", 1),
    ],
)
def test_hostile_yaml_is_refused_fast(text, message, line):
    started = time.perf_counter()
    with pytest.raises(StructureError) as info:
        load_yaml(text)
    assert (info.value.message, info.value.line) == (message, line)
    assert time.perf_counter() - started < 2


def test_deep_yaml_is_refused_by_whichever_limit_comes_first():
    """PyYAML 6.0.4 and newer stop at a nesting depth of their own; older ones leave it to
    ours. Either way: one line, no stack overflow, fast."""
    with pytest.raises(StructureError) as info:
        load_yaml("[" * 5000 + "]" * 5000)
    assert info.value.line == 1
    assert info.value.message in (
        "invalid YAML: exceeded maximum nesting depth",
        "nested more than 64 levels deep",
    )


def test_deep_json_is_refused():
    with pytest.raises(StructureError) as info:
        load_json("[" * 100_000 + "]" * 100_000)
    assert info.value.message == "nested more than 64 levels deep"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant):
    with pytest.raises(StructureError) as info:
        load_json(f'[{{"a": {constant}}}]')
    assert info.value.message == f"{constant} is not a valid number in JSON"


def test_binary_and_huge_field_inputs_exit_2(tmp_path):
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    result = run("rank", "bin.csv")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: bin.csv: looks like a binary file, not CSV text\n",
    )
    write(tmp_path / "big.csv", "integration,notes\nA," + "x" * 200_000 + "\n")
    result = run("rank", "big.csv")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: big.csv:2: invalid CSV: a field is longer than 128 KiB\n",
    )
