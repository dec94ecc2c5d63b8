"""Facts about accounts (`per: account` columns: ARR, MRR, plan, stage) for the Python row
pass: each account's latest value of each such field across every request of the input (by
`latest_by`, else file order), given at the end to all the account's requesters and requests,
whichever integration they ask for. An anonymous requester keeps its own values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..model.compiled import Model
from .groups import Group

__all__ = ["AccountFacts"]


class AccountFacts:
    """The latest value of each `per: account` field, by account key."""

    def __init__(self, model: Model):
        self.slots = [model.fields.index(f) for f in model.per_account]  # among requester values
        self.dated = model.latest_by is not None
        self.values: dict[str, list[Any]] = {}
        self.when: dict[str, list[int]] = {}

    def __bool__(self) -> bool:
        return bool(self.slots)

    def note(self, account: str, row: Sequence[Any], positions: Sequence[int], day: int) -> None:
        """A request row of an account: its values at `positions` (one per field, among the
        row's converted cells) are the account's latest where they are not blank (with
        `latest_by`: where the row is as late as the value's, undated rows first)."""
        known = self.values.get(account)
        if known is None:
            known = self.values[account] = [None] * len(positions)
            self.when[account] = [-2] * len(positions)
        when = self.when[account]
        for i, p in enumerate(positions):
            value = row[p]
            if value is not None and (not self.dated or day >= when[i]):
                known[i] = value
                when[i] = day

    def apply(self, groups: Iterable[Group]) -> None:
        """Every requester with an account (and each of its requests) takes the account's
        latest values."""
        slots = self.slots
        for group in groups:
            for key, requester in group.requesters.items():
                known = self.values.get(key) if key.__class__ is str else None
                if known is not None:
                    values = requester.changeable()
                    for slot, value in zip(slots, known, strict=True):
                        values[slot] = value
            for request, owner in zip(group.requests, group.owners, strict=True):
                if owner.account is not None:
                    for slot in slots:
                        request.changeable()[slot] = owner.values[slot]
