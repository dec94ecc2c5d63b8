"""The package as an index would publish it: license, metadata, one version, links that work
on the package page."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

import intscore
from conftest import ROOT, run

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
HOME = "https://github.com/intscore/intscore"


def test_the_license_file_is_the_mit_license_the_metadata_declares():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert importlib.metadata.metadata("intscore")["License-Expression"] == "MIT"


def test_the_version_is_written_once():
    project = PYPROJECT["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/intscore/__init__.py"
    literals = re.findall(
        r'__version__ = "([^"]+)"', (ROOT / "src/intscore/__init__.py").read_text()
    )
    assert literals == [intscore.__version__]
    assert importlib.metadata.version("intscore") == intscore.__version__
    assert run("--version").stdout == f"intscore {intscore.__version__}\n"


def test_classifiers_and_project_urls():
    metadata = importlib.metadata.metadata("intscore")
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert urls["Source"] == HOME and urls["Issues"] == f"{HOME}/issues"
    assert urls["Changelog"] == f"{HOME}/blob/main/CHANGELOG.md"


def test_readme_links_are_absolute_so_they_work_on_the_package_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", readme)
    assert len(targets) > 10
    relative = [t for t in targets if not t.startswith(("https://", "#"))]
    assert relative == []
    for target in targets:  # each absolute link names a file this repository has
        for prefix in (
            f"{HOME}/blob/main/",
            "https://raw.githubusercontent.com/intscore/intscore/main/",
        ):
            if target.startswith(prefix):
                path, _, anchor = target.removeprefix(prefix).partition("#")
                assert (ROOT / path).is_file(), target
                if anchor:  # a heading of that file, as GitHub spells its anchor
                    headings = re.findall(r"^#+ (.+)$", (ROOT / path).read_text("utf-8"), re.M)
                    anchors = {
                        re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                        for h in headings
                    }
                    assert anchor in anchors, target


def test_changelog_and_contributing_exist():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n") and "\n## Unreleased\n" in changelog
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "make test" in contributing and "scripts/test-lowest" in contributing
