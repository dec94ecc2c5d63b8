"""The analyses as the JSON documents intscore writes (`explain`, `explain --vs`, `diff`,
`sensitivity`, `matrix`, `check`, `check --rules`): plain data in the shapes their contracts
(`render.contracts`) describe, field for field and in their order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine.documents import config_ref, contract_value, day_of_run, input_refs, rounded
from ..engine.planning import Costed
from ..engine.ranking import Advice, RunInfo
from ..problems import Rule
from .categories import Rollup
from .check import CheckResult
from .diff import RankingDiff
from .explain import Explanation, Versus
from .matrix import Placement
from .plan import PlanResult
from .sensitivity import Perturbation, Stability

__all__ = [
    "categories_document",
    "diff_document",
    "explanation_document",
    "findings_document",
    "matrix_document",
    "plan_document",
    "rules_document",
    "sensitivity_document",
    "versus_document",
]


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def _advice(advice: Advice | None) -> dict[str, Any] | None:
    if advice is None:
        return None
    return {
        "label": advice.label,
        "because": advice.because,
        "rule": advice.rule,
        "reason": advice.reason,
    }


def explanation_document(e: Explanation, run: RunInfo) -> dict[str, Any]:
    """`explain NAME -f json`."""
    item = e.item
    above = e.above
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "integration": item.integration,
        "rank": item.rank,
        "score": _number(item.score),
        "tiebreak": item.tiebreak,
        "criteria": {
            c.id: {
                "value": contract_value(c.value),
                "how": c.how,
                "band": c.band,
                "points": float(c.points),
                "max_points": float(c.max_points),
                "weight": float(c.weight),
                "contribution": rounded(c.contribution),
                "status": c.status,
            }
            for c in e.criteria
        },
        "accounts": e.accounts,
        "recommendation": _advice(item.recommendation),
        "flags": [flag.code for flag in item.flags],
        "ties": [
            {"above": t.above.integration, "below": t.below.integration, "criterion": t.criterion}
            for t in e.ties
        ],
        "costliest_requester": None
        if e.costliest is None
        else {
            "requester": e.costliest.requester,
            "score": float(e.costliest.score),
            "rank": e.costliest.rank,
        },
        "next_up": None
        if above is None
        else {
            "integration": above.integration,
            "rank": above.rank,
            "score": _number(above.score),
            "gap": float(round(e.gap or 0.0, 9)),
            "steps": [
                {
                    "criterion": s.criterion,
                    "needs": s.needs,
                    "gain": float(round(s.gain, 9)),
                    "closes": s.closes,
                }
                for s in e.steps
            ],
        },
    }


def versus_document(v: Versus, run: RunInfo) -> dict[str, Any]:
    """`explain NAME --vs OTHER -f json`."""
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "a": {"integration": v.a.integration, "rank": v.a.rank, "score": _number(v.a.score)},
        "b": {"integration": v.b.integration, "rank": v.b.rank, "score": _number(v.b.score)},
        "difference": float(round(v.difference, 9)),
        "criteria": {
            c.id: {
                "a_points": float(sa.points),
                "b_points": float(sb.points),
                "weight": float(c.weight),
                "difference": rounded(delta),
            }
            for c, sa, sb, delta in v.rows
        },
    }


def _side(run: RunInfo) -> dict[str, Any]:
    return {
        "config": run.config_source,
        "sha256": run.config_sha256,
        "inputs": list(run.inputs),
        "as_of": day_of_run(run),
    }


def diff_document(diff: RankingDiff, base: RunInfo, head: RunInfo) -> dict[str, Any]:
    """`diff -f json`."""
    return {
        "version": 1,
        "base": _side(base),
        "head": _side(head),
        "top": diff.top,
        "config_changes": list(diff.config_changes),
        "entered_top": list(diff.entered),
        "left_top": list(diff.left),
        "moved_outside_top": diff.moved_elsewhere,
        "items": [
            {
                "integration": i.integration,
                "old_rank": i.old_rank,
                "new_rank": i.new_rank,
                "old_score": _number(i.old_score),
                "new_score": _number(i.new_score),
                "changed": list(i.changed),
                "why": list(i.why),
            }
            for i in diff.items
        ],
    }


def sensitivity_document(
    stability: list[Stability], run: RunInfo, how: Perturbation
) -> dict[str, Any]:
    """`sensitivity -f json`."""
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "vary": how.vary,
        "runs": how.runs,
        "spread": float(how.spread),
        "resamples": how.resamples,
        "top": how.top,
        "seed": how.seed,
        "items": [
            {
                "integration": s.integration,
                "rank": s.rank,
                "score": _number(s.score),
                "median_rank": float(s.median_rank),
                "rank_p5": s.rank_p5,
                "rank_p95": s.rank_p95,
                "top_share": float(s.top_share),
                "unstable": s.unstable,
            }
            for s in stability
        ],
    }


def matrix_document(
    placements: list[Placement], run: RunInfo, value_split: float, effort_split: float
) -> dict[str, Any]:
    """`matrix -f json`."""
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "value_split": float(value_split),
        "effort_split": float(effort_split),
        "items": [
            {
                "integration": p.item.integration,
                "rank": p.item.rank,
                "score": _number(p.item.score),
                "value": float(p.value),
                "effort": float(p.effort),
                "quadrant": p.quadrant,
            }
            for p in placements
        ],
    }


def findings_document(result: CheckResult) -> dict[str, Any]:
    """`check -f json`."""
    errors, warnings = result.counts()
    return {
        "version": 1,
        "config": None if result.run is None else config_ref(result.run),
        "as_of": None if result.run is None else day_of_run(result.run),
        "inputs": input_refs(result.inputs),
        "linted_configs": list(result.configs),
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "severity": f.severity,
                "rule": f.rule,
                "field": f.field,
                "message": f.message,
            }
            for f in result.findings
        ],
        "summary": {"errors": errors, "warnings": warnings},
    }


def rules_document(rules: Iterable[Rule]) -> list[dict[str, Any]]:
    """`check --rules -f json`."""
    return [{"id": r.id, "severity": r.severity, "summary": r.summary} for r in rules]


def _planned(c: Costed) -> dict[str, Any]:
    return {
        "integration": c.item.integration,
        "rank": c.item.rank,
        "value": float(c.value),
        "category": c.category,
        "build_hours": _number(c.build),
        "upkeep_per_year": float(c.upkeep),
        "hours": _number(c.hours),
    }


def plan_document(p: PlanResult, run: RunInfo) -> dict[str, Any]:
    """`plan -f json`."""
    s = p.made.setup
    shares = None
    if p.shares is not None:
        shares = [
            {"integration": c.item.integration, "rank": c.item.rank, "share": float(share)}
            for c, share in zip(s.costed, p.shares, strict=True)
        ]
    how = p.vary
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "capacity": float(s.capacity),
        "horizon_years": float(s.years),
        "hours_used": float(round(p.hours_used, 9)),
        "hours_left": float(round(p.hours_left, 9)),
        "value_covered": float(round(p.value, 9)),
        "value_total": float(round(p.total, 9)),
        "build": [_planned(c) for c in p.built],
        "buy": [
            {
                "name": b.option.name,
                "category": b.option.category,
                "hours": float(b.option.hours),
                "covers": [c.item.integration for c in b.covers],
            }
            for b in p.bought
        ],
        "left_out": [
            {**_planned(left.costed), "more_hours": _number(left.short)} for left in p.left_out
        ],
        "never": [c.item.integration for c in p.never],
        "greedy": {
            "value": float(round(p.greedy_value, 9)),
            "hours": float(round(p.greedy_hours, 9)),
            "build": [c.item.integration for c in p.greedy_built],
        },
        "gain": float(round(p.gain, 9)),
        "vary": None
        if how is None
        else {
            "vary": how.vary,
            "runs": how.runs,
            "spread": float(how.spread),
            "resamples": how.resamples,
            "seed": how.seed,
        },
        "shares": shares,
    }


def categories_document(rollup: Rollup, run: RunInfo, top: int) -> dict[str, Any]:
    """`rank --by category -f json`."""
    size = rollup.size
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "size": None if size is None else {"criterion": size.id, "field": size.field},
        "categories": [
            {
                "category": roll.category,
                "integrations": len(roll.items),
                "requesters": roll.requesters,
                "accounts": roll.accounts,
                "size": _number(roll.size),
                "top": [
                    {"integration": i.integration, "rank": i.rank, "score": _number(i.score)}
                    for i in roll.items[:top]
                ],
            }
            for roll in rollup.categories
        ],
    }
