"""The ranking as the documents intscore writes: the versioned JSON contract of `rank -f json`
(its schema is `render.contracts.RankingDocument`) and the spreadsheet rows of `rank -f csv`
(what `check --expect` compares). Plain data, built item by item: a million integrations are
written as a stream, never held as one document or as a model per row."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..numbers import plain_number
from ..text import spreadsheet_safe
from .ranking import RankedItem, Ranking, RunInfo, tied_beyond

__all__ = [
    "config_ref",
    "contract_value",
    "day_of_run",
    "document_text",
    "estimates_document",
    "ranking_chunks",
    "ranking_document",
    "ranking_rows",
    "rounded",
]

# Python writes 1e-07 where the contract's reference serializer writes 1e-7: one spelling.
_EXPONENT = re.compile(r"(?m)^(\s*(?:\"[^\"\n]*\": )?-?\d+(?:\.\d+)?e-)0(\d,?)$")


def document_text(document: Any) -> str:
    """A document as indented JSON (UTF-8, two spaces) with one trailing newline."""
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return _EXPONENT.sub(r"\1\2", text) + "\n"


def rounded(value: float | None) -> float | None:
    """A derived number without float noise (contributions, gaps)."""
    return None if value is None else round(value, 9)


def config_ref(run: RunInfo) -> dict[str, str]:
    return {"source": run.config_source, "sha256": run.config_sha256}


def day_of_run(run: RunInfo) -> str | None:
    return None if run.as_of is None else run.as_of.isoformat()


def input_refs(ranking_inputs: Any) -> list[dict[str, Any]]:
    return [
        {
            "file": i.source,
            "format": i.format,
            "rows": i.rows,
            "filtered": i.filtered,
            "unnamed": i.unnamed,
        }
        for i in ranking_inputs
    ]


def _head(ranking: Ranking, run: RunInfo) -> dict[str, Any]:
    return {
        "version": 1,
        "config": config_ref(run),
        "as_of": day_of_run(run),
        "formula": ranking.formula,
        "tiebreak": list(ranking.tiebreak),
        "inputs": input_refs(ranking.inputs),
        "criteria": [
            {
                "id": c.id,
                "label": c.title,
                "kind": c.kind,
                "weight": float(c.weight),
                "max_points": float(c.max_points),
            }
            for c in ranking.criteria
        ],
    }


def _item(item: RankedItem, estimated: bool = False) -> dict[str, Any]:
    advice = item.recommendation
    return {
        "rank": item.rank,
        "integration": item.integration,
        "score": item.score,
        "requesters": item.requester_count(),
        "accounts": sorted((r.account for r in item.requesters if r.account), key=str.casefold),
        "criteria": {
            cid: {
                "value": contract_value(s.value),
                "points": float(s.points),
                "max_points": float(s.max_points),
                "weight": float(s.weight),
                "contribution": rounded(s.contribution),
                "band": s.band,
                "status": s.status,
            }
            for cid, s in item.criteria.items()
        },
        "flags": [flag.code for flag in item.flags],
        "recommendation": None
        if advice is None
        else {
            "label": advice.label,
            "because": advice.because,
            "rule": advice.rule,
            "reason": advice.reason,
        },
        "tiebreak": item.tiebreak,
        "estimates": estimates_document(item) if estimated else None,
    }


def estimates_document(item: RankedItem) -> dict[str, Any]:
    """An item's estimated fields: the combined value, range, agreement and each estimate."""
    out = {}
    for name, estimated in item.estimates.items():
        c = estimated.combined
        out[name] = {
            "combined": contract_value(c.value),
            "min": contract_value(c.low),
            "max": contract_value(c.high),
            "n": c.n,
            "agreement": c.agreement,
            "spread": float(c.spread),
            "threshold": None if c.threshold is None else float(c.threshold),
            "estimates": [
                {
                    "estimator": e.estimator,
                    "file": e.file,
                    "line": e.line,
                    "value": contract_value(e.value),
                }
                for e in c.estimates
            ],
        }
    return out


def contract_value(value: Any) -> Any:
    """A raw value as the contract types it (a number is a float, a date's day number too)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # a YAML integer of hundreds of digits, as a category
            return str(value)
    return str(value)


def _top(ranking: Ranking, top: int | None) -> dict[str, int] | None:
    if top is None:
        return None
    shown = len(ranking.items[:top])
    return {"shown": shown, "total": len(ranking.items), "tied_beyond": tied_beyond(ranking, top)}


def ranking_document(ranking: Ranking, run: RunInfo, top: int | None = None) -> dict[str, Any]:
    """The `rank -f json` document of a ranking (the first `top` items), whole."""
    document = _head(ranking, run)
    estimated = ranking.estimated is not None
    document["ranking"] = [_item(item, estimated) for item in ranking.items[:top]]
    document["top"] = _top(ranking, top)
    return document


def ranking_chunks(ranking: Ranking, run: RunInfo, top: int | None = None) -> Iterator[str]:
    """`document_text(ranking_document(...))`, written one item at a time."""
    head = document_text({**_head(ranking, run), "ranking": [None]})
    before, _, _ = head.rpartition('"ranking": [')
    items = ranking.items[:top]
    if not items:
        yield before + '"ranking": [],\n'
    else:
        yield before + '"ranking": [\n'
        last = len(items) - 1
        estimated = ranking.estimated is not None
        for n, item in enumerate(items):
            text = document_text(_item(item, estimated)).rstrip("\n").replace("\n", "\n    ")
            yield "    " + text + (",\n" if n < last else "\n")
        yield "  ],\n"
    tail = document_text({"top": _top(ranking, top)})
    yield "  " + tail[2:].lstrip()


def ranking_rows(ranking: Ranking, top: int | None = None) -> list[list[str]]:
    """The ranking as spreadsheet rows, header first: what `rank -f csv` writes and what
    `check --expect` compares. Text that a spreadsheet would run as a formula is escaped."""
    header = ["rank", "integration", "score"]
    for c in ranking.criteria:
        header += [c.id, f"{c.id}_points"]
    header += ["requesters", "flags"]
    if ranking.has_rules:
        header.append("recommendation")
    if ranking.tiebreak:
        header.append("tiebreak")
    rows = [header]
    ids = [c.id for c in ranking.criteria]
    shown: dict[Any, str] = {}  # a value's cell: few distinct points, scores and values
    known = shown.get
    for item in ranking.items[:top]:
        row = [str(item.rank), spreadsheet_safe(item.integration), _cached_cell(item.score, shown)]
        criteria = item.criteria
        for cid in ids:
            score = criteria[cid]
            # The cache looked up in line: this runs for every criterion of every item.
            value, points = score.value, score.points
            row.append(known((value.__class__, value)) or _cached_cell(value, shown))
            row.append(known((points.__class__, points)) or _cached_cell(points, shown))
        flags = " ".join([flag.code for flag in item.flags]) if item.flags else ""
        row += [str(item.requester_count()), spreadsheet_safe(flags)]
        if ranking.has_rules:
            advice = item.recommendation
            row.append(spreadsheet_safe(advice.label) if advice else "")
        if ranking.tiebreak:
            row.append(item.tiebreak or "")
        rows.append(row)
    return rows


def _cached_cell(value: Any, shown: dict[Any, str]) -> str:
    # Keyed by type too: in a dict, 1 == 1.0 == True.
    key = (value.__class__, value)
    cell = shown.get(key)
    if cell is None:
        cell = shown[key] = _cell(value)
    return cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return plain_number(float(value))
    return spreadsheet_safe(str(value))
