"""The layering that docs/architecture.md promises, checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "intscore"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
FACES = {"__main__.py", "entry.py", "public.py"}  # with cli/: the CLI and the Python API

# The stages, lowest first: a module imports only from its own stage or the ones below.
STAGES = ["foundation", "read", "model", "engine", "analyses", "commands", "render", "faces"]


def stage_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if parts[0] == "cli":
        return "faces"
    if len(parts) > 1:
        return parts[0]
    if path.name in FACES or path.name == "__init__.py":
        return "faces"
    if path.name == "commands.py":
        return "commands"
    return "foundation"


def imports(path: Path, runtime_only: bool = False) -> set[str]:
    """Every module a file imports, as absolute names (relative imports resolved); with
    `runtime_only`, leaving out imports under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["intscore", *path.relative_to(PACKAGE).parent.parts]
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def is_render(path: Path) -> bool:
    return relative(path).startswith("render/")


def module_path(name: str) -> Path | None:
    """The file of an `intscore.…` module name (None: not a module, e.g. a class)."""
    parts = name.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"), PACKAGE.joinpath(*parts)):
        if candidate.is_file():
            return candidate
        if (candidate / "__init__.py").is_file():
            return candidate / "__init__.py"
    return None


def test_each_stage_imports_only_the_stages_below_it():
    climbing = []
    for path in MODULES:
        mine = STAGES.index(stage_of(path))
        for name in imports(path):
            if not name.startswith("intscore.") or (target := module_path(name)) is None:
                continue
            theirs = STAGES.index(stage_of(target))
            if theirs > mine:
                climbing.append(f"{relative(path)} imports {relative(target)}")
    assert sorted(set(climbing)) == []


def test_only_the_cli_and_renderers_use_typer_rich_or_renderers():
    offenders = []
    for path in MODULES:
        if stage_of(path) == "faces" or is_render(path):
            continue
        for name in imports(path):
            if name.split(".")[0] in ("typer", "rich") or name.startswith("intscore.render"):
                offenders.append(f"{relative(path)} imports {name}")
    assert offenders == []


def test_renderers_never_import_the_cli_or_typer():
    for path in MODULES:
        if is_render(path):
            names = imports(path)
            assert not any(n.startswith(("typer", "intscore.cli")) for n in names), path


def test_the_engine_and_the_model_open_no_file():
    for path in [*(PACKAGE / "engine").glob("*.py"), *(PACKAGE / "model").glob("*.py")]:
        if path.name in ("loading.py", "cache.py", "catalog.py"):  # they read config files
            continue
        names = imports(path)
        bad = {n for n in names if n.startswith(("intscore.read.files", "os", "pathlib"))}
        if not path.name.startswith("duckdb_"):  # DuckDB reads the one big CSV file itself
            assert bad == set(), path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert "open" not in calls or path.name.startswith("duckdb_"), path


def test_points_are_computed_in_one_module():
    """Raw value -> points lives in scorers.py; no other module re-implements a scorer."""
    pattern = re.compile(r"lower_is_better|bisect_right\(.*min|CategoryMatcher\((c|criterion)\.map")
    offenders = [
        relative(p)
        for p in MODULES
        if p.name not in ("scorers.py", "schema_criteria.py", "compiled.py")
        and pattern.search(p.read_text())
    ]
    assert offenders == []


def test_the_weighted_score_is_written_once():
    """100 × Σ weight × points / Σ weight × max points: one function in Python."""
    pattern = re.compile(r"100(\.0)? \* .*weight")
    found = [relative(p) for p in MODULES if pattern.search(p.read_text())]
    assert found == ["model/weighted.py"]


def test_every_module_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [relative(p) for p in MODULES if f"`{relative(p)}`" not in text]
    assert missing == []


def test_every_package_says_what_it_is():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 1, init


def test_no_source_cites_a_document_the_repository_does_not_hold():
    for path in MODULES:
        assert not re.search(r"\bSPEC\b|shared/spec", path.read_text()), path


BRANCHES = (ast.If, ast.For, ast.While, ast.IfExp, ast.ExceptHandler, ast.AsyncFor, ast.match_case)


def _complexity(function: ast.AST) -> int:
    count = 1
    for node in ast.walk(function):
        if isinstance(node, BRANCHES):
            count += 1
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
    return count


def test_rooms_a_person_can_hold_in_their_head():
    """No module over 500 lines, no function over cyclomatic complexity 25."""
    too_big = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 500:
            too_big.append(f"{relative(path)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if is_function and (c := _complexity(node)) > 25:
                too_big.append(f"{relative(path)}:{node.lineno} {node.name}: {c}")
    assert too_big == []
