"""`check`'s rules that look at every requester (a stage a row weight does not know, the
same account asking twice) find exactly what they found one requester at a time, when
each distinct value is asked once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import intscore
from conftest import run, write
from intscore.analyses.check import CheckContext
from intscore.analyses.check.context import show
from intscore.analyses.check.values import unknown_category
from intscore.matching import name_key

CONFIG = """\
version: 1
columns: {integration: integration, account: account, stage: stage}
criteria:
  - id: demand
    aggregate: count
    row_weight: {field: stage, map: {customer: 1, prospect: 0.5}, default: 1}
    bands: [{min: 0, points: 0}, {min: 2, points: 1}]
    weight: 1
"""


def findings(tmp_path: Path, name: str, text: str, rule: str) -> list[tuple[int, str]]:
    write(tmp_path / "scoring.yaml", CONFIG)
    write(tmp_path / name, text)
    found = json.loads(run("check", name, "-f", "json").stdout)["findings"]
    return [(f["line"], f["message"]) for f in found if f["rule"] == rule]


def test_a_stage_the_row_weight_does_not_know_is_reported_once_at_its_first_row(tmp_path):
    rows = "Slack,a,customer\nSlack,b,Partner\nJira,c,PARTNER\nJira,d,prospect\nJira,e,reseller\n"
    got = findings(tmp_path, "r.csv", "integration,account,stage\n" + rows, "unknown-category")
    # Jira ranks first (two requesters count 2: 1 point); its 'PARTNER' is the first met.
    assert got == [
        (4, "'PARTNER' is not one of customer, prospect; counted with weight 1"),
        (6, "'reseller' is not one of customer, prospect; counted with weight 1"),
    ]
    known = "integration,account,stage\nSlack,a,customer\nSlack,b,Customer\nJira,c,\n"
    assert findings(tmp_path, "k.csv", known, "unknown-category") == []


def test_numbers_and_booleans_of_a_json_log_are_stages_of_their_own(tmp_path):
    # In JSON, 1 and true would be equal keys of a set: as stages they are two texts.
    rows = [
        {"integration": "Slack", "account": "a", "stage": 1},
        {"integration": "Slack", "account": "b", "stage": True},
        {"integration": "Slack", "account": "c", "stage": "customer"},
    ]
    got = findings(tmp_path, "r.json", json.dumps(rows), "unknown-category")
    assert [message.split(" is not")[0] for _, message in got] == ["'1'", "'True'"]


def test_each_repeated_request_is_reported_at_its_row(tmp_path):
    rows = "Slack,a,customer\nSlack,a,customer\nJira,b,customer\nSlack,a,prospect\nJira,,x\n"
    got = findings(tmp_path, "r.csv", "integration,account,stage\n" + rows, "duplicate-request")
    assert got == [
        (3, "'a' asks for 'Slack' again (first on line 2); it counts once"),
    ]


def unknown_stages_one_by_one(context: Any) -> list[tuple[str, int | None, str]]:
    """The row-weight part of `unknown-category` as it was: every requester looked at."""
    ranking = context.ranking
    fields = ranking.requester_fields
    found = []
    for c in ranking.criteria:
        if not c.row_weight or c.row_weight.field not in fields:
            continue
        j = fields.index(c.row_weight.field)
        matcher = c.row_weight.matcher
        first_rows = ranking.value_rows.get(c.row_weight.field, {})
        reported: set[Any] = set()
        for item in ranking.items:
            for r in item.requesters:
                value = r.values[j]
                if value is None or matcher.get(value) is not None:
                    continue
                if name_key(str(value)) in reported:
                    continue
                reported.add(name_key(str(value)))
                file, line = first_rows.get(value, (r.file, r.line))
                found.append((file, line, f"{show(value)} is not one of"))
    return found


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Slack", "Jira", "Zendesk"]),
            st.sampled_from(["a", "b", "c", ""]),
            st.sampled_from(
                ["customer", "Customer ", "prospect", "partner", "PARTNER", "", 1, True]
            ),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_unknown_stages_are_those_found_one_requester_at_a_time(
    tmp_path_factory: Any, rows: list[tuple[str, str, Any]]
):
    tmp = tmp_path_factory.mktemp("stages")
    write(tmp / "scoring.yaml", CONFIG)
    loaded = intscore.load_config(tmp / "scoring.yaml")
    records = [{"integration": n, "account": a, "stage": s} for n, a, s in rows]
    ranking = intscore.rank_rows(records, loaded)._ranking
    context = CheckContext(config=loaded, ranking=ranking)
    found = [
        (f.file, f.line, f.message.split(" is not")[0] + " is not one of")
        for f in unknown_category(context)
        if "counted with weight" in f.message
    ]
    assert found == unknown_stages_one_by_one(context)
