"""`intscore check`: lint rules over a backlog and its scoring model.

Every rule is declared once, with its id, default level and summary, in `problems.RULES`. The
engine and the readers report the findings they meet on the way (a bad value, a blank
account, a future date) under those ids; the modules here implement the rules that look at
the ranking as a whole, one module per group: `values` (an integration's values), `names`
(near-duplicate names), `committed` (a stale committed ranking), `config` (the model alone),
`relative` (relative estimates with no smallest item), `plan` (what a plan cannot build or
buy), `estimates` (estimates from several people).
Each implementation is a function of the `CheckContext` that yields findings. Pure: no files,
no printing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...problems import RULES, Finding, Severity
from . import committed, config, estimates, names, plan, relative, values
from .context import CheckContext, CheckResult, engine_findings, implementations

__all__ = ["CONFIG_RULES", "CheckContext", "CheckResult", "run_rules"]

CONFIG_RULES = config.RULES  # rules that look at the config alone
# Each registers its rules on import.
_MODULES = (committed, config, estimates, names, plan, relative, values)


def run_rules(
    context: CheckContext,
    ignore: Iterable[str] = (),
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every rule's findings (but the ignored ones, the config's and these), with the level
    the config sets for the rule, else the finding's own, else the rule's default; sorted. A
    rule without an implementation reports what the engine and the readers found."""
    model = context.config.model
    skipped = {*model.ignore, *ignore}
    chosen = set(RULES) if only is None else set(only)
    implemented = implementations()
    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.id in skipped or rule.id not in chosen:
            continue
        found = implemented.get(rule.id, engine_findings(rule.id))(context)
        level = model.severity.get(rule.id)
        for f in found:  # (a new Finding, not dataclasses.replace: 50,000 findings at 20k)
            severity: Severity = level or f.severity or rule.severity  # type: ignore[assignment]
            findings.append(Finding(f.file, f.line, rule.id, f.message, f.field, severity))
    return sorted(findings, key=Finding.sort_key)
