"""`intscore init --from FILE`: a scoring.yaml written for an export's own headers. Pure: the
table as the reader gives it (its header and a sample of rows) in, the config's text out.

The fields are found by `infer_columns` (header words, confirmed by the values). Only criteria
the file can feed are written, with the built-in model's bands and weights: demand (weighted
by a stage only where the stage says customer / prospect / trial / lead), the account's size
from ARR (or MRR, its bands scaled by 1/12) as a fact of the account (`per: account`), the
pipeline of deal amounts over every request (`over: requests`), and a difficulty. Every other
column is named in a comment, so nothing in the export is silently ignored; what could not be
decided is a `# TODO:` line, and `Inferred.todos` names each with its line for the CLI to
say on stderr.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath as Path
from typing import TYPE_CHECKING, Any

from ..numbers import plain_number
from ..text import yaml_scalar
from .infer_columns import Found, find_columns

if TYPE_CHECKING:
    from ..model.compiled import Criterion, Model

__all__ = ["Inferred", "infer_config"]

MONTHS_A_YEAR = 12  # MRR bands are the ARR bands over this


@dataclass(frozen=True)
class Inferred:
    """What was found: field -> header, the split mark, date formats, the columns left out,
    the config text, and the lines to edit (line number, what to decide)."""

    columns: dict[str, str]
    split: str | None
    date_formats: list[str]
    unmapped: list[str]
    text: str
    todos: list[tuple[int, str]]


def infer_config(
    source: str,
    header: Sequence[str],
    sample: Sequence[Sequence[Any]],
    default: Model,
    read: Mapping[str, Any] | None = None,
    decimal_comma: bool = False,
) -> Inferred:
    """A scoring.yaml for a file with this header and these first rows; its criteria take
    their bands, map and weights from `default` (the built-in scoring.yaml). `read`: the
    `read:` options the file needs (encoding, delimiter, decimal, header_row, sheet), and
    `decimal_comma` how its numbers are read."""
    found = find_columns(header, sample, decimal_comma)
    taken = {*found.columns.values(), *([found.email] if found.email else [])}
    unmapped = [h for h in header if h and h not in taken]
    writer = _Writer(source, found, default)
    writer.read_options(read or {})
    writer.columns(unmapped)
    writer.dates()
    writer.criteria()
    return Inferred(
        found.columns, found.split, found.date_formats, unmapped, writer.text(), writer.todos
    )


class _Writer:
    """The config's lines, and the TODO lines among them."""

    def __init__(self, source: str, found: Found, default: Model):
        self.found = found
        self.by_id = {c.id: c for c in default.criteria}
        self.todos: list[tuple[int, str]] = []
        self.lines = [
            "# yaml-language-server: $schema=./scoring.schema.json",
            f"# Written by `intscore init --from` for the columns of {Path(source).name}.",
            "# Check the weights and bands, then: intscore rank " + source,
            "version: 1",
        ]
        self.pending = {name: what for name, what in found.todos}

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add(self, line: str, todo: str | None = None) -> None:
        """A line; with `todo`, a line to edit (what to decide is said on it and on stderr)."""
        if todo is not None:
            self.todos.append((len(self.lines) + 1, todo))
            line += f"   # TODO: {todo}"
        self.lines.append(line)

    def read_options(self, read: Mapping[str, Any]) -> None:
        """How the file is read, where the reader would not find it by itself (encoding,
        delimiter, decimal mark, header row, sheet)."""
        if read:
            options = ", ".join(f"{key}: {_read_value(value)}" for key, value in read.items())
            self.add(f"read: {{{options}}}")

    def columns(self, unmapped: list[str]) -> None:
        q, found = yaml_scalar, self.found
        self.add("columns:")
        header = found.columns.get("integration")
        if header is None:
            self.add('  integration: "COLUMN"', self.pending["integration"])
        elif found.split is None:
            self.add(f"  integration: {q(header)}")
        else:
            entry = f'column: {q(header)}, split: "{found.split}"'
            if found.keep_prefix is not None:
                entry += f", keep: {{prefix: {q(found.keep_prefix)}}}"
            note = "" if found.keep_prefix else "   # one request per part"
            self.add(f"  integration: {{{entry}}}{note}", self.pending.get("keep"))
        account = found.columns.get("account")
        if found.email is not None:
            column = q(account) if account else "account"
            self.add(f"  account: {{column: {column}, else_email: {q(found.email)}}}")
        elif account is not None:
            self.add(f"  account: {q(account)}")
        facts = ("account_arr", "account_mrr", "stage")  # about the account, not the request
        for name, header in found.columns.items():
            if name in ("integration", "account"):
                continue
            if name in facts and (account or found.email):
                self.add(f"  {name}: {{column: {q(header)}, per: account}}")
            else:
                self.add(f"  {name}: {q(header)}")
        for header in unmapped:
            self.add(f"  # not used: {q(header)}")

    def dates(self) -> None:
        found = self.found
        if found.date_formats:
            patterns = ", ".join(yaml_scalar(p) for p in found.date_formats)
            self.add(f"dates: {{formats: [{patterns}]}}", self.pending.get("dates"))
        if "created" in found.columns:
            self.add("latest_by: created             # an account's values from its latest row")
            self.add("# as_of: 2026-11-30            # pin the day ages count to (default today)")

    def criteria(self) -> None:
        q, found, by_id = yaml_scalar, self.found, self.by_id
        demand, size = by_id["demand"], by_id["account_size"]
        columns = found.columns
        has_account = "account" in columns or found.email is not None
        self.add("criteria:")
        self.add("  - id: demand")
        self.add(f"    label: {q(demand.title)}")
        self.add("    aggregate: count" + ("" if has_account else "          # each row asks"))
        if found.stages:
            weights = ", ".join(f"{q(s)}: {plain_number(w)}" for s, w in found.stages.items())
            self.add(f"    row_weight: {{field: stage, map: {{{weights}}}, default: 1}}")
        if "created" in columns:
            self.add("    # row_weight decay: {field: created, half_life: 180d} counts recent more")
        self.add(f"    bands: {_bands(demand)}")
        self.add(f"    weight: {plain_number(demand.weight)}")
        sized = "account_arr" if "account_arr" in columns else None
        if sized is None and "account_mrr" in columns:
            sized = "account_mrr"
        if sized is not None:
            monthly = sized == "account_mrr"
            self.add("  - id: account_size")
            self.add(f"    label: {q(size.title + (' (MRR)' if monthly else ''))}")
            self.add(f"    field: {sized}")
            self.add("    aggregate: sum")
            if monthly:
                self.add(f"    bands: {_bands(size, MONTHS_A_YEAR)}   # the ARR bands / 12")
            else:
                self.add(f"    bands: {_bands(size)}")
            self.add(f"    weight: {plain_number(size.weight)}")
        if "amount" in columns:
            self.add("  - id: pipeline")
            self.add("    label: Pipeline")
            self.add("    field: amount")
            self.add("    aggregate: sum")
            self.add(
                "    over: requests                 # every deal counts, not each account's last"
            )
            self.add(f"    bands: {_bands(size)}")
            self.add(f"    weight: {plain_number(size.weight / (2 if sized else 1))}")
        if "difficulty" in columns:
            self._difficulty()
        tiebreak = ["demand", *(["account_size"] if sized else [])]
        tiebreak += ["pipeline"] if "amount" in columns and not sized else []
        self.add(f"tiebreak: [{', '.join(tiebreak)}]")

    def _difficulty(self) -> None:
        difficulty = self.by_id["difficulty"]
        q = yaml_scalar
        points = ", ".join(f"{q(k)}: {plain_number(v)}" for k, v in (difficulty.map or {}).items())
        self.add("  - id: difficulty")
        self.add(f"    label: {q(difficulty.title)}")
        self.add("    kind: effort")
        self.add("    field: difficulty")
        self.add("    aggregate: value")
        self.add(f"    map: {{{points}}}", self.pending.get("difficulty"))
        self.add(f"    missing: {plain_number(difficulty.missing_points)}")
        self.add(f"    weight: {plain_number(difficulty.weight)}")


def _read_value(value: Any) -> str:
    """A `read:` option as YAML: numbers plain, text double-quoted ("," and TAB need it)."""
    return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)


def _bands(c: Criterion, per: int = 1) -> str:
    """A criterion's bands as scoring.yaml writes them (edges divided by `per`)."""
    bands = ", ".join(
        f"{{min: {plain_number(round(b.min / per, 2))}, points: {plain_number(b.points)}}}"
        for b in c.bands or []
    )
    return f"[{bands}]"
