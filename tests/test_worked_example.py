"""SPEC §6: the worked example gives exactly that ranking and those scores."""

from __future__ import annotations

import json
import shutil

from conftest import DATA, ROOT, run
from intscore.engine.rank import rank
from intscore.engine.ranking import Flag
from intscore.model.loading import load_config
from intscore.read.inputs import read_table

SPEC6 = str(DATA / "spec6.csv")


def test_engine_ranks_the_worked_example_exactly():
    ranking = rank([read_table(SPEC6)], load_config(None).model)
    got = [
        (
            item.rank,
            item.integration,
            item.criteria["demand"].value,
            item.criteria["demand"].points,
            item.criteria["account_size"].value,
            item.criteria["account_size"].points,
            item.criteria["difficulty"].value,
            item.criteria["difficulty"].points,
            item.score,
        )
        for item in ranking.items
    ]
    assert got == [
        (1, "HubSpot", 3.5, 1, 150_000, 1, "1", 2, 60.0),
        (2, "Salesforce", 2.5, 0, 740_000, 2, "3", 1, 50.0),
        (3, "Workday", 2, 0, 1_100_000, 2, "5", 0, 40.0),
        (4, "NetSuite", 0.5, 0, 90_000, 0, None, 0, 0.0),
    ]
    netsuite = ranking.items[3]
    assert netsuite.flags == (Flag("missing", "difficulty"),)
    assert ranking.errors == ()


def test_acme_counts_once_for_salesforce():
    ranking = rank([read_table(SPEC6)], load_config(None).model)
    salesforce = ranking.items[1]
    assert sorted(r.account for r in salesforce.requesters) == ["Acme", "Globex", "Initech"]
    acme = next(r for r in salesforce.requesters if r.account == "Acme")
    assert acme.rows == 2


def test_contributions_add_up_to_the_score():
    ranking = rank([read_table(SPEC6)], load_config(None).model)
    hubspot = ranking.items[0]
    contributions = {cid: s.contribution for cid, s in hubspot.criteria.items()}
    assert contributions == {"demand": 20.0, "account_size": 20.0, "difficulty": 20.0}
    assert sum(contributions.values()) == hubspot.score


def test_table_output_of_the_worked_example(tmp_path):
    shutil.copy(SPEC6, tmp_path / "spec6.csv")
    result = run("rank", "spec6.csv")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "Integration ranking\n"
        "#  Integration  Score   Demand   Account size  Build difficulty  Req  Recommendation\n"
        "1  HubSpot       60.0  3.5 (1)    150,000 (1)             1 (2)    4  Buy           \n"
        "2  Salesforce    50.0  2.5 (0)    740,000 (2)             3 (1)    3  Buy           \n"
        "3  Workday       40.0    2 (0)  1,100,000 (2)             5 (0)    2  Buy           \n"
        "4  NetSuite       0.0  0.5 (0)     90,000 (0)            — (0)!    1  Defer         \n"
        "config: built-in default · 11 rows from spec6.csv · value (points)\n"
        "! flags:\n"
        "  NetSuite: missing difficulty\n"
    )


def test_markdown_output_of_the_worked_example():
    result = run("rank", SPEC6, "-f", "markdown", "-c", str(ROOT / "scoring.yaml"))
    assert result.exit_code == 0
    assert result.stdout == (
        "| # | Integration | Score | Demand | pts | Account size | pts | Build difficulty | pts "
        "| Requesters | Flags | Recommendation |\n"
        "| --: | :-- | --: | --: | --: | --: | --: | --: | --: | --: | :-- | :-- |\n"
        "| 1 | HubSpot | 60.0 | 3.5 | 1 | 150,000 | 1 | 1 | 2 | 4 |  | Buy |\n"
        "| 2 | Salesforce | 50.0 | 2.5 | 0 | 740,000 | 2 | 3 | 1 | 3 |  | Buy |\n"
        "| 3 | Workday | 40.0 | 2 | 0 | 1,100,000 | 2 | 5 | 0 | 2 |  | Buy |\n"
        "| 4 | NetSuite | 0.0 | 0.5 | 0 | 90,000 | 0 | — | 0 | 1 | missing difficulty | Defer |\n"
        "\n"
        f"_config: {ROOT / 'scoring.yaml'} · 11 rows from {SPEC6}_\n"
    )


def test_json_output_of_the_worked_example():
    result = run("rank", SPEC6, "-f", "json", "-c", str(ROOT / "scoring.yaml"))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    assert doc["config"]["source"] == str(ROOT / "scoring.yaml")
    assert len(doc["config"]["sha256"]) == 64
    assert doc["inputs"] == [
        {"file": SPEC6, "format": "csv", "rows": 11, "filtered": 0, "unnamed": 0}
    ]
    ranking = doc["ranking"]
    assert [(i["rank"], i["integration"], i["score"]) for i in ranking] == [
        (1, "HubSpot", 60.0),
        (2, "Salesforce", 50.0),
        (3, "Workday", 40.0),
        (4, "NetSuite", 0.0),
    ]
    salesforce = ranking[1]
    assert salesforce["requesters"] == 3
    assert salesforce["accounts"] == ["Acme", "Globex", "Initech"]
    assert salesforce["criteria"]["account_size"] == {
        "value": 740000.0,
        "points": 2.0,
        "max_points": 2.0,
        "weight": 40.0,
        "contribution": 40.0,
        "band": "≥ 500,000",
        "status": "ok",
    }
    assert salesforce["flags"] == []
    assert salesforce["recommendation"] == {
        "label": "Buy",
        "because": "Not core, and a vendor (e.g. a unified API) can maintain it.",
        "rule": 8,  # after the three rules on the plan (none holds: no plan)
        "reason": "default rule",
    }
    assert ranking[3]["recommendation"]["label"] == "Defer"
    assert ranking[3]["recommendation"]["reason"] == "score 0 < 30"
    assert ranking[3]["flags"] == ["missing:difficulty"]
    assert ranking[3]["criteria"]["difficulty"]["value"] is None


def test_csv_output_of_the_worked_example():
    result = run("rank", SPEC6, "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "rank,integration,score,demand,demand_points,account_size,account_size_points,"
        "difficulty,difficulty_points,requesters,flags,recommendation,tiebreak\n"
        "1,HubSpot,60,3.5,1,150000,1,1,2,4,,Buy,\n"
        "2,Salesforce,50,2.5,0,740000,2,3,1,3,,Buy,\n"
        "3,Workday,40,2,0,1100000,2,5,0,2,,Buy,\n"
        "4,NetSuite,0,0.5,0,90000,0,,0,1,missing:difficulty,Defer,\n"
    )
