"""What the what-if report is given besides points, without a browser: the config's own text
with other weights (every way a scoring.yaml may be written), and the recommendation rules
split into what the weights cannot change and what the page tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, run, write
from intscore.analyses.whatif import what_if
from intscore.commands.core import Inputs, rank_inputs
from intscore.model.loading import builtin_config_text, load_config, parse_config
from intscore.model.reweight import weight_template, yaml_number

CONFIG = (ROOT / "scoring.yaml").read_text()


def template_of(text: str):
    return weight_template(text)


def reloaded(text: str) -> list[float]:
    return [c.weight for c in parse_config(text, "test").model.criteria]


@pytest.mark.parametrize(
    ("value", "text"),
    [(40.0, "40"), (0.5, "0.5"), (33.125, "33.125"), (1.5e-07, "0.00000015"), (1e6, "1000000")],
)
def test_a_weight_is_written_as_yaml_reads_it_back(value, text):
    assert yaml_number(value) == text
    assert parse_config(CONFIG.replace("weight: 20", f"weight: {text}"), "t").model.criteria[
        2
    ].weight == value  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [ROOT / "scoring.yaml", *sorted(EXAMPLES.glob("*scoring.yaml"))],
    ids=lambda p: p.name,
)
def test_every_example_config_keeps_its_text_and_takes_new_weights(path):
    text = path.read_text(encoding="utf-8")
    template = template_of(text)
    assert template is not None and template.kept
    assert template.text() == text  # its own weights: the file, byte for byte
    weights = [n + 0.5 for n in range(len(template.weights))]
    new = template.text(weights)
    assert reloaded(new) == weights
    # Nothing but the weight lines changed.
    changed = [a for a, b in zip(text.splitlines(), new.splitlines(), strict=True) if a != b]
    assert len(changed) == len(weights) and all("weight:" in line for line in changed)


def test_text_that_is_no_valid_config_has_no_template():
    assert weight_template("criteria: [oops\n") is None
    assert weight_template(CONFIG.replace("weight: 40", "wieght: 40", 1)) is None


def test_the_built_in_default_has_a_template_too():
    loaded = load_config(None, cached=False)
    template = weight_template(loaded.text)
    assert template is not None and template.text() == builtin_config_text()


STYLES = {
    # Flow mappings, a comment after a weight, weights spelled 4e1-free but oddly.
    "flow": """version: 1
criteria:
  - {id: a, field: x, aggregate: sum, bands: [{min: 0, points: 0}, {min: 5, points: 1}], weight: 3}
  - {id: b, field: y, map: {hi: 2, lo: 0}, weight: 1.50}   # was 2
""",
    # No weight at all (1 each): one is written in, in the criterion's style.
    "missing block": """version: 1
criteria:
  - id: a
    field: x
    aggregate: sum
    bands: [{min: 0, points: 0}, {min: 5, points: 1}]
  - id: b   # the second
    # a comment line between keys
    field: y
    map: {hi: 2, lo: 0}
""",
    "missing flow": """version: 1
criteria: [{id: a, field: x, aggregate: sum, scale: {min: 0, max: 9, points: 1}},
           {id: b, field: y, map: {hi: 2, lo: 0}}]
""",
    # JSON is YAML: a JSON config stays JSON.
    "json": '{"version": 1, "criteria": [{"id": "a", "field": "x", "aggregate": "sum", '
    '"scale": {"min": 0, "max": 9, "points": 1}}, {"id": "b", "field": "y", '
    '"map": {"hi": 2, "lo": 0}, "weight": 7}]}\n',
    "crlf": CONFIG.replace("\n", "\r\n"),
    "unicode before": "# Gewichtung für 𝔸𝕡𝕡𝕤 — ünïcödé\n" + CONFIG,
}


@pytest.mark.parametrize("style", STYLES)
def test_every_way_of_writing_a_config_keeps_its_text(style):
    text = STYLES[style]
    template = template_of(text)
    assert template is not None and template.kept, style
    assert template.text() == text
    n = len(template.weights)
    weights = [2.25 + k for k in range(n)]
    new = template.text(weights)
    assert reloaded(new) == weights
    if style == "json":
        import json

        assert [c["weight"] for c in json.loads(new)["criteria"]] == weights
    if style == "missing block":
        assert "    field: x\n    aggregate: sum\n" in new  # its lines untouched
        assert "  - id: a\n    weight: 2.25\n    field: x\n" in new
        assert (
            "  - id: b   # the second\n    # a comment line between keys\n    weight: 3.25\n" in new
        )
    if style == "missing flow":
        assert "{id: a, weight: 2.25, field: x," in new
    if style == "crlf":
        assert "\n" not in new.replace("\r\n", "")  # no bare LF written in


def test_a_weight_behind_an_anchor_is_written_out_again_from_the_data():
    # `&w` is read by both criteria: rewriting it in place would move both.
    text = CONFIG.replace("    weight: 40\n", "    weight: &w 40\n", 1)
    text = text.replace("    weight: 40\n", "    weight: *w\n", 1)
    template = template_of(text)
    assert template is not None and not template.kept
    assert reloaded(template.text()) == [40, 40, 20]
    assert reloaded(template.text([1, 2, 3])) == [1, 2, 3]
    assert parse_config(template.text([1, 2, 3]), "t").model.recommend == (
        parse_config(text, "t").model.recommend
    )


@given(
    st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=3,
        max_size=3,
    ).filter(lambda w: any(w))
)
def test_any_weights_come_back_exactly(weights):
    template = TEMPLATE
    assert reloaded(template.text(weights)) == weights


TEMPLATE = template_of(CONFIG)


# --- recommendations --------------------------------------------------------------------------


def advice_at_own_weights(ranking, sliders) -> list[str | None]:
    """The page's rule, in Python: the first rule whose fields held and whose tests on the
    score and points hold."""
    said = []
    for item, rules in zip(ranking.items, sliders.holding, strict=True):
        label = None
        for n in rules:
            rule = sliders.rules[n]
            values = [
                item.score if t.key == "score" else item.criteria[t.key].points for t in rule.tests
            ]
            if all(
                v is not None
                and (t.below is None or v < t.below)
                and (t.at_least is None or v >= t.at_least)
                for v, t in zip(values, rule.tests, strict=True)
            ):
                label = rule.label
                break
        said.append(label)
    return said


RULES = """recommend:
  - when: {core: [yes], score: {at_least: 55}}
    then: Build now
  - when: {requested_at: {within: 60d}, difficulty: {at_least: 2}}
    then: Recent and easy
  - when: {score: {below: 45}}
    then: Defer
  - when: {customization: [high]}
    then: Build in-house
"""


@pytest.mark.parametrize("rules", ["repo", "mixed"])
def test_the_split_rules_give_ranks_recommendations(tmp_path, rules):
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    config = CONFIG if rules == "repo" else CONFIG.split("recommend:")[0] + RULES
    write(tmp_path / "scoring.yaml", config + "as_of: 2026-09-01\n")
    ranked = rank_inputs(Inputs(("requests.csv",)))
    sliders = what_if(ranked.ranking, ranked.config)
    engine = [i.recommendation.label if i.recommendation else None for i in ranked.ranking.items]
    assert advice_at_own_weights(ranked.ranking, sliders) == engine
    by_name = dict(zip((i.integration for i in ranked.ranking.items), sliders.holding, strict=True))
    if rules == "repo":
        # Fields decide rules 1-3 (core, maintenance_capacity, customization); rules 4-6
        # test the plan, which this config has none of, so they hold for no one; rules 7 and
        # 8 have no field condition, so they hold on fields for everyone.
        assert by_name["Salesforce"] == (0, 6, 7)  # core: yes
        assert by_name["NetSuite"] == (1, 6, 7)  # maintenance_capacity: no
        assert by_name["Snowflake"] == (2, 6, 7)  # customization: high
        assert by_name["Slack"] == (6, 7)
        assert [r.tests for r in sliders.rules][6][0].below == 30
    else:
        assert {"Build now", "Defer", "Build in-house"} <= set(engine)
        recent = {n for n, rules in by_name.items() if 1 in rules}
        assert recent and recent != set(by_name)  # the date test splits them


def test_the_page_is_named_after_the_config_and_says_pt_for_one(tmp_path):
    shutil.copy(EXAMPLES / "crm-export.csv", tmp_path / "crm-export.csv")
    shutil.copy(EXAMPLES / "crm-scoring.yaml", tmp_path / "crm-scoring.yaml")
    assert run("report", "crm-export.csv", "-c", "crm-scoring.yaml", "-o", "r.html").exit_code == 0
    html = (tmp_path / "r.html").read_text()
    assert 'download="crm-scoring.yaml"' in html and ">Download crm-scoring.yaml</a>" in html
    assert "(1 pt)</span>" in html and "(2 pts)</span>" in html and "(0 pts)</span>" in html
    assert "(1 pts)" not in html
    pre = re.search(r'<pre id="weights-yaml">\n(.*?)</pre>', html, re.S).group(1)
    assert pre.count("\n") == (tmp_path / "crm-scoring.yaml").read_text().count("\n")


def test_a_config_whose_text_cannot_be_rewritten_still_gets_sliders(tmp_path, monkeypatch):
    import intscore.analyses.whatif as whatif_module

    monkeypatch.setattr(whatif_module, "weight_template", lambda text: None)
    write(tmp_path / "r.csv", "integration,account,account_arr,difficulty\nA,x,1,1\n")
    assert run("report", "r.csv", "-o", "r.html").exit_code == 0
    html = Path(tmp_path / "r.html").read_text()
    assert 'type="range"' in html and 'id="weights-yaml"' not in html
    assert '"yaml":null' in html


def test_a_criterion_label_cannot_break_out_of_the_cards_css(tmp_path):
    label = 'Size"; } body { display: none } x { content: "</style><script>alert(1)</script>'
    config = CONFIG.replace("label: Account size", f"label: '{label}'")
    write(tmp_path / "scoring.yaml", config)
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    assert run("report", "requests.csv", "-o", "r.html").exit_code == 0
    html = (tmp_path / "r.html").read_text()
    style = html.split("<style>")[1].split("</style>")[0]  # one style element, whole
    rule = next(line for line in style.splitlines() if "nth-child(6)::before" in line)
    assert rule == (
        '#ranking td:nth-child(6)::before { content: "Size\\22 \\3b  \\7d  body \\7b  '
        "display\\3a  none \\7d  x \\7b  content\\3a  \\22 \\3c \\2f style\\3e "
        '\\3c script\\3e alert\\28 1\\29 \\3c \\2f script\\3e "; }'
    )
    assert html.count("<script>") == 1 and "alert(1)</script>" not in html
