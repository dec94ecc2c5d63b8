"""The catalog of well-known SaaS products shipped with intscore (`catalog.json` beside this
file): each product's canonical name, its common spellings and its category (CRM, HRIS,
payments, ...). `catalog: true` in scoring.yaml uses the spellings as aliases, and
`categories: catalog` the categories. Read on first use, once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..matching import name_key
from .errors import ModelError

__all__ = ["CATALOG_FILE", "Product", "catalog_aliases", "product_of", "products"]

CATALOG_FILE = "catalog.json"


@dataclass(frozen=True, slots=True)
class Product:
    """A product of the catalog."""

    name: str
    category: str
    spellings: tuple[str, ...]


@cache
def products() -> tuple[Product, ...]:
    """Every product of the catalog, in its order."""
    text = resources.files(__package__).joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    found = []
    for entry in data["products"]:
        name, category, spellings = entry["name"], entry["category"], entry["spellings"]
        if not (isinstance(name, str) and isinstance(category, str) and category.strip()):
            raise ModelError(f"catalog: a product without a name or category: {entry!r}")
        found.append(Product(name, category, tuple(spellings)))
    return tuple(found)


@cache
def _by_key() -> dict[str, Product]:
    """Name key of every canonical name and spelling -> its product."""
    keys: dict[str, Product] = {}
    for product in products():
        for spelling in (product.name, *product.spellings):
            key = name_key(spelling)
            if keys.get(key, product) is not product:
                raise ModelError(f"catalog: '{spelling}' names two products")
            keys[key] = product
    return keys


def product_of(name: str) -> Product | None:
    """The product a name (any spelling, any case or spacing) stands for, if any."""
    return _by_key().get(name_key(name))


def catalog_aliases(claimed: dict[str, str]) -> dict[str, str]:
    """The catalog's spellings as alias keys (name key -> canonical name), for names the
    config's own `aliases` do not claim (`claimed`: their name keys -> canonical names). A
    product the config names under any spelling takes the config's canonical name for all
    its spellings."""
    keys: dict[str, str] = {}
    for product in products():
        spellings = [name_key(s) for s in (product.name, *product.spellings)]
        owner = next((claimed[k] for k in spellings if k in claimed), product.name)
        for key in spellings:
            if key not in claimed:
                keys[key] = owner
    return keys
