"""A config's own text with other weights: everything else as the user wrote it (comments,
order, layout). The text is cut where each criterion's weight is written (or where a missing
one would go) into a template that the what-if report fills in as the sliders move.

A config whose weights cannot be cut out cleanly (a weight behind a YAML anchor, say) is
written out again from its data instead, without its comments; either way the template is
checked by loading it back with other weights before it is used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .schema import ScoringConfig

__all__ = ["Slot", "WeightTemplate", "weight_template", "yaml_number"]

_BREAKS = "\r\n\x85\u2028\u2029"  # what YAML counts as a line break


@dataclass(frozen=True)
class Slot:
    """Where one criterion's weight goes: `written` is the text there now ("40", or "" where
    no weight is written); a new weight is written as before + number + after."""

    criterion: int
    written: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class WeightTemplate:
    """The config's text as pieces: plain text, and a slot per criterion's weight."""

    pieces: tuple[str | Slot, ...]
    weights: tuple[float, ...]  # the config's own, by criterion
    kept: bool = True  # False: written out again from the data (comments lost)

    def text(self, weights: Sequence[float] | None = None) -> str:
        """The config with these weights (None: its own); a weight left as it is keeps its
        spelling, so the config's own weights give back its text exactly."""
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            new = self.weights[piece.criterion] if weights is None else weights[piece.criterion]
            if new == self.weights[piece.criterion]:
                out.append(piece.written)
            else:
                out.append(piece.before + yaml_number(new) + piece.after)
        return "".join(out)


def yaml_number(value: float) -> str:
    """A weight as YAML reads it back exactly: `40`, `0.5`, `0.00000015` (never `1.5e-07`,
    which PyYAML would read as text)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def weight_template(text: str) -> WeightTemplate | None:
    """The template of a valid config's text (None: neither way gives a config that loads
    back with other weights, which a valid config should never do)."""
    config = _validated(text)
    if config is None:
        return None
    weights = tuple(c.weight for c in config.criteria)
    for build in (_cut, _rewritten):
        try:
            template = build(text, weights)
        except (_Unsupported, ValueError):
            continue
        if _loads_back(template, config):
            return template
    return None


class _Unsupported(Exception):
    """The text cannot be cut this way."""


def _cut(text: str, weights: tuple[float, ...]) -> WeightTemplate:
    """Cut the text itself at each weight (the pure-Python parser: its marks count
    characters, as str indexes do)."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    criteria = _value_of(root, "criteria")
    if not isinstance(criteria, yaml.SequenceNode) or len(criteria.value) != len(weights):
        raise _Unsupported
    newline = "\r\n" if "\r\n" in text else "\n"
    cuts: list[tuple[int, int, Slot]] = []
    seen: set[int] = set()
    for n, node in enumerate(criteria.value):
        if not isinstance(node, yaml.MappingNode) or id(node) in seen:
            raise _Unsupported  # an alias: one text for two criteria
        seen.add(id(node))
        weight = _value_of(node, "weight")
        if weight is None:
            cuts.append(_insertion(text, node, n, newline))
            continue
        start, end = weight.start_mark.index, weight.end_mark.index
        written = text[start:end]
        # A plain scalar of its own: not behind an anchor (`&w 40`, maybe read elsewhere
        # through `*w`) or a tag (`!!float 40`), whose marks start at that property.
        plain = isinstance(weight, yaml.ScalarNode) and weight.style is None
        if not plain or not written or written.startswith(("&", "!")) or id(weight) in seen:
            raise _Unsupported
        seen.add(id(weight))
        cuts.append((start, end, Slot(n, written)))
    pieces: list[str | Slot] = []
    at = 0
    for start, end, slot in sorted(cuts, key=lambda cut: cut[0]):
        pieces += [text[at:start], slot]
        at = end
    pieces.append(text[at:])
    return WeightTemplate(tuple(pieces), weights)


def _value_of(node: Any, key: str) -> Any:
    """The value of a key of a YAML mapping node (None: no such key)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise _Unsupported
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _insertion(text: str, node: Any, n: int, newline: str) -> tuple[int, int, Slot]:
    """Where a criterion that has no `weight:` gets one: before its second key, in its style
    (`weight: 5` on a line of its own, or `weight: 5, ` inside `{...}`)."""
    if len(node.value) < 2:
        raise _Unsupported
    key = node.value[1][0]
    at = key.start_mark.index
    name = '"weight": ' if key.style == '"' else "weight: "
    if node.flow_style:
        return at, at, Slot(n, "", name, ", ")
    line_start = max(text.rfind(c, 0, at) for c in _BREAKS) + 1
    indent = text[line_start:at]
    if indent.strip(" "):
        raise _Unsupported  # not a key at the start of its line
    return at, at, Slot(n, "", name, newline + indent)


def _rewritten(text: str, weights: tuple[float, ...]) -> WeightTemplate:
    """The config written out again from its data, each weight a slot."""
    import json

    import yaml

    from ..read.structured import load_yaml

    data = json.loads(json.dumps(load_yaml(text)))  # plain dicts and lists
    marks = [f"intscore-weight-{n}-slot" for n in range(len(weights))]
    if any(mark in text for mark in marks):
        raise _Unsupported
    for criterion, mark in zip(data["criteria"], marks, strict=True):
        criterion["weight"] = mark
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    pieces: list[str | Slot] = []
    for n, mark in enumerate(marks):
        head, _, dumped = dumped.partition(mark)
        pieces += [head, Slot(n, yaml_number(weights[n]))]
    pieces.append(dumped)
    return WeightTemplate(tuple(pieces), weights, kept=False)


def _validated(text: str) -> ScoringConfig | None:
    """The config a text holds, validated as intscore validates scoring.yaml (None: not one)."""
    from pydantic import ValidationError

    from ..read.structured import StructureError, load_yaml

    try:
        data = load_yaml(text)
        formula = isinstance(data, dict) and data.get("formula") is not None
        return ScoringConfig.model_validate(data, context={"formula": formula})
    except (StructureError, ValidationError):
        return None


def _loads_back(template: WeightTemplate, config: ScoringConfig) -> bool:
    """Whether the template, filled with other weights, loads as the same config with those
    weights (and with its own, as the same config)."""
    others = [w / 2 + 0.25 + n for n, w in enumerate(template.weights)]  # within bounds
    others = [o + 1 if o == w else o for o, w in zip(others, template.weights, strict=True)]
    own = config.model_dump()
    for weights in (others, list(template.weights)):
        loaded = _validated(template.text(weights))
        if loaded is None or [c.weight for c in loaded.criteria] != weights:
            return False
        mine = loaded.model_dump()
        for a, b in zip(mine["criteria"], own["criteria"], strict=True):
            a["weight"] = b["weight"]
        if mine != own:
            return False
    return True
