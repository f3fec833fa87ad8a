"""Reconciliation: from two coders' independent codings to one agreed coding.

The agreed coding is stored as the coding of the reserved ``agreed`` coder; each
comment's reconciliation state (``auto``, ``resolved``, ``deferred``,
``imported``) and rationale is in ``reconciliations``. Every decision is one
transaction with an audit row (who, when, agreed coding before and after, the
rationale, and what each coder had).

* Comments both coders coded identically (category, theme set and exemplar mark)
  and neither marked "not sure" become agreed automatically, marked ``auto``.
* A comment already reconciled whose codings or text changed since is open again,
  "changed since reconciled" (:mod:`workbench.reconcile.changes`), until decided again.
* Everything else is a decision to make: category or theme set differ, one coder
  flagged "not sure", only one marked the comment an exemplar quote (one coder's star
  must not become the paper's exemplar unseen), or only one coder coded the comment —
  that shows as *missing*, never as agreement.

Decisions made through one :class:`Reconciliation` can be undone, newest first
(:class:`~workbench.reconcile.history.Undoable`). A decision is made on what the screen
shows: inside its transaction it checks the comment's words (``coding.seen``), both coders'
codings and the agreed coding against the queue the screen read, and refuses, writing
nothing, when another window changed any of them (:class:`~workbench.coding.seen.StaleView`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.coding.coder import AGREED
from workbench.coding.record import same_coding
from workbench.coding.seen import StaleView
from workbench.coding.session import Coding, codings_by_comment, from_row, write_coding
from workbench.errors import CodingRuleError, WorkbenchError
from workbench.reconcile.changes import Reopened, basis_of, counts, reopened
from workbench.reconcile.history import Undoable
from workbench.store import Store
from workbench.store.coding_records import Coder


@dataclass
class Item:
    """One comment in the reconciliation queue."""

    comment_id: int
    ref: str
    group_id: int
    codings: dict[str, Coding | None]  # coder → coding (None: not coded)
    reasons: tuple[str, ...]  # "category", "themes", "missing", "not sure"
    agreed: Coding | None = None
    status: str | None = None  # None (open), "auto", "resolved", "deferred", "imported"
    rationale: str = ""
    reopened: Reopened | None = None  # reconciled, then changed (reconcile.changes)

    @property
    def open(self) -> bool:
        """Still to decide: never decided, deferred, or changed since reconciled."""
        return self.status in (None, "deferred") or self.reopened is not None

    @property
    def state(self) -> str:
        """What the screens show: "changed since reconciled", "open", or the status."""
        return "changed since reconciled" if self.reopened else self.status or "open"


def differences(a: Coding | None, b: Coding | None) -> tuple[str, ...]:
    """Why two codings of one comment need reconciling (empty: they agree)."""
    if a is None or b is None or a.category is None or b.category is None:
        return ("missing",)
    reasons = []
    if a.category != b.category:
        reasons.append("category")
    if set(a.themes) != set(b.themes):
        reasons.append("themes")
    if a.unsure or b.unsure:
        reasons.append("not sure")
    if a.exemplar != b.exemplar:
        reasons.append("exemplar")
    return tuple(reasons)


class Reconciliation(Undoable):
    """Two coders' codings side by side and the agreed coding being built from them."""

    def __init__(self, store: Store, coder_a: str, coder_b: str, actor: str):
        self.store = store
        self.actor = actor
        coders = []
        for name in (coder_a, coder_b):
            coder = store.coder_named(name)
            if coder is None or coder.kind != "coder":
                names = ", ".join(c.name for c in store.coders() if c.kind == "coder") or "none"
                raise WorkbenchError(f"no coder {name!r} in this project (coders: {names})")
            coders.append(coder)
        if coders[0].id == coders[1].id:
            raise WorkbenchError("reconcile two different coders")
        self.coders = coders
        self.names = [c.name for c in coders]
        self.agreed_coder = store.coder_named(AGREED)

    # -- reading -----------------------------------------------------------------

    def items(self) -> list[Item]:
        """Every codable comment with both codings, its reasons and reconciliation state."""
        a, b = (codings_by_comment(self.store, c.id) for c in self.coders)
        agreed = codings_by_comment(self.store, self.agreed_coder.id) if self.agreed_coder else {}
        states = self.store.reconciliations()
        revisions = self.store.last_revisions()
        items = []
        for comment_id, ref, group_id, _transcript, excluded, _role in self.store.comment_index():
            if excluded:
                continue
            first, second = a.get(comment_id), b.get(comment_id)
            if first is None and second is None:
                continue  # nobody coded it yet: nothing to reconcile
            state = states.get(comment_id, {})
            codings = {self.names[0]: first, self.names[1]: second}
            reasons = differences(first, second)
            again = reopened(state, codings, bool(reasons), revisions.get(comment_id))
            if again is not None:
                reasons = ("changed",) + reasons
            items.append(
                Item(
                    comment_id,
                    ref,
                    group_id,
                    codings,
                    reasons,
                    agreed.get(comment_id),
                    state.get("status"),
                    state.get("rationale", ""),
                    again,
                )
            )
        return items

    def queue(self) -> list[Item]:
        """The comments that need a decision: every disagreement, resolved or not, and every
        comment changed since it was reconciled."""
        return [item for item in self.items() if item.reasons]

    def progress(self) -> dict[str, int]:
        """Counts that add up (``reconcile.changes.counts``)."""
        return counts(self.items())

    def refresh(self, item: Item) -> None:
        """Read ``item``'s codings, decision and text revision again (after an undo or redo)."""
        store, cid = self.store, item.comment_id
        item.codings = {c.name: _coding(store, c.id, cid) for c in self.coders}
        item.agreed = _coding(store, self.agreed_coder.id, cid) if self.agreed_coder else None
        state = store.reconciliation(cid) or {}
        item.status, item.rationale = state.get("status"), state.get("rationale", "")
        reasons = differences(*item.codings.values())
        item.reopened = reopened(
            state, item.codings, bool(reasons), store.last_revisions([cid]).get(cid)
        )
        item.reasons = ("changed",) * (item.reopened is not None) + reasons

    def _after_replay(self, item: Item) -> None:
        self.refresh(item)

    # -- deciding ----------------------------------------------------------------

    def auto_agree(self) -> int:
        """Record every identical coding as agreed (``auto``); return how many were added."""
        todo = [i for i in self.items() if not i.reasons and i.status is None and i.agreed is None]
        if not todo:
            return 0
        with self.store.transaction():
            coder = self._agreed_coder()
            for item in todo:
                first, second = item.codings.values()
                assert first is not None and second is not None  # no reasons: both coded it
                # Identical by construction (differences() is empty); never a coder's memo or
                # flags, nor the mark of a suggestion one of them accepted. Its codes are the
                # coders', each written through the codebook's rule, so they pass it as codes a
                # coding already had (Codebook.check's ``was``), retired ones included.
                agreed = Coding(first.category, first.themes, exemplar=first.exemplar)
                write_coding(
                    self.store,
                    coder,
                    item.comment_id,
                    item.ref,
                    Coding(),
                    agreed,
                    "auto_agree",
                    actor=self.actor,
                    note="identical codings of " + " and ".join(self.names),
                )
                self.store.save_reconciliation(
                    item.comment_id,
                    "auto",
                    "",
                    self.names,
                    self.actor,
                    basis=basis_of(item.codings),
                )
        return len(todo)

    def take(self, item: Item, coder_name: str, rationale: str | None = None) -> Coding:
        """Make one coder's coding (without their memo and "not sure" flag) the agreed one."""
        chosen = item.codings[coder_name]
        if chosen is None or chosen.category is None:
            raise WorkbenchError(f"{item.ref}: {coder_name} did not code this comment")
        agreed = Coding(chosen.category, chosen.themes, exemplar=chosen.exemplar)
        return self.decide(item, agreed, rationale, note=f"took {coder_name}'s coding")

    def decide(
        self,
        item: Item,
        agreed: Coding,
        rationale: str | None = None,
        note: str | None = None,
        status: str = "resolved",
    ) -> Coding:
        """Record ``agreed`` as the agreed coding of ``item`` with a rationale."""
        rationale = item.rationale if rationale is None else rationale.strip()
        with self.store.transaction():
            step = self._begin(item, note or f"agreed coding {_describe(agreed)}")
            self._unchanged(item)
            # Checked before the agreed coder is made: a refusal rolls back, and an agreed coder
            # remembered from a rolled-back transaction would not exist.
            check_agreed(self.store, item.ref, agreed, self._stored_coding(item))
            coder = self._agreed_coder()
            before = from_row(self.store.coding(coder.id, item.comment_id))
            context = "; ".join(f"{n}: {_describe(c)}" for n, c in item.codings.items())
            if item.reopened is not None:
                context += f"; reopened: {item.reopened.describe()}"
            write_coding(
                self.store,
                coder,
                item.comment_id,
                item.ref,
                before,
                agreed,
                "reconcile",
                actor=self.actor,
                note=" | ".join(filter(None, [note, rationale, context])),
            )
            self.store.save_reconciliation(
                item.comment_id,
                status,
                rationale,
                self.names,
                self.actor,
                basis=basis_of(item.codings),
            )
            self._done(step)
        item.agreed, item.status, item.rationale, item.reopened = agreed, status, rationale, None
        item.reasons = tuple(r for r in item.reasons if r != "changed")
        return agreed

    def defer(self, item: Item, rationale: str | None = None) -> None:
        """Put a comment aside for the next meeting (keeps any agreed coding so far)."""
        rationale = item.rationale if rationale is None else rationale.strip()
        with self.store.transaction():
            step = self._begin(item, "deferred")
            self.store.save_reconciliation(
                item.comment_id,
                "deferred",
                rationale,
                self.names,
                self.actor,
                basis=basis_of(item.codings),
            )
            self.store.audit(
                "defer",
                "reconciliation",
                item.ref,
                before=item.status,
                after="deferred",
                actor=self.actor,
                note=rationale or None,
            )
            self._done(step)
        item.status, item.rationale, item.reopened = "deferred", rationale, None
        item.reasons = tuple(r for r in item.reasons if r != "changed")

    def note(self, item: Item, rationale: str) -> None:
        """Change the rationale of a comment's decision without changing the decision."""
        with self.store.transaction():
            step = self._begin(item, "wrote the rationale")
            row = self.store.reconciliation(item.comment_id)
            self.store.save_reconciliation(
                item.comment_id,
                item.status or "deferred",
                rationale.strip(),
                self.names,
                self.actor,
                row["decided_at"] if row else None,
                basis=json.loads(row["basis"]) if row and row["basis"] else None,
            )
            self.store.audit(
                "rationale",
                "reconciliation",
                item.ref,
                before=item.rationale,
                after=rationale.strip(),
                actor=self.actor,
            )
            self._done(step)
        item.rationale = rationale.strip()
        item.status = item.status or "deferred"

    # -- internals ---------------------------------------------------------------

    def _unchanged(self, item: Item) -> None:
        """Inside a decision's transaction: the coders' codings and the agreed coding are those
        the queue read; else :class:`StaleView` (nothing written, the queue read again)."""
        for coder, name in zip(self.coders, self.names, strict=True):
            row = self.store.coding(coder.id, item.comment_id)
            now = from_row(row) if row else None
            if not same_coding(now, item.codings[name]):
                raise StaleView(
                    f"{item.ref}: {name}'s coding changed in another window since this "
                    f"queue was read (now {_describe(now)}). Nothing was written; the "
                    "queue is read again."
                )
        if not same_coding(self._stored_coding(item), item.agreed or Coding()):
            raise StaleView(
                f"{item.ref} was decided in another window since this queue was read "
                f"(agreed coding now {_describe(self._stored_coding(item))}). Nothing "
                "was written; the queue is read again."
            )

    def _agreed_coder(self) -> Coder:
        if self.agreed_coder is None:
            self.agreed_coder = self.store.coder_named(AGREED) or self.store.add_coder(
                AGREED, "agreed"
            )
        return self.agreed_coder

    def _decision_row(self, item: Item) -> dict[str, Any] | None:
        return self.store.reconciliation(item.comment_id)

    def _restore_row(self, item: Item, row: dict[str, Any] | None) -> None:
        self.store.restore_reconciliation(item.comment_id, row)


def check_agreed(store: Store, ref: str, agreed: Coding, before: Coding | None) -> None:
    """Inside a decision's transaction: refuse an agreed coding the codebook does not allow
    (:meth:`~workbench.store.codebook.Codebook.check`, a category required), naming the comment;
    the codes of the agreed coding it replaces (``before``) may stay."""
    try:
        store.codebook().check(agreed, before, needs_category=True)
    except CodingRuleError as exc:
        raise CodingRuleError(f"{ref}: {exc}; nothing was recorded") from None


def _coding(store: Store, coder_id: int, comment_id: int) -> Coding | None:
    row = store.coding(coder_id, comment_id)
    return None if row is None else from_row(row)


def _describe(coding: Coding | None) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    return coding.category + (f" [{', '.join(coding.themes)}]" if coding.themes else "")
