"""What the what-if report needs beyond the points to follow its sliders as `rank` would:
the recommendation rules split into what weights cannot change (conditions on an
integration's fields, decided here per integration) and what they can (tests on the score and
on criteria's points, run in the page), and the config's text with its weights cut out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dates import day_number
from ..model.conditions import compile_condition
from ..model.reweight import WeightTemplate, weight_template
from ..model.schema import Condition

if TYPE_CHECKING:
    from ..engine.ranking import Ranking
    from ..model.loading import LoadedConfig

__all__ = ["PointsTest", "RuleAtWeights", "WhatIf", "what_if"]

YAML_NAMES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class PointsTest:
    """`score` or a criterion id's points: at least `at_least`, below `below`."""

    key: str
    at_least: float | None
    below: float | None


@dataclass(frozen=True)
class RuleAtWeights:
    """One `recommend` rule: its advice and its tests that depend on the weights."""

    label: str
    because: str
    tests: tuple[PointsTest, ...]


@dataclass(frozen=True)
class WhatIf:
    """Everything the page re-weights, besides each item's points."""

    rules: tuple[RuleAtWeights, ...]
    # Per item, in ranking order: the rules whose conditions on fields all hold for it
    # (a rule without any holds for every item).
    holding: tuple[tuple[int, ...], ...]
    template: WeightTemplate | None  # the config's text with slots for its weights
    file_name: str  # what the page's download is called


def what_if(ranking: Ranking, loaded: LoadedConfig) -> WhatIf:
    """The what-if data of a ranking made with this config."""
    config = loaded.config
    points = {"score", *(c.id for c in config.criteria)}
    day = day_number(ranking.as_of)
    rules = []
    field_tests = []
    for rule in config.recommend or []:
        tests = []
        on_fields = []
        for key, condition in (rule.when or {}).items():
            if key in points and isinstance(condition, Condition):  # validated: a number test
                tests.append(PointsTest(key, condition.at_least, condition.below))
            else:
                on_fields.append((key, compile_condition(condition, day)))
        rules.append(RuleAtWeights(rule.then, rule.because, tuple(tests)))
        field_tests.append(on_fields)
    holding = tuple(
        tuple(
            n
            for n, on_fields in enumerate(field_tests)
            if all(test(item.facts.get(key)) for key, test in on_fields)
        )
        for item in ranking.items
    )
    template = None if config.formula else weight_template(loaded.text)
    name = loaded.path.name if loaded.path is not None else "scoring.yaml"
    return WhatIf(
        tuple(rules),
        holding,
        template,
        name if name.lower().endswith(YAML_NAMES) else "scoring.yaml",
    )
