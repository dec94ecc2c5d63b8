"""Findings of `check` as text, JSON, GitHub workflow annotations or SARIF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import CHECK_FORMATS
from ..problems import Finding
from ..text import safe_text
from .console import PLAIN, Screen, rich_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses.check import CheckResult
    from ..problems import Rule

__all__ = [
    "FORMATS",
    "counts_text",
    "finding_line",
    "render_findings",
    "render_rules",
    "summary_line",
    "workflow_command",
]

FORMATS = CHECK_FORMATS


def render_findings(
    result: CheckResult, fmt: str, on_github: bool = False, screen: Screen = PLAIN
) -> str:
    """`check`'s findings in one of FORMATS; `auto` is github on GitHub Actions, else text
    (coloured when `screen` has colours). Every format names the config the data were
    checked with."""
    if fmt == "auto":
        fmt = "github" if on_github else "text"
    if fmt == "json":
        from ..analyses.documents import findings_document
        from ..engine.documents import document_text

        return document_text(findings_document(result))
    if fmt == "github":
        return _github(result)
    if fmt == "sarif":
        return _sarif(result)
    if screen.color_system is not None:
        return rich_text(lambda console: _draw_text(console, result), screen)
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


def finding_line(f: Finding) -> str:
    """`file:line: severity: message [rule]`, the text format's line for one finding."""
    return safe_text(f"{f.location}: {f.severity}: {f.text} [{f.rule}]")


def summary_line(result: CheckResult) -> str:
    """'2 errors and 1 warning (1 file, 15 rows) · config: scoring.yaml'."""
    errors, warnings = result.counts()
    text = counts_text(errors, warnings, result.files, result.rows)
    if result.run is not None:
        text += f" · config: {result.run.config_source}"
    if result.configs:
        text += f" · linted as configs: {', '.join(result.configs)}"
    return safe_text(text)


def counts_text(errors: int, warnings: int, files: int, rows: int) -> str:
    """'2 errors and 1 warning (1 file, 15 rows)', or 'no problems (1 file, 15 rows)'."""
    checked = f"{files} file{'s' * (files != 1)}, {rows} row{'s' * (rows != 1)}"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{' and '.join(parts) or 'no problems'} ({checked})"


def _text(result: CheckResult) -> str:
    """`file:line: severity: message [rule]`, one a line, then a summary."""
    lines = [finding_line(f) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


_STYLES = {"error": "bold red", "warning": "yellow"}


def _draw_text(console: Console, result: CheckResult) -> None:
    """The text list in colour: the same characters as `_text`, styled."""
    from rich.text import Text

    for f in result.findings:
        line = Text()
        line.append(safe_text(f.location), style="bold")
        line.append(": ")
        line.append(f.severity, style=_STYLES.get(f.severity, ""))
        line.append(safe_text(f": {f.text} "))
        line.append(safe_text(f"[{f.rule}]"), style="dim")
        console.print(line)
    console.print(Text(summary_line(result), style="bold"))


def _escape_data(text: str) -> str:
    """Workflow-command data: `%` as `%25`, line breaks as `%0D`/`%0A` (GitHub shows them),
    any other control or invisible character as an escape (`safe_text`)."""
    return safe_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    kind: str,
    message: str,
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """A GitHub workflow command (`::error file=F,line=N,title=T::message`), escaped so that
    no text can end it early or forge another one."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"{kind} {','.join(props)}" if props else kind
    return f"::{head}::{_escape_data(message)}"


def _github(result: CheckResult) -> str:
    """Workflow annotations, then the plain list (runners show only the first annotations)."""
    lines = [workflow_command(f.severity, f.text, f.file, f.line, f.rule) for f in result.findings]
    return "\n".join(lines) + ("\n" if lines else "") + _text(result)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HOME = "https://github.com/intscore/intscore"
# Findings of these ids come from no rule of the registry: a config that cannot load, usage.
_OTHER_RULES = {
    "config": ("error", "a scoring model that cannot be loaded"),
    "usage": ("error", "a command that cannot run as given"),
}


def _artifact_uri(path: str) -> str:
    """A file as a SARIF artifact URI: relative paths stay relative (to the checkout, as code
    scanning reads them), with `/` separators and percent-escapes."""
    from pathlib import Path, PurePath
    from urllib.parse import quote

    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return quote(PurePath(path).as_posix(), safe="/")


def _sarif_rules(result: CheckResult) -> list[tuple[str, str, str]]:
    """(id, default level, summary) of every rule of the registry, then of any other id the
    findings use."""
    from ..problems import RULES

    rules: list[tuple[str, str, str]] = [(r.id, r.severity, r.summary) for r in RULES.values()]
    known = {r[0] for r in rules}
    for f in result.findings:
        if f.rule not in known:
            level, summary = _OTHER_RULES.get(f.rule, (f.severity, f.rule))
            rules.append((f.rule, level, summary))
            known.add(f.rule)
    return rules


def _sarif_result(f: Finding, index: int) -> dict[str, object]:
    out: dict[str, object] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": f.severity,
        "message": {"text": safe_text(f.text)},
    }
    if f.file and not f.file.startswith("<"):  # <stdin>, <rows>: no file to point at
        location: dict[str, object] = {"artifactLocation": {"uri": _artifact_uri(f.file)}}
        if f.line:
            location["region"] = {"startLine": f.line}
        out["locations"] = [{"physicalLocation": location}]
    return out


def _sarif(result: CheckResult) -> str:
    """SARIF 2.1.0, as code-scanning tools read it: one run, the rules in tool.driver, one
    result per finding located by file and line."""
    import json

    from .. import __version__

    rules = _sarif_rules(result)
    index = {rule_id: i for i, (rule_id, _, _) in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "intscore",
                "version": __version__,
                "informationUri": HOME,
                "rules": [
                    {
                        "id": rule_id,
                        "name": rule_id,
                        "shortDescription": {"text": summary},
                        "defaultConfiguration": {"level": level},
                        "helpUri": f"{HOME}/blob/main/docs/check-rules.md",
                    }
                    for rule_id, level, summary in rules
                ],
            }
        },
        "results": [_sarif_result(f, index[f.rule]) for f in result.findings],
    }
    if result.run is not None:
        run["properties"] = {
            "config": safe_text(result.run.config_source),
            "configSha256": result.run.config_sha256,
        }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
