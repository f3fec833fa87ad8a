"""Reconciliation that stays true: what changed since a comment was reconciled, and counts
that add up.

Each decision row keeps its *basis*, every coder's coding as the decision saw it (category,
themes, "not sure", exemplar; never the memo). A comment already reconciled (agreed
automatically, resolved or imported) is *reopened*, back in the queue as "changed since
reconciled", when

* a coder's coding differs from the basis (a coder changed it afterwards), or
* its text was revised after the decision (``transcripts replace``), or
* it was agreed automatically and the codings now differ (rows from before bases were kept).

A new decision on it records a new basis and closes it again.

The counts partition the compared comments (coded by either coder), so they always add up:
compared = agreed automatically + disagreements, and disagreements = resolved + deferred +
open, where open counts the reopened ones too (``changed_since_reconciled`` says how many).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.coding.session import Coding

if TYPE_CHECKING:  # consensus imports this module
    from workbench.reconcile.consensus import Item

RECONCILED = ("auto", "resolved", "imported")

# A coding as a decision depends on it: (category, themes sorted, unsure, exemplar).
Normal = tuple[str | None, tuple[str, ...], bool, bool]


def normal(coding: Coding | None) -> Normal | None:
    """What a decision depends on in a coding: (category, themes sorted, unsure, exemplar);
    None for no coding (or one with nothing but a memo)."""
    if coding is None or (
        coding.category is None and not coding.themes and not coding.unsure and not coding.exemplar
    ):
        return None
    return coding.category, tuple(sorted(coding.themes)), bool(coding.unsure), bool(coding.exemplar)


def basis_of(codings: dict[str, Coding | None]) -> dict[str, list[Any] | None]:
    """The stored form of a decision's basis (see ``store.reconciliation``)."""
    out: dict[str, list[Any] | None] = {}
    for name, coding in codings.items():
        value = normal(coding)
        out[name] = (
            None if value is None else [value[0], list(value[1]), int(value[2]), int(value[3])]
        )
    return out


def parse_basis(basis: str | None) -> dict[str, Normal | None] | None:
    if not basis:
        return None
    out: dict[str, Normal | None] = {}
    for name, value in json.loads(basis).items():
        out[name] = (
            None
            if value is None
            else (value[0], tuple(sorted(value[1])), bool(value[2]), bool(value[3]))
        )
        if out[name] is not None and out[name] == (None, (), False, False):
            out[name] = None
    return out


def from_normal(value: Normal | None) -> Coding | None:
    return None if value is None else Coding(value[0], value[1], unsure=value[2], exemplar=value[3])


@dataclass(frozen=True)
class Reopened:
    """Why a reconciled comment is open again: each changed coder's coding then and now, and
    the comment's text then and now if it was revised."""

    since: str  # when it was decided
    coders: dict[str, tuple[Coding | None, Coding | None]]
    text: tuple[str, str] | None = None

    def describe(self) -> str:
        parts = []
        if self.text:
            parts.append("its text was corrected")
        parts += [f"{name} changed their coding" for name in self.coders]
        return "; ".join(parts) or "the codings differ now"


def reopened(
    state: dict[str, Any] | None,
    codings: dict[str, Coding | None],
    differs: bool,
    revision: dict[str, Any] | None,
) -> Reopened | None:
    """Whether a comment's decision (``state``, its row) no longer holds, given the coders'
    codings now, whether they differ now (``differs``) and its newest text revision."""
    if not state or state.get("status") not in RECONCILED:
        return None
    since = state.get("decided_at") or ""
    basis = parse_basis(state.get("basis"))
    text = None
    if revision is not None and revision["at"] > since:
        text = (revision["old_text"], revision["new_text"])
    changed = {}
    if basis is not None:
        for name, coding in codings.items():
            then, now = basis.get(name), normal(coding)
            if name in basis and then != now and not (text and _only_marked(then, now)):
                changed[name] = (from_normal(then), coding)
    if changed or text or (state["status"] == "auto" and differs):
        return Reopened(since, changed, text)
    return None


def _only_marked(then: Normal | None, now: Normal | None) -> bool:
    """The coding differs only by the "not sure" a corrected text marks it with."""
    return then is not None and now is not None and now == (then[0], then[1], True, then[3])


def counts(items: Iterable[Item]) -> dict[str, int]:
    """The partition of ``items`` (``reconcile.consensus.Item``) that always adds up."""
    out = dict.fromkeys(
        (
            "compared",
            "agreed_automatically",
            "disagreements",
            "resolved",
            "deferred",
            "open",
            "changed_since_reconciled",
        ),
        0,
    )
    for item in items:
        out["compared"] += 1
        if item.reopened is not None:
            out["disagreements"] += 1
            out["open"] += 1
            out["changed_since_reconciled"] += 1
        elif not item.reasons:
            out["agreed_automatically"] += 1
        else:
            out["disagreements"] += 1
            bucket = {
                "resolved": "resolved",
                "imported": "resolved",
                "auto": "resolved",
                "deferred": "deferred",
            }.get(item.status or "", "open")
            out[bucket] += 1
    return out


def counts_line(numbers: dict[str, int]) -> str:
    """The counts in words, in the order they add up."""
    line = (
        f"compared {numbers['compared']}: agreed automatically {numbers['agreed_automatically']}, "
        f"disagreements {numbers['disagreements']} (resolved {numbers['resolved']}, deferred "
        f"{numbers['deferred']}, open {numbers['open']}"
    )
    if numbers["changed_since_reconciled"]:
        line += f", of which {numbers['changed_since_reconciled']} changed since reconciled"
    return line + ")"
