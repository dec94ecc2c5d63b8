"""`near-duplicate-name` gives exactly the findings of its definition: today's rule (kept
here as the oracle, as it was before the variants two names share were bucketed alone), and,
where no bucket can fill, the plain comparison of every pair of names."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import intscore
from intscore.analyses.check import CheckContext
from intscore.analyses.check.names import (
    BUCKET_SIZE,
    LONGEST_COMPARED,
    MOST_LOOKALIKES,
    _catalog_spellings,
    _one_typo_apart,
    _scripts,
    _share_a_deletion,
    _skeletons,
    _untidiness,
    _variant_key_sets,
    _variant_keys,
    near_duplicate_name,
)
from intscore.matching import name_key
from intscore.text import yaml_scalar

CONFIG = """\
version: 1
columns: {{integration: integration, account: account}}
catalog: {catalog}
aliases: {aliases}
criteria:
  - id: demand
    aggregate: count
    bands: [{{min: 0, points: 0}}, {{min: 2, points: 1}}]
    weight: 1
"""

# --- the oracle: the rule as it was -------------------------------------------------------------

_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏɡαβεικνορτυχ",
    "aeopcyxijsdhlgabeikvoptux",
)


def _old_skeleton(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_CONFUSABLES)
    return "".join(ch for ch in folded if ch.isalnum())


def _differ_by_digit(a: str, b: str) -> bool:
    """True when a substitution between the two names involves a digit (the rule's
    definition, as it was in names.py)."""
    if len(a) != len(b):
        return False
    return any(x != y and (x.isdigit() or y.isdigit()) for x, y in zip(a, b, strict=True))


def _old_deletion_keys(text: str) -> Iterator[int]:
    for i in range(len(text)):
        if not text[i].isdigit():
            yield hash(text[:i] + text[i + 1 :])


def _old_untidiness(name: str) -> int:
    marks = sum(1 for ch in name if not (ch.isalnum() or ch.isspace()))
    letters = [ch for ch in name if ch.isalpha()]
    shouting_or_flat = len(letters) > 4 and (name.islower() or name.isupper())
    return marks + shouting_or_flat


def _message(main: Any, other: Any) -> str:
    return (
        f"'{other.integration}'{_scripts(other.integration)} looks like "
        f"'{main.integration}' (line {main.line}); if they are the same, add to "
        f"scoring.yaml: aliases: {{{yaml_scalar(main.integration)}: "
        f"[{yaml_scalar(other.integration)}]}}"
    )


def _canonical(context: CheckContext) -> tuple[list[Any], list[int]]:
    items = [i for i in context.ranking.items if len(i.integration) <= LONGEST_COMPARED]
    targets = {name_key(name) for name in context.config.model.aliases}

    def canonical_first(n: int) -> tuple[Any, ...]:
        item = items[n]
        return (
            item.key not in targets,
            -sum(n for _, n in item.spellings),
            -len(item.requesters),
            _old_untidiness(item.integration),
            item.file,
            item.line,
        )

    return items, sorted(range(len(items)), key=canonical_first)


def old_rule(context: CheckContext) -> Iterator[tuple[str, int | None, str]]:
    """The rule before this round, line for line, but for the order of the walk that stops
    early (made the same in every process)."""
    items, order = _canonical(context)
    rank_of = {n: r for r, n in enumerate(order)}
    by_skeleton: dict[str, list[int]] = {}
    for n in order:
        by_skeleton.setdefault(_old_skeleton(items[n].integration), []).append(n)
    buckets: dict[int, list[str]] = {}
    for skeleton in by_skeleton:
        if len(skeleton) >= 6:
            for key in {hash(skeleton), *_old_deletion_keys(skeleton)}:
                bucket = buckets.setdefault(key, [])
                if len(bucket) < BUCKET_SIZE:
                    bucket.append(skeleton)
    for skeleton, members in by_skeleton.items():
        neighbours: set[str] = set()
        if len(skeleton) >= 6:
            keys: Any = {hash(skeleton), *_old_deletion_keys(skeleton)}
            if sum(len(buckets.get(key, (skeleton,))) for key in keys) > BUCKET_SIZE:
                # where the walk stops early, it goes by the deleted character's position (a
                # set of hashes iterates in another order in each process)
                keys = [hash(skeleton), *_old_deletion_keys(skeleton)]
            for key in keys:
                neighbours.update(buckets.get(key, ()))
                if len(neighbours) > BUCKET_SIZE:
                    break
        heads = [
            by_skeleton[t][0]
            for t in neighbours
            if t != skeleton
            and _share_a_deletion(skeleton, t)
            and not _differ_by_digit(skeleton, t)
        ]
        for n in members:
            mains = [m for m in (members[0], *heads) if rank_of[m] < rank_of[n]]
            for m in sorted(set(mains), key=rank_of.__getitem__)[:MOST_LOOKALIKES]:
                yield items[n].file, items[n].line, _message(items[m], items[n])
    if not context.config.model.catalog:
        for f in _catalog_spellings([items[n] for n in order]):
            yield f.file, f.line, f.message


def _variants(text: str) -> set[str]:
    """The text and each text one non-digit character shorter."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)) if not text[i].isdigit())}


def pairwise_rule(context: CheckContext) -> Iterator[tuple[str, int | None, str]]:
    """The definition, every pair compared: each name looks like the first-ranked name of its
    own skeleton and of each other skeleton (both of 6+ characters) with which it shares a
    variant, one letter or mark deleted (not a digit: nor is one replaced), that ranks before
    it: the first three of them."""
    items, order = _canonical(context)
    rank_of = {n: r for r, n in enumerate(order)}
    skeleton = {n: _old_skeleton(items[n].integration) for n in order}
    first: dict[str, int] = {}
    for n in order:
        first.setdefault(skeleton[n], n)
    for n in order:
        a = skeleton[n]
        heads = {first[a]}
        for b, head in first.items():
            near = b != a and len(a) >= 6 and len(b) >= 6 and bool(_variants(a) & _variants(b))
            if near and not _differ_by_digit(a, b):
                heads.add(head)
        mains = sorted((m for m in heads if rank_of[m] < rank_of[n]), key=rank_of.__getitem__)
        for m in mains[:MOST_LOOKALIKES]:
            yield items[n].file, items[n].line, _message(items[m], items[n])
    if not context.config.model.catalog:
        for f in _catalog_spellings([items[n] for n in order]):
            yield f.file, f.line, f.message


# --- the comparison -----------------------------------------------------------------------------


def context_of(tmp: Path, rows: list[tuple[str, str]], catalog: bool, aliases: str) -> Any:
    config = tmp / "scoring.yaml"
    config.write_text(CONFIG.format(catalog=str(catalog).lower(), aliases=aliases), "utf-8")
    loaded = intscore.load_config(config)
    ranked = intscore.rank_rows([{"integration": n, "account": a} for n, a in rows], loaded)
    return CheckContext(config=loaded, ranking=ranked._ranking)


def found(context: CheckContext) -> list[tuple[str, int | None, str]]:
    return [(f.file, f.line, f.message) for f in near_duplicate_name(context)]


BASES = ["Salesforce", "Zendesk", "ServiceNow", "Dynamics 365", "HubSpot", "SFDC", "Slack", "Jira"]


@st.composite
def names(draw: st.DrawFn) -> str:
    """A base name, or one changed a little: a letter dropped, doubled, swapped or replaced,
    case, spacing and punctuation changed, a look-alike or fullwidth letter, a digit."""
    name = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(name) - 1))
        change = draw(st.sampled_from(["drop", "double", "swap", "letter", "case", "mark"]))
        if change == "drop":
            name = name[:i] + name[i + 1 :] or name
        elif change == "double":
            name = name[: i + 1] + name[i:]
        elif change == "swap" and i + 1 < len(name):
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        elif change == "letter":
            name = name[:i] + draw(st.sampled_from("aeks0\u0430\uff33\u200bé")) + name[i + 1 :]
        elif change == "case":
            name = draw(st.sampled_from([name.lower(), name.upper(), name.title()]))
        else:
            name = name[:i] + draw(st.sampled_from(" -._!")) + name[i:]
    return name.strip() or name


@given(
    rows=st.lists(st.tuples(names(), st.sampled_from("abcd")), min_size=1, max_size=40),
    catalog=st.booleans(),
    alias=st.booleans(),
)
def test_near_duplicates_are_those_of_the_rule_as_it_was_and_of_every_pair(
    tmp_path_factory: Any, rows: list[tuple[str, str]], catalog: bool, alias: bool
):
    tmp = tmp_path_factory.mktemp("names")
    context = context_of(tmp, rows, catalog, "{Zendesk: [Zendesk Support]}" if alias else "{}")
    now = found(context)
    assert now == list(old_rule(context))
    # 40 rows: fewer names than a bucket holds (the order of findings is check's to sort)
    assert sorted(now) == sorted(pairwise_rule(context))


def test_buckets_that_fill_give_the_findings_they_gave(tmp_path: Path):
    # 60 names one letter apart share the variant "connector": its bucket keeps the first 32
    # (in canonical order), and a name stops looking once it has more than 32 neighbours.
    rows = [(f"Connector {chr(0x41 + n % 26)}{'x' * (n // 26)}", "a") for n in range(60)]
    rows += [("Connector A", "b"), ("Connectr A", "c"), ("connector-b", "d")]
    # Names that stop looking (32 in the full bucket and the name itself) before they meet
    # the name they look most like ("Connectrб" of "Connectorб", the most used spelling),
    # depending on the order in which their variants are visited.
    letters = "бгджзилмнптфцчшщъыьэюя"
    rows += [(f"Connectr{c}", account) for c in letters for account in "xyz"]
    rows += [(f"Connector{c}", "x") for c in letters]
    for catalog in (False, True):
        context = context_of(tmp_path, rows, catalog, "{}")
        now = found(context)
        assert now == list(old_rule(context))
        assert len(now) > 100  # every other spelling is reported, some names several times


@given(st.lists(st.text(max_size=30), max_size=5))
def test_skeletons_and_untidiness_as_they_were(texts: list[str]):
    assert _skeletons(texts) == [_old_skeleton(t) for t in texts]
    assert [_untidiness(t) for t in texts] == [_old_untidiness(t) for t in texts]
    for t in texts:
        assert list(_variant_keys(t)) == list({hash(t), *_old_deletion_keys(t)})
    batched = _variant_key_sets(texts)  # the same sets, iterating in the same order
    assert {t: list(keys) for t, keys in batched.items()} == {
        t: list(_variant_keys(t)) for t in texts
    }


def _deletions(text: str) -> set[str]:
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


@given(
    st.text(alphabet="ab1é", max_size=12),
    st.text(alphabet="ab1é", max_size=12),
    st.text(alphabet="abcxyz", max_size=60),
)
def test_one_typo_apart_as_defined(a: str, b: str, common: str):
    # By definition, on short names and on long ones that share a start or an end (the
    # comparison by slices).
    for x, y in ((a, b), (common + a, common + b), (a + common, b + common)):
        shared = bool(_deletions(x) & _deletions(y))
        assert _share_a_deletion(x, y) == shared
        assert _one_typo_apart(x, y) == (shared and not _differ_by_digit(x, y))


def test_scripts_of_ascii_and_mixed_names():
    assert _scripts("Salesforce CRM connector") == ""
    assert _scripts("Sаlesforce") == " (mixes Cyrillic and Latin letters)"  # a Cyrillic а


def test_findings_are_the_same_in_every_process(tmp_path: Path):
    # 1,296 names one letter apart fill every bucket, so a name's walk stops early; it went in
    # the order of a set of hashes, which changes with PYTHONHASHSEED: each process reported
    # other look-alikes.
    import itertools
    import os
    import subprocess
    import sys

    names = ("".join(t) for t in itertools.product("abcdef", repeat=4))
    (tmp_path / "r.csv").write_text(
        "integration,account\n" + "".join(f"Salesforce CRM connector {n},A\n" for n in names)
    )
    (tmp_path / "s.yaml").write_text(
        "version: 1\ncolumns: {integration: integration, account: account}\ncriteria:\n"
        "  - {id: demand, aggregate: count, bands: [{min: 0, points: 0}, {min: 2, points: 1}], "
        "weight: 1}\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-m", "intscore", "check", "r.csv", "-c", "s.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "near-duplicate-name" in outputs.pop()
