"""The reconciliation log: for every reconciled comment, what each coder had, what was
decided, the agreed coding, the rationale, who decided and when.

What an appendix or an auditor asks of a consensus coding (as CAT's adjudication report or
NVivo's coding comparison with the team's notes): the coders' codings are those the decision
was made on (its basis, ``reconcile.changes``), and a comment whose codings or text changed
since says so. The decision is read from the codings: agreed automatically (identical), took
one coder's coding, or edited (the agreed coding is neither's), deferred, or imported.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from workbench.coding.coder import AGREED
from workbench.coding.session import Coding, from_row
from workbench.reconcile.changes import from_normal, normal, parse_basis, reopened
from workbench.reconcile.consensus import differences
from workbench.reconcile.project import project_pair
from workbench.store import Store


@dataclass(frozen=True)
class LogEntry:
    """One reconciled comment."""

    ref: str
    group: str
    text: str
    coder_a: str
    coding_a: str
    coder_b: str
    coding_b: str
    decision: str
    agreed: str
    rationale: str
    decided_by: str
    decided_at: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def describe(coding: Coding | None, names: dict[str, str] | None = None) -> str:
    """A coding in words: 'Behaviors of effective coproduction: Listening (exemplar)'."""
    if coding is None or coding.category is None:
        return "not coded"
    names = names or {}
    text = names.get(coding.category, coding.category)
    if coding.themes:
        text += ": " + ", ".join(names.get(t, t) for t in coding.themes)
    flags = [f for f, on in (("not sure", coding.unsure), ("exemplar", coding.exemplar)) if on]
    return text + (f" ({', '.join(flags)})" if flags else "")


def reconciliation_log(store: Store) -> list[LogEntry]:
    """Every comment with a reconciliation decision, in transcript order."""
    names = {c.key: c.name for c in store.categories(include_retired=True)}
    names.update({t.key: t.name for t in store.themes(include_retired=True)})
    agreed_coder = store.coder_named(AGREED)
    agreed = (
        {cid: from_row(row) for cid, row in store.codings_of(agreed_coder.id).items()}
        if agreed_coder
        else {}
    )
    pair = project_pair(store) or ()
    coders = {c.name: c for c in store.coders()}
    now_codings = {
        name: {cid: from_row(row) for cid, row in store.codings_of(coder.id).items()}
        for name, coder in coders.items()
        if coder.kind == "coder"
    }
    revisions = store.last_revisions()
    out = []
    for row in store.reconciliation_log():
        listed = [n for n in json.loads(row["coders"]) if n in now_codings]
        a, b = (listed if len(listed) == 2 else list(pair) + ["", ""])[:2]
        basis = parse_basis(row["basis"]) or {}
        current = {n: now_codings.get(n, {}).get(row["comment_id"]) for n in (a, b) if n}
        then = {n: from_normal(basis[n]) if n in basis else current.get(n) for n in (a, b) if n}
        cid = row["comment_id"]
        again = reopened(
            row,
            current,
            bool(differences(*current.values())) if len(current) == 2 else False,
            revisions.get(cid),
        )
        decision = _decision(row["status"], then, agreed.get(cid))
        if again is not None:
            decision += f"; changed since reconciled ({again.describe()})"
        out.append(
            LogEntry(
                row["ref"],
                row["group_code"],
                row["text"],
                a,
                describe(then.get(a), names) if a else "",
                b,
                describe(then.get(b), names) if b else "",
                decision,
                describe(agreed.get(cid), names),
                row["rationale"],
                row["decided_by"],
                row["decided_at"],
            )
        )
    return out


def _decision(status: str, then: dict[str, Coding | None], agreed: Coding | None) -> str:
    if status == "auto":
        return "agreed automatically (identical codings)"
    if status == "deferred":
        return "deferred"
    if status == "imported":
        return "imported"
    mine = normal(agreed)
    same = [
        name
        for name, coding in then.items()
        if mine is not None and (theirs := normal(coding)) is not None and theirs[:2] == mine[:2]
    ]
    if len(same) == 1:
        return f"took {same[0]}'s coding"
    if len(same) == 2:
        return "agreed coding as both coded it"
    return "edited: neither coder's coding"


COLUMNS = [
    "ref",
    "group",
    "comment",
    "coder A",
    "coder A's coding",
    "coder B",
    "coder B's coding",
    "decision",
    "agreed coding",
    "rationale",
    "decided by",
    "decided at",
]


def rows(entries: list[LogEntry]) -> list[list[str]]:
    return [
        [
            e.ref,
            e.group,
            e.text,
            e.coder_a,
            e.coding_a,
            e.coder_b,
            e.coding_b,
            e.decision,
            e.agreed,
            e.rationale,
            e.decided_by,
            e.decided_at,
        ]
        for e in entries
    ]
