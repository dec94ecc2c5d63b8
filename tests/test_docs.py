"""The reference docs: every scoring.yaml key documented, the generated pages current, and
the README pointing at them."""

from __future__ import annotations

import json
import re
import sys

from conftest import ROOT
from intscore.model.loading import config_schema

sys.path.insert(0, str(ROOT / "scripts"))
import write_docs


def schema_keys() -> set[str]:
    schema = config_schema()
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys.update(definition.get("properties", {}))
    return keys


def test_every_scoring_yaml_key_is_documented():
    text = (ROOT / "docs" / "scoring-yaml.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text))
    assert schema_keys() - documented == set()


def test_the_generated_pages_are_current():
    for name, build in write_docs.PAGES.items():
        committed = (ROOT / name).read_text(encoding="utf-8")
        assert committed == build(), f"{name} is out of date: run python scripts/write_docs.py"


def test_every_rule_is_in_the_rules_page_and_the_rules_command():
    from conftest import run
    from intscore.analyses.check import RULES

    page = (ROOT / "docs" / "check-rules.md").read_text(encoding="utf-8")
    listed = run("check", "--rules").stdout
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in page
        assert re.search(rf"^{re.escape(rule.id)} +{rule.severity} +", listed, re.M)
    rules = json.loads(run("check", "--rules", "-f", "json").stdout)
    assert [r["id"] for r in rules] == list(RULES)


def test_the_readme_links_the_reference_pages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("scoring-yaml.md", "check-rules.md", "json-contracts.md", "architecture.md"):
        assert f"docs/{page}" in readme
