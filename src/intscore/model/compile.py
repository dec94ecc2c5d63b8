"""The validated config (the user's schema, `schema.py`) compiled into the runtime model
(`compiled.py`): the one place that turns what the user wrote into what the program runs."""

from __future__ import annotations

from typing import Any

from .compiled import (
    Band,
    Column,
    Condition,
    Criterion,
    Decay,
    Model,
    ModelError,
    RowWeight,
    Rule,
    ScaleSpec,
)
from .estimates import EstimatesConfig, Threshold
from .read_settings import ReadSettings
from .schema import ColumnSpec, EstimatesSettings, ScoringConfig
from .schema import Condition as ConditionSpec
from .schema import Criterion as CriterionSpec
from .schema_plan import categories_of

__all__ = ["compile_condition", "compile_config"]


def compile_config(config: ScoringConfig) -> Model:
    """The runtime model of a validated config; ModelError (with where) for the rules a
    schema cannot check key by key (missing points above a criterion's most; a field read as
    a date and as a number; no criterion that can score)."""
    criteria = []
    for i, c in enumerate(config.criteria):
        try:
            criteria.append(_criterion(c))
        except ModelError as exc:
            raise ModelError(exc.message, ("criteria", i, *exc.loc)) from None
    return Model(
        criteria=tuple(criteria),
        columns={name: _column(entry) for name, entry in config.columns.items()},
        aliases={name: tuple(spellings) for name, spellings in config.aliases.items()},
        formula_text=config.formula,
        recommend=None
        if config.recommend is None
        else tuple(Rule(_conditions(r.when), r.then, r.because) for r in config.recommend),
        date_formats=tuple(config.dates.formats),
        as_of=config.as_of,
        latest_by=config.latest_by,
        filter=_conditions(config.filter),
        ignore=tuple(config.check.ignore),
        severity=dict(config.check.severity),
        tiebreak=tuple(config.tiebreak),
        catalog=config.catalog,
        categories=categories_of(config.categories),
        plan=None if config.plan is None else config.plan.compiled(),
        buy=tuple(option.compiled() for option in config.buy),
        estimates=None if config.estimates is None else _estimates(config.estimates),
        max_line_length=config.read.max_line_length,
        max_fields=config.read.max_fields,
        read=_read(config),
    )


def _read(config: ScoringConfig) -> ReadSettings:
    r = config.read
    return ReadSettings(
        encoding=r.encoding,
        delimiter=r.delimiter,
        decimal=r.decimal,
        header_row=None if r.header_row == "auto" else r.header_row,
        footer=r.footer == "auto",
        sheet=r.sheet,
    )


def _estimates(settings: EstimatesSettings) -> EstimatesConfig:
    disagree = {}
    for name, limit in settings.disagree.items():
        if isinstance(limit, str):
            disagree[name] = Threshold(float(limit.rstrip().rstrip("%").rstrip()) / 100, True)
        else:
            disagree[name] = Threshold(float(limit))
    who = {name: tuple(globs) for name, globs in settings.who.items()}
    return EstimatesConfig(settings.folder, settings.combine, disagree, who)


def compile_condition(condition: Any) -> Condition:
    """A condition as the schema holds it — a value, a list of values, or a test — compiled."""
    if not isinstance(condition, ConditionSpec):
        values = condition if isinstance(condition, list) else [condition]
        return Condition("category", tuple(values))
    if condition.not_ is not None:
        values = condition.not_ if isinstance(condition.not_, list) else [condition.not_]
        return Condition("not", tuple(values))
    if condition.kind == "number":
        return Condition("number", at_least=condition.at_least, below=condition.below)
    return Condition(
        "date", within=condition.within, after=condition.after, before=condition.before
    )


def _conditions(conditions: dict[str, Any] | None) -> dict[str, Condition] | None:
    if conditions is None:
        return None
    return {name: compile_condition(c) for name, c in conditions.items()}


def _column(entry: Any) -> Column:
    if isinstance(entry, ColumnSpec):
        return entry.compiled()
    return Column((entry,) if isinstance(entry, str) else tuple(entry))


def _criterion(c: CriterionSpec) -> Criterion:
    rw = c.row_weight
    row_weight = None
    if rw is not None:
        decay = None if rw.decay is None else Decay(rw.decay.field, rw.decay.half_life)
        row_weight = RowWeight(rw.field, dict(rw.map), rw.default, decay)
    scale = c.scale
    return Criterion(
        id=c.id,
        label=c.label,
        description=c.description,
        kind=c.kind,
        field=c.field,
        aggregate=c.aggregate,
        row_weight=row_weight,
        where=_conditions(c.where),
        bands=None if c.bands is None else tuple(Band(b.min, b.points) for b in c.bands),
        map=None if c.map is None else dict(c.map),
        scale=None
        if scale is None
        else ScaleSpec(scale.min, scale.max, scale.points, scale.direction),
        missing=c.missing,
        weight=c.weight,
        levels=None if c.levels is None else {k: float(v) for k, v in c.levels.items()},
        relative=c.relative,
        over=c.over,
    )
