"""Write the generated reference pages: docs/check-rules.md (from the rule registry) and
docs/json-contracts.md and docs/json-schemas/ (the documents intscore writes: each field, and
their JSON Schemas). A test fails when the committed pages differ from what this writes.

    python scripts/write_docs.py
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

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


# (command, model in intscore.render.contracts, schema file stem, what the document is)
CONTRACTS = [
    (
        "rank -f json",
        "RankingDocument",
        "rank",
        "Every integration with its rank, score and per-criterion breakdown. An item's "
        "`contribution`s add up to its score. A score that cannot be computed (a formula "
        "dividing by zero) is `null`, with a flag, and ranks last. With `--top N`, `ranking` "
        "holds the first N and `top` says what was left out.",
    ),
    (
        "check -f json",
        "FindingsDocument",
        "check",
        "The config the data were checked with, the inputs, every finding and a summary. "
        "`check` exits 1 when `summary.errors` is above 0 (or, with `--strict`, any finding).",
    ),
    (
        "check --rules -f json",
        "RulesDocument",
        "check-rules",
        "Every rule `check` runs, with its default level (a list, not an object).",
    ),
    (
        "explain NAME -f json",
        "ExplanationDocument",
        "explain",
        "One integration: each criterion's value and how it came about, its points and "
        "contribution, the tiebreaks around it, the requester whose loss would cost the most, "
        "and what would lift it past the integration above.",
    ),
    (
        "explain NAME --vs OTHER -f json",
        "VersusDocument",
        "explain-vs",
        "Two integrations side by side, criterion by criterion: where their difference in "
        "score comes from.",
    ),
    (
        "diff -f json",
        "DiffDocument",
        "diff",
        "Both sides' config and inputs, the config edits, and every integration with its old "
        "and new rank and score (`null` where it is absent on a side), ordered by new rank, "
        "with `why` it moved.",
    ),
    (
        "sensitivity -f json",
        "SensitivityDocument",
        "sensitivity",
        "How each integration's rank moves when the weights (or the data) wobble: rank ranges "
        "and the share of runs that put it in the top K.",
    ),
    (
        "matrix -f json",
        "MatrixDocument",
        "matrix",
        "Each integration on the value-vs-effort chart and its quadrant.",
    ),
    (
        "plan -f json",
        "PlanDocument",
        "plan",
        "What to build and what to buy within the capacity (docs/plans.md): the hours used and "
        "left, the value covered, what is left out and how many more hours each would need, "
        "and the greedy plan it beats. With `--vary`, each integration's share of the plans "
        "made under sensitivity's runs.",
    ),
]

SCHEMAS = "docs/json-schemas"


def _model(name: str) -> Any:
    from intscore.render import contracts

    return getattr(contracts, name)


def _type_text(annotation: Any) -> str:
    """A field's type in words: `integer`, `list of string`, `number or null`."""
    from pydantic import BaseModel

    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " or ".join(f"`{json.dumps(a)}`" for a in args)
    if origin in (Union, types.UnionType):
        words = [_type_text(a) for a in args]
        return ", ".join(words[:-1]) + " or " + words[-1]
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if origin is dict:
        return f"object: key → {_type_text(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    names = {int: "integer", float: "number", str: "string", bool: "boolean", type(None): "null"}
    return names[annotation]


def _nested(annotation: Any, path: str) -> list[tuple[Any, str]]:
    """The models inside a field's type, with the path their fields are under."""
    from pydantic import BaseModel

    origin, args = get_origin(annotation), get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, path)]
    if origin is list:
        return _nested(args[0], f"{path}[]")
    if origin is dict:
        return _nested(args[1], f"{path}.*")
    return [found for a in args for found in _nested(a, path)]


def field_rows(model: Any, prefix: str = "") -> list[tuple[str, str, str]]:
    """(path, type, meaning) of every field of a document, nested fields after their parent."""
    from pydantic import RootModel

    rows = []
    for name, info in model.model_fields.items():
        if not info.description:
            raise ValueError(f"{model.__name__}.{name} has no description")
        path = f"{prefix}.{name}" if prefix else name
        if issubclass(model, RootModel):  # a document that is a list (check --rules)
            path = "[]"
            rows.append((path, _type_text(info.annotation), info.description))
            rows += [row for sub, p in _nested(info.annotation, "") for row in field_rows(sub, p)]
            continue
        rows.append((path, _type_text(info.annotation), info.description))
        if get_origin(info.annotation) is dict:  # an object keyed by data: what each value is
            value = get_args(info.annotation)[1]
            rows.append((f"{path}.*", _type_text(value), (value.__doc__ or "").strip()))
        for sub, sub_path in _nested(info.annotation, path):
            rows += field_rows(sub, sub_path)
    return rows


def schema_text(model_name: str) -> str:
    schema = _model(model_name).model_json_schema(mode="serialization")
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def json_contracts() -> str:
    lines = [
        "# JSON contracts",
        "",
        "Every `-f json` output of intscore is a stable contract: within `version: 1`, fields",
        "are added, never renamed or removed. Each is a pydantic model in",
        "`src/intscore/render/contracts.py`, where every field is described; this page and the",
        f"JSON Schemas in [`{SCHEMAS}/`](json-schemas/) are generated from the models by",
        "`python scripts/write_docs.py`, and a test checks every `-f json` output of every",
        "command on the examples against its model and this page.",
        "",
        "A field's path: `a.b` is the key `b` of the object `a`, `a[]` each item of the list",
        "`a`, `a.*` each value of an object keyed by data (a criterion id). Numbers are JSON",
        "numbers (`40.0` and `40` alike); scores carry full precision (rounded to 9 decimals).",
        "",
    ]
    lines += [f"- [`intscore {command}`](#{_anchor(command)})" for command, *_ in CONTRACTS]
    lines.append("")
    for command, model, stem, prose in CONTRACTS:
        lines += [
            f"## `intscore {command}`",
            "",
            prose,
            "",
            f"JSON Schema: [`{stem}.schema.json`](json-schemas/{stem}.schema.json).",
            "",
            "| field | type | meaning |",
            "|---|---|---|",
        ]
        for path, kind, meaning in field_rows(_model(model)):
            meaning = meaning.replace("|", "\\|")
            lines.append(f"| `{path}` | {kind} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def _anchor(command: str) -> str:
    """GitHub's heading anchor of `## \\`intscore COMMAND\\``."""
    text = f"intscore {command}".lower()
    return "".join(c for c in text if c.isalnum() or c in " -_").replace(" ", "-")


PAGES: dict[str, Callable[[], str]] = {
    "docs/check-rules.md": check_rules,
    "docs/json-contracts.md": json_contracts,
}
for _, _model_name, _stem, _ in CONTRACTS:
    PAGES[f"{SCHEMAS}/{_stem}.schema.json"] = partial(schema_text, _model_name)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    for name, build in PAGES.items():
        (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / name).write_text(build(), encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
