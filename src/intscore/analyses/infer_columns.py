"""What the columns of an export hold, for `init --from`: each logical field found by the words
its header usually holds and confirmed by its values — the integration column by short names
that repeat (never e-mails, nor the people under Requester, Assignee, Reporter), how its cells
split (`;`, `|`, `,`, tags with a shared prefix), the account and the e-mail that stands in
for it, ARR, MRR and deal amounts, the request date and its format, a stage only when its
values are customer / prospect / trial / lead, a difficulty. What cannot be decided is said
(`Found.todos`), never guessed silently."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..dates import parse_date
from ..emails import is_email
from ..matching import category_key, name_key, normalize_header
from ..numbers import NotANumber, parse_number

__all__ = ["PAID", "STAGES", "Found", "find_columns"]

# Header words per field, most telling first; a header holding an excluded word is not it.
_WORDS = {
    "integration": [
        *("integration", "post_title", "feature", "app", "product", "request", "tags"),
        *("labels", "component", "title"),
    ],
    "account": [
        *("account_name", "account", "company", "organization", "organisation", "org"),
        *("customer", "client"),
    ],
    "account_arr": ["arr", "annual_revenue", "annual_recurring", "acv", "revenue"],
    "account_mrr": ["mrr", "monthly_revenue", "monthly_recurring"],
    "amount": ["amount", "deal_size", "deal_value", "opportunity_value", "pipeline"],
    "created": [
        *("created", "create_date", "vote_date", "voted", "submitted", "requested", "opened"),
        "date",
    ],
    "stage": ["lifecycle", "stage", "plan", "tier", "segment", "customer_type", "type", "status"],
    "difficulty": ["difficulty", "effort", "complexity", "t_shirt", "size", "estimate"],
    "email": [
        *("requester_email", "customer_email", "user_email", "voter_email", "contact_email"),
        *("author_email", "email", "e_mail", "mail"),
    ],
}
_PEOPLE = (
    *("requester", "assignee", "reporter", "owner", "submitter", "author", "voter", "agent"),
    *("creator", "contact", "user", "person", "rep"),
)
_NOT = {
    "integration": (*_PEOPLE, "account", "company", "customer", "opportunity", "email", "deal"),
    "account": (
        *("id", "arr", "mrr", "revenue", "size", "email", "owner", "domain", "type", "plan"),
        *("tier", "segment", "stage", "status"),
    ),
    "account_arr": ("id",),
    "account_mrr": ("id",),
    "amount": ("id",),
    "created": ("close", "updated", "resolved", "due", "modified"),
    "stage": ("id", "deal", "opportunity", "ticket", "post", "issue"),
    "difficulty": ("id", "company", "deal"),
    "email": ("owner", "assignee", "agent", "submitter", "sales"),
}
# Stages that read as how much a requester counts: paying (1) or not yet (0.5).
PAID = ("customer", "customers", "paying", "paid", "active", "won", "closed won", "enterprise")
STAGES = {
    **dict.fromkeys(PAID, 1.0),
    **dict.fromkeys(
        (
            *("prospect", "prospects", "trial", "trialing", "lead", "leads", "free"),
            *("opportunity", "mql", "sql", "marketing qualified lead", "sales qualified lead"),
            *("subscriber", "evaluation", "evaluating", "pilot", "poc", "freemium"),
        ),
        0.5,
    ),
}
_DATE_FORMATS = [
    *("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y", "%d/%m/%y", "%d.%m.%y"),
    *("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%y"),
    *("%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%y %I:%M %p"),
    *("%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%b %d, %Y", "%d %b %Y", "%d-%b-%Y"),
    *("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %I:%M %p"),
]
_DAY_FIRST = {"%d/%m/%Y": "%m/%d/%Y", "%d/%m/%y": "%m/%d/%y", "%d/%m/%Y %H:%M": "%m/%d/%Y %H:%M"}
_SEPARATORS = ("_", "-", ":", "/")  # a tag's prefix ends with one of these


@dataclass
class Found:
    """What `find_columns` found: field -> header, the integration's split and keep, the
    e-mail column, date formats, the stage map, and what it could not decide."""

    columns: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    keep_prefix: str | None = None
    email: str | None = None
    date_formats: list[str] = field(default_factory=list)
    stages: dict[str, float] | None = None  # a stage column's row weights
    todos: list[tuple[str, str]] = field(default_factory=list)  # (field, what to decide)


def find_columns(
    header: Sequence[str], sample: Sequence[Sequence[Any]], decimal_comma: bool = False
) -> Found:
    """The fields of an export with this header, confirmed by these first rows (numbers
    read with a decimal comma when `decimal_comma`)."""
    values = {
        h: [str(row[i]).strip() for row in sample if i < len(row) and _present(row[i])]
        for i, h in enumerate(header)
        if h
    }
    found = Found()
    taken: set[str] = set()

    def pick(name: str, test: Callable[[list[str]], bool]) -> str | None:
        chosen = _find(name, [h for h in header if h and h not in taken], values, test)
        if chosen:
            taken.add(chosen)
            if name != "email":
                found.columns[name] = chosen
        return chosen

    integration = pick("integration", _names_that_repeat)
    if integration is None:
        found.todos.append(("integration", _no_integration(header, values)))
    else:
        _split(found, values[integration])
    pick("account", _account_names)
    found.email = pick("email", _emails)
    for name in ("account_arr", "account_mrr", "amount"):
        pick(name, partial(_numbers, comma=decimal_comma))
    created = pick("created", _dates)
    if created:
        found.date_formats = _date_formats(found, values[created])
    stage = pick("stage", _stages)
    if stage:
        found.stages = {v: STAGES[v.casefold()] for v in _distinct(values[stage]) if _staged(v)}
    difficulty = pick("difficulty", _difficulties)
    if difficulty:
        other = [v for v in _distinct(values[difficulty]) if category_key(v) not in _SIZES]
        if other:
            shown = ", ".join(other[:8]) + (", ..." if len(other) > 8 else "")
            found.todos.append(
                ("difficulty", f"{shown} not in the map: give each its points (e.g. {other[0]}: 0)")
            )
    return found


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _find(name: str, headers: list[str], values: dict[str, list[str]], test: Any) -> str | None:
    """The first header, by how telling its words are, whose sample passes the test."""
    keys = {h: _header_keys(h) for h in headers}
    for word in _WORDS[name]:
        for h in headers:
            key, own = keys[h]
            words = own.split("_")
            if word not in key or any(w in words or w == own for w in _NOT[name]):
                continue
            if test(values.get(h, [])):
                return h
    return None


def _header_keys(header: str) -> tuple[str, str]:
    """A header's key without accents (`Intégration` is `integration`), and the key of its
    own part after an entity's prefix (Pipedrive's `Deal - Integrations needed`), which the
    excluded words are tested against: the prefix names what the row is, not the column."""
    folded = unicodedata.normalize("NFKD", header)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    key = normalize_header(folded)
    entity, dash, rest = folded.partition(" - ")
    own = normalize_header(rest) if dash and entity.strip() and rest.strip() else key
    return key, own


def _share(cells: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0


def _reads_as(parse: Callable[[Any], Any], cell: Any) -> bool:
    """Whether a cell parses (a number, or a date: NotADate is a NotANumber)."""
    try:
        parse(cell)
    except NotANumber:
        return False
    return True


def _numbers(cells: list[str], comma: bool = False) -> bool:
    parse = partial(parse_number, decimal_comma=comma)
    return _share(cells, partial(_reads_as, parse)) >= 0.8


def _emails(cells: list[str]) -> bool:
    return _share(cells, is_email) >= 0.8


def _names_that_repeat(cells: list[str]) -> bool:
    """Short names, some of them on several rows: not e-mails, numbers or dates, nor text
    that is different in every row (titles, descriptions)."""
    if not cells or _share(cells, is_email) > 0.2 or _numbers(cells) or _dates(cells):
        return False
    parts = [p.strip() for c in cells for p in _parts(c)]
    parts = [p for p in parts if p]
    if not parts or sum(len(p) for p in parts) / len(parts) > 40:
        return False
    counts = Counter(name_key(p) for p in parts)
    return len(cells) < 4 or counts.most_common(1)[0][1] >= 2


def _parts(cell: str) -> list[str]:
    for mark in (";", "|", ","):
        if mark in cell:
            return cell.split(mark)
    return cell.split(" ") if " " in cell and "_" in cell else [cell]


def _account_names(cells: list[str]) -> bool:
    return bool(cells) and _share(cells, is_email) < 0.2 and not _numbers(cells)


def _is_date(cell: str) -> bool:
    return _reads_as(parse_date, cell) or any(
        _reads_as(partial(parse_date, formats=[p]), cell) for p in _DATE_FORMATS
    )


def _dates(cells: list[str]) -> bool:
    return bool(cells) and _share(cells, _is_date) >= 0.8


def _date_formats(found: Found, cells: list[str]) -> list[str]:
    """The strftime pattern the sample needs besides ISO 8601 (none if it is ISO). Where both
    month-first and day-first read every date, month-first is written, and a TODO says so."""
    if _share(cells, partial(_reads_as, parse_date)) >= 0.8:
        return []
    fitting = [
        p
        for p in _DATE_FORMATS
        if _share(cells, partial(_reads_as, partial(parse_date, formats=[p]))) >= 0.8
    ]
    if not fitting:
        return []
    chosen = fitting[0]
    twin = next((m for d, m in _DAY_FIRST.items() if d == chosen), None)
    if twin is None:
        twin = next((d for d, m in _DAY_FIRST.items() if m == chosen), None)
    if twin in fitting:
        found.todos.append(
            ("dates", f"every date reads as {chosen} and as {twin}: keep the one the export uses")
        )
    return [chosen]


def _staged(value: str) -> bool:
    return value.strip().casefold() in STAGES


def _stages(cells: list[str]) -> bool:
    """Values that say how much a requester counts (customer, prospect, trial, lead), not any
    status (open, solved, In Progress)."""
    distinct = _distinct(cells)
    return (
        0 < len(distinct) <= 12
        and _share(cells, _staged) >= 0.8
        and _share(distinct, _staged) >= 0.6
    )


def _distinct(cells: list[str]) -> list[str]:
    """The distinct values, in order of first appearance (one spelling each, any case)."""
    seen: dict[str, str] = {}
    for c in cells:
        seen.setdefault(c.casefold(), c)
    return sorted(seen.values(), key=str.casefold)


_SIZES = {category_key(k) for k in ["1", "2", "3", "4", "5", "s", "m", "l", "xl"]}


def _difficulties(cells: list[str]) -> bool:
    return _share(cells, lambda c: category_key(c) in _SIZES) >= 0.8


def _split(found: Found, cells: list[str]) -> None:
    """How an integration cell holds several names: `;` or `|` (multi-select picklists), `,`
    where a part is elsewhere a whole cell ("Slack, Microsoft Teams" beside "Slack"), or
    space-separated tags sharing a prefix (Zendesk's `integration_slack vip`)."""
    for mark in (";", "|"):
        if any(mark in c for c in cells):
            found.split = mark
            _labels(found, cells, mark)
            return
    whole = {name_key(c) for c in cells if "," not in c}
    joined = [c for c in cells if "," in c]
    if any(name_key(p) in whole for c in joined for p in c.split(",")):
        found.split = ","
        _labels(found, cells, ",")
        return
    _tags(found, cells)


def _labels(found: Found, cells: list[str], mark: str) -> None:
    """Labels split by `mark` (Linear's and GitHub's `integration-slack, bug`): where most
    parts are lower case, as labels are, and a prefix, written in lower case, is shared by two
    or more of them in at least 30 % of the cells, only those with the prefix are
    integrations. Names as people write them (`Zoho-CRM; Zoho-Desk`) are left whole."""
    split = [[p.strip() for p in c.split(mark) if p.strip()] for c in cells]
    parts = [p for c in split for p in c]
    if not parts or sum(p == p.casefold() for p in parts) < 0.8 * len(parts):
        return
    prefix = _shared_prefix(split)
    in_lower_case = prefix is not None and not any(
        p.casefold().startswith(prefix) and not p.startswith(prefix) for p in parts
    )
    if in_lower_case:
        found.keep_prefix = prefix


def _tags(found: Found, cells: list[str]) -> None:
    """Space-separated tags: those with the most common prefix are the integrations; tags
    without one are left to decide (a TODO)."""
    tokens = [t for c in cells for t in c.split()]
    prefix = _shared_prefix([c.split() for c in cells])
    if prefix is not None:
        found.split, found.keep_prefix = " ", prefix
        return
    if tokens and all(" " not in c or c.islower() for c in cells) and len(tokens) > len(cells):
        common = [t for t, _ in Counter(tokens).most_common(8)]
        found.split = " "
        found.todos.append(
            (
                "keep",
                "the cells look like tags; keep only those that are integrations, e.g. "
                f"keep: [{', '.join(common)}]",
            )
        )


def _shared_prefix(cells: list[list[str]]) -> str | None:
    """The prefix most of the cells' distinct parts have (`integration_`), when two or more
    parts have it and it is in at least 30 % of the cells."""
    prefixes = Counter(_prefix(p) for p in {p for c in cells for p in c})
    prefixes.pop(None, None)
    if not prefixes:
        return None
    prefix, n = prefixes.most_common(1)[0]
    with_it = sum(1 for c in cells if any(_prefix(p) == prefix for p in c))
    return prefix if n >= 2 and with_it >= 0.3 * len(cells) else None


def _prefix(token: str) -> str | None:
    """`integration_` of `integration_slack` (the part up to the first separator), if the
    token has one with text after it."""
    cut = min(
        (token.find(s) for s in _SEPARATORS if 0 < token.find(s) < len(token) - 1), default=-1
    )
    return token[: cut + 1].casefold() if cut > 0 else None


def _no_integration(header: Sequence[str], values: dict[str, list[str]]) -> str:
    listed = ", ".join(h for h in header if h and values.get(h))
    return (
        f"no column looks like the requested integrations; name the one that holds them ({listed})"
    )
