"""The layering that docs/architecture.md promises, checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "intscore"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
FACES = {"cli.py", "__main__.py", "entry.py", "public.py"}  # the CLI and the Python API


def imports(path: Path) -> set[str]:
    """Every module a file imports, as absolute names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["intscore", *path.relative_to(PACKAGE).parent.parts]
    found = set()
    for node in ast.walk(tree):
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


def test_only_the_cli_and_renderers_use_typer_rich_or_renderers():
    offenders = []
    for path in MODULES:
        if (path.name in FACES and path.parent == PACKAGE) or is_render(path):
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


def test_the_engine_imports_no_reader_and_no_file_access():
    for name in ("engine.py", "grouping.py", "scoring.py", "scorers.py", "rows.py"):
        names = imports(PACKAGE / name)
        bad = {n for n in names if n.startswith(("intscore.readers", "intscore.files", "os"))}
        assert bad == set(), name


def test_the_config_models_do_no_file_io():
    path = PACKAGE / "config.py"
    names = imports(path)
    assert not {n for n in names if n.split(".")[0] in ("os", "pathlib", "io", "subprocess")}
    assert not {n for n in names if n.startswith(("intscore.structured", "intscore.files"))}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "open" not in calls


def test_points_are_computed_in_one_module():
    """Raw value -> points lives in scorers.py; no other module re-implements a scorer."""
    pattern = re.compile(r"lower_is_better|bisect_right\(.*min|CategoryMatcher\((c|criterion)\.map")
    offenders = [
        relative(p)
        for p in MODULES
        if p.name not in ("scorers.py", "config.py") and pattern.search(p.read_text())
    ]
    assert offenders == []


def test_the_api_imports_no_renderer():
    assert not {n for n in imports(PACKAGE / "api.py") if n.startswith("intscore.render")}


def test_every_module_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [relative(p) for p in MODULES if f"`{relative(p)}`" not in text]
    assert missing == []


def test_no_source_cites_a_document_the_repository_does_not_hold():
    for path in MODULES:
        assert not re.search(r"\bSPEC\b|shared/spec", path.read_text()), path
