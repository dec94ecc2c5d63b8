"""Findings of `check` as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

from ..problems import Finding
from ..text import safe_text

__all__ = ["FORMATS", "render_findings", "summary_line"]

FORMATS = ("auto", "text", "json", "github")


def render_findings(
    findings: list[Finding], fmt: str, files: int, rows: int, on_github: bool = False
) -> str:
    """`check`'s findings in one of FORMATS; `auto` is github on GitHub Actions, else text."""
    if fmt == "auto":
        fmt = "github" if on_github else "text"
    if fmt == "json":
        from .documents import findings_document

        return findings_document(findings).text()
    if fmt == "github":
        return _github(findings, files, rows)
    return _text(findings, files, rows)


def _line(f: Finding) -> str:
    return safe_text(f"{f.location}: {f.severity}: {f.text} [{f.rule}]")


def summary_line(findings: list[Finding], files: int, rows: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    checked = f"{files} file{'s' * (files != 1)}, {rows} row{'s' * (rows != 1)}"
    if not findings:
        return f"no problems ({checked})"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{' and '.join(parts)} ({checked})"


def _text(findings: list[Finding], files: int, rows: int) -> str:
    """`file:line: severity: message [rule]`, one a line, then a summary."""
    lines = [_line(f) for f in findings]
    lines.append(summary_line(findings, files, rows))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(findings: list[Finding], files: int, rows: int) -> str:
    """Workflow annotations, then the plain list (runners show only the first annotations)."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.rule)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.text)}")
    return "\n".join(lines) + ("\n" if lines else "") + _text(findings, files, rows)
