"""Write the generated reference pages: docs/check-rules.md (from the rule registry) and
docs/json-contracts.md (the JSON Schemas of the documents intscore writes). A test fails when
the committed pages differ from what this writes.

    python scripts/write_docs.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check_rules() -> str:
    from intscore.problems import RULES

    lines = [
        "# check rules",
        "",
        "Generated from the rule declarations (`src/intscore/problems.py`) by",
        "`python scripts/write_docs.py`; `intscore check --rules` prints the same list.",
        "",
        "Change a rule's level or leave it out in scoring.yaml:",
        "",
        "```yaml",
        "check:",
        "  ignore: [duplicate-request]        # vote logs repeat accounts on purpose",
        "  severity: {missing-value: error}   # raise or lower a rule's level",
        "```",
        "",
        "or for one run: `intscore check --ignore duplicate-request`. Errors fail `check`",
        "(exit 1); warnings do too with `--strict`. A config that cannot be loaded or a file",
        "that cannot be read is exit 2, reported under the rule `config` or `unreadable-file`.",
        "",
        "| rule | default level | finds |",
        "|---|---|---|",
    ]
    for rule in RULES.values():
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.severity} | {summary} |")
    return "\n".join(lines) + "\n"


CONTRACTS = [
    (
        "rank -f json",
        "RankingDocument",
        "Every integration with its rank, score and per-criterion breakdown (`value`, "
        "`points`, `max_points`, `weight`, `contribution` in score points: an item's "
        "contributions add up to its score). A score that cannot be computed (a formula "
        "dividing by zero) is `null`, with a flag, and ranks last. `tiebreak` names the "
        "criterion that put an item below one of equal score. With `--top`, `top` says what "
        "was left out.",
    ),
    (
        "diff -f json",
        "DiffDocument",
        "Both sides' config and inputs, the config edits, and every integration with its old "
        "and new rank and score (`null` where it is absent on a side), ordered by new rank, "
        "with `why` it moved.",
    ),
    (
        "check -f json",
        "FindingsDocument",
        "The config the data were checked with, the inputs, every finding (file, line, "
        "severity, rule, field, message) and a summary.",
    ),
]


def json_contracts() -> str:
    from intscore.render import contracts as documents

    lines = [
        "# JSON contracts",
        "",
        "The JSON documents intscore writes are stable contracts: fields are added, never",
        "renamed or removed, within `version: 1`. Each is a pydantic model in",
        "`src/intscore/render/contracts.py`; the schemas below are generated from them by",
        "`python scripts/write_docs.py` (a test keeps them current).",
        "",
    ]
    for command, model, prose in CONTRACTS:
        schema = getattr(documents, model).model_json_schema(mode="serialization")
        lines += [
            f"## `intscore {command}`",
            "",
            prose,
            "",
            "```json",
            json.dumps(schema, indent=2, ensure_ascii=False),
            "```",
            "",
        ]
    return "\n".join(lines)


PAGES = {"docs/check-rules.md": check_rules, "docs/json-contracts.md": json_contracts}


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    for name, build in PAGES.items():
        (ROOT / name).write_text(build(), encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
