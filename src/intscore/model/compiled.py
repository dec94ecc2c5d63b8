"""The compiled model: what a scoring.yaml means, as plain frozen objects that every engine and
analysis reads. It is built once, from the validated config (`compile.compile_config`) or from
the cache (`cache.py`, through `plain.model_from_plain`), and nothing else derives behaviour
from the user's schema. No pydantic here: a cached `rank` never loads it.

Each object checks its own invariants when it is made (weights finite and in range, bands
ascending, a formula that compiles, ...), so a model rebuilt from a cache entry is as sound as
one compiled from YAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as slot
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from ..matching import name_key
from ..read.lines import FIELDS_RANGE, LINE_LENGTH_RANGE, MAX_FIELDS, MAX_LINE_LENGTH
from .columns import Column, Keep, columns_problem
from .conditions import Condition, Test, duration_days, field_test
from .errors import MAX_POINTS, ModelError, is_number, require
from .formula import Formula, compile_formula
from .read_settings import ReadSettings
from .row_weight import Decay, RowWeight
from .scorers import DIRECTIONS, Band, ScaleSpec, Scorer, build_scorer

if TYPE_CHECKING:  # loaded with a config that has a plan, buy options or `estimates:`
    from .compiled_plan import Buy, Categories, Plan
    from .estimates import Estimates, EstimatesConfig

DERIVED_FACTS = ("category", "covered_by", "plan")  # facts a rule may test, not columns

__all__ = [
    "DIRECTIONS",
    "MAX_POINTS",
    "Band",
    "Column",
    "Condition",
    "Criterion",
    "Decay",
    "Keep",
    "Model",
    "ModelError",
    "RowWeight",
    "Rule",
    "ScaleSpec",
    "Test",
    "build_scorer",
    "columns_problem",
    "duration_days",
]


Scalar = str | int | float | bool
Aggregate = Literal["count", "sum", "mean", "min", "max", "value"]


@dataclass(frozen=True)
class Criterion:
    """One thing an integration is scored on, with the scorer that turns its value into points."""

    id: str
    label: str | None
    description: str | None
    kind: Literal["value", "effort"]
    field: str | None
    aggregate: Aggregate
    row_weight: RowWeight | None
    where: Mapping[str, Condition] | None
    bands: tuple[Band, ...] | None
    map: Mapping[str, float] | None
    scale: ScaleSpec | None
    missing: float | Literal["error"]
    weight: float
    levels: Mapping[str, float] | None = None  # names that stand for numbers (high: 1.0)
    relative: bool = False  # relative estimates: the smallest item should be 1
    over: Literal["requesters", "requests"] = "requesters"  # what sum/mean/min/max run over
    scorer: Scorer = slot(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        require(self.id.isidentifier() and len(self.id) <= 64, f"criterion id {self.id!r}")
        require(self.kind in ("value", "effort"), f"{self.id}: kind {self.kind!r}")
        require(
            self.aggregate in ("count", "sum", "mean", "min", "max", "value"),
            f"{self.id}: aggregate {self.aggregate!r}",
        )
        require(self.aggregate == "count" or self.field is not None, f"{self.id}: no field")
        require(self.row_weight is None or self.aggregate == "count", f"{self.id}: row_weight")
        require(self.over in ("requesters", "requests"), f"{self.id}: over {self.over!r}")
        require(
            self.over == "requesters" or self.aggregate in ("sum", "mean", "min", "max"),
            f"over: requests applies to sum, mean, min and max, not to '{self.aggregate}'",
        )
        require(is_number(self.weight, 0.0, MAX_POINTS), f"{self.id}: weight out of range")
        given = [s for s in (self.bands, self.map, self.scale) if s is not None]
        require(len(given) <= 1, f"{self.id}: more than one of bands, map and scale")
        levels_ok = all(is_number(v) for v in (self.levels or {}).values())
        require(levels_ok and (self.levels is None or self.field is not None), "levels")
        object.__setattr__(self, "scorer", build_scorer(self.id, self.bands, self.map, self.scale))
        if self.missing != "error":
            require(is_number(self.missing, 0.0, MAX_POINTS), f"{self.id}: missing out of range")
            require(
                not given or self.missing <= self.max_points,
                f"missing ({self.missing:g}) is more than the largest points ({self.max_points:g})",
            )

    @property
    def title(self) -> str:
        return self.label or self.id

    @property
    def max_points(self) -> float:
        """The most points this criterion can give."""
        return self.scorer.max_points

    @property
    def missing_points(self) -> float:
        """The points of no value or an unknown category (0 with `missing: error`, which also
        makes it an error)."""
        return 0.0 if self.missing == "error" else float(self.missing)

    def points_of(self, value: Any) -> float:
        """The points a raw value earns; `missing_points` for none or an unknown category."""
        points = None if value is None else self.scorer.points(value).points
        return self.missing_points if points is None else points

    @property
    def over_requesters(self) -> bool:
        """Whether the value comes from the requesters (else it is an integration attribute)."""
        return self.aggregate != "value"

    def reads(self) -> list[str]:
        """The fields a requester brings to this criterion: its field, its row weight's and
        decay's, its segment's."""
        fields = [self.field] if self.field else []
        if self.row_weight:
            fields.append(self.row_weight.field)
            if self.row_weight.decay:
                fields.append(self.row_weight.decay.field)
        return [*fields, *(self.where or {})]


@dataclass(frozen=True)
class Rule:
    """A recommendation: `then` when every condition of `when` holds (no `when`: always)."""

    when: Mapping[str, Condition] | None
    then: str
    because: str = ""


@dataclass(frozen=True)
class Model:
    """The whole scoring model, ready to run."""

    criteria: tuple[Criterion, ...]
    columns: Mapping[str, Column] = slot(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = slot(default_factory=dict)
    formula_text: str | None = None
    recommend: tuple[Rule, ...] | None = None
    date_formats: tuple[str, ...] = ()
    as_of: date | None = None
    latest_by: str | None = None
    filter: Mapping[str, Condition] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = slot(default_factory=dict)
    tiebreak: tuple[str, ...] = ()
    # Plans (compiled_plan): the catalog's spellings as aliases, categories, plan, buy options
    catalog: bool = False
    categories: Categories | None = None
    plan: Plan | None = None
    buy: tuple[Buy, ...] = ()
    estimates: EstimatesConfig | None = None  # the `estimates:` section
    # What the estimators' files say: attached when the config is loaded, never cached.
    estimated: Estimates | None = slot(default=None, repr=False, compare=False)
    max_line_length: int = MAX_LINE_LENGTH  # `read:`: the most characters in one CSV row
    max_fields: int = MAX_FIELDS  # `read:`: the most fields in a row
    read: ReadSettings = slot(default_factory=ReadSettings)  # `read:`: the rest
    # Derived once, in __post_init__:
    formula: Formula | None = slot(init=False, repr=False, compare=False)
    denominator: float = slot(init=False, compare=False)
    alias_keys: Mapping[str, str] = slot(init=False, repr=False, compare=False)
    field_kinds: Mapping[str, str] = slot(init=False, repr=False, compare=False)
    field_levels: Mapping[str, Mapping[str, float]] = slot(init=False, repr=False, compare=False)
    # What the row pass keeps (see `_row_plan`):
    fields: tuple[str, ...] = slot(init=False, compare=False)
    optional: frozenset[str] = slot(init=False, repr=False, compare=False)
    attribute_criteria: tuple[int, ...] = slot(init=False, repr=False, compare=False)
    facts: tuple[str, ...] = slot(init=False, repr=False, compare=False)
    carried: tuple[str, ...] = slot(init=False, repr=False, compare=False)
    per_requester: tuple[str, ...] = slot(init=False, repr=False, compare=False)
    per_account: tuple[str, ...] = slot(init=False, repr=False, compare=False)
    extra_attributes: tuple[str, ...] = slot(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [c.id for c in self.criteria]
        require(bool(ids) and len(set(ids)) == len(ids), "criterion ids must be unique")
        require(all(t in ids for t in self.tiebreak), "a tiebreak names no criterion")
        require(len(set(self.tiebreak)) == len(self.tiebreak), "a tiebreak names one twice")
        for limit, bounds, name in (
            (self.max_line_length, LINE_LENGTH_RANGE, "max_line_length"),
            (self.max_fields, FIELDS_RANGE, "max_fields"),
        ):
            require(type(limit) is int and bounds[0] <= limit <= bounds[1], f"read: {name}")
        formula = None if self.formula_text is None else compile_formula(self.formula_text, {*ids})
        object.__setattr__(self, "formula", formula)
        denominator = weighted_maximum(self.criteria)
        require(
            formula is not None or denominator > 0,
            "at least one criterion needs a weight and points above 0",
        )
        object.__setattr__(self, "denominator", denominator)
        keys = _alias_keys(self.aliases)
        if self.catalog:
            from .catalog import catalog_aliases

            keys = {**catalog_aliases(keys), **keys}
        object.__setattr__(self, "alias_keys", keys)
        if _plans(self):
            from .compiled_plan import check_plan

            object.__setattr__(self, "recommend", check_plan(self))
        problem = columns_problem(self.columns)
        require(problem is None, problem or "")
        for name, condition in self.field_conditions():
            require(
                name != "integration" or condition.kind in ("category", "not"),
                "the integration is a name: test it with a value, a list of values or not",
            )
        object.__setattr__(self, "field_kinds", self._kinds())
        levels = {c.field: c.levels for c in self.criteria if c.field and c.levels}
        for c in self.criteria:  # a field's cells are read one way
            require(not c.field or levels.get(c.field) in (None, c.levels), "levels differ")
        object.__setattr__(self, "field_levels", levels)
        self._check_field_kinds()
        self._row_plan()
        for rule in self.recommend or ():
            for key, condition in (rule.when or {}).items():
                on_points = key == "score" or key in ids
                require(not on_points or condition.kind == "number", f"rule on {key!r}")
        if self.estimates is not None:
            self.estimates.check(self)

    @property
    def attribute_slots(self) -> int:
        """How many integration attributes a row pass keeps: one per `aggregate: value`
        criterion, then one per field the plan reads (`extra_attributes`)."""
        return len(self.attribute_criteria) + len(self.extra_attributes)

    def rules_test(self, key: str) -> bool:
        """Whether a recommendation rule tests this key (a field, `plan`, `category`, ...)."""
        return any(key in (rule.when or {}) for rule in self.recommend or ())

    def derived_facts(self) -> frozenset[str]:
        """The rule keys that are not columns: `covered_by`, `plan`, and with `categories:`
        `category` (without it, `category` is a column like any other)."""
        derived = set(DERIVED_FACTS)
        if self.categories is None:
            derived.discard("category")
        return frozenset(derived)

    def _kinds(self) -> dict[str, str]:
        kinds: dict[str, str] = {}
        if self.latest_by:
            kinds[self.latest_by] = "date"
        for c in self.criteria:
            if c.field and (c.aggregate in ("sum", "mean", "min", "max") or c.scorer.numeric):
                kinds[c.field] = "number"
            if c.row_weight and c.row_weight.decay:
                kinds[c.row_weight.decay.field] = "date"
        for name, condition in self.field_conditions():
            if condition.field_kind != "category":
                kinds[name] = condition.field_kind
        return kinds

    def _row_plan(self) -> None:
        """The fields a requester keeps, in a fixed order (`fields`): every field a criterion,
        a row weight, a segment, `latest_by` or a recommendation rule reads. Of them:
        `optional` ones may be missing from a file (row weights, segments, dates); `facts`
        are what the rules test; `carried` make a blank-account row a requester of its own
        (not integration attributes); `per_requester` are what criteria over requesters read.
        `attribute_criteria` are the criteria with `aggregate: value`."""
        fields: dict[str, None] = {}
        optional: set[str] = set()
        attributes: list[int] = []
        attribute_fields: set[str] = set()
        per_requester: dict[str, None] = {}
        for i, c in enumerate(self.criteria):
            reads = c.reads()
            fields.update(dict.fromkeys(reads))
            optional.update(reads[1:] if c.field else reads)
            if c.over_requesters:
                per_requester.update(dict.fromkeys(reads))
            else:
                attributes.append(i)
                attribute_fields.add(c.field or "")
        if self.latest_by:
            fields[self.latest_by] = None
            optional.add(self.latest_by)
        extra = [f for f in self.plan.fields() if f not in fields] if self.plan else []
        fields.update(dict.fromkeys(extra))  # plan attributes: optional, silent in `rank`
        optional.update(extra)
        attribute_fields.update(self.plan.fields() if self.plan else ())
        facts = self.fact_fields()
        fields.update(dict.fromkeys(facts))  # optional and silent: a rule needing a column
        optional -= {c.field for c in self.criteria if c.field}  # a file lacks does not apply
        # The integration's own name (a condition on it) is no value a requester carries.
        carried = [
            f for f in fields if f not in attribute_fields and f not in facts and f != "integration"
        ]
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "optional", frozenset(optional))
        object.__setattr__(self, "attribute_criteria", tuple(attributes))
        object.__setattr__(self, "facts", tuple(facts))
        object.__setattr__(self, "carried", tuple(carried))
        object.__setattr__(self, "per_requester", tuple(per_requester))
        per_account = [f for f, column in self.columns.items() if column.per == "account"]
        object.__setattr__(self, "per_account", tuple(f for f in fields if f in per_account))
        object.__setattr__(self, "extra_attributes", self.plan.fields() if self.plan else ())

    def _check_field_kinds(self) -> None:
        """A field is read one way: as a date, a number or text."""
        dates = {name for name, kind in self.field_kinds.items() if kind == "date"}
        for c in self.criteria:
            require(
                c.field not in dates, f"'{c.field}' is read as a date and as a number by '{c.id}'"
            )
        kinds: dict[str, str] = {}
        for name, condition in self.field_conditions(rules=False):
            kind = condition.field_kind
            if kind != "category" and kinds.setdefault(name, kind) != kind:
                raise ModelError(f"'{name}' is tested as a {kinds[name]} and as a {kind}")

    # --- where fields are read ----------------------------------------------------------------

    def headers_for(self, name: str) -> tuple[str, ...]:
        """The column headers that may hold a logical field, in order of preference."""
        column = self.columns.get(name)
        return (name,) if column is None else column.headers

    def column_for(self, name: str) -> str:
        """The input column header that holds a logical field (the first one named)."""
        return self.headers_for(name)[0]

    def split_for(self, name: str) -> str | None:
        """The separator that splits a multi-value cell of this field, if any."""
        column = self.columns.get(name)
        return None if column is None else column.split

    def keep_for(self, name: str) -> Keep | None:
        """Which parts of a multi-value cell of this field count, if not all."""
        column = self.columns.get(name)
        return None if column is None else column.keep

    def email_headers(self) -> tuple[str, ...]:
        """The e-mail columns whose domain is the account where the account cell is blank."""
        column = self.columns.get("account")
        return () if column is None or column.else_email is None else column.else_email

    @property
    def over_requests(self) -> bool:
        """Whether some criterion's aggregate runs over every request."""
        return any(c.over == "requests" for c in self.criteria)

    def test_of(self, name: str, condition: Condition, as_of: int) -> Test:
        """The test of a condition on a field (on the integration: its canonical names)."""
        return field_test(name, condition, as_of, self.alias_keys)

    def field_conditions(self, rules: bool = True) -> list[tuple[str, Condition]]:
        """(field, condition) of `filter`, every `where` and, with `rules`, the recommendation
        rules' conditions on fields (not those on the score or a criterion's points)."""
        found = [*(self.filter or {}).items()]
        for c in self.criteria:
            found += (c.where or {}).items()
        if rules:
            ids = {"score", *(c.id for c in self.criteria), *self.derived_facts()}
            for rule in self.recommend or ():
                found += [(k, v) for k, v in (rule.when or {}).items() if k not in ids]
        return found

    def known_fields(self) -> set[str]:
        """Every input field the config names: columns, criteria, row weights, segments,
        filters, dates."""
        fields = set(self.columns)
        for c in self.criteria:
            fields.update(c.reads())
        fields.update(self.filter or {})
        if self.latest_by:
            fields.add(self.latest_by)
        return fields

    def uses_ages(self) -> bool:
        """Whether scores depend on the day of the run (decay, or `within`)."""
        if any(c.row_weight and c.row_weight.decay for c in self.criteria):
            return True
        return any(condition.uses_ages for _, condition in self.field_conditions())

    def attribute_fields(self) -> list[str]:
        """The integration's own fields (not a requester's): those of `aggregate: value`
        criteria, those the plan reads (build and upkeep hours) and those the recommendation
        rules test. Estimates may stand for them."""
        fields = [c.field for c in self.criteria if c.field and not c.over_requesters]
        return list(dict.fromkeys([*fields, *self.extra_attributes, *self.fact_fields()]))

    def estimated_fields(self) -> tuple[str, ...]:
        """The fields estimates stand for: those `estimates:` names, and those estimated."""
        if self.estimated is not None:
            return self.estimated.fields
        return () if self.estimates is None else self.estimates.named_fields

    def fact_fields(self) -> list[str]:
        """The integration fields the recommendation rules test (not the score, points or
        derived facts), and the column of categories."""
        ids = {"score", *(c.id for c in self.criteria), *self.derived_facts()}
        facts: list[str] = []
        for rule in self.recommend or ():
            facts += [k for k in rule.when or {} if k not in ids and k not in facts]
        column = self.categories.column if self.categories else None
        if column and column not in facts:
            facts.append(column)
        return facts

    @property
    def dated(self) -> bool:
        """Whether the model reads dates (latest_by, decay, date conditions)."""
        return bool(self.latest_by or "date" in self.field_kinds.values())


def weighted_maximum(criteria: Iterable[Criterion]) -> float:
    """Σ weight × max points over some criteria: the most they can add to a weighted sum."""
    return sum(c.weight * c.max_points for c in criteria)


def _alias_keys(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Name key of every canonical name and spelling -> the canonical name. Each spelling
    leads to one name, which is nobody's spelling."""
    keys: dict[str, str] = {}
    for canonical in aliases:
        require(name_key(canonical) not in keys, f"alias {canonical!r} twice")
        keys[name_key(canonical)] = canonical
    for canonical, spellings in aliases.items():
        for spelling in spellings:
            key = name_key(spelling)
            require(keys.get(key, canonical) == canonical, f"alias spelling {spelling!r}")
            keys[key] = canonical
    return keys


def _plans(model: Model) -> bool:
    """Whether a model plans: buy options, a plan, categories, or a rule that tests `plan`
    (the plan's checks then need the whole model)."""
    rules = model.recommend or ()
    return bool(model.buy or model.plan or model.categories) or any(
        "plan" in (rule.when or {}) for rule in rules
    )
