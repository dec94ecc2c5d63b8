"""The cache of validated configs: used when it can be trusted, ignored otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run, write
from intscore.model import cache as config_cache
from intscore.model.loading import load_config

TEXT = (ROOT / "scoring.yaml").read_text()


def entries() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "intscore"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_a_second_load_comes_from_the_cache_and_ranks_the_same(tmp_path):
    write(tmp_path / "scoring.yaml", TEXT)
    write(
        tmp_path / "r.csv", "integration,account,account_arr,stage,difficulty\nA,x,1,customer,1\n"
    )
    first = run("rank", "r.csv", "-f", "json").stdout
    [entry] = entries()
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    assert load_config("scoring.yaml").data is None  # from the cache: no YAML was parsed
    assert run("rank", "r.csv", "-f", "json").stdout == first
    write(tmp_path / "scoring.yaml", TEXT.replace("weight: 20", "weight: 25"))
    assert load_config("scoring.yaml").data is not None  # changed: parsed again
    assert len(entries()) == 2


def _cached_entry(tmp_path: Path) -> tuple[Path, dict]:
    write(tmp_path / "scoring.yaml", TEXT)
    load_config("scoring.yaml")
    [entry] = entries()
    return entry, json.loads(entry.read_text())


def loads_from_cache() -> bool:
    return load_config("scoring.yaml").data is None


def test_an_entry_that_cannot_be_trusted_is_ignored(tmp_path):
    entry, _ = _cached_entry(tmp_path)
    original = entry.read_text()
    assert loads_from_cache()
    entry.write_text(original[:-20])  # truncated
    assert not loads_from_cache()
    entry.write_text(original)
    os.chmod(entry, 0o666)  # writable by others
    assert not loads_from_cache()
    os.chmod(entry, 0o600)
    os.chown(entry, 12345, 12345)  # another user's
    assert not loads_from_cache()
    entry.unlink()


FORGED = [
    ("a huge weight", lambda m: m["criteria"][0].update(weight=1e308)),
    ("a negative weight", lambda m: m["criteria"][0].update(weight=-40)),
    ("a weight that is text", lambda m: m["criteria"][0].update(weight="40")),
    ("a boolean weight", lambda m: m["criteria"][0].update(weight=True)),
    ("empty bands", lambda m: m["criteria"][0].update(bands=[])),
    ("bands out of order", lambda m: m["criteria"][0].update(bands=[[10, 1], [0, 0]])),
    ("two scorers", lambda m: m["criteria"][0].update(map={"a": 1})),
    ("missing above the most points", lambda m: m["criteria"][2].update(missing=99)),
    ("a formula naming nothing", lambda m: m.update(formula="demand * nothing")),
    ("a formula that is code", lambda m: m.update(formula="__import__('os')")),
    ("an unknown key", lambda m: m.update(extra=1)),
    ("a key left out", lambda m: m.pop("tiebreak")),
    ("a tiebreak on no criterion", lambda m: m.update(tiebreak=["nothing"])),
    ("an unknown rule id", lambda m: m.update(ignore=["no-such-rule"])),
    ("a bad criterion id", lambda m: m["criteria"][0].update(id="de mand")),
    ("a duplicate criterion id", lambda m: m["criteria"][1].update(id="demand")),
    ("no weight anywhere", lambda m: [c.update(weight=0) for c in m["criteria"]]),
    ("a condition of no kind", lambda m: m.update(filter={"x": {"kind": "?", "values": []}})),
    ("over something else", lambda m: m["criteria"][1].update(over="everything")),
    ("over requests on a count", lambda m: m["criteria"][0].update(over="requests")),
    (
        "a keep of no kind",
        lambda m: m["columns"].update(
            integration={
                "headers": ["i"],
                "split": None,
                "keep": {"kind": "regex", "values": ["x"]},
                "else_email": None,
                "per": None,
            }
        ),
    ),
    (
        "per something else",
        lambda m: m["columns"].update(
            arr={"headers": ["a"], "split": None, "keep": None, "else_email": None, "per": "x"}
        ),
    ),
]


@pytest.mark.parametrize("what, forge", FORGED, ids=[what for what, _ in FORGED])
def test_a_forged_entry_is_ignored_and_rewritten(tmp_path, what, forge):
    """The key is no secret (anyone who can write the entry can recompute it): the content
    itself is checked as fully as the YAML it came from."""
    entry, doc = _cached_entry(tmp_path)
    forge(doc["model"])
    entry.write_text(json.dumps(doc))
    assert not loads_from_cache(), what
    assert loads_from_cache()  # written anew from the YAML


def test_a_deeply_nested_entry_is_ignored(tmp_path):
    entry, _ = _cached_entry(tmp_path)
    entry.write_text("[" * 100_000 + "]" * 100_000)
    assert not loads_from_cache()


def test_a_fifo_or_a_link_in_place_of_an_entry_is_not_opened(tmp_path):
    entry, _ = _cached_entry(tmp_path)
    text = entry.read_text()
    entry.unlink()
    os.mkfifo(entry)  # opening it to read would wait for a writer forever
    assert not loads_from_cache()
    entry.unlink()
    target = tmp_path / "elsewhere.json"
    target.write_text(text)
    entry.symlink_to(target)
    assert not loads_from_cache()


def test_changed_code_never_reuses_an_entry(tmp_path, monkeypatch):
    _cached_entry(tmp_path)
    assert loads_from_cache()
    monkeypatch.setattr(config_cache, "code_hash", lambda: "another version of the code")
    assert not loads_from_cache()


def test_a_cached_rank_imports_no_pydantic(tmp_path):
    """The compiled model comes from the cache: no YAML parsing, no validation, no pydantic."""
    write(tmp_path / "scoring.yaml", TEXT)
    write(
        tmp_path / "r.csv", "integration,account,account_arr,stage,difficulty\nA,x,1,customer,1\n"
    )
    code = (
        "import sys\n"
        "from intscore.cli import app\n"
        "try:\n    app(['rank', 'r.csv'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert first.stdout.splitlines()[-1] == "['pydantic', 'yaml']"  # validated, then cached
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "1 A" in second.stdout.replace("  ", " ")
    assert second.stdout.splitlines()[-1] == "[]"


def test_a_cached_rank_of_the_example_loads_only_what_rank_uses():
    """The console script's `rank`, from the cache: typer builds `rank` alone, and
    nothing of validation, YAML, DuckDB, the solver or the analyses is imported."""
    code = (
        "import sys\n"
        f"sys.argv = ['intscore', 'rank', {str(ROOT / 'examples' / 'requests.csv')!r}]\n"
        "from intscore.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from intscore.cli.frame import app\n"
        "print('COMMANDS', sorted(c.callback.__name__ for c in app.registered_commands))\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('pydantic', 'yaml', 'duckdb', 'highspy') or m.startswith(('intscore.analyses',"
        " 'intscore.cli.analysis', 'intscore.cli.setup', 'intscore.cli.estimates'))))\n"
    )
    for _ in range(2):  # the first run fills the cache
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    assert " 1  Slack " in out
    assert out.splitlines()[-2:] == ["COMMANDS ['rank']", "LOADED []"]


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    write(tmp_path / "scoring.yaml", TEXT)
    monkeypatch.setenv("INTSCORE_NO_CACHE", "1")
    load_config("scoring.yaml")
    assert entries() == []
    assert load_config("scoring.yaml").data is not None


def test_every_config_key_survives_the_cache(tmp_path):
    votes = (ROOT / "examples" / "votes-scoring.yaml").read_text()
    sales = (ROOT / "examples" / "salesforce-scoring.yaml").read_text()
    extra = (
        "filter: {region: {not: [APAC]}, arr: {at_least: 10}, created: {after: 2025-01-01}}\n"
        "check: {ignore: [duplicate-request], severity: {missing-value: error}}\n"
    )
    exports = [
        (ROOT / "examples" / "exports" / f"{name}-scoring.yaml").read_text()
        for name in ("hubspot-deals", "productboard-notes", "canny-votes", "zendesk-tickets")
    ]
    kept = TEXT.replace(
        "  integration: integration ",
        "  integration: {column: integration, split: ' ', keep: [Slack, Jira]}\n"
        "  mrr: {column: MRR, per: account}\n"
        "  tag: {column: Tag}  #",
    )
    assert kept != TEXT
    globbed = kept.replace("keep: [Slack, Jira]", "keep: {glob: 'int_*'}")
    for text in (TEXT, votes, sales, sales + extra, *exports, kept, globbed):
        write(tmp_path / "c.yaml", text)
        fresh = load_config("c.yaml", cached=False).model
        load_config("c.yaml")  # stores it
        cached = load_config("c.yaml").model
        assert cached == fresh
        assert type(cached.criteria[0]) is type(fresh.criteria[0])
        assert cached.denominator == fresh.denominator
        assert [c.scorer.describe() for c in cached.criteria] == [
            c.scorer.describe() for c in fresh.criteria
        ]
    assert config_cache.load_cached("0" * 64) is None
