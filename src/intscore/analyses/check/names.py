"""Rules on integration names: names too long to compare, and names that differ only by case,
spacing, punctuation, look-alike letters or a typo and are not aliased."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain, repeat
from operator import add, getitem, itemgetter

from ... import problems as ids
from ...engine.ranking import RankedItem
from ...matching import name_key
from ...model.catalog import Product, product_of
from ...problems import Finding
from ...text import yaml_scalar
from .context import CheckContext, finding, implements

__all__ = ["LONGEST_COMPARED"]


LONGEST_COMPARED = 200  # longer names are reported once as `long-name` and not compared
MOST_LOOKALIKES = 3  # findings per name at most
BUCKET_SIZE = 32  # names sharing one deletion variant that are compared (more: a generic variant)

# Latin look-alikes from other scripts (Cyrillic, Greek) that fonts draw the same.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏɡαβεικνορτυχ",
    "aeopcyxijsdhlgabeikvoptux",
)


def _skeleton(name: str) -> str:
    """A name with case, spacing, punctuation, invisible characters, fullwidth forms and
    look-alike letters of other scripts removed or folded."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_CONFUSABLES)
    return "".join(ch for ch in folded if ch.isalnum())


# ASCII is its own NFKC form, casefolds as it lowers and has no look-alikes to fold.
_ASCII_PUNCTUATION = dict.fromkeys(c for c in range(128) if not chr(c).isalnum())


def _skeletons(names: list[str]) -> list[str]:
    """`_skeleton` of each name; ASCII names by two C-level passes."""
    return [
        name.lower().translate(_ASCII_PUNCTUATION) if name.isascii() else _skeleton(name)
        for name in names
    ]


def _variant_keys(text: str) -> set[int]:
    """Hashes of the text and of each one-character deletion that is not a digit (a
    differing digit is not a typo: "Dynamics 365" vs "Dynamics 360"). Hashes, not strings:
    memory stays linear."""
    return set(_variant_keys_in_order(text))


def _variant_keys_in_order(text: str) -> list[int]:
    """`_variant_keys` of a text, in the order of the deleted character's position."""
    return [
        hash(text),
        *(hash(text[:i] + text[i + 1 :]) for i, ch in enumerate(text) if not ch.isdigit()),
    ]


def _variant_key_sets(texts: list[str]) -> dict[str, set[int]]:
    """`_variant_keys` of each text, position by position over the texts of one length (C-level
    maps, not a loop per character); each set built in the same order, so it iterates alike."""
    by_length: dict[int, list[str]] = {}
    for text in texts:
        by_length.setdefault(len(text), []).append(text)
    found: dict[str, set[int]] = {}
    for length, group in by_length.items():
        own = list(map(hash, group))
        columns = [own]
        for i in range(length):
            # a digit is not deleted: its place holds the text's own hash, already in the set
            digits = list(map(str.isdigit, map(getitem, group, repeat(i))))
            if all(digits):
                columns.append(own)
                continue
            heads = map(getitem, group, repeat(slice(0, i)))
            tails = map(getitem, group, repeat(slice(i + 1, None)))
            hashes = map(hash, map(add, heads, tails))
            if any(digits):
                columns.append([o if d else h for o, d, h in zip(own, digits, hashes, strict=True)])
            else:
                columns.append(list(hashes))
        found.update(zip(group, map(set, zip(*columns, strict=True)), strict=True))
    return {text: found[text] for text in texts}


def _scripts(name: str) -> str:
    """' (mixes Latin and Cyrillic letters)' and the like, for a look-alike's message."""
    if name.isascii():
        return ""  # ASCII letters are Latin
    scripts = set()
    for ch in name:
        if ch.isalpha():
            word = unicodedata.name(ch, "").split(" ")[0]
            scripts.add("fullwidth" if word in ("FULLWIDTH", "HALFWIDTH") else word.title())
    if "fullwidth" in scripts:
        return " (fullwidth letters)"
    if len(scripts) > 1:
        return f" (mixes {' and '.join(sorted(scripts))} letters)"
    return ""


@implements(ids.LONG_NAME)
def long_name(context: CheckContext) -> Iterator[Finding]:
    for item in context.ranking.items:
        if len(item.integration) > LONGEST_COMPARED:
            yield finding(
                item.file,
                item.line,
                f"an integration name of {len(item.integration):,} characters; names over "
                f"{LONGEST_COMPARED} are not compared for near-duplicates",
            )


@implements(ids.NEAR_DUPLICATE_NAME)
def near_duplicate_name(context: CheckContext) -> Iterator[Finding]:
    items = [i for i in context.ranking.items if len(i.integration) <= LONGEST_COMPARED]
    names = [item.integration for item in items]
    skeletons = _skeletons(names)
    # One typo apart (names of 6+ characters): the two share a one-deletion variant. Only the
    # variants two names share are bucketed (a name alone in its buckets has no neighbour).
    keys_of = _variant_key_sets([s for s in dict.fromkeys(skeletons) if len(s) >= 6])
    shared = {key for key, n in Counter(chain.from_iterable(keys_of.values())).items() if n > 1}
    catalog = not context.config.model.catalog
    products = _catalog_products(names) if catalog else []
    found = [p.name for p in products if p is not None]
    alike = shared or len(set(skeletons)) < len(skeletons) or len(set(found)) < len(found)
    if not alike:
        return  # no two names alike: the order in which they would be told is not needed
    order = _canonical_order(items, {name_key(name) for name in context.config.model.aliases})
    by_skeleton: dict[str, list[int]] = {}
    for n in order:
        by_skeleton.setdefault(skeletons[n], []).append(n)
    yield from _lookalikes(items, order, by_skeleton, keys_of, shared)
    if catalog:
        yield from _catalog_spellings([items[n] for n in order], [products[n] for n in order])


def _lookalikes(
    items: list[RankedItem],
    order: list[int],
    by_skeleton: dict[str, list[int]],
    keys_of: dict[str, set[int]],
    shared: set[int],
) -> Iterator[Finding]:
    """Each name that looks like names before it in canonical order (`order`): those of its
    skeleton and one typo away, the first MOST_LOOKALIKES."""
    rank_of = {n: r for r, n in enumerate(order)}
    buckets: dict[int, list[str]] = {}
    for skeleton in by_skeleton:  # filled in canonical order: the first BUCKET_SIZE stay
        for key in shared.intersection(keys_of.get(skeleton, ())):
            bucket = buckets.setdefault(key, [])
            if len(bucket) < BUCKET_SIZE:
                bucket.append(skeleton)
    for skeleton, members in by_skeleton.items():
        keys = keys_of.get(skeleton)
        heads = _heads(skeleton, keys, buckets, by_skeleton) if keys and buckets else []
        if not heads and len(members) == 1:
            continue  # no other spelling: nothing to report
        for n in members:
            mains = [m for m in (members[0], *heads) if rank_of[m] < rank_of[n]]
            for m in sorted(set(mains), key=rank_of.__getitem__)[:MOST_LOOKALIKES]:
                main, other = items[m], items[n]
                yield finding(
                    other.file,
                    other.line,
                    f"'{other.integration}'{_scripts(other.integration)} looks like "
                    f"'{main.integration}' (line {main.line}); if they are the same, add to "
                    f"scoring.yaml: aliases: {{{yaml_scalar(main.integration)}: "
                    f"[{yaml_scalar(other.integration)}]}}",
                )


def _canonical_order(items: list[RankedItem], targets: set[str]) -> list[int]:
    """Positions of the items, the name an alias should keep first: one that an alias already
    targets, else the most used spelling (rows, then requesters), else the tidier one, else
    the one seen first."""
    keys = [
        (
            item.key not in targets,
            -sum(map(itemgetter(1), item.spellings)),
            -len(item.requesters),
            _untidiness(item.integration),
            item.file,
            item.line,
        )
        for item in items
    ]
    return sorted(range(len(items)), key=keys.__getitem__)


def _heads(
    skeleton: str,
    keys: Iterable[int],
    buckets: dict[int, list[str]],
    by_skeleton: dict[str, list[int]],
) -> list[int]:
    """The first item of each other skeleton one typo from this one (of the first
    `BUCKET_SIZE` sharing each variant: a variant shared by more is generic)."""
    neighbours: set[str] = set()
    alone = (skeleton,)  # a variant no other name has: its bucket holds this name only
    if sum(len(buckets.get(key, alone)) for key in keys) > BUCKET_SIZE:
        # The walk stops once BUCKET_SIZE neighbours are found: which ones must not hang on
        # the order of a set of hashes (it changes from run to run), so it goes by position.
        keys = _variant_keys_in_order(skeleton)
    for key in keys:
        neighbours.update(buckets.get(key, alone))
        if len(neighbours) > BUCKET_SIZE:
            break
    return [by_skeleton[t][0] for t in neighbours if t != skeleton and _one_typo_apart(skeleton, t)]


def _catalog_products(names: list[str]) -> list[Product | None]:
    """The catalog's product of each name, if any."""
    return list(map(product_of, names))


def _catalog_spellings(
    items: list[RankedItem], products: list[Product | None] | None = None
) -> Iterator[Finding]:
    """Names that intscore's catalog knows as spellings of one product (SFDC, Salesforce)
    but that look nothing alike, when `catalog: true` does not merge them (those that look
    alike are reported above); `products`: each item's, if known."""
    if products is None:
        products = _catalog_products([item.integration for item in items])
    by_product: dict[str, list[RankedItem]] = {}
    for item, product in zip(items, products, strict=True):
        if product is not None:
            by_product.setdefault(product.name, []).append(item)
    for name, found in by_product.items():
        if len(found) < 2:
            continue
        main = next((i for i in found if name_key(i.integration) == name_key(name)), found[0])
        for other in found:
            if other is main or _skeleton(other.integration) == _skeleton(main.integration):
                continue
            yield finding(
                other.file,
                other.line,
                f"'{other.integration}' and '{main.integration}' (line {main.line}) are one "
                f"product in intscore's catalog ({name}); add to scoring.yaml: catalog: true, "
                f"or aliases: {{{yaml_scalar(main.integration)}: "
                f"[{yaml_scalar(other.integration)}]}}",
            )


def _share_a_deletion(a: str, b: str) -> bool:
    """True when deleting at most one character from each makes them equal (a typo, a
    transposition). Linear: it guards the hash buckets against collisions."""
    return _typo(a, b) is not None


def _one_typo_apart(a: str, b: str) -> bool:
    """Two names one typo apart: they share a deletion, and no substitution between them
    involves a digit ("Dynamics 365" and "Dynamics 360" are two products)."""
    span = _typo(a, b)
    return span is not None and not any(
        x != y and (x.isdigit() or y.isdigit()) for x, y in zip(a[span], b[span], strict=True)
    )


def _typo(a: str, b: str) -> slice | None:
    """Where two names that share a deletion differ (the same slice of each, empty for names
    of two lengths, where no character is substituted); None when they share none."""
    if abs(len(a) - len(b)) > 1:
        return None
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    p = _common_prefix(longer, shorter)
    if len(a) != len(b):
        return slice(0, 0) if longer[p + 1 :] == shorter[p:] else None
    if p == len(a):
        return slice(0, 0)
    q = len(a) - 1 - _common_suffix(a, b)  # the last position where they differ
    if p == q or a[p + 1 : q + 1] == b[p:q] or a[p:q] == b[p + 1 : q + 1]:
        return slice(p, q + 1)
    return None


def _common_prefix(a: str, b: str) -> int:
    """How many first characters `a` and `b` share, by comparing slices (C speed, a few
    comparisons for names of ~100 characters that differ only at the end)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    """How many last characters two different names of one length share."""
    return _common_prefix(a[::-1], b[::-1])


def _untidiness(name: str) -> int:
    """Marks of a hasty spelling: punctuation inside the name, all lower or upper case."""
    if name.replace(" ", "").isalnum():
        marks = 0  # the usual name: no character to look at one by one
    else:
        marks = sum(1 for ch in name if not (ch.isalnum() or ch.isspace()))
    flat = (name.islower() or name.isupper()) and sum(map(str.isalpha, name)) > 4
    return marks + flat
