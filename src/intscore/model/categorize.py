"""Which category an integration is in, and which buy options cover it: from the config's
mapping or a column of the data first, then intscore's catalog (with `categories: catalog`,
or wherever `catalog: true` applies)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..matching import name_key
from .catalog import product_of

if TYPE_CHECKING:
    from .compiled import Model
    from .compiled_plan import Buy

__all__ = ["Categorizer", "category_key"]


def category_key(category: str) -> str:
    """Categories match ignoring case and spacing (`CRM` is `crm`)."""
    return name_key(category)


class Categorizer:
    """A model's categories, bound once: `of(key, names, facts)` for each integration."""

    def __init__(self, model: Model):
        spec = model.categories
        self.column = spec.column if spec else None
        self.catalog = model.catalog or (spec is not None and spec.source == "catalog")
        self.mapping: dict[str, str] = {}
        for name, category in (spec.mapping if spec else {}).items():
            key = name_key(name)
            self.mapping[name_key(model.alias_keys.get(key, name))] = category.strip()
        self.buy = model.buy

    def of(self, key: str, names: Iterable[str], facts: Mapping[str, Any]) -> str | None:
        """The category of the integration with this group key, shown name and spellings
        (`names`), and facts from its rows; None when nothing says."""
        found = self.mapping.get(key)
        if found:
            return found
        if self.column is not None:
            value = facts.get(self.column)
            if value is not None and str(value).strip():
                return str(value).strip()
        if self.catalog:
            for name in names:
                product = product_of(name)
                if product is not None:
                    return product.category
        return None

    def covering(self, category: str | None) -> tuple[int, ...]:
        """The buy options (by position) that cover a category."""
        if category is None:
            return ()
        wanted = category_key(category)
        return tuple(n for n, b in enumerate(self.buy) if category_key(b.category) == wanted)

    def covered_by(self, category: str | None) -> Buy | None:
        """The first buy option that covers a category, if any."""
        covering = self.covering(category)
        return self.buy[covering[0]] if covering else None
