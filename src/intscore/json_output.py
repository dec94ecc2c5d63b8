"""The JSON output contract (`rank -f json`), shaped by pydantic models."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .ranking import Ranking, RunInfo

__all__ = ["RankingDocument", "ranking_document"]

Value = float | str | bool | None


class _Out(BaseModel):
    model_config = ConfigDict(ser_json_inf_nan="null")


class ConfigRef(_Out):
    source: str
    sha256: str


class InputRef(_Out):
    file: str
    format: str
    rows: int


class CriterionDef(_Out):
    id: str
    label: str
    kind: Literal["value", "effort"]
    weight: float
    max_points: float


class CriterionOut(_Out):
    value: Value
    points: float
    max_points: float
    weight: float
    contribution: float | None  # None when a formula scores
    band: str | None
    status: str


class Recommendation(_Out):
    label: str
    because: str
    rule: int
    reason: str


class ItemOut(_Out):
    rank: int
    integration: str
    score: float | None
    requesters: int
    accounts: list[str]
    criteria: dict[str, CriterionOut]
    flags: list[str]
    recommendation: Recommendation | None = None


class RankingDocument(_Out):
    version: Literal[1] = 1
    config: ConfigRef
    formula: str | None = None
    inputs: list[InputRef]
    criteria: list[CriterionDef]
    ranking: list[ItemOut]


def _number(value: float) -> float:
    return round(value, 9)


def ranking_document(ranking: Ranking, run: RunInfo, top: int | None = None) -> RankingDocument:
    """Build the JSON document for a ranking (the first `top` items)."""
    return RankingDocument(
        config=ConfigRef(source=run.config_source, sha256=run.config_sha256),
        formula=ranking.formula,
        inputs=[InputRef(file=i.source, format=i.format, rows=i.rows) for i in ranking.inputs],
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
                criteria={
                    cid: CriterionOut(
                        value=s.value,
                        points=s.points,
                        max_points=s.max_points,
                        weight=s.weight,
                        contribution=None if s.contribution is None else _number(s.contribution),
                        band=s.band,
                        status=s.status,
                    )
                    for cid, s in item.criteria.items()
                },
                flags=list(item.flags),
                recommendation=None
                if item.recommendation is None
                else Recommendation(**asdict(item.recommendation)),
            )
            for item in ranking.items[:top]
        ],
    )
