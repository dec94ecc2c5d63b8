"""Exact mixed-integer linear programs, solved by HiGHS (the `highspy` package, installed with
`pip install 'intscore[plan]'`): the one place intscore talks to a solver. Imported only by
the commands that plan, so nothing else pays for the solver's start-up.

A program maximises (or minimises) a linear objective over bounded columns, some of them
integer, subject to rows `low ≤ Σ coefficient × column ≤ high`. The solve is exact: no gap is
tolerated between the best solution found and the proven bound (beyond float tolerances of
about 1e-9 of the objective's scale, which callers re-check in exact arithmetic).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .problems import IntscoreError

__all__ = ["INSTALL_HINT", "Infeasible", "Program", "solve", "solver_available"]

INSTALL_HINT = "planning needs the HiGHS solver: pip install 'intscore[plan]'"
INF = math.inf


class Infeasible(Exception):
    """No assignment satisfies every row and bound."""


@dataclass
class Program:
    """A mixed-integer linear program, built column by column and row by row."""

    maximize: bool = True
    costs: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[float, float, dict[int, float]]] = field(default_factory=list)

    def column(
        self, cost: float, lower: float = 0.0, upper: float = 1.0, integer: bool = True
    ) -> int:
        """A new column; its index."""
        self.costs.append(float(cost))
        self.lower.append(float(lower))
        self.upper.append(float(upper))
        self.integer.append(integer)
        return len(self.costs) - 1

    def row(self, terms: Mapping[int, float], low: float = -INF, high: float = INF) -> None:
        """`low ≤ Σ coefficient × column ≤ high` (terms: column -> coefficient)."""
        self.rows.append((float(low), float(high), {c: float(v) for c, v in terms.items() if v}))


def solver_available() -> bool:
    """Whether highspy can be imported."""
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


_SOLVER: list[Any] = []  # one HiGHS instance per process, made on first use


def _highs() -> Any:
    """The process's HiGHS instance, made quietly: HiGHS writes a banner to the process's
    standard output (file descriptor 1, under Python's own buffer) when it starts, which
    would land in the middle of a JSON document; it goes to the null device instead."""
    if _SOLVER:
        return _SOLVER[0]
    try:
        import highspy
    except ImportError:
        raise IntscoreError(INSTALL_HINT) from None
    sys.stdout.flush()
    saved = None
    try:
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:  # no descriptor 1 to borrow: let the banner go where it goes
        saved = None
    try:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)  # the same answer on every machine
    solver.setOptionValue("random_seed", 0)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 1e-9)
    solver.setOptionValue("mip_feasibility_tolerance", 1e-9)
    solver.setOptionValue("primal_feasibility_tolerance", 1e-9)
    _SOLVER.append(solver)
    return solver


def solve(program: Program, start: Sequence[float] | None = None) -> list[float]:
    """The optimal value of every column (integer columns rounded to integers); Infeasible
    when there is none. IntscoreError when the solver is missing or gives up. `start`: a
    feasible solution to start from (the solver then only has to beat it)."""
    import numpy as np

    highs = _highs()
    highs.clearModel()
    n = len(program.costs)
    if n == 0:
        return []
    sign = -1.0 if program.maximize else 1.0  # HiGHS minimises
    highs.addVars(n, np.array(program.lower), np.array(program.upper))
    indices = np.arange(n, dtype=np.int32)
    highs.changeColsCost(n, indices, np.array([sign * c for c in program.costs]))
    integer = np.array([1 if i else 0 for i in program.integer], dtype=np.uint8)
    if integer.any():
        highs.changeColsIntegrality(n, indices, integer)
    if program.rows:
        _add_rows(highs, program.rows, np)
    if start is not None:
        given = np.array(list(start) + [0.0] * (n - len(start)), dtype=np.float64)
        highs.setSolution(n, indices, given)
    highs.run()
    status = highs.getModelStatus()
    name = highs.modelStatusToString(status)
    if name == "Infeasible":
        raise Infeasible()
    if name != "Optimal":
        raise IntscoreError(f"the solver stopped without a proven optimum ({name})")
    values = list(highs.getSolution().col_value)
    return [
        float(round(v)) if whole else float(v)
        for v, whole in zip(values, program.integer, strict=True)
    ]


def _add_rows(highs: Any, rows: Sequence[tuple[float, float, dict[int, float]]], np: Any) -> None:
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    for _, _, terms in rows:
        starts.append(len(indices))
        indices.extend(terms)
        values.extend(terms.values())
    highs.addRows(
        len(rows),
        np.array([r[0] for r in rows]),
        np.array([r[1] for r in rows]),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )
