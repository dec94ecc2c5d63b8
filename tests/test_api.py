"""The Python API: the README's examples run as written, and the API's promises."""

from __future__ import annotations

import doctest
import json
import pydoc
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
