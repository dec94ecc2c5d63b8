"""The cache of validated configs: used when it can be trusted, ignored otherwise."""

from __future__ import annotations

import json
import os
from pathlib import Path

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


def test_an_entry_that_cannot_be_trusted_is_ignored(tmp_path):
    write(tmp_path / "scoring.yaml", TEXT)
    load_config("scoring.yaml")
    [entry] = entries()
    original = entry.read_text()

    def loads_from_cache() -> bool:
        return load_config("scoring.yaml").data is None

    assert loads_from_cache()
    entry.write_text(original[:-20])  # truncated
    assert not loads_from_cache()
    doc = json.loads(original)
    doc["config"]["criteria"][0]["weight"] = 1e308  # changed without its checksum
    entry.write_text(json.dumps(doc))
    assert not loads_from_cache()
    entry.write_text(original)
    os.chmod(entry, 0o666)  # writable by others
    assert not loads_from_cache()
    os.chmod(entry, 0o600)
    os.chown(entry, 12345, 12345)  # another user's
    assert not loads_from_cache()
    entry.unlink()


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
    for text in (TEXT, votes, sales, sales + extra):
        write(tmp_path / "c.yaml", text)
        fresh = load_config("c.yaml", cached=False).config
        load_config("c.yaml")  # stores it
        cached = load_config("c.yaml").config
        assert cached.model_dump() == fresh.model_dump()
        assert type(cached.criteria[0]) is type(fresh.criteria[0])
        assert cached.denominator == fresh.denominator
        assert [c.scorer.describe() for c in cached.criteria] == [
            c.scorer.describe() for c in fresh.criteria
        ]
    assert config_cache.load_cached("0" * 64) is None
