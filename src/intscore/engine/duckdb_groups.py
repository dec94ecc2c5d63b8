"""What the DuckDB pass gathers per integration once requesters are grouped in SQL: each
criterion's requesters counted by the values its aggregate needs (`Counted`, aggregated by
model/aggregates.py as the Python pass's requesters are), attribute values with their first
row, and the facts the recommendation rules test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..matching import category_key
from ..model.aggregates import Counted
from ..model.compiled import Criterion
from .groups import Group, Summary
from .ranking import CountedRequesters, SeenValue

if TYPE_CHECKING:
    from .duckdb_pass import _Pass

__all__ = ["attributes", "facts", "summaries"]


def summaries(p: _Pass, keys: list[str], groups: dict[str, Group]) -> None:
    """Per integration: its number of requesters and, per criterion over requesters, its
    requesters counted by the values its aggregate needs (`Counted`)."""
    counted_by_group: list[dict[int, Counted]] = [{} for _ in keys]
    for ci, c in enumerate(p.model.criteria):
        if not c.over_requesters:
            continue
        nobody = Counted([], [], None, 0)  # shared: a Counted is never changed
        for per_group in counted_by_group:
            per_group[ci] = nobody
        if c.field and c.field not in p.column:
            continue  # no column: no requester has a value
        source = "jr" if c.over == "requests" else "req"  # every request, or each requester
        for k, found in counted(p, ci, c, source).items():
            counted_by_group[k][ci] = found
    count_of = dict(p.con.execute("SELECT k, count(*) FROM req GROUP BY k").fetchall())
    for k, key in enumerate(keys):
        groups[key].summary = Summary(CountedRequesters(count_of.get(k, 0)), counted_by_group[k])


def counted(p: _Pass, ci: int, c: Criterion, source: str = "req") -> dict[int, Counted]:
    """Per integration (group id): the values of the criterion's field — for a `count`,
    of its row weight's field and its decay's date — with how many requesters (`req`; over
    requests, requests: `jr`) in its segment have each, and how many have a value of its
    field at all. A `sum` of integers is summed in SQL, exactly (`math.fsum` of the values
    is this integer, rounded once to a float)."""
    if c.aggregate == "count":
        rw = c.row_weight
        by = [rw.field if rw else None, *([rw.decay.field] if rw and rw.decay else [])]
    else:
        by = [c.field]
    joins, where = _segment(p, ci, c)
    valued = with_value(p, c, source)
    out = {}
    if c.aggregate == "sum" and c.field in p.integral:
        column = p.column[c.field]
        found = p.con.execute(
            f"SELECT req.k, sum(CAST(mv.num AS HUGEINT)), count(*) FROM {source} AS req"
            f" JOIN m{column} AS mv ON req.{column} = mv.id{joins} {where} GROUP BY req.k"
        ).fetchall()
        for k, total, n in found:
            out[k] = Counted([float(total)], [1], None, n if valued is None else valued.get(k, 0))
    else:
        by_sql = [f"coalesce(req.{p.column[f]}, -1)" if f in p.column else "-1" for f in by]
        lists = ", ".join(f"list(v{i})" for i in range(len(by)))
        picked = ", ".join(f"{sql} AS v{i}" for i, sql in enumerate(by_sql))
        found = p.con.execute(
            f"SELECT k, {lists}, list(n) FROM (SELECT req.k, {picked}, count(*) AS n "
            f"FROM {source} AS req{joins} {where} GROUP BY ALL) GROUP BY k"
        ).fetchall()
        value_of = [[*(p.values[f] if f in p.column else ()), None] for f in by]
        for k, *ids, ns in found:
            days = list(map(value_of[1].__getitem__, ids[1])) if len(by) > 1 else None
            values = list(map(value_of[0].__getitem__, ids[0]))
            out[k] = Counted(values, ns, days, sum(ns) if valued is None else valued.get(k, 0))
    for k, n in (valued or {}).items():  # an empty segment: what the requesters have
        out.setdefault(k, Counted([], [], None, n))
    return out


def _segment(p: _Pass, ci: int, c: Criterion) -> tuple[str, str]:
    """(joins, WHERE clause) of the requesters a criterion counts: in its segment, with a
    value of its field."""
    joins, conditions = "", []
    for n, condition in enumerate(p.where.get(ci, [])):
        if condition[0] is not None:
            column = condition[0]
            joins += f" LEFT JOIN m{column} AS w{n} ON req.{column} = w{n}.id"
        conditions.append(p._holds(condition, f"w{n}"))
    if c.field:
        conditions.append(f"req.{p.column[c.field]} IS NOT NULL")
    return joins, f"WHERE {' AND '.join(conditions)}" if conditions else ""


def with_value(p: _Pass, c: Criterion, source: str = "req") -> dict[int, int] | None:
    """How many requesters (or requests) of each integration have a value of a segmented
    criterion's field (None: not segmented, so those counted are all of them)."""
    if not c.where or not c.field:
        return None
    column = p.column[c.field]
    sql = f"SELECT k, count(*) FROM {source} WHERE {column} IS NOT NULL GROUP BY k"
    return dict(p.con.execute(sql).fetchall())


def attributes(p: _Pass, keys: list[str], groups: dict[str, Group]) -> None:
    """Per integration attribute: each distinct value (by category) and its first row
    (in the criterion's segment, `where`, if it has one)."""
    model = p.model
    reads: list[tuple[str | None, int | None]] = [
        (model.criteria[ci].field, ci) for ci in model.attribute_criteria
    ]
    reads += [(name, None) for name in model.extra_attributes]  # the plan's: unsegmented
    for a, (field, ci) in enumerate(reads):
        if not field or field not in p.column:
            continue
        column = p.column[field]
        segment = f" AND in{ci}" if ci is not None and ci in p.where else ""
        found = p.con.execute(
            f"SELECT k, {column}, min(rn) FROM j WHERE {column} IS NOT NULL{segment} GROUP BY 1, 2"
        ).fetchall()
        found.sort(key=lambda r: r[2])
        values = p.values[field]
        ckeys = [category_key(value) for value in values]
        for k, value_id, rn in found:
            seen = groups[keys[k]].attributes[a]
            ckey = ckeys[value_id]
            if ckey not in seen:
                seen[ckey] = SeenValue(values[value_id], p.source, _line(rn), None)


def facts(p: _Pass, keys: list[str], groups: dict[str, Group]) -> None:
    """Per integration, the first value of each field the recommendation rules read."""
    for f in p.model.facts:
        if f not in p.column:
            continue
        column = p.column[f]
        found = p.con.execute(
            f"SELECT k, arg_min({column}, rn) FROM j WHERE {column} IS NOT NULL GROUP BY k"
        ).fetchall()
        for k, value_id in found:
            groups[keys[k]].facts[f] = p.values[f][value_id]


def _line(rn: int) -> int:
    """The line of the row at this position (checked: rows are lines, the header first)."""
    return rn + 2
