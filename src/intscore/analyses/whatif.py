"""What the what-if report needs beyond the points to follow its sliders as `rank` would:
the recommendation rules split into what weights cannot change (conditions on an
integration's fields, decided here per integration) and what they can (tests on the score and
on criteria's points, run in the page), and the config's text with its weights cut out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dates import day_number
from ..engine.advice import Rules
from ..model.reweight import WeightTemplate, weight_template

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
    on_plan: bool = False  # tests `plan`: decided by the plan at the config's own weights


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
    model = loaded.model
    rules = Rules(model, day_number(ranking.as_of))
    at_weights = tuple(
        RuleAtWeights(
            rule.then,
            rule.because,
            tuple(
                PointsTest(key, condition.at_least, condition.below)
                for key, condition, test in conditions
                if test is None
            ),
            "plan" in (rule.when or {}) and model.plan is not None,
        )
        for rule, conditions in rules.rules
    )
    holding = tuple(rules.holding_on_facts(item.facts) for item in ranking.items)
    template = None if model.formula_text else weight_template(loaded.text)
    name = loaded.path.name if loaded.path is not None else "scoring.yaml"
    return WhatIf(
        at_weights,
        holding,
        template,
        name if name.lower().endswith(YAML_NAMES) else "scoring.yaml",
    )
