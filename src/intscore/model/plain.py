"""The compiled model as plain JSON data and back, for the cache of compiled models.

`model_from_plain` trusts nothing: every key, type and range is checked here, and every
invariant by the model's own constructors, so a forged or damaged entry raises ModelError
(and the cache falls back to the YAML) instead of scoring with NaN weights or empty bands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..problems import unknown_rules
from .compiled import (
    DIRECTIONS,
    Band,
    Column,
    Condition,
    Criterion,
    Decay,
    Keep,
    Model,
    ModelError,
    RowWeight,
    Rule,
    ScaleSpec,
)
from .read_settings import ReadSettings

if TYPE_CHECKING:
    from .compiled_plan import Buy, Categories, Plan, Upkeep
    from .estimates import EstimatesConfig

__all__ = ["model_from_plain", "model_to_plain"]

T = TypeVar("T")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_DURATION = re.compile(r"\d{1,5}(\.\d{1,3})?\s?[dwy]")
_READ_KEYS = "encoding delimiter decimal header_row footer sheet"
MAX_TEXT = 10_000  # any text of a scoring model (labels, names, formulas) is shorter


# --- to plain ----------------------------------------------------------------------------------


def model_to_plain(model: Model) -> dict[str, Any]:
    """The model as JSON-able data (what `model_from_plain` reads back)."""
    return {
        "criteria": [_criterion_plain(c) for c in model.criteria],
        "columns": {n: _column_plain(c) for n, c in model.columns.items()},
        "aliases": {name: list(spellings) for name, spellings in model.aliases.items()},
        "formula": model.formula_text,
        "recommend": None
        if model.recommend is None
        else [
            {"when": _conditions_plain(r.when), "then": r.then, "because": r.because}
            for r in model.recommend
        ],
        "date_formats": list(model.date_formats),
        "as_of": None if model.as_of is None else model.as_of.isoformat(),
        "latest_by": model.latest_by,
        "filter": _conditions_plain(model.filter),
        "ignore": list(model.ignore),
        "severity": dict(model.severity),
        "tiebreak": list(model.tiebreak),
        "catalog": model.catalog,
        "categories": None if model.categories is None else _categories_plain(model.categories),
        "plan": None if model.plan is None else _plan_plain(model.plan),
        "buy": [[b.name, b.category, b.hours] for b in model.buy],
        "estimates": _estimates_plain(model.estimates),
        "read": {
            "max_line_length": model.max_line_length,
            "max_fields": model.max_fields,
            **{name: getattr(model.read, name) for name in _READ_KEYS.split()},
        },
    }


def _categories_plain(c: Categories) -> dict[str, Any]:
    return {"source": c.source, "column": c.column, "mapping": dict(c.mapping)}


def _plan_plain(plan: Plan) -> dict[str, Any]:
    upkeep = plan.upkeep
    return {
        "build": [plan.build.field, None if plan.build.map is None else dict(plan.build.map)],
        "capacity": plan.capacity,
        "horizon": plan.horizon,
        "upkeep": None if upkeep is None else [upkeep.share, upkeep.hours, upkeep.field],
        "value": plan.value,
        "must": list(plan.must),
        "never": list(plan.never),
    }


def _estimates_plain(e: EstimatesConfig | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "folder": e.folder,
        "combine": e.combine,
        "disagree": {name: [t.amount, t.relative] for name, t in e.disagree.items()},
        "who": {name: list(globs) for name, globs in e.who.items()},
    }


def _column_plain(c: Column) -> dict[str, Any]:
    return {
        "headers": list(c.headers),
        "split": c.split,
        "keep": None if c.keep is None else {"kind": c.keep.kind, "values": list(c.keep.values)},
        "else_email": None if c.else_email is None else list(c.else_email),
        "per": c.per,
    }


def _criterion_plain(c: Criterion) -> dict[str, Any]:
    rw = c.row_weight
    return {
        "id": c.id,
        "label": c.label,
        "description": c.description,
        "kind": c.kind,
        "field": c.field,
        "aggregate": c.aggregate,
        "row_weight": None
        if rw is None
        else {
            "field": rw.field,
            "map": dict(rw.map),
            "default": rw.default,
            "decay": None if rw.decay is None else [rw.decay.field, rw.decay.half_life],
        },
        "where": _conditions_plain(c.where),
        "bands": None if c.bands is None else [list(b) for b in c.bands],
        "map": None if c.map is None else dict(c.map),
        "scale": None if c.scale is None else list(c.scale),
        "missing": c.missing,
        "weight": c.weight,
        "levels": None if c.levels is None else dict(c.levels),
        "relative": c.relative,
        "over": c.over,
    }


def _conditions_plain(conditions: Mapping[str, Condition] | None) -> dict[str, Any] | None:
    if conditions is None:
        return None
    return {
        name: {
            "kind": c.kind,
            "values": list(c.values),
            "at_least": c.at_least,
            "below": c.below,
            "within": c.within,
            "after": None if c.after is None else c.after.isoformat(),
            "before": None if c.before is None else c.before.isoformat(),
        }
        for name, c in conditions.items()
    }


# --- from plain --------------------------------------------------------------------------------


def model_from_plain(data: Any) -> Model:
    """The model of plain data; ModelError on anything out of shape or out of range."""
    d = _record(
        data,
        "criteria columns aliases formula recommend date_formats as_of latest_by filter "
        "ignore severity tiebreak catalog categories plan buy estimates read",
    )
    read = _record(d["read"], f"max_line_length max_fields {_READ_KEYS}")
    ignore = _list(d["ignore"], _text)
    severity = _mapping(d["severity"], lambda v: _choice(v, ("error", "warning")))
    if unknown_rules([*ignore, *severity]):
        raise ModelError("unknown rule ids")
    recommend = _optional(d["recommend"], lambda v: tuple(_list(v, _rule)))
    return Model(
        criteria=tuple(_list(d["criteria"], _criterion)),
        columns=_mapping(d["columns"], _column),
        aliases=_mapping(d["aliases"], lambda v: tuple(_list(v, _text))),
        formula_text=_optional(d["formula"], _text),
        recommend=recommend,
        date_formats=tuple(_list(d["date_formats"], _pattern)),
        as_of=_optional(d["as_of"], _date),
        latest_by=_optional(d["latest_by"], _text),
        filter=_optional(d["filter"], lambda v: _mapping(v, _condition)),
        ignore=tuple(ignore),
        severity=severity,
        tiebreak=tuple(_list(d["tiebreak"], _text)),
        catalog=_boolean(d["catalog"]),
        categories=_optional(d["categories"], _categories),
        plan=_optional(d["plan"], _plan),
        buy=tuple(_list(d["buy"], _buy)),
        estimates=_optional(d["estimates"], _estimates),
        max_line_length=_count(read["max_line_length"]),
        max_fields=_count(read["max_fields"]),
        read=ReadSettings(
            encoding=_optional(read["encoding"], _text),
            delimiter=_optional(read["delimiter"], _text),
            decimal=_optional(read["decimal"], _text),
            header_row=_optional(read["header_row"], _count),
            footer=_boolean(read["footer"]),
            sheet=_optional(read["sheet"], _text),
        ),
    )


def _estimates(value: Any) -> EstimatesConfig:
    from .estimates import COMBINES, EstimatesConfig, Threshold

    d = _record(value, "folder combine disagree who")
    return EstimatesConfig(
        folder=_text(d["folder"]),
        combine=_choice(d["combine"], COMBINES),  # type: ignore[arg-type]
        disagree=_mapping(d["disagree"], lambda v: Threshold(*_pair(v, _number, _boolean))),
        who=_mapping(d["who"], lambda v: tuple(_list(v, _text))),
    )


def _categories(value: Any) -> Categories:
    from .compiled_plan import Categories

    d = _record(value, "source column mapping")
    return Categories(
        _choice(d["source"], ("catalog", "column", "mapping")),  # type: ignore[arg-type]
        _optional(d["column"], _text),
        _mapping(d["mapping"], _text),
    )


def _plan(value: Any) -> Plan:
    from .compiled_plan import Build, Plan

    d = _record(value, "build capacity horizon upkeep value must never")
    field, hours = _pair(d["build"], _text, lambda v: _optional(v, lambda m: _mapping(m, _hours)))
    return Plan(
        build=Build(field, hours),
        capacity=_optional(d["capacity"], _hours),
        horizon=_duration(d["horizon"]),
        upkeep=_optional(d["upkeep"], _upkeep),
        value=_text(d["value"]),
        must=tuple(_list(d["must"], _text)),
        never=tuple(_list(d["never"], _text)),
    )


def _upkeep(value: Any) -> Upkeep:
    from .compiled_plan import Upkeep

    if not isinstance(value, list) or len(value) != 3:
        raise ModelError("an upkeep")
    share, hours, field = value
    return Upkeep(_optional(share, _number), _optional(hours, _hours), _optional(field, _text))


def _buy(value: Any) -> Buy:
    from .compiled_plan import Buy

    if not isinstance(value, list) or len(value) != 3:
        raise ModelError("a buy option")
    return Buy(_text(value[0]), _text(value[1]), _hours(value[2]))


def _hours(value: Any) -> float:
    hours = _number(value)
    if hours < 0:
        raise ModelError("hours below 0")
    return hours


def _criterion(value: Any) -> Criterion:
    d = _record(
        value,
        "id label description kind field aggregate row_weight where bands map scale missing weight "
        "levels relative over",
    )
    if not isinstance(d["id"], str) or not _IDENTIFIER.fullmatch(d["id"]):
        raise ModelError("a criterion id")
    missing = d["missing"] if d["missing"] == "error" else _number(d["missing"])
    return Criterion(
        id=d["id"],
        label=_optional(d["label"], _text),
        description=_optional(d["description"], _text),
        kind=_choice(d["kind"], ("value", "effort")),  # type: ignore[arg-type]
        field=_optional(d["field"], _text),
        aggregate=_choice(d["aggregate"], ("count", "sum", "mean", "min", "max", "value")),  # type: ignore[arg-type]
        row_weight=_optional(d["row_weight"], _row_weight),
        where=_optional(d["where"], lambda v: _mapping(v, _condition)),
        bands=_optional(d["bands"], lambda v: tuple(_list(v, _band))),
        map=_optional(d["map"], lambda v: _mapping(v, _number)),
        scale=_optional(d["scale"], _scale),
        missing=missing,
        weight=_number(d["weight"]),
        levels=_optional(d["levels"], lambda v: _mapping(v, _number)),
        relative=_boolean(d["relative"]),
        over=_choice(d["over"], ("requesters", "requests")),  # type: ignore[arg-type]
    )


def _row_weight(value: Any) -> RowWeight:
    d = _record(value, "field map default decay")
    decay = _optional(d["decay"], lambda v: Decay(*_pair(v, _text, _duration)))
    return RowWeight(_text(d["field"]), _mapping(d["map"], _number), _number(d["default"]), decay)


def _band(value: Any) -> Band:
    return Band(*_pair(value, _number, _number))


def _scale(value: Any) -> ScaleSpec:
    if not isinstance(value, list) or len(value) != 4:
        raise ModelError("a scale")
    low, high, points = (_number(v) for v in value[:3])
    return ScaleSpec(low, high, points, _choice(value[3], DIRECTIONS))


def _condition(value: Any) -> Condition:
    d = _record(value, "kind values at_least below within after before")
    return Condition(
        kind=_choice(d["kind"], ("category", "not", "number", "date")),  # type: ignore[arg-type]
        values=tuple(_list(d["values"], _scalar)),
        at_least=_optional(d["at_least"], _number),
        below=_optional(d["below"], _number),
        within=_optional(d["within"], _duration),
        after=_optional(d["after"], _date),
        before=_optional(d["before"], _date),
    )


def _rule(value: Any) -> Rule:
    d = _record(value, "when then because")
    return Rule(
        _optional(d["when"], lambda v: _mapping(v, _condition)),
        _text(d["then"]),
        _text(d["because"]),
    )


def _column(value: Any) -> Column:
    d = _record(value, "headers split keep else_email per")
    return Column(
        tuple(_list(d["headers"], _text)),
        _optional(d["split"], _text),
        _optional(d["keep"], _keep),
        _optional(d["else_email"], lambda v: tuple(_list(v, _text))),
        _optional(d["per"], _per),
    )


def _per(value: Any) -> Literal["account"]:
    if value != "account":
        raise ModelError("per: account is the only choice")
    return "account"


def _keep(value: Any) -> Keep:
    d = _record(value, "kind values")
    kind = _choice(d["kind"], ("prefix", "names", "glob"))
    return Keep(kind, tuple(_list(d["values"], _text)))  # type: ignore[arg-type]


# --- checked shapes ----------------------------------------------------------------------------


def _record(value: Any, keys: str) -> dict[str, Any]:
    names = keys.split()
    if not isinstance(value, dict) or sorted(value) != sorted(names):
        raise ModelError(f"expected the keys {names}")
    return value


def _list(value: Any, item: Callable[[Any], T]) -> list[T]:
    if not isinstance(value, list):
        raise ModelError("expected a list")
    return [item(v) for v in value]


def _mapping(value: Any, item: Callable[[Any], T]) -> dict[str, T]:
    if not isinstance(value, dict):
        raise ModelError("expected a mapping")
    return {_text(k): item(v) for k, v in value.items()}


def _pair(value: Any, first: Callable[[Any], Any], second: Callable[[Any], Any]) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise ModelError("expected a pair")
    return first(value[0]), second(value[1])


def _optional(value: Any, item: Callable[[Any], T]) -> T | None:
    return None if value is None else item(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or "\0" in value:
        raise ModelError("expected a text")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError("expected a number")
    if not math.isfinite(value):
        raise ModelError("a number that is not finite")
    return float(value)


def _count(value: Any) -> int:
    if type(value) is not int:
        raise ModelError("expected a whole number")
    return value  # its range is the model's to check


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | str):
        return value if isinstance(value, bool) else _text(value)
    if isinstance(value, int):
        if abs(value) > 10**400:
            raise ModelError("a number too long")
        return value
    return _number(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ModelError("expected true or false")
    return value


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ModelError(f"expected one of {choices}")
    return str(value)


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise ModelError("expected a date") from None


def _duration(value: Any) -> str:
    if not isinstance(value, str) or not _DURATION.fullmatch(value):
        raise ModelError("expected a duration")
    return value


def _pattern(value: Any) -> str:
    if not isinstance(value, str) or "%" not in value or len(value) > 40:
        raise ModelError("expected a date pattern")
    return value
