"""Every JSON document intscore writes, shaped by pydantic models: one way to build them, one
place that defines the contracts (their JSON Schemas document them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel

if TYPE_CHECKING:
    from ..analyses.check import CheckRule
    from ..analyses.diff import RankingDiff
    from ..analyses.explain import Explanation, Versus
    from ..analyses.matrix import Placement
    from ..analyses.sensitivity import Perturbation, Stability
    from ..commands import CheckResult
    from .ranking import Ranking, RunInfo

__all__ = [
    "DiffDocument",
    "ExplanationDocument",
    "FindingsDocument",
    "MatrixDocument",
    "RankingDocument",
    "RulesDocument",
    "SensitivityDocument",
    "VersusDocument",
    "diff_document",
    "explanation_document",
    "findings_document",
    "matrix_document",
    "ranking_document",
    "rules_document",
    "sensitivity_document",
    "versus_document",
]

Value = float | str | bool | None


class _Part(BaseModel):
    # Built from the core's dataclasses where the names agree: `Model.model_validate(obj)`.
    model_config = ConfigDict(ser_json_inf_nan="null", from_attributes=True)


class _Document(_Part):
    def text(self) -> str:
        """The document as indented JSON with one trailing newline."""
        return self.model_dump_json(indent=2) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


Rounded = Annotated[float | None, AfterValidator(_round)]  # no float noise in contributions


class ConfigRef(_Part):
    source: str
    sha256: str


def _config(run: RunInfo) -> ConfigRef:
    return ConfigRef(source=run.config_source, sha256=run.config_sha256)


def _day(run: RunInfo) -> str | None:
    return None if run.as_of is None else run.as_of.isoformat()


# --- rank ---------------------------------------------------------------------------------------


class InputRef(_Part):
    file: str
    format: str
    rows: int
    filtered: int  # rows left out by the config's filter


class CriterionDef(_Part):
    id: str
    label: str
    kind: Literal["value", "effort"]
    weight: float
    max_points: float


class CriterionOut(_Part):
    value: Value
    points: float
    max_points: float
    weight: float
    contribution: Rounded  # None when a formula scores
    band: str | None
    status: str


class Recommendation(_Part):
    label: str
    because: str
    rule: int
    reason: str


class ItemOut(_Part):
    rank: int
    integration: str
    score: float | None
    requesters: int
    accounts: list[str]
    criteria: dict[str, CriterionOut]
    flags: list[str]
    recommendation: Recommendation | None = None
    tiebreak: str | None = None  # the criterion that put it below an item of equal score


class Shown(_Part):
    """What `--top` left out."""

    shown: int
    total: int
    tied_beyond: int  # items not shown that share the last shown rank


class RankingDocument(_Document):
    """`rank -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None  # the day ages were counted to (ISO 8601)
    formula: str | None = None
    tiebreak: list[str]
    inputs: list[InputRef]
    criteria: list[CriterionDef]
    ranking: list[ItemOut]
    top: Shown | None = None  # with --top


def ranking_document(ranking: Ranking, run: RunInfo, top: int | None = None) -> RankingDocument:
    """The JSON document of a ranking (the first `top` items)."""
    from .ranking import tied_beyond

    shown = len(ranking.items[:top])
    return RankingDocument(
        config=_config(run),
        as_of=_day(run),
        formula=ranking.formula,
        tiebreak=list(ranking.tiebreak),
        top=None
        if top is None
        else Shown(shown=shown, total=len(ranking.items), tied_beyond=tied_beyond(ranking, top)),
        inputs=[
            InputRef(file=i.source, format=i.format, rows=i.rows, filtered=i.filtered)
            for i in ranking.inputs
        ],
        criteria=[
            CriterionDef(
                id=c.id, label=c.title, kind=c.kind, weight=c.weight, max_points=c.max_points
            )
            for c in ranking.criteria
        ],
        ranking=[
            ItemOut(
                rank=item.rank,
                integration=item.integration,
                score=item.score,
                requesters=item.requester_count(),
                accounts=sorted(
                    (r.account for r in item.requesters if r.account), key=str.casefold
                ),
                criteria={cid: CriterionOut.model_validate(s) for cid, s in item.criteria.items()},
                flags=[flag.code for flag in item.flags],
                recommendation=None
                if item.recommendation is None
                else Recommendation(**asdict(item.recommendation)),
                tiebreak=item.tiebreak,
            )
            for item in ranking.items[:top]
        ],
    )


# --- explain ------------------------------------------------------------------------------------


class ExplainedCriterion(_Part):
    value: Value
    how: str
    band: str | None
    points: float
    max_points: float
    weight: float
    contribution: Rounded
    status: str


class StepOut(_Part):
    criterion: str
    needs: str
    gain: float
    closes: bool


class NextUp(_Part):
    integration: str
    rank: int
    score: float | None
    gap: float
    steps: list[StepOut]


class TieOut(_Part):
    above: str
    below: str
    criterion: str


class LossOut(_Part):
    requester: str
    score: float
    rank: int


class ExplanationDocument(_Document):
    """`explain NAME -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    integration: str
    rank: int
    score: float | None
    tiebreak: str | None
    criteria: dict[str, ExplainedCriterion]
    accounts: list[str]
    recommendation: Recommendation | None
    flags: list[str]
    ties: list[TieOut]
    costliest_requester: LossOut | None
    next_up: NextUp | None


def explanation_document(e: Explanation, run: RunInfo) -> ExplanationDocument:
    item = e.item
    return ExplanationDocument(
        config=_config(run),
        as_of=_day(run),
        integration=item.integration,
        rank=item.rank,
        score=item.score,
        criteria={c.id: ExplainedCriterion.model_validate(c) for c in e.criteria},
        accounts=e.accounts,
        recommendation=None
        if item.recommendation is None
        else Recommendation(**asdict(item.recommendation)),
        flags=[flag.code for flag in item.flags],
        tiebreak=item.tiebreak,
        ties=[
            TieOut(above=t.above.integration, below=t.below.integration, criterion=t.criterion)
            for t in e.ties
        ],
        costliest_requester=None if e.costliest is None else LossOut.model_validate(e.costliest),
        next_up=None
        if e.above is None
        else NextUp(
            integration=e.above.integration,
            rank=e.above.rank,
            score=e.above.score,
            gap=round(e.gap or 0.0, 9),
            steps=[
                StepOut(
                    criterion=s.criterion, needs=s.needs, gain=round(s.gain, 9), closes=s.closes
                )
                for s in e.steps
            ],
        ),
    )


class Side(_Part):
    integration: str
    rank: int
    score: float | None


class VersusCriterion(_Part):
    a_points: float
    b_points: float
    weight: float
    difference: Rounded


class VersusDocument(_Document):
    """`explain NAME --vs OTHER -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    a: Side
    b: Side
    difference: float
    criteria: dict[str, VersusCriterion]


def versus_document(v: Versus, run: RunInfo) -> VersusDocument:
    return VersusDocument(
        config=_config(run),
        as_of=_day(run),
        a=Side(integration=v.a.integration, rank=v.a.rank, score=v.a.score),
        b=Side(integration=v.b.integration, rank=v.b.rank, score=v.b.score),
        difference=round(v.difference, 9),
        criteria={
            c.id: VersusCriterion(
                a_points=sa.points, b_points=sb.points, weight=c.weight, difference=delta
            )
            for c, sa, sb, delta in v.rows
        },
    )


# --- diff ---------------------------------------------------------------------------------------


class DiffSide(_Part):
    config: str
    sha256: str
    inputs: list[str]
    as_of: str | None


class DiffItemOut(_Part):
    integration: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    changed: list[str]
    why: list[str]


class DiffDocument(_Document):
    """`diff -f json`."""

    version: Literal[1] = 1
    base: DiffSide
    head: DiffSide
    top: int
    config_changes: list[str]
    entered_top: list[str]
    left_top: list[str]
    moved_outside_top: int  # changed rank outside the top N on both sides
    items: list[DiffItemOut]


def _side(run: RunInfo) -> DiffSide:
    return DiffSide(
        config=run.config_source, sha256=run.config_sha256, inputs=list(run.inputs), as_of=_day(run)
    )


def diff_document(diff: RankingDiff, base: RunInfo, head: RunInfo) -> DiffDocument:
    return DiffDocument(
        base=_side(base),
        head=_side(head),
        top=diff.top,
        config_changes=diff.config_changes,
        entered_top=diff.entered,
        left_top=diff.left,
        moved_outside_top=diff.moved_elsewhere,
        items=[DiffItemOut.model_validate(i) for i in diff.items],
    )


# --- sensitivity and matrix ---------------------------------------------------------------------


class StabilityOut(_Part):
    integration: str
    rank: int
    score: float | None
    median_rank: float
    rank_p5: int
    rank_p95: int
    top_share: float
    unstable: bool


class SensitivityDocument(_Document):
    """`sensitivity -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    vary: Literal["weights", "data", "both"]
    runs: int
    spread: float
    resamples: int | None  # bootstrap resamples per integration; null when the data stay
    top: int
    seed: int
    items: list[StabilityOut]


def sensitivity_document(
    stability: list[Stability], run: RunInfo, how: Perturbation
) -> SensitivityDocument:
    return SensitivityDocument(
        config=_config(run),
        as_of=_day(run),
        vary=how.vary,
        runs=how.runs,
        spread=how.spread,
        resamples=how.resamples,
        top=how.top,
        seed=how.seed,
        items=[StabilityOut.model_validate(s) for s in stability],
    )


class PlacementOut(_Part):
    integration: str
    rank: int
    score: float | None
    value: float
    effort: float
    quadrant: str


class MatrixDocument(_Document):
    """`matrix -f json`."""

    version: Literal[1] = 1
    config: ConfigRef
    as_of: str | None
    value_split: float
    effort_split: float
    items: list[PlacementOut]


def matrix_document(
    placements: list[Placement], run: RunInfo, value_split: float, effort_split: float
) -> MatrixDocument:
    return MatrixDocument(
        config=_config(run),
        as_of=_day(run),
        value_split=value_split,
        effort_split=effort_split,
        items=[
            PlacementOut(
                integration=p.item.integration,
                rank=p.item.rank,
                score=p.item.score,
                value=p.value,
                effort=p.effort,
                quadrant=p.quadrant,
            )
            for p in placements
        ],
    )


# --- check --------------------------------------------------------------------------------------


class FindingOut(_Part):
    file: str
    line: int | None
    severity: str
    rule: str
    field: str | None
    message: str


class Summary(_Part):
    errors: int
    warnings: int


class FindingsDocument(_Document):
    """`check -f json`."""

    version: Literal[1] = 1
    config: ConfigRef | None  # the config the data were checked with (null: none could load)
    as_of: str | None
    inputs: list[InputRef]
    linted_configs: list[str]  # inputs that are scoring models, checked as such
    findings: list[FindingOut]
    summary: Summary


def findings_document(result: CheckResult) -> FindingsDocument:
    errors, warnings = result.counts()
    return FindingsDocument(
        config=None if result.run is None else _config(result.run),
        as_of=None if result.run is None else _day(result.run),
        inputs=[
            InputRef(file=i.source, format=i.format, rows=i.rows, filtered=i.filtered)
            for i in result.inputs
        ],
        linted_configs=list(result.configs),
        findings=[FindingOut.model_validate(f) for f in result.findings],
        summary=Summary(errors=errors, warnings=warnings),
    )


class RuleOut(_Part):
    id: str
    severity: str
    summary: str


class RulesDocument(RootModel[list[RuleOut]]):
    """`check --rules -f json`."""

    def text(self) -> str:
        """The document as indented JSON with one trailing newline."""
        return self.model_dump_json(indent=2) + "\n"


def rules_document(rules: list[CheckRule]) -> RulesDocument:
    return RulesDocument([RuleOut.model_validate(r) for r in rules])
