"""Engine invariants, checked by hypothesis on generated backlogs under the default config."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from intscore.engine.rank import rank
from intscore.engine.ranking import RunInfo
from intscore.matching import name_key, name_keys
from intscore.model.loading import load_config
from intscore.read.rows import Table
from intscore.render.ranking import render_ranking

CONFIG = load_config(None).model
HEADER = ["integration", "account", "account_arr", "stage", "difficulty"]
INTEGRATIONS = ["Salesforce", "HubSpot", "Workday", "NetSuite", "Slack", "Jira"]
ACCOUNTS = [f"Account {i}" for i in range(12)]


@st.composite
def backlogs(draw):
    """Rows where each account has one ARR and stage, each integration one difficulty, so
    the ranking cannot depend on which row came last."""
    arr = {a: draw(st.integers(0, 900_000)) for a in ACCOUNTS}
    stage = {a: draw(st.sampled_from(["customer", "prospect", ""])) for a in ACCOUNTS}
    difficulty = {
        i: draw(st.sampled_from(["1", "2", "3", "4", "5", "S", "XL", ""])) for i in INTEGRATIONS
    }
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(INTEGRATIONS), st.sampled_from(ACCOUNTS)),
            min_size=1,
            max_size=40,
        )
    )
    return [[i, a, str(arr[a]), stage[a], difficulty[i]] for i, a in pairs]


def table(rows, header=HEADER):
    return Table(
        source="r.csv",
        format="csv",
        header=header,
        rows=iter([(n + 2, list(r)) for n, r in enumerate(rows)]),
    )


def summary(ranking):
    return [(i.rank, i.integration, i.score) for i in ranking.items]


@settings(max_examples=150, deadline=None)
@given(backlogs(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_ranking(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert summary(rank([table(rows)], CONFIG)) == summary(rank([table(shuffled)], CONFIG))


@settings(max_examples=150, deadline=None)
@given(backlogs(), st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_every_weight_keeps_scores(rows, factor):
    scaled = replace(
        CONFIG, criteria=tuple(replace(c, weight=c.weight * factor) for c in CONFIG.criteria)
    )
    before = {i.integration: i.score for i in rank([table(rows)], CONFIG).items}
    after = {i.integration: i.score for i in rank([table(rows)], scaled).items}
    assert before.keys() == after.keys()
    for name, score in before.items():
        assert abs(after[name] - score) < 1e-6


@settings(max_examples=150, deadline=None)
@given(
    backlogs(),
    st.sampled_from(INTEGRATIONS),
    st.integers(0, 2_000_000),
    st.sampled_from(["customer", "prospect", ""]),
    st.booleans(),
)
def test_adding_a_requester_never_lowers_the_score(rows, integration, arr, stage, blank_difficulty):
    before = {i.integration: i.score for i in rank([table(rows)], CONFIG).items}
    same = next((r[4] for r in rows if r[0] == integration), "")
    new_row = [
        integration,
        "A brand new account",
        str(arr),
        stage,
        "" if blank_difficulty else same,
    ]
    after = {i.integration: i.score for i in rank([table([*rows, new_row])], CONFIG).items}
    assert after[integration] >= before.get(integration, 0.0)


@settings(max_examples=150, deadline=None)
@given(backlogs())
def test_scores_stay_within_0_and_100_and_ranks_follow_scores(rows):
    items = rank([table(rows)], CONFIG).items
    assert all(0.0 <= i.score <= 100.0 for i in items)
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    for position, (before, after) in enumerate(itertools.pairwise(items), 2):
        if after.score != before.score:
            assert (after.rank, after.tiebreak) == (position, None)
        elif after.tiebreak is None:  # equal on the score and every tiebreak: a shared rank
            assert after.rank == before.rank
            assert all(
                after.criteria[c].value == before.criteria[c].value
                for c in ("demand", "account_size")
            )
        else:  # the tiebreak put it below: the raw value it names is worse (or missing)
            assert after.rank == position
            order = ["demand", "account_size"]
            decided = order.index(after.tiebreak)
            for c in order[:decided]:
                assert after.criteria[c].value == before.criteria[c].value
            worse = after.criteria[after.tiebreak].value
            better = before.criteria[after.tiebreak].value
            assert worse is None or (better is not None and better > worse)


@settings(max_examples=50, deadline=None)
@given(backlogs())
def test_identical_input_gives_byte_identical_json(rows):
    run = RunInfo("built-in default", "0" * 64, ("r.csv",))
    first = render_ranking(rank([table(rows)], CONFIG), run, "json")
    assert first == render_ranking(rank([table(rows)], CONFIG), run, "json")


_FRAGMENTS = st.sampled_from(["a", "A", " ", "\u00a0", "\u2003", "\t", "e\u0301", "é", "ß", "ﬃ"])


@settings(max_examples=300)
@given(
    st.lists(
        st.lists(
            _FRAGMENTS | st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
            max_size=8,
        ).map("".join),
        max_size=6,
    )
)
def test_name_keys_of_many_names_equal_name_key_of_each(names):
    """The DuckDB pass keys all distinct accounts at once; it must be the row pass's key."""
    assert name_keys(names) == [name_key(n) for n in names]


_AMOUNTS = st.one_of(
    st.none(), st.sampled_from([0.1, 0.2, 0.3, 1e15, -3.5, 7.0]), st.floats(-1e9, 1e9, width=32)
).filter(lambda x: x is None or x != 0 or math.copysign(1.0, x) > 0)


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            _AMOUNTS,
            st.sampled_from([None, "customer", "Prospect", "x"]),
            st.sampled_from([None, 739000, 739300, 740000]),
        ),
        max_size=25,
    ),
    st.sampled_from(["count", "weighted", "decayed", "sum", "mean", "min", "max"]),
)
def test_counting_requesters_by_value_aggregates_as_listing_them(requesters, aggregate):
    """The DuckDB pass hands scoring (value, how many requesters) instead of requesters;
    `value_counted` must give the very float `value` gives over the requesters listed."""
    from collections import Counter

    from intscore.model.aggregates import Binding, Counted
    from intscore.model.compile import compile_config
    from intscore.model.schema import ScoringConfig

    criterion: dict = {"id": "c", "bands": [{"min": 0, "points": 0}, {"min": 5, "points": 1}]}
    if aggregate in ("count", "weighted", "decayed"):
        criterion["aggregate"] = "count"
    else:
        criterion |= {"aggregate": aggregate, "field": "x"}
    if aggregate in ("weighted", "decayed"):
        criterion["row_weight"] = {"field": "stage", "map": {"customer": 1, "prospect": 0.3}}
        if aggregate == "decayed":
            criterion["row_weight"]["decay"] = {"field": "day", "half_life": "45d"}
    model = compile_config(ScoringConfig.model_validate({"version": 1, "criteria": [criterion]}))
    binding = Binding(model.criteria[0], ["x", "stage", "day"], 740100)
    rows = [list(values) for values in requesters]
    expected = binding.value(binding.amounts(rows))
    if aggregate == "count":
        by = Counter(None for _ in requesters)
    elif aggregate in ("weighted", "decayed"):
        by = Counter(
            (stage, day if aggregate == "decayed" else None) for _, stage, day in requesters
        )
    else:
        by = Counter(x for x, _, _ in requesters if x is not None)
    keys = list(by)
    values = [k[0] if isinstance(k, tuple) else k for k in keys]
    days = [k[1] for k in keys] if aggregate == "decayed" else None
    with_value = sum(1 for x, _, _ in requesters if x is not None)
    counted = Counted(values, [by[k] for k in keys], days, with_value)
    assert binding.value_counted(counted) == expected
