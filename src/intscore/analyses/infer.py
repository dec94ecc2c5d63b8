"""`intscore init --from FILE`: a scoring.yaml written for an export's own headers. Pure: the
header and a sample of rows in, the config's text out.

Each logical field is looked for by the words its header usually holds (an integration is
"Integrations Requested" or "Post Title", an account is "Account Name" or "Company") and
confirmed by the sample (an amount parses as money, a date as a date, a multi-select cell
holds `;`). Only criteria the file can feed are written; every other column is named in a
comment, so nothing in the export is silently ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath as Path
from typing import TYPE_CHECKING, Any

from ..dates import parse_date
from ..matching import category_key, normalize_header
from ..numbers import NotANumber, parse_number, plain_number
from ..text import yaml_scalar

if TYPE_CHECKING:
    from ..model.compiled import Criterion, Model

__all__ = ["Inferred", "infer_config"]

# Header words per field, most telling first.
_WORDS = {
    "integration": [
        "integration",
        "post_title",
        "feature",
        "request",
        "app",
        "product",
        "title",
        "label",
    ],
    "account": [
        "account_name",
        "account",
        "company",
        "customer",
        "organization",
        "org",
        "client",
        "kunde",  # German exports
        "firma",
    ],
    "account_arr": ["arr", "annual_revenue", "revenue", "amount", "acv", "mrr", "deal_size"],
    "stage": ["stage", "status", "plan", "tier", "segment"],
    "created": ["created", "vote_date", "voted", "date", "requested", "submitted", "closed"],
    "difficulty": ["difficulty", "effort", "complexity", "t_shirt", "size", "estimate"],
}
_NOT_AN_INTEGRATION = ("account", "company", "customer", "owner", "opportunity", "email")
_DATE_FORMATS = ["%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y"]
_DATE_FORMATS += ["%d/%b/%y %I:%M %p", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M %p"]  # Jira, Excel
_PAID = ("customer", "won", "paid", "active", "closed won", "enterprise")


@dataclass(frozen=True)
class Inferred:
    """What was found: field -> header, the split mark, date formats, and the config text."""

    columns: dict[str, str]
    split: str | None
    date_formats: list[str]
    unmapped: list[str]
    text: str


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
    values = {
        h: [row[i] for row in sample if i < len(row) and _present(row[i])]
        for i, h in enumerate(header)
        if h
    }
    taken: set[str] = set()
    columns: dict[str, str] = {}
    for field, test in (
        ("integration", _names),
        ("account", _names),
        ("account_arr", partial(_money, comma=decimal_comma)),
        ("created", _dates),
        ("stage", _categories),
        ("difficulty", _difficulties),
    ):
        found = _find(field, [h for h in header if h and h not in taken], values, test)
        if found:
            columns[field] = found
            taken.add(found)
    split = None
    formats: list[str] = []
    if "integration" in columns:
        split = _split_mark(values[columns["integration"]])
    if "created" in columns:
        formats = _date_formats(values[columns["created"]])
    unmapped = [h for h in header if h and h not in taken]
    text = _render(source, columns, split, formats, unmapped, values, default)
    if read:
        options = ", ".join(f"{key}: {_read_value(value)}" for key, value in read.items())
        text = text.replace("version: 1\n", f"version: 1\nread: {{{options}}}\n", 1)
    return Inferred(columns, split, formats, unmapped, text)


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _find(field: str, headers: list[str], values: dict[str, list[Any]], test: Any) -> str | None:
    """The first header, by how telling its words are, whose sample passes the test."""
    for word in _WORDS[field]:
        for h in headers:
            key = normalize_header(h)
            if word not in key:
                continue
            if field == "integration" and any(w in key for w in _NOT_AN_INTEGRATION):
                continue
            if test(values.get(h, [])):
                return h
    return None


def _names(cells: list[Any]) -> bool:
    return bool(cells)


def _money(cells: list[Any], comma: bool = False) -> bool:
    return _share(cells, partial(_reads_as, partial(parse_number, decimal_comma=comma))) >= 0.8


def _read_value(value: Any) -> str:
    """A `read:` option as YAML: numbers plain, text double-quoted ("," and TAB need it)."""
    return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)


def _reads_as(parse: Callable[[Any], Any], cell: Any) -> bool:
    """Whether a cell parses (a number, or a date: NotADate is a NotANumber)."""
    try:
        parse(cell)
    except NotANumber:
        return False
    return True


_is_iso_date = partial(_reads_as, parse_date)


def _dates(cells: list[Any]) -> bool:
    return bool(cells) and bool(_date_formats(cells) or _share(cells, _is_iso_date) >= 0.8)


def _date_formats(cells: list[Any]) -> list[str]:
    """The strftime patterns the sample needs besides ISO 8601 (none if it is ISO)."""
    if not cells or _share(cells, _is_iso_date) >= 0.8:
        return []
    for pattern in _DATE_FORMATS:
        if _share(cells, partial(_reads_as, partial(parse_date, formats=[pattern]))) >= 0.8:
            return [pattern]
    return []


def _categories(cells: list[Any]) -> bool:
    distinct = {category_key(c) for c in cells}
    return 0 < len(distinct) <= 12


def _difficulties(cells: list[Any]) -> bool:
    known = {category_key(k) for k in ["1", "2", "3", "4", "5", "s", "m", "l", "xl"]}
    return _share(cells, lambda c: category_key(c) in known) >= 0.8


def _share(cells: list[Any], test: Any) -> float:
    return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0


def _split_mark(cells: list[Any]) -> str | None:
    """`;` or `|` when some names hold one (a multi-select picklist)."""
    for mark in (";", "|"):
        if any(mark in str(c) for c in cells):
            return mark
    return None


def _render(
    source: str,
    columns: dict[str, str],
    split: str | None,
    formats: list[str],
    unmapped: list[str],
    values: dict[str, list[Any]],
    default: Model,
) -> str:
    q = yaml_scalar
    by_id = {c.id: c for c in default.criteria}
    demand, size, difficulty = by_id["demand"], by_id["account_size"], by_id["difficulty"]
    lines = [
        "# yaml-language-server: $schema=./scoring.schema.json",
        f"# Written by `intscore init --from` for the columns of {Path(source).name}. Check the",
        "# weights and bands, then: intscore rank " + source,
        "version: 1",
        "columns:",
    ]
    for field, header in columns.items():
        if field == "integration" and split:
            lines.append(
                f'  integration: {{column: {q(header)}, split: "{split}"}}   # one request per part'
            )
        else:
            lines.append(f"  {field}: {q(header)}")
    for header in unmapped:
        lines.append(f"  # not used: {q(header)}")
    if formats:
        lines.append(f"dates: {{formats: [{', '.join(q(p) for p in formats)}]}}")
    if "created" in columns:
        lines.append("latest_by: created             # an account's values from its latest row")
        lines.append("# as_of: 2026-11-30            # pin the day ages count to (default today)")
    lines.append("criteria:")
    lines += [
        "  - id: demand",
        f"    label: {q(demand.title)}",
        "    aggregate: count" + ("" if "account" in columns else "          # each row asks"),
    ]
    if "stage" in columns:
        stages = sorted({str(v).strip() for v in values[columns["stage"]]}, key=str.casefold)
        weights = ", ".join(f"{q(s)}: {1 if s.casefold() in _PAID else 0.5}" for s in stages)
        lines.append(f"    row_weight: {{field: stage, map: {{{weights}}}, default: 1}}")
    if "created" in columns:
        lines.append("    # row_weight decay: {field: created, half_life: 180d} counts recent more")
    lines += [f"    bands: {_bands(demand)}", f"    weight: {plain_number(demand.weight)}"]
    if "account_arr" in columns:
        lines += [
            "  - id: account_size",
            f"    label: {q(size.title)}",
            "    field: account_arr",
            "    aggregate: sum",
            f"    bands: {_bands(size)}",
            f"    weight: {plain_number(size.weight)}",
        ]
    if "difficulty" in columns:
        points = ", ".join(f"{q(k)}: {plain_number(v)}" for k, v in (difficulty.map or {}).items())
        lines += [
            "  - id: difficulty",
            f"    label: {q(difficulty.title)}",
            "    kind: effort",
            "    field: difficulty",
            "    aggregate: value",
            f"    map: {{{points}}}",
            f"    missing: {plain_number(difficulty.missing_points)}",
            f"    weight: {plain_number(difficulty.weight)}",
        ]
    tiebreak = ["demand", *(["account_size"] if "account_arr" in columns else [])]
    lines.append(f"tiebreak: [{', '.join(tiebreak)}]")
    return "\n".join(lines) + "\n"


def _bands(c: Criterion) -> str:
    """A criterion's bands as scoring.yaml writes them."""
    bands = ", ".join(
        f"{{min: {plain_number(b.min)}, points: {plain_number(b.points)}}}" for b in c.bands or []
    )
    return f"[{bands}]"
