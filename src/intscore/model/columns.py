"""Where a field is read, compiled: headers in order of preference; for the integration, how a
multi-value cell is split and which parts are kept (`keep`: a prefix, names, a glob); for the
account, the e-mail column whose domain stands in for a blank account (`else_email`); for any
other field, whether it is a fact about the account (`per: account`)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..matching import name_key, normalize_header
from .errors import require

__all__ = ["Column", "Keep", "columns_problem"]

KeepKind = Literal["prefix", "names", "glob"]


@dataclass(frozen=True)
class Keep:
    """Which parts of a split integration cell are integrations: those starting with a prefix
    (removed from the kept name), those named in a list (matched like names, also through
    aliases), or those matching a glob (`*`, `?`, `[abc]`); any case."""

    kind: KeepKind
    values: tuple[str, ...]
    _keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _glob: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        require(self.kind in ("prefix", "names", "glob"), f"keep: {self.kind!r}")
        require(bool(self.values) and all(v.strip() for v in self.values), "keep: a blank value")
        require(self.kind == "names" or len(self.values) == 1, "keep: one prefix or glob")
        object.__setattr__(self, "_keys", frozenset(name_key(v) for v in self.values))
        glob = None
        if self.kind == "glob":
            # fnmatch's translation matches in linear time (no nested unbounded repeats).
            glob = re.compile(fnmatch.translate(self.values[0].strip().casefold()), re.DOTALL)
        object.__setattr__(self, "_glob", glob)

    def kept(self, spelling: str, aliases: Mapping[str, str]) -> str | None:
        """The name a tidy part stands for when kept (the prefix removed), else None."""
        if self.kind == "prefix":
            prefix = self.values[0].strip()
            if len(spelling) > len(prefix) and spelling[: len(prefix)].casefold() == (
                prefix.casefold()
            ):
                return spelling[len(prefix) :].strip() or None
            return None
        key = spelling.casefold()
        if self.kind == "names":
            canonical = aliases.get(key)
            found = key in self._keys or (
                canonical is not None and name_key(canonical) in self._keys
            )
            return spelling if found else None
        assert self._glob is not None
        return spelling if self._glob.match(key) else None

    def describe(self) -> str:
        """`prefix integration_`, `names Slack, Jira`, `glob *-app`."""
        return f"{self.kind} {', '.join(self.values)}"


@dataclass(frozen=True)
class Column:
    """Where a field is read: headers in order of preference, a cell's separator and which of
    its parts count (integration), an e-mail column for blank accounts (account), or that the
    field is a fact about the account (`per`)."""

    headers: tuple[str, ...]
    split: str | None = None
    keep: Keep | None = None
    else_email: tuple[str, ...] | None = None
    per: Literal["account"] | None = None

    def __post_init__(self) -> None:
        require(bool(self.headers) and all(self.headers), "a column needs a header")
        require(self.split is None or 0 < len(self.split) <= 3, "a split of 1-3 characters")
        require(self.else_email is None or all(self.else_email), "else_email needs a header")
        require(self.per in (None, "account"), "per: account is the only choice")


def columns_problem(columns: Mapping[str, Column]) -> str | None:
    """Why these `columns:` cannot be read (a split or keep on a field other than the
    integration, else_email other than on the account, per: account on the integration or the
    account itself; two fields reading one column, which would count the same cell twice), or
    None."""
    seen: dict[str, str] = {}
    for name, column in columns.items():
        if column.split is not None and name != "integration":
            return f"{name}: split applies to the integration column"
        if column.keep is not None and name != "integration":
            return f"{name}: keep applies to the integration column"
        if column.else_email is not None and name != "account":
            return f"{name}: else_email applies to the account column"
        if column.per is not None and name in ("integration", "account"):
            return f"{name}: per: account is for facts about an account (ARR, plan, stage)"
        for header in column.headers:
            key = normalize_header(header)
            if key in seen and seen[key] != name:
                return f"'{seen[key]}' and '{name}' both read the column '{header}'"
            seen[key] = name
    return None
