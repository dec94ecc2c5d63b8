"""model/aggregates.py: one definition of what requesters bring and how they aggregate, and
the three questions asked of it — the value (ranking), the value without one requester
(`explain`'s costliest requester) and the value of a resample (`sensitivity --vary data`) —
checked against ranking the data itself."""

from __future__ import annotations

import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run, write
from intscore.analyses.explain import costliest_requester
from intscore.analyses.sensitivity import resampled_points
from intscore.engine.groups import Group, Grouped
from intscore.engine.rank import rank
from intscore.engine.ranking import Requester
from intscore.engine.scoring import score_groups
from intscore.matching import name_key
from intscore.model.aggregates import Binding, Removal, aggregate
from intscore.model.loading import parse_config
from intscore.read.rows import Table

# --- the bug of the issue, named -----------------------------------------------------------------

SEGMENTED = """\
version: 1
criteria:
  - id: paid
    field: arr
    aggregate: sum
    where: {stage: customer}
    missing: 5
    bands: [{min: 0, points: 0}, {min: 100, points: 10}]
  - id: demand
    aggregate: count
    bands: [{min: 0, points: 0}, {min: 1, points: 10}]
"""
ROWS = "integration,account,arr,stage\nJira,Acme,200,customer\nJira,Globex,50,prospect\n"


def test_losing_the_only_requester_of_a_segment_leaves_a_real_zero_not_a_missing_value(
    tmp_path,
):
    """Jira: paid 200 (10 points, 50.0) + demand 2 (10 points, 50.0) = 100.0. Without Acme,
    the only customer, Globex still has an ARR outside the segment: the segment sums to a
    real 0 (0 points), not to no value (which `missing: 5` would score 25.0): 0 + 50 = 50.0.
    The explanation must say what ranking the data without Acme's row says."""
    write(tmp_path / "c.yaml", SEGMENTED)
    write(tmp_path / "r.csv", ROWS)
    explained = run("explain", "Jira", "r.csv", "-c", "c.yaml", "-f", "json")
    assert '"requester": "Acme"' in explained.stdout
    assert '"score": 50.0' in explained.stdout.split('"costliest_requester"')[1]
    write(tmp_path / "without.csv", "integration,account,arr,stage\nJira,Globex,50,prospect\n")
    ranked = run("rank", "without.csv", "-c", "c.yaml", "-f", "csv")
    assert ranked.stdout.splitlines()[1].split(",")[:3] == ["1", "Jira", "50"]


# --- the aggregate itself ------------------------------------------------------------------------


def test_an_aggregate_of_nothing_is_its_empty_value():
    assert aggregate("sum", [], None, None) is None
    assert aggregate("sum", [], None, 0.0) == 0.0
    assert aggregate("count", [], None, 0.0) == 0.0
    assert aggregate("mean", [2.0, 4.0], [1, 3], None) == 3.5  # (2 + 4 × 3) / 4
    assert aggregate("min", [2.0, 4.0], [5, 1], None) == 2.0


def test_without_one_requester_the_sum_is_exactly_the_sum_of_the_others():
    """0.1 + 0.2 + 0.3 without 0.3: fsum of the others is 0.30000000000000004; taking 0.3
    away from the fsum of all three (0.6) would give 0.3 — one ulp apart, which a band edge
    at 0.30000000000000004 would tell apart."""
    text = (
        "version: 1\ncriteria:\n  - {id: s, field: x, aggregate: sum, bands: [{min: 0, points: 1}]}"
    )
    model = parse_config(text + "\n", "c.yaml").model
    binding = Binding(model.criteria[0], ["x"], 0)
    rows = [[0.1], [0.2], [0.3]]
    removal = Removal(binding, rows, binding.value(binding.amounts(rows)))
    assert removal.without(2, rows[2]) == math.fsum([0.1, 0.2])
    assert removal.without(2, rows[2]) != 0.6 - 0.3


# --- property tests: the questions agree with ranking the data ---------------------------------

INTEGRATIONS = ["Jira", "Slack", "Zoom"]
ACCOUNTS = ["Acme", "Globex", "Initech", "", " "]
STAGES = ["customer", "prospect", "trial", ""]
ARRS = ["", "0", "50", "100", "250.5", "0.1", "0.2", "1000000"]


@st.composite
def models(draw: st.DrawFn) -> str:
    """A scoring.yaml over integration, account, arr, stage, size: every aggregate, with and
    without a segment, a number or no `missing`, row weights with a default."""
    criteria = []
    for n in range(draw(st.integers(1, 4))):
        aggregate_ = draw(st.sampled_from(["count", "sum", "mean", "min", "max", "value"]))
        c: dict = {"id": f"c{n}", "weight": draw(st.sampled_from([1, 2, 5]))}
        edges = sorted(draw(st.sets(st.sampled_from([0, 1, 2, 50, 100, 300]), min_size=2)))
        c["bands"] = [{"min": e, "points": i} for i, e in enumerate(edges)]
        if aggregate_ == "count":
            if draw(st.booleans()):
                c["row_weight"] = {
                    "field": "stage",
                    "map": {"customer": 1, "prospect": 0.5},
                    "default": draw(st.sampled_from([0, 0.25, 1])),
                }
        else:
            c["field"] = "size" if aggregate_ == "value" else "arr"
        c["aggregate"] = aggregate_
        if aggregate_ != "value" and draw(st.booleans()):
            c["where"] = {"stage": draw(st.sampled_from(["customer", ["customer", "trial"]]))}
        if draw(st.booleans()):
            c["missing"] = draw(st.sampled_from([0, 1]))
        criteria.append(c)
    return yaml.safe_dump({"version": 1, "criteria": criteria, "tiebreak": ["c0"]})


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(INTEGRATIONS),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(ARRS),
        st.sampled_from(STAGES),
        st.sampled_from(["", "1", "2"]),
    ),
    min_size=1,
    max_size=14,
)

HEADER = ["integration", "account", "arr", "stage", "size"]


def _table(rows: list[tuple[str, ...]]) -> Table:
    numbered = iter([(n, list(r)) for n, r in enumerate(rows, 2)])
    return Table(source="r.csv", format="csv", header=HEADER, rows=numbered)


@settings(max_examples=120, deadline=None)
@given(models(), rows_strategy)
def test_the_costliest_requester_is_what_ranking_without_it_gives(text, rows):
    model = parse_config(text, "c.yaml").model
    ranking = rank([_table(rows)], model)
    for item in ranking.items:
        loss = costliest_requester(ranking, item)
        if loss is None:
            continue
        # Without the requester, the integration keeps its attributes (`size`): a requester
        # is an account asking, not the integration's facts. Its rows become rows of the
        # integration's attributes alone, which are no requester.
        if loss.requester.startswith("line "):
            line = int(loss.requester.removeprefix("line "))
            gone = {n for n, _ in enumerate(rows, 2) if n == line}
        else:
            gone = {
                n
                for n, r in enumerate(rows, 2)
                if name_key(r[0]) == item.key and name_key(r[1]) == name_key(loss.requester)
            }
        kept = [r if n not in gone else (r[0], "", "", "", r[4]) for n, r in enumerate(rows, 2)]
        again = rank([_table(kept)], model)
        after = next((i for i in again.items if i.key == item.key), None)
        if after is None:  # its only requester: it leaves the ranking
            continue
        assert after.score == loss.score, (item.integration, loss)
        assert after.rank == loss.rank, (item.integration, loss)


@settings(max_examples=120, deadline=None)
@given(models(), rows_strategy, st.randoms(use_true_random=False))
def test_a_resample_scores_as_ranking_the_resampled_requesters(text, rows, random):
    """`sensitivity --vary data` draws requesters with replacement; the points of a draw must
    be the points the engine gives an integration whose requesters are exactly those."""
    model = parse_config(text, "c.yaml").model
    ranking = rank([_table(rows)], model)
    for item in ranking.items:
        n = len(item.requesters)
        if n < 2:
            continue
        draws = [random.randrange(n) for _ in range(n * 3)]
        resampled = resampled_points(ranking, item, draws, 3)
        for b in range(3):
            group = Group("r.csv", item.line, len(model.attribute_criteria))
            group.spellings = {item.integration: 1}
            for k, position in enumerate(draws[b * n : (b + 1) * n]):
                r = item.requesters[position]
                group.requesters[k] = Requester.of(r.account, r.file, r.line, list(r.values))
            scored = score_groups(Grouped({item.key: group}, [], []), model)
            (again,) = scored.items
            for ci, c in enumerate(model.criteria):
                if ci in resampled:
                    assert resampled[ci][b] == again.criteria[c.id].points, (c.id, b)
                elif c.over_requesters:
                    assert again.criteria[c.id].points == item.criteria[c.id].points, c.id
