"""Findings of `check` as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Finding
from ..text import safe_text

if TYPE_CHECKING:
    from ..analyses.check import CheckResult
    from ..problems import Rule

__all__ = ["FORMATS", "render_findings", "render_rules", "summary_line"]

FORMATS = ("auto", "text", "json", "github")


def render_findings(result: CheckResult, fmt: str, on_github: bool = False) -> str:
    """`check`'s findings in one of FORMATS; `auto` is github on GitHub Actions, else text.
    Every format names the config the data were checked with."""
    if fmt == "auto":
        fmt = "github" if on_github else "text"
    if fmt == "json":
        from ..analyses.documents import findings_document
        from ..engine.documents import document_text

        return document_text(findings_document(result))
    if fmt == "github":
        return _github(result)
    return _text(result)


def render_rules(rules: list[Rule], fmt: str) -> str:
    """`check --rules`: every rule with its default level and what it finds."""
    if fmt == "json":
        from ..analyses.documents import rules_document
        from ..engine.documents import document_text

        return document_text(rules_document(rules))
    width = max(len(r.id) for r in rules)
    lines = [f"{r.id:<{width}}  {r.severity:<7}  {r.summary}" for r in rules]
    return "\n".join(lines) + "\n"


def _line(f: Finding) -> str:
    return safe_text(f"{f.location}: {f.severity}: {f.text} [{f.rule}]")


def summary_line(result: CheckResult) -> str:
    """'2 errors and 1 warning (1 file, 15 rows) · config: scoring.yaml'."""
    findings, files, rows = result.findings, result.files, result.rows
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    checked = f"{files} file{'s' * (files != 1)}, {rows} row{'s' * (rows != 1)}"
    if not findings:
        text = f"no problems ({checked})"
    else:
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' * (errors != 1)}")
        if warnings:
            parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
        text = f"{' and '.join(parts)} ({checked})"
    if result.run is not None:
        text += f" · config: {result.run.config_source}"
    if result.configs:
        text += f" · linted as configs: {', '.join(result.configs)}"
    return safe_text(text)


def _text(result: CheckResult) -> str:
    """`file:line: severity: message [rule]`, one a line, then a summary."""
    lines = [_line(f) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(result: CheckResult) -> str:
    """Workflow annotations, then the plain list (runners show only the first annotations)."""
    lines = []
    for f in result.findings:
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.rule)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.text)}")
    return "\n".join(lines) + ("\n" if lines else "") + _text(result)
