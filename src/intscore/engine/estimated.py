"""Estimates merged into the integrations a row pass found, for both passes alike:
a combined estimate is the integration's attribute — what `aggregate: value` criteria score
and what the recommendation rules test — and wins over the data's own value, which is kept
to be reported (`estimate-overrides-data`) where it differs."""

from __future__ import annotations

from typing import Any

from ..matching import category_key
from ..model.compiled import Model
from .groups import Grouped
from .ranking import EstimatedField, SeenValue

__all__ = ["merge_estimates"]


def merge_estimates(grouped: Grouped, model: Model) -> dict[str, dict[str, EstimatedField]]:
    """Put each integration's combined estimates in its attributes and facts (in place);
    per group key, each estimated field with the data's values it overrode."""
    estimated = model.estimated
    if estimated is None or not estimated.by_key:
        return {}
    slots: dict[str, list[int]] = {}
    for a, ci in enumerate(model.attribute_criteria):
        name = model.criteria[ci].field
        if name:
            slots.setdefault(name, []).append(a)
    for a, name in enumerate(model.extra_attributes, len(model.attribute_criteria)):
        slots.setdefault(name, []).append(a)  # the plan's build and upkeep hours
    facts = set(model.facts)
    merged: dict[str, dict[str, EstimatedField]] = {}
    for key, group in grouped.groups.items():
        fields = estimated.by_key.get(key)
        if not fields:
            continue
        entries = {}
        for name, combined in fields.items():
            wanted = category_key(combined.value)
            overridden: dict[Any, SeenValue] = {}
            first = combined.estimates[0]
            for a in slots.get(name, ()):
                for ckey, seen in group.attributes[a].items():
                    if ckey != wanted:
                        overridden.setdefault(ckey, seen)
                group.attributes[a] = {
                    wanted: SeenValue(combined.value, first.file, first.line, None)
                }
            if name in facts:
                value = group.facts.get(name)
                if value is not None and category_key(value) != wanted:
                    data = SeenValue(value, group.file, group.line, None)
                    overridden.setdefault(category_key(value), data)
                group.facts[name] = combined.value
            entries[name] = EstimatedField(combined, tuple(overridden.values()))
        merged[key] = entries
    return merged
