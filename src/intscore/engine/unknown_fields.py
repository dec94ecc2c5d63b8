"""YAML/JSON keys that no criterion reads but that look like one it does (a typo like
`acount`): the value would be lost without a word, so the row pass warns (`unknown-field`)."""

from __future__ import annotations

from ..matching import normalize_header
from ..model.compiled import Model
from ..problems import UNKNOWN_FIELD, Finding
from ..read.rows import Table

__all__ = ["unknown_fields"]


def unknown_fields(model: Model, table: Table, read: set[int]) -> list[Finding]:
    """A warning per key of the table that is within two edits of a field the model reads."""
    found = []
    targets = {
        normalize_header(h): h
        for f in model.known_fields() | {"account"}
        for h in model.headers_for(f)
    }
    for i, header in enumerate(table.header):
        if not header or i in read or i == table.name_column:
            continue
        key = normalize_header(header)
        if key in targets or len(key) > 64:
            continue
        close = sorted(t for t in targets if _within_two_edits(key, t))
        if close:
            message = (
                f"'{header}' is not a field the config reads — did you mean '{targets[close[0]]}'?"
            )
            line = table.first_lines.get(i, 1)
            found.append(Finding(table.source, line, UNKNOWN_FIELD, message, severity="warning"))
    return found


def _within_two_edits(a: str, b: str) -> bool:
    """Levenshtein distance at most 2 (with a length check first: names of a few letters)."""
    if abs(len(a) - len(b)) > 2 or a == b:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return False
        previous = current
    return previous[-1] <= 2
