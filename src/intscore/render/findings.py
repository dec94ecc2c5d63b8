"""Findings of `check` as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

from ..problems import Finding
from .values import json_text, safe_text

__all__ = ["findings_github", "findings_json", "findings_text", "summary_line"]


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


def findings_text(findings: list[Finding], files: int, rows: int) -> str:
    """`file:line: severity: message [rule]`, one a line, then a summary."""
    lines = [_line(f) for f in findings]
    lines.append(summary_line(findings, files, rows))
    return "\n".join(lines) + "\n"


def findings_json(findings: list[Finding]) -> str:
    """A stable list of finding objects."""
    return json_text(
        [
            {
                "file": f.file,
                "line": f.line,
                "severity": f.severity,
                "rule": f.rule,
                "field": f.field,
                "message": f.message,
            }
            for f in findings
        ]
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def findings_github(findings: list[Finding], files: int, rows: int) -> str:
    """Workflow annotations, then the plain list (runners show only the first annotations)."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.rule)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.text)}")
    return "\n".join(lines) + ("\n" if lines else "") + findings_text(findings, files, rows)
