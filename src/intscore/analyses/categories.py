"""`rank --by category`: the ranking rolled up per category — integrations requested, distinct
requesting accounts, their combined size and the category's top integrations: the view a
unified-API decision needs. Pure: a ranking in, a roll-up out.

An account's size is the field of the first criterion that sums a number over requesters
(the default config's `account_size`: `account_arr`), its value for that account (the
largest its requests give, so an account counts once however many integrations of the
category it asks for). Requesters without an account are not accounts: they are counted in
`requesters` but not in `accounts` or the size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..choices import BY
from ..engine.ranking import RankedItem, Ranking
from ..matching import name_key
from ..model.categorize import Categorizer, category_key
from ..model.compiled import Criterion, Model
from ..problems import IntscoreError

__all__ = ["BY", "NO_CATEGORY", "CategoryRoll", "Rollup", "roll_up", "size_criterion"]

NO_CATEGORY = "(no category)"


@dataclass(frozen=True)
class CategoryRoll:
    """One category of the roll-up."""

    category: str
    items: tuple[RankedItem, ...]  # in rank order
    requesters: int
    accounts: int
    size: float | None  # the accounts' combined size (None: no size criterion)


@dataclass(frozen=True)
class Rollup:
    """Every category, most requesting accounts first, and what `size` sums."""

    categories: tuple[CategoryRoll, ...]
    size: Criterion | None


def size_criterion(model: Model) -> Criterion | None:
    """The criterion whose field is an account's size: the first that sums over requesters."""
    return next((c for c in model.criteria if c.aggregate == "sum" and c.field), None)


def roll_up(ranking: Ranking, model: Model) -> Rollup:
    """The ranking per category; IntscoreError when the config says nothing of categories."""
    if model.categories is None and not model.catalog:
        raise IntscoreError(
            "rank --by category needs categories: add `categories: catalog` (intscore's "
            "catalog of SaaS products), a column's name, or {Name: Category} to scoring.yaml"
        )
    categorizer = Categorizer(model)
    size = size_criterion(model)
    position = None if size is None else ranking.requester_fields.index(size.field or "")
    groups: dict[str, tuple[str, list[RankedItem]]] = {}
    for item in ranking.items:
        names = (item.integration, *(s for s, _ in item.spellings))
        category = categorizer.of(item.key, names, item.facts) or NO_CATEGORY
        groups.setdefault(category_key(category), (category, []))[1].append(item)
    rolls = []
    for category, items in groups.values():
        sizes: dict[str, float] = {}
        requesters = 0
        for item in items:
            for r in item.requesters:
                requesters += 1
                if r.account is None:
                    continue
                value = None if position is None else r.values[position]
                amount = value if isinstance(value, int | float) else 0.0
                key = name_key(r.account)
                sizes[key] = max(sizes.get(key, amount), amount)
        total = None if size is None else math.fsum(sizes.values())
        rolls.append(CategoryRoll(category, tuple(items), requesters, len(sizes), total))
    rolls.sort(key=lambda r: (r.category == NO_CATEGORY, -r.accounts, -len(r.items), r.category))
    return Rollup(tuple(rolls), size)
