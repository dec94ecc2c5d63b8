"""Score formulas such as `reach * impact * confidence / effort`, parsed once and evaluated
safely: Python's parser builds the syntax tree, and only a whitelist of nodes is accepted —
numbers, criterion ids, + - * / **, unary minus, and calls to min max log sqrt abs. The tree
is compiled to nested closures; nothing is ever passed to eval or exec.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping

__all__ = ["Formula", "FormulaError", "compile_formula"]

MAX_LENGTH = 2000
MAX_EXPONENT = 1000.0

Evaluator = Callable[[Mapping[str, float]], float]

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _power(a: float, b: float) -> float:
    if abs(b) > MAX_EXPONENT:
        raise OverflowError("exponent too large")
    result: float | complex = a**b
    if isinstance(result, complex):
        raise ValueError("a negative number to a fractional power")
    return float(result)


def _log(x: float, base: float | None = None) -> float:
    if x <= 0:
        raise ValueError(f"log of {x:g}")
    return math.log(x) if base is None else math.log(x, base)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt of {x:g}")
    return math.sqrt(x)


# name -> (function, fewest arguments, most arguments or None for any)
FUNCTIONS: dict[str, tuple[Callable[..., float], int, int | None]] = {
    "min": (min, 2, None),
    "max": (max, 2, None),
    "log": (_log, 1, 2),
    "sqrt": (_sqrt, 1, 1),
    "abs": (abs, 1, 1),
}


class FormulaError(ValueError):
    """A formula that cannot be used, with a message for the config error."""


class Formula:
    """A checked formula over criterion ids; call it with each criterion's points."""

    def __init__(self, text: str, evaluate: Evaluator, names: frozenset[str]):
        self.text = text
        self.names = names
        self._evaluate = evaluate

    def __call__(self, points: Mapping[str, float]) -> float:
        """The formula's value; raises ArithmeticError or ValueError for math errors
        (division by zero, log of 0, overflow), which the engine turns into a flag."""
        value = float(self._evaluate(points))
        if not math.isfinite(value):
            raise OverflowError("the result is not a finite number")
        return value


def compile_formula(text: str, criteria: set[str]) -> Formula:
    """Parse and check `text`; FormulaError names the first problem found."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise FormulaError("formula is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"syntax error{where}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula is nested too deeply") from None
    names: set[str] = set()
    try:
        evaluate = _compile(tree.body, criteria, names)
    except RecursionError:
        raise FormulaError("formula is nested too deeply") from None
    return Formula(text, evaluate, frozenset(names))


def _compile(node: ast.AST, criteria: set[str], names: set[str]) -> Evaluator:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"{value!r} is not a number")
        number = float(value)
        return lambda _: number
    if isinstance(node, ast.Name):
        name = node.id
        if name not in criteria:
            if name in FUNCTIONS:
                raise FormulaError(f"'{name}' is a function: call it as {name}(...)")
            known = ", ".join(sorted(criteria))
            raise FormulaError(f"unknown name '{name}' (criteria: {known})")
        names.add(name)
        return lambda points: points[name]
    if isinstance(node, ast.BinOp):
        left = _compile(node.left, criteria, names)
        right = _compile(node.right, criteria, names)
        if isinstance(node.op, ast.Pow):
            return lambda p: _power(left(p), right(p))
        op = _BINARY.get(type(node.op))
        if op is None:
            raise FormulaError(f"operator {_symbol(node.op)} is not allowed (use + - * / **)")
        return lambda p: op(left(p), right(p))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _compile(node.operand, criteria, names)
        if isinstance(node.op, ast.USub):
            return lambda p: -operand(p)
        return operand
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = ast.unparse(node.func)
            raise FormulaError(
                f"'{called}' is not an allowed function (allowed: {', '.join(FUNCTIONS)})"
            )
        if node.keywords:
            raise FormulaError(f"{node.func.id}() takes no keyword arguments")
        function, fewest, most = FUNCTIONS[node.func.id]
        count = len(node.args)
        if count < fewest or (most is not None and count > most):
            wanted = (
                f"at least {fewest}"
                if most is None
                else (f"{fewest}" if fewest == most else f"{fewest} or {most}")
            )
            raise FormulaError(
                f"{node.func.id}() takes {wanted} argument{'s' * (wanted != '1')}, not {count}"
            )
        args = [_compile(a, criteria, names) for a in node.args]
        return lambda p: function(*(a(p) for a in args))
    raise FormulaError(f"{_describe(node)} is not allowed in a formula")


def _symbol(op: ast.AST) -> str:
    symbols: dict[type[ast.AST], str] = {
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.MatMult: "@",
        ast.BitAnd: "&",
    }
    return symbols.get(type(op), type(op).__name__)


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.Lambda: "lambda",
        ast.IfExp: "if/else",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a mapping",
        ast.Starred: "*args",
    }
    kind = kinds.get(type(node), type(node).__name__)
    try:
        return f"{kind} ({ast.unparse(node)})"
    except Exception:  # pragma: no cover - unparse of an odd node
        return kind
