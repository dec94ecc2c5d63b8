"""The catalog of SaaS products: sound as data, its spellings as aliases with `catalog: true`,
categories from it, a column or a mapping, and the near-duplicate rule that knows it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run, write
from intscore.matching import name_key
from intscore.model.catalog import product_of, products

REQUIRED = {
    "CRM",
    "marketing automation",
    "HRIS",
    "ATS",
    "accounting",
    "ERP",
    "helpdesk",
    "chat",
    "calendar & e-mail",
    "file storage",
    "data warehouse",
    "e-signature",
    "payments",
    "project management",
    "identity",
}


def test_no_spelling_belongs_to_two_products_and_every_product_has_a_category():
    owner: dict[str, str] = {}
    for product in products():
        assert product.category.strip(), product
        for spelling in (product.name, *product.spellings):
            key = name_key(spelling)
            assert owner.setdefault(key, product.name) == product.name, (spelling, owner[key])
    assert len(products()) >= 150
    assert {p.category for p in products()} >= REQUIRED


def test_a_spelling_finds_its_product_in_any_case_or_spacing():
    assert product_of("sfdc").name == "Salesforce"
    assert product_of("  MS   teams ").name == "Microsoft Teams"
    assert product_of("Azure AD").category == "identity"
    assert product_of("Frobnicator") is None


CONFIG = """version: 1
criteria:
  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}]}
"""
ROWS = "integration,account\nSFDC,Acme\nSalesforce,Globex\nMS Teams,Acme\nFrobnicator,Acme\n"


def ranked(tmp_path: Path, extra: str) -> list[dict]:
    write(tmp_path / "scoring.yaml", CONFIG + extra)
    write(tmp_path / "requests.csv", ROWS)
    result = run("rank", "requests.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["ranking"]


def test_catalog_true_merges_the_spellings_under_the_canonical_name(tmp_path: Path):
    names = [(i["integration"], i["requesters"]) for i in ranked(tmp_path, "catalog: true\n")]
    assert names == [("Salesforce", 2), ("Frobnicator", 1), ("Microsoft Teams", 1)]
    # The config's own aliases win: its canonical name takes every catalog spelling.
    own = ranked(tmp_path, "catalog: true\naliases: {Sales Force: [SFDC]}\n")
    assert next((i["integration"], i["requesters"]) for i in own) == ("Sales Force", 2)


def test_without_catalog_the_near_duplicate_rule_names_catalog_spellings(tmp_path: Path):
    write(tmp_path / "scoring.yaml", CONFIG)
    write(tmp_path / "requests.csv", ROWS)
    result = run("check", "requests.csv", "-f", "text")
    assert (
        "requests.csv:2: warning: 'SFDC' and 'Salesforce' (line 3) are one product in "
        "intscore's catalog (Salesforce); add to scoring.yaml: catalog: true, or aliases: "
        "{Salesforce: [SFDC]} [near-duplicate-name]"
    ) in result.stdout.splitlines()
    write(tmp_path / "scoring.yaml", CONFIG + "catalog: true\n")
    assert "near-duplicate-name" not in run("check", "requests.csv", "-f", "text").stdout


def test_categories_from_a_mapping_or_a_column_win_over_the_catalog(tmp_path: Path):
    rules = (
        "recommend:\n  - {when: {category: CRM}, then: Unify}\n"
        "  - {when: {category: Tools}, then: Tool}\n  - {then: Other}\n"
    )
    items = ranked(tmp_path, "categories: catalog\n" + rules)
    assert {i["integration"]: i["recommendation"]["label"] for i in items} == {
        "Salesforce": "Unify",
        "SFDC": "Unify",
        "MS Teams": "Other",
        "Frobnicator": "Other",
    }
    mapped = ranked(tmp_path, "catalog: true\ncategories: {Frobnicator: Tools}\n" + rules)
    assert {i["integration"]: i["recommendation"]["label"] for i in mapped} == {
        "Salesforce": "Unify",
        "Microsoft Teams": "Other",
        "Frobnicator": "Tool",
    }
    write(tmp_path / "requests.csv", "integration,account,kind\nSFDC,Acme,Tools\nSlack,B,\n")
    write(tmp_path / "scoring.yaml", CONFIG + "catalog: true\ncategories: kind\n" + rules)
    items = json.loads(run("rank", "requests.csv", "-f", "json").stdout)["ranking"]
    assert {i["integration"]: i["recommendation"]["label"] for i in items} == {
        "Salesforce": "Tool",  # the column wins
        "Slack": "Other",  # no column value: the catalog's (chat)
    }
