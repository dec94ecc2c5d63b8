"""Every JSON document intscore writes, built from the core's results. The contracts (the
pydantic models, with every field described) are in `contracts`; they are re-exported here."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from .contracts import (
    ConfigRef,
    CriterionDef,
    CriterionOut,
    DiffDocument,
    DiffItemOut,
    DiffSide,
    ExplainedCriterion,
    ExplanationDocument,
    FindingOut,
    FindingsDocument,
    InputRef,
    ItemOut,
    LossOut,
    MatrixDocument,
    NextUp,
    PlacementOut,
    RankingDocument,
    Recommendation,
    RuleOut,
    RulesDocument,
    SensitivityDocument,
    Shown,
    Side,
    StabilityOut,
    StepOut,
    Summary,
    TieOut,
    VersusCriterion,
    VersusDocument,
)

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


def _config(run: RunInfo) -> ConfigRef:
    return ConfigRef(source=run.config_source, sha256=run.config_sha256)


def _day(run: RunInfo) -> str | None:
    return None if run.as_of is None else run.as_of.isoformat()


# --- rank ---------------------------------------------------------------------------------------


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


def rules_document(rules: list[CheckRule]) -> RulesDocument:
    return RulesDocument([RuleOut.model_validate(r) for r in rules])
