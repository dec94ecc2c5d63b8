"""The Python API: the README's examples run as written, and the API's promises."""

from __future__ import annotations

import doctest
import json
import pydoc
import re
import subprocess
import sys

import pytest

import intscore
from conftest import ROOT, write


def test_the_readme_examples_run_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 10
    assert result.failed == 0


def test_help_lists_the_api():
    text = pydoc.render_doc(intscore)
    for name in ("load_config", "rank", "rank_rows", "Ranking", "IntscoreError"):
        assert name in text


def test_load_config_takes_a_string_a_path_or_nothing(tmp_path):
    write(tmp_path / "scoring.yaml", (ROOT / "scoring.yaml").read_text())
    assert intscore.load_config("scoring.yaml").source == "scoring.yaml"
    assert intscore.load_config(tmp_path / "scoring.yaml").path == tmp_path / "scoring.yaml"
    assert intscore.load_config().source == "scoring.yaml"  # the lookup finds it here


def test_errors_carry_the_findings(tmp_path):
    write(tmp_path / "bad.yaml", "version: 1\ncriteria: []\n")
    with pytest.raises(intscore.IntscoreError) as error:
        intscore.load_config("bad.yaml")
    [finding] = error.value.findings
    assert (finding.file, finding.line, finding.field) == ("bad.yaml", 2, "criteria")


def test_to_json_is_the_rank_document(tmp_path):
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\nA,x,1,1\n")
    doc = json.loads(intscore.rank(["r.csv"]).to_json())
    assert doc["version"] == 1 and doc["ranking"][0]["integration"] == "A"


def test_importing_intscore_stays_light():
    code = (
        "import sys, intscore\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def readme_api_example() -> str:
    """The README's Python API examples as one script: their `>>>` and `...` lines."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n")[1].split("\n## ")[0]
    code = []
    for block in re.findall(r"```python\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith((">>> ", "... ")):
                code.append(line[4:])
            elif line in (">>>", "..."):
                code.append("")
    return "\n".join(code) + "\n"


def test_the_readme_api_example_passes_mypy_strict(tmp_path):
    """As a user's type checker sees the API: the README's example is clean under --strict,
    and the same code reading `recommendation.label` unguarded is not (it may be None)."""
    example = readme_api_example()
    assert "advice.label if advice else" in example and "print(error)" in example
    write(tmp_path / "example.py", example)
    write(
        tmp_path / "unguarded.py",
        'import intscore\nprint(intscore.rank(["r.csv"]).items[0].recommendation.label)\n',
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary"),
            *("--cache-dir", str(ROOT / ".mypy_cache"), "example.py", "unguarded.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines() == [
        'unguarded.py:2: error: Item "None" of "Advice | None" has no attribute "label"  '
        "[union-attr]"
    ], done.stdout + done.stderr


def test_ranking_properties_are_typed_and_exported():
    ranking = intscore.rank([ROOT / "examples" / "requests.csv"], ROOT / "scoring.yaml")
    assert [c.id for c in ranking.criteria] == ["demand", "account_size", "difficulty"]
    assert ranking.tiebreak == ("demand", "account_size")
    assert [(i.source, i.format, i.rows) for i in ranking.inputs] == [
        (str(ROOT / "examples" / "requests.csv"), "csv", 70)
    ]
    assert ranking.as_of is not None and ranking.warnings == ()
    assert ranking.config_source == str(ROOT / "scoring.yaml")
    assert isinstance(ranking.items[0], intscore.RankedItem)
    assert not hasattr(intscore.Ranking, "__getattr__")  # no Any behind an unknown name
    with pytest.raises(AttributeError):
        ranking.denominator  # noqa: B018  (an engine detail, not part of the API)


def test_str_of_an_error_is_one_line_per_finding_without_the_cli_prefix():
    rows = [{"integration": f"I{n}", "account_arr": "lots", "difficulty": 1} for n in range(25)]
    with pytest.raises(intscore.IntscoreError) as error:
        intscore.rank_rows(rows)
    lines = str(error.value).splitlines()
    assert lines[0] == "<rows>:1: account_arr: 'lots' is not a number"
    assert lines[19] == "<rows>:20: account_arr: 'lots' is not a number"
    assert lines[20:] == ["... and 5 more"]  # 25 findings: the first 20 shown
    assert len(error.value.findings) == 25
